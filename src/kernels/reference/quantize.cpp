#include "kernels/kernel.h"
#include "layers/quantization_utils.h"
#include "layers/quantize.h"

#include <cmath>
#include <limits>

namespace kiln::kernels::reference
{

namespace
{

double zeroPointAt(const TensorBuffer& zp, int64_t i)
{
    if (!zp.data)
        return 0.0;
    switch (zp.type)
    {
    case nvinfer1::DataType::kINT8: return zp.as<const int8_t>()[i];
    case nvinfer1::DataType::kINT32: return zp.as<const int32_t>()[i];
    default: return zp.as<const float>()[i];
    }
}

template <typename T>
T saturate(double v)
{
    if (std::isnan(v))
        return 0;
    const double lo = std::numeric_limits<T>::min();
    const double hi = std::numeric_limits<T>::max();
    return static_cast<T>(v < lo ? lo : v > hi ? hi : v);
}

} // namespace

Status runQuantize(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::QuantizeParams>();
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& scaleBuf = args.inputs[1];
    const TensorBuffer zp = args.inputs.size() > 2 ? args.inputs[2] : TensorBuffer{};
    const TensorBuffer& out = args.outputs[0];
    const float* x = in.as<const float>();
    const float* scale = scaleBuf.as<const float>();
    const layers::QuantizationLayout layout = layers::quantizationLayout(in.dims, scaleBuf.dims, p.axis);
    args.pool->parallelFor(in.elementCount(), 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
        {
            const int64_t c = layout.channels > 1 ? (i / layout.inner) % layout.channels : 0;
            // The default rounding mode rounds halves to even.
            const double q = static_cast<double>(std::nearbyint(x[i] / scale[c])) + zeroPointAt(zp, c);
            if (out.type == nvinfer1::DataType::kINT8)
                out.as<int8_t>()[i] = saturate<int8_t>(q);
            else
                out.as<int32_t>()[i] = saturate<int32_t>(q);
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
