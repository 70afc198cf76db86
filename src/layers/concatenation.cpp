#include "layers/concatenation.h"

#include "common/dtype.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

int32_t defaultConcatenationAxis(int32_t rank)
{
    return rank < 3 ? 0 : rank - 3;
}

Status ConcatenationParams::inferShapes(ir::ShapeContext& ctx) const
{
    const int32_t n = ctx.nbInputs();
    if (n < 1)
        return ctx.error("needs at least one input");
    for (int32_t i = 0; i < n; ++i)
        if (!ctx.input(i))
            return ctx.error("input " + std::to_string(i) + " is missing");
    const ir::TensorDesc& first = *ctx.input(0);
    if (first.type != nvinfer1::DataType::kFLOAT && first.type != nvinfer1::DataType::kINT32)
        return ctx.error(std::string("input 0 has type ") + dataTypeName(first.type) + ", expected FLOAT or INT32");
    KILN_RETURN_IF_ERROR(checkRank(ctx, "input 0", first.dims));
    const int32_t rank = first.dims.nbDims;
    if (axis < 0 || axis >= rank)
        return ctx.error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));

    nvinfer1::Dims out = first.dims;
    int64_t axisExtent = 0;
    bool axisUnknown = false;
    bool allValues = true;
    for (int32_t i = 0; i < n; ++i)
    {
        const ir::TensorDesc& in = *ctx.input(i);
        const std::string name = "input " + std::to_string(i);
        if (in.type != first.type)
            return ctx.error(
                name + " has type " + dataTypeName(in.type) + ", but input 0 has " + dataTypeName(first.type));
        int64_t volume = 0;
        KILN_RETURN_IF_ERROR(checkedVolume(ctx, name.c_str(), in.dims, volume));
        if (in.dims.nbDims != rank)
            return ctx.error(name + " has dimensions " + toString(in.dims) + ", input 0 has " + toString(first.dims)
                + "; ranks must be equal");
        for (int32_t a = 0; a < rank; ++a)
        {
            const int32_t e = in.dims.d[a];
            if (a == axis)
            {
                axisUnknown = axisUnknown || e < 0;
                axisExtent += e < 0 ? 0 : e;
            }
            else if (out.d[a] < 0)
                out.d[a] = e;
            else if (e >= 0 && e != out.d[a])
                return ctx.error(name + " has dimensions " + toString(in.dims) + ", which differ from "
                    + toString(first.dims) + " on axis " + std::to_string(a) + " (the concatenation axis is "
                    + std::to_string(axis) + ")");
        }
        if (axisExtent > INT32_MAX)
            return ctx.error("the concatenated axis is too long");
        allValues = allValues && in.values && static_cast<int64_t>(in.values->size()) == volume;
    }
    out.d[axis] = axisUnknown ? -1 : static_cast<int32_t>(axisExtent);
    int64_t outVolume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "output", out, outVolume));
    ir::TensorDesc& desc = ctx.output(0);
    desc.type = first.type;
    desc.dims = out;
    if (first.type == nvinfer1::DataType::kINT32 && allValues && canCarryValues(out))
    {
        const int64_t outer = volume(out, 0, axis);
        const int64_t inner = volume(out, axis + 1, rank);
        std::vector<int32_t> values;
        values.reserve(static_cast<size_t>(outVolume));
        for (int64_t o = 0; o < outer; ++o)
            for (int32_t i = 0; i < n; ++i)
            {
                const ir::TensorDesc& in = *ctx.input(i);
                const int64_t chunk = in.dims.d[axis] * inner;
                const auto begin = in.values->begin() + o * chunk;
                values.insert(values.end(), begin, begin + chunk);
            }
        desc.values = std::move(values);
    }
    return Status::ok();
}

Status ConcatenationParams::addBatchAxis()
{
    if (axis < 0 || axis >= nvinfer1::Dims::MAX_DIMS - 1)
        return invalidArgument("Concatenation axis " + std::to_string(axis) + " is out of range");
    ++axis;
    return Status::ok();
}

} // namespace kiln::layers
