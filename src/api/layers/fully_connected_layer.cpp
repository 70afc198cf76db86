// IFullyConnectedLayer and INetworkDefinition::addFullyConnected. The weights stay the
// application's memory until the engine is built (as in TensorRT).
#include "api/layer_impl.h"
#include "layers/fully_connected.h"

namespace kiln::api
{

namespace
{

class FullyConnectedLayer final : public LayerImpl<nvinfer1::IFullyConnectedLayer, layers::FullyConnectedParams>
{
public:
    using LayerImpl::LayerImpl;

    void setNbOutputChannels(int32_t nbOutputs) noexcept override
    {
        params().nbOutputs = nbOutputs;
        changed();
    }
    int32_t getNbOutputChannels() const noexcept override { return params().nbOutputs; }
    void setKernelWeights(nvinfer1::Weights weights) noexcept override
    {
        params().kernel = ir::WeightsRef::fromApi(weights);
        changed();
    }
    nvinfer1::Weights getKernelWeights() const noexcept override { return params().kernel.toApi(); }
    void setBiasWeights(nvinfer1::Weights weights) noexcept override
    {
        params().bias = ir::WeightsRef::fromApi(weights);
        changed();
    }
    nvinfer1::Weights getBiasWeights() const noexcept override { return params().bias.toApi(); }
};

} // namespace

nvinfer1::IFullyConnectedLayer* NetworkImpl::addFullyConnected(nvinfer1::ITensor& input, int32_t nbOutputs,
    nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept
{
    ir::Tensor* in = unwrap(input, "addFullyConnected input");
    if (!in)
        return nullptr;
    if (nbOutputs <= 0)
        return fail("addFullyConnected: nbOutputs must be positive, not " + std::to_string(nbOutputs));
    auto params = std::make_unique<layers::FullyConnectedParams>();
    params->nbOutputs = nbOutputs;
    params->kernel = ir::WeightsRef::fromApi(kernelWeights);
    params->bias = ir::WeightsRef::fromApi(biasWeights);
    return addLayer<FullyConnectedLayer>(std::move(params), {in});
}

} // namespace kiln::api
