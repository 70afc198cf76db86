// ILRNLayer and INetworkDefinition::addLRN.
#include "api/layer_impl.h"
#include "layers/lrn.h"

namespace kiln::api
{

namespace
{

class LRNLayer final : public LayerImpl<nvinfer1::ILRNLayer, layers::LRNParams>
{
public:
    using LayerImpl::LayerImpl;

    void setWindowSize(int32_t windowSize) noexcept override
    {
        params().windowSize = windowSize;
        changed();
    }
    int32_t getWindowSize() const noexcept override { return params().windowSize; }
    void setAlpha(float alpha) noexcept override
    {
        params().alpha = alpha;
        changed();
    }
    float getAlpha() const noexcept override { return params().alpha; }
    void setBeta(float beta) noexcept override
    {
        params().beta = beta;
        changed();
    }
    float getBeta() const noexcept override { return params().beta; }
    void setK(float k) noexcept override
    {
        params().k = k;
        changed();
    }
    float getK() const noexcept override { return params().k; }
};

} // namespace

nvinfer1::ILRNLayer* NetworkImpl::addLRN(nvinfer1::ITensor& input, int32_t window, float alpha, float beta, float k) noexcept
{
    ir::Tensor* in = unwrap(input, "addLRN input");
    if (!in)
        return nullptr;
    const std::string problem = layers::LRNParams::checkParameters(window, alpha, beta, k);
    if (!problem.empty())
        return fail("addLRN: " + problem);
    auto params = std::make_unique<layers::LRNParams>();
    params->windowSize = window;
    params->alpha = alpha;
    params->beta = beta;
    params->k = k;
    return addLayer<LRNLayer>(std::move(params), {in});
}

} // namespace kiln::api
