#include "layers/scale.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

using nvinfer1::ScaleMode;

Status ScaleParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "scale mode", mode));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 1));
    const nvinfer1::Dims& dims = ctx.input(0)->dims;
    if (channelAxis < 0 || channelAxis >= dims.nbDims)
        return ctx.error(
            "channel axis " + std::to_string(channelAxis) + " is out of range for input dimensions " + toString(dims));

    int64_t count = 1;
    if (mode != ScaleMode::kUNIFORM)
    {
        const int32_t end = mode == ScaleMode::kCHANNEL ? channelAxis + 1 : dims.nbDims;
        count = checkedVolume(dims, channelAxis, end);
        if (count < 0)
            return ctx.error(
                std::string(mode == ScaleMode::kCHANNEL ? "the channel extent" : "the extents from the channel axis on")
                + " must be known at build time (input dimensions " + toString(dims) + ")");
    }
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "shift", shift, count, true));
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "scale", scale, count, true));
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "power", power, count, true));

    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = dims;
    return Status::ok();
}

Status ScaleParams::addBatchAxis()
{
    if (channelAxis < 0 || channelAxis >= nvinfer1::Dims::MAX_DIMS)
        return invalidArgument("channel axis " + std::to_string(channelAxis) + " is out of range");
    ++channelAxis;
    return Status::ok();
}

} // namespace kiln::layers
