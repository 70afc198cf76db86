//! \file NvInferRuntime.h
//! The runtime: deserializing engines, creating execution contexts and running them, refitting
//! weights. Everything a deploy-only program needs.
//!
//! Ownership: every object returned by a create*/deserialize*/serialize call belongs to the caller,
//! who frees it with destroy() or delete. Objects must be freed before the object that created them
//! (contexts before their engine, engines before their runtime); the logger and allocator handed in
//! must outlive all of them.

#ifndef NV_INFER_RUNTIME_H
#define NV_INFER_RUNTIME_H

#include "NvInferRuntimeCommon.h"

namespace nvinfer1
{

class ICudaEngine;
class IExecutionContext;
class IPluginFactory;

//! Weights handed to the network. The network keeps the pointer, not a copy: the memory must stay
//! valid and unchanged until the engine is built. Empty weights are {type, nullptr, 0}.
class Weights
{
public:
    DataType type;      //!< Element type.
    const void* values; //!< The values, or nullptr for empty weights.
    int64_t count;      //!< Number of elements.
};

//! A block of memory owned by the library (serialized engines, for instance), or by the
//! application when it implements this interface itself.
class IHostMemory
{
public:
    virtual void* data() const noexcept = 0;
    virtual std::size_t size() const noexcept = 0;
    virtual DataType type() const noexcept = 0;
    virtual void destroy() noexcept = 0;
    virtual ~IHostMemory() noexcept {}
};

//! Legacy custom layer interface (deprecated in 7.x).
class IPlugin
{
public:
    virtual int32_t getNbOutputs() const TRTNOEXCEPT = 0;
    virtual Dims getOutputDimensions(int32_t index, const Dims* inputs, int32_t nbInputDims) TRTNOEXCEPT = 0;
    virtual void configure(const Dims* inputDims, int32_t nbInputs, const Dims* outputDims, int32_t nbOutputs,
        int32_t maxBatchSize) TRTNOEXCEPT = 0;
    virtual int32_t initialize() TRTNOEXCEPT = 0;
    virtual void terminate() TRTNOEXCEPT = 0;
    virtual size_t getWorkspaceSize(int32_t maxBatchSize) const TRTNOEXCEPT = 0;
    virtual int32_t enqueue(int32_t batchSize, const void* const* inputs, void** outputs, void* workspace,
        cudaStream_t stream) TRTNOEXCEPT = 0;
    virtual size_t getSerializationSize() TRTNOEXCEPT = 0;
    virtual void serialize(void* buffer) TRTNOEXCEPT = 0;
    virtual ~IPlugin() {}
};

//! Legacy custom layer interface with format support (deprecated in 7.x).
class IPluginExt : public IPlugin
{
public:
    virtual int32_t getTensorRTVersion() const TRTNOEXCEPT { return NV_TENSORRT_VERSION; }
    virtual bool supportsFormat(DataType type, PluginFormat format) const TRTNOEXCEPT = 0;
    virtual void configureWithFormat(const Dims* inputDims, int32_t nbInputs, const Dims* outputDims,
        int32_t nbOutputs, DataType type, PluginFormat format, int32_t maxBatchSize) TRTNOEXCEPT = 0;
    virtual ~IPluginExt() {}

protected:
    void configure(const Dims*, int32_t, const Dims*, int32_t, int32_t) TRTNOEXCEPT _TENSORRT_FINAL {}
};

//! Operations on symbolic dimensions (dynamic plugins).
enum class DimensionOperation : int32_t
{
    kSUM = 0,
    kPROD = 1,
    kMAX = 2,
    kMIN = 3,
    kSUB = 4,
    kEQUAL = 5,
    kLESS = 6,
    kFLOOR_DIV = 7,
    kCEIL_DIV = 8
};
template <>
constexpr inline int32_t EnumMax<DimensionOperation>()
{
    return 9;
}

//! A symbolic dimension, owned by the builder.
class IDimensionExpr
{
public:
    virtual bool isConstant() const = 0;
    virtual int32_t getConstantValue() const = 0;

protected:
    virtual ~IDimensionExpr() {}
};

//! Builds symbolic dimensions.
class IExprBuilder
{
public:
    virtual const IDimensionExpr* constant(int32_t value) = 0;
    virtual const IDimensionExpr* operation(
        DimensionOperation op, const IDimensionExpr& first, const IDimensionExpr& second) = 0;

protected:
    virtual ~IExprBuilder() {}
};

//! Symbolic dimensions of a tensor.
class DimsExprs
{
public:
    int32_t nbDims;
    const IDimensionExpr* d[Dims::MAX_DIMS];
};

//! Plugin tensor description with the range of dimensions the profile allows.
struct DynamicPluginTensorDesc
{
    PluginTensorDesc desc;
    Dims min;
    Dims max;
};

//! Plugin interface for networks with dynamic shapes.
class IPluginV2DynamicExt : public IPluginV2Ext
{
public:
    IPluginV2DynamicExt* clone() const _TENSORRT_OVERRIDE TRTNOEXCEPT = 0;
    virtual DimsExprs getOutputDimensions(
        int32_t outputIndex, const DimsExprs* inputs, int32_t nbInputs, IExprBuilder& exprBuilder) = 0;
    static constexpr int32_t kFORMAT_COMBINATION_LIMIT = 100;
    virtual bool supportsFormatCombination(
        int32_t pos, const PluginTensorDesc* inOut, int32_t nbInputs, int32_t nbOutputs) TRTNOEXCEPT = 0;
    virtual void configurePlugin(const DynamicPluginTensorDesc* in, int32_t nbInputs,
        const DynamicPluginTensorDesc* out, int32_t nbOutputs) TRTNOEXCEPT = 0;
    virtual size_t getWorkspaceSize(const PluginTensorDesc* inputs, int32_t nbInputs, const PluginTensorDesc* outputs,
        int32_t nbOutputs) const TRTNOEXCEPT = 0;
    virtual int32_t enqueue(const PluginTensorDesc* inputDesc, const PluginTensorDesc* outputDesc,
        const void* const* inputs, void* const* outputs, void* workspace, cudaStream_t stream) TRTNOEXCEPT = 0;
    virtual ~IPluginV2DynamicExt() {}

protected:
    int32_t getTensorRTVersion() const _TENSORRT_OVERRIDE TRTNOEXCEPT
    {
        return (static_cast<int32_t>(PluginVersion::kV2_DYNAMICEXT) << 24) | (NV_TENSORRT_VERSION & 0xFFFFFF);
    }

private:
    Dims getOutputDimensions(int32_t, const Dims*, int32_t) _TENSORRT_FINAL TRTNOEXCEPT { return Dims{-1, {}, {}}; }
    bool isOutputBroadcastAcrossBatch(int32_t, const bool*, int32_t) const _TENSORRT_FINAL TRTNOEXCEPT
    {
        return false;
    }
    bool canBroadcastInputAcrossBatch(int32_t) const _TENSORRT_FINAL TRTNOEXCEPT { return true; }
    bool supportsFormat(DataType, PluginFormat) const _TENSORRT_FINAL TRTNOEXCEPT { return false; }
    void configurePlugin(const Dims*, int32_t, const Dims*, int32_t, const DataType*, const DataType*, const bool*,
        const bool*, PluginFormat, int32_t) _TENSORRT_FINAL TRTNOEXCEPT
    {
    }
    size_t getWorkspaceSize(int32_t) const _TENSORRT_FINAL TRTNOEXCEPT { return 0; }
    int32_t enqueue(int32_t, const void* const*, void**, void*, cudaStream_t) _TENSORRT_FINAL TRTNOEXCEPT
    {
        return 1;
    }
};

//! Receives per-layer execution times, implemented by the application and set on a context.
class IProfiler
{
public:
    //! Called once per engine layer after each synchronous execute/executeV2 (and, on CPU engines,
    //! enqueue/enqueueV2, which are synchronous), in execution order.
    virtual void reportLayerTime(const char* layerName, float ms) TRTNOEXCEPT = 0;
    virtual ~IProfiler() {}
};

//! The role of a set of weights inside a layer, for refitting.
enum class WeightsRole : int32_t
{
    kKERNEL = 0,  //!< Convolution, deconvolution and fully connected kernel.
    kBIAS = 1,    //!< Convolution, deconvolution and fully connected bias.
    kSHIFT = 2,   //!< IScaleLayer shift.
    kSCALE = 3,   //!< IScaleLayer scale.
    kCONSTANT = 4 //!< IConstantLayer weights.
};
template <>
constexpr inline int32_t EnumMax<WeightsRole>()
{
    return 5;
}

//! The device a layer runs on. Kiln appends kCPU: the default device on a machine without a usable
//! CUDA device.
enum class DeviceType : int32_t
{
    kGPU = 0,
    kDLA = 1,
    kCPU = 2
};
template <>
constexpr inline int32_t EnumMax<DeviceType>()
{
    return 3;
}

//! Deserializes engines. Created by createInferRuntime().
class IRuntime
{
public:
    //! Deserializes an engine written by ICudaEngine::serialize(). Returns nullptr, with an error
    //! logged saying what is wrong, for a truncated, corrupt, foreign-version or foreign-device file.
    //! \p pluginFactory must be nullptr (legacy plugins are not supported).
    virtual ICudaEngine* deserializeCudaEngine(const void* blob, std::size_t size, IPluginFactory* pluginFactory) noexcept = 0;
    virtual void setDLACore(int32_t dlaCore) noexcept = 0;
    virtual int32_t getDLACore() const noexcept = 0;
    virtual int32_t getNbDLACores() const noexcept = 0;
    virtual void destroy() noexcept = 0;
    virtual ~IRuntime() noexcept {}
    //! Sets the allocator for engines deserialized from now on; nullptr restores the default.
    virtual void setGpuAllocator(IGpuAllocator* allocator) noexcept = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) noexcept = 0;
    virtual IErrorRecorder* getErrorRecorder() const noexcept = 0;
    ICudaEngine* deserializeCudaEngine(const void* blob, std::size_t size) noexcept
    {
        return deserializeCudaEngine(blob, size, nullptr);
    }
};

//! Updates the weights of an engine built with BuilderFlag::kREFIT, addressed by network layer name
//! and WeightsRole; weights fused together by the optimizer must be set together (getMissing).
class IRefitter
{
public:
    virtual bool setWeights(const char* layerName, WeightsRole role, Weights weights) TRTNOEXCEPT = 0;
    virtual bool refitCudaEngine() TRTNOEXCEPT = 0;
    virtual int32_t getMissing(int32_t size, const char** layerNames, WeightsRole* roles) TRTNOEXCEPT = 0;
    virtual int32_t getAll(int32_t size, const char** layerNames, WeightsRole* roles) TRTNOEXCEPT = 0;
    virtual void destroy() TRTNOEXCEPT = 0;
    virtual bool setDynamicRange(const char* tensorName, float min, float max) TRTNOEXCEPT = 0;
    virtual float getDynamicRangeMin(const char* tensorName) const TRTNOEXCEPT = 0;
    virtual float getDynamicRangeMax(const char* tensorName) const TRTNOEXCEPT = 0;
    virtual int32_t getTensorsWithDynamicRange(int32_t size, const char** tensorNames) const TRTNOEXCEPT = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) TRTNOEXCEPT = 0;
    virtual IErrorRecorder* getErrorRecorder() const TRTNOEXCEPT = 0;
    virtual ~IRefitter() {}
};

//! Legacy plugin factory for deserialization (deprecated). Kiln accepts only nullptr.
class IPluginFactory
{
public:
    virtual IPlugin* createPlugin(const char* layerName, const void* serialData, size_t serialLength) TRTNOEXCEPT = 0;
    virtual ~IPluginFactory() {}
};

//! Selects the minimum, optimum or maximum dimensions of an optimization profile.
enum class OptProfileSelector : int32_t
{
    kMIN = 0,
    kOPT = 1,
    kMAX = 2
};
template <>
constexpr inline int32_t EnumMax<OptProfileSelector>()
{
    return 3;
}

//! Ranges of input dimensions an engine must support. Owned by the builder that created it.
class IOptimizationProfile
{
public:
    //! Sets the min/opt/max dimensions of a network input. Returns false if the ranks of the three
    //! selectors differ or min <= opt <= max does not hold for what has been set so far.
    virtual bool setDimensions(const char* inputName, OptProfileSelector select, Dims dims) noexcept = 0;
    //! Returns the dimensions set, or Dims with nbDims -1 if none.
    virtual Dims getDimensions(const char* inputName, OptProfileSelector select) const noexcept = 0;
    virtual bool setShapeValues(
        const char* inputName, OptProfileSelector select, const int32_t* values, int32_t nbValues) noexcept = 0;
    virtual int32_t getNbShapeValues(const char* inputName) const noexcept = 0;
    virtual const int32_t* getShapeValues(const char* inputName, OptProfileSelector select) const noexcept = 0;
    virtual bool setExtraMemoryTarget(float target) noexcept = 0;
    virtual float getExtraMemoryTarget() const noexcept = 0;
    //! True when every input named has all three selectors set consistently.
    virtual bool isValid() const noexcept = 0;

protected:
    ~IOptimizationProfile() noexcept {}
};

//! Where a binding's memory lives. CPU engines answer kHOST for every binding.
enum class TensorLocation : int32_t
{
    kDEVICE = 0,
    kHOST = 1
};
template <>
constexpr inline int32_t EnumMax<TensorLocation>()
{
    return 2;
}

//! Restrictions on the engine the builder produces.
enum class EngineCapability : int32_t
{
    kDEFAULT = 0,
    kSAFE_GPU = 1,
    kSAFE_DLA = 2
};
template <>
constexpr inline int32_t EnumMax<EngineCapability>()
{
    return 3;
}

//! 8.x addition: whether a named I/O tensor is an input or an output.
enum class TensorIOMode : int32_t
{
    kNONE = 0,
    kINPUT = 1,
    kOUTPUT = 2
};

class IEngineInspector;

//! An optimized, immutable plan for one network. Thread-safe: any number of execution contexts may
//! run it concurrently.
//!
//! Bindings: inputs in network order, then outputs in the order they were marked. With K
//! optimization profiles the bindings repeat K times; profile k > 0 names its bindings
//! "<tensor> [profile k]".
class ICudaEngine
{
public:
    virtual int32_t getNbBindings() const noexcept = 0;
    //! Index of the binding named \p name (plain or profile-mangled), or -1.
    virtual int32_t getBindingIndex(const char* name) const noexcept = 0;
    //! Name of a binding, or nullptr for an index out of range. Owned by the engine.
    virtual const char* getBindingName(int32_t bindingIndex) const noexcept = 0;
    virtual bool bindingIsInput(int32_t bindingIndex) const noexcept = 0;
    //! Dimensions of a binding, -1 where the extent varies within the profile; nbDims -1 for an
    //! index out of range. Implicit-batch engines leave the batch out.
    virtual Dims getBindingDimensions(int32_t bindingIndex) const noexcept = 0;
    virtual DataType getBindingDataType(int32_t bindingIndex) const noexcept = 0;
    virtual int32_t getMaxBatchSize() const noexcept = 0;
    virtual int32_t getNbLayers() const noexcept = 0;
    TRT_DEPRECATED virtual std::size_t getWorkspaceSize() const noexcept = 0;
    //! Serializes the engine; the caller destroys the returned memory.
    virtual IHostMemory* serialize() const noexcept = 0;
    //! Creates a context that owns getDeviceMemorySize() bytes of activation memory.
    virtual IExecutionContext* createExecutionContext() noexcept = 0;
    virtual void destroy() noexcept = 0;
    virtual TensorLocation getLocation(int32_t bindingIndex) const noexcept = 0;
    virtual ~ICudaEngine() noexcept {}
    //! Creates a context that owns no activation memory; call setDeviceMemory() before running it.
    virtual IExecutionContext* createExecutionContextWithoutDeviceMemory() noexcept = 0;
    //! Bytes of activation and scratch memory one context needs (the maximum over all profiles).
    virtual size_t getDeviceMemorySize() const noexcept = 0;
    virtual bool isRefittable() const noexcept = 0;
    virtual int32_t getBindingBytesPerComponent(int32_t bindingIndex) const noexcept = 0;
    virtual int32_t getBindingComponentsPerElement(int32_t bindingIndex) const noexcept = 0;
    virtual TensorFormat getBindingFormat(int32_t bindingIndex) const noexcept = 0;
    virtual const char* getBindingFormatDesc(int32_t bindingIndex) const noexcept = 0;
    virtual int32_t getBindingVectorizedDim(int32_t bindingIndex) const noexcept = 0;
    virtual const char* getName() const noexcept = 0;
    virtual int32_t getNbOptimizationProfiles() const noexcept = 0;
    virtual Dims getProfileDimensions(
        int32_t bindingIndex, int32_t profileIndex, OptProfileSelector select) const noexcept = 0;
    virtual const int32_t* getProfileShapeValues(
        int32_t profileIndex, int32_t inputIndex, OptProfileSelector select) const noexcept = 0;
    virtual bool isShapeBinding(int32_t bindingIndex) const noexcept = 0;
    virtual bool isExecutionBinding(int32_t bindingIndex) const noexcept = 0;
    virtual EngineCapability getEngineCapability() const noexcept = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) noexcept = 0;
    virtual IErrorRecorder* getErrorRecorder() const noexcept = 0;
    virtual bool hasImplicitBatchDimension() const noexcept = 0;

    // 8.x additions: name-based I/O queries (profile 0 bindings).
    virtual int32_t getNbIOTensors() const noexcept = 0;
    virtual const char* getIOTensorName(int32_t index) const noexcept = 0;
    virtual TensorIOMode getTensorIOMode(const char* tensorName) const noexcept = 0;
    virtual Dims getTensorShape(const char* tensorName) const noexcept = 0;
    virtual DataType getTensorDataType(const char* tensorName) const noexcept = 0;
    //! 8.x addition: an inspector that describes the engine's layers; the caller destroys it.
    virtual IEngineInspector* createEngineInspector() const noexcept = 0;
};

//! Per-inference state of an engine: activation memory, the selected profile, input dimensions.
//! A context is used by one thread at a time; different contexts may run concurrently.
class IExecutionContext
{
public:
    //! Runs an implicit-batch engine synchronously. \p bindings holds getNbBindings() host
    //! pointers, each with room for batchSize items.
    virtual bool execute(int32_t batchSize, void* const* bindings) noexcept = 0;
    //! Runs an implicit-batch engine. On a CPU engine the work is done when the call returns; the
    //! stream may be null and is not touched, and *inputConsumed (if given) is not recorded.
    virtual bool enqueue(
        int32_t batchSize, void* const* bindings, cudaStream_t stream, cudaEvent_t* inputConsumed) noexcept = 0;
    virtual void setDebugSync(bool sync) noexcept = 0;
    virtual bool getDebugSync() const noexcept = 0;
    virtual void setProfiler(IProfiler*) noexcept = 0;
    virtual IProfiler* getProfiler() const noexcept = 0;
    virtual const ICudaEngine& getEngine() const noexcept = 0;
    virtual void destroy() noexcept = 0;
    virtual ~IExecutionContext() noexcept {}
    virtual void setName(const char* name) noexcept = 0;
    virtual const char* getName() const noexcept = 0;
    //! Gives the context getEngine().getDeviceMemorySize() bytes, 256-byte aligned, owned by the
    //! caller and in use until execution returns.
    virtual void setDeviceMemory(void* memory) noexcept = 0;
    virtual Dims getStrides(int32_t bindingIndex) const noexcept = 0;
    TRT_DEPRECATED virtual bool setOptimizationProfile(int32_t profileIndex) noexcept = 0;
    virtual int32_t getOptimizationProfile() const noexcept = 0;
    //! Sets the dimensions of a dynamic input binding of the selected profile.
    virtual bool setBindingDimensions(int32_t bindingIndex, Dims dimensions) noexcept = 0;
    //! Input: what was set (or the engine's); output: computed from the inputs, -1 if unknown yet.
    virtual Dims getBindingDimensions(int32_t bindingIndex) const noexcept = 0;
    virtual bool setInputShapeBinding(int32_t bindingIndex, const int32_t* data) noexcept = 0;
    virtual bool getShapeBinding(int32_t bindingIndex, int32_t* data) const noexcept = 0;
    virtual bool allInputDimensionsSpecified() const noexcept = 0;
    virtual bool allInputShapesSpecified() const noexcept = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) noexcept = 0;
    virtual IErrorRecorder* getErrorRecorder() const noexcept = 0;
    //! Runs an explicit-batch engine synchronously.
    virtual bool executeV2(void* const* bindings) noexcept = 0;
    //! Runs an explicit-batch engine; on a CPU engine finished on return (see enqueue()).
    virtual bool enqueueV2(void* const* bindings, cudaStream_t stream, cudaEvent_t* inputConsumed) noexcept = 0;
    virtual bool setOptimizationProfileAsync(int32_t profileIndex, cudaStream_t stream) noexcept = 0;

    // 8.x additions: name-based I/O.
    virtual bool setTensorAddress(const char* tensorName, void* data) noexcept = 0;
    virtual const void* getTensorAddress(const char* tensorName) const noexcept = 0;
    virtual bool setInputShape(const char* tensorName, const Dims& dims) noexcept = 0;
    virtual Dims getTensorShape(const char* tensorName) const noexcept = 0;
    virtual bool enqueueV3(cudaStream_t stream) noexcept = 0;
};

//! 8.x addition: format of IEngineInspector's answers.
enum class LayerInformationFormat : int32_t
{
    kONELINE = 0, //!< one line of text per layer
    kJSON = 1     //!< a JSON document
};

//! 8.x addition: describes an engine's layers (chosen kernels, tensor shapes, memory plan). The
//! strings returned stay valid until the next call on the inspector or its destruction.
class IEngineInspector
{
public:
    //! Shapes are those of \p context's current input dimensions (nullptr: the first profile's kOPT).
    virtual bool setExecutionContext(const IExecutionContext* context) noexcept = 0;
    virtual const IExecutionContext* getExecutionContext() const noexcept = 0;
    //! One layer, or nullptr for an index out of range.
    virtual const char* getLayerInformation(int32_t layerIndex, LayerInformationFormat format) const noexcept = 0;
    //! The whole engine: layers, bindings and (JSON) the activation memory plan.
    virtual const char* getEngineInformation(LayerInformationFormat format) const noexcept = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) noexcept = 0;
    virtual IErrorRecorder* getErrorRecorder() const noexcept = 0;
    virtual ~IEngineInspector() noexcept {}
};

} // namespace nvinfer1

extern "C" TENSORRTAPI void* createInferRuntime_INTERNAL(void* logger, int32_t version);
extern "C" TENSORRTAPI void* createInferRefitter_INTERNAL(void* engine, void* logger, int32_t version);

namespace nvinfer1
{
namespace
{
//! Creates a runtime that reports through \p logger.
inline IRuntime* createInferRuntime(ILogger& logger)
{
    return static_cast<IRuntime*>(createInferRuntime_INTERNAL(&logger, NV_TENSORRT_VERSION));
}
//! Creates a refitter for \p engine (built with BuilderFlag::kREFIT).
inline IRefitter* createInferRefitter(ICudaEngine& engine, ILogger& logger)
{
    return static_cast<IRefitter*>(createInferRefitter_INTERNAL(&engine, &logger, NV_TENSORRT_VERSION));
}
} // namespace
} // namespace nvinfer1

#endif // NV_INFER_RUNTIME_H
