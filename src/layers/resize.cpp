#include "layers/resize.h"

#include "common/dims.h"
#include "layers/checks.h"
#include "layers/spatial_utils.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln::layers
{

Status ResizeParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "resize mode", resizeMode));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "coordinate transformation", coordinateTransformation));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "single-pixel selector", selector));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "nearest rounding", nearestRounding));
    if (!std::isfinite(cubicCoeff))
        return ctx.error("cubic coefficient " + std::to_string(cubicCoeff) + " must be finite");
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

    for (int32_t i = 0; i < in.nbDims; ++i)
        if (in.d[i] == 0 && out.d[i] > 0)
            return ctx.error("axis " + std::to_string(i) + " of input " + toString(in)
                + " is empty and cannot be resized to " + std::to_string(out.d[i]));
    if (const ir::TensorDesc* roi = ctx.input(2))
    {
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 2, {nvinfer1::DataType::kFLOAT}));
        int64_t n = 1; // element count, saturating; -1 when unknown
        for (int32_t i = 0; i < roi->dims.nbDims && i < nvinfer1::Dims::MAX_DIMS && n >= 0; ++i)
            n = roi->dims.d[i] < 0 ? -1 : saturatingProduct(n, roi->dims.d[i]);
        if (!isValidRank(roi->dims) || (n >= 0 && n != 2 * static_cast<int64_t>(count)))
            return ctx.error("the region of interest (input 2) has dims " + toString(roi->dims) + ", expected "
                + std::to_string(2 * count) + " values");
    }
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

ResizeAxis resizeAxis(const ResizeParams& p, const nvinfer1::Dims& in, const nvinfer1::Dims& out, int32_t axis,
    const float* roi, bool shapeInput)
{
    ResizeAxis a;
    a.in = in.d[axis];
    a.out = out.d[axis];
    const int32_t first = p.batchFromInput ? 1 : 0;
    if (axis < first)
    {
        a.identity = true;
        return a;
    }
    const auto k = static_cast<size_t>(axis - first);
    if (!shapeInput && p.shapeSource == ResizeShapeSource::kScales && k < p.scales.size())
        a.scale = p.scales[k];
    if (roi)
    {
        const auto count = static_cast<size_t>(in.nbDims - first);
        a.roiStart = roi[k];
        a.roiEnd = roi[count + k];
    }
    return a;
}

double resizeCoordinate(const ResizeParams& p, const ResizeAxis& axis, int64_t o)
{
    using T = nvinfer1::ResizeCoordinateTransformation;
    const auto in = static_cast<double>(axis.in);
    const auto out = static_cast<double>(axis.out);
    const auto x = static_cast<double>(o);
    if (p.selector == nvinfer1::ResizeSelector::kUPPER && axis.out == 1)
        return 0.0;
    // v / scale, rounded once when the scale is out / in.
    auto unscale = [&](double v) { return axis.scale > 0.0 ? v / axis.scale : v * in / out; };
    // ONNX's length_resized: the fractional scale·I when scales gave the output.
    const double length = axis.scale > 0.0 ? axis.scale * in : out;
    switch (p.transform())
    {
    case T::kALIGN_CORNERS: return length == 1.0 ? 0.0 : x * (in - 1.0) / (length - 1.0);
    case T::kASYMMETRIC: return unscale(x);
    case T::kHALF_PIXEL: return unscale(x + 0.5) - 0.5;
    case T::kHALF_PIXEL_SYMMETRIC:
    {
        const double offset = axis.scale > 0.0 ? in / 2.0 * (1.0 - out / length) : 0.0;
        return offset + unscale(x + 0.5) - 0.5;
    }
    case T::kTF_HALF_PIXEL_FOR_NN: return unscale(x + 0.5);
    case T::kTF_CROP_AND_RESIZE:
    {
        if (length == 1.0)
            return 0.5 * (axis.roiStart + axis.roiEnd) * (in - 1.0);
        // b·(I - 1) + o·(e - b)·(I - 1)/(L - 1), written to be exact at the ends of the region.
        return (axis.roiStart * (length - 1.0 - x) + axis.roiEnd * x) * (in - 1.0) / (length - 1.0);
    }
    }
    return 0.0;
}

namespace
{

//! The cubic convolution kernel with coefficient \p a at distance \p d.
double cubicWeight(double a, double d)
{
    d = std::fabs(d);
    if (d <= 1.0)
        return ((a + 2.0) * d - (a + 3.0)) * d * d + 1.0;
    if (d < 2.0)
        return ((a * d - 5.0 * a) * d + 8.0 * a) * d - 4.0 * a;
    return 0.0;
}

} // namespace

ResizeTaps resizeTaps(const ResizeParams& p, const ResizeAxis& axis, int64_t o)
{
    ResizeTaps taps;
    if (axis.identity)
    {
        taps.index[0] = o;
        taps.weight[0] = 1.0;
        taps.count = 1;
        return taps;
    }
    const auto last = static_cast<double>(axis.in - 1);
    double x = resizeCoordinate(p, axis, o);
    if (p.transform() == nvinfer1::ResizeCoordinateTransformation::kTF_CROP_AND_RESIZE && !(x >= 0.0 && x <= last))
    {
        taps.outside = true;
        return taps;
    }
    // Beyond 2 cells outside, every tap reads the edge anyway; this keeps the indices small (and NaN out).
    x = std::isnan(x) ? 0.0 : std::min(std::max(x, -3.0), last + 3.0);
    const double f = std::floor(x);
    const double t = x - f;
    const auto base = static_cast<int64_t>(f);
    int64_t index[4] = {base, base + 1, 0, 0};
    double weight[4] = {1.0, 0.0, 0.0, 0.0};
    int32_t n = 1;
    switch (p.resizeMode)
    {
    case nvinfer1::ResizeMode::kNEAREST:
    {
        bool up = false;
        switch (p.nearestRounding)
        {
        case nvinfer1::ResizeRoundMode::kHALF_UP: up = t >= 0.5; break;
        case nvinfer1::ResizeRoundMode::kHALF_DOWN: up = t > 0.5; break;
        case nvinfer1::ResizeRoundMode::kFLOOR: up = false; break;
        case nvinfer1::ResizeRoundMode::kCEIL: up = t > 0.0; break;
        }
        index[0] = up ? base + 1 : base;
        break;
    }
    case nvinfer1::ResizeMode::kLINEAR:
        weight[0] = 1.0 - t;
        weight[1] = t;
        n = 2;
        break;
    case nvinfer1::ResizeMode::kCUBIC:
        for (int32_t k = 0; k < 4; ++k)
        {
            index[k] = base - 1 + k;
            weight[k] = cubicWeight(p.cubicCoeff, x - static_cast<double>(index[k]));
        }
        n = 4;
        break;
    }
    if (p.resizeMode == nvinfer1::ResizeMode::kCUBIC && p.excludeOutside)
    {
        double sum = 0.0;
        for (int32_t k = 0; k < n; ++k)
            sum += index[k] < 0 || index[k] >= axis.in ? 0.0 : weight[k];
        if (sum != 0.0)
            for (int32_t k = 0; k < n; ++k)
                weight[k] = index[k] < 0 || index[k] >= axis.in ? 0.0 : weight[k] / sum;
    }
    for (int32_t k = 0; k < n; ++k)
    {
        if (weight[k] == 0.0)
            continue;
        taps.index[taps.count] = std::min(std::max<int64_t>(index[k], 0), axis.in - 1);
        taps.weight[taps.count] = weight[k];
        ++taps.count;
    }
    return taps;
}

} // namespace kiln::layers
