// IConvolutionLayer and INetworkDefinition::addConvolution / addConvolutionNd.
#include "api/layers/convolution_like_layer.h"
#include "layers/convolution.h"

namespace kiln::api
{

namespace
{

class ConvolutionLayer final : public ConvolutionLikeLayer<nvinfer1::IConvolutionLayer, layers::ConvolutionParams>
{
public:
    using ConvolutionLikeLayer::ConvolutionLikeLayer;

    void setDilation(nvinfer1::DimsHW dilation) noexcept override { setDilationNd(dilation); }
    nvinfer1::DimsHW getDilation() const noexcept override { return lastTwo(params().dilation); }
};

} // namespace

nvinfer1::IConvolutionLayer* NetworkImpl::addConvolution(nvinfer1::ITensor& input, int32_t nbOutputMaps,
    nvinfer1::DimsHW kernelSize, nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept
{
    return addConvolutionNd(input, nbOutputMaps, kernelSize, kernelWeights, biasWeights);
}

nvinfer1::IConvolutionLayer* NetworkImpl::addConvolutionNd(nvinfer1::ITensor& input, int32_t nbOutputMaps,
    nvinfer1::Dims kernelSize, nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept
{
    ir::Tensor* in = unwrap(input, "addConvolutionNd input");
    if (!in)
        return nullptr;
    const std::string problem = checkConvolutionLikeArguments(nbOutputMaps, kernelSize, kernelWeights, biasWeights);
    if (!problem.empty())
        return fail("addConvolutionNd: " + problem);
    return addLayer<ConvolutionLayer>(
        makeConvolutionLikeParams<layers::ConvolutionParams>(nbOutputMaps, kernelSize, kernelWeights, biasWeights), {in});
}

} // namespace kiln::api
