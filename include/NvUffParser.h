//! \file NvUffParser.h
//! The UFF parser: fills an implicit-batch INetworkDefinition from a UFF file (a TensorFlow graph
//! converted by NVIDIA's uff converter). docs/uff_parser.md lists the supported operations.
//!
//! Layouts: inputs are registered without the batch (CHW for kNCHW, HWC for kNHWC, C for kNC);
//! the graph itself is NHWC and the parser converts. When any input is registered as kNCHW, each
//! output of TF rank 4 comes out as C, H, W; all other outputs come out in TF order.
//! Custom `_Op` nodes need plugins, which Kiln does not support yet: parse() reports them.

#ifndef NV_UFF_PARSER_H
#define NV_UFF_PARSER_H

#include "NvInfer.h"

#define UFF_REQUIRED_VERSION_MAJOR 0
#define UFF_REQUIRED_VERSION_MINOR 6
#define UFF_REQUIRED_VERSION_PATCH 9

//! The UFF parser namespace.
namespace nvuffparser
{

//! Layout of a registered input.
enum class UffInputOrder : int32_t
{
    kNCHW = 0,
    kNHWC = 1,
    kNC = 2
};

//! Type of a plugin field in a custom UFF node.
enum class FieldType : int32_t
{
    kFLOAT = 0,
    kINT32 = 1,
    kCHAR = 2,
    kDIMS = 4,
    kDATATYPE = 5,
    kUNKNOWN = 6
};

//! A field of a custom node, handed to a plugin factory.
class TENSORRTAPI FieldMap
{
public:
    const char* name;
    const void* data;
    FieldType type = FieldType::kUNKNOWN;
    int32_t length = 1;

    FieldMap(const char* name, const void* data, const FieldType type, int32_t length = 1);
};

struct FieldCollection
{
    int32_t nbFields;
    const FieldMap* fields;
};

//! Legacy plugin factory (deprecated).
class IPluginFactory
{
public:
    virtual bool isPlugin(const char* layerName) TRTNOEXCEPT = 0;
    virtual nvinfer1::IPlugin* createPlugin(const char* layerName, const nvinfer1::Weights* weights,
        int32_t nbWeights, const FieldCollection fc) TRTNOEXCEPT = 0;
    virtual ~IPluginFactory() {}
};

//! Legacy plugin factory with format support (deprecated).
class IPluginFactoryExt : public IPluginFactory
{
public:
    virtual int32_t getVersion() const TRTNOEXCEPT { return NV_TENSORRT_VERSION; }
    virtual bool isPluginExt(const char* layerName) TRTNOEXCEPT = 0;
    virtual ~IPluginFactoryExt() {}
};

//! Parses UFF files.
class IUffParser
{
public:
    virtual bool registerInput(const char* inputName, nvinfer1::Dims inputDims, UffInputOrder inputOrder) TRTNOEXCEPT = 0;
    virtual bool registerOutput(const char* outputName) TRTNOEXCEPT = 0;
    virtual bool parse(const char* file, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightsType = nvinfer1::DataType::kFLOAT) TRTNOEXCEPT = 0;
    virtual bool parseBuffer(const char* buffer, std::size_t size, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightsType = nvinfer1::DataType::kFLOAT) TRTNOEXCEPT = 0;
    virtual void destroy() TRTNOEXCEPT = 0;
    virtual int32_t getUffRequiredVersionMajor() TRTNOEXCEPT = 0;
    virtual int32_t getUffRequiredVersionMinor() TRTNOEXCEPT = 0;
    virtual int32_t getUffRequiredVersionPatch() TRTNOEXCEPT = 0;
    virtual void setPluginFactory(IPluginFactory* factory) TRTNOEXCEPT = 0;
    virtual void setPluginFactoryExt(IPluginFactoryExt* factory) TRTNOEXCEPT = 0;
    virtual void setPluginNamespace(const char* libNamespace) TRTNOEXCEPT = 0;
    virtual ~IUffParser() {}
    virtual void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) TRTNOEXCEPT = 0;
    virtual nvinfer1::IErrorRecorder* getErrorRecorder() const TRTNOEXCEPT = 0;
};

//! Creates a UFF parser; the caller destroys it.
TENSORRTAPI IUffParser* createUffParser() TRTNOEXCEPT;
//! Releases protobuf's global state; call once at exit, after every parser is destroyed.
TENSORRTAPI void shutdownProtobufLibrary(void) TRTNOEXCEPT;

} // namespace nvuffparser

extern "C" TENSORRTAPI void* createNvUffParser_INTERNAL();

#endif // NV_UFF_PARSER_H
