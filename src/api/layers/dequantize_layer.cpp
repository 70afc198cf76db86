// IDequantizeLayer and INetworkDefinition::addDequantize.
#include "api/layer_impl.h"
#include "layers/dequantize.h"

namespace kiln::api
{

namespace
{

class DequantizeLayer final : public LayerImpl<nvinfer1::IDequantizeLayer, layers::DequantizeParams>
{
public:
    using LayerImpl::LayerImpl;

    int32_t getAxis() const noexcept override { return params().axis; }
    void setAxis(int32_t axis) noexcept override
    {
        params().axis = axis;
        changed();
    }
    void setToType(nvinfer1::DataType toType) noexcept override
    {
        params().toType = toType;
        changed();
    }
    nvinfer1::DataType getToType() const noexcept override { return params().toType; }
};

} // namespace

nvinfer1::IDequantizeLayer* NetworkImpl::addDequantize(nvinfer1::ITensor& input, nvinfer1::ITensor& scale) noexcept
{
    ir::Tensor* in = unwrap(input, "addDequantize input");
    ir::Tensor* s = unwrap(scale, "addDequantize scale");
    if (!in || !s)
        return nullptr;
    return addLayer<DequantizeLayer>(std::make_unique<layers::DequantizeParams>(), {in, s});
}

} // namespace kiln::api
