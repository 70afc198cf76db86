#include "layers/normalization.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

#include <cmath>

namespace kiln::layers
{

using nvinfer1::DataType;

namespace
{

//! scale/bias (\p index) must have the input's rank with each extent equal to the input's or 1.
Status checkAffine(const ir::ShapeContext& ctx, int32_t index, const char* what, const nvinfer1::Dims& in)
{
    const nvinfer1::Dims& d = ctx.input(index)->dims;
    bool ok = d.nbDims == in.nbDims;
    for (int32_t i = 0; ok && i < d.nbDims; ++i)
        ok = d.d[i] == 1 || d.d[i] == in.d[i] || d.d[i] == -1 || in.d[i] == -1;
    if (!ok)
        return ctx.error(std::string(what) + " dimensions " + toString(d) + " do not broadcast to the input dimensions "
            + toString(in) + " (same rank, each extent equal or 1)");
    return Status::ok();
}

} // namespace

Status NormalizationParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 2, {DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 0));
    const nvinfer1::Dims& in = ctx.input(0)->dims;
    const int32_t rank = in.nbDims;
    if ((axes >> rank) != 0)
        return ctx.error("axes bitmask " + std::to_string(axes) + " names an axis beyond the input's rank "
            + std::to_string(rank));
    if (!std::isfinite(epsilon) || epsilon < 0.f)
        return ctx.error("epsilon must be finite and non-negative, not " + std::to_string(epsilon));
    if (computePrecision != DataType::kFLOAT)
        return ctx.error(std::string("compute precision ") + dataTypeName(computePrecision)
            + " is not supported (only FLOAT)");
    if (nbGroups < 1)
        return ctx.error("the number of groups must be at least 1, not " + std::to_string(nbGroups));
    if (nbGroups > 1)
    {
        if (channelAxis < 0 || channelAxis >= rank)
            return ctx.error("group normalization needs a channel axis " + std::to_string(channelAxis)
                + " within the input's rank " + std::to_string(rank));
        const int32_t channels = in.d[channelAxis];
        if (channels >= 0 && channels % nbGroups != 0)
            return ctx.error(std::to_string(channels) + " channels cannot be split into " + std::to_string(nbGroups)
                + " groups");
        const uint32_t trailing = ((1u << rank) - 1u) & ~((2u << channelAxis) - 1u);
        if (axes != trailing)
            return ctx.error("group normalization takes its statistics over every axis after the channel axis "
                + std::to_string(channelAxis) + ": the axes bitmask must be " + std::to_string(trailing) + ", not "
                + std::to_string(axes));
        const int64_t outer = volume(in, 0, channelAxis);
        const int64_t groupSize = volume(in, channelAxis, rank);
        if ((outer >= 0 && outer > INT32_MAX) || (groupSize >= 0 && groupSize / nbGroups > INT32_MAX))
            return ctx.error("the input " + toString(in) + " is too large for group normalization");
    }
    KILN_RETURN_IF_ERROR(checkAffine(ctx, 1, "scale", in));
    KILN_RETURN_IF_ERROR(checkAffine(ctx, 2, "bias", in));
    ir::TensorDesc& out = ctx.output(0);
    out.type = DataType::kFLOAT;
    out.dims = in;
    return Status::ok();
}

Status NormalizationParams::addBatchAxis()
{
    uint32_t shifted = axes;
    KILN_RETURN_IF_ERROR(shiftAxesMask(shifted, "normalization axes"));
    if (channelAxis < 0 || channelAxis >= nvinfer1::Dims::MAX_DIMS)
        return invalidArgument("normalization channel axis " + std::to_string(channelAxis) + " is out of range");
    axes = shifted;
    ++channelAxis;
    return Status::ok();
}

void NormalizationParams::statisticsView(const nvinfer1::Dims& dims, nvinfer1::Dims& view, uint32_t& viewAxes) const
{
    if (nbGroups <= 1)
    {
        view = dims;
        viewAxes = axes;
        return;
    }
    const int32_t channels = dims.d[channelAxis];
    view = makeDims({static_cast<int32_t>(volume(dims, 0, channelAxis)), nbGroups,
        static_cast<int32_t>(channels / nbGroups * volume(dims, channelAxis + 1, dims.nbDims))});
    viewAxes = 4u;
}

} // namespace kiln::layers
