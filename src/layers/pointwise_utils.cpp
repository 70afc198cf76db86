#include "layers/pointwise_utils.h"

#include "layers/checks.h"

#include <limits>

namespace kiln::layers
{

Status broadcastInputs(const ir::ShapeContext& ctx, std::initializer_list<int32_t> indices, nvinfer1::Dims& out)
{
    bool first = true;
    for (int32_t i : indices)
    {
        KILN_RETURN_IF_ERROR(checkInputRank(ctx, i, 0));
        const nvinfer1::Dims& d = ctx.input(i)->dims;
        if (first)
            out = d;
        else
            KILN_RETURN_IF_ERROR(broadcastDims(ctx, out, d, out));
        first = false;
    }
    return Status::ok();
}

Status checkAxesMask(const ir::ShapeContext& ctx, const char* what, uint32_t axes, int32_t rank, bool exactlyOne)
{
    const auto hex = [](uint32_t v) {
        static const char* digits = "0123456789abcdef";
        std::string s;
        do
        {
            s.insert(s.begin(), digits[v & 15u]);
            v >>= 4;
        } while (v);
        return "0x" + s;
    };
    if (axes == 0)
        return ctx.error(std::string(what) + " bitmask is empty");
    if (rank < 32 && (axes >> rank) != 0)
        return ctx.error(
            std::string(what) + " bitmask " + hex(axes) + " names axes beyond rank " + std::to_string(rank));
    if (exactlyOne && (axes & (axes - 1)) != 0)
        return ctx.error(std::string(what) + " bitmask " + hex(axes) + " must have exactly one bit set");
    return Status::ok();
}

int32_t lowestAxis(uint32_t axes)
{
    int32_t axis = 0;
    while (axis < 31 && ((axes >> axis) & 1u) == 0)
        ++axis;
    return axis;
}

Status shiftAxesMask(uint32_t& axes, const char* what)
{
    if (axes & 0x80000000u)
        return invalidArgument(std::string(what) + " bitmask names axis 31, which leaves no room for the batch axis");
    axes <<= 1;
    return Status::ok();
}

int64_t checkedVolume(const nvinfer1::Dims& dims, int32_t begin, int32_t end)
{
    int64_t v = 1;
    for (int32_t i = begin < 0 ? 0 : begin; i < end && i < dims.nbDims && i < nvinfer1::Dims::MAX_DIMS; ++i)
    {
        if (dims.d[i] < 0)
            return -1;
        if (__builtin_mul_overflow(v, static_cast<int64_t>(dims.d[i]), &v))
            return std::numeric_limits<int64_t>::max();
    }
    return v;
}

int64_t broadcastOffset(const nvinfer1::Dims& out, const nvinfer1::Dims& in, int64_t index)
{
    int64_t offset = 0;
    int64_t stride = 1;
    for (int32_t i = out.nbDims - 1; i >= 0; --i)
    {
        const int64_t coord = index % out.d[i];
        index /= out.d[i];
        if (in.d[i] != 1)
            offset += coord * stride;
        stride *= in.d[i];
    }
    return offset;
}

bool isSmallConcrete(const nvinfer1::Dims& dims)
{
    if (dims.nbDims < 0 || dims.nbDims > nvinfer1::Dims::MAX_DIMS)
        return false;
    const int64_t v = checkedVolume(dims, 0, dims.nbDims);
    return v >= 0 && v <= kMaxShapeValues;
}

const std::vector<int32_t>* knownInts(const ir::TensorDesc* desc)
{
    if (!desc || desc->type != nvinfer1::DataType::kINT32 || !desc->values || !isSmallConcrete(desc->dims))
        return nullptr;
    if (static_cast<int64_t>(desc->values->size()) != checkedVolume(desc->dims, 0, desc->dims.nbDims))
        return nullptr;
    return &*desc->values;
}

int32_t wrapAdd(int32_t a, int32_t b)
{
    return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

int32_t wrapSub(int32_t a, int32_t b)
{
    return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

int32_t wrapMul(int32_t a, int32_t b)
{
    return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

int32_t floorDivInt(int32_t a, int32_t b)
{
    if (b == 0)
        return 0;
    if (b == -1)
        return wrapSub(0, a);
    int32_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        --q;
    return q;
}

int32_t powInt(int32_t a, int32_t b)
{
    if (b < 0)
    {
        if (a == 1)
            return 1;
        if (a == -1)
            return (b & 1) ? -1 : 1;
        return 0;
    }
    uint32_t result = 1;
    uint32_t base = static_cast<uint32_t>(a);
    for (uint32_t e = static_cast<uint32_t>(b); e != 0; e >>= 1)
    {
        if (e & 1u)
            result *= base;
        base *= base;
    }
    return static_cast<int32_t>(result);
}

} // namespace kiln::layers
