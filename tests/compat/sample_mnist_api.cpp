// A TensorRT 7.2-era program, written the way the 7.x samples and the developer guide's chapter 2
// write one: C++11, no RTTI, deprecated calls included, objects freed with destroy(). It is built
// against Kiln's include/ with plain `-lnvinfer` and must classify the MNIST kit's ten digits.
// Nothing in it is Kiln-specific.
//
// usage: sample_mnist_api <mnist data dir>
#include "NvInfer.h"
#include "NvInferPlugin.h"
#include "mnist_kit.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace nvinfer1;
using namespace plugin;

namespace
{

class Logger : public ILogger
{
public:
    void log(Severity severity, const char* msg) override // no noexcept, as in 7.x
    {
        if (severity <= Severity::kWARNING)
            std::cerr << "[TRT] " << msg << std::endl;
    }
} gLogger;

struct InferDeleter
{
    template <typename T>
    void operator()(T* obj) const
    {
        if (obj)
            obj->destroy();
    }
};
template <typename T>
using SampleUniquePtr = std::unique_ptr<T, InferDeleter>;

//! Weights memory owned by the program, like samplesCommon::HostMemory.
class FloatMemory : public IHostMemory
{
public:
    explicit FloatMemory(size_t n)
        : mData(n)
    {
    }
    void* data() const noexcept override { return const_cast<float*>(mData.data()); }
    std::size_t size() const noexcept override { return mData.size(); }
    DataType type() const noexcept override { return DataType::kFLOAT; }
    void destroy() noexcept override { delete this; }

private:
    std::vector<float> mData;
};

std::vector<std::unique_ptr<IHostMemory, InferDeleter>> gWeightsMemory;

std::map<std::string, Weights> loadWeights(const std::string& file)
{
    std::map<std::string, Weights> weightMap;
    std::ifstream input(file.c_str());
    int32_t count;
    input >> count;
    while (count--)
    {
        Weights wt{DataType::kFLOAT, nullptr, 0};
        std::string name;
        int type;
        uint32_t size;
        input >> name >> std::dec >> type >> size;
        wt.type = static_cast<DataType>(type);
        FloatMemory* mem = new FloatMemory(size);
        uint32_t* val = static_cast<uint32_t*>(mem->data());
        for (uint32_t x = 0; x < size; ++x)
            input >> std::hex >> val[x];
        gWeightsMemory.push_back(std::unique_ptr<IHostMemory, InferDeleter>(mem));
        wt.values = val;
        wt.count = size;
        weightMap[name] = wt;
    }
    return weightMap;
}

void readPGMFile(const std::string& fileName, uint8_t* buffer, int inH, int inW)
{
    std::ifstream infile(fileName.c_str(), std::ifstream::binary);
    assert(infile.is_open() && "Attempting to read from a file that is not open.");
    std::string magic, h, w, max;
    infile >> magic >> h >> w >> max;
    infile.seekg(1, infile.cur);
    infile.read(reinterpret_cast<char*>(buffer), inH * inW);
}

const int INPUT_H = 28;
const int INPUT_W = 28;
const char* INPUT_BLOB_NAME = "data";
const char* OUTPUT_BLOB_NAME = "prob";

//! sampleMNISTAPI's network, implicit batch.
bool buildImplicit(IBuilder* builder, INetworkDefinition* network, std::map<std::string, Weights>& weightMap)
{
    ITensor* data = network->addInput(INPUT_BLOB_NAME, DataType::kFLOAT, Dims3{1, INPUT_H, INPUT_W});
    assert(data);
    static const float scaleParam = 0.0125f; // weights must outlive the build
    const Weights power{DataType::kFLOAT, nullptr, 0};
    const Weights shift{DataType::kFLOAT, nullptr, 0};
    const Weights scale{DataType::kFLOAT, &scaleParam, 1};
    IScaleLayer* scale_1 = network->addScale(*data, ScaleMode::kUNIFORM, shift, scale, power);
    IConvolutionLayer* conv1 = network->addConvolutionNd(
        *scale_1->getOutput(0), 20, Dims{2, {5, 5}, {}}, weightMap["conv1filter"], weightMap["conv1bias"]);
    conv1->setStride(DimsHW{1, 1});
    IPoolingLayer* pool1 = network->addPoolingNd(*conv1->getOutput(0), PoolingType::kMAX, Dims{2, {2, 2}, {}});
    pool1->setStride(DimsHW{2, 2});
    IConvolutionLayer* conv2 = network->addConvolutionNd(
        *pool1->getOutput(0), 50, Dims{2, {5, 5}, {}}, weightMap["conv2filter"], weightMap["conv2bias"]);
    conv2->setStride(DimsHW{1, 1});
    IPoolingLayer* pool2 = network->addPoolingNd(*conv2->getOutput(0), PoolingType::kMAX, Dims{2, {2, 2}, {}});
    pool2->setStride(DimsHW{2, 2});
    IFullyConnectedLayer* ip1 = network->addFullyConnected(*pool2->getOutput(0), 500, weightMap["ip1filter"], weightMap["ip1bias"]);
    IActivationLayer* relu1 = network->addActivation(*ip1->getOutput(0), ActivationType::kRELU);
    IFullyConnectedLayer* ip2 = network->addFullyConnected(*relu1->getOutput(0), 10, weightMap["ip2filter"], weightMap["ip2bias"]);
    ISoftMaxLayer* prob = network->addSoftMax(*ip2->getOutput(0));
    prob->getOutput(0)->setName(OUTPUT_BLOB_NAME);
    network->markOutput(*prob->getOutput(0));
    builder->setMaxBatchSize(1);
    return network->getOutput(0)->getDimensions().nbDims == 3;
}

//! The developer guide's 2.2.1 network, explicit batch with a dynamic batch.
bool buildExplicit(INetworkDefinition* network, std::map<std::string, Weights>& weightMap, const std::vector<float>& mean)
{
    ITensor* data = network->addInput(INPUT_BLOB_NAME, DataType::kFLOAT, Dims4{-1, 1, INPUT_H, INPUT_W});
    // Mean subtraction in the network, as sampleMNIST inserts it.
    IConstantLayer* meanConst = network->addConstant(Dims4{1, 1, INPUT_H, INPUT_W},
        Weights{DataType::kFLOAT, mean.data(), static_cast<int64_t>(mean.size())});
    IElementWiseLayer* sub = network->addElementWise(*data, *meanConst->getOutput(0), ElementWiseOperation::kSUB);
    static const float scaleParam = 0.0125f;
    IScaleLayer* scale_1 = network->addScale(*sub->getOutput(0), ScaleMode::kUNIFORM, Weights{DataType::kFLOAT, nullptr, 0},
        Weights{DataType::kFLOAT, &scaleParam, 1}, Weights{DataType::kFLOAT, nullptr, 0});
    IConvolutionLayer* conv1 = network->addConvolution(*scale_1->getOutput(0), 20, DimsHW{5, 5}, weightMap["conv1filter"], weightMap["conv1bias"]);
    conv1->setStride(DimsHW{1, 1});
    IPoolingLayer* pool1 = network->addPooling(*conv1->getOutput(0), PoolingType::kMAX, DimsHW{2, 2});
    pool1->setStride(DimsHW{2, 2});
    IConvolutionLayer* conv2 = network->addConvolution(*pool1->getOutput(0), 50, DimsHW{5, 5}, weightMap["conv2filter"], weightMap["conv2bias"]);
    conv2->setStride(DimsHW{1, 1});
    IPoolingLayer* pool2 = network->addPooling(*conv2->getOutput(0), PoolingType::kMAX, DimsHW{2, 2});
    pool2->setStride(DimsHW{2, 2});
    IFullyConnectedLayer* ip1 = network->addFullyConnected(*pool2->getOutput(0), 500, weightMap["ip1filter"], weightMap["ip1bias"]);
    IActivationLayer* relu1 = network->addActivation(*ip1->getOutput(0), ActivationType::kRELU);
    IFullyConnectedLayer* ip2 = network->addFullyConnected(*relu1->getOutput(0), 10, weightMap["ip2filter"], weightMap["ip2bias"]);
    ISoftMaxLayer* prob = network->addSoftMax(*ip2->getOutput(0));
    prob->getOutput(0)->setName(OUTPUT_BLOB_NAME);
    network->markOutput(*prob->getOutput(0));
    return true;
}

int verify(const float* prob, int digit)
{
    const int best = static_cast<int>(std::max_element(prob, prob + 10) - prob);
    std::cout << "digit " << digit << ": argmax " << best << " p=" << prob[best] << std::endl;
    return best == digit && prob[best] > 0.9f ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: " << argv[0] << " <mnist data dir>" << std::endl;
        return 2;
    }
    const std::string dir = std::string(argv[1]) + "/";
    std::cout << "&&&& RUNNING TensorRT.sample_mnist_api (API " << NV_TENSORRT_MAJOR << "." << NV_TENSORRT_MINOR << "."
              << NV_TENSORRT_PATCH << "." << NV_TENSORRT_BUILD << ")" << std::endl;
    initLibNvInferPlugins(&gLogger, "");
    std::map<std::string, Weights> weightMap = loadWeights(dir + "mnistapi.wts");
    const std::vector<float> mean = mnistkit::readMean(dir + "mnist_mean.binaryproto");
    if (weightMap.size() != 8 || mean.size() != 784)
    {
        std::cout << "&&&& FAILED: could not read the MNIST kit in " << dir << std::endl;
        return 1;
    }
    int failures = 0;

    // 1. Implicit batch (sampleMNISTAPI), built with the pre-IBuilderConfig API.
    {
        SampleUniquePtr<IBuilder> builder(createInferBuilder(gLogger));
        SampleUniquePtr<INetworkDefinition> network(builder->createNetwork());
        SampleUniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
        if (!buildImplicit(builder.get(), network.get(), weightMap))
            return 1;
        config->setMaxWorkspaceSize(16 << 20);
        builder->setFp16Mode(false);
        if (builder->getInt8Mode())
            return 1;
        SampleUniquePtr<ICudaEngine> built(builder->buildEngineWithConfig(*network, *config));
        if (!built)
            return 1;
        // 2.4: serialize, then deserialize with the three-argument call.
        IHostMemory* serialized = built->serialize();
        SampleUniquePtr<IRuntime> runtime(createInferRuntime(gLogger));
        SampleUniquePtr<ICudaEngine> engine(runtime->deserializeCudaEngine(serialized->data(), serialized->size(), nullptr));
        serialized->destroy();
        if (!engine)
            return 1;
        // 2.5: a context, binding indices, execute and enqueue.
        SampleUniquePtr<IExecutionContext> context(engine->createExecutionContext());
        const int inputIndex = engine->getBindingIndex(INPUT_BLOB_NAME);
        const int outputIndex = engine->getBindingIndex(OUTPUT_BLOB_NAME);
        std::vector<float> input(INPUT_H * INPUT_W), output(10);
        void* buffers[2];
        buffers[inputIndex] = input.data();
        buffers[outputIndex] = output.data();
        cudaStream_t stream = nullptr;
        for (int digit = 0; digit < 10; ++digit)
        {
            std::vector<uint8_t> fileData(INPUT_H * INPUT_W);
            std::ostringstream name;
            name << dir << digit << ".pgm";
            readPGMFile(name.str(), fileData.data(), INPUT_H, INPUT_W);
            for (int i = 0; i < INPUT_H * INPUT_W; ++i)
                input[i] = float(fileData[i]) - mean[i];
            const bool ok = digit % 2 ? context->execute(1, buffers) : context->enqueue(1, buffers, stream, nullptr);
            failures += ok ? verify(output.data(), digit) : 1;
        }
    }

    // 2. Explicit batch with a dynamic batch dimension (guide 2.2.1 + 2.3 + 2.5).
    {
        SampleUniquePtr<IBuilder> builder(createInferBuilder(gLogger));
        const auto explicitBatch = 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
        SampleUniquePtr<INetworkDefinition> network(builder->createNetworkV2(explicitBatch));
        buildExplicit(network.get(), weightMap, mean);
        SampleUniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
        config->setMaxWorkspaceSize(1 << 20);
        config->setFlag(BuilderFlag::kDISABLE_TIMING_CACHE);
        IOptimizationProfile* profile = builder->createOptimizationProfile();
        profile->setDimensions(INPUT_BLOB_NAME, OptProfileSelector::kMIN, Dims4{1, 1, INPUT_H, INPUT_W});
        profile->setDimensions(INPUT_BLOB_NAME, OptProfileSelector::kOPT, Dims4{10, 1, INPUT_H, INPUT_W});
        profile->setDimensions(INPUT_BLOB_NAME, OptProfileSelector::kMAX, Dims4{10, 1, INPUT_H, INPUT_W});
        config->addOptimizationProfile(profile);
        SampleUniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
        if (!engine)
            return 1;
        SampleUniquePtr<IExecutionContext> context(engine->createExecutionContext());
        context->setBindingDimensions(0, Dims4{10, 1, INPUT_H, INPUT_W});
        if (!context->allInputDimensionsSpecified())
            return 1;
        std::vector<float> input(10 * INPUT_H * INPUT_W), output(10 * 10);
        for (int digit = 0; digit < 10; ++digit)
        {
            std::vector<uint8_t> fileData(INPUT_H * INPUT_W);
            std::ostringstream name;
            name << dir << digit << ".pgm";
            readPGMFile(name.str(), fileData.data(), INPUT_H, INPUT_W);
            for (int i = 0; i < INPUT_H * INPUT_W; ++i)
                input[digit * INPUT_H * INPUT_W + i] = float(fileData[i]);
        }
        void* buffers[2] = {input.data(), output.data()};
        if (!context->enqueueV2(buffers, nullptr, nullptr))
            return 1;
        for (int digit = 0; digit < 10; ++digit)
            failures += verify(&output[digit * 10], digit);
    }

    std::cout << (failures ? "&&&& FAILED" : "&&&& PASSED") << " TensorRT.sample_mnist_api" << std::endl;
    return failures ? 1 : 0;
}
