#include "kernels/kernel.h"
#include "layers/fully_connected.h"

#include <algorithm>

namespace kiln::kernels::reference
{

Status runFullyConnected(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::FullyConnectedParams>();
    const TensorBuffer& in = args.inputs[0];
    const int32_t r = in.dims.nbDims;
    const int64_t v = volume(in.dims, r - 3, r);
    const int64_t k = p.nbOutputs;
    if (p.kernel.count != v * k)
        return internalError("FullyConnected: kernel has " + std::to_string(p.kernel.count) + " weights, expected "
            + std::to_string(v * k));
    const int64_t rows = volume(in.dims, 0, r - 3);
    const float* x = in.as<const float>();
    const float* w = p.kernel.floats();
    const float* bias = p.bias.empty() ? nullptr : p.bias.floats();
    float* y = args.outputs[0].as<float>();
    args.pool->parallelFor(
        rows * k, std::max<int64_t>(1, 16384 / std::max<int64_t>(v, 1)), [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
            {
                const float* xi = x + (i / k) * v;
                const float* wi = w + (i % k) * v;
                float acc = 0.f;
                for (int64_t t = 0; t < v; ++t)
                    acc += xi[t] * wi[t];
                y[i] = p.epilogue.activate(bias ? acc + bias[i % k] : acc);
            }
        });
    return Status::ok();
}

} // namespace kiln::kernels::reference
