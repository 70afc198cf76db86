#include "layers/select.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

using nvinfer1::DataType;

Status SelectParams::inferShapes(ir::ShapeContext& ctx) const
{
    nvinfer1::Dims dims;
    KILN_RETURN_IF_ERROR(broadcastInputs(ctx, {0, 1, 2}, dims));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kBOOL}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {DataType::kFLOAT, DataType::kINT32}));
    const DataType type = ctx.input(1)->type;
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 2, {type}));
    ctx.output(0).type = type;
    ctx.output(0).dims = dims;
    return Status::ok();
}

} // namespace kiln::layers
