// ITopKLayer and INetworkDefinition::addTopK.
#include "api/layer_impl.h"
#include "layers/top_k.h"

namespace kiln::api
{

namespace
{

class TopKLayer final : public LayerImpl<nvinfer1::ITopKLayer, layers::TopKParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOperation(nvinfer1::TopKOperation op) noexcept override
    {
        params().operation = op;
        changed();
    }
    nvinfer1::TopKOperation getOperation() const noexcept override { return params().operation; }
    void setK(int32_t k) noexcept override
    {
        params().k = k;
        changed();
    }
    int32_t getK() const noexcept override { return params().k; }
    void setReduceAxes(uint32_t reduceAxes) noexcept override
    {
        params().axes = reduceAxes;
        changed();
    }
    uint32_t getReduceAxes() const noexcept override { return params().axes; }
};

} // namespace

nvinfer1::ITopKLayer* NetworkImpl::addTopK(
    nvinfer1::ITensor& input, nvinfer1::TopKOperation op, int32_t k, uint32_t reduceAxes) noexcept
{
    ir::Tensor* in = unwrap(input, "addTopK input");
    if (!in)
        return nullptr;
    const auto v = static_cast<int32_t>(op);
    if (v < 0 || v >= nvinfer1::EnumMax<nvinfer1::TopKOperation>())
        return fail("addTopK: invalid operation " + std::to_string(v));
    if (reduceAxes == 0)
        return fail("addTopK: the reduce axes bitmask is empty");
    // k and the axes are checked against the input when the network is built (setK and
    // setReduceAxes may still change them).
    auto params = std::make_unique<layers::TopKParams>();
    params->operation = op;
    params->k = k;
    params->axes = reduceAxes;
    return addLayer<TopKLayer>(std::move(params), {in});
}

} // namespace kiln::api
