#include "layers/softmax.h"
#include "common/dims.h"
#include "kernels/kernel.h"
#include "layers/pointwise_utils.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::reference
{

Status runSoftMax(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::SoftMaxParams>();
    const nvinfer1::Dims& dims = args.inputs[0].dims;
    const int32_t axis = layers::lowestAxis(p.axes);
    const int64_t n = dims.d[axis];
    const int64_t inner = volume(dims, axis + 1, dims.nbDims);
    const int64_t outer = volume(dims, 0, axis);
    const float* x = args.inputs[0].as<const float>();
    float* y = args.outputs[0].as<float>();

    // One task per (outer, inner) line along the axis.
    const int64_t grain = std::max<int64_t>(1, 1024 / std::max<int64_t>(n, 1));
    args.pool->parallelFor(outer * inner, grain, [&](int64_t begin, int64_t end) {
        for (int64_t line = begin; line < end; ++line)
        {
            const int64_t base = (line / inner) * n * inner + line % inner;
            float maxValue = -INFINITY;
            for (int64_t j = 0; j < n; ++j)
                maxValue = std::max(maxValue, x[base + j * inner]);
            double sum = 0.0;
            for (int64_t j = 0; j < n; ++j)
            {
                const float e = std::exp(x[base + j * inner] - maxValue);
                y[base + j * inner] = e;
                sum += e;
            }
            const auto scale = static_cast<float>(1.0 / sum);
            for (int64_t j = 0; j < n; ++j)
                y[base + j * inner] *= scale;
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
