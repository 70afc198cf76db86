#include "weights.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;

float halfToFloat(uint16_t h)
{
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    const uint32_t mantissa = h & 0x3ffu;
    float magnitude;
    if (exponent == 0)
        magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    else if (exponent == 31)
        magnitude = mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
    else
        magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
    return sign ? -magnitude : magnitude;
}

float bfloat16ToFloat(uint16_t b)
{
    const uint32_t bits = static_cast<uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

int32_t clampToInt32(int64_t v, bool& clamped)
{
    if (v > std::numeric_limits<int32_t>::max())
    {
        clamped = true;
        return std::numeric_limits<int32_t>::max();
    }
    if (v < std::numeric_limits<int32_t>::min())
    {
        clamped = true;
        return std::numeric_limits<int32_t>::min();
    }
    return static_cast<int32_t>(v);
}

//! Bytes per element of the stored (raw) ONNX representation, 0 for types without one.
size_t rawElementSize(int32_t t)
{
    using TP = ::onnx::TensorProto;
    switch (t)
    {
    case TP::FLOAT: case TP::INT32: case TP::UINT32: return 4;
    case TP::UINT8: case TP::INT8: case TP::BOOL: return 1;
    case TP::UINT16: case TP::INT16: case TP::FLOAT16: case TP::BFLOAT16: return 2;
    case TP::INT64: case TP::UINT64: case TP::DOUBLE: return 8;
    default: return 0;
    }
}

//! Reads the external data of \p tensor into \p raw (checking the file and the size).
OnnxStatus readExternal(const ::onnx::TensorProto& tensor, const TensorSource& source, size_t expected, std::string& raw)
{
    std::string location;
    int64_t offset = 0;
    int64_t length = -1;
    for (const auto& entry : tensor.external_data())
    {
        if (entry.key() == "location")
            location = entry.value();
        else if (entry.key() == "offset" || entry.key() == "length")
        {
            char* end = nullptr;
            const long long v = std::strtoll(entry.value().c_str(), &end, 10);
            if (end == entry.value().c_str() || *end != '\0' || v < 0)
                return KILN_ONNX_ERROR(kINVALID_VALUE,
                    "initializer '" + tensor.name() + "': external data " + entry.key() + " '" + entry.value()
                        + "' is not a non-negative integer");
            (entry.key() == "offset" ? offset : length) = v;
        }
    }
    if (location.empty())
        return KILN_ONNX_ERROR(kINVALID_VALUE, "initializer '" + tensor.name() + "': external data has no location");
    if (location[0] == '/' || location.find("..") != std::string::npos)
        return KILN_ONNX_ERROR(kINVALID_VALUE,
            "initializer '" + tensor.name() + "': external data location '" + location
                + "' must be a path relative to the model's folder");
    const std::string path = source.modelDir.empty() ? location : source.modelDir + "/" + location;
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    if (!file)
        return KILN_ONNX_ERROR(kINVALID_VALUE,
            "initializer '" + tensor.name() + "': cannot open external data file '" + path + "'");
    const int64_t fileSize = static_cast<int64_t>(file.tellg());
    if (length < 0)
        length = fileSize - offset;
    if (offset > fileSize || length > fileSize - offset)
        return KILN_ONNX_ERROR(kINVALID_VALUE,
            "initializer '" + tensor.name() + "': external data [" + std::to_string(offset) + ", +"
                + std::to_string(length) + ") lies outside '" + path + "' (" + std::to_string(fileSize) + " bytes)");
    if (static_cast<size_t>(length) != expected)
        return KILN_ONNX_ERROR(kINVALID_VALUE,
            "initializer '" + tensor.name() + "': external data holds " + std::to_string(length) + " bytes, expected "
                + std::to_string(expected));
    raw.resize(expected);
    file.seekg(offset);
    if (expected && !file.read(&raw[0], static_cast<std::streamsize>(expected)))
        return KILN_ONNX_ERROR(kINVALID_VALUE, "initializer '" + tensor.name() + "': reading '" + path + "' failed");
    return OnnxStatus::ok();
}

} // namespace

void* WeightsArena::allocate(size_t bytes)
{
    mBlocks.emplace_back(new uint8_t[std::max<size_t>(bytes, 1)]());
    return mBlocks.back().get();
}

size_t elementSize(DataType type)
{
    switch (type)
    {
    case DataType::kFLOAT: case DataType::kINT32: return 4;
    case DataType::kHALF: return 2;
    case DataType::kINT8: case DataType::kBOOL: return 1;
    }
    return 4;
}

int64_t ShapedWeights::count() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

size_t ShapedWeights::bytes() const
{
    return static_cast<size_t>(count()) * elementSize(type);
}

double ShapedWeights::at(int64_t i) const
{
    switch (type)
    {
    case DataType::kINT32: return static_cast<const int32_t*>(data)[i];
    case DataType::kBOOL: return static_cast<const uint8_t*>(data)[i] ? 1.0 : 0.0;
    default: return static_cast<const float*>(data)[i];
    }
}

void ShapedWeights::set(int64_t i, double v)
{
    switch (type)
    {
    case DataType::kINT32:
    {
        bool clamped = false;
        static_cast<int32_t*>(data)[i] = clampToInt32(static_cast<int64_t>(v), clamped);
        break;
    }
    case DataType::kBOOL: static_cast<uint8_t*>(data)[i] = v != 0.0; break;
    default: static_cast<float*>(data)[i] = static_cast<float>(v); break;
    }
}

std::vector<int64_t> ShapedWeights::ints() const
{
    std::vector<int64_t> out(static_cast<size_t>(count()));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<int64_t>(at(static_cast<int64_t>(i)));
    return out;
}

std::vector<float> ShapedWeights::floats() const
{
    std::vector<float> out(static_cast<size_t>(count()));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<float>(at(static_cast<int64_t>(i)));
    return out;
}

nvinfer1::Weights ShapedWeights::trt() const
{
    return nvinfer1::Weights{type, data, count()};
}

ShapedWeights makeWeights(WeightsArena& arena, DataType type, std::vector<int64_t> shape)
{
    ShapedWeights w;
    w.type = type;
    w.shape = std::move(shape);
    w.data = arena.allocate(w.bytes());
    return w;
}

OnnxExpected<ShapedWeights> makeGeneratedWeights(WeightsArena& arena, DataType type, std::vector<int64_t> shape)
{
    int64_t n = 1;
    for (int64_t d : shape)
    {
        KILN_ONNX_CHECK(d >= 0, kINVALID_VALUE, "a constant would have a negative extent " + std::to_string(d));
        KILN_ONNX_CHECK(d == 0 || n <= kMaxGeneratedElements / d, kUNSUPPORTED_NODE,
            "a constant would have more than " + std::to_string(kMaxGeneratedElements) + " elements");
        n *= d;
    }
    return makeWeights(arena, type, std::move(shape));
}

ShapedWeights makeScalarWeights(WeightsArena& arena, DataType type, double value)
{
    ShapedWeights w = makeWeights(arena, type, {});
    w.set(0, value);
    return w;
}

ShapedWeights makeIntVector(WeightsArena& arena, const std::vector<int64_t>& values)
{
    ShapedWeights w = makeWeights(arena, DataType::kINT32, {static_cast<int64_t>(values.size())});
    for (size_t i = 0; i < values.size(); ++i)
        w.set(static_cast<int64_t>(i), static_cast<double>(values[i]));
    return w;
}

bool kilnTypeOf(int32_t t, DataType& type)
{
    using TP = ::onnx::TensorProto;
    switch (t)
    {
    case TP::FLOAT: case TP::DOUBLE: case TP::FLOAT16: case TP::BFLOAT16: type = DataType::kFLOAT; return true;
    case TP::INT8: case TP::UINT8: case TP::INT16: case TP::UINT16: case TP::INT32: case TP::INT64: case TP::UINT32:
    case TP::UINT64: type = DataType::kINT32; return true;
    case TP::BOOL: type = DataType::kBOOL; return true;
    default: return false;
    }
}

const char* onnxTypeName(int32_t t)
{
    static const char* const kNames[] = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
        "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16",
        "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4"};
    if (t >= 0 && t < static_cast<int32_t>(sizeof(kNames) / sizeof(kNames[0])))
        return kNames[t];
    return "UNKNOWN";
}

OnnxExpected<ShapedWeights> convertTensor(const ::onnx::TensorProto& tensor, WeightsArena& arena, const TensorSource& source)
{
    using TP = ::onnx::TensorProto;
    const std::string what = "tensor '" + tensor.name() + "'";
    const int32_t t = tensor.data_type();
    DataType type;
    if (!kilnTypeOf(t, type))
        return KILN_ONNX_ERROR(kUNSUPPORTED_NODE, what + " has element type " + onnxTypeName(t) + ", which Kiln does not support");
    KILN_ONNX_CHECK(tensor.dims_size() <= nvinfer1::Dims::MAX_DIMS, kUNSUPPORTED_NODE,
        what + " has rank " + std::to_string(tensor.dims_size()) + "; Kiln supports up to 8 dimensions");
    std::vector<int64_t> shape;
    int64_t count = 1;
    for (int64_t d : tensor.dims())
    {
        KILN_ONNX_CHECK(d >= 0 && d <= (int64_t{1} << 40), kINVALID_VALUE, what + " has an invalid dimension " + std::to_string(d));
        shape.push_back(d);
        count *= d;
        KILN_ONNX_CHECK(count <= (int64_t{1} << 40), kINVALID_VALUE, what + " is too large");
    }
    const size_t rawSize = rawElementSize(t);
    std::string external;
    const std::string* raw = nullptr;
    if (tensor.has_data_location() && tensor.data_location() == TP::EXTERNAL)
    {
        KILN_ONNX_RETURN_IF_ERROR(readExternal(tensor, source, static_cast<size_t>(count) * rawSize, external));
        raw = &external;
    }
    else if (tensor.has_raw_data())
    {
        raw = &tensor.raw_data();
        KILN_ONNX_CHECK(raw->size() == static_cast<size_t>(count) * rawSize, kINVALID_VALUE,
            what + " has " + std::to_string(raw->size()) + " bytes of raw data, expected "
                + std::to_string(static_cast<size_t>(count) * rawSize));
    }

    ShapedWeights w = makeWeights(arena, type, shape);
    w.onnxType = t;
    bool clamped = false;
    const auto store = [&](int64_t i, auto value) {
        if (type == DataType::kINT32)
            static_cast<int32_t*>(w.data)[i] = clampToInt32(static_cast<int64_t>(value), clamped);
        else if (type == DataType::kBOOL)
            static_cast<uint8_t*>(w.data)[i] = value != 0;
        else
            static_cast<float*>(w.data)[i] = static_cast<float>(value);
    };
    if (raw)
    {
        const char* p = raw->data();
        for (int64_t i = 0; i < count; ++i, p += rawSize)
        {
            switch (t)
            {
            case TP::FLOAT: { float v; std::memcpy(&v, p, 4); store(i, v); break; }
            case TP::DOUBLE: { double v; std::memcpy(&v, p, 8); store(i, v); break; }
            case TP::FLOAT16: { uint16_t v; std::memcpy(&v, p, 2); store(i, halfToFloat(v)); break; }
            case TP::BFLOAT16: { uint16_t v; std::memcpy(&v, p, 2); store(i, bfloat16ToFloat(v)); break; }
            case TP::INT8: store(i, static_cast<int8_t>(*p)); break;
            case TP::UINT8: case TP::BOOL: store(i, static_cast<uint8_t>(*p)); break;
            case TP::INT16: { int16_t v; std::memcpy(&v, p, 2); store(i, v); break; }
            case TP::UINT16: { uint16_t v; std::memcpy(&v, p, 2); store(i, v); break; }
            case TP::INT32: { int32_t v; std::memcpy(&v, p, 4); store(i, v); break; }
            case TP::UINT32: { uint32_t v; std::memcpy(&v, p, 4); store(i, v); break; }
            case TP::INT64: { int64_t v; std::memcpy(&v, p, 8); store(i, v); break; }
            case TP::UINT64:
            {
                uint64_t v;
                std::memcpy(&v, p, 8);
                store(i, static_cast<int64_t>(std::min<uint64_t>(v, std::numeric_limits<int64_t>::max())));
                break;
            }
            default: break;
            }
        }
    }
    else
    {
        // Typed fields: float_data, int32_data (also the small types and FLOAT16 bits), int64_data,
        // double_data, uint64_data (UINT32/UINT64).
        int64_t available = 0;
        switch (t)
        {
        case TP::FLOAT: available = tensor.float_data_size(); break;
        case TP::DOUBLE: available = tensor.double_data_size(); break;
        case TP::INT64: available = tensor.int64_data_size(); break;
        case TP::UINT32: case TP::UINT64: available = tensor.uint64_data_size(); break;
        default: available = tensor.int32_data_size(); break;
        }
        KILN_ONNX_CHECK(available == count, kINVALID_VALUE,
            what + " holds " + std::to_string(available) + " values, its shape needs " + std::to_string(count));
        for (int64_t i = 0; i < count; ++i)
        {
            const int k = static_cast<int>(i);
            switch (t)
            {
            case TP::FLOAT: store(i, tensor.float_data(k)); break;
            case TP::DOUBLE: store(i, tensor.double_data(k)); break;
            case TP::INT64: store(i, tensor.int64_data(k)); break;
            case TP::UINT32: case TP::UINT64:
                store(i, static_cast<int64_t>(std::min<uint64_t>(tensor.uint64_data(k), std::numeric_limits<int64_t>::max())));
                break;
            case TP::FLOAT16: store(i, halfToFloat(static_cast<uint16_t>(tensor.int32_data(k)))); break;
            case TP::BFLOAT16: store(i, bfloat16ToFloat(static_cast<uint16_t>(tensor.int32_data(k)))); break;
            default: store(i, tensor.int32_data(k)); break;
            }
        }
    }
    if (clamped && source.warnings)
        source.warnings->push_back(what + ": " + onnxTypeName(t) + " values outside the INT32 range were clamped");
    return w;
}

} // namespace kiln::onnx
