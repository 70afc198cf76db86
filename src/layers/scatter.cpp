#include "layers/scatter.h"

#include "layers/checks.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

namespace
{

Status checkElementShapes(const ir::ShapeContext& ctx, int32_t axis, const nvinfer1::Dims& data,
    const nvinfer1::Dims& indices, const nvinfer1::Dims& updates)
{
    if (data.nbDims < 1 || indices.nbDims != data.nbDims)
        return ctx.error("kELEMENT mode needs indices " + toString(indices) + " of the same rank as data "
            + toString(data) + " (at least 1)");
    if (updates.nbDims != indices.nbDims)
        return ctx.error("updates " + toString(updates) + " must have the dims of indices " + toString(indices));
    int32_t a = 0;
    KILN_RETURN_IF_ERROR(normalizeAxis(ctx, axis, data.nbDims, a));
    for (int32_t i = 0; i < data.nbDims; ++i)
    {
        if (indices.d[i] >= 0 && updates.d[i] >= 0 && indices.d[i] != updates.d[i])
            return ctx.error("updates " + toString(updates) + " must have the dims of indices " + toString(indices));
        if (i != a && indices.d[i] >= 0 && data.d[i] >= 0 && indices.d[i] > data.d[i])
            return ctx.error("indices " + toString(indices) + " exceed data " + toString(data) + " on axis "
                + std::to_string(i) + " (only the scatter axis may be larger)");
    }
    return Status::ok();
}

Status checkNdShapes(const ir::ShapeContext& ctx, const nvinfer1::Dims& data, const nvinfer1::Dims& indices,
    const nvinfer1::Dims& updates)
{
    if (data.nbDims < 1 || indices.nbDims < 1)
        return ctx.error("kND mode needs data and indices of rank >= 1");
    const int32_t k = indices.d[indices.nbDims - 1];
    if (k < 1 || k > data.nbDims)
        return ctx.error("the last extent of indices " + toString(indices) + " must be known and in [1, "
            + std::to_string(data.nbDims) + "] for data " + toString(data));
    nvinfer1::Dims expected{};
    if (indices.nbDims - 1 + data.nbDims - k > nvinfer1::Dims::MAX_DIMS)
        return ctx.error("indices " + toString(indices) + " and data " + toString(data) + " need updates of rank > 8");
    for (int32_t i = 0; i < indices.nbDims - 1; ++i)
        expected.d[expected.nbDims++] = indices.d[i];
    for (int32_t i = k; i < data.nbDims; ++i)
        expected.d[expected.nbDims++] = data.d[i];
    bool match = updates.nbDims == expected.nbDims;
    for (int32_t i = 0; match && i < expected.nbDims; ++i)
        match = updates.d[i] < 0 || expected.d[i] < 0 || updates.d[i] == expected.d[i];
    if (!match)
        return ctx.error("updates " + toString(updates) + " must have dims " + toString(expected)
            + " (indices.dims[:-1] + data.dims[k:])");
    return Status::ok();
}

} // namespace

Status ScatterParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(
        checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT, nvinfer1::DataType::kINT32, nvinfer1::DataType::kBOOL}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {nvinfer1::DataType::kINT32}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 2, {ctx.input(0)->type}));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "scatter mode", mode));
    const nvinfer1::Dims& data = ctx.input(0)->dims;
    const nvinfer1::Dims& indices = ctx.input(1)->dims;
    const nvinfer1::Dims& updates = ctx.input(2)->dims;
    int64_t unused = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "data (input 0)", data, unused));
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "indices (input 1)", indices, unused));
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "updates (input 2)", updates, unused));
    if (mode == nvinfer1::ScatterMode::kELEMENT)
        KILN_RETURN_IF_ERROR(checkElementShapes(ctx, axis, data, indices, updates));
    else
        KILN_RETURN_IF_ERROR(checkNdShapes(ctx, data, indices, updates));
    ctx.output(0).type = ctx.input(0)->type;
    ctx.output(0).dims = data;
    return Status::ok();
}

Status ScatterParams::addBatchAxis()
{
    return invalidArgument("Scatter needs an explicit-batch network");
}

} // namespace kiln::layers
