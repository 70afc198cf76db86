#include "layers/unary.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

using nvinfer1::DataType;
using nvinfer1::UnaryOperation;

int32_t applyIntUnary(UnaryOperation op, int32_t x)
{
    if (op == UnaryOperation::kSIGN)
        return x > 0 ? 1 : x < 0 ? -1 : 0;
    if (op == UnaryOperation::kNEG || (op == UnaryOperation::kABS && x < 0))
        return wrapSub(0, x);
    return x;
}

Status UnaryParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "unary operation", operation));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 0));
    const bool boolOutput = operation == UnaryOperation::kISINF || operation == UnaryOperation::kISNAN;
    if (operation == UnaryOperation::kNOT)
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kBOOL}));
    else if (operation == UnaryOperation::kABS || operation == UnaryOperation::kNEG || operation == UnaryOperation::kSIGN)
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT, DataType::kINT32}));
    else
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT}));

    const ir::TensorDesc& in = *ctx.input(0);
    ir::TensorDesc& out = ctx.output(0);
    out.type = boolOutput ? DataType::kBOOL : in.type;
    out.dims = in.dims;
    out.values.reset();
    if (const std::vector<int32_t>* values = knownInts(&in))
    {
        std::vector<int32_t> result(values->size());
        for (size_t i = 0; i < values->size(); ++i)
            result[i] = applyIntUnary(operation, (*values)[i]);
        out.values = std::move(result);
    }
    return Status::ok();
}

} // namespace kiln::layers
