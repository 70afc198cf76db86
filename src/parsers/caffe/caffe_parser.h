// nvcaffeparser1::ICaffeParser for Kiln: reads a deploy prototxt (text NetParameter) and a
// caffemodel (binary NetParameter, `layer` or legacy `layers`), and fills an INetworkDefinition
// layer by layer through the public API. Weights are matched to deploy layers by name; the
// caffemodel's other layers (Data, loss, Accuracy, Split) are ignored.
#pragma once

#include "NvCaffeParser.h"
#include "caffe_context.h"
#include "common/diagnostics.h"
#include "common/proto_io.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kiln
{
namespace caffeparser
{

//! Blob name → the tensor of the blob's last writer (in-place layers overwrite the entry).
class BlobNameToTensor final : public nvcaffeparser1::IBlobNameToTensor
{
public:
    nvinfer1::ITensor* find(const char* name) const TRTNOEXCEPT override;
    void set(const std::string& name, nvinfer1::ITensor* tensor) { mTensors[name] = tensor; }
    nvinfer1::ITensor* get(const std::string& name) const;

private:
    std::map<std::string, nvinfer1::ITensor*> mTensors;
};

class BinaryProtoBlob final : public nvcaffeparser1::IBinaryProtoBlob
{
public:
    BinaryProtoBlob(nvinfer1::DimsNCHW dims, nvinfer1::DataType type, void* data)
        : mDims(dims)
        , mType(type)
        , mData(data)
    {
    }
    ~BinaryProtoBlob() override;
    const void* getData() TRTNOEXCEPT override { return mData; }
    nvinfer1::DimsNCHW getDimensions() TRTNOEXCEPT override { return mDims; }
    nvinfer1::DataType getDataType() TRTNOEXCEPT override { return mType; }
    void destroy() TRTNOEXCEPT override { delete this; }

private:
    nvinfer1::DimsNCHW mDims;
    nvinfer1::DataType mType;
    void* mData; //!< malloc'ed, as TensorRT's (samples may free it with the blob only)
};

class CaffeParser final : public nvcaffeparser1::ICaffeParser
{
public:
    CaffeParser();
    ~CaffeParser() override;

    const nvcaffeparser1::IBlobNameToTensor* parse(const char* deploy, const char* model,
        nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightType) TRTNOEXCEPT override;
    const nvcaffeparser1::IBlobNameToTensor* parseBuffers(const char* deployBuffer, std::size_t deployLength,
        const char* modelBuffer, std::size_t modelLength, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightType) TRTNOEXCEPT override;
    nvcaffeparser1::IBinaryProtoBlob* parseBinaryProto(const char* fileName) TRTNOEXCEPT override;
    void setProtobufBufferSize(size_t size) TRTNOEXCEPT override;
    void setPluginFactory(nvcaffeparser1::IPluginFactory* factory) TRTNOEXCEPT override { mFactory = factory; }
    void setPluginFactoryExt(nvcaffeparser1::IPluginFactoryExt* factory) TRTNOEXCEPT override
    {
        mFactory = factory;
    }
    void destroy() TRTNOEXCEPT override { delete this; }
    void setPluginFactoryV2(nvcaffeparser1::IPluginFactoryV2* factory) TRTNOEXCEPT override { mFactoryV2 = factory; }
    void setPluginNamespace(const char* libNamespace) TRTNOEXCEPT override
    {
        mNamespace = libNamespace ? libNamespace : "";
    }
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) TRTNOEXCEPT override { mDiag.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const TRTNOEXCEPT override { return mDiag.recorder(); }

private:
    //! Both entry points end here; \p model may be null (weights are then generated).
    const nvcaffeparser1::IBlobNameToTensor* parseMessages(const kiln::caffe::NetParameter& deploy,
        const kiln::caffe::NetParameter* model, nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightType);
    bool addInputs(const kiln::caffe::NetParameter& deploy, nvinfer1::INetworkDefinition& network, bool implicitBatch);
    bool addInput(nvinfer1::INetworkDefinition& network, const std::string& name, std::vector<int64_t> shape,
        bool implicitBatch, const std::string& where);
    bool convertLayer(const kiln::caffe::LayerParameter& layer, const std::vector<const kiln::caffe::BlobProto*>* blobs,
        nvinfer1::INetworkDefinition& network, bool implicitBatch);
    bool addPluginLayer(LayerContext& ctx);

    parsers::Diagnostics mDiag{"nvcaffeparser1"};
    size_t mBufferLimit{parsers::kMaxProtobufBytes};
    nvcaffeparser1::IPluginFactory* mFactory{nullptr};
    nvcaffeparser1::IPluginFactoryV2* mFactoryV2{nullptr};
    std::string mNamespace;
    std::unique_ptr<BlobNameToTensor> mBlobs;
    WeightsArena mWeights;
};

} // namespace caffeparser
} // namespace kiln
