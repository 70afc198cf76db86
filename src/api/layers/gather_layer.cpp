// IGatherLayer and INetworkDefinition::addGather / addGatherV2.
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
    void setMode(nvinfer1::GatherMode mode) noexcept override
    {
        params().mode = mode;
        changed();
    }
    nvinfer1::GatherMode getMode() const noexcept override { return params().mode; }
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

nvinfer1::IGatherLayer* NetworkImpl::addGatherV2(
    nvinfer1::ITensor& data, nvinfer1::ITensor& indices, nvinfer1::GatherMode mode) noexcept
{
    ir::Tensor* d = unwrap(data, "addGatherV2 data");
    if (!d)
        return nullptr;
    ir::Tensor* i = unwrap(indices, "addGatherV2 indices");
    if (!i)
        return nullptr;
    const auto m = static_cast<int32_t>(mode);
    if (m < 0 || m >= nvinfer1::EnumMax<nvinfer1::GatherMode>())
        return fail("addGatherV2: invalid GatherMode " + std::to_string(m));
    auto params = std::make_unique<layers::GatherParams>();
    params->mode = mode;
    return addLayer<GatherLayer>(std::move(params), {d, i});
}

} // namespace kiln::api
