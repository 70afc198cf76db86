// IReduceLayer and INetworkDefinition::addReduce.
#include "api/layer_impl.h"
#include "layers/reduce.h"

namespace kiln::api
{

namespace
{

class ReduceLayer final : public LayerImpl<nvinfer1::IReduceLayer, layers::ReduceParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOperation(nvinfer1::ReduceOperation op) noexcept override
    {
        params().operation = op;
        changed();
    }
    nvinfer1::ReduceOperation getOperation() const noexcept override { return params().operation; }
    void setReduceAxes(uint32_t reduceAxes) noexcept override
    {
        params().axes = reduceAxes;
        changed();
    }
    uint32_t getReduceAxes() const noexcept override { return params().axes; }
    void setKeepDimensions(bool keepDimensions) noexcept override
    {
        params().keepDimensions = keepDimensions;
        changed();
    }
    bool getKeepDimensions() const noexcept override { return params().keepDimensions; }
};

} // namespace

nvinfer1::IReduceLayer* NetworkImpl::addReduce(
    nvinfer1::ITensor& input, nvinfer1::ReduceOperation operation, uint32_t reduceAxes, bool keepDimensions) noexcept
{
    ir::Tensor* in = unwrap(input, "addReduce input");
    if (!in)
        return nullptr;
    const auto v = static_cast<int32_t>(operation);
    if (v < 0 || v >= nvinfer1::EnumMax<nvinfer1::ReduceOperation>())
        return fail("addReduce: invalid operation " + std::to_string(v));
    if (reduceAxes == 0)
        return fail("addReduce: the reduce axes bitmask is empty");
    auto params = std::make_unique<layers::ReduceParams>();
    params->operation = operation;
    params->axes = reduceAxes;
    params->keepDimensions = keepDimensions;
    return addLayer<ReduceLayer>(std::move(params), {in});
}

} // namespace kiln::api
