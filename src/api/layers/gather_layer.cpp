// IGatherLayer and INetworkDefinition::addGather.
#include "api/layer_impl.h"
#include "layers/gather.h"

namespace kiln::api
{

namespace
{

class GatherLayer final : public LayerImpl<nvinfer1::IGatherLayer, layers::GatherParams>
{
public:
    using LayerImpl::LayerImpl;

    void setGatherAxis(int32_t axis) noexcept override
    {
        params().axis = axis;
        changed();
    }
    int32_t getGatherAxis() const noexcept override { return params().axis; }
    void setNbElementWiseDims(int32_t k) noexcept override
    {
        params().nbElementWiseDims = k;
        changed();
    }
    int32_t getNbElementWiseDims() const noexcept override { return params().nbElementWiseDims; }
};

} // namespace

nvinfer1::IGatherLayer* NetworkImpl::addGather(
    nvinfer1::ITensor& data, nvinfer1::ITensor& indices, int32_t axis) noexcept
{
    ir::Tensor* d = unwrap(data, "addGather data");
    if (!d)
        return nullptr;
    ir::Tensor* i = unwrap(indices, "addGather indices");
    if (!i)
        return nullptr;
    auto params = std::make_unique<layers::GatherParams>();
    params->axis = axis;
    return addLayer<GatherLayer>(std::move(params), {d, i});
}

} // namespace kiln::api
