#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/identity.h"

#include <cmath>
#include <cstring>

namespace kiln::kernels::reference
{

namespace
{

double load(nvinfer1::DataType type, const void* data, int64_t i)
{
    switch (type)
    {
    case nvinfer1::DataType::kFLOAT: return static_cast<const float*>(data)[i];
    case nvinfer1::DataType::kHALF: return halfToFloat(static_cast<const uint16_t*>(data)[i]);
    case nvinfer1::DataType::kINT32: return static_cast<const int32_t*>(data)[i];
    case nvinfer1::DataType::kBOOL: return static_cast<const uint8_t*>(data)[i] ? 1.0 : 0.0;
    default: return 0.0;
    }
}

void store(nvinfer1::DataType type, void* data, int64_t i, double v)
{
    switch (type)
    {
    case nvinfer1::DataType::kFLOAT: static_cast<float*>(data)[i] = static_cast<float>(v); break;
    case nvinfer1::DataType::kHALF: static_cast<uint16_t*>(data)[i] = floatToHalf(static_cast<float>(v)); break;
    case nvinfer1::DataType::kINT32:
    {
        const double t = std::isnan(v) ? 0.0 : std::trunc(v);
        static_cast<int32_t*>(data)[i] = t >= 2147483647.0 ? INT32_MAX
            : t <= -2147483648.0                           ? INT32_MIN
                                                           : static_cast<int32_t>(t);
        break;
    }
    case nvinfer1::DataType::kBOOL: static_cast<uint8_t*>(data)[i] = v != 0.0 ? 1 : 0; break;
    default: break;
    }
}

} // namespace

Status runIdentity(const KernelArgs& args)
{
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& out = args.outputs[0];
    const int64_t n = out.elementCount();
    if (in.type == out.type)
    {
        if (n > 0 && in.data != out.data)
            std::memcpy(out.data, in.data, static_cast<size_t>(n) * elementSize(in.type));
        return Status::ok();
    }
    args.pool->parallelFor(n, 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            store(out.type, out.data, i, load(in.type, in.data, i));
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
