#include "uff_weights.h"

#include <cstring>

namespace kiln::uffparser
{

void* WeightsStore::allocate(size_t bytes)
{
    mBlocks.emplace_back(bytes > 0 ? bytes : 1);
    return mBlocks.back().data();
}

nvinfer1::Weights WeightsStore::floats(const std::vector<float>& values)
{
    const auto count = static_cast<int64_t>(values.size());
    if (values.empty())
        return empty();
    if (mFloatType == nvinfer1::DataType::kHALF)
    {
        auto* out = static_cast<uint16_t*>(allocate(values.size() * sizeof(uint16_t)));
        for (size_t k = 0; k < values.size(); ++k)
            out[k] = floatToHalf(values[k]);
        return nvinfer1::Weights{nvinfer1::DataType::kHALF, out, count};
    }
    auto* out = static_cast<float*>(allocate(values.size() * sizeof(float)));
    std::memcpy(out, values.data(), values.size() * sizeof(float));
    return nvinfer1::Weights{nvinfer1::DataType::kFLOAT, out, count};
}

nvinfer1::Weights WeightsStore::ints(const std::vector<int32_t>& values)
{
    auto* out = static_cast<int32_t*>(allocate(values.size() * sizeof(int32_t)));
    if (!values.empty())
        std::memcpy(out, values.data(), values.size() * sizeof(int32_t));
    return nvinfer1::Weights{
        nvinfer1::DataType::kINT32, values.empty() ? nullptr : out, static_cast<int64_t>(values.size())};
}

std::string uffTypeName(int64_t dtype)
{
    switch (static_cast<UffType>(dtype))
    {
    case UffType::kInvalid: return "DT_INVALID";
    case UffType::kInt8: return "DT_INT8";
    case UffType::kInt16: return "DT_INT16";
    case UffType::kInt32: return "DT_INT32";
    case UffType::kInt64: return "DT_INT64";
    case UffType::kFloat16: return "DT_FLOAT16";
    case UffType::kFloat32: return "DT_FLOAT32";
    }
    return "dtype " + std::to_string(dtype);
}

size_t uffTypeSize(int64_t dtype)
{
    switch (static_cast<UffType>(dtype))
    {
    case UffType::kInt8: return 1;
    case UffType::kInt16:
    case UffType::kFloat16: return 2;
    case UffType::kInt32:
    case UffType::kFloat32: return 4;
    case UffType::kInt64: return 8;
    case UffType::kInvalid: return 0;
    }
    return 0;
}

Status checkedVolume(const std::vector<int64_t>& shape, int64_t limit, int64_t& volume)
{
    volume = 1;
    for (int64_t extent : shape)
    {
        if (extent < 0)
            return Status::error("shape " + toString(shape) + " has a negative extent");
        if (extent > 0 && volume > limit / extent)
            return Status::error("shape " + toString(shape) + " has more than " + std::to_string(limit) + " elements");
        volume *= extent;
    }
    return Status::ok();
}

namespace
{

//! The little-endian unsigned value of \p size bytes at \p p.
uint64_t readLittleEndian(const unsigned char* p, size_t size)
{
    uint64_t v = 0;
    for (size_t b = 0; b < size; ++b)
        v |= static_cast<uint64_t>(p[b]) << (8 * b);
    return v;
}

} // namespace

Status decodeBlob(const std::string& bytes, int64_t dtype, const std::vector<int64_t>& shape, ConstTensor& out)
{
    const size_t size = uffTypeSize(dtype);
    if (size == 0)
        return Status::unsupported("values of type " + uffTypeName(dtype) + " are not supported");
    int64_t count = 0;
    // The blob must hold the values, so its size bounds the element count.
    KILN_UFF_RETURN_IF_ERROR(checkedVolume(shape, int64_t{1} << 40, count));
    if (static_cast<uint64_t>(bytes.size()) != static_cast<uint64_t>(count) * size)
        return Status::error("the values blob has " + std::to_string(bytes.size()) + " bytes; shape " + toString(shape)
            + " of " + uffTypeName(dtype) + " needs " + std::to_string(static_cast<uint64_t>(count) * size));
    out.shape = shape;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto n = static_cast<size_t>(count);
    const auto type = static_cast<UffType>(dtype);
    out.isInt = type != UffType::kFloat16 && type != UffType::kFloat32;
    if (out.isInt)
    {
        out.i.resize(n);
        for (size_t k = 0; k < n; ++k)
        {
            const uint64_t raw = readLittleEndian(p + k * size, size);
            // Sign-extend from the element width.
            const unsigned shift = static_cast<unsigned>(64 - 8 * size);
            out.i[k] = static_cast<int64_t>(raw << shift) >> shift;
        }
        return Status::ok();
    }
    out.f.resize(n);
    for (size_t k = 0; k < n; ++k)
    {
        const uint64_t raw = readLittleEndian(p + k * size, size);
        if (type == UffType::kFloat16)
            out.f[k] = halfToFloat(static_cast<uint16_t>(raw));
        else
        {
            const auto bits = static_cast<uint32_t>(raw);
            std::memcpy(&out.f[k], &bits, sizeof(float));
        }
    }
    return Status::ok();
}

} // namespace kiln::uffparser
