// IQuantizeLayer, IDequantizeLayer and INetworkDefinition::addQuantize/addDequantize.
#include "api/layers/quantization_layer.h"
#include "layers/dequantize.h"
#include "layers/quantize.h"

namespace kiln::api
{

nvinfer1::IQuantizeLayer* NetworkImpl::addQuantize(nvinfer1::ITensor& input, nvinfer1::ITensor& scale) noexcept
{
    ir::Tensor* in = unwrap(input, "addQuantize input");
    ir::Tensor* s = unwrap(scale, "addQuantize scale");
    if (!in || !s)
        return nullptr;
    return addLayer<QuantizationLayer<nvinfer1::IQuantizeLayer, layers::QuantizeParams>>(
        std::make_unique<layers::QuantizeParams>(), {in, s});
}

nvinfer1::IDequantizeLayer* NetworkImpl::addDequantize(nvinfer1::ITensor& input, nvinfer1::ITensor& scale) noexcept
{
    ir::Tensor* in = unwrap(input, "addDequantize input");
    ir::Tensor* s = unwrap(scale, "addDequantize scale");
    if (!in || !s)
        return nullptr;
    return addLayer<QuantizationLayer<nvinfer1::IDequantizeLayer, layers::DequantizeParams>>(
        std::make_unique<layers::DequantizeParams>(), {in, s});
}

} // namespace kiln::api
