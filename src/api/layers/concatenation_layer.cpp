// IConcatenationLayer and INetworkDefinition::addConcatenation.
#include "api/layer_impl.h"
#include "layers/concatenation.h"

namespace kiln::api
{

namespace
{

class ConcatenationLayer final : public LayerImpl<nvinfer1::IConcatenationLayer, layers::ConcatenationParams>
{
public:
    using LayerImpl::LayerImpl;

    void setAxis(int32_t axis) noexcept override
    {
        params().axis = axis;
        changed();
    }
    int32_t getAxis() const noexcept override { return params().axis; }
};

} // namespace

nvinfer1::IConcatenationLayer* NetworkImpl::addConcatenation(
    nvinfer1::ITensor* const* inputs, int32_t nbInputs) noexcept
{
    if (!inputs || nbInputs < 1)
        return fail("addConcatenation: needs at least one input tensor");
    if (nbInputs > layers::ConcatenationParams::kMaxInputs)
        return fail("addConcatenation: too many inputs (" + std::to_string(nbInputs) + ")");
    std::vector<ir::Tensor*> ins;
    for (int32_t i = 0; i < nbInputs; ++i)
    {
        ir::Tensor* t = unwrap(inputs[i], "addConcatenation input");
        if (!t)
            return nullptr;
        ins.push_back(t);
    }
    auto params = std::make_unique<layers::ConcatenationParams>();
    // The default axis depends on the rank (the network's view: no batch axis in implicit mode).
    const ir::TensorDesc* first = ins[0]->isInput ? nullptr : describe(ins[0]);
    const int32_t rank = ins[0]->isInput ? ins[0]->dims.nbDims : first ? first->dims.nbDims : 0;
    params->axis = layers::defaultConcatenationAxis(rank);
    return addLayer<ConcatenationLayer>(std::move(params), std::move(ins));
}

} // namespace kiln::api
