// nvuffparser::IUffParser for Kiln: reads a UFF MetaGraph (TensorFlow graphs converted by NVIDIA's
// uff converter) into an implicit-batch INetworkDefinition through the public API only.
//
// Layouts (docs/uff_parser.md has the details):
//  - TF tensors are NHWC with a batch axis 0; the network leaves the batch out. Inputs are
//    registered without the batch: CHW for kNCHW (the network input is CHW and the parser
//    converts), HWC for kNHWC, C for kNC. The Input node's shape [-1, ...] must agree.
//  - Inside the network, convolution, pooling, LRN and batch norm work channels first; other
//    ops work in whatever layout their input has (axes are mapped), and Shuffle layers convert
//    only where an op needs TF order (Reshape, Flatten, Gather, outputs).
//  - Output layout rule: when any registered input is kNCHW, every output of TF rank 4
//    ([N, H, W, C]) comes out channels first, as C, H, W. Every other output (other ranks, or
//    no kNCHW input) comes out in TF order without the batch.
#pragma once

#include "NvUffParser.h"
#include "common/diagnostics.h"
#include "uff_context.h"
#include "uff_weights.h"

#include <string>

namespace kiln::uffparser
{

class UffParser final : public nvuffparser::IUffParser
{
public:
    UffParser();
    ~UffParser() override = default;

    bool registerInput(const char* inputName, nvinfer1::Dims inputDims, nvuffparser::UffInputOrder inputOrder) override;
    bool registerOutput(const char* outputName) override;
    bool parse(const char* file, nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightsType) override;
    bool parseBuffer(const char* buffer, std::size_t size, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightsType) override;
    void destroy() override { delete this; }
    int32_t getUffRequiredVersionMajor() override { return UFF_REQUIRED_VERSION_MAJOR; }
    int32_t getUffRequiredVersionMinor() override { return UFF_REQUIRED_VERSION_MINOR; }
    int32_t getUffRequiredVersionPatch() override { return UFF_REQUIRED_VERSION_PATCH; }
    void setPluginFactory(nvuffparser::IPluginFactory* factory) override { mSettings.pluginFactory = factory; }
    void setPluginFactoryExt(nvuffparser::IPluginFactoryExt* factory) override { mSettings.pluginFactoryExt = factory; }
    void setPluginNamespace(const char* libNamespace) override { mNamespace = libNamespace ? libNamespace : ""; }
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) override { mDiagnostics.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const override { return mDiagnostics.recorder(); }

private:
    bool parseBytes(const void* data, std::size_t size, nvinfer1::INetworkDefinition& network,
        nvinfer1::DataType weightsType, const std::string& source);
    bool apiError(const std::string& message);

    parsers::Diagnostics mDiagnostics{"nvuffparser"};
    ParseSettings mSettings;
    std::string mNamespace;
    WeightsStore mWeights; //!< every parse's weights, kept until the parser is destroyed
};

} // namespace kiln::uffparser
