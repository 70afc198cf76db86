#include "layers/resize.h"

#include "common/dims.h"
#include "layers/checks.h"
#include "layers/spatial_utils.h"

#include <cmath>
#include <limits>

namespace kiln::layers
{

namespace
{

constexpr int32_t kLinearAxes = 3;

} // namespace

Status ResizeParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "resize mode", resizeMode));
    const auto source = static_cast<int32_t>(shapeSource);
    if (source < 0 || source > static_cast<int32_t>(ResizeShapeSource::kScales))
        return ctx.error("invalid output shape source " + std::to_string(source));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, batchFromInput ? 2 : 1));
    const nvinfer1::Dims& in = ctx.input(0)->dims;
    const int32_t first = batchFromInput ? 1 : 0;
    const int32_t count = in.nbDims - first; // extents the dims, scales or shape values give
    nvinfer1::Dims out = in;

    if (const ir::TensorDesc* shape = ctx.input(1))
    {
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {nvinfer1::DataType::kINT32}));
        int64_t n = 1; // element count, saturating; -1 when unknown
        for (int32_t i = 0; i < shape->dims.nbDims && i < nvinfer1::Dims::MAX_DIMS && n >= 0; ++i)
            n = shape->dims.d[i] < 0 ? -1 : saturatingProduct(n, shape->dims.d[i]);
        if (!isValidRank(shape->dims) || (n >= 0 && n != count))
            return ctx.error("the output shape tensor (input 1) has dims " + toString(shape->dims) + ", expected "
                + std::to_string(count) + " values");
        for (int32_t i = 0; i < count; ++i)
            out.d[first + i] = -1;
        if (shape->values)
        {
            if (static_cast<int64_t>(shape->values->size()) != count)
                return ctx.error("the output shape tensor (input 1) holds " + std::to_string(shape->values->size())
                    + " values, expected " + std::to_string(count));
            for (int32_t i = 0; i < count; ++i)
            {
                const int32_t v = (*shape->values)[static_cast<size_t>(i)];
                if (v <= 0)
                    return ctx.error("the output shape tensor (input 1) holds extent " + std::to_string(v));
                out.d[first + i] = v;
            }
        }
    }
    else if (shapeSource == ResizeShapeSource::kOutputDims)
    {
        if (outputDims.nbDims != count)
            return ctx.error("output dimensions " + toString(outputDims) + " must have rank " + std::to_string(count)
                + " to match input " + toString(in));
        for (int32_t i = 0; i < count; ++i)
        {
            if (outputDims.d[i] <= 0)
                return ctx.error("output dimensions " + toString(outputDims) + " must be positive");
            out.d[first + i] = outputDims.d[i];
        }
    }
    else if (shapeSource == ResizeShapeSource::kScales)
    {
        if (static_cast<int64_t>(scales.size()) != count)
            return ctx.error(std::to_string(scales.size()) + " scales given for input " + toString(in) + ", expected "
                + std::to_string(count));
        for (int32_t i = 0; i < count; ++i)
        {
            const float s = scales[static_cast<size_t>(i)];
            if (!(s > 0.f) || !std::isfinite(s))
                return ctx.error("scale " + std::to_string(s) + " must be positive and finite");
            const int32_t extent = in.d[first + i];
            if (extent < 0)
                continue;
            const double o = std::floor(static_cast<double>(extent) * s);
            if (o < 1 || o > std::numeric_limits<int32_t>::max())
                return ctx.error("scale " + std::to_string(s) + " gives output extent " + std::to_string(o)
                    + " on axis " + std::to_string(first + i));
            out.d[first + i] = static_cast<int32_t>(o);
        }
    }
    else
        return ctx.error("neither output dimensions, scales nor an output shape tensor (input 1) were given");

    if (resizeMode == nvinfer1::ResizeMode::kLINEAR)
        for (int32_t i = 0; i < in.nbDims - kLinearAxes; ++i)
            if (in.d[i] >= 0 && out.d[i] >= 0 && in.d[i] != out.d[i])
                return ctx.error("linear resize of " + toString(in) + " to " + toString(out)
                    + " changes an axis other than the 3 innermost");
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = out;
    return Status::ok();
}

Status ResizeParams::addBatchAxis()
{
    if (batchFromInput)
        return invalidState("Resize: the batch axis was already added");
    batchFromInput = true;
    return Status::ok();
}

} // namespace kiln::layers
