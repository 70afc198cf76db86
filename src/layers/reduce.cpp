#include "layers/reduce.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

#include <algorithm>
#include <limits>

namespace kiln::layers
{

using nvinfer1::DataType;
using nvinfer1::ReduceOperation;

ReducePlan::ReducePlan(const nvinfer1::Dims& dims, uint32_t axes)
{
    int64_t stride = 1;
    for (int32_t i = dims.nbDims - 1; i >= 0; --i)
    {
        const bool reduced = (axes >> i) & 1u;
        int64_t* extents = reduced ? reducedExtent : keptExtent;
        int64_t* strides = reduced ? reducedStride : keptStride;
        int32_t& count = reduced ? nbReduced : nbKept;
        // Filled innermost first; reversed below.
        extents[count] = dims.d[i];
        strides[count] = stride;
        ++count;
        (reduced ? reducedCount : outputCount) *= dims.d[i];
        stride *= dims.d[i];
    }
    std::reverse(keptExtent, keptExtent + nbKept);
    std::reverse(keptStride, keptStride + nbKept);
    std::reverse(reducedExtent, reducedExtent + nbReduced);
    std::reverse(reducedStride, reducedStride + nbReduced);
}

int64_t ReducePlan::baseOffset(int64_t index) const
{
    int64_t offset = 0;
    for (int32_t i = nbKept - 1; i >= 0; --i)
    {
        offset += (index % keptExtent[i]) * keptStride[i];
        index /= keptExtent[i];
    }
    return offset;
}

int64_t ReducePlan::reducedOffset(int64_t k) const
{
    int64_t offset = 0;
    for (int32_t i = nbReduced - 1; i >= 0; --i)
    {
        offset += (k % reducedExtent[i]) * reducedStride[i];
        k /= reducedExtent[i];
    }
    return offset;
}

int32_t reduceIntElement(ReduceOperation op, const ReducePlan& plan, const int32_t* x)
{
    int32_t acc = op == ReduceOperation::kPROD ? 1
        : op == ReduceOperation::kMAX          ? std::numeric_limits<int32_t>::min()
        : op == ReduceOperation::kMIN          ? std::numeric_limits<int32_t>::max()
                                               : 0;
    for (int64_t k = 0; k < plan.reducedCount; ++k)
    {
        const int32_t v = x[plan.reducedOffset(k)];
        switch (op)
        {
        case ReduceOperation::kSUM:
        case ReduceOperation::kAVG: acc = wrapAdd(acc, v); break;
        case ReduceOperation::kPROD: acc = wrapMul(acc, v); break;
        case ReduceOperation::kMAX: acc = std::max(acc, v); break;
        case ReduceOperation::kMIN: acc = std::min(acc, v); break;
        }
    }
    return acc;
}

Status ReduceParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "reduce operation", operation));
    if (operation == ReduceOperation::kAVG)
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT}));
    else
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT, DataType::kINT32}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 1));
    const ir::TensorDesc& in = *ctx.input(0);
    KILN_RETURN_IF_ERROR(checkAxesMask(ctx, "reduce axes", axes, in.dims.nbDims, false));

    ir::TensorDesc& out = ctx.output(0);
    out.type = in.type;
    out.dims.nbDims = 0;
    for (int32_t i = 0; i < in.dims.nbDims; ++i)
    {
        if (!((axes >> i) & 1u))
            out.dims.d[out.dims.nbDims++] = in.dims.d[i];
        else if (keepDimensions)
            out.dims.d[out.dims.nbDims++] = 1;
    }
    out.values.reset();
    if (const std::vector<int32_t>* values = knownInts(&in))
    {
        const ReducePlan plan(in.dims, axes);
        std::vector<int32_t> result(static_cast<size_t>(plan.outputCount));
        for (int64_t o = 0; o < plan.outputCount; ++o)
            result[static_cast<size_t>(o)] = reduceIntElement(operation, plan, values->data() + plan.baseOffset(o));
        out.values = std::move(result);
    }
    return Status::ok();
}

Status ReduceParams::addBatchAxis()
{
    uint32_t shifted = axes;
    KILN_RETURN_IF_ERROR(shiftAxesMask(shifted, "reduce axes"));
    axes = shifted;
    return Status::ok();
}

} // namespace kiln::layers
