// IOneHotLayer and INetworkDefinition::addOneHot.
#include "api/layer_impl.h"
#include "layers/one_hot.h"

namespace kiln::api
{

namespace
{

class OneHotLayer final : public LayerImpl<nvinfer1::IOneHotLayer, layers::OneHotParams>
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

nvinfer1::IOneHotLayer* NetworkImpl::addOneHot(
    nvinfer1::ITensor& indices, nvinfer1::ITensor& values, nvinfer1::ITensor& depth, int32_t axis) noexcept
{
    ir::Tensor* i = unwrap(indices, "addOneHot indices");
    if (!i)
        return nullptr;
    ir::Tensor* v = unwrap(values, "addOneHot values");
    if (!v)
        return nullptr;
    ir::Tensor* d = unwrap(depth, "addOneHot depth");
    if (!d)
        return nullptr;
    auto params = std::make_unique<layers::OneHotParams>();
    params->axis = axis;
    return addLayer<OneHotLayer>(std::move(params), {i, v, d});
}

} // namespace kiln::api
