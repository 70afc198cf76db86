#include "layers/constant.h"

#include "common/dtype.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

Status ConstantParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkRank(ctx, "dimensions", dims));
    for (int32_t i = 0; i < dims.nbDims; ++i)
        if (dims.d[i] < 0)
            return ctx.error("dimensions " + toString(dims) + " must be static and not negative");
    int64_t count = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "dimensions", dims, count));
    const nvinfer1::DataType t = weights.type;
    if (t != nvinfer1::DataType::kFLOAT && t != nvinfer1::DataType::kHALF && t != nvinfer1::DataType::kINT32)
        return ctx.error(std::string("weights have type ") + dataTypeName(t) + ", expected FLOAT, HALF or INT32");
    if (weights.count != count)
        return ctx.error("weights have " + std::to_string(weights.count) + " values, dimensions " + toString(dims)
            + " need " + std::to_string(count));
    if (count > 0 && !weights.values)
        return ctx.error("weights have no values");
    ir::TensorDesc& out = ctx.output(0);
    out.type = t == nvinfer1::DataType::kINT32 ? nvinfer1::DataType::kINT32 : nvinfer1::DataType::kFLOAT;
    out.dims = dims;
    if (t == nvinfer1::DataType::kINT32 && canCarryValues(dims))
    {
        const auto* v = static_cast<const int32_t*>(weights.values);
        out.values = std::vector<int32_t>(v, v + count);
    }
    return Status::ok();
}

Status ConstantParams::addBatchAxis()
{
    if (!isValidRank(dims) || dims.nbDims >= nvinfer1::Dims::MAX_DIMS)
        return invalidArgument("Constant dimensions " + toString(dims) + " leave no room for the batch axis");
    dims = prepend(dims, 1);
    return Status::ok();
}

} // namespace kiln::layers
