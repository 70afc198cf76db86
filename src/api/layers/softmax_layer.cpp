// ISoftMaxLayer and INetworkDefinition::addSoftMax.
#include "api/layer_impl.h"
#include "layers/softmax.h"

namespace kiln::api
{

namespace
{

class SoftMaxLayer final : public LayerImpl<nvinfer1::ISoftMaxLayer, layers::SoftMaxParams>
{
public:
    using LayerImpl::LayerImpl;

    void setAxes(uint32_t axes) noexcept override
    {
        params().axes = axes;
        changed();
    }
    uint32_t getAxes() const noexcept override { return params().axes; }
};

} // namespace

nvinfer1::ISoftMaxLayer* NetworkImpl::addSoftMax(nvinfer1::ITensor& input) noexcept
{
    ir::Tensor* in = unwrap(input, "addSoftMax input");
    if (!in)
        return nullptr;
    auto params = std::make_unique<layers::SoftMaxParams>();
    // The default axis depends on the rank the input has now; if it cannot be inferred (an
    // invalid layer before), axis 0, and the build reports the earlier error.
    const ir::TensorDesc* desc = describe(in);
    params->axes = layers::SoftMaxParams::defaultAxes(desc ? desc->dims.nbDims : 0);
    return addLayer<SoftMaxLayer>(std::move(params), {in});
}

} // namespace kiln::api
