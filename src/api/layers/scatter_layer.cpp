// IScatterLayer and INetworkDefinition::addScatter.
#include "api/layer_impl.h"
#include "layers/scatter.h"

namespace kiln::api
{

namespace
{

class ScatterLayer final : public LayerImpl<nvinfer1::IScatterLayer, layers::ScatterParams>
{
public:
    using LayerImpl::LayerImpl;

    void setMode(nvinfer1::ScatterMode mode) noexcept override
    {
        params().mode = mode;
        changed();
    }
    nvinfer1::ScatterMode getMode() const noexcept override { return params().mode; }
    void setAxis(int32_t axis) noexcept override
    {
        params().axis = axis;
        changed();
    }
    int32_t getAxis() const noexcept override { return params().axis; }
};

} // namespace

nvinfer1::IScatterLayer* NetworkImpl::addScatter(
    nvinfer1::ITensor& data, nvinfer1::ITensor& indices, nvinfer1::ITensor& updates, nvinfer1::ScatterMode mode) noexcept
{
    ir::Tensor* d = unwrap(data, "addScatter data");
    if (!d)
        return nullptr;
    ir::Tensor* i = unwrap(indices, "addScatter indices");
    if (!i)
        return nullptr;
    ir::Tensor* u = unwrap(updates, "addScatter updates");
    if (!u)
        return nullptr;
    const auto m = static_cast<int32_t>(mode);
    if (m < 0 || m >= nvinfer1::EnumMax<nvinfer1::ScatterMode>())
        return fail("addScatter: invalid ScatterMode " + std::to_string(m));
    auto params = std::make_unique<layers::ScatterParams>();
    params->mode = mode;
    return addLayer<ScatterLayer>(std::move(params), {d, i, u});
}

} // namespace kiln::api
