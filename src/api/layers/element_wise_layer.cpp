// IElementWiseLayer and INetworkDefinition::addElementWise.
#include "api/layer_impl.h"
#include "layers/element_wise.h"

namespace kiln::api
{

namespace
{

class ElementWiseLayer final : public LayerImpl<nvinfer1::IElementWiseLayer, layers::ElementWiseParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOperation(nvinfer1::ElementWiseOperation op) noexcept override
    {
        params().operation = op;
        changed();
    }
    nvinfer1::ElementWiseOperation getOperation() const noexcept override { return params().operation; }
};

} // namespace

nvinfer1::IElementWiseLayer* NetworkImpl::addElementWise(
    nvinfer1::ITensor& input1, nvinfer1::ITensor& input2, nvinfer1::ElementWiseOperation op) noexcept
{
    ir::Tensor* a = unwrap(input1, "addElementWise input1");
    ir::Tensor* b = unwrap(input2, "addElementWise input2");
    if (!a || !b)
        return nullptr;
    const auto v = static_cast<int32_t>(op);
    if (v < 0 || v >= nvinfer1::EnumMax<nvinfer1::ElementWiseOperation>())
        return fail("addElementWise: invalid operation " + std::to_string(v));
    auto params = std::make_unique<layers::ElementWiseParams>();
    params->operation = op;
    return addLayer<ElementWiseLayer>(std::move(params), {a, b});
}

} // namespace kiln::api
