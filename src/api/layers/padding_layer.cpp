// IPaddingLayer and INetworkDefinition::addPadding / addPaddingNd.
#include "api/layer_impl.h"
#include "layers/padding.h"

namespace kiln::api
{

namespace
{

class PaddingLayer final : public LayerImpl<nvinfer1::IPaddingLayer, layers::PaddingParams>
{
public:
    using LayerImpl::LayerImpl;

    void setPrePadding(nvinfer1::DimsHW padding) noexcept override { setPrePaddingNd(padding); }
    nvinfer1::DimsHW getPrePadding() const noexcept override { return lastTwo(params().prePadding); }
    void setPostPadding(nvinfer1::DimsHW padding) noexcept override { setPostPaddingNd(padding); }
    nvinfer1::DimsHW getPostPadding() const noexcept override { return lastTwo(params().postPadding); }
    void setPrePaddingNd(nvinfer1::Dims padding) noexcept override
    {
        params().prePadding = padding;
        changed();
    }
    nvinfer1::Dims getPrePaddingNd() const noexcept override { return params().prePadding; }
    void setPostPaddingNd(nvinfer1::Dims padding) noexcept override
    {
        params().postPadding = padding;
        changed();
    }
    nvinfer1::Dims getPostPaddingNd() const noexcept override { return params().postPadding; }
};

} // namespace

nvinfer1::IPaddingLayer* NetworkImpl::addPadding(
    nvinfer1::ITensor& input, nvinfer1::DimsHW prePadding, nvinfer1::DimsHW postPadding) noexcept
{
    return addPaddingNd(input, prePadding, postPadding);
}

nvinfer1::IPaddingLayer* NetworkImpl::addPaddingNd(
    nvinfer1::ITensor& input, nvinfer1::Dims prePadding, nvinfer1::Dims postPadding) noexcept
{
    ir::Tensor* in = unwrap(input, "addPaddingNd input");
    if (!in)
        return nullptr;
    if (prePadding.nbDims < 1 || prePadding.nbDims > nvinfer1::Dims::MAX_DIMS || postPadding.nbDims != prePadding.nbDims)
        return fail("addPaddingNd: pre-padding and post-padding must have the same number (1 to 8) of dimensions");
    auto params = std::make_unique<layers::PaddingParams>();
    params->prePadding = prePadding;
    params->postPadding = postPadding;
    return addLayer<PaddingLayer>(std::move(params), {in});
}

} // namespace kiln::api
