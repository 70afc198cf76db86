#include "layers/convolution.h"

#include "layers/spatial_utils.h"

namespace kiln::layers
{

Status ConvolutionParams::inferShapes(ir::ShapeContext& ctx) const
{
    int32_t channelAxis = 0;
    KILN_RETURN_IF_ERROR(checkConvolutionLike(ctx, nbOutputMaps, kernelSize, stride, dilation, prePadding,
        postPadding, paddingMode, nbGroups, kernelWeights, biasWeights, channelAxis));
    const nvinfer1::Dims& in = ctx.input(0)->dims;
    nvinfer1::Dims out = in;
    out.d[channelAxis] = nbOutputMaps;
    KILN_RETURN_IF_ERROR(
        slidingWindowDims(ctx, in, kernelSize, stride, dilation, prePadding, postPadding, paddingMode, out));
    if (epilogue.hasResidual)
    {
        const ir::TensorDesc* residual = ctx.input(kResidualInput);
        if (!residual)
            return ctx.error("the fused residual input is missing");
        if (residual->type != nvinfer1::DataType::kFLOAT || !sameDims(residual->dims, out))
            return ctx.error("the fused residual " + toString(residual->dims) + " does not match the output "
                + toString(out));
    }
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = out;
    return Status::ok();
}

} // namespace kiln::layers
