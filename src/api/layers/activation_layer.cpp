// IActivationLayer and INetworkDefinition::addActivation.
#include "api/layer_impl.h"
#include "layers/activation.h"

namespace kiln::api
{

namespace
{

class ActivationLayer final : public LayerImpl<nvinfer1::IActivationLayer, layers::ActivationParams>
{
public:
    using LayerImpl::LayerImpl;

    void setActivationType(nvinfer1::ActivationType type) noexcept override
    {
        params().type = type;
        changed();
    }
    nvinfer1::ActivationType getActivationType() const noexcept override { return params().type; }
    void setAlpha(float alpha) noexcept override
    {
        params().alpha = alpha;
        changed();
    }
    void setBeta(float beta) noexcept override
    {
        params().beta = beta;
        changed();
    }
    float getAlpha() const noexcept override { return params().alpha; }
    float getBeta() const noexcept override { return params().beta; }
};

} // namespace

nvinfer1::IActivationLayer* NetworkImpl::addActivation(nvinfer1::ITensor& input, nvinfer1::ActivationType type) noexcept
{
    ir::Tensor* in = unwrap(input, "addActivation input");
    if (!in)
        return nullptr;
    auto params = std::make_unique<layers::ActivationParams>();
    params->type = type;
    // TensorRT's defaults for the parameterized activations.
    switch (type)
    {
    case nvinfer1::ActivationType::kLEAKY_RELU: params->alpha = 0.01f; break;
    case nvinfer1::ActivationType::kELU: params->alpha = 1.f; break;
    case nvinfer1::ActivationType::kSELU:
        params->alpha = 1.67326319217681884765625f;
        params->beta = 1.05070102214813232421875f;
        break;
    case nvinfer1::ActivationType::kSOFTPLUS: params->alpha = params->beta = 1.f; break;
    case nvinfer1::ActivationType::kHARD_SIGMOID:
        params->alpha = 0.2f;
        params->beta = 0.5f;
        break;
    case nvinfer1::ActivationType::kSCALED_TANH: params->alpha = params->beta = 1.f; break;
    case nvinfer1::ActivationType::kTHRESHOLDED_RELU: params->alpha = 1.f; break;
    default: break;
    }
    return addLayer<ActivationLayer>(std::move(params), {in});
}

} // namespace kiln::api
