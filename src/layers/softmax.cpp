#include "layers/softmax.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

Status SoftMaxParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 1));
    const nvinfer1::Dims& dims = ctx.input(0)->dims;
    KILN_RETURN_IF_ERROR(checkAxesMask(ctx, "softmax axes", axes, dims.nbDims, true));
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = dims;
    return Status::ok();
}

Status SoftMaxParams::addBatchAxis()
{
    uint32_t shifted = axes;
    KILN_RETURN_IF_ERROR(shiftAxesMask(shifted, "softmax axes"));
    axes = shifted;
    return Status::ok();
}

} // namespace kiln::layers
