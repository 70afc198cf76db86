//! \file NvInfer.h
//! The builder side of the API: tensors, layers, the network definition, the builder and its
//! configuration, calibrators and the algorithm selector.
//!
//! Usage sketch (explicit batch):
//! \code
//!   IBuilder* builder = createInferBuilder(logger);
//!   INetworkDefinition* network = builder->createNetworkV2(
//!       1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH));
//!   ITensor* x = network->addInput("x", DataType::kFLOAT, Dims4{1, 1, 28, 28});
//!   IActivationLayer* relu = network->addActivation(*x, ActivationType::kRELU);
//!   network->markOutput(*relu->getOutput(0));
//!   IBuilderConfig* config = builder->createBuilderConfig();
//!   ICudaEngine* engine = builder->buildEngineWithConfig(*network, *config);
//! \endcode
//!
//! Ownership: the network owns its layers and tensors (pointers stay valid until the network is
//! destroyed). Weights are referenced, not copied, until the engine is built. Objects returned by
//! create* and build* belong to the caller.

#ifndef NV_INFER_H
#define NV_INFER_H

#include "NvInferRuntime.h"

namespace nvinfer1
{

//! Kind of a layer. Values are those of TensorRT 7.2.
enum class LayerType : int32_t
{
    kCONVOLUTION = 0,
    kFULLY_CONNECTED = 1,
    kACTIVATION = 2,
    kPOOLING = 3,
    kLRN = 4,
    kSCALE = 5,
    kSOFTMAX = 6,
    kDECONVOLUTION = 7,
    kCONCATENATION = 8,
    kELEMENTWISE = 9,
    kPLUGIN = 10,
    kRNN = 11,
    kUNARY = 12,
    kPADDING = 13,
    kSHUFFLE = 14,
    kREDUCE = 15,
    kTOPK = 16,
    kGATHER = 17,
    kMATRIX_MULTIPLY = 18,
    kRAGGED_SOFTMAX = 19,
    kCONSTANT = 20,
    kRNN_V2 = 21,
    kIDENTITY = 22,
    kPLUGIN_V2 = 23,
    kSLICE = 24,
    kSHAPE = 25,
    kPARAMETRIC_RELU = 26,
    kRESIZE = 27,
    kTRIP_LIMIT = 28,
    kRECURRENCE = 29,
    kITERATOR = 30,
    kLOOP_OUTPUT = 31,
    kSELECT = 32,
    kFILL = 33,
    // Kinds added by TensorRT 8.x and later, appended in 8.x order after the 7.2 numbering (the 8.0
    // renumbering, which removed kRNN, is not followed so that 7.2 values stay valid).
    kQUANTIZE = 34,
    kDEQUANTIZE = 35,
    kCONDITION = 36,
    kCONDITIONAL_INPUT = 37,
    kCONDITIONAL_OUTPUT = 38,
    kSCATTER = 39,
    kEINSUM = 40,
    kASSERTION = 41,
    kONE_HOT = 42,
    kNON_ZERO = 43,
    kGRID_SAMPLE = 44,
    kNMS = 45,
    kREVERSE_SEQUENCE = 46,
    kNORMALIZATION = 47,
    kCAST = 48,
    kCUMULATIVE = 49
};
template <>
constexpr inline int32_t EnumMax<LayerType>()
{
    return 50;
}

using TensorFormats = uint32_t;

//! A tensor of a network definition. Owned by the network.
class ITensor
{
public:
    //! Names the tensor. Inputs and outputs must be named; the string is copied.
    virtual void setName(const char* name) noexcept = 0;
    virtual const char* getName() const noexcept = 0;
    //! Sets the dimensions of a network input (ignored with an error for other tensors).
    virtual void setDimensions(Dims dimensions) noexcept = 0;
    //! Dimensions; for a layer output, inferred from the layer's inputs and parameters (nbDims -1
    //! and an error in the log if the layer is invalid).
    virtual Dims getDimensions() const noexcept = 0;
    virtual void setType(DataType type) noexcept = 0;
    virtual DataType getType() const noexcept = 0;
    virtual bool setDynamicRange(float min, float max) noexcept = 0;
    TRT_DEPRECATED virtual float getDynamicRange() const noexcept = 0;
    virtual bool isNetworkInput() const noexcept = 0;
    virtual bool isNetworkOutput() const noexcept = 0;
    virtual ~ITensor() noexcept {}
    virtual void setBroadcastAcrossBatch(bool broadcastAcrossBatch) noexcept = 0;
    virtual bool getBroadcastAcrossBatch() const noexcept = 0;
    virtual TensorLocation getLocation() const noexcept = 0;
    virtual void setLocation(TensorLocation location) noexcept = 0;
    virtual bool dynamicRangeIsSet() const noexcept = 0;
    virtual void resetDynamicRange() noexcept = 0;
    virtual float getDynamicRangeMin() const noexcept = 0;
    virtual float getDynamicRangeMax() const noexcept = 0;
    virtual void setAllowedFormats(TensorFormats formats) noexcept = 0;
    virtual TensorFormats getAllowedFormats() const noexcept = 0;
    virtual bool isShapeTensor() const noexcept = 0;
    virtual bool isExecutionTensor() const noexcept = 0;
};

//! A layer of a network definition. Owned by the network.
class ILayer
{
public:
    virtual LayerType getType() const noexcept = 0;
    //! Names the layer (copied). Layers get a unique default name when created.
    virtual void setName(const char* name) noexcept = 0;
    virtual const char* getName() const noexcept = 0;
    virtual int32_t getNbInputs() const noexcept = 0;
    //! Input \p index, or nullptr if unset or out of range.
    virtual ITensor* getInput(int32_t index) const noexcept = 0;
    virtual int32_t getNbOutputs() const noexcept = 0;
    virtual ITensor* getOutput(int32_t index) const noexcept = 0;
    //! Replaces input \p index; some layers accept optional extra inputs (see each layer).
    virtual void setInput(int32_t index, ITensor& tensor) noexcept = 0;
    virtual void setPrecision(DataType dataType) noexcept = 0;
    virtual DataType getPrecision() const noexcept = 0;
    virtual bool precisionIsSet() const noexcept = 0;
    virtual void resetPrecision() noexcept = 0;
    virtual void setOutputType(int32_t index, DataType dataType) noexcept = 0;
    virtual DataType getOutputType(int32_t index) const noexcept = 0;
    virtual bool outputTypeIsSet(int32_t index) const noexcept = 0;
    virtual void resetOutputType(int32_t index) noexcept = 0;
    virtual ~ILayer() noexcept {}
};

//! How convolution, deconvolution and pooling compute their output size and padding.
enum class PaddingMode : int32_t
{
    kEXPLICIT_ROUND_DOWN = 0, //!< out = floor((in + pre + post - window) / stride) + 1
    kEXPLICIT_ROUND_UP = 1,   //!< out = ceil((in + pre + post - window) / stride) + 1
    kSAME_UPPER = 2,          //!< out = ceil(in / stride); extra padding at the end
    kSAME_LOWER = 3,          //!< out = ceil(in / stride); extra padding at the start
    kCAFFE_ROUND_DOWN = 4,    //!< as kEXPLICIT_ROUND_DOWN with symmetric padding
    kCAFFE_ROUND_UP = 5       //!< as kEXPLICIT_ROUND_UP with symmetric padding
};
template <>
constexpr inline int32_t EnumMax<PaddingMode>()
{
    return 6;
}

//! Convolution over the trailing 2 or 3 dimensions; input {..., C, (D,) H, W}. Kernel weights are
//! {K, C/groups, (kd,) kh, kw} row-major; bias {K} or empty. Inputs 1 and 2 may be set to kernel
//! and bias tensors (not supported by Kiln yet).
class IConvolutionLayer : public ILayer
{
public:
    TRT_DEPRECATED virtual void setKernelSize(DimsHW kernelSize) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getKernelSize() const noexcept = 0;
    virtual void setNbOutputMaps(int32_t nbOutputMaps) noexcept = 0;
    virtual int32_t getNbOutputMaps() const noexcept = 0;
    TRT_DEPRECATED virtual void setStride(DimsHW stride) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getStride() const noexcept = 0;
    TRT_DEPRECATED virtual void setPadding(DimsHW padding) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getPadding() const noexcept = 0;
    virtual void setNbGroups(int32_t nbGroups) noexcept = 0;
    virtual int32_t getNbGroups() const noexcept = 0;
    virtual void setKernelWeights(Weights weights) noexcept = 0;
    virtual Weights getKernelWeights() const noexcept = 0;
    virtual void setBiasWeights(Weights weights) noexcept = 0;
    virtual Weights getBiasWeights() const noexcept = 0;
    TRT_DEPRECATED virtual void setDilation(DimsHW dilation) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getDilation() const noexcept = 0;
    virtual void setPrePadding(Dims padding) noexcept = 0;
    virtual Dims getPrePadding() const noexcept = 0;
    virtual void setPostPadding(Dims padding) noexcept = 0;
    virtual Dims getPostPadding() const noexcept = 0;
    virtual void setPaddingMode(PaddingMode paddingMode) noexcept = 0;
    virtual PaddingMode getPaddingMode() const noexcept = 0;
    virtual void setKernelSizeNd(Dims kernelSize) noexcept = 0;
    virtual Dims getKernelSizeNd() const noexcept = 0;
    virtual void setStrideNd(Dims stride) noexcept = 0;
    virtual Dims getStrideNd() const noexcept = 0;
    virtual void setPaddingNd(Dims padding) noexcept = 0;
    virtual Dims getPaddingNd() const noexcept = 0;
    virtual void setDilationNd(Dims dilation) noexcept = 0;
    virtual Dims getDilationNd() const noexcept = 0;
    using ILayer::setInput;
    virtual ~IConvolutionLayer() noexcept {}
};

//! Y = X·Wᵀ + b over the last three input dimensions {C, H, W} flattened; output {..., K, 1, 1}.
class IFullyConnectedLayer : public ILayer
{
public:
    virtual void setNbOutputChannels(int32_t nbOutputs) noexcept = 0;
    virtual int32_t getNbOutputChannels() const noexcept = 0;
    virtual void setKernelWeights(Weights weights) noexcept = 0;
    virtual Weights getKernelWeights() const noexcept = 0;
    virtual void setBiasWeights(Weights weights) noexcept = 0;
    virtual Weights getBiasWeights() const noexcept = 0;
    using ILayer::setInput;
    virtual ~IFullyConnectedLayer() noexcept {}
};

//! Element-wise activation functions; alpha and beta as documented per value.
enum class ActivationType : int32_t
{
    kRELU = 0,             //!< max(x, 0)
    kSIGMOID = 1,          //!< 1 / (1 + exp(-x))
    kTANH = 2,             //!< tanh(x)
    kLEAKY_RELU = 3,       //!< x >= 0 ? x : alpha·x
    kELU = 4,              //!< x >= 0 ? x : alpha·(exp(x) - 1)
    kSELU = 5,             //!< x > 0 ? beta·x : beta·alpha·(exp(x) - 1)
    kSOFTSIGN = 6,         //!< x / (1 + |x|)
    kSOFTPLUS = 7,         //!< alpha·log(exp(beta·x) + 1)
    kCLIP = 8,             //!< max(alpha, min(beta, x))
    kHARD_SIGMOID = 9,     //!< max(0, min(1, alpha·x + beta))
    kSCALED_TANH = 10,     //!< alpha·tanh(beta·x)
    kTHRESHOLDED_RELU = 11, //!< x > alpha ? x : 0
    kGELU_ERF = 12,         //!< 0.5·x·(1 + erf(x/√2)) (added in 10.x)
    kGELU_TANH = 13         //!< 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (added in 10.x)
};
template <>
constexpr inline int32_t EnumMax<ActivationType>()
{
    return 14;
}

class IActivationLayer : public ILayer
{
public:
    virtual void setActivationType(ActivationType type) noexcept = 0;
    virtual ActivationType getActivationType() const noexcept = 0;
    virtual void setAlpha(float alpha) noexcept = 0;
    virtual void setBeta(float beta) noexcept = 0;
    virtual float getAlpha() const noexcept = 0;
    virtual float getBeta() const noexcept = 0;
    virtual ~IActivationLayer() noexcept {}
};

enum class PoolingType : int32_t
{
    kMAX = 0,
    kAVERAGE = 1,
    kMAX_AVERAGE_BLEND = 2 //!< blend·max + (1 - blend)·average
};
template <>
constexpr inline int32_t EnumMax<PoolingType>()
{
    return 3;
}

//! Pooling over the trailing 2 or 3 dimensions.
class IPoolingLayer : public ILayer
{
public:
    virtual void setPoolingType(PoolingType type) noexcept = 0;
    virtual PoolingType getPoolingType() const noexcept = 0;
    TRT_DEPRECATED virtual void setWindowSize(DimsHW windowSize) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getWindowSize() const noexcept = 0;
    TRT_DEPRECATED virtual void setStride(DimsHW stride) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getStride() const noexcept = 0;
    TRT_DEPRECATED virtual void setPadding(DimsHW padding) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getPadding() const noexcept = 0;
    virtual void setBlendFactor(float blendFactor) noexcept = 0;
    virtual float getBlendFactor() const noexcept = 0;
    //! true (default): padded cells are left out of the average's count.
    virtual void setAverageCountExcludesPadding(bool exclusive) noexcept = 0;
    virtual bool getAverageCountExcludesPadding() const noexcept = 0;
    virtual void setPrePadding(Dims padding) noexcept = 0;
    virtual Dims getPrePadding() const noexcept = 0;
    virtual void setPostPadding(Dims padding) noexcept = 0;
    virtual Dims getPostPadding() const noexcept = 0;
    virtual void setPaddingMode(PaddingMode paddingMode) noexcept = 0;
    virtual PaddingMode getPaddingMode() const noexcept = 0;
    virtual void setWindowSizeNd(Dims windowSize) noexcept = 0;
    virtual Dims getWindowSizeNd() const noexcept = 0;
    virtual void setStrideNd(Dims stride) noexcept = 0;
    virtual Dims getStrideNd() const noexcept = 0;
    virtual void setPaddingNd(Dims padding) noexcept = 0;
    virtual Dims getPaddingNd() const noexcept = 0;
    virtual ~IPoolingLayer() noexcept {}
};

//! Cross-channel local response normalization: y = x / (k + alpha/window · Σ x²)^beta.
class ILRNLayer : public ILayer
{
public:
    virtual void setWindowSize(int32_t windowSize) noexcept = 0;
    virtual int32_t getWindowSize() const noexcept = 0;
    virtual void setAlpha(float alpha) noexcept = 0;
    virtual float getAlpha() const noexcept = 0;
    virtual void setBeta(float beta) noexcept = 0;
    virtual float getBeta() const noexcept = 0;
    virtual void setK(float k) noexcept = 0;
    virtual float getK() const noexcept = 0;
    virtual ~ILRNLayer() noexcept {}
};

enum class ScaleMode : int32_t
{
    kUNIFORM = 0,    //!< one coefficient for the whole tensor
    kCHANNEL = 1,    //!< one coefficient per channel
    kELEMENTWISE = 2 //!< one coefficient per element of {C, H, W}
};
template <>
constexpr inline int32_t EnumMax<ScaleMode>()
{
    return 3;
}

//! y = (x·scale + shift)^power; empty weights leave that term out.
class IScaleLayer : public ILayer
{
public:
    virtual void setMode(ScaleMode mode) noexcept = 0;
    virtual ScaleMode getMode() const noexcept = 0;
    virtual void setShift(Weights shift) noexcept = 0;
    virtual Weights getShift() const noexcept = 0;
    virtual void setScale(Weights scale) noexcept = 0;
    virtual Weights getScale() const noexcept = 0;
    virtual void setPower(Weights power) noexcept = 0;
    virtual Weights getPower() const noexcept = 0;
    virtual int32_t getChannelAxis() const noexcept = 0;
    virtual ~IScaleLayer() noexcept {}
};

//! Softmax along one axis given as a one-bit mask. Default: axis (rank - 3), or 0 below rank 3,
//! counted without the batch in implicit-batch networks.
class ISoftMaxLayer : public ILayer
{
public:
    virtual void setAxes(uint32_t axes) noexcept = 0;
    virtual uint32_t getAxes() const noexcept = 0;
    virtual ~ISoftMaxLayer() noexcept {}
};

//! Concatenation along one axis (default: rank - 3, or 0 below rank 3).
class IConcatenationLayer : public ILayer
{
public:
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual int32_t getAxis() const noexcept = 0;
    virtual ~IConcatenationLayer() noexcept {}
};

//! Transposed convolution; kernel weights {C, K/groups, (kd,) kh, kw}.
class IDeconvolutionLayer : public ILayer
{
public:
    TRT_DEPRECATED virtual void setKernelSize(DimsHW kernelSize) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getKernelSize() const noexcept = 0;
    virtual void setNbOutputMaps(int32_t nbOutputMaps) noexcept = 0;
    virtual int32_t getNbOutputMaps() const noexcept = 0;
    TRT_DEPRECATED virtual void setStride(DimsHW stride) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getStride() const noexcept = 0;
    TRT_DEPRECATED virtual void setPadding(DimsHW padding) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getPadding() const noexcept = 0;
    virtual void setNbGroups(int32_t nbGroups) noexcept = 0;
    virtual int32_t getNbGroups() const noexcept = 0;
    virtual void setKernelWeights(Weights weights) noexcept = 0;
    virtual Weights getKernelWeights() const noexcept = 0;
    virtual void setBiasWeights(Weights weights) noexcept = 0;
    virtual Weights getBiasWeights() const noexcept = 0;
    virtual void setPrePadding(Dims padding) noexcept = 0;
    virtual Dims getPrePadding() const noexcept = 0;
    virtual void setPostPadding(Dims padding) noexcept = 0;
    virtual Dims getPostPadding() const noexcept = 0;
    virtual void setPaddingMode(PaddingMode paddingMode) noexcept = 0;
    virtual PaddingMode getPaddingMode() const noexcept = 0;
    virtual void setKernelSizeNd(Dims kernelSize) noexcept = 0;
    virtual Dims getKernelSizeNd() const noexcept = 0;
    virtual void setStrideNd(Dims stride) noexcept = 0;
    virtual Dims getStrideNd() const noexcept = 0;
    virtual void setPaddingNd(Dims padding) noexcept = 0;
    virtual Dims getPaddingNd() const noexcept = 0;
    using ILayer::setInput;
    virtual void setDilationNd(Dims dilation) noexcept = 0;
    virtual Dims getDilationNd() const noexcept = 0;
    virtual ~IDeconvolutionLayer() noexcept {}
};

//! Binary element-wise operations with broadcasting over extents of 1 (equal ranks required).
enum class ElementWiseOperation : int32_t
{
    kSUM = 0,
    kPROD = 1,
    kMAX = 2,
    kMIN = 3,
    kSUB = 4,
    kDIV = 5,
    kPOW = 6,
    kFLOOR_DIV = 7,
    kAND = 8,
    kOR = 9,
    kXOR = 10,
    kEQUAL = 11,
    kGREATER = 12,
    kLESS = 13
};
template <>
constexpr inline int32_t EnumMax<ElementWiseOperation>()
{
    return 14;
}

class IElementWiseLayer : public ILayer
{
public:
    virtual void setOperation(ElementWiseOperation op) noexcept = 0;
    virtual ElementWiseOperation getOperation() const noexcept = 0;
    virtual ~IElementWiseLayer() noexcept {}
};

//! Gathers slices of input 0 along an axis at the indices of input 1 (INT32).
//! How IGatherLayer and IScatterLayer use their indices (added in 8.2).
enum class GatherMode : int32_t
{
    kDEFAULT = 0, //!< output = data with the gather axis replaced by the index dims
    kELEMENT = 1, //!< ONNX GatherElements: indices and output have the data's rank
    kND = 2       //!< ONNX GatherND: the last index axis addresses leading data axes
};
template <>
constexpr inline int32_t EnumMax<GatherMode>()
{
    return 3;
}

class IGatherLayer : public ILayer
{
public:
    virtual void setGatherAxis(int32_t axis) noexcept = 0;
    virtual int32_t getGatherAxis() const noexcept = 0;
    virtual void setNbElementWiseDims(int32_t k) noexcept = 0;
    virtual int32_t getNbElementWiseDims() const noexcept = 0;
    //! How indices address the data (added in 8.2; kDEFAULT is the 7.2 behaviour).
    virtual void setMode(GatherMode mode) noexcept = 0;
    virtual GatherMode getMode() const noexcept = 0;
    virtual ~IGatherLayer() noexcept {}
};

enum class RNNOperation : int32_t
{
    kRELU = 0,
    kTANH = 1,
    kLSTM = 2,
    kGRU = 3
};
template <>
constexpr inline int32_t EnumMax<RNNOperation>()
{
    return 4;
}

enum class RNNDirection : int32_t
{
    kUNIDIRECTION = 0,
    kBIDIRECTION = 1
};
template <>
constexpr inline int32_t EnumMax<RNNDirection>()
{
    return 2;
}

enum class RNNInputMode : int32_t
{
    kLINEAR = 0,
    kSKIP = 1
};
template <>
constexpr inline int32_t EnumMax<RNNInputMode>()
{
    return 2;
}

//! Legacy RNN layer (deprecated). Kiln declares it; addRNN() reports that RNNs are not supported.
class IRNNLayer : public ILayer
{
public:
    virtual uint32_t getLayerCount() const noexcept = 0;
    virtual std::size_t getHiddenSize() const noexcept = 0;
    virtual int32_t getSeqLength() const noexcept = 0;
    virtual void setOperation(RNNOperation op) noexcept = 0;
    virtual RNNOperation getOperation() const noexcept = 0;
    virtual void setInputMode(RNNInputMode op) noexcept = 0;
    virtual RNNInputMode getInputMode() const noexcept = 0;
    virtual void setDirection(RNNDirection op) noexcept = 0;
    virtual RNNDirection getDirection() const noexcept = 0;
    virtual void setWeights(Weights weights) noexcept = 0;
    virtual Weights getWeights() const noexcept = 0;
    virtual void setBias(Weights bias) noexcept = 0;
    virtual Weights getBias() const noexcept = 0;
    virtual int32_t getDataLength() const noexcept = 0;
    virtual void setHiddenState(ITensor& hidden) noexcept = 0;
    virtual ITensor* getHiddenState() const noexcept = 0;
    virtual void setCellState(ITensor& cell) noexcept = 0;
    virtual ITensor* getCellState() const noexcept = 0;
    virtual ~IRNNLayer() noexcept {}
};

enum class RNNGateType : int32_t
{
    kINPUT = 0,
    kOUTPUT = 1,
    kFORGET = 2,
    kUPDATE = 3,
    kRESET = 4,
    kCELL = 5,
    kHIDDEN = 6
};
template <>
constexpr inline int32_t EnumMax<RNNGateType>()
{
    return 7;
}

//! RNN layer. Kiln declares it; addRNNv2() reports that RNNs are not supported yet.
class IRNNv2Layer : public ILayer
{
public:
    virtual int32_t getLayerCount() const noexcept = 0;
    virtual int32_t getHiddenSize() const noexcept = 0;
    virtual int32_t getMaxSeqLength() const noexcept = 0;
    virtual int32_t getDataLength() const noexcept = 0;
    virtual void setSequenceLengths(ITensor& seqLengths) noexcept = 0;
    virtual ITensor* getSequenceLengths() const noexcept = 0;
    virtual void setOperation(RNNOperation op) noexcept = 0;
    virtual RNNOperation getOperation() const noexcept = 0;
    virtual void setInputMode(RNNInputMode op) noexcept = 0;
    virtual RNNInputMode getInputMode() const noexcept = 0;
    virtual void setDirection(RNNDirection op) noexcept = 0;
    virtual RNNDirection getDirection() const noexcept = 0;
    virtual void setWeightsForGate(int32_t layerIndex, RNNGateType gate, bool isW, Weights weights) noexcept = 0;
    virtual Weights getWeightsForGate(int32_t layerIndex, RNNGateType gate, bool isW) const noexcept = 0;
    virtual void setBiasForGate(int32_t layerIndex, RNNGateType gate, bool isW, Weights bias) noexcept = 0;
    virtual Weights getBiasForGate(int32_t layerIndex, RNNGateType gate, bool isW) const noexcept = 0;
    virtual void setHiddenState(ITensor& hidden) noexcept = 0;
    virtual ITensor* getHiddenState() const noexcept = 0;
    virtual void setCellState(ITensor& cell) noexcept = 0;
    virtual ITensor* getCellState() const noexcept = 0;
    virtual ~IRNNv2Layer() noexcept {}
};

//! Legacy output-size formula for convolution and pooling (deprecated).
class IOutputDimensionsFormula
{
public:
    virtual DimsHW compute(DimsHW inputDims, DimsHW kernelSize, DimsHW stride, DimsHW padding, DimsHW dilation,
        const char* layerName) const TRTNOEXCEPT = 0;
    virtual ~IOutputDimensionsFormula() {}
};

//! Legacy plugin layer (deprecated).
class IPluginLayer : public ILayer
{
public:
    virtual IPlugin& getPlugin() noexcept = 0;
    virtual ~IPluginLayer() noexcept {}
};

//! Layer that runs an IPluginV2.
class IPluginV2Layer : public ILayer
{
public:
    virtual IPluginV2& getPlugin() noexcept = 0;
    virtual ~IPluginV2Layer() noexcept {}
};

enum class UnaryOperation : int32_t
{
    kEXP = 0,
    kLOG = 1,
    kSQRT = 2,
    kRECIP = 3,
    kABS = 4,
    kNEG = 5,
    kSIN = 6,
    kCOS = 7,
    kTAN = 8,
    kSINH = 9,
    kCOSH = 10,
    kASIN = 11,
    kACOS = 12,
    kATAN = 13,
    kASINH = 14,
    kACOSH = 15,
    kATANH = 16,
    kCEIL = 17,
    kFLOOR = 18,
    kERF = 19,
    kNOT = 20,
    kSIGN = 21,  //!< -1, 0 or 1 (added in 8.x)
    kROUND = 22, //!< round half to even (added in 8.x)
    kISINF = 23, //!< BOOL output (added in 8.6)
    kISNAN = 24  //!< BOOL output (added in 10.x)
};
template <>
constexpr inline int32_t EnumMax<UnaryOperation>()
{
    return 25;
}

class IUnaryLayer : public ILayer
{
public:
    virtual void setOperation(UnaryOperation op) noexcept = 0;
    virtual UnaryOperation getOperation() const noexcept = 0;
    virtual ~IUnaryLayer() noexcept {}
};

enum class ReduceOperation : int32_t
{
    kSUM = 0,
    kPROD = 1,
    kMAX = 2,
    kMIN = 3,
    kAVG = 4
};
template <>
constexpr inline int32_t EnumMax<ReduceOperation>()
{
    return 5;
}

//! Reduction over the axes of a bit mask.
class IReduceLayer : public ILayer
{
public:
    virtual void setOperation(ReduceOperation op) noexcept = 0;
    virtual ReduceOperation getOperation() const noexcept = 0;
    virtual void setReduceAxes(uint32_t reduceAxes) noexcept = 0;
    virtual uint32_t getReduceAxes() const noexcept = 0;
    virtual void setKeepDimensions(bool keepDimensions) noexcept = 0;
    virtual bool getKeepDimensions() const noexcept = 0;
    virtual ~IReduceLayer() noexcept {}
};

//! Zero padding of the trailing dimensions; negative padding crops.
class IPaddingLayer : public ILayer
{
public:
    TRT_DEPRECATED virtual void setPrePadding(DimsHW padding) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getPrePadding() const noexcept = 0;
    TRT_DEPRECATED virtual void setPostPadding(DimsHW padding) noexcept = 0;
    TRT_DEPRECATED virtual DimsHW getPostPadding() const noexcept = 0;
    virtual void setPrePaddingNd(Dims padding) noexcept = 0;
    virtual Dims getPrePaddingNd() const noexcept = 0;
    virtual void setPostPaddingNd(Dims padding) noexcept = 0;
    virtual Dims getPostPaddingNd() const noexcept = 0;
    virtual ~IPaddingLayer() noexcept {}
};

//! A permutation of up to Dims::MAX_DIMS axes: output axis i takes input axis order[i].
struct Permutation
{
    int32_t order[Dims::MAX_DIMS];
};

//! Transpose, reshape, transpose. Reshape dimensions may hold 0 (copy the input extent, unless
//! zeroIsPlaceholder is false) and one -1 (inferred). Input 1 may be an INT32 shape tensor giving
//! the reshape dimensions.
class IShuffleLayer : public ILayer
{
public:
    virtual void setFirstTranspose(Permutation permutation) noexcept = 0;
    virtual Permutation getFirstTranspose() const noexcept = 0;
    virtual void setReshapeDimensions(Dims dimensions) noexcept = 0;
    virtual Dims getReshapeDimensions() const noexcept = 0;
    using ILayer::setInput;
    virtual void setSecondTranspose(Permutation permutation) noexcept = 0;
    virtual Permutation getSecondTranspose() const noexcept = 0;
    virtual void setZeroIsPlaceholder(bool zeroIsPlaceholder) noexcept = 0;
    virtual bool getZeroIsPlaceholder() const noexcept = 0;
    virtual ~IShuffleLayer() noexcept {}
};

enum class SliceMode : int32_t
{
    kDEFAULT = 0, //!< out-of-bounds reads are an error
    kWRAP = 1,    //!< coordinates wrap around
    kCLAMP = 2,   //!< out-of-bounds coordinates are clamped to the edge (added in 8.x)
    kFILL = 3,    //!< out-of-bounds reads give the fill value, input 4 (default 0) (added in 8.x)
    kREFLECT = 4  //!< coordinates reflect at the edges without repeating them (added in 8.x)
};
template <>
constexpr inline int32_t EnumMax<SliceMode>()
{
    return 5;
}

//! Strided slice: output[i] = input[start + i·stride]. Inputs 1..3 may be INT32 shape tensors for
//! start, size and stride.
class ISliceLayer : public ILayer
{
public:
    virtual void setStart(Dims start) noexcept = 0;
    virtual Dims getStart() const noexcept = 0;
    virtual void setSize(Dims size) noexcept = 0;
    virtual Dims getSize() const noexcept = 0;
    virtual void setStride(Dims stride) noexcept = 0;
    virtual Dims getStride() const noexcept = 0;
    virtual void setMode(SliceMode mode) noexcept = 0;
    virtual SliceMode getMode() const noexcept = 0;
    using ILayer::setInput;
    virtual ~ISliceLayer() noexcept {}
};

//! Outputs the dimensions of its input as a 1-D INT32 tensor.
class IShapeLayer : public ILayer
{
public:
    virtual ~IShapeLayer() noexcept {}
};

enum class TopKOperation : int32_t
{
    kMAX = 0,
    kMIN = 1
};
template <>
constexpr inline int32_t EnumMax<TopKOperation>()
{
    return 2;
}

//! The k largest or smallest values along one axis (output 0) and their INT32 indices (output 1).
class ITopKLayer : public ILayer
{
public:
    virtual void setOperation(TopKOperation op) noexcept = 0;
    virtual TopKOperation getOperation() const noexcept = 0;
    virtual void setK(int32_t k) noexcept = 0;
    virtual int32_t getK() const noexcept = 0;
    virtual void setReduceAxes(uint32_t reduceAxes) noexcept = 0;
    virtual uint32_t getReduceAxes() const noexcept = 0;
    virtual ~ITopKLayer() noexcept {}
};

enum class MatrixOperation : int32_t
{
    kNONE = 0,      //!< the last two dimensions are a matrix
    kTRANSPOSE = 1, //!< the last two dimensions are a matrix, transposed
    kVECTOR = 2     //!< the last dimension is a vector
};
template <>
constexpr inline int32_t EnumMax<MatrixOperation>()
{
    return 3;
}

//! Batched matrix product with broadcasting over the leading dimensions.
class IMatrixMultiplyLayer : public ILayer
{
public:
    virtual void setOperation(int32_t index, MatrixOperation op) noexcept = 0;
    virtual MatrixOperation getOperation(int32_t index) const noexcept = 0;
    TRT_DEPRECATED virtual void setTranspose(int32_t index, bool val) noexcept = 0;
    TRT_DEPRECATED virtual bool getTranspose(int32_t index) const noexcept = 0;
    virtual ~IMatrixMultiplyLayer() noexcept {}
};

//! Softmax over ragged sequences (not supported by Kiln yet).
class IRaggedSoftMaxLayer : public ILayer
{
public:
    virtual ~IRaggedSoftMaxLayer() noexcept {}
};

//! Copies its input (also converts between FLOAT and INT32 when the output type is set).
class IIdentityLayer : public ILayer
{
public:
    virtual ~IIdentityLayer() noexcept {}
};

//! A constant tensor from weights (not broadcast across the batch in implicit-batch networks).
class IConstantLayer : public ILayer
{
public:
    virtual void setWeights(Weights weights) noexcept = 0;
    virtual Weights getWeights() const noexcept = 0;
    virtual void setDimensions(Dims dimensions) noexcept = 0;
    virtual Dims getDimensions() const noexcept = 0;
    virtual ~IConstantLayer() noexcept {}
};

//! y = x >= 0 ? x : slope·x, with the slope tensor broadcast to x.
class IParametricReLULayer : public ILayer
{
public:
    virtual ~IParametricReLULayer() noexcept {}
};

enum class ResizeMode : int32_t
{
    kNEAREST = 0,
    kLINEAR = 1,
    kCUBIC = 2 //!< added in 8.x
};
template <>
constexpr inline int32_t EnumMax<ResizeMode>()
{
    return 3;
}

//! How output coordinates map to input coordinates (added in 8.x; the last three are Kiln's
//! additions for ONNX Resize).
enum class ResizeCoordinateTransformation : int32_t
{
    kALIGN_CORNERS = 0,        //!< x_in = x_out · (in - 1) / (out - 1)
    kASYMMETRIC = 1,           //!< x_in = x_out / scale
    kHALF_PIXEL = 2,           //!< x_in = (x_out + 0.5) / scale - 0.5
    kHALF_PIXEL_SYMMETRIC = 3, //!< half pixel, centred: ONNX half_pixel_symmetric
    kTF_HALF_PIXEL_FOR_NN = 4, //!< x_in = (x_out + 0.5) / scale
    kTF_CROP_AND_RESIZE = 5    //!< coordinates inside the region of interest given as input 2
};
template <>
constexpr inline int32_t EnumMax<ResizeCoordinateTransformation>()
{
    return 6;
}

//! How a resize to a single output pixel picks its input coordinate (added in 8.x).
enum class ResizeSelector : int32_t
{
    kFORMULA = 0, //!< use the coordinate transformation
    kUPPER = 1    //!< use coordinate 0 (ONNX pytorch_half_pixel)
};
template <>
constexpr inline int32_t EnumMax<ResizeSelector>()
{
    return 2;
}

//! How nearest-neighbour resize rounds coordinates (added in 8.x).
enum class ResizeRoundMode : int32_t
{
    kHALF_UP = 0,   //!< ONNX round_prefer_ceil
    kHALF_DOWN = 1, //!< ONNX round_prefer_floor
    kFLOOR = 2,
    kCEIL = 3
};
template <>
constexpr inline int32_t EnumMax<ResizeRoundMode>()
{
    return 4;
}

//! Resize by output dimensions, by scales, or by an INT32 shape tensor set as input 1.
class IResizeLayer : public ILayer
{
public:
    virtual void setOutputDimensions(Dims dimensions) noexcept = 0;
    virtual Dims getOutputDimensions() const noexcept = 0;
    virtual void setScales(const float* scales, int32_t nbScales) noexcept = 0;
    //! Copies at most \p size scales into \p scales; returns the number of scales, or -1 if the
    //! output dimensions were set instead.
    virtual int32_t getScales(int32_t size, float* scales) const noexcept = 0;
    virtual void setResizeMode(ResizeMode resizeMode) noexcept = 0;
    virtual ResizeMode getResizeMode() const noexcept = 0;
    virtual void setAlignCorners(bool alignCorners) noexcept = 0;
    virtual bool getAlignCorners() const noexcept = 0;
    using ILayer::setInput;
    // Added in 8.x.
    virtual void setCoordinateTransformation(ResizeCoordinateTransformation coordTransform) noexcept = 0;
    virtual ResizeCoordinateTransformation getCoordinateTransformation() const noexcept = 0;
    virtual void setSelectorForSinglePixel(ResizeSelector selector) noexcept = 0;
    virtual ResizeSelector getSelectorForSinglePixel() const noexcept = 0;
    virtual void setNearestRounding(ResizeRoundMode value) noexcept = 0;
    virtual ResizeRoundMode getNearestRounding() const noexcept = 0;
    virtual void setCubicCoeff(float A) noexcept = 0;
    virtual float getCubicCoeff() const noexcept = 0;
    virtual void setExcludeOutside(bool excludeFlag) noexcept = 0;
    virtual bool getExcludeOutside() const noexcept = 0;
    //! Kiln addition: the value of output points outside the region of interest (kTF_CROP_AND_RESIZE).
    virtual void setExtrapolationValue(float value) noexcept = 0;
    virtual float getExtrapolationValue() const noexcept = 0;
    virtual ~IResizeLayer() noexcept {}
};

enum class LoopOutput : int32_t
{
    kLAST_VALUE = 0,
    kCONCATENATE = 1,
    kREVERSE = 2
};
template <>
constexpr inline int32_t EnumMax<LoopOutput>()
{
    return 3;
}

enum class TripLimit : int32_t
{
    kCOUNT = 0,
    kWHILE = 1
};
template <>
constexpr inline int32_t EnumMax<TripLimit>()
{
    return 2;
}

class ILoop;

class ILoopBoundaryLayer : public ILayer
{
public:
    virtual ILoop* getLoop() const noexcept = 0;
    virtual ~ILoopBoundaryLayer() noexcept {}
};

class IRecurrenceLayer : public ILoopBoundaryLayer
{
public:
    using ILayer::setInput;
    virtual ~IRecurrenceLayer() noexcept {}
};

class ILoopOutputLayer : public ILoopBoundaryLayer
{
public:
    virtual LoopOutput getLoopOutput() const noexcept = 0;
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual int32_t getAxis() const noexcept = 0;
    using ILayer::setInput;
    virtual ~ILoopOutputLayer() noexcept {}
};

class ITripLimitLayer : public ILoopBoundaryLayer
{
public:
    virtual TripLimit getTripLimit() const noexcept = 0;
    virtual ~ITripLimitLayer() noexcept {}
};

class IIteratorLayer : public ILoopBoundaryLayer
{
public:
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual int32_t getAxis() const noexcept = 0;
    virtual void setReverse(bool reverse) noexcept = 0;
    virtual bool getReverse() const noexcept = 0;
    virtual ~IIteratorLayer() noexcept {}
};

//! A loop of layers (not supported by Kiln yet: addLoop() reports so and returns nullptr).
class ILoop
{
public:
    virtual IRecurrenceLayer* addRecurrence(ITensor& initialValue) noexcept = 0;
    virtual ITripLimitLayer* addTripLimit(ITensor& tensor, TripLimit limit) noexcept = 0;
    virtual IIteratorLayer* addIterator(ITensor& tensor, int32_t axis = 0, bool reverse = false) noexcept = 0;
    virtual ILoopOutputLayer* addLoopOutput(ITensor& tensor, LoopOutput outputKind, int32_t axis = 0) noexcept = 0;
    virtual void setName(const char* name) noexcept = 0;
    virtual const char* getName() const noexcept = 0;

protected:
    virtual ~ILoop() noexcept {}
};

//! output = condition ? then : else, with broadcasting; condition is a BOOL tensor.
class ISelectLayer : public ILayer
{
public:
    virtual ~ISelectLayer() noexcept {}
};

enum class FillOperation : int32_t
{
    kLINSPACE = 0,
    kRANDOM_UNIFORM = 1,
    kRANDOM_NORMAL = 2 //!< added in 8.x
};
template <>
constexpr inline int32_t EnumMax<FillOperation>()
{
    return 3;
}

//! Generates a tensor: a linear ramp (alpha + beta·index along each axis), or seeded random values.
class IFillLayer : public ILayer
{
public:
    virtual void setDimensions(Dims dimensions) noexcept = 0;
    virtual Dims getDimensions() const noexcept = 0;
    virtual void setOperation(FillOperation op) noexcept = 0;
    virtual FillOperation getOperation() const noexcept = 0;
    virtual void setAlpha(double alpha) noexcept = 0;
    virtual double getAlpha() const noexcept = 0;
    virtual void setBeta(double beta) noexcept = 0;
    virtual double getBeta() const noexcept = 0;
    using ILayer::setInput;
    virtual ~IFillLayer() noexcept {}
};

// ---- Layers added by TensorRT 8.x and later (additive; a 7.2 program never sees them) ----

//! Quantizes FLOAT to INT8 (or the type set with setToType): clamp(round(x / scale) + zeroPoint).
//! Input 1 is the scale (a scalar, or a vector along getAxis()); optional input 2 is the zero point.
class IQuantizeLayer : public ILayer
{
public:
    virtual int32_t getAxis() const noexcept = 0;
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual void setToType(DataType toType) noexcept = 0;
    virtual DataType getToType() const noexcept = 0;
    using ILayer::setInput;
    virtual ~IQuantizeLayer() noexcept {}
};

//! Dequantizes to FLOAT: (x - zeroPoint) · scale, with the same inputs as IQuantizeLayer.
class IDequantizeLayer : public ILayer
{
public:
    virtual int32_t getAxis() const noexcept = 0;
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual void setToType(DataType toType) noexcept = 0;
    virtual DataType getToType() const noexcept = 0;
    using ILayer::setInput;
    virtual ~IDequantizeLayer() noexcept {}
};

//! How IScatterLayer writes its updates (added in 8.2).
enum class ScatterMode : int32_t
{
    kELEMENT = 0, //!< ONNX ScatterElements along getAxis()
    kND = 1       //!< ONNX ScatterND
};
template <>
constexpr inline int32_t EnumMax<ScatterMode>()
{
    return 2;
}

//! output = data with updates written at the positions the indices name.
class IScatterLayer : public ILayer
{
public:
    virtual void setMode(ScatterMode mode) noexcept = 0;
    virtual ScatterMode getMode() const noexcept = 0;
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual int32_t getAxis() const noexcept = 0;
    virtual ~IScatterLayer() noexcept {}
};

//! Einstein summation over one or more inputs, e.g. "ij,jk->ik" or "...ii->...i" (ONNX Einsum).
class IEinsumLayer : public ILayer
{
public:
    virtual bool setEquation(const char* equation) noexcept = 0;
    virtual const char* getEquation() const noexcept = 0;
    virtual ~IEinsumLayer() noexcept {}
};

//! One-hot encoding: a new axis of extent depth holding values[1] where the index matches, else
//! values[0]. Inputs: indices (INT32), values (2 elements), depth (INT32 scalar shape tensor).
class IOneHotLayer : public ILayer
{
public:
    virtual void setAxis(int32_t axis) noexcept = 0;
    virtual int32_t getAxis() const noexcept = 0;
    virtual ~IOneHotLayer() noexcept {}
};

//! Normalization over the axes of axesMask: (x - mean) / sqrt(variance + epsilon) · scale + bias.
//! With getNbGroups() > 1 the channel axis (1) is split into groups that are normalized apart
//! (group normalization); scale and bias broadcast against the input.
class INormalizationLayer : public ILayer
{
public:
    virtual void setEpsilon(float eps) noexcept = 0;
    virtual float getEpsilon() const noexcept = 0;
    virtual void setAxes(uint32_t axesMask) noexcept = 0;
    virtual uint32_t getAxes() const noexcept = 0;
    virtual void setNbGroups(int32_t nbGroups) noexcept = 0;
    virtual int32_t getNbGroups() const noexcept = 0;
    virtual void setComputePrecision(DataType type) noexcept = 0;
    virtual DataType getComputePrecision() const noexcept = 0;
    virtual ~INormalizationLayer() noexcept {}
};

//! The operation of an ICumulativeLayer (added in 10.x).
enum class CumulativeOperation : int32_t
{
    kSUM = 0
};
template <>
constexpr inline int32_t EnumMax<CumulativeOperation>()
{
    return 1;
}

//! Running sums along the axis given by input 1 (an INT32 scalar), optionally exclusive or reversed.
class ICumulativeLayer : public ILayer
{
public:
    virtual bool setOperation(CumulativeOperation op) noexcept = 0;
    virtual CumulativeOperation getOperation() const noexcept = 0;
    virtual void setExclusive(bool exclusive) noexcept = 0;
    virtual bool getExclusive() const noexcept = 0;
    virtual void setReverse(bool reverse) noexcept = 0;
    virtual bool getReverse() const noexcept = 0;
    virtual ~ICumulativeLayer() noexcept {}
};

//! A network to build an engine from. Created by IBuilder; the caller destroys it after the build.
//! Every add* returns nullptr, with an error naming the problem in the log, when its arguments are
//! invalid (a null tensor, a tensor of another network, weights with a wrong count…).
class INetworkDefinition
{
public:
    //! Adds an input. Implicit-batch networks leave the batch out of \p dimensions.
    virtual ITensor* addInput(const char* name, DataType type, Dims dimensions) noexcept = 0;
    virtual void markOutput(ITensor& tensor) noexcept = 0;
    TRT_DEPRECATED virtual IConvolutionLayer* addConvolution(ITensor& input, int32_t nbOutputMaps, DimsHW kernelSize,
        Weights kernelWeights, Weights biasWeights) noexcept = 0;
    virtual IFullyConnectedLayer* addFullyConnected(
        ITensor& input, int32_t nbOutputs, Weights kernelWeights, Weights biasWeights) noexcept = 0;
    virtual IActivationLayer* addActivation(ITensor& input, ActivationType type) noexcept = 0;
    TRT_DEPRECATED virtual IPoolingLayer* addPooling(ITensor& input, PoolingType type, DimsHW windowSize) noexcept = 0;
    virtual ILRNLayer* addLRN(ITensor& input, int32_t window, float alpha, float beta, float k) noexcept = 0;
    virtual IScaleLayer* addScale(
        ITensor& input, ScaleMode mode, Weights shift, Weights scale, Weights power) noexcept = 0;
    virtual ISoftMaxLayer* addSoftMax(ITensor& input) noexcept = 0;
    virtual IConcatenationLayer* addConcatenation(ITensor* const* inputs, int32_t nbInputs) noexcept = 0;
    TRT_DEPRECATED virtual IDeconvolutionLayer* addDeconvolution(ITensor& input, int32_t nbOutputMaps,
        DimsHW kernelSize, Weights kernelWeights, Weights biasWeights) noexcept = 0;
    virtual IElementWiseLayer* addElementWise(ITensor& input1, ITensor& input2, ElementWiseOperation op) noexcept = 0;
    TRT_DEPRECATED virtual IRNNLayer* addRNN(ITensor& inputs, int32_t layerCount, std::size_t hiddenSize,
        int32_t maxSeqLen, RNNOperation op, RNNInputMode mode, RNNDirection dir, Weights weights,
        Weights bias) noexcept = 0;
    TRT_DEPRECATED virtual IPluginLayer* addPlugin(ITensor* const* inputs, int32_t nbInputs, IPlugin& plugin) noexcept = 0;
    virtual IUnaryLayer* addUnary(ITensor& input, UnaryOperation operation) noexcept = 0;
    TRT_DEPRECATED virtual IPaddingLayer* addPadding(ITensor& input, DimsHW prePadding, DimsHW postPadding) noexcept = 0;
    virtual IShuffleLayer* addShuffle(ITensor& input) noexcept = 0;
    TRT_DEPRECATED virtual void setPoolingOutputDimensionsFormula(IOutputDimensionsFormula* formula) noexcept = 0;
    TRT_DEPRECATED virtual IOutputDimensionsFormula& getPoolingOutputDimensionsFormula() const noexcept = 0;
    TRT_DEPRECATED virtual void setConvolutionOutputDimensionsFormula(IOutputDimensionsFormula* formula) noexcept = 0;
    TRT_DEPRECATED virtual IOutputDimensionsFormula& getConvolutionOutputDimensionsFormula() const noexcept = 0;
    TRT_DEPRECATED virtual void setDeconvolutionOutputDimensionsFormula(IOutputDimensionsFormula* formula) noexcept = 0;
    TRT_DEPRECATED virtual IOutputDimensionsFormula& getDeconvolutionOutputDimensionsFormula() const noexcept = 0;
    virtual int32_t getNbLayers() const noexcept = 0;
    virtual ILayer* getLayer(int32_t index) const noexcept = 0;
    virtual int32_t getNbInputs() const noexcept = 0;
    virtual ITensor* getInput(int32_t index) const noexcept = 0;
    virtual int32_t getNbOutputs() const noexcept = 0;
    virtual ITensor* getOutput(int32_t index) const noexcept = 0;
    virtual void destroy() noexcept = 0;
    virtual ~INetworkDefinition() noexcept {}
    virtual IReduceLayer* addReduce(
        ITensor& input, ReduceOperation operation, uint32_t reduceAxes, bool keepDimensions) noexcept = 0;
    virtual ITopKLayer* addTopK(ITensor& input, TopKOperation op, int32_t k, uint32_t reduceAxes) noexcept = 0;
    virtual IGatherLayer* addGather(ITensor& data, ITensor& indices, int32_t axis) noexcept = 0;
    virtual IRaggedSoftMaxLayer* addRaggedSoftMax(ITensor& input, ITensor& bounds) noexcept = 0;
    virtual IMatrixMultiplyLayer* addMatrixMultiply(
        ITensor& input0, MatrixOperation op0, ITensor& input1, MatrixOperation op1) noexcept = 0;
    TRT_DEPRECATED virtual IMatrixMultiplyLayer* addMatrixMultiply(
        ITensor& input0, bool transpose0, ITensor& input1, bool transpose1) noexcept = 0;
    virtual IConstantLayer* addConstant(Dims dimensions, Weights weights) noexcept = 0;
    TRT_DEPRECATED virtual IRNNv2Layer* addRNNv2(
        ITensor& input, int32_t layerCount, int32_t hiddenSize, int32_t maxSeqLen, RNNOperation op) noexcept = 0;
    TRT_DEPRECATED virtual IPluginLayer* addPluginExt(ITensor* const* inputs, int32_t nbInputs, IPluginExt& plugin) noexcept = 0;
    virtual IIdentityLayer* addIdentity(ITensor& input) noexcept = 0;
    virtual void removeTensor(ITensor& tensor) noexcept = 0;
    virtual void unmarkOutput(ITensor& tensor) noexcept = 0;
    virtual IPluginV2Layer* addPluginV2(ITensor* const* inputs, int32_t nbInputs, IPluginV2& plugin) noexcept = 0;
    virtual ISliceLayer* addSlice(ITensor& input, Dims start, Dims size, Dims stride) noexcept = 0;
    virtual void setName(const char* name) noexcept = 0;
    virtual const char* getName() const noexcept = 0;
    virtual IShapeLayer* addShape(ITensor& input) noexcept = 0;
    virtual bool hasImplicitBatchDimension() const noexcept = 0;
    virtual bool markOutputForShapes(ITensor& tensor) noexcept = 0;
    virtual bool unmarkOutputForShapes(ITensor& tensor) noexcept = 0;
    virtual IParametricReLULayer* addParametricReLU(ITensor& input, ITensor& slope) noexcept = 0;
    virtual IConvolutionLayer* addConvolutionNd(
        ITensor& input, int32_t nbOutputMaps, Dims kernelSize, Weights kernelWeights, Weights biasWeights) noexcept = 0;
    virtual IPoolingLayer* addPoolingNd(ITensor& input, PoolingType type, Dims windowSize) noexcept = 0;
    virtual IDeconvolutionLayer* addDeconvolutionNd(
        ITensor& input, int32_t nbOutputMaps, Dims kernelSize, Weights kernelWeights, Weights biasWeights) noexcept = 0;
    virtual IScaleLayer* addScaleNd(
        ITensor& input, ScaleMode mode, Weights shift, Weights scale, Weights power, int32_t channelAxis) noexcept = 0;
    virtual IResizeLayer* addResize(ITensor& input) noexcept = 0;
    virtual bool hasExplicitPrecision() const noexcept = 0;
    virtual ILoop* addLoop() noexcept = 0;
    virtual ISelectLayer* addSelect(ITensor& condition, ITensor& thenInput, ITensor& elseInput) noexcept = 0;
    virtual IFillLayer* addFill(Dims dimensions, FillOperation op) noexcept = 0;
    virtual IPaddingLayer* addPaddingNd(ITensor& input, Dims prePadding, Dims postPadding) noexcept = 0;

    // Additions of TensorRT 8.x and later.
    virtual IQuantizeLayer* addQuantize(ITensor& input, ITensor& scale) noexcept = 0;
    virtual IDequantizeLayer* addDequantize(ITensor& input, ITensor& scale) noexcept = 0;
    virtual IScatterLayer* addScatter(ITensor& data, ITensor& indices, ITensor& updates, ScatterMode mode) noexcept = 0;
    virtual IEinsumLayer* addEinsum(ITensor* const* inputs, int32_t nbInputs, const char* equation) noexcept = 0;
    virtual IOneHotLayer* addOneHot(ITensor& indices, ITensor& values, ITensor& depth, int32_t axis) noexcept = 0;
    virtual IGatherLayer* addGatherV2(ITensor& data, ITensor& indices, GatherMode mode) noexcept = 0;
    virtual INormalizationLayer* addNormalization(
        ITensor& input, ITensor& scale, ITensor& bias, uint32_t axesMask) noexcept = 0;
    virtual ICumulativeLayer* addCumulative(
        ITensor& input, ITensor& axis, CumulativeOperation operation, bool exclusive, bool reverse) noexcept = 0;
};

enum class CalibrationAlgoType : int32_t
{
    kLEGACY_CALIBRATION = 0,
    kENTROPY_CALIBRATION = 1,
    kENTROPY_CALIBRATION_2 = 2,
    kMINMAX_CALIBRATION = 3
};
template <>
constexpr inline int32_t EnumMax<CalibrationAlgoType>()
{
    return 4;
}

//! INT8 calibrator, implemented by the application.
class IInt8Calibrator
{
public:
    virtual int32_t getBatchSize() const TRTNOEXCEPT = 0;
    virtual bool getBatch(void* bindings[], const char* names[], int32_t nbBindings) TRTNOEXCEPT = 0;
    virtual const void* readCalibrationCache(std::size_t& length) TRTNOEXCEPT = 0;
    virtual void writeCalibrationCache(const void* ptr, std::size_t length) TRTNOEXCEPT = 0;
    virtual CalibrationAlgoType getAlgorithm() TRTNOEXCEPT = 0;
    virtual ~IInt8Calibrator() {}
};

class IInt8EntropyCalibrator : public IInt8Calibrator
{
public:
    CalibrationAlgoType getAlgorithm() TRTNOEXCEPT override { return CalibrationAlgoType::kENTROPY_CALIBRATION; }
    virtual ~IInt8EntropyCalibrator() {}
};

class IInt8EntropyCalibrator2 : public IInt8Calibrator
{
public:
    CalibrationAlgoType getAlgorithm() TRTNOEXCEPT override { return CalibrationAlgoType::kENTROPY_CALIBRATION_2; }
    virtual ~IInt8EntropyCalibrator2() {}
};

class IInt8MinMaxCalibrator : public IInt8Calibrator
{
public:
    CalibrationAlgoType getAlgorithm() TRTNOEXCEPT override { return CalibrationAlgoType::kMINMAX_CALIBRATION; }
    virtual ~IInt8MinMaxCalibrator() {}
};

class IInt8LegacyCalibrator : public IInt8Calibrator
{
public:
    CalibrationAlgoType getAlgorithm() TRTNOEXCEPT override { return CalibrationAlgoType::kLEGACY_CALIBRATION; }
    virtual double getQuantile() const TRTNOEXCEPT = 0;
    virtual double getRegressionCutoff() const TRTNOEXCEPT = 0;
    virtual const void* readHistogramCache(std::size_t& length) TRTNOEXCEPT = 0;
    virtual void writeHistogramCache(const void* ptr, std::size_t length) TRTNOEXCEPT = 0;
    virtual ~IInt8LegacyCalibrator() {}
};

//! Format, type and strides of one input or output of an algorithm.
class IAlgorithmIOInfo
{
public:
    virtual TensorFormat getTensorFormat() const TRTNOEXCEPT = 0;
    virtual DataType getDataType() const TRTNOEXCEPT = 0;
    virtual Dims getStrides() const TRTNOEXCEPT = 0;

protected:
    virtual ~IAlgorithmIOInfo() {}
};

//! Identifies a kernel: the tactic source (implementation) and the tactic within it.
class IAlgorithmVariant
{
public:
    virtual int64_t getImplementation() const TRTNOEXCEPT = 0;
    virtual int64_t getTactic() const TRTNOEXCEPT = 0;

protected:
    virtual ~IAlgorithmVariant() {}
};

//! A node the builder chooses an algorithm for; inputs are numbered before outputs.
class IAlgorithmContext
{
public:
    virtual const char* getName() const TRTNOEXCEPT = 0;
    virtual Dims getDimensions(int32_t index, OptProfileSelector select) const TRTNOEXCEPT = 0;
    virtual int32_t getNbInputs() const TRTNOEXCEPT = 0;
    virtual int32_t getNbOutputs() const TRTNOEXCEPT = 0;

protected:
    virtual ~IAlgorithmContext() {}
};

//! One candidate kernel for a node.
class IAlgorithm
{
public:
    virtual const IAlgorithmIOInfo& getAlgorithmIOInfo(int32_t index) const TRTNOEXCEPT = 0;
    virtual const IAlgorithmVariant& getAlgorithmVariant() const TRTNOEXCEPT = 0;
    virtual float getTimingMSec() const TRTNOEXCEPT = 0;
    virtual std::size_t getWorkspaceSize() const TRTNOEXCEPT = 0;
    //! 8.x spelling: nullptr for an index out of range.
    virtual const IAlgorithmIOInfo* getAlgorithmIOInfoByIndex(int32_t index) const TRTNOEXCEPT = 0;

protected:
    virtual ~IAlgorithm() {}
};

//! Steers the builder's kernel choices, implemented by the application.
class IAlgorithmSelector
{
public:
    virtual int32_t selectAlgorithms(const IAlgorithmContext& context, const IAlgorithm* const* choices,
        int32_t nbChoices, int32_t* selection) TRTNOEXCEPT = 0;
    virtual void reportAlgorithms(const IAlgorithmContext* const* algoContexts, const IAlgorithm* const* algoChoices,
        int32_t nbAlgorithms) TRTNOEXCEPT = 0;
    virtual ~IAlgorithmSelector() {}
};

using QuantizationFlags = uint32_t;
enum class QuantizationFlag : int32_t
{
    kCALIBRATE_BEFORE_FUSION = 0
};
template <>
constexpr inline int32_t EnumMax<QuantizationFlag>()
{
    return 1;
}

using BuilderFlags = uint32_t;
//! Builder options, used as bit positions in BuilderFlags.
enum class BuilderFlag : int32_t
{
    kFP16 = 0,
    kINT8 = 1,
    kDEBUG = 2,
    kGPU_FALLBACK = 3,
    kSTRICT_TYPES = 4,
    kREFIT = 5,
    kDISABLE_TIMING_CACHE = 6,
    kTF32 = 7,
    // 8.x additions (same values as TensorRT 8.2).
    kSPARSE_WEIGHTS = 8,
    kSAFETY_SCOPE = 9,
    kOBEY_PRECISION_CONSTRAINTS = 10,
    kPREFER_PRECISION_CONSTRAINTS = 11,
    kDIRECT_IO = 12,
    //! selectAlgorithms() returning 0 is an error instead of meaning "default selection".
    kREJECT_EMPTY_ALGORITHMS = 13
};
template <>
constexpr inline int32_t EnumMax<BuilderFlag>()
{
    return 14;
}

enum class ProfilingVerbosity : int32_t
{
    kDEFAULT = 0,
    kNONE = 1,
    kVERBOSE = 2
};
template <>
constexpr inline int32_t EnumMax<ProfilingVerbosity>()
{
    return 3;
}

using TacticSources = uint32_t;
enum class TacticSource : int32_t
{
    kCUBLAS = 0,
    kCUBLAS_LT = 1
};
template <>
constexpr inline int32_t EnumMax<TacticSource>()
{
    return 2;
}

//! 8.x addition: memory pools whose limits the builder honours.
enum class MemoryPoolType : int32_t
{
    kWORKSPACE = 0,
    kDLA_MANAGED_SRAM = 1,
    kDLA_LOCAL_DRAM = 2,
    kDLA_GLOBAL_DRAM = 3
};

//! 8.x addition: measured tactic timings that builds share and update. Created by
//! IBuilderConfig::createTimingCache(); not owned by any config; the caller deletes it (or calls
//! destroy()). A serialized cache carries a verification header (Kiln version, device, tactic list).
class ITimingCache
{
public:
    //! The cache as bytes for createTimingCache(); the caller destroys the IHostMemory.
    virtual IHostMemory* serialize() const noexcept = 0;
    //! Adds \p inputCache's entries that this cache lacks. False (and nothing added) when the two
    //! caches come from different Kiln versions, or from different devices unless \p ignoreMismatch.
    virtual bool combine(const ITimingCache& inputCache, bool ignoreMismatch) noexcept = 0;
    //! Empties the cache.
    virtual bool reset() noexcept = 0;
    virtual void destroy() noexcept { delete this; }
    virtual ~ITimingCache() noexcept {}
};

//! Build options. Created by IBuilder::createBuilderConfig(); the caller destroys it.
class IBuilderConfig
{
public:
    virtual void setMinTimingIterations(int32_t minTiming) noexcept = 0;
    virtual int32_t getMinTimingIterations() const noexcept = 0;
    virtual void setAvgTimingIterations(int32_t avgTiming) noexcept = 0;
    virtual int32_t getAvgTimingIterations() const noexcept = 0;
    virtual void setEngineCapability(EngineCapability capability) noexcept = 0;
    virtual EngineCapability getEngineCapability() const noexcept = 0;
    virtual void setInt8Calibrator(IInt8Calibrator* calibrator) noexcept = 0;
    virtual IInt8Calibrator* getInt8Calibrator() const noexcept = 0;
    //! Largest scratch memory any one layer's kernel may use at run time.
    virtual void setMaxWorkspaceSize(std::size_t workspaceSize) noexcept = 0;
    virtual std::size_t getMaxWorkspaceSize() const noexcept = 0;
    virtual void setFlags(BuilderFlags builderFlags) noexcept = 0;
    virtual BuilderFlags getFlags() const noexcept = 0;
    virtual void clearFlag(BuilderFlag builderFlag) noexcept = 0;
    virtual void setFlag(BuilderFlag builderFlag) noexcept = 0;
    virtual bool getFlag(BuilderFlag builderFlag) const noexcept = 0;
    virtual void setDeviceType(const ILayer* layer, DeviceType deviceType) noexcept = 0;
    virtual DeviceType getDeviceType(const ILayer* layer) const noexcept = 0;
    virtual bool isDeviceTypeSet(const ILayer* layer) const noexcept = 0;
    virtual void resetDeviceType(const ILayer* layer) noexcept = 0;
    virtual bool canRunOnDLA(const ILayer* layer) const noexcept = 0;
    virtual void setDLACore(int32_t dlaCore) noexcept = 0;
    virtual int32_t getDLACore() const noexcept = 0;
    //! kCPU selects Kiln's CPU backend; it is also the default on a machine without CUDA.
    virtual void setDefaultDeviceType(DeviceType deviceType) noexcept = 0;
    virtual DeviceType getDefaultDeviceType() const noexcept = 0;
    virtual void reset() noexcept = 0;
    virtual void destroy() noexcept = 0;
    virtual void setProfileStream(const cudaStream_t stream) noexcept = 0;
    virtual cudaStream_t getProfileStream() const noexcept = 0;
    //! Adds a copy of \p profile; returns its index, or -1 if it is invalid.
    virtual int32_t addOptimizationProfile(const IOptimizationProfile* profile) noexcept = 0;
    virtual int32_t getNbOptimizationProfiles() const noexcept = 0;
    virtual ~IBuilderConfig() noexcept {}
    virtual void setProfilingVerbosity(ProfilingVerbosity verbosity) noexcept = 0;
    virtual ProfilingVerbosity getProfilingVerbosity() const noexcept = 0;
    virtual void setAlgorithmSelector(IAlgorithmSelector* selector) noexcept = 0;
    virtual IAlgorithmSelector* getAlgorithmSelector() const noexcept = 0;
    virtual bool setCalibrationProfile(const IOptimizationProfile* profile) noexcept = 0;
    virtual const IOptimizationProfile* getCalibrationProfile() noexcept = 0;
    virtual void setQuantizationFlags(QuantizationFlags flags) noexcept = 0;
    virtual QuantizationFlags getQuantizationFlags() const noexcept = 0;
    virtual void clearQuantizationFlag(QuantizationFlag flag) noexcept = 0;
    virtual void setQuantizationFlag(QuantizationFlag flag) noexcept = 0;
    virtual bool getQuantizationFlag(QuantizationFlag flag) const noexcept = 0;
    virtual bool setTacticSources(TacticSources tacticSources) noexcept = 0;
    virtual TacticSources getTacticSources() const noexcept = 0;

    // 8.x additions.
    //! kWORKSPACE is the same limit as setMaxWorkspaceSize.
    virtual void setMemoryPoolLimit(MemoryPoolType pool, std::size_t poolSize) noexcept = 0;
    virtual std::size_t getMemoryPoolLimit(MemoryPoolType pool) const noexcept = 0;
    //! A cache deserialized from \p blob (size 0: a new empty cache), or nullptr when the bytes are
    //! not a timing cache. The caller owns it.
    virtual ITimingCache* createTimingCache(const void* blob, std::size_t size) const noexcept = 0;
    //! Builds with this config read and update \p cache, which must outlive them. False when the
    //! cache was made on another device, Kiln version or tactic list, unless \p ignoreMismatch.
    virtual bool setTimingCache(const ITimingCache& cache, bool ignoreMismatch) noexcept = 0;
    //! The cache set with setTimingCache(), or nullptr.
    virtual const ITimingCache* getTimingCache() const noexcept = 0;
};

using NetworkDefinitionCreationFlags = uint32_t;
//! Network options, used as bit positions: createNetworkV2(1U << kEXPLICIT_BATCH).
enum class NetworkDefinitionCreationFlag : int32_t
{
    kEXPLICIT_BATCH = 0,
    kEXPLICIT_PRECISION = 1
};
template <>
constexpr inline int32_t EnumMax<NetworkDefinitionCreationFlag>()
{
    return 2;
}

//! Builds engines from networks. Created by createInferBuilder(); the caller destroys it after the
//! networks, configs and profiles it created are no longer used (engines may outlive it).
class IBuilder
{
public:
    TRT_DEPRECATED virtual nvinfer1::INetworkDefinition* createNetwork() noexcept = 0;
    virtual void setMaxBatchSize(int32_t batchSize) noexcept = 0;
    virtual int32_t getMaxBatchSize() const noexcept = 0;
    TRT_DEPRECATED virtual void setMaxWorkspaceSize(std::size_t workspaceSize) noexcept = 0;
    TRT_DEPRECATED virtual std::size_t getMaxWorkspaceSize() const noexcept = 0;
    TRT_DEPRECATED virtual void setHalf2Mode(bool mode) noexcept = 0;
    TRT_DEPRECATED virtual bool getHalf2Mode() const noexcept = 0;
    TRT_DEPRECATED virtual void setDebugSync(bool sync) noexcept = 0;
    TRT_DEPRECATED virtual bool getDebugSync() const noexcept = 0;
    TRT_DEPRECATED virtual void setMinFindIterations(int32_t minFind) noexcept = 0;
    TRT_DEPRECATED virtual int32_t getMinFindIterations() const noexcept = 0;
    TRT_DEPRECATED virtual void setAverageFindIterations(int32_t avgFind) noexcept = 0;
    TRT_DEPRECATED virtual int32_t getAverageFindIterations() const noexcept = 0;
    TRT_DEPRECATED virtual nvinfer1::ICudaEngine* buildCudaEngine(nvinfer1::INetworkDefinition& network) noexcept = 0;
    virtual bool platformHasFastFp16() const noexcept = 0;
    virtual bool platformHasFastInt8() const noexcept = 0;
    virtual void destroy() noexcept = 0;
    TRT_DEPRECATED virtual void setInt8Mode(bool mode) noexcept = 0;
    TRT_DEPRECATED virtual bool getInt8Mode() const noexcept = 0;
    TRT_DEPRECATED virtual void setInt8Calibrator(IInt8Calibrator* calibrator) noexcept = 0;
    TRT_DEPRECATED virtual void setDeviceType(ILayer* layer, DeviceType deviceType) noexcept = 0;
    TRT_DEPRECATED virtual DeviceType getDeviceType(const ILayer* layer) const noexcept = 0;
    TRT_DEPRECATED virtual bool isDeviceTypeSet(const ILayer* layer) const noexcept = 0;
    TRT_DEPRECATED virtual void resetDeviceType(ILayer* layer) noexcept = 0;
    TRT_DEPRECATED virtual bool canRunOnDLA(const ILayer* layer) const noexcept = 0;
    TRT_DEPRECATED virtual void setDefaultDeviceType(DeviceType deviceType) noexcept = 0;
    TRT_DEPRECATED virtual DeviceType getDefaultDeviceType() const noexcept = 0;
    virtual int32_t getMaxDLABatchSize() const noexcept = 0;
    TRT_DEPRECATED virtual void allowGPUFallback(bool setFallBackMode) noexcept = 0;
    virtual int32_t getNbDLACores() const noexcept = 0;
    TRT_DEPRECATED virtual void setDLACore(int32_t dlaCore) noexcept = 0;
    TRT_DEPRECATED virtual int32_t getDLACore() const noexcept = 0;
    TRT_DEPRECATED virtual void reset(nvinfer1::INetworkDefinition& network) noexcept = 0;
    virtual ~IBuilder() noexcept {}
    //! Sets the allocator for everything built from now on; it must outlive those engines.
    virtual void setGpuAllocator(IGpuAllocator* allocator) noexcept = 0;
    TRT_DEPRECATED virtual void setFp16Mode(bool mode) noexcept = 0;
    TRT_DEPRECATED virtual bool getFp16Mode() const noexcept = 0;
    TRT_DEPRECATED virtual void setStrictTypeConstraints(bool mode) noexcept = 0;
    TRT_DEPRECATED virtual bool getStrictTypeConstraints() const noexcept = 0;
    TRT_DEPRECATED virtual void setRefittable(bool canRefit) noexcept = 0;
    TRT_DEPRECATED virtual bool getRefittable() const noexcept = 0;
    TRT_DEPRECATED virtual void setEngineCapability(EngineCapability capability) noexcept = 0;
    TRT_DEPRECATED virtual EngineCapability getEngineCapability() const noexcept = 0;
    virtual nvinfer1::IBuilderConfig* createBuilderConfig() noexcept = 0;
    //! Builds an engine; nullptr, with errors naming the layers at fault, if the build fails.
    virtual nvinfer1::ICudaEngine* buildEngineWithConfig(
        INetworkDefinition& network, IBuilderConfig& config) noexcept = 0;
    virtual nvinfer1::INetworkDefinition* createNetworkV2(NetworkDefinitionCreationFlags flags) noexcept = 0;
    virtual nvinfer1::IOptimizationProfile* createOptimizationProfile() noexcept = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) noexcept = 0;
    virtual IErrorRecorder* getErrorRecorder() const noexcept = 0;
    virtual void reset() noexcept = 0;
    virtual bool platformHasTf32() const noexcept = 0;

    // 8.x addition.
    //! Builds and serializes an engine in one call; the caller destroys the memory.
    virtual nvinfer1::IHostMemory* buildSerializedNetwork(
        INetworkDefinition& network, IBuilderConfig& config) noexcept = 0;
};

} // namespace nvinfer1

extern "C" TENSORRTAPI void* createInferBuilder_INTERNAL(void* logger, int32_t version);

namespace nvinfer1
{
namespace
{
//! Creates a builder that reports through \p logger.
inline IBuilder* createInferBuilder(ILogger& logger)
{
    return static_cast<IBuilder*>(createInferBuilder_INTERNAL(&logger, NV_TENSORRT_VERSION));
}
} // namespace
} // namespace nvinfer1

#endif // NV_INFER_H
