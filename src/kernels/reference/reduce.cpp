#include "layers/reduce.h"
#include "kernels/kernel.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

using nvinfer1::ReduceOperation;

//! Reduces one output element; sums and products accumulate in double, in a fixed order.
float reduceFloats(ReduceOperation op, const layers::ReducePlan& plan, const float* x)
{
    switch (op)
    {
    case ReduceOperation::kMAX:
    case ReduceOperation::kMIN:
    {
        const bool isMax = op == ReduceOperation::kMAX;
        float acc = isMax ? -INFINITY : INFINITY;
        for (int64_t k = 0; k < plan.reducedCount; ++k)
        {
            const float v = x[plan.reducedOffset(k)];
            acc = isMax ? std::max(acc, v) : std::min(acc, v);
        }
        return acc;
    }
    case ReduceOperation::kPROD:
    {
        double acc = 1.0;
        for (int64_t k = 0; k < plan.reducedCount; ++k)
            acc *= x[plan.reducedOffset(k)];
        return static_cast<float>(acc);
    }
    case ReduceOperation::kSUM:
    case ReduceOperation::kAVG:
    {
        double acc = 0.0;
        for (int64_t k = 0; k < plan.reducedCount; ++k)
            acc += x[plan.reducedOffset(k)];
        if (op == ReduceOperation::kAVG)
            return plan.reducedCount > 0 ? static_cast<float>(acc / static_cast<double>(plan.reducedCount)) : NAN;
        return static_cast<float>(acc);
    }
    }
    return 0.f;
}

} // namespace

Status runReduce(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ReduceParams>();
    const TensorBuffer& in = args.inputs[0];
    const layers::ReducePlan plan(in.dims, p.axes);
    const bool isInt = in.type == nvinfer1::DataType::kINT32;
    // Parallel over output elements only, so every sum runs in the same order for any pool size.
    const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(plan.reducedCount, 1));
    args.pool->parallelFor(plan.outputCount, grain, [&](int64_t begin, int64_t end) {
        for (int64_t o = begin; o < end; ++o)
        {
            const int64_t base = plan.baseOffset(o);
            if (isInt)
                args.outputs[0].as<int32_t>()[o] =
                    layers::reduceIntElement(p.operation, plan, in.as<const int32_t>() + base);
            else
                args.outputs[0].as<float>()[o] = reduceFloats(p.operation, plan, in.as<const float>() + base);
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
