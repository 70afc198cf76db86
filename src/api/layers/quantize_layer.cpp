// IQuantizeLayer and INetworkDefinition::addQuantize.
#include "api/layer_impl.h"
#include "layers/quantize.h"

namespace kiln::api
{

namespace
{

class QuantizeLayer final : public LayerImpl<nvinfer1::IQuantizeLayer, layers::QuantizeParams>
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

nvinfer1::IQuantizeLayer* NetworkImpl::addQuantize(nvinfer1::ITensor& input, nvinfer1::ITensor& scale) noexcept
{
    ir::Tensor* in = unwrap(input, "addQuantize input");
    ir::Tensor* s = unwrap(scale, "addQuantize scale");
    if (!in || !s)
        return nullptr;
    return addLayer<QuantizeLayer>(std::make_unique<layers::QuantizeParams>(), {in, s});
}

} // namespace kiln::api
