//! \file NvCaffeParser.h
//! The Caffe parser: fills an INetworkDefinition from a deploy prototxt and a caffemodel
//! (libnvparsers; docs/caffe_parser.md lists the layer types and rules).

#ifndef NV_CAFFE_PARSER_H
#define NV_CAFFE_PARSER_H

#include "NvInfer.h"

//! The Caffe parser namespace.
namespace nvcaffeparser1
{

//! Maps Caffe blob names to network tensors; owned by the parser. A blob written in place by
//! several layers maps to the tensor of the last writer.
class IBlobNameToTensor
{
public:
    //! The tensor for blob \p name, or nullptr.
    virtual nvinfer1::ITensor* find(const char* name) const TRTNOEXCEPT = 0;

protected:
    virtual ~IBlobNameToTensor() {}
};

//! A blob read from a .binaryproto file (a mean image, for instance); the caller destroys it.
class IBinaryProtoBlob
{
public:
    virtual const void* getData() TRTNOEXCEPT = 0;
    virtual nvinfer1::DimsNCHW getDimensions() TRTNOEXCEPT = 0;
    virtual nvinfer1::DataType getDataType() TRTNOEXCEPT = 0;
    virtual void destroy() TRTNOEXCEPT = 0;
    virtual ~IBinaryProtoBlob() TRTNOEXCEPT {}
};

//! Creates IPluginV2 layers for Caffe layers Kiln does not know, implemented by the application.
class IPluginFactoryV2
{
public:
    virtual bool isPluginV2(const char* layerName) TRTNOEXCEPT = 0;
    virtual nvinfer1::IPluginV2* createPlugin(const char* layerName, const nvinfer1::Weights* weights,
        int32_t nbWeights, const char* libNamespace = "") TRTNOEXCEPT = 0;
    virtual ~IPluginFactoryV2() {}
};

//! Legacy plugin factory (deprecated).
class IPluginFactory
{
public:
    virtual bool isPlugin(const char* layerName) TRTNOEXCEPT = 0;
    virtual nvinfer1::IPlugin* createPlugin(
        const char* layerName, const nvinfer1::Weights* weights, int32_t nbWeights) TRTNOEXCEPT = 0;
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

//! Parses Caffe models.
class ICaffeParser
{
public:
    virtual const IBlobNameToTensor* parse(const char* deploy, const char* model, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightType) TRTNOEXCEPT = 0;
    virtual const IBlobNameToTensor* parseBuffers(const char* deployBuffer, std::size_t deployLength,
        const char* modelBuffer, std::size_t modelLength, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightType) TRTNOEXCEPT = 0;
    virtual IBinaryProtoBlob* parseBinaryProto(const char* fileName) TRTNOEXCEPT = 0;
    virtual void setProtobufBufferSize(size_t size) TRTNOEXCEPT = 0;
    virtual void setPluginFactory(IPluginFactory* factory) TRTNOEXCEPT = 0;
    virtual void setPluginFactoryExt(IPluginFactoryExt* factory) TRTNOEXCEPT = 0;
    virtual void destroy() TRTNOEXCEPT = 0;
    virtual void setPluginFactoryV2(IPluginFactoryV2* factory) TRTNOEXCEPT = 0;
    virtual void setPluginNamespace(const char* libNamespace) TRTNOEXCEPT = 0;
    virtual ~ICaffeParser() {}
    virtual void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) TRTNOEXCEPT = 0;
    virtual nvinfer1::IErrorRecorder* getErrorRecorder() const TRTNOEXCEPT = 0;
};

//! Creates a Caffe parser; the caller destroys it.
TENSORRTAPI ICaffeParser* createCaffeParser() TRTNOEXCEPT;
//! Releases protobuf's global state; call once at exit, after every parser is destroyed.
TENSORRTAPI void shutdownProtobufLibrary() TRTNOEXCEPT;

} // namespace nvcaffeparser1

extern "C" TENSORRTAPI void* createNvCaffeParser_INTERNAL();

#endif // NV_CAFFE_PARSER_H
