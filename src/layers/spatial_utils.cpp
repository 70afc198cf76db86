#include "layers/spatial_utils.h"

#include "common/dims.h"
#include "layers/checks.h"

#include <algorithm>
#include <limits>
#include <string>

namespace kiln::layers
{

namespace
{

using nvinfer1::Dims;
using nvinfer1::PaddingMode;

constexpr int64_t kMaxExtent = std::numeric_limits<int32_t>::max();

Status checkParamDims(const ir::ShapeContext& ctx, const std::string& name, const Dims& dims, int32_t nbSpatial,
    int32_t minValue, const char* requirement)
{
    if (dims.nbDims != nbSpatial)
        return ctx.error(name + " has " + std::to_string(dims.nbDims) + " dimensions, expected "
            + std::to_string(nbSpatial) + " (one per spatial axis of the window)");
    for (int32_t i = 0; i < nbSpatial; ++i)
        if (dims.d[i] < minValue || dims.d[i] > kMaxWindowParam)
            return ctx.error(name + " " + toString(dims) + " must be " + requirement + " and at most "
                + std::to_string(kMaxWindowParam));
    return Status::ok();
}

int64_t dilatedWindow(int32_t window, int32_t dilation)
{
    return static_cast<int64_t>(dilation) * (window - 1) + 1;
}

bool isSameMode(PaddingMode mode)
{
    return mode == PaddingMode::kSAME_UPPER || mode == PaddingMode::kSAME_LOWER;
}

} // namespace

Dims filledDims(int32_t n, int32_t value)
{
    Dims d{};
    const int32_t maxDims = Dims::MAX_DIMS; // a copy: std::min would odr-use the member
    d.nbDims = std::max(0, std::min(n, maxDims));
    for (int32_t i = 0; i < d.nbDims; ++i)
        d.d[i] = value;
    return d;
}

Status checkWindowParams(const ir::ShapeContext& ctx, const char* what, const Dims& window, const Dims& stride,
    const Dims& dilation, const Dims& prePadding, const Dims& postPadding)
{
    if (window.nbDims != 2 && window.nbDims != 3)
        return ctx.error(std::string(what) + " size has " + std::to_string(window.nbDims)
            + " dimensions; only 2-D and 3-D windows are supported");
    const int32_t n = window.nbDims;
    KILN_RETURN_IF_ERROR(checkParamDims(ctx, std::string(what) + " size", window, n, 1, "positive"));
    KILN_RETURN_IF_ERROR(checkParamDims(ctx, "stride", stride, n, 1, "positive"));
    KILN_RETURN_IF_ERROR(checkParamDims(ctx, "dilation", dilation, n, 1, "positive"));
    KILN_RETURN_IF_ERROR(checkParamDims(ctx, "pre-padding", prePadding, n, 0, "non-negative"));
    KILN_RETURN_IF_ERROR(checkParamDims(ctx, "post-padding", postPadding, n, 0, "non-negative"));
    return Status::ok();
}

Status slidingWindowDims(const ir::ShapeContext& ctx, const Dims& in, const Dims& window, const Dims& stride,
    const Dims& dilation, const Dims& prePadding, const Dims& postPadding, PaddingMode mode, Dims& out)
{
    const int32_t offset = in.nbDims - window.nbDims;
    for (int32_t i = 0; i < window.nbDims; ++i)
    {
        const int32_t extent = in.d[offset + i];
        if (extent == 0)
            return ctx.error("input " + toString(in) + " has an empty spatial axis");
        if (static_cast<int64_t>(extent) + prePadding.d[i] + postPadding.d[i] > kMaxExtent)
            return ctx.error("input extent plus padding exceeds the largest extent");
        int32_t o = -1;
        int32_t effPre = 0;
        int32_t effPost = 0;
        KILN_RETURN_IF_ERROR(windowOutput(ctx, mode, extent, window.d[i], stride.d[i], dilation.d[i], prePadding.d[i],
            postPadding.d[i], o, effPre, effPost));
        out.d[offset + i] = o;
    }
    return Status::ok();
}

Status transposedWindowDims(const ir::ShapeContext& ctx, const Dims& in, const Dims& window, const Dims& stride,
    const Dims& dilation, const Dims& prePadding, const Dims& postPadding, PaddingMode mode, Dims& out)
{
    const int32_t offset = in.nbDims - window.nbDims;
    for (int32_t i = 0; i < window.nbDims; ++i)
    {
        const int32_t extent = in.d[offset + i];
        if (extent == 0)
            return ctx.error("input " + toString(in) + " has an empty spatial axis");
        if (extent < 0)
        {
            out.d[offset + i] = -1;
            continue;
        }
        const int64_t full = static_cast<int64_t>(extent - 1) * stride.d[i] + dilatedWindow(window.d[i], dilation.d[i]);
        const int64_t o = isSameMode(mode) ? std::min(static_cast<int64_t>(extent) * stride.d[i], full)
                                           : full - prePadding.d[i] - postPadding.d[i];
        if (o <= 0)
            return ctx.error("padding " + toString(prePadding) + " + " + toString(postPadding)
                + " crops away the whole output on spatial axis " + std::to_string(i));
        if (o > kMaxExtent)
            return ctx.error("output extent " + std::to_string(o) + " is too large");
        out.d[offset + i] = static_cast<int32_t>(o);
    }
    return Status::ok();
}

void slidingPadding(PaddingMode mode, int32_t in, int32_t out, int32_t window, int32_t stride, int32_t dilation,
    int32_t prePadding, int32_t postPadding, int32_t& effPre, int32_t& effPost)
{
    effPre = prePadding;
    effPost = postPadding;
    if (!isSameMode(mode))
        return;
    const int64_t total
        = std::max<int64_t>(static_cast<int64_t>(out - 1) * stride + dilatedWindow(window, dilation) - in, 0);
    const int64_t small = total / 2;
    effPre = static_cast<int32_t>(mode == PaddingMode::kSAME_UPPER ? small : total - small);
    effPost = static_cast<int32_t>(total - effPre);
}

void transposedPadding(PaddingMode mode, int32_t window, int32_t stride, int32_t dilation, int32_t prePadding,
    int32_t postPadding, int32_t& effPre, int32_t& effPost)
{
    effPre = prePadding;
    effPost = postPadding;
    if (!isSameMode(mode))
        return;
    const int64_t total = std::max<int64_t>(dilatedWindow(window, dilation) - stride, 0);
    const int64_t small = total / 2;
    effPre = static_cast<int32_t>(mode == PaddingMode::kSAME_UPPER ? small : total - small);
    effPost = static_cast<int32_t>(total - effPre);
}

Status checkConvolutionLike(const ir::ShapeContext& ctx, int32_t nbOutputMaps, const Dims& kernelSize,
    const Dims& stride, const Dims& dilation, const Dims& prePadding, const Dims& postPadding, PaddingMode mode,
    int32_t nbGroups, const ir::WeightsRef& kernel, const ir::WeightsRef& bias, int32_t& channelAxis)
{
    if (ctx.input(1) || ctx.input(2))
        return ctx.error("kernel or bias weights given as tensors (inputs 1 and 2) are not supported; use "
                         "setKernelWeights/setBiasWeights");
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "padding mode", mode));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkWindowParams(ctx, "kernel", kernelSize, stride, dilation, prePadding, postPadding));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, kernelSize.nbDims + 1));
    if (nbOutputMaps <= 0)
        return ctx.error("the number of output maps " + std::to_string(nbOutputMaps) + " must be positive");
    if (nbGroups <= 0)
        return ctx.error("the number of groups " + std::to_string(nbGroups) + " must be positive");
    const Dims& in = ctx.input(0)->dims;
    channelAxis = in.nbDims - kernelSize.nbDims - 1;
    const int32_t channels = in.d[channelAxis];
    if (channels <= 0)
        return ctx.error("the channel extent of input " + toString(in) + " must be known and positive");
    if (channels % nbGroups != 0 || nbOutputMaps % nbGroups != 0)
        return ctx.error(std::to_string(nbGroups) + " groups do not divide " + std::to_string(channels)
            + " input channels and " + std::to_string(nbOutputMaps) + " output maps");
    int64_t expected = saturatingProduct(nbOutputMaps, channels / nbGroups);
    for (int32_t i = 0; i < kernelSize.nbDims; ++i)
        expected = saturatingProduct(expected, kernelSize.d[i]);
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "kernel", kernel, expected, false));
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "bias", bias, nbOutputMaps, true));
    return Status::ok();
}

int64_t saturatingProduct(int64_t a, int64_t b)
{
    if (a <= 0 || b <= 0)
        return 0;
    if (a > kSaturatedProduct / b)
        return kSaturatedProduct;
    return std::min(a * b, kSaturatedProduct);
}

} // namespace kiln::layers
