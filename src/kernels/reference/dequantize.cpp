#include "kernels/kernel.h"
#include "layers/dequantize.h"
#include "layers/quantization_utils.h"

namespace kiln::kernels::reference
{

namespace
{

double valueAt(const TensorBuffer& b, int64_t i)
{
    switch (b.type)
    {
    case nvinfer1::DataType::kINT8: return b.as<const int8_t>()[i];
    case nvinfer1::DataType::kINT32: return b.as<const int32_t>()[i];
    default: return b.as<const float>()[i];
    }
}

} // namespace

Status runDequantize(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::DequantizeParams>();
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& scaleBuf = args.inputs[1];
    const TensorBuffer zp = args.inputs.size() > 2 ? args.inputs[2] : TensorBuffer{};
    const float* scale = scaleBuf.as<const float>();
    float* y = args.outputs[0].as<float>();
    const layers::QuantizationLayout layout = layers::quantizationLayout(in.dims, scaleBuf.dims, p.axis);
    args.pool->parallelFor(in.elementCount(), 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
        {
            const int64_t c = layout.channels > 1 ? (i / layout.inner) % layout.channels : 0;
            const double zeroPoint = zp.data ? valueAt(zp, c) : 0.0;
            y[i] = static_cast<float>(valueAt(in, i) - zeroPoint) * scale[c];
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
