// IScaleLayer and INetworkDefinition::addScale / addScaleNd.
#include "api/layer_impl.h"
#include "layers/scale.h"

namespace kiln::api
{

namespace
{

class ScaleLayer final : public LayerImpl<nvinfer1::IScaleLayer, layers::ScaleParams>
{
public:
    using LayerImpl::LayerImpl;

    void setMode(nvinfer1::ScaleMode mode) noexcept override
    {
        params().mode = mode;
        changed();
    }
    nvinfer1::ScaleMode getMode() const noexcept override { return params().mode; }
    void setShift(nvinfer1::Weights shift) noexcept override
    {
        params().shift = ir::WeightsRef::fromApi(shift);
        changed();
    }
    nvinfer1::Weights getShift() const noexcept override { return params().shift.toApi(); }
    void setScale(nvinfer1::Weights scale) noexcept override
    {
        params().scale = ir::WeightsRef::fromApi(scale);
        changed();
    }
    nvinfer1::Weights getScale() const noexcept override { return params().scale.toApi(); }
    void setPower(nvinfer1::Weights power) noexcept override
    {
        params().power = ir::WeightsRef::fromApi(power);
        changed();
    }
    nvinfer1::Weights getPower() const noexcept override { return params().power.toApi(); }
    int32_t getChannelAxis() const noexcept override { return params().channelAxis; }
};

//! addScale and addScaleNd; \p api names the call in errors.
nvinfer1::IScaleLayer* addScaleLayer(NetworkImpl& network, const char* api, nvinfer1::ITensor& input,
    nvinfer1::ScaleMode mode, nvinfer1::Weights shift, nvinfer1::Weights scale, nvinfer1::Weights power,
    int32_t channelAxis)
{
    ir::Tensor* in = network.unwrap(input, (std::string(api) + " input").c_str());
    if (!in)
        return nullptr;
    const auto v = static_cast<int32_t>(mode);
    if (v < 0 || v >= nvinfer1::EnumMax<nvinfer1::ScaleMode>())
        return network.fail(std::string(api) + ": invalid scale mode " + std::to_string(v));
    if (channelAxis < 0 || channelAxis >= nvinfer1::Dims::MAX_DIMS)
        return network.fail(std::string(api) + ": channel axis " + std::to_string(channelAxis) + " is out of range");
    for (const nvinfer1::Weights* w : {&shift, &scale, &power})
        if (w->count < 0 || (w->count > 0 && !w->values))
            return network.fail(
                std::string(api) + ": weights with count " + std::to_string(w->count) + " have no values");
    auto params = std::make_unique<layers::ScaleParams>();
    params->mode = mode;
    params->channelAxis = channelAxis;
    params->shift = ir::WeightsRef::fromApi(shift);
    params->scale = ir::WeightsRef::fromApi(scale);
    params->power = ir::WeightsRef::fromApi(power);
    return network.addLayer<ScaleLayer>(std::move(params), {in});
}

} // namespace

nvinfer1::IScaleLayer* NetworkImpl::addScale(nvinfer1::ITensor& input, nvinfer1::ScaleMode mode,
    nvinfer1::Weights shift, nvinfer1::Weights scale, nvinfer1::Weights power) noexcept
{
    // TensorRT: the channel axis is the first axis after the batch.
    return addScaleLayer(*this, "addScale", input, mode, shift, scale, power, mGraph.implicitBatch ? 0 : 1);
}

nvinfer1::IScaleLayer* NetworkImpl::addScaleNd(nvinfer1::ITensor& input, nvinfer1::ScaleMode mode,
    nvinfer1::Weights shift, nvinfer1::Weights scale, nvinfer1::Weights power, int32_t channelAxis) noexcept
{
    return addScaleLayer(*this, "addScaleNd", input, mode, shift, scale, power, channelAxis);
}

} // namespace kiln::api
