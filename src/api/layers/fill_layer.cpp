// IFillLayer and INetworkDefinition::addFill.
#include "api/layer_impl.h"
#include "layers/fill.h"

namespace kiln::api
{

namespace
{

class FillLayer final : public LayerImpl<nvinfer1::IFillLayer, layers::FillParams>
{
public:
    using LayerImpl::LayerImpl;

    void setDimensions(nvinfer1::Dims dimensions) noexcept override
    {
        params().dims = dimensions;
        changed();
    }
    nvinfer1::Dims getDimensions() const noexcept override { return params().dims; }
    void setOperation(nvinfer1::FillOperation op) noexcept override
    {
        params().operation = op;
        changed();
    }
    nvinfer1::FillOperation getOperation() const noexcept override { return params().operation; }
    void setAlpha(double alpha) noexcept override
    {
        params().setAlpha(alpha);
        changed();
    }
    double getAlpha() const noexcept override { return params().alpha(); }
    void setBeta(double beta) noexcept override
    {
        params().setBeta(beta);
        changed();
    }
    double getBeta() const noexcept override { return params().beta(); }

    // The output type is part of what a fill computes, so the layer's parameters carry it.
    void setOutputType(int32_t index, nvinfer1::DataType type) noexcept override
    {
        LayerImpl::setOutputType(index, type);
        if (index == 0 && outputTypeIsSet(0))
        {
            params().outputTypeSet = true;
            params().outputType = type;
            changed();
        }
    }
    void resetOutputType(int32_t index) noexcept override
    {
        LayerImpl::resetOutputType(index);
        if (index == 0)
        {
            params().outputTypeSet = false;
            params().outputType = nvinfer1::DataType::kFLOAT;
            changed();
        }
    }
};

} // namespace

nvinfer1::IFillLayer* NetworkImpl::addFill(nvinfer1::Dims dimensions, nvinfer1::FillOperation op) noexcept
{
    const auto opValue = static_cast<int32_t>(op);
    if (opValue < 0 || opValue >= nvinfer1::EnumMax<nvinfer1::FillOperation>())
        return fail("addFill: invalid fill operation " + std::to_string(opValue));
    if (!isValidRank(dimensions))
        return fail("addFill: invalid rank " + std::to_string(dimensions.nbDims));
    auto params = std::make_unique<layers::FillParams>();
    params->dims = dimensions;
    params->operation = op;
    return addLayer<FillLayer>(std::move(params), {});
}

} // namespace kiln::api
