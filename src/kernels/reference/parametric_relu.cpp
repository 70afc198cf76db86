#include "layers/parametric_relu.h"
#include "kernels/kernel.h"
#include "kernels/reference/broadcast.h"

namespace kiln::kernels::reference
{

Status runParametricReLU(const KernelArgs& args)
{
    const TensorBuffer& x = args.inputs[0];
    const TensorBuffer& slope = args.inputs[1];
    const float* xs = x.as<const float>();
    const float* ss = slope.as<const float>();
    float* y = args.outputs[0].as<float>();
    const BroadcastMap map(args.outputs[0].dims, {x.dims, slope.dims});
    const int64_t stepX = map.colStep(0);
    const int64_t stepS = map.colStep(1);
    map.forEachRow(*args.pool, [&](int64_t, int64_t outStart, const int64_t* starts) {
        for (int64_t j = 0; j < map.cols(); ++j)
        {
            const float v = xs[starts[0] + j * stepX];
            y[outStart + j] = v >= 0.f ? v : ss[starts[1] + j * stepS] * v;
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
