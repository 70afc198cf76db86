// INormalizationLayer and INetworkDefinition::addNormalization.
#include "api/layer_impl.h"
#include "layers/normalization.h"

namespace kiln::api
{

namespace
{

class NormalizationLayer final : public LayerImpl<nvinfer1::INormalizationLayer, layers::NormalizationParams>
{
public:
    using LayerImpl::LayerImpl;

    void setEpsilon(float eps) noexcept override
    {
        params().epsilon = eps;
        changed();
    }
    float getEpsilon() const noexcept override { return params().epsilon; }
    void setAxes(uint32_t axesMask) noexcept override
    {
        params().axes = axesMask;
        changed();
    }
    uint32_t getAxes() const noexcept override { return params().axes; }
    void setNbGroups(int32_t nbGroups) noexcept override
    {
        params().nbGroups = nbGroups;
        changed();
    }
    int32_t getNbGroups() const noexcept override { return params().nbGroups; }
    //! Stored as given; shape inference accepts only FLOAT.
    void setComputePrecision(nvinfer1::DataType type) noexcept override
    {
        params().computePrecision = type;
        changed();
    }
    nvinfer1::DataType getComputePrecision() const noexcept override { return params().computePrecision; }
};

} // namespace

nvinfer1::INormalizationLayer* NetworkImpl::addNormalization(
    nvinfer1::ITensor& input, nvinfer1::ITensor& scale, nvinfer1::ITensor& bias, uint32_t axesMask) noexcept
{
    ir::Tensor* in = unwrap(input, "addNormalization input");
    ir::Tensor* s = unwrap(scale, "addNormalization scale");
    ir::Tensor* b = unwrap(bias, "addNormalization bias");
    if (!in || !s || !b)
        return nullptr;
    auto params = std::make_unique<layers::NormalizationParams>();
    params->axes = axesMask;
    // The channel axis follows the batch; implicit-batch dims leave the batch out.
    params->channelAxis = mGraph.implicitBatch ? 0 : 1;
    return addLayer<NormalizationLayer>(std::move(params), {in, s, b});
}

} // namespace kiln::api
