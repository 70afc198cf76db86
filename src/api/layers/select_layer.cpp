// ISelectLayer and INetworkDefinition::addSelect.
#include "api/layer_impl.h"
#include "layers/select.h"

namespace kiln::api
{

namespace
{

class SelectLayer final : public LayerImpl<nvinfer1::ISelectLayer, layers::SelectParams>
{
public:
    using LayerImpl::LayerImpl;
};

} // namespace

nvinfer1::ISelectLayer* NetworkImpl::addSelect(
    nvinfer1::ITensor& condition, nvinfer1::ITensor& thenInput, nvinfer1::ITensor& elseInput) noexcept
{
    ir::Tensor* c = unwrap(condition, "addSelect condition");
    ir::Tensor* a = unwrap(thenInput, "addSelect thenInput");
    ir::Tensor* b = unwrap(elseInput, "addSelect elseInput");
    if (!c || !b || !a)
        return nullptr;
    return addLayer<SelectLayer>(std::make_unique<layers::SelectParams>(), {c, a, b});
}

} // namespace kiln::api
