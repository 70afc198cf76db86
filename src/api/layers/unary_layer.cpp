// IUnaryLayer and INetworkDefinition::addUnary.
#include "api/layer_impl.h"
#include "layers/unary.h"

namespace kiln::api
{

namespace
{

class UnaryLayer final : public LayerImpl<nvinfer1::IUnaryLayer, layers::UnaryParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOperation(nvinfer1::UnaryOperation op) noexcept override
    {
        params().operation = op;
        changed();
    }
    nvinfer1::UnaryOperation getOperation() const noexcept override { return params().operation; }
};

} // namespace

nvinfer1::IUnaryLayer* NetworkImpl::addUnary(nvinfer1::ITensor& input, nvinfer1::UnaryOperation operation) noexcept
{
    ir::Tensor* in = unwrap(input, "addUnary input");
    if (!in)
        return nullptr;
    const auto v = static_cast<int32_t>(operation);
    if (v < 0 || v >= nvinfer1::EnumMax<nvinfer1::UnaryOperation>())
        return fail("addUnary: invalid operation " + std::to_string(v));
    auto params = std::make_unique<layers::UnaryParams>();
    params->operation = operation;
    return addLayer<UnaryLayer>(std::move(params), {in});
}

} // namespace kiln::api
