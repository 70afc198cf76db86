//! \file NvInferRuntimeCommon.h
//! Types shared by the builder and the runtime: dimensions, data types, the logger, the allocator,
//! the error recorder and the plugin interfaces.
//!
//! Compatibility rules this header keeps (they matter to programs written for TensorRT 7.x):
//!  - C++11, no RTTI, no CUDA headers needed; cudaStream_t/cudaEvent_t are declared the way CUDA
//!    declares them, so including cuda_runtime.h before or after this header is fine.
//!  - Interfaces the application implements (ILogger, IGpuAllocator, IProfiler, plugins,
//!    calibrators, algorithm selectors) declare their virtuals without noexcept, so both 7.x
//!    overrides (no noexcept) and 8.x overrides (noexcept) compile. IErrorRecorder and IHostMemory
//!    were already noexcept in 7.x and stay so.
//!  - Objects the library creates have a public virtual destructor and destroy(); either frees them.

#ifndef NV_INFER_RUNTIME_COMMON_H
#define NV_INFER_RUNTIME_COMMON_H

#include "NvInferVersion.h"
#include <cstddef>
#include <cstdint>

//! The API version number passed to the exported factory functions.
#define NV_TENSORRT_VERSION ((NV_TENSORRT_MAJOR * 1000) + (NV_TENSORRT_MINOR * 100) + NV_TENSORRT_PATCH)

#if __cplusplus >= 201402L
#define TRT_DEPRECATED [[deprecated]]
#else
#define TRT_DEPRECATED __attribute__((deprecated))
#endif
#define TRT_DEPRECATED_ENUM TRT_DEPRECATED
#define TRT_DEPRECATED_API TRT_DEPRECATED
#define TENSORRTAPI __attribute__((visibility("default")))
#define TRTNOEXCEPT
#define _TENSORRT_FINAL final
#define _TENSORRT_OVERRIDE override

//! CUDA handle types, declared exactly as CUDA's runtime headers declare them.
typedef struct CUstream_st* cudaStream_t;
typedef struct CUevent_st* cudaEvent_t;

struct cublasContext;
struct cudnnContext;

//! The TensorRT API namespace.
namespace nvinfer1
{

class IErrorRecorder;
class IGpuAllocator;

//! Number of values an enum has. Specialised for every enum of the API; usable in constant
//! expressions.
template <typename T>
constexpr inline int32_t EnumMax();

//! Element type of a tensor or of weights.
enum class DataType : int32_t
{
    kFLOAT = 0, //!< 32-bit IEEE float.
    kHALF = 1,  //!< 16-bit IEEE float.
    kINT8 = 2,  //!< 8-bit signed integer (quantized).
    kINT32 = 3, //!< 32-bit signed integer.
    kBOOL = 4   //!< 8-bit boolean, 0 or 1.
};
template <>
constexpr inline int32_t EnumMax<DataType>()
{
    return 5;
}

//! Legacy meaning of a dimension. Deprecated; kept so 7.x code that fills Dims::type compiles.
enum class DimensionType : int32_t
{
    kSPATIAL = 0,
    kCHANNEL = 1,
    kINDEX = 2,
    kSEQUENCE = 3
};
template <>
constexpr inline int32_t EnumMax<DimensionType>()
{
    return 4;
}

//! Dimensions of a tensor. A plain aggregate of three members, so `Dims{2, {5, 5}, {}}` and
//! `Dims{2, {5, 5}}` both compile. `type` is deprecated and ignored by Kiln (callers often leave
//! it uninitialized).
class TENSORRTAPI Dims
{
public:
    static constexpr int32_t MAX_DIMS = 8; //!< Largest rank a tensor may have (defined in libnvinfer for C++11 odr-uses).
    int32_t nbDims;                     //!< Rank; -1 means "unknown/invalid".
    int32_t d[MAX_DIMS];                //!< Extents; -1 marks a dynamic extent.
    DimensionType type[MAX_DIMS];       //!< Deprecated, ignored.
};

//! Two-dimensional Dims.
class Dims2 : public Dims
{
public:
    Dims2()
    {
        nbDims = 2;
        d[0] = d[1] = 0;
        type[0] = type[1] = DimensionType::kSPATIAL;
    }
    Dims2(int32_t d0, int32_t d1)
    {
        nbDims = 2;
        d[0] = d0;
        d[1] = d1;
        type[0] = type[1] = DimensionType::kSPATIAL;
    }
};

//! Height and width of a 2D window, stride or padding.
class DimsHW : public Dims2
{
public:
    DimsHW()
        : Dims2()
    {
    }
    DimsHW(int32_t height, int32_t width)
        : Dims2(height, width)
    {
    }
    int32_t& h() { return d[0]; }
    int32_t h() const { return d[0]; }
    int32_t& w() { return d[1]; }
    int32_t w() const { return d[1]; }
};

//! Three-dimensional Dims.
class Dims3 : public Dims
{
public:
    Dims3()
    {
        nbDims = 3;
        d[0] = d[1] = d[2] = 0;
        type[0] = type[1] = type[2] = DimensionType::kSPATIAL;
    }
    Dims3(int32_t d0, int32_t d1, int32_t d2)
    {
        nbDims = 3;
        d[0] = d0;
        d[1] = d1;
        d[2] = d2;
        type[0] = type[1] = type[2] = DimensionType::kSPATIAL;
    }
};

//! Channels, height, width. Deprecated alias kept for 7.x code.
class DimsCHW : public Dims3
{
public:
    DimsCHW()
        : Dims3()
    {
        type[0] = DimensionType::kCHANNEL;
    }
    DimsCHW(int32_t channels, int32_t height, int32_t width)
        : Dims3(channels, height, width)
    {
        type[0] = DimensionType::kCHANNEL;
    }
    int32_t& c() { return d[0]; }
    int32_t c() const { return d[0]; }
    int32_t& h() { return d[1]; }
    int32_t h() const { return d[1]; }
    int32_t& w() { return d[2]; }
    int32_t w() const { return d[2]; }
};

//! Four-dimensional Dims.
class Dims4 : public Dims
{
public:
    Dims4()
    {
        nbDims = 4;
        d[0] = d[1] = d[2] = d[3] = 0;
        type[0] = type[1] = type[2] = type[3] = DimensionType::kSPATIAL;
    }
    Dims4(int32_t d0, int32_t d1, int32_t d2, int32_t d3)
    {
        nbDims = 4;
        d[0] = d0;
        d[1] = d1;
        d[2] = d2;
        d[3] = d3;
        type[0] = type[1] = type[2] = type[3] = DimensionType::kSPATIAL;
    }
};

//! Batch, channels, height, width. Deprecated alias kept for 7.x code (the Caffe parser's
//! IBinaryProtoBlob::getDimensions returns one).
class DimsNCHW : public Dims4
{
public:
    DimsNCHW()
        : Dims4()
    {
        type[0] = DimensionType::kINDEX;
        type[1] = DimensionType::kCHANNEL;
    }
    DimsNCHW(int32_t batchSize, int32_t channels, int32_t height, int32_t width)
        : Dims4(batchSize, channels, height, width)
    {
        type[0] = DimensionType::kINDEX;
        type[1] = DimensionType::kCHANNEL;
    }
    int32_t& n() { return d[0]; }
    int32_t n() const { return d[0]; }
    int32_t& c() { return d[1]; }
    int32_t c() const { return d[1]; }
    int32_t& h() { return d[2]; }
    int32_t h() const { return d[2]; }
    int32_t& w() { return d[3]; }
    int32_t w() const { return d[3]; }
};

//! Memory layout of a tensor. Kiln's CPU engines use kLINEAR for every binding.
enum class TensorFormat : int32_t
{
    kLINEAR = 0,
    kNCHW TRT_DEPRECATED_ENUM = kLINEAR,
    kCHW2 = 1,
    kNC2HW2 TRT_DEPRECATED_ENUM = kCHW2,
    kHWC8 = 2,
    kNHWC8 TRT_DEPRECATED_ENUM = kHWC8,
    kCHW4 = 3,
    kCHW16 = 4,
    kCHW32 = 5,
    kDHWC8 = 6,
    kCDHW32 = 7,
    kHWC = 8
};
template <>
constexpr inline int32_t EnumMax<TensorFormat>()
{
    return 9;
}
using PluginFormat = TensorFormat;

//! Description of a plugin input or output.
struct PluginTensorDesc
{
    Dims dims;
    DataType type;
    TensorFormat format;
    float scale;
};

//! Which plugin interface an IPluginV2 object implements (stored in the top byte of
//! getTensorRTVersion()).
enum class PluginVersion : uint8_t
{
    kV2 = 0,
    kV2_EXT = 1,
    kV2_IOEXT = 2,
    kV2_DYNAMICEXT = 3
};

//! A custom layer, implemented by the application. Kiln declares the plugin interfaces so that
//! plugin code compiles; running plugins is not supported yet (building a network that contains
//! one fails with a clear error).
class IPluginV2
{
public:
    virtual int32_t getTensorRTVersion() const TRTNOEXCEPT { return NV_TENSORRT_VERSION; }
    virtual const char* getPluginType() const TRTNOEXCEPT = 0;
    virtual const char* getPluginVersion() const TRTNOEXCEPT = 0;
    virtual int32_t getNbOutputs() const TRTNOEXCEPT = 0;
    virtual Dims getOutputDimensions(int32_t index, const Dims* inputs, int32_t nbInputDims) TRTNOEXCEPT = 0;
    virtual bool supportsFormat(DataType type, PluginFormat format) const TRTNOEXCEPT = 0;
    virtual void configureWithFormat(const Dims* inputDims, int32_t nbInputs, const Dims* outputDims,
        int32_t nbOutputs, DataType type, PluginFormat format, int32_t maxBatchSize) TRTNOEXCEPT = 0;
    virtual int32_t initialize() TRTNOEXCEPT = 0;
    virtual void terminate() TRTNOEXCEPT = 0;
    virtual size_t getWorkspaceSize(int32_t maxBatchSize) const TRTNOEXCEPT = 0;
    virtual int32_t enqueue(int32_t batchSize, const void* const* inputs, void** outputs, void* workspace,
        cudaStream_t stream) TRTNOEXCEPT = 0;
    virtual size_t getSerializationSize() const TRTNOEXCEPT = 0;
    virtual void serialize(void* buffer) const TRTNOEXCEPT = 0;
    virtual void destroy() TRTNOEXCEPT = 0;
    virtual IPluginV2* clone() const TRTNOEXCEPT = 0;
    virtual void setPluginNamespace(const char* pluginNamespace) TRTNOEXCEPT = 0;
    virtual const char* getPluginNamespace() const TRTNOEXCEPT = 0;
    virtual ~IPluginV2() {}
};

//! IPluginV2 with output types, broadcast and context attachment.
class IPluginV2Ext : public IPluginV2
{
public:
    virtual DataType getOutputDataType(int32_t index, const DataType* inputTypes, int32_t nbInputs) const TRTNOEXCEPT = 0;
    virtual bool isOutputBroadcastAcrossBatch(
        int32_t outputIndex, const bool* inputIsBroadcasted, int32_t nbInputs) const TRTNOEXCEPT = 0;
    virtual bool canBroadcastInputAcrossBatch(int32_t inputIndex) const TRTNOEXCEPT = 0;
    virtual void configurePlugin(const Dims* inputDims, int32_t nbInputs, const Dims* outputDims, int32_t nbOutputs,
        const DataType* inputTypes, const DataType* outputTypes, const bool* inputIsBroadcast,
        const bool* outputIsBroadcast, PluginFormat floatFormat, int32_t maxBatchSize) TRTNOEXCEPT = 0;
    virtual void attachToContext(cudnnContext*, cublasContext*, IGpuAllocator*) TRTNOEXCEPT {}
    virtual void detachFromContext() TRTNOEXCEPT {}
    IPluginV2Ext* clone() const TRTNOEXCEPT _TENSORRT_OVERRIDE = 0;
    virtual ~IPluginV2Ext() {}

protected:
    int32_t getTensorRTVersion() const TRTNOEXCEPT _TENSORRT_OVERRIDE
    {
        return (static_cast<int32_t>(PluginVersion::kV2_EXT) << 24) | (NV_TENSORRT_VERSION & 0xFFFFFF);
    }
    void configureWithFormat(const Dims*, int32_t, const Dims*, int32_t, DataType, PluginFormat,
        int32_t) TRTNOEXCEPT _TENSORRT_OVERRIDE
    {
    }
};

//! IPluginV2Ext with per-tensor format negotiation.
class IPluginV2IOExt : public IPluginV2Ext
{
public:
    virtual void configurePlugin(
        const PluginTensorDesc* in, int32_t nbInput, const PluginTensorDesc* out, int32_t nbOutput) TRTNOEXCEPT = 0;
    virtual bool supportsFormatCombination(
        int32_t pos, const PluginTensorDesc* inOut, int32_t nbInputs, int32_t nbOutputs) const TRTNOEXCEPT = 0;
    virtual ~IPluginV2IOExt() {}

protected:
    int32_t getTensorRTVersion() const TRTNOEXCEPT _TENSORRT_OVERRIDE
    {
        return (static_cast<int32_t>(PluginVersion::kV2_IOEXT) << 24) | (NV_TENSORRT_VERSION & 0xFFFFFF);
    }

private:
    void configurePlugin(const Dims*, int32_t, const Dims*, int32_t, const DataType*, const DataType*, const bool*,
        const bool*, PluginFormat, int32_t) TRTNOEXCEPT _TENSORRT_FINAL
    {
    }
    bool supportsFormat(DataType, PluginFormat) const TRTNOEXCEPT _TENSORRT_FINAL { return false; }
};

//! Type of a plugin creation field.
enum class PluginFieldType : int32_t
{
    kFLOAT16 = 0,
    kFLOAT32 = 1,
    kFLOAT64 = 2,
    kINT8 = 3,
    kINT16 = 4,
    kINT32 = 5,
    kCHAR = 6,
    kDIMS = 7,
    kUNKNOWN = 8
};

//! A named attribute handed to IPluginCreator::createPlugin.
class PluginField
{
public:
    const char* name;
    const void* data;
    PluginFieldType type;
    int32_t length;

    PluginField(const char* name_ = nullptr, const void* data_ = nullptr,
        const PluginFieldType type_ = PluginFieldType::kUNKNOWN, int32_t length_ = 0)
        : name(name_)
        , data(data_)
        , type(type_)
        , length(length_)
    {
    }
};

//! A list of plugin fields; the application owns the memory.
struct PluginFieldCollection
{
    int32_t nbFields;
    const PluginField* fields;
};

//! Factory of one plugin type, registered with the plugin registry.
class IPluginCreator
{
public:
    virtual int32_t getTensorRTVersion() const TRTNOEXCEPT { return NV_TENSORRT_VERSION; }
    virtual const char* getPluginName() const TRTNOEXCEPT = 0;
    virtual const char* getPluginVersion() const TRTNOEXCEPT = 0;
    virtual const PluginFieldCollection* getFieldNames() TRTNOEXCEPT = 0;
    virtual IPluginV2* createPlugin(const char* name, const PluginFieldCollection* fc) TRTNOEXCEPT = 0;
    virtual IPluginV2* deserializePlugin(const char* name, const void* serialData, size_t serialLength) TRTNOEXCEPT = 0;
    virtual void setPluginNamespace(const char* pluginNamespace) TRTNOEXCEPT = 0;
    virtual const char* getPluginNamespace() const TRTNOEXCEPT = 0;
    virtual ~IPluginCreator() {}
};

//! Process-wide registry of plugin creators (getPluginRegistry()). Not thread-safe for
//! registration, as in TensorRT.
class IPluginRegistry
{
public:
    //! Registers \p creator under \p pluginNamespace. The registry does not own the creator, which
    //! must outlive every use. Returns false if a creator with the same name, version and namespace
    //! is already registered.
    virtual bool registerCreator(IPluginCreator& creator, const char* pluginNamespace) noexcept = 0;
    //! Returns the registered creators; the array is owned by the registry.
    virtual IPluginCreator* const* getPluginCreatorList(int32_t* numCreators) const noexcept = 0;
    //! Returns the creator registered for the triple, or nullptr.
    virtual IPluginCreator* getPluginCreator(
        const char* pluginType, const char* pluginVersion, const char* pluginNamespace = "") noexcept = 0;
    virtual void setErrorRecorder(IErrorRecorder* recorder) noexcept = 0;
    virtual IErrorRecorder* getErrorRecorder() const noexcept = 0;

protected:
    virtual ~IPluginRegistry() noexcept {}
};

//! Allocator for engine and context memory, implemented by the application and set on IBuilder or
//! IRuntime. For CPU engines the memory handed out must be host memory. Kiln never deletes it; it
//! must outlive every object created from the builder or runtime it was set on.
class IGpuAllocator
{
public:
    //! Returns \p size bytes aligned to \p alignment (0 or a power of two), or nullptr on failure.
    //! \p flags is 0 (7.x) or a bit set of AllocatorFlag.
    virtual void* allocate(uint64_t size, uint64_t alignment, uint32_t flags) TRTNOEXCEPT = 0;
    //! Frees memory returned by allocate(). May be given nullptr.
    virtual void free(void* memory) TRTNOEXCEPT = 0;
    virtual ~IGpuAllocator() {}
    //! 8.x addition: resize a block allocated with AllocatorFlag::kRESIZABLE; nullptr = unsupported.
    virtual void* reallocate(void* /*baseAddr*/, uint64_t /*alignment*/, uint64_t /*newSize*/) TRTNOEXCEPT
    {
        return nullptr;
    }
    //! 8.x addition: frees memory; the default calls free(). Returns true on success.
    virtual bool deallocate(void* memory) TRTNOEXCEPT
    {
        this->free(memory);
        return true;
    }
};

//! Flags for IGpuAllocator::allocate (8.x addition).
enum class AllocatorFlag : int32_t
{
    kRESIZABLE = 0
};
using AllocatorFlags = uint32_t;

//! Receives diagnostic messages from the library, implemented by the application. May be called from
//! several threads at once; must outlive every object created with it.
class ILogger
{
public:
    //! Severity of a message; lower is more severe.
    enum class Severity : int32_t
    {
        kINTERNAL_ERROR = 0,
        kERROR = 1,
        kWARNING = 2,
        kINFO = 3,
        kVERBOSE = 4
    };
    virtual void log(Severity severity, const char* msg) TRTNOEXCEPT = 0;
    virtual ~ILogger() {}
};
template <>
constexpr inline int32_t EnumMax<ILogger::Severity>()
{
    return 5;
}
using AsciiChar = char; //!< 8.x spelling of the logger's character type.

//! Error codes reported through IErrorRecorder.
enum class ErrorCode : int32_t
{
    kSUCCESS = 0,
    kUNSPECIFIED_ERROR = 1,
    kINTERNAL_ERROR = 2,
    kINVALID_ARGUMENT = 3,
    kINVALID_CONFIG = 4,
    kFAILED_ALLOCATION = 5,
    kFAILED_INITIALIZATION = 6,
    kFAILED_EXECUTION = 7,
    kFAILED_COMPUTATION = 8,
    kINVALID_STATE = 9,
    kUNSUPPORTED_STATE = 10
};
template <>
constexpr inline int32_t EnumMax<ErrorCode>()
{
    return 11;
}

//! Collects errors from the objects it is set on (and from objects they create), implemented by
//! the application. Kiln calls incRefCount() when the recorder is set on an object and
//! decRefCount() when it is replaced or the object dies.
class IErrorRecorder
{
public:
    using ErrorDesc = const char*;
    using RefCount = int32_t;
    static const size_t kMAX_DESC_LENGTH = 127;

    virtual int32_t getNbErrors() const noexcept = 0;
    virtual ErrorCode getErrorCode(int32_t errorIdx) const noexcept = 0;
    virtual ErrorDesc getErrorDesc(int32_t errorIdx) const noexcept = 0;
    virtual bool hasOverflowed() const noexcept = 0;
    virtual void clear() noexcept = 0;
    //! Records an error. Returns true if the error is fatal and the current call must stop.
    virtual bool reportError(ErrorCode val, ErrorDesc desc) noexcept = 0;
    virtual RefCount incRefCount() noexcept = 0;
    virtual RefCount decRefCount() noexcept = 0;
    virtual ~IErrorRecorder() noexcept {}
};

} // namespace nvinfer1

//! Returns the logger most recently handed to a builder, runtime or refitter factory, or nullptr.
extern "C" TENSORRTAPI nvinfer1::ILogger* getLogger();
//! Returns the library version, NV_TENSORRT_VERSION of the API implemented.
extern "C" TENSORRTAPI int32_t getInferLibVersion();
//! Returns the process-wide plugin registry.
extern "C" TENSORRTAPI nvinfer1::IPluginRegistry* getPluginRegistry();

namespace nvinfer1
{
//! Registers a plugin creator with the registry when the program starts.
template <typename T>
class PluginRegistrar
{
public:
    PluginRegistrar() { getPluginRegistry()->registerCreator(instance, ""); }

private:
    T instance{};
};
} // namespace nvinfer1

#define REGISTER_TENSORRT_PLUGIN(name)                                                                                \
    static nvinfer1::PluginRegistrar<name> pluginRegistrar##name {}

#endif // NV_INFER_RUNTIME_COMMON_H
