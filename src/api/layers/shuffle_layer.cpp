// IShuffleLayer and INetworkDefinition::addShuffle.
#include "api/layer_impl.h"
#include "layers/shuffle.h"

namespace kiln::api
{

namespace
{

std::vector<int32_t> toOrder(const nvinfer1::Permutation& permutation)
{
    return std::vector<int32_t>(permutation.order, permutation.order + nvinfer1::Dims::MAX_DIMS);
}

nvinfer1::Permutation toPermutation(const std::vector<int32_t>& order)
{
    nvinfer1::Permutation p{};
    for (size_t i = 0; i < order.size() && i < static_cast<size_t>(nvinfer1::Dims::MAX_DIMS); ++i)
        p.order[i] = order[i];
    return p;
}

class ShuffleLayer final : public LayerImpl<nvinfer1::IShuffleLayer, layers::ShuffleParams>
{
public:
    using LayerImpl::LayerImpl;

    void setFirstTranspose(nvinfer1::Permutation permutation) noexcept override
    {
        params().firstTranspose = toOrder(permutation);
        changed();
    }
    nvinfer1::Permutation getFirstTranspose() const noexcept override { return toPermutation(params().firstTranspose); }
    void setReshapeDimensions(nvinfer1::Dims dimensions) noexcept override
    {
        if (!isValidRank(dimensions))
        {
            usageError("setReshapeDimensions: invalid rank " + std::to_string(dimensions.nbDims));
            return;
        }
        params().reshapeDims = makeDims(toVector(dimensions));
        params().reshapeSet = true;
        changed();
    }
    nvinfer1::Dims getReshapeDimensions() const noexcept override
    {
        return params().reshapeSet ? params().reshapeDims : invalidDims();
    }
    void setSecondTranspose(nvinfer1::Permutation permutation) noexcept override
    {
        params().secondTranspose = toOrder(permutation);
        changed();
    }
    nvinfer1::Permutation getSecondTranspose() const noexcept override
    {
        return toPermutation(params().secondTranspose);
    }
    void setZeroIsPlaceholder(bool zeroIsPlaceholder) noexcept override
    {
        params().zeroIsPlaceholder = zeroIsPlaceholder;
        changed();
    }
    bool getZeroIsPlaceholder() const noexcept override { return params().zeroIsPlaceholder; }
};

} // namespace

nvinfer1::IShuffleLayer* NetworkImpl::addShuffle(nvinfer1::ITensor& input) noexcept
{
    ir::Tensor* in = unwrap(input, "addShuffle input");
    if (!in)
        return nullptr;
    return addLayer<ShuffleLayer>(std::make_unique<layers::ShuffleParams>(), {in});
}

} // namespace kiln::api
