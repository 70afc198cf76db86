// IDeconvolutionLayer and INetworkDefinition::addDeconvolution / addDeconvolutionNd.
#include "api/layers/convolution_like_layer.h"
#include "layers/deconvolution.h"

namespace kiln::api
{

namespace
{

class DeconvolutionLayer final : public ConvolutionLikeLayer<nvinfer1::IDeconvolutionLayer, layers::DeconvolutionParams>
{
public:
    using ConvolutionLikeLayer::ConvolutionLikeLayer;
};

} // namespace

nvinfer1::IDeconvolutionLayer* NetworkImpl::addDeconvolution(nvinfer1::ITensor& input, int32_t nbOutputMaps,
    nvinfer1::DimsHW kernelSize, nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept
{
    return addDeconvolutionNd(input, nbOutputMaps, kernelSize, kernelWeights, biasWeights);
}

nvinfer1::IDeconvolutionLayer* NetworkImpl::addDeconvolutionNd(nvinfer1::ITensor& input, int32_t nbOutputMaps,
    nvinfer1::Dims kernelSize, nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept
{
    ir::Tensor* in = unwrap(input, "addDeconvolutionNd input");
    if (!in)
        return nullptr;
    const std::string problem = checkConvolutionLikeArguments(nbOutputMaps, kernelSize, kernelWeights, biasWeights);
    if (!problem.empty())
        return fail("addDeconvolutionNd: " + problem);
    return addLayer<DeconvolutionLayer>(
        makeConvolutionLikeParams<layers::DeconvolutionParams>(nbOutputMaps, kernelSize, kernelWeights, biasWeights), {in});
}

} // namespace kiln::api
