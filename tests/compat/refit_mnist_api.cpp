// The developer guide's 2.6 (memory) and 2.7 (refit) flows in a TensorRT 7.2-era program: C++11,
// no RTTI, objects freed with destroy(), built against Kiln's include/ with plain `-lnvinfer`.
// sampleMNISTAPI's network is built with kREFIT and all-zero weights, through an application
// IGpuAllocator; a context without device memory gets the application's buffer; then the guide's
// refit loop (setWeights, getMissing, setWeights for each missing one, getAll for the rest,
// refitCudaEngine) puts in the trained weights, after which the engine must classify the kit's
// digits and val/ images as sampleMNISTAPI does. Nothing in it is Kiln-specific.
//
// usage: refit_mnist_api <mnist data dir>
#include "NvInfer.h"
#include "mnist_kit.h"

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace nvinfer1;

namespace
{

class Logger : public ILogger
{
public:
    void log(Severity severity, const char* msg) override
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

//! 2.6: the application's allocator, counting what is live.
class CountingAllocator : public IGpuAllocator
{
public:
    void* allocate(uint64_t size, uint64_t alignment, uint32_t) override
    {
        void* p = nullptr;
        if (posix_memalign(&p, alignment < 256 ? 256 : static_cast<size_t>(alignment), static_cast<size_t>(size)) != 0)
            return nullptr;
        ++live;
        return p;
    }
    void free(void* memory) override
    {
        if (memory)
        {
            --live;
            std::free(memory);
        }
    }
    int live = 0;
};

std::vector<std::vector<uint32_t> > gValues;

std::map<std::string, Weights> loadWeights(const std::string& file)
{
    std::map<std::string, Weights> weightMap;
    std::ifstream input(file.c_str());
    int32_t count = 0;
    input >> count;
    gValues.reserve(static_cast<size_t>(count));
    while (count-- > 0)
    {
        std::string name;
        int type;
        uint32_t size;
        input >> name >> std::dec >> type >> size;
        gValues.push_back(std::vector<uint32_t>(size));
        for (uint32_t x = 0; x < size; ++x)
            input >> std::hex >> gValues.back()[x];
        Weights wt{static_cast<DataType>(type), gValues.back().data(), size};
        weightMap[name] = wt;
    }
    return weightMap;
}

const int INPUT_H = 28;
const int INPUT_W = 28;

//! sampleMNISTAPI's network (implicit batch), layers named so the refitter can address them.
void defineNetwork(INetworkDefinition* network, std::map<std::string, Weights>& w, const float* scaleParam)
{
    ITensor* data = network->addInput("data", DataType::kFLOAT, Dims3{1, INPUT_H, INPUT_W});
    IScaleLayer* scale_1 = network->addScale(*data, ScaleMode::kUNIFORM, Weights{DataType::kFLOAT, nullptr, 0},
        Weights{DataType::kFLOAT, scaleParam, 1}, Weights{DataType::kFLOAT, nullptr, 0});
    scale_1->setName("scale_1");
    IConvolutionLayer* conv1 = network->addConvolution(*scale_1->getOutput(0), 20, DimsHW{5, 5}, w["conv1filter"], w["conv1bias"]);
    conv1->setName("conv1");
    IPoolingLayer* pool1 = network->addPooling(*conv1->getOutput(0), PoolingType::kMAX, DimsHW{2, 2});
    pool1->setStride(DimsHW{2, 2});
    IConvolutionLayer* conv2 = network->addConvolution(*pool1->getOutput(0), 50, DimsHW{5, 5}, w["conv2filter"], w["conv2bias"]);
    conv2->setName("conv2");
    IPoolingLayer* pool2 = network->addPooling(*conv2->getOutput(0), PoolingType::kMAX, DimsHW{2, 2});
    pool2->setStride(DimsHW{2, 2});
    IFullyConnectedLayer* ip1 = network->addFullyConnected(*pool2->getOutput(0), 500, w["ip1filter"], w["ip1bias"]);
    ip1->setName("ip1");
    IActivationLayer* relu1 = network->addActivation(*ip1->getOutput(0), ActivationType::kRELU);
    IFullyConnectedLayer* ip2 = network->addFullyConnected(*relu1->getOutput(0), 10, w["ip2filter"], w["ip2bias"]);
    ip2->setName("ip2");
    ISoftMaxLayer* prob = network->addSoftMax(*ip2->getOutput(0));
    prob->getOutput(0)->setName("prob");
    network->markOutput(*prob->getOutput(0));
}

//! The trained weights of (layer, role), as the .wts names them.
Weights trained(std::map<std::string, Weights>& w, const float* scaleParam, const std::string& layer, WeightsRole role)
{
    if (layer == "scale_1")
        return Weights{DataType::kFLOAT, scaleParam, 1};
    return w[layer + (role == WeightsRole::kKERNEL ? "filter" : "bias")];
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: " << argv[0] << " <mnist data dir>" << std::endl;
        return 2;
    }
    const std::string dir = argv[1];
    std::cout << "&&&& RUNNING TensorRT.refit_mnist_api" << std::endl;
    std::map<std::string, Weights> weightMap = loadWeights(dir + "/mnistapi.wts");
    const std::vector<float> mean = mnistkit::readMean(dir + "/mnist_mean.binaryproto");
    if (mean.size() != static_cast<size_t>(INPUT_H * INPUT_W))
    {
        std::cout << "&&&& FAILED: no mean image in " << dir << std::endl;
        return 1;
    }
    if (weightMap.size() != 8)
    {
        std::cout << "&&&& FAILED: could not read " << dir << "/mnistapi.wts" << std::endl;
        return 1;
    }
    static const float scaleParam = 0.0125f;
    static const float zeroScale = 0.f;
    // All-zero weights of the same sizes.
    std::vector<std::vector<float> > zeros;
    std::map<std::string, Weights> zeroMap;
    for (std::map<std::string, Weights>::iterator it = weightMap.begin(); it != weightMap.end(); ++it)
    {
        zeros.push_back(std::vector<float>(static_cast<size_t>(it->second.count), 0.f));
        zeroMap[it->first] = Weights{DataType::kFLOAT, zeros.back().data(), it->second.count};
    }

    int failures = 0;
    CountingAllocator allocator;
    {
        // 2.7: build with kREFIT (2.6: through the application's allocator).
        SampleUniquePtr<IBuilder> builder(createInferBuilder(gLogger));
        builder->setGpuAllocator(&allocator);
        SampleUniquePtr<INetworkDefinition> network(builder->createNetworkV2(0U));
        defineNetwork(network.get(), zeroMap, &zeroScale);
        builder->setMaxBatchSize(1);
        SampleUniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
        config->setMaxWorkspaceSize(1 << 20);
        config->setFlag(BuilderFlag::kREFIT);
        SampleUniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
        if (!engine || !engine->isRefittable())
        {
            std::cout << "&&&& FAILED: no refittable engine" << std::endl;
            return 1;
        }

        // 2.6: a context without device memory runs on the application's buffer.
        SampleUniquePtr<IExecutionContext> context(engine->createExecutionContextWithoutDeviceMemory());
        void* memory = allocator.allocate(engine->getDeviceMemorySize(), 256, 0);
        context->setDeviceMemory(memory);

        std::vector<float> input(INPUT_H * INPUT_W), output(10);
        void* buffers[2];
        buffers[engine->getBindingIndex("data")] = input.data();
        buffers[engine->getBindingIndex("prob")] = output.data();
        auto classify = [&](const std::vector<uint8_t>& pixels, int batch, std::vector<int>& best) {
            best.assign(batch, -1);
            for (int b = 0; b < batch; ++b)
            {
                for (int i = 0; i < INPUT_H * INPUT_W; ++i)
                    input[i] = float(pixels[b * INPUT_H * INPUT_W + i]) - mean[i];
                if (!context->execute(1, buffers))
                    return false;
                best[b] = static_cast<int>(std::max_element(output.begin(), output.end()) - output.begin());
            }
            return true;
        };
        // With zero weights every class is equally likely.
        std::vector<int> best;
        std::vector<uint8_t> digit0;
        mnistkit::readPGM(dir + "/0.pgm", digit0);
        if (digit0.size() != static_cast<size_t>(INPUT_H * INPUT_W) || !classify(digit0, 1, best) || output[0] != output[9])
            ++failures;

        // 2.7: the guide's refit loop.
        IRefitter* refitter = createInferRefitter(*engine, gLogger);
        if (!refitter)
        {
            std::cout << "&&&& FAILED: createInferRefitter" << std::endl;
            return 1;
        }
        refitter->setWeights("conv1", WeightsRole::kKERNEL, weightMap["conv1filter"]);
        const int32_t n = refitter->getMissing(0, nullptr, nullptr);
        std::vector<const char*> layerNames(n);
        std::vector<WeightsRole> weightsRoles(n);
        refitter->getMissing(n, layerNames.data(), weightsRoles.data());
        std::cout << "missing after conv1 kKERNEL:";
        for (int32_t i = 0; i < n; ++i)
        {
            std::cout << " " << layerNames[i] << "/" << static_cast<int>(weightsRoles[i]);
            refitter->setWeights(layerNames[i], weightsRoles[i], trained(weightMap, &scaleParam, layerNames[i], weightsRoles[i]));
        }
        std::cout << std::endl;
        // Supplying what was missing leaves nothing missing.
        if (refitter->getMissing(0, nullptr, nullptr) != 0)
            ++failures;
        // getAll: the other layers' weights too.
        const int32_t all = refitter->getAll(0, nullptr, nullptr);
        std::vector<const char*> allNames(all);
        std::vector<WeightsRole> allRoles(all);
        refitter->getAll(all, allNames.data(), allRoles.data());
        for (int32_t i = 0; i < all; ++i)
            refitter->setWeights(allNames[i], allRoles[i], trained(weightMap, &scaleParam, allNames[i], allRoles[i]));
        const bool success = refitter->refitCudaEngine();
        refitter->destroy();
        if (!success)
        {
            std::cout << "&&&& FAILED: refitCudaEngine" << std::endl;
            return 1;
        }

        // The refit engine classifies like sampleMNISTAPI.
        for (int digit = 0; digit < 10; ++digit)
        {
            std::vector<uint8_t> pixels;
            mnistkit::readPGM(dir + "/" + std::to_string(digit) + ".pgm", pixels);
            if (pixels.size() != static_cast<size_t>(INPUT_H * INPUT_W) || !classify(pixels, 1, best) || best[0] != digit)
                ++failures;
        }
        int correct = 0, total = 0;
        mnistkit::scoreVal(dir, 1, classify, correct, total);
        context.reset();
        allocator.free(memory);
        engine.reset();
        builder.reset();
        if (allocator.live != 0)
        {
            std::cout << allocator.live << " allocations were not freed" << std::endl;
            ++failures;
        }
        return mnistkit::verdict(dir, "wts", "refit_mnist_api", failures, correct, total) ? 0 : 1;
    }
}
