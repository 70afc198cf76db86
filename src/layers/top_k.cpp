#include "layers/top_k.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

Status TopKParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "top-k operation", operation));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 1));
    const nvinfer1::Dims& dims = ctx.input(0)->dims;
    KILN_RETURN_IF_ERROR(checkAxesMask(ctx, "top-k axes", axes, dims.nbDims, true));
    const int32_t axis = lowestAxis(axes);
    const int32_t extent = dims.d[axis];
    if (k < 1 || k > kMaxTopK)
        return ctx.error("k = " + std::to_string(k) + " is out of range [1, " + std::to_string(kMaxTopK) + "]");
    if (extent >= 0 && k > extent)
        return ctx.error("k = " + std::to_string(k) + " exceeds the extent " + std::to_string(extent) + " of axis "
            + std::to_string(axis));

    nvinfer1::Dims out = dims;
    out.d[axis] = k;
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = out;
    ctx.output(1).type = nvinfer1::DataType::kINT32;
    ctx.output(1).dims = out;
    return Status::ok();
}

Status TopKParams::addBatchAxis()
{
    uint32_t shifted = axes;
    KILN_RETURN_IF_ERROR(shiftAxesMask(shifted, "top-k axes"));
    axes = shifted;
    return Status::ok();
}

} // namespace kiln::layers
