#include "layers/activation.h"

#include "layers/checks.h"

namespace kiln::layers
{

Status ActivationParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "activation type", type));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = ctx.input(0)->dims;
    return Status::ok();
}

} // namespace kiln::layers
