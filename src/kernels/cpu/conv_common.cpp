#include "kernels/cpu/conv_common.h"

#include "kernels/reference/spatial_utils.h"
#include "layers/spatial_utils.h"

#include <string>

namespace kiln::kernels::cpu
{

namespace
{

bool allInRange(const nvinfer1::Dims& d, int32_t lo, int32_t hi)
{
    if (d.nbDims != 2)
        return false;
    for (int32_t i = 0; i < d.nbDims; ++i)
        if (d.d[i] < lo || d.d[i] > hi)
            return false;
    return true;
}

bool concrete(const nvinfer1::Dims& d)
{
    if (d.nbDims < 0 || d.nbDims > nvinfer1::Dims::MAX_DIMS)
        return false;
    for (int32_t i = 0; i < d.nbDims; ++i)
        if (d.d[i] < 0)
            return false;
    return true;
}

} // namespace

Status checkConvolution2d(
    const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs, const std::vector<ir::TensorDesc>& outputs)
{
    using nvinfer1::DataType;
    if (params.kind() != ir::LayerKind::kConvolution)
        return unsupported("not a convolution layer");
    const auto& p = static_cast<const layers::ConvolutionParams&>(params);
    if (p.kernelSize.nbDims != 2)
        return unsupported("only 2-D convolutions are supported (kernel has " + std::to_string(p.kernelSize.nbDims)
            + " spatial dims)");
    const int32_t kMax = layers::kMaxWindowParam;
    if (!allInRange(p.kernelSize, 1, kMax) || !allInRange(p.stride, 1, kMax) || !allInRange(p.dilation, 1, kMax))
        return unsupported("kernel size, stride and dilation must be 2 positive extents");
    if (!allInRange(p.prePadding, 0, kMax) || !allInRange(p.postPadding, 0, kMax))
        return unsupported("padding must be 2 non-negative extents");
    const auto mode = static_cast<int32_t>(p.paddingMode);
    if (mode < 0 || mode > static_cast<int32_t>(nvinfer1::PaddingMode::kCAFFE_ROUND_UP))
        return unsupported("unknown padding mode " + std::to_string(mode));
    if (inputs.empty() || outputs.size() != 1)
        return unsupported("expects one data input and one output");
    for (size_t i = 1; i < 3 && i < inputs.size(); ++i)
        if (inputs[i].dims.nbDims >= 0)
            return unsupported("kernel or bias given as a tensor input is not supported");
    const nvinfer1::Dims& in = inputs[0].dims;
    const nvinfer1::Dims& out = outputs[0].dims;
    if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
        return unsupported("only FLOAT tensors are supported");
    if (!concrete(in) || !concrete(out) || in.nbDims < 3 || out.nbDims != in.nbDims)
        return unsupported("input and output need the same rank (at least 3) and concrete dims");
    const int32_t channelAxis = in.nbDims - 3;
    for (int32_t i = 0; i < channelAxis; ++i)
        if (in.d[i] != out.d[i])
            return unsupported("input and output batch dims differ");
    const int64_t channels = in.d[channelAxis];
    if (p.nbOutputMaps <= 0 || out.d[channelAxis] != p.nbOutputMaps)
        return unsupported("the output has " + std::to_string(out.d[channelAxis]) + " maps, the layer "
            + std::to_string(p.nbOutputMaps));
    if (p.nbGroups <= 0 || channels % p.nbGroups != 0 || p.nbOutputMaps % p.nbGroups != 0)
        return unsupported("groups must divide both the channel and the output map counts");
    const int64_t taps = int64_t{p.kernelSize.d[0]} * p.kernelSize.d[1];
    const int64_t expected = layers::saturatingProduct(
        layers::saturatingProduct(p.nbOutputMaps, channels / p.nbGroups), taps);
    if (p.kernelWeights.type != DataType::kFLOAT || !p.kernelWeights.values || p.kernelWeights.count != expected)
        return unsupported("kernel weights must be " + std::to_string(expected) + " FLOAT values");
    if (!p.biasWeights.empty()
        && (p.biasWeights.type != DataType::kFLOAT || !p.biasWeights.values || p.biasWeights.count != p.nbOutputMaps))
        return unsupported("bias weights must be absent or one FLOAT value per output map");
    if (p.epilogue.hasResidual)
    {
        if (inputs.size() <= static_cast<size_t>(layers::kResidualInput))
            return unsupported("the fused residual input is missing");
        const ir::TensorDesc& r = inputs[layers::kResidualInput];
        if (r.type != DataType::kFLOAT || !sameDims(r.dims, out))
            return unsupported("the fused residual does not match the output");
    }
    return Status::ok();
}

bool Conv2dGeometry::isPointwise() const
{
    return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0
        && outH == inH && outW == inW;
}

Conv2dGeometry Conv2dGeometry::make(
    const layers::ConvolutionParams& p, const nvinfer1::Dims& inDims, const nvinfer1::Dims& outDims)
{
    const reference::Window3 w = reference::makeWindow3(inDims, outDims, p.kernelSize, p.stride, &p.dilation,
        p.prePadding, p.postPadding, p.paddingMode, false);
    Conv2dGeometry g;
    g.channels = inDims.d[inDims.nbDims - 3];
    g.batch = g.channels > 0 ? w.lead / g.channels : 0;
    g.maps = p.nbOutputMaps;
    g.groups = p.nbGroups;
    g.groupChannels = g.channels / g.groups;
    g.groupMaps = g.maps / g.groups;
    g.inH = w.in[1];
    g.inW = w.in[2];
    g.outH = w.out[1];
    g.outW = w.out[2];
    g.kernelH = w.window[1];
    g.kernelW = w.window[2];
    g.strideH = w.stride[1];
    g.strideW = w.stride[2];
    g.dilationH = w.dilation[1];
    g.dilationW = w.dilation[2];
    g.padTop = w.pre[1];
    g.padLeft = w.pre[2];
    return g;
}

} // namespace kiln::kernels::cpu
