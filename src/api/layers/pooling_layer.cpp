// IPoolingLayer and INetworkDefinition::addPooling / addPoolingNd.
#include "api/layer_impl.h"
#include "layers/pooling.h"
#include "layers/spatial_utils.h"

namespace kiln::api
{

namespace
{

class PoolingLayer final : public LayerImpl<nvinfer1::IPoolingLayer, layers::PoolingParams>
{
public:
    using LayerImpl::LayerImpl;

    void setPoolingType(nvinfer1::PoolingType type) noexcept override
    {
        params().type = type;
        changed();
    }
    nvinfer1::PoolingType getPoolingType() const noexcept override { return params().type; }
    void setWindowSize(nvinfer1::DimsHW windowSize) noexcept override { setWindowSizeNd(windowSize); }
    nvinfer1::DimsHW getWindowSize() const noexcept override { return lastTwo(params().windowSize); }
    void setStride(nvinfer1::DimsHW stride) noexcept override { setStrideNd(stride); }
    nvinfer1::DimsHW getStride() const noexcept override { return lastTwo(params().stride); }
    void setPadding(nvinfer1::DimsHW padding) noexcept override { setPaddingNd(padding); }
    nvinfer1::DimsHW getPadding() const noexcept override { return lastTwo(params().prePadding); }
    void setBlendFactor(float blendFactor) noexcept override
    {
        params().blendFactor = blendFactor;
        changed();
    }
    float getBlendFactor() const noexcept override { return params().blendFactor; }
    void setAverageCountExcludesPadding(bool exclusive) noexcept override
    {
        params().averageCountExcludesPadding = exclusive;
        changed();
    }
    bool getAverageCountExcludesPadding() const noexcept override { return params().averageCountExcludesPadding; }
    void setPrePadding(nvinfer1::Dims padding) noexcept override
    {
        params().prePadding = padding;
        changed();
    }
    nvinfer1::Dims getPrePadding() const noexcept override { return params().prePadding; }
    void setPostPadding(nvinfer1::Dims padding) noexcept override
    {
        params().postPadding = padding;
        changed();
    }
    nvinfer1::Dims getPostPadding() const noexcept override { return params().postPadding; }
    void setPaddingMode(nvinfer1::PaddingMode paddingMode) noexcept override
    {
        params().paddingMode = paddingMode;
        changed();
    }
    nvinfer1::PaddingMode getPaddingMode() const noexcept override { return params().paddingMode; }
    void setWindowSizeNd(nvinfer1::Dims windowSize) noexcept override
    {
        params().windowSize = windowSize;
        changed();
    }
    nvinfer1::Dims getWindowSizeNd() const noexcept override { return params().windowSize; }
    void setStrideNd(nvinfer1::Dims stride) noexcept override
    {
        params().stride = stride;
        changed();
    }
    nvinfer1::Dims getStrideNd() const noexcept override { return params().stride; }
    //! Symmetric padding: sets both the pre- and the post-padding.
    void setPaddingNd(nvinfer1::Dims padding) noexcept override
    {
        params().prePadding = padding;
        params().postPadding = padding;
        changed();
    }
    nvinfer1::Dims getPaddingNd() const noexcept override { return params().prePadding; }
};

} // namespace

nvinfer1::IPoolingLayer* NetworkImpl::addPooling(
    nvinfer1::ITensor& input, nvinfer1::PoolingType type, nvinfer1::DimsHW windowSize) noexcept
{
    return addPoolingNd(input, type, windowSize);
}

nvinfer1::IPoolingLayer* NetworkImpl::addPoolingNd(
    nvinfer1::ITensor& input, nvinfer1::PoolingType type, nvinfer1::Dims windowSize) noexcept
{
    ir::Tensor* in = unwrap(input, "addPoolingNd input");
    if (!in)
        return nullptr;
    const auto t = static_cast<int32_t>(type);
    if (t < 0 || t >= nvinfer1::EnumMax<nvinfer1::PoolingType>())
        return fail("addPoolingNd: invalid pooling type " + std::to_string(t));
    if (windowSize.nbDims != 2 && windowSize.nbDims != 3)
        return fail("addPoolingNd: the window size must have 2 or 3 dimensions, not " + std::to_string(windowSize.nbDims));
    for (int32_t i = 0; i < windowSize.nbDims; ++i)
        if (windowSize.d[i] <= 0 || windowSize.d[i] > layers::kMaxWindowParam)
            return fail("addPoolingNd: window size " + toString(windowSize) + " must be positive");
    auto params = std::make_unique<layers::PoolingParams>();
    params->type = type;
    params->windowSize = windowSize;
    params->stride = layers::filledDims(windowSize.nbDims, 1);
    params->prePadding = layers::filledDims(windowSize.nbDims, 0);
    params->postPadding = layers::filledDims(windowSize.nbDims, 0);
    return addLayer<PoolingLayer>(std::move(params), {in});
}

} // namespace kiln::api
