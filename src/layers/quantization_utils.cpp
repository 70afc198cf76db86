#include "layers/quantization_utils.h"

#include "layers/checks.h"

namespace kiln::layers
{

using nvinfer1::DataType;

namespace
{

//! True when every extent of \p d but the last is 1.
bool isVectorLike(const nvinfer1::Dims& d)
{
    for (int32_t i = 0; i + 1 < d.nbDims; ++i)
        if (d.d[i] != 1)
            return false;
    return true;
}

} // namespace

Status checkQuantizationOperands(const ir::ShapeContext& ctx, int32_t axis)
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {DataType::kFLOAT}));
    const nvinfer1::Dims& data = ctx.input(0)->dims;
    const nvinfer1::Dims& scale = ctx.input(1)->dims;
    if (!isValidRank(scale) || !isVectorLike(scale))
        return ctx.error("the scale (input 1) must be a scalar or a 1-D tensor, not " + toString(scale));
    const int32_t length = scale.nbDims == 0 ? 1 : scale.d[scale.nbDims - 1];
    if (length != 1)
    {
        int32_t a = 0;
        KILN_RETURN_IF_ERROR(normalizeAxis(ctx, axis, data.nbDims, a));
        if (length != data.d[a] && length != -1 && data.d[a] != -1)
            return ctx.error("the scale (input 1) has " + std::to_string(length) + " values but the input has "
                + std::to_string(data.d[a]) + " along axis " + std::to_string(axis));
    }
    if (const ir::TensorDesc* zeroPoint = ctx.input(2))
    {
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 2, {DataType::kINT8, DataType::kINT32, DataType::kFLOAT}));
        if (!sameDims(zeroPoint->dims, scale))
            return ctx.error("the zero point (input 2) has dimensions " + toString(zeroPoint->dims)
                + ", the scale " + toString(scale) + "; they must be equal");
    }
    return Status::ok();
}

QuantizationLayout quantizationLayout(const nvinfer1::Dims& data, const nvinfer1::Dims& scale, int32_t axis)
{
    QuantizationLayout layout;
    layout.channels = scale.nbDims == 0 ? 1 : scale.d[scale.nbDims - 1];
    if (layout.channels > 1)
    {
        const int32_t a = axis < 0 ? axis + data.nbDims : axis;
        layout.inner = volume(data, a + 1, data.nbDims);
    }
    return layout;
}

Status shiftQuantizationAxis(int32_t& axis)
{
    if (axis >= nvinfer1::Dims::MAX_DIMS)
        return invalidArgument("quantization axis " + std::to_string(axis) + " is out of range");
    if (axis >= 0)
        ++axis;
    return Status::ok();
}

} // namespace kiln::layers
