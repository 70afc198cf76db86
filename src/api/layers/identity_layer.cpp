// IIdentityLayer and INetworkDefinition::addIdentity. ILayer::setOutputType(0, type) on an
// identity layer also sets the conversion its kernel performs (IdentityParams::outputType).
#include "api/layer_impl.h"
#include "layers/identity.h"

namespace kiln::api
{

namespace
{

class IdentityLayer final : public LayerImpl<nvinfer1::IIdentityLayer, layers::IdentityParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOutputType(int32_t index, nvinfer1::DataType dataType) noexcept override
    {
        LayerImpl::setOutputType(index, dataType);
        if (index == 0 && outputTypeIsSet(0))
        {
            params().outputType = static_cast<int32_t>(getOutputType(0));
            changed();
        }
    }
    void resetOutputType(int32_t index) noexcept override
    {
        LayerImpl::resetOutputType(index);
        if (index == 0)
        {
            params().outputType = layers::IdentityParams::kSameType;
            changed();
        }
    }
};

} // namespace

nvinfer1::IIdentityLayer* NetworkImpl::addIdentity(nvinfer1::ITensor& input) noexcept
{
    ir::Tensor* in = unwrap(input, "addIdentity input");
    if (!in)
        return nullptr;
    return addLayer<IdentityLayer>(std::make_unique<layers::IdentityParams>(), {in});
}

} // namespace kiln::api
