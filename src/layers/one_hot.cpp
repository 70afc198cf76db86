#include "layers/one_hot.h"

#include "layers/checks.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

Status OneHotParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kINT32}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {nvinfer1::DataType::kFLOAT, nvinfer1::DataType::kINT32}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 2, {nvinfer1::DataType::kINT32}));
    const ir::TensorDesc& indices = *ctx.input(0);
    const ir::TensorDesc& values = *ctx.input(1);
    const ir::TensorDesc& depth = *ctx.input(2);
    int64_t count = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "indices (input 0)", indices.dims, count));
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "values (input 1)", values.dims, count));
    if (count != 2 && count != -1)
        return ctx.error("values (input 1) " + toString(values.dims) + " must hold 2 elements [off, on]");
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "depth (input 2)", depth.dims, count));
    if (count != 1 && count != -1)
        return ctx.error("depth (input 2) " + toString(depth.dims) + " must hold 1 element");
    const int32_t rank = indices.dims.nbDims;
    if (rank + 1 > nvinfer1::Dims::MAX_DIMS)
        return ctx.error("indices " + toString(indices.dims) + " leave no room for the one-hot axis");
    if (axis < -(rank + 1) || axis > rank)
        return ctx.error("axis " + std::to_string(axis) + " is out of range [" + std::to_string(-(rank + 1)) + ", "
            + std::to_string(rank) + "] for indices of rank " + std::to_string(rank));
    if (!depth.values || depth.values->size() != 1)
        return ctx.error("depth (input 2) must be a shape tensor whose value is known at build time");
    const int32_t d = depth.values->front();
    if (d < 1)
        return ctx.error("depth is " + std::to_string(d) + "; it must be at least 1");

    const int32_t a = axis < 0 ? axis + rank + 1 : axis;
    nvinfer1::Dims out{};
    out.nbDims = rank + 1;
    for (int32_t i = 0, j = 0; i < out.nbDims; ++i)
        out.d[i] = i == a ? d : indices.dims.d[j++];
    int64_t outVolume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "output", out, outVolume));
    ctx.output(0).type = values.type;
    ctx.output(0).dims = out;
    return Status::ok();
}

Status OneHotParams::addBatchAxis()
{
    if (axis < -nvinfer1::Dims::MAX_DIMS || axis >= nvinfer1::Dims::MAX_DIMS)
        return invalidArgument("OneHot axis " + std::to_string(axis) + " is out of range");
    if (axis >= 0)
        ++axis;
    return Status::ok();
}

} // namespace kiln::layers
