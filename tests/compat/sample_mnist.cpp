// The developer guide's section 2.2.3 Caffe import, run the way TensorRT 7.2's sampleMNIST runs
// it: an implicit-batch network from mnist.prototxt + mnist.caffemodel, the mean image from
// mnist_mean.binaryproto subtracted inside the network (an ElementWise kSUB in front of layer 0),
// the output blob "prob" found through IBlobNameToTensor and marked. Then 2.3 (build with a max
// batch size), 2.4 (serialize, deserialize) and 2.5 (execute). C++11, no RTTI, objects freed with
// destroy(); built against Kiln's include/ with plain -lnvinfer -lnvparsers.
//
// Passes when all ten digit files are classified right with probability > 0.9 and the accuracy on
// the kit's val/ images (run in batches of 100) is within 0.5 points of the kit README's figure.
//
// usage: sample_mnist <mnist data dir>
#include "NvCaffeParser.h"
#include "NvInfer.h"
#include "mnist_kit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace nvinfer1;
using namespace nvcaffeparser1;

namespace
{

mnistkit::Logger gLogger;
using mnistkit::kH;
using mnistkit::kW;
using mnistkit::readPGM;

//! Runs \p batch images at once; writes each argmax and its probability.
bool classify(IExecutionContext* context, int inputIndex, int outputIndex, const std::vector<float>& input, int batch,
    std::vector<int>& best, std::vector<float>& prob)
{
    std::vector<float> output(10 * batch);
    void* buffers[2];
    buffers[inputIndex] = const_cast<float*>(input.data());
    buffers[outputIndex] = output.data();
    if (!context->execute(batch, buffers))
        return false;
    best.resize(batch);
    prob.resize(batch);
    for (int b = 0; b < batch; ++b)
    {
        const float* p = output.data() + 10 * b;
        best[b] = static_cast<int>(std::max_element(p, p + 10) - p);
        prob[b] = p[best[b]];
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: sample_mnist <mnist data dir>" << std::endl;
        return 2;
    }
    const std::string dir = argv[1];
    const std::string deployFile = dir + "/mnist.prototxt";
    const std::string modelFile = dir + "/mnist.caffemodel";
    std::vector<std::string> outputs;
    outputs.push_back("prob");
    const int maxBatch = 100;

    // 2.2.3
    IBuilder* builder = createInferBuilder(gLogger);
    INetworkDefinition* network = builder->createNetworkV2(0U);
    ICaffeParser* parser = createCaffeParser();
    const IBlobNameToTensor* blobNameToTensor
        = parser->parse(deployFile.c_str(), modelFile.c_str(), *network, DataType::kFLOAT);
    if (!blobNameToTensor)
    {
        std::cout << "&&&& FAILED sample_mnist (parse)" << std::endl;
        return 1;
    }
    for (auto& s : outputs)
        network->markOutput(*blobNameToTensor->find(s.c_str()));

    // sampleMNIST: subtract the mean image inside the network, in front of layer 0.
    IBinaryProtoBlob* meanBlob = parser->parseBinaryProto((dir + "/mnist_mean.binaryproto").c_str());
    if (!meanBlob || meanBlob->getDimensions().c() != 1 || meanBlob->getDimensions().h() != kH
        || meanBlob->getDimensions().w() != kW || meanBlob->getDataType() != DataType::kFLOAT)
    {
        std::cout << "&&&& FAILED sample_mnist (mean blob)" << std::endl;
        return 1;
    }
    Weights meanWeights{DataType::kFLOAT, meanBlob->getData(), kH * kW};
    ITensor* input = network->getInput(0);
    IConstantLayer* mean = network->addConstant(Dims3(1, kH, kW), meanWeights);
    IElementWiseLayer* meanSub = network->addElementWise(*input, *mean->getOutput(0), ElementWiseOperation::kSUB);
    network->getLayer(0)->setInput(0, *meanSub->getOutput(0));

    // 2.3
    builder->setMaxBatchSize(maxBatch);
    IBuilderConfig* config = builder->createBuilderConfig();
    config->setMaxWorkspaceSize(16 << 20);
    ICudaEngine* built = builder->buildEngineWithConfig(*network, *config);
    meanBlob->destroy();
    parser->destroy();
    network->destroy();
    config->destroy();
    builder->destroy();
    shutdownProtobufLibrary();
    if (!built)
    {
        std::cout << "&&&& FAILED sample_mnist (build)" << std::endl;
        return 1;
    }

    // 2.4
    IHostMemory* serializedModel = built->serialize();
    built->destroy();
    IRuntime* runtime = createInferRuntime(gLogger);
    ICudaEngine* engine = runtime->deserializeCudaEngine(serializedModel->data(), serializedModel->size(), nullptr);
    serializedModel->destroy();
    if (!engine)
        return 1;

    // 2.5
    IExecutionContext* context = engine->createExecutionContext();
    const int inputIndex = engine->getBindingIndex("data");
    const int outputIndex = engine->getBindingIndex("prob");
    if (inputIndex < 0 || outputIndex < 0)
    {
        std::cerr << "bindings data / prob not found" << std::endl;
        return 1;
    }

    int failures = 0;
    for (int digit = 0; digit < 10; ++digit)
    {
        std::vector<uint8_t> pixels;
        std::vector<int> best;
        std::vector<float> prob;
        bool ok = readPGM(dir + "/" + std::to_string(digit) + ".pgm", pixels);
        std::vector<float> in(pixels.begin(), pixels.end());
        ok = ok && classify(context, inputIndex, outputIndex, in, 1, best, prob);
        std::cout << "digit " << digit << ": argmax " << (ok ? best[0] : -1) << " p=" << (ok ? prob[0] : 0.f)
                  << std::endl;
        failures += ok && best[0] == digit && prob[0] > 0.9f ? 0 : 1;
    }

    int correct = 0, total = 0;
    mnistkit::scoreVal(dir, maxBatch,
        [&](const std::vector<uint8_t>& pixels, int batch, std::vector<int>& best) {
            std::vector<float> in(pixels.size()), score;
            for (size_t i = 0; i < in.size(); ++i)
                in[i] = float(pixels[i]);
            return classify(context, inputIndex, outputIndex, in, batch, best, score);
        },
        correct, total);
    context->destroy();
    engine->destroy();
    runtime->destroy();
    return mnistkit::verdict(dir, "caffe", "sample_mnist", failures, correct, total) ? 0 : 1;
}
