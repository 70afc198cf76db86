// The API members convolution and deconvolution share (their interfaces differ only in
// IConvolutionLayer's deprecated DimsHW dilation), and the checks and defaults of their add* calls.
#pragma once

#include "api/layer_impl.h"
#include "layers/spatial_utils.h"

#include <string>

namespace kiln::api
{

template <typename I, typename P>
class ConvolutionLikeLayer : public LayerImpl<I, P>
{
public:
    using LayerImpl<I, P>::LayerImpl;
    using LayerImpl<I, P>::params;
    using LayerImpl<I, P>::changed;

    void setKernelSize(nvinfer1::DimsHW kernelSize) noexcept override { setKernelSizeNd(kernelSize); }
    nvinfer1::DimsHW getKernelSize() const noexcept override { return lastTwo(params().kernelSize); }
    void setNbOutputMaps(int32_t nbOutputMaps) noexcept override
    {
        params().nbOutputMaps = nbOutputMaps;
        changed();
    }
    int32_t getNbOutputMaps() const noexcept override { return params().nbOutputMaps; }
    void setStride(nvinfer1::DimsHW stride) noexcept override { setStrideNd(stride); }
    nvinfer1::DimsHW getStride() const noexcept override { return lastTwo(params().stride); }
    void setPadding(nvinfer1::DimsHW padding) noexcept override { setPaddingNd(padding); }
    nvinfer1::DimsHW getPadding() const noexcept override { return lastTwo(params().prePadding); }
    void setNbGroups(int32_t nbGroups) noexcept override
    {
        params().nbGroups = nbGroups;
        changed();
    }
    int32_t getNbGroups() const noexcept override { return params().nbGroups; }
    void setKernelWeights(nvinfer1::Weights weights) noexcept override
    {
        params().kernelWeights = ir::WeightsRef::fromApi(weights);
        changed();
    }
    nvinfer1::Weights getKernelWeights() const noexcept override { return params().kernelWeights.toApi(); }
    void setBiasWeights(nvinfer1::Weights weights) noexcept override
    {
        params().biasWeights = ir::WeightsRef::fromApi(weights);
        changed();
    }
    nvinfer1::Weights getBiasWeights() const noexcept override { return params().biasWeights.toApi(); }
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
    void setKernelSizeNd(nvinfer1::Dims kernelSize) noexcept override
    {
        params().kernelSize = kernelSize;
        changed();
    }
    nvinfer1::Dims getKernelSizeNd() const noexcept override { return params().kernelSize; }
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
    //! The pre-padding (TensorRT answers that also when the padding is asymmetric).
    nvinfer1::Dims getPaddingNd() const noexcept override { return params().prePadding; }
    void setDilationNd(nvinfer1::Dims dilation) noexcept override
    {
        params().dilation = dilation;
        changed();
    }
    nvinfer1::Dims getDilationNd() const noexcept override { return params().dilation; }
};

//! The argument checks of addConvolution* and addDeconvolution*; empty when fine.
inline std::string checkConvolutionLikeArguments(int32_t nbOutputMaps, const nvinfer1::Dims& kernelSize,
    const nvinfer1::Weights& kernelWeights, const nvinfer1::Weights& biasWeights)
{
    if (nbOutputMaps <= 0)
        return "nbOutputMaps " + std::to_string(nbOutputMaps) + " must be positive";
    if (kernelSize.nbDims != 2 && kernelSize.nbDims != 3)
        return "the kernel size must have 2 or 3 dimensions, not " + std::to_string(kernelSize.nbDims);
    for (int32_t i = 0; i < kernelSize.nbDims; ++i)
        if (kernelSize.d[i] <= 0 || kernelSize.d[i] > layers::kMaxWindowParam)
            return "kernel size " + toString(kernelSize) + " must be positive";
    if (kernelWeights.count <= 0 || !kernelWeights.values)
        return "the kernel weights are empty";
    if (kernelWeights.type != nvinfer1::DataType::kFLOAT && kernelWeights.type != nvinfer1::DataType::kHALF)
        return "the kernel weights must be FLOAT or HALF";
    if (biasWeights.count < 0 || (biasWeights.count > 0 && !biasWeights.values))
        return "the bias weights have a count but no values";
    if (biasWeights.count > 0 && biasWeights.count != nbOutputMaps)
        return "the bias weights have " + std::to_string(biasWeights.count) + " values, expected "
            + std::to_string(nbOutputMaps);
    return {};
}

//! Parameters for an add*Nd call that passed checkConvolutionLikeArguments.
template <typename P>
std::unique_ptr<P> makeConvolutionLikeParams(int32_t nbOutputMaps, const nvinfer1::Dims& kernelSize,
    const nvinfer1::Weights& kernelWeights, const nvinfer1::Weights& biasWeights)
{
    auto params = std::make_unique<P>();
    params->nbOutputMaps = nbOutputMaps;
    params->kernelSize = kernelSize;
    params->stride = layers::filledDims(kernelSize.nbDims, 1);
    params->dilation = layers::filledDims(kernelSize.nbDims, 1);
    params->prePadding = layers::filledDims(kernelSize.nbDims, 0);
    params->postPadding = layers::filledDims(kernelSize.nbDims, 0);
    params->kernelWeights = ir::WeightsRef::fromApi(kernelWeights);
    params->biasWeights = ir::WeightsRef::fromApi(biasWeights);
    return params;
}

} // namespace kiln::api
