#include "kernels/kernel.h"
#include "layers/normalization.h"
#include "layers/pointwise_utils.h"
#include "layers/reduce.h"

#include <cmath>

namespace kiln::kernels::reference
{

// Statistics in float64 with two passes (mean, then the mean squared deviation), one group of
// reduced elements per task, so results do not depend on the number of threads.
Status runNormalization(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::NormalizationParams>();
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& scaleBuf = args.inputs[1];
    const TensorBuffer& biasBuf = args.inputs[2];
    const float* x = in.as<const float>();
    const float* scale = scaleBuf.as<const float>();
    const float* bias = biasBuf.as<const float>();
    float* y = args.outputs[0].as<float>();

    nvinfer1::Dims view{};
    uint32_t viewAxes = 0;
    p.statisticsView(in.dims, view, viewAxes);
    const layers::ReducePlan plan(view, viewAxes);
    if (plan.reducedCount == 0)
        return Status::ok();
    const double count = static_cast<double>(plan.reducedCount);
    args.pool->parallelFor(plan.outputCount, 1, [&](int64_t begin, int64_t end) {
        for (int64_t o = begin; o < end; ++o)
        {
            const int64_t base = plan.baseOffset(o);
            double sum = 0.0;
            for (int64_t k = 0; k < plan.reducedCount; ++k)
                sum += x[base + plan.reducedOffset(k)];
            const double mean = sum / count;
            double squares = 0.0;
            for (int64_t k = 0; k < plan.reducedCount; ++k)
            {
                const double d = x[base + plan.reducedOffset(k)] - mean;
                squares += d * d;
            }
            const double invStd = 1.0 / std::sqrt(squares / count + static_cast<double>(p.epsilon));
            for (int64_t k = 0; k < plan.reducedCount; ++k)
            {
                const int64_t i = base + plan.reducedOffset(k);
                const double s = scale[layers::broadcastOffset(in.dims, scaleBuf.dims, i)];
                const double b = bias[layers::broadcastOffset(in.dims, biasBuf.dims, i)];
                y[i] = static_cast<float>((x[i] - mean) * invStd * s + b);
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
