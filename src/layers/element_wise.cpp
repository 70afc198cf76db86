#include "layers/element_wise.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

#include <algorithm>

#include <cmath>

namespace kiln::layers
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;

bool isLogicalOp(ElementWiseOperation op)
{
    return op == ElementWiseOperation::kAND || op == ElementWiseOperation::kOR || op == ElementWiseOperation::kXOR;
}

bool isComparisonOp(ElementWiseOperation op)
{
    return op == ElementWiseOperation::kEQUAL || op == ElementWiseOperation::kGREATER
        || op == ElementWiseOperation::kLESS;
}

bool isArithmeticOp(ElementWiseOperation op)
{
    return !isLogicalOp(op) && !isComparisonOp(op) && static_cast<int32_t>(op) >= 0
        && static_cast<int32_t>(op) <= static_cast<int32_t>(ElementWiseOperation::kFLOOR_DIV);
}

int32_t applyIntOp(ElementWiseOperation op, int32_t a, int32_t b)
{
    switch (op)
    {
    case ElementWiseOperation::kSUM: return wrapAdd(a, b);
    case ElementWiseOperation::kPROD: return wrapMul(a, b);
    case ElementWiseOperation::kMAX: return std::max(a, b);
    case ElementWiseOperation::kMIN: return std::min(a, b);
    case ElementWiseOperation::kSUB: return wrapSub(a, b);
    case ElementWiseOperation::kDIV:
    case ElementWiseOperation::kFLOOR_DIV: return floorDivInt(a, b);
    case ElementWiseOperation::kPOW: return powInt(a, b);
    default: return 0;
    }
}

Status ElementWiseParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "element-wise operation", operation));
    nvinfer1::Dims dims;
    KILN_RETURN_IF_ERROR(broadcastInputs(ctx, {0, 1}, dims));
    if (isLogicalOp(operation))
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kBOOL}));
    else
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT, DataType::kINT32}));
    const DataType type = ctx.input(0)->type;
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {type}));

    ir::TensorDesc& out = ctx.output(0);
    out.type = isComparisonOp(operation) ? DataType::kBOOL : type;
    out.dims = dims;
    out.values.reset();

    const std::vector<int32_t>* a = knownInts(ctx.input(0));
    const std::vector<int32_t>* b = knownInts(ctx.input(1));
    if (out.type == DataType::kINT32 && a && b && isSmallConcrete(dims))
    {
        const int64_t n = checkedVolume(dims, 0, dims.nbDims);
        std::vector<int32_t> values(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            values[static_cast<size_t>(i)] =
                applyIntOp(operation, (*a)[static_cast<size_t>(broadcastOffset(dims, ctx.input(0)->dims, i))],
                    (*b)[static_cast<size_t>(broadcastOffset(dims, ctx.input(1)->dims, i))]);
        out.values = std::move(values);
    }
    return Status::ok();
}

float applyBinaryFloat(nvinfer1::ElementWiseOperation op, float a, float b)
{
    switch (op)
    {
    case nvinfer1::ElementWiseOperation::kSUM: return a + b;
    case nvinfer1::ElementWiseOperation::kPROD: return a * b;
    case nvinfer1::ElementWiseOperation::kMAX: return a > b ? a : b;
    case nvinfer1::ElementWiseOperation::kMIN: return a < b ? a : b;
    case nvinfer1::ElementWiseOperation::kSUB: return a - b;
    case nvinfer1::ElementWiseOperation::kDIV: return a / b;
    case nvinfer1::ElementWiseOperation::kPOW: return std::pow(a, b);
    case nvinfer1::ElementWiseOperation::kFLOOR_DIV: return std::floor(a / b);
    default: return 0.f;
    }
}

} // namespace kiln::layers
