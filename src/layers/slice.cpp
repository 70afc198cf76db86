#include "layers/slice.h"

#include "common/dtype.h"
#include "layers/checks.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

namespace
{

//! One of start/size/stride for every axis: from shape-tensor input \p index when present, else
//! from \p param. \p known is false when the shape tensor's values are not known yet.
Status sliceVector(ir::ShapeContext& ctx, const SliceParams& p, int32_t index, const char* what,
    const nvinfer1::Dims& param, int32_t rank, std::vector<int64_t>& out, bool& known)
{
    out.assign(static_cast<size_t>(rank), 0);
    known = true;
    if (ctx.input(index))
    {
        if (p.fullBatch)
            return ctx.error(std::string(what) + " from a shape tensor needs an explicit-batch network");
        int32_t length = 0;
        const std::vector<int32_t>* values = nullptr;
        KILN_RETURN_IF_ERROR(readShapeInput(ctx, index, what, length, values));
        if (length >= 0 && length != rank)
            return ctx.error(std::string(what) + " shape tensor (input " + std::to_string(index) + ") has "
                + std::to_string(length) + " values for an input of rank " + std::to_string(rank));
        known = values != nullptr;
        for (int32_t i = 0; known && i < rank; ++i)
            out[static_cast<size_t>(i)] = (*values)[static_cast<size_t>(i)];
        return Status::ok();
    }
    if (param.nbDims != rank)
        return ctx.error(std::string(what) + " " + (isValidRank(param) ? toString(param) : "of invalid rank")
            + " does not match the input rank " + std::to_string(rank));
    for (int32_t i = 0; i < rank; ++i)
        out[static_cast<size_t>(i)] = param.d[i];
    return Status::ok();
}

} // namespace

Status SliceParams::inferShapes(ir::ShapeContext& ctx) const
{
    const ir::TensorDesc* in = ctx.input(0);
    if (!in)
        return ctx.error("input 0 is missing");
    if (!isValidDataType(in->type))
        return ctx.error("input 0 has an invalid type");
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "slice mode", mode));
    int64_t inVolume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "input 0", in->dims, inVolume));
    const int32_t rank = in->dims.nbDims;
    if (fullBatch && rank < 1)
        return ctx.error("an implicit-batch slice needs the batch axis");

    const ir::TensorDesc* fill = ctx.input(4);
    if (fill)
    {
        if (mode != nvinfer1::SliceMode::kFILL)
            return ctx.error("a fill value (input 4) needs slice mode kFILL");
        if (fill->type != in->type)
            return ctx.error("the fill value (input 4) must have the type of input 0");
        int64_t fillVolume = 0;
        KILN_RETURN_IF_ERROR(checkedVolume(ctx, "the fill value (input 4)", fill->dims, fillVolume));
        if (fillVolume >= 0 && fillVolume != 1)
            return ctx.error("the fill value (input 4) has dims " + toString(fill->dims) + ", expected one element");
    }

    std::vector<int64_t> s0, sz, st;
    bool startKnown = true, sizeKnown = true, strideKnown = true;
    KILN_RETURN_IF_ERROR(sliceVector(ctx, *this, 1, "start", start, rank, s0, startKnown));
    KILN_RETURN_IF_ERROR(sliceVector(ctx, *this, 2, "size", size, rank, sz, sizeKnown));
    KILN_RETURN_IF_ERROR(sliceVector(ctx, *this, 3, "stride", stride, rank, st, strideKnown));
    if (fullBatch)
    {
        s0[0] = 0;
        st[0] = 1;
        sz[0] = in->dims.d[0];
    }

    nvinfer1::Dims out{};
    out.nbDims = rank;
    for (int32_t i = 0; i < rank; ++i)
    {
        const auto a = static_cast<size_t>(i);
        const bool batchAxis = fullBatch && i == 0;
        if (!sizeKnown && !batchAxis)
        {
            out.d[i] = -1;
            continue;
        }
        if (sz[a] < 0 && !batchAxis)
            return ctx.error("size " + std::to_string(sz[a]) + " on axis " + std::to_string(i) + " is negative");
        out.d[i] = static_cast<int32_t>(sz[a]);
        const int64_t extent = in->dims.d[i];
        if (batchAxis || !startKnown || !strideKnown || extent < 0 || sz[a] == 0)
            continue;
        if (mode == nvinfer1::SliceMode::kFILL)
            continue;
        if (mode != nvinfer1::SliceMode::kDEFAULT)
        {
            if (extent == 0)
                return ctx.error("axis " + std::to_string(i) + " has extent 0; there is nothing to read in slice mode "
                    + std::to_string(static_cast<int32_t>(mode)));
            continue;
        }
        const int64_t first = s0[a];
        const int64_t last = s0[a] + (sz[a] - 1) * st[a]; // |values| < 2^31 each: no overflow
        if (first < 0 || first >= extent || last < 0 || last >= extent)
            return ctx.error("on axis " + std::to_string(i) + ", start " + std::to_string(first) + ", size "
                + std::to_string(sz[a]) + " and stride " + std::to_string(st[a]) + " read outside the extent "
                + std::to_string(extent));
    }
    int64_t outVolume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "output", out, outVolume));
    ir::TensorDesc& desc = ctx.output(0);
    desc.type = in->type;
    desc.dims = out;
    const bool fillKnown = !fill || (fill->values && fill->values->size() == 1);
    if (in->type == nvinfer1::DataType::kINT32 && in->values && static_cast<int64_t>(in->values->size()) == inVolume
        && startKnown && strideKnown && fillKnown && canCarryValues(out) && canCarryValues(in->dims))
    {
        const int32_t fillValue = fill ? fill->values->front() : 0;
        int64_t inStrides[nvinfer1::Dims::MAX_DIMS];
        rowMajorStrides(in->dims, inStrides);
        std::vector<int32_t> values(static_cast<size_t>(outVolume));
        for (int64_t o = 0; o < outVolume; ++o)
        {
            int64_t coords[nvinfer1::Dims::MAX_DIMS];
            unravelIndex(o, out, coords);
            int64_t src = 0;
            for (int32_t i = 0; i < rank && src >= 0; ++i)
            {
                const int64_t c = sliceCoordinate(
                    mode, s0[static_cast<size_t>(i)], st[static_cast<size_t>(i)], coords[i], in->dims.d[i]);
                src = c < 0 ? -1 : src + c * inStrides[i];
            }
            values[static_cast<size_t>(o)] = src < 0 ? fillValue : (*in->values)[static_cast<size_t>(src)];
        }
        desc.values = std::move(values);
    }
    return Status::ok();
}

Status SliceParams::addBatchAxis()
{
    if (!isValidRank(start) || !isValidRank(size) || !isValidRank(stride) || start.nbDims >= nvinfer1::Dims::MAX_DIMS
        || size.nbDims >= nvinfer1::Dims::MAX_DIMS || stride.nbDims >= nvinfer1::Dims::MAX_DIMS)
        return invalidArgument("Slice start/size/stride leave no room for the batch axis");
    start = prepend(start, 0);
    size = prepend(size, 0);
    stride = prepend(stride, 1);
    fullBatch = true;
    return Status::ok();
}

SliceWindow sliceWindow(const SliceParams& params, int32_t rank, const int32_t* start, const int32_t* stride)
{
    SliceWindow w;
    for (int32_t i = 0; i < rank && i < nvinfer1::Dims::MAX_DIMS; ++i)
    {
        w.start[i] = start ? start[i] : params.start.d[i];
        w.stride[i] = stride ? stride[i] : params.stride.d[i];
    }
    if (params.fullBatch && rank > 0)
    {
        w.start[0] = 0;
        w.stride[0] = 1;
    }
    return w;
}

} // namespace kiln::layers
