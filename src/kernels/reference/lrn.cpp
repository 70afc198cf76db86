#include "kernels/kernel.h"
#include "layers/lrn.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::reference
{

Status runLRN(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::LRNParams>();
    const TensorBuffer& input = args.inputs[0];
    const nvinfer1::Dims& dims = input.dims;
    const int32_t channelAxis = dims.nbDims - 3;
    const int32_t channels = dims.d[channelAxis];
    const int64_t inner = volume(dims, channelAxis + 1, dims.nbDims);
    const int64_t planes = volume(dims, 0, channelAxis + 1); // (outer index, channel) pairs
    const int32_t half = (p.windowSize - 1) / 2;
    const double scale = static_cast<double>(p.alpha) / p.windowSize;
    const float* x = input.as<const float>();
    float* y = args.outputs[0].as<float>();

    args.pool->parallelFor(planes, 1, [&](int64_t begin, int64_t end) {
        for (int64_t plane = begin; plane < end; ++plane)
        {
            const int32_t c = static_cast<int32_t>(plane % channels);
            const float* base = x + (plane - c) * inner; // channel 0 of this outer index
            const int32_t lo = std::max(0, c - half);
            const int32_t hi = std::min(channels - 1, c + half);
            for (int64_t i = 0; i < inner; ++i)
            {
                double sum = 0.0;
                for (int32_t j = lo; j <= hi; ++j)
                {
                    const double v = base[j * inner + i];
                    sum += v * v;
                }
                const double v = base[c * inner + i];
                y[plane * inner + i] = static_cast<float>(v / std::pow(p.k + scale * sum, static_cast<double>(p.beta)));
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
