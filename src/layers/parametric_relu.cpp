#include "layers/parametric_relu.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

Status ParametricReLUParams::inferShapes(ir::ShapeContext& ctx) const
{
    nvinfer1::Dims dims;
    KILN_RETURN_IF_ERROR(broadcastInputs(ctx, {0, 1}, dims));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {nvinfer1::DataType::kFLOAT}));
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = dims;
    return Status::ok();
}

} // namespace kiln::layers
