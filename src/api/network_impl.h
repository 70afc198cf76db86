// NetworkImpl: INetworkDefinition over an ir::Graph. Each add<Kind>() member is defined in
// api/layers/<kind>_layer.cpp next to the kind's ILayer wrapper, so adding a kind touches no shared
// file here.
#pragma once

#include "NvInfer.h"
#include "common/reporter.h"
#include "ir/graph.h"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiln::api
{

class TensorImpl;

class NetworkImpl final : public nvinfer1::INetworkDefinition
{
public:
    NetworkImpl(const Reporter& reporter, bool implicitBatch);
    ~NetworkImpl() noexcept override;

    ir::Graph& graph() { return mGraph; }
    const ir::Graph& graph() const { return mGraph; }
    const Reporter& reporter() const { return mReporter; }

    //! The ITensor of an IR tensor (created on first use).
    TensorImpl* wrap(ir::Tensor* tensor);
    //! The IR tensor behind \p tensor, or nullptr (with an error naming \p what) if it is not a
    //! tensor of this network.
    ir::Tensor* unwrap(const nvinfer1::ITensor* tensor, const char* what);
    ir::Tensor* unwrap(const nvinfer1::ITensor& tensor, const char* what) { return unwrap(&tensor, what); }
    //! Logs an API-usage error and returns nullptr (for add* failures).
    std::nullptr_t fail(const std::string& message) const;

    //! Creates the IR layer and its wrapper of type \p Impl; returns the wrapper. \p inputs must be
    //! tensors of this network (already unwrapped).
    template <typename Impl>
    Impl* addLayer(std::unique_ptr<ir::LayerParams> params, std::vector<ir::Tensor*> inputs)
    {
        const std::string name = uniqueLayerName(params->kind());
        ir::Layer* layer = mGraph.addLayer(name, std::move(params), std::move(inputs));
        auto wrapper = std::make_unique<Impl>(*this, *layer);
        Impl* raw = wrapper.get();
        registerLayer(layer, std::move(wrapper));
        return raw;
    }
    nvinfer1::ILayer* wrapperOf(const ir::Layer* layer) const;

    //! Shape inference over the current graph (cached until the graph changes): the descriptor of
    //! \p tensor, or nullptr if the layer producing it (or one before) is invalid.
    const ir::TensorDesc* describe(const ir::Tensor* tensor);
    //! Marks cached shapes stale; every mutation calls it.
    void changed();
    //! A mutation of \p layer only: shapes inferred so far stay valid when the layer is newer than
    //! all of them (a layer being configured right after its add*), so a network built layer by
    //! layer with getDimensions() after each costs linear, not quadratic, shape inference.
    void changed(const ir::Layer* layer);

    // INetworkDefinition
    nvinfer1::ITensor* addInput(const char* name, nvinfer1::DataType type, nvinfer1::Dims dimensions) noexcept override;
    void markOutput(nvinfer1::ITensor& tensor) noexcept override;
    nvinfer1::IConvolutionLayer* addConvolution(nvinfer1::ITensor& input, int32_t nbOutputMaps, nvinfer1::DimsHW kernelSize,
        nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept override;
    nvinfer1::IFullyConnectedLayer* addFullyConnected(nvinfer1::ITensor& input, int32_t nbOutputs,
        nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept override;
    nvinfer1::IActivationLayer* addActivation(nvinfer1::ITensor& input, nvinfer1::ActivationType type) noexcept override;
    nvinfer1::IPoolingLayer* addPooling(
        nvinfer1::ITensor& input, nvinfer1::PoolingType type, nvinfer1::DimsHW windowSize) noexcept override;
    nvinfer1::ILRNLayer* addLRN(nvinfer1::ITensor& input, int32_t window, float alpha, float beta, float k) noexcept override;
    nvinfer1::IScaleLayer* addScale(nvinfer1::ITensor& input, nvinfer1::ScaleMode mode, nvinfer1::Weights shift,
        nvinfer1::Weights scale, nvinfer1::Weights power) noexcept override;
    nvinfer1::ISoftMaxLayer* addSoftMax(nvinfer1::ITensor& input) noexcept override;
    nvinfer1::IConcatenationLayer* addConcatenation(nvinfer1::ITensor* const* inputs, int32_t nbInputs) noexcept override;
    nvinfer1::IDeconvolutionLayer* addDeconvolution(nvinfer1::ITensor& input, int32_t nbOutputMaps,
        nvinfer1::DimsHW kernelSize, nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept override;
    nvinfer1::IElementWiseLayer* addElementWise(
        nvinfer1::ITensor& input1, nvinfer1::ITensor& input2, nvinfer1::ElementWiseOperation op) noexcept override;
    nvinfer1::IRNNLayer* addRNN(nvinfer1::ITensor& inputs, int32_t layerCount, std::size_t hiddenSize, int32_t maxSeqLen,
        nvinfer1::RNNOperation op, nvinfer1::RNNInputMode mode, nvinfer1::RNNDirection dir, nvinfer1::Weights weights,
        nvinfer1::Weights bias) noexcept override;
    nvinfer1::IPluginLayer* addPlugin(nvinfer1::ITensor* const* inputs, int32_t nbInputs, nvinfer1::IPlugin& plugin) noexcept override;
    nvinfer1::IUnaryLayer* addUnary(nvinfer1::ITensor& input, nvinfer1::UnaryOperation operation) noexcept override;
    nvinfer1::IPaddingLayer* addPadding(
        nvinfer1::ITensor& input, nvinfer1::DimsHW prePadding, nvinfer1::DimsHW postPadding) noexcept override;
    nvinfer1::IShuffleLayer* addShuffle(nvinfer1::ITensor& input) noexcept override;
    void setPoolingOutputDimensionsFormula(nvinfer1::IOutputDimensionsFormula* formula) noexcept override;
    nvinfer1::IOutputDimensionsFormula& getPoolingOutputDimensionsFormula() const noexcept override;
    void setConvolutionOutputDimensionsFormula(nvinfer1::IOutputDimensionsFormula* formula) noexcept override;
    nvinfer1::IOutputDimensionsFormula& getConvolutionOutputDimensionsFormula() const noexcept override;
    void setDeconvolutionOutputDimensionsFormula(nvinfer1::IOutputDimensionsFormula* formula) noexcept override;
    nvinfer1::IOutputDimensionsFormula& getDeconvolutionOutputDimensionsFormula() const noexcept override;
    int32_t getNbLayers() const noexcept override;
    nvinfer1::ILayer* getLayer(int32_t index) const noexcept override;
    int32_t getNbInputs() const noexcept override;
    nvinfer1::ITensor* getInput(int32_t index) const noexcept override;
    int32_t getNbOutputs() const noexcept override;
    nvinfer1::ITensor* getOutput(int32_t index) const noexcept override;
    void destroy() noexcept override { delete this; }
    nvinfer1::IReduceLayer* addReduce(nvinfer1::ITensor& input, nvinfer1::ReduceOperation operation, uint32_t reduceAxes,
        bool keepDimensions) noexcept override;
    nvinfer1::ITopKLayer* addTopK(
        nvinfer1::ITensor& input, nvinfer1::TopKOperation op, int32_t k, uint32_t reduceAxes) noexcept override;
    nvinfer1::IGatherLayer* addGather(nvinfer1::ITensor& data, nvinfer1::ITensor& indices, int32_t axis) noexcept override;
    nvinfer1::IRaggedSoftMaxLayer* addRaggedSoftMax(nvinfer1::ITensor& input, nvinfer1::ITensor& bounds) noexcept override;
    nvinfer1::IMatrixMultiplyLayer* addMatrixMultiply(nvinfer1::ITensor& input0, nvinfer1::MatrixOperation op0,
        nvinfer1::ITensor& input1, nvinfer1::MatrixOperation op1) noexcept override;
    nvinfer1::IMatrixMultiplyLayer* addMatrixMultiply(
        nvinfer1::ITensor& input0, bool transpose0, nvinfer1::ITensor& input1, bool transpose1) noexcept override;
    nvinfer1::IConstantLayer* addConstant(nvinfer1::Dims dimensions, nvinfer1::Weights weights) noexcept override;
    nvinfer1::IRNNv2Layer* addRNNv2(nvinfer1::ITensor& input, int32_t layerCount, int32_t hiddenSize, int32_t maxSeqLen,
        nvinfer1::RNNOperation op) noexcept override;
    nvinfer1::IPluginLayer* addPluginExt(
        nvinfer1::ITensor* const* inputs, int32_t nbInputs, nvinfer1::IPluginExt& plugin) noexcept override;
    nvinfer1::IIdentityLayer* addIdentity(nvinfer1::ITensor& input) noexcept override;
    void removeTensor(nvinfer1::ITensor& tensor) noexcept override;
    void unmarkOutput(nvinfer1::ITensor& tensor) noexcept override;
    nvinfer1::IPluginV2Layer* addPluginV2(
        nvinfer1::ITensor* const* inputs, int32_t nbInputs, nvinfer1::IPluginV2& plugin) noexcept override;
    nvinfer1::ISliceLayer* addSlice(
        nvinfer1::ITensor& input, nvinfer1::Dims start, nvinfer1::Dims size, nvinfer1::Dims stride) noexcept override;
    void setName(const char* name) noexcept override;
    const char* getName() const noexcept override;
    nvinfer1::IShapeLayer* addShape(nvinfer1::ITensor& input) noexcept override;
    bool hasImplicitBatchDimension() const noexcept override { return mGraph.implicitBatch; }
    bool markOutputForShapes(nvinfer1::ITensor& tensor) noexcept override;
    bool unmarkOutputForShapes(nvinfer1::ITensor& tensor) noexcept override;
    nvinfer1::IParametricReLULayer* addParametricReLU(nvinfer1::ITensor& input, nvinfer1::ITensor& slope) noexcept override;
    nvinfer1::IConvolutionLayer* addConvolutionNd(nvinfer1::ITensor& input, int32_t nbOutputMaps, nvinfer1::Dims kernelSize,
        nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept override;
    nvinfer1::IPoolingLayer* addPoolingNd(
        nvinfer1::ITensor& input, nvinfer1::PoolingType type, nvinfer1::Dims windowSize) noexcept override;
    nvinfer1::IDeconvolutionLayer* addDeconvolutionNd(nvinfer1::ITensor& input, int32_t nbOutputMaps,
        nvinfer1::Dims kernelSize, nvinfer1::Weights kernelWeights, nvinfer1::Weights biasWeights) noexcept override;
    nvinfer1::IScaleLayer* addScaleNd(nvinfer1::ITensor& input, nvinfer1::ScaleMode mode, nvinfer1::Weights shift,
        nvinfer1::Weights scale, nvinfer1::Weights power, int32_t channelAxis) noexcept override;
    nvinfer1::IResizeLayer* addResize(nvinfer1::ITensor& input) noexcept override;
    bool hasExplicitPrecision() const noexcept override { return mExplicitPrecision; }
    nvinfer1::ILoop* addLoop() noexcept override;
    nvinfer1::ISelectLayer* addSelect(
        nvinfer1::ITensor& condition, nvinfer1::ITensor& thenInput, nvinfer1::ITensor& elseInput) noexcept override;
    nvinfer1::IFillLayer* addFill(nvinfer1::Dims dimensions, nvinfer1::FillOperation op) noexcept override;
    nvinfer1::IPaddingLayer* addPaddingNd(
        nvinfer1::ITensor& input, nvinfer1::Dims prePadding, nvinfer1::Dims postPadding) noexcept override;

    // Additions of TensorRT 8.x and later.
    nvinfer1::IQuantizeLayer* addQuantize(nvinfer1::ITensor& input, nvinfer1::ITensor& scale) noexcept override;
    nvinfer1::IDequantizeLayer* addDequantize(nvinfer1::ITensor& input, nvinfer1::ITensor& scale) noexcept override;
    nvinfer1::IScatterLayer* addScatter(nvinfer1::ITensor& data, nvinfer1::ITensor& indices, nvinfer1::ITensor& updates,
        nvinfer1::ScatterMode mode) noexcept override;
    nvinfer1::IEinsumLayer* addEinsum(
        nvinfer1::ITensor* const* inputs, int32_t nbInputs, const char* equation) noexcept override;
    nvinfer1::IOneHotLayer* addOneHot(nvinfer1::ITensor& indices, nvinfer1::ITensor& values, nvinfer1::ITensor& depth,
        int32_t axis) noexcept override;
    nvinfer1::IGatherLayer* addGatherV2(
        nvinfer1::ITensor& data, nvinfer1::ITensor& indices, nvinfer1::GatherMode mode) noexcept override;
    nvinfer1::INormalizationLayer* addNormalization(nvinfer1::ITensor& input, nvinfer1::ITensor& scale,
        nvinfer1::ITensor& bias, uint32_t axesMask) noexcept override;
    nvinfer1::ICumulativeLayer* addCumulative(nvinfer1::ITensor& input, nvinfer1::ITensor& axis,
        nvinfer1::CumulativeOperation operation, bool exclusive, bool reverse) noexcept override;

    void setExplicitPrecision(bool value) { mExplicitPrecision = value; }

private:
    std::string uniqueLayerName(ir::LayerKind kind);
    void registerLayer(ir::Layer* layer, std::unique_ptr<nvinfer1::ILayer> wrapper);

    Reporter mReporter;
    ir::Graph mGraph;
    bool mExplicitPrecision{false};
    std::vector<std::unique_ptr<nvinfer1::ILayer>> mLayers; // creation order, parallel to mGraph.layers
    std::unordered_map<const ir::Layer*, nvinfer1::ILayer*> mLayerOf;
    std::unordered_map<const ir::Layer*, size_t> mCreationIndex; //!< position in mGraph.layers
    std::unordered_map<const ir::Tensor*, std::unique_ptr<TensorImpl>> mTensorOf;
    std::unordered_map<const nvinfer1::ITensor*, ir::Tensor*> mIrOf;
    int32_t mLayerCounter{0};

    // Shape cache for ITensor::getDimensions(): descriptors of the inputs and of the first
    // mShapedLayers layers in creation order.
    size_t mShapedLayers{0};
    bool mShapesValid{false};
    Status mShapeStatus;
    std::unordered_map<const ir::Tensor*, ir::TensorDesc> mShapes;
};

} // namespace kiln::api
