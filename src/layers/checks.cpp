#include "layers/checks.h"

#include <cmath>

namespace kiln::layers
{

Status checkInputType(const ir::ShapeContext& ctx, int32_t index, std::initializer_list<nvinfer1::DataType> types)
{
    const ir::TensorDesc* in = ctx.input(index);
    if (!in)
        return ctx.error("input " + std::to_string(index) + " is missing");
    for (auto t : types)
        if (in->type == t)
            return Status::ok();
    std::string allowed;
    for (auto t : types)
        allowed += (allowed.empty() ? "" : " or ") + std::string(dataTypeName(t));
    return ctx.error("input " + std::to_string(index) + " has type " + dataTypeName(in->type) + ", expected " + allowed);
}

Status checkInputRank(const ir::ShapeContext& ctx, int32_t index, int32_t minRank, int32_t maxRank)
{
    const ir::TensorDesc* in = ctx.input(index);
    if (!in)
        return ctx.error("input " + std::to_string(index) + " is missing");
    const int32_t r = in->dims.nbDims;
    if (r < minRank || r > maxRank || r > nvinfer1::Dims::MAX_DIMS)
        return ctx.error("input " + std::to_string(index) + " has rank " + std::to_string(r) + ", expected "
            + (minRank == maxRank ? std::to_string(minRank) : std::to_string(minRank) + " to " + std::to_string(maxRank)));
    return Status::ok();
}

Status checkWeights(const ir::ShapeContext& ctx, const char* what, const ir::WeightsRef& w, int64_t expected, bool allowEmpty)
{
    if (w.empty() && allowEmpty)
        return Status::ok();
    if (w.type != nvinfer1::DataType::kFLOAT && w.type != nvinfer1::DataType::kHALF)
        return ctx.error(std::string(what) + " weights have type " + dataTypeName(w.type) + ", expected FLOAT or HALF");
    if (w.count < 0 || (w.count > 0 && !w.values))
        return ctx.error(std::string(what) + " weights have count " + std::to_string(w.count) + " and no values");
    if (expected >= 0 && w.count != expected)
        return ctx.error(std::string(what) + " weights have " + std::to_string(w.count) + " values, expected "
            + std::to_string(expected));
    return Status::ok();
}

Status normalizeAxis(const ir::ShapeContext& ctx, int32_t axis, int32_t rank, int32_t& out)
{
    const int32_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
        return ctx.error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    out = a;
    return Status::ok();
}

bool broadcastExtent(int32_t a, int32_t b, int32_t& out)
{
    if (a == b)
        out = a;
    else if (a == 1)
        out = b;
    else if (b == 1)
        out = a;
    else if (a < 0 || b < 0)
        out = a < 0 ? b : a; // unknown against known: the known extent (checked at run time)
    else
        return false;
    return true;
}

Status broadcastDims(const ir::ShapeContext& ctx, const nvinfer1::Dims& a, const nvinfer1::Dims& b, nvinfer1::Dims& out)
{
    if (a.nbDims != b.nbDims)
        return ctx.error("inputs have ranks " + std::to_string(a.nbDims) + " and " + std::to_string(b.nbDims)
            + "; broadcasting needs equal ranks");
    out = a;
    for (int32_t i = 0; i < a.nbDims; ++i)
        if (!broadcastExtent(a.d[i], b.d[i], out.d[i]))
            return ctx.error("dimensions " + toString(a) + " and " + toString(b) + " cannot be broadcast (axis "
                + std::to_string(i) + ")");
    return Status::ok();
}

Status windowOutput(const ir::ShapeContext& ctx, nvinfer1::PaddingMode mode, int32_t in, int32_t window,
    int32_t stride, int32_t dilation, int32_t prePad, int32_t postPad, int32_t& out, int32_t& effPre, int32_t& effPost)
{
    using nvinfer1::PaddingMode;
    if (window <= 0 || stride <= 0 || dilation <= 0)
        return ctx.error("window " + std::to_string(window) + ", stride " + std::to_string(stride) + " and dilation "
            + std::to_string(dilation) + " must be positive");
    if (prePad < 0 || postPad < 0)
        return ctx.error("padding must not be negative");
    const int64_t k = static_cast<int64_t>(dilation) * (window - 1) + 1;
    effPre = prePad;
    effPost = postPad;
    if (in < 0)
    {
        out = -1;
        return Status::ok();
    }
    int64_t o = 0;
    switch (mode)
    {
    case PaddingMode::kEXPLICIT_ROUND_DOWN:
    case PaddingMode::kCAFFE_ROUND_DOWN:
        o = (static_cast<int64_t>(in) + prePad + postPad - k) / stride + 1;
        if (static_cast<int64_t>(in) + prePad + postPad - k < 0)
            o = 0;
        break;
    case PaddingMode::kEXPLICIT_ROUND_UP:
    case PaddingMode::kCAFFE_ROUND_UP:
    {
        const int64_t span = static_cast<int64_t>(in) + prePad + postPad - k;
        o = span < 0 ? 0 : (span + stride - 1) / stride + 1;
        if (mode == PaddingMode::kCAFFE_ROUND_UP && o > 0 && (o - 1) * stride >= static_cast<int64_t>(in) + prePad)
            --o; // Caffe: the last window must start inside the image or the leading padding
        break;
    }
    case PaddingMode::kSAME_UPPER:
    case PaddingMode::kSAME_LOWER:
    {
        o = (static_cast<int64_t>(in) + stride - 1) / stride;
        const int64_t total = std::max<int64_t>((o - 1) * stride + k - in, 0);
        const int64_t small = total / 2;
        const int64_t large = total - small;
        effPre = static_cast<int32_t>(mode == PaddingMode::kSAME_UPPER ? small : large);
        effPost = static_cast<int32_t>(mode == PaddingMode::kSAME_UPPER ? large : small);
        break;
    }
    default: return ctx.error("invalid padding mode " + std::to_string(static_cast<int32_t>(mode)));
    }
    if (o <= 0)
        return ctx.error("input extent " + std::to_string(in) + " is smaller than the window (" + std::to_string(k)
            + " with dilation) plus padding");
    out = static_cast<int32_t>(o);
    return Status::ok();
}

} // namespace kiln::layers
