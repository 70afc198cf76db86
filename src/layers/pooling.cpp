#include "layers/pooling.h"

#include "common/dims.h"
#include "layers/checks.h"
#include "layers/spatial_utils.h"

namespace kiln::layers
{

Status PoolingParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "pooling type", type));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "padding mode", paddingMode));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    const nvinfer1::Dims ones = filledDims(windowSize.nbDims, 1);
    KILN_RETURN_IF_ERROR(checkWindowParams(ctx, "window", windowSize, stride, ones, prePadding, postPadding));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, windowSize.nbDims + 1));
    if (!(blendFactor >= 0.f && blendFactor <= 1.f))
        return ctx.error("blend factor " + std::to_string(blendFactor) + " must be in [0, 1]");
    const bool samePadding = paddingMode == nvinfer1::PaddingMode::kSAME_UPPER
        || paddingMode == nvinfer1::PaddingMode::kSAME_LOWER;
    for (int32_t i = 0; i < windowSize.nbDims && !samePadding; ++i)
        if (prePadding.d[i] >= windowSize.d[i] || postPadding.d[i] >= windowSize.d[i])
            return ctx.error("padding " + toString(prePadding) + " / " + toString(postPadding)
                + " must be smaller than the window " + toString(windowSize));
    const nvinfer1::Dims& in = ctx.input(0)->dims;
    nvinfer1::Dims out = in;
    KILN_RETURN_IF_ERROR(
        slidingWindowDims(ctx, in, windowSize, stride, ones, prePadding, postPadding, paddingMode, out));
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = out;
    return Status::ok();
}

} // namespace kiln::layers
