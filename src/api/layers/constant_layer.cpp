// IConstantLayer and INetworkDefinition::addConstant. The weights stay the application's memory
// until the engine is built (as in TensorRT).
#include "api/layer_impl.h"
#include "layers/constant.h"

namespace kiln::api
{

namespace
{

class ConstantLayer final : public LayerImpl<nvinfer1::IConstantLayer, layers::ConstantParams>
{
public:
    using LayerImpl::LayerImpl;

    void setWeights(nvinfer1::Weights weights) noexcept override
    {
        params().weights = ir::WeightsRef::fromApi(weights);
        changed();
    }
    nvinfer1::Weights getWeights() const noexcept override { return params().weights.toApi(); }
    void setDimensions(nvinfer1::Dims dimensions) noexcept override
    {
        if (!isValidRank(dimensions))
        {
            usageError("setDimensions: invalid rank " + std::to_string(dimensions.nbDims));
            return;
        }
        params().dims = makeDims(toVector(dimensions));
        changed();
    }
    nvinfer1::Dims getDimensions() const noexcept override { return params().dims; }
};

} // namespace

nvinfer1::IConstantLayer* NetworkImpl::addConstant(nvinfer1::Dims dimensions, nvinfer1::Weights weights) noexcept
{
    if (!isValidRank(dimensions))
        return fail("addConstant: invalid rank " + std::to_string(dimensions.nbDims));
    if (weights.count < 0 || (weights.count > 0 && !weights.values))
        return fail("addConstant: weights have count " + std::to_string(weights.count) + " and no values");
    auto params = std::make_unique<layers::ConstantParams>();
    params->dims = makeDims(toVector(dimensions));
    params->weights = ir::WeightsRef::fromApi(weights);
    return addLayer<ConstantLayer>(std::move(params), {});
}

} // namespace kiln::api
