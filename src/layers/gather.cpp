#include "layers/gather.h"

#include "common/dtype.h"
#include "layers/checks.h"
#include "layers/movement_utils.h"

#include <algorithm>

namespace kiln::layers
{

Status GatherParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(
        checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT, nvinfer1::DataType::kINT32, nvinfer1::DataType::kBOOL}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {nvinfer1::DataType::kINT32}));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "gather mode", mode));
    int64_t unused = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "data (input 0)", ctx.input(0)->dims, unused));
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "indices (input 1)", ctx.input(1)->dims, unused));
    switch (mode)
    {
    case nvinfer1::GatherMode::kDEFAULT: return inferDefault(ctx);
    case nvinfer1::GatherMode::kELEMENT: return inferElement(ctx);
    case nvinfer1::GatherMode::kND: return inferNd(ctx);
    }
    return ctx.error("invalid gather mode");
}

Status GatherParams::inferDefault(ir::ShapeContext& ctx) const
{
    const ir::TensorDesc& data = *ctx.input(0);
    const ir::TensorDesc& indices = *ctx.input(1);
    const int64_t dataVolume = volume(data.dims); // checked by inferShapes
    const int64_t indicesVolume = volume(indices.dims);
    if (nbElementWiseDims != 0 && nbElementWiseDims != 1)
        return ctx.error("nbElementWiseDims is " + std::to_string(nbElementWiseDims) + "; it must be 0 or 1");
    const int32_t e = nbElementWiseDims;
    if (axis < e || axis >= data.dims.nbDims)
        return ctx.error("axis " + std::to_string(axis) + " is out of range for data of rank "
            + std::to_string(data.dims.nbDims) + (e ? " with an element-wise leading dimension" : ""));
    if (indices.dims.nbDims < e)
        return ctx.error("indices need a leading element-wise dimension");
    const int32_t rank = data.dims.nbDims - 1 + indices.dims.nbDims - e;
    if (rank > nvinfer1::Dims::MAX_DIMS)
        return ctx.error("the output would have rank " + std::to_string(rank));

    nvinfer1::Dims out{};
    if (e == 1 && !broadcastExtent(data.dims.d[0], indices.dims.d[0], out.d[out.nbDims++]))
        return ctx.error("data " + toString(data.dims) + " and indices " + toString(indices.dims)
            + " differ on the element-wise leading dimension");
    for (int32_t i = e; i < axis; ++i)
        out.d[out.nbDims++] = data.dims.d[i];
    for (int32_t i = e; i < indices.dims.nbDims; ++i)
        out.d[out.nbDims++] = indices.dims.d[i];
    for (int32_t i = axis + 1; i < data.dims.nbDims; ++i)
        out.d[out.nbDims++] = data.dims.d[i];
    int64_t outVolume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "output", out, outVolume));

    ir::TensorDesc& desc = ctx.output(0);
    desc.type = data.type;
    desc.dims = out;
    if (data.type == nvinfer1::DataType::kINT32 && data.values && indices.values && canCarryValues(out)
        && static_cast<int64_t>(data.values->size()) == dataVolume
        && static_cast<int64_t>(indices.values->size()) == indicesVolume)
    {
        const GatherLoops l = gatherLoops(*this, data.dims, indices.dims, out);
        std::vector<int32_t> values(static_cast<size_t>(outVolume), 0);
        for (int64_t row = 0; row < l.lead * l.outer * l.count; ++row)
        {
            const int64_t j = row % l.count;
            const int64_t o = row / l.count % l.outer;
            const int64_t lead = row / l.count / l.outer;
            const int32_t raw = (*indices.values)[static_cast<size_t>((l.indicesLeadBroadcast ? 0 : lead) * l.count + j)];
            const int64_t index = resolveGatherIndex(raw, l.extent);
            if (index < 0)
                return ctx.error(indexOutOfRange(raw, l.extent, axis).message());
            const int64_t src = (((l.dataLeadBroadcast ? 0 : lead) * l.outer + o) * l.extent + index) * l.inner;
            for (int64_t k = 0; k < l.inner; ++k)
                values[static_cast<size_t>(row * l.inner + k)] = (*data.values)[static_cast<size_t>(src + k)];
        }
        desc.values = std::move(values);
    }
    return Status::ok();
}

Status GatherParams::inferElement(ir::ShapeContext& ctx) const
{
    const nvinfer1::Dims& data = ctx.input(0)->dims;
    const nvinfer1::Dims& indices = ctx.input(1)->dims;
    if (nbElementWiseDims != 0)
        return ctx.error("nbElementWiseDims is " + std::to_string(nbElementWiseDims) + "; it must be 0 in kELEMENT mode");
    if (data.nbDims < 1 || indices.nbDims != data.nbDims)
        return ctx.error("kELEMENT mode needs indices " + toString(indices) + " of the same rank as data "
            + toString(data) + " (at least 1)");
    if (axis < 0 || axis >= data.nbDims)
        return ctx.error("axis " + std::to_string(axis) + " is out of range for data of rank " + std::to_string(data.nbDims));
    for (int32_t i = 0; i < data.nbDims; ++i)
        if (i != axis && indices.d[i] >= 0 && data.d[i] >= 0 && indices.d[i] > data.d[i])
            return ctx.error("indices " + toString(indices) + " exceed data " + toString(data) + " on axis "
                + std::to_string(i) + " (only the gather axis may be larger)");
    ctx.output(0).type = ctx.input(0)->type;
    ctx.output(0).dims = indices;
    return Status::ok();
}

Status GatherParams::inferNd(ir::ShapeContext& ctx) const
{
    const nvinfer1::Dims& data = ctx.input(0)->dims;
    const nvinfer1::Dims& indices = ctx.input(1)->dims;
    const int32_t b = nbElementWiseDims;
    if (data.nbDims < 1 || indices.nbDims < 1)
        return ctx.error("kND mode needs data and indices of rank >= 1");
    if (b < 0 || b >= std::min(data.nbDims, indices.nbDims))
        return ctx.error("nbElementWiseDims is " + std::to_string(b) + "; kND mode needs it in [0, "
            + std::to_string(std::min(data.nbDims, indices.nbDims)) + ") for data " + toString(data) + " and indices "
            + toString(indices));
    const int32_t k = indices.d[indices.nbDims - 1];
    if (k < 1 || k > data.nbDims - b)
        return ctx.error("the last extent of indices " + toString(indices) + " must be known and in [1, "
            + std::to_string(data.nbDims - b) + "] for data " + toString(data));
    nvinfer1::Dims out{};
    for (int32_t i = 0; i < indices.nbDims - 1; ++i)
    {
        if (i < b && data.d[i] >= 0 && indices.d[i] >= 0 && data.d[i] != indices.d[i])
            return ctx.error("data " + toString(data) + " and indices " + toString(indices)
                + " differ on element-wise axis " + std::to_string(i));
        out.d[out.nbDims++] = i < b && indices.d[i] < 0 ? data.d[i] : indices.d[i];
    }
    if (out.nbDims + data.nbDims - b - k > nvinfer1::Dims::MAX_DIMS)
        return ctx.error("the output would have rank " + std::to_string(out.nbDims + data.nbDims - b - k));
    for (int32_t i = b + k; i < data.nbDims; ++i)
        out.d[out.nbDims++] = data.d[i];
    int64_t outVolume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "output", out, outVolume));
    ctx.output(0).type = ctx.input(0)->type;
    ctx.output(0).dims = out;
    return Status::ok();
}

Status GatherParams::addBatchAxis()
{
    if (mode != nvinfer1::GatherMode::kDEFAULT)
        return invalidArgument("Gather: modes kELEMENT and kND need an explicit-batch network");
    if (nbElementWiseDims != 0)
        return invalidArgument("Gather: nbElementWiseDims must be 0 in an implicit-batch network");
    if (axis < 0 || axis >= nvinfer1::Dims::MAX_DIMS - 1)
        return invalidArgument("Gather axis " + std::to_string(axis) + " is out of range");
    ++axis;
    nbElementWiseDims = 1;
    return Status::ok();
}

GatherLoops gatherLoops(
    const GatherParams& params, const nvinfer1::Dims& data, const nvinfer1::Dims& indices, const nvinfer1::Dims& out)
{
    GatherLoops l;
    const int32_t e = params.nbElementWiseDims;
    if (e == 1)
    {
        l.lead = out.d[0];
        l.dataLeadBroadcast = data.d[0] == 1;
        l.indicesLeadBroadcast = indices.d[0] == 1;
    }
    l.outer = volume(data, e, params.axis);
    l.extent = data.d[params.axis];
    l.count = volume(indices, e, indices.nbDims);
    l.inner = volume(data, params.axis + 1, data.nbDims);
    return l;
}

} // namespace kiln::layers
