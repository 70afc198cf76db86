// The developer guide's section 2.2.5 ONNX import, followed by 2.3 (build), 2.4 (serialize and
// deserialize) and 2.5 (execute), written as a TensorRT 7.2 program: C++11, no RTTI, objects freed
// with destroy(). Built against Kiln's include/ with plain -lnvinfer -lnvonnxparser; it must
// classify the MNIST kit's ten digits (p > 0.9, sampleOnnxMNIST's preprocessing 1 - pixel/255) and
// reach the kit's ONNX accuracy on val/ within 0.5 points.
//
// usage: sample_onnx_mnist <mnist data dir>
#include "NvInfer.h"
#include "NvOnnxParser.h"
#include "mnist_kit.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

using namespace nvinfer1;

namespace
{

mnistkit::Logger gLogger;
using mnistkit::readPGM;

//! Runs one image; returns the argmax and the softmax probability of it.
int classify(IExecutionContext* context, int inputIndex, int outputIndex, const std::vector<uint8_t>& pixels, float& prob)
{
    std::vector<float> input(28 * 28), output(10);
    for (size_t i = 0; i < input.size(); ++i)
        input[i] = 1.0f - float(pixels[i] / 255.0);
    void* buffers[2];
    buffers[inputIndex] = input.data();
    buffers[outputIndex] = output.data();
    if (!context->executeV2(buffers))
        return -1;
    float sum = 0.f;
    for (int i = 0; i < 10; ++i)
    {
        output[i] = std::exp(output[i]);
        sum += output[i];
    }
    const int best = static_cast<int>(std::max_element(output.begin(), output.end()) - output.begin());
    prob = output[best] / sum;
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: sample_onnx_mnist <mnist data dir>" << std::endl;
        return 2;
    }
    const std::string dir = argv[1];
    const std::string onnx_filename = dir + "/mnist.onnx";

    // 2.2.5
    IBuilder* builder = createInferBuilder(gLogger);
    const auto explicitBatch = 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
    INetworkDefinition* network = builder->createNetworkV2(explicitBatch);
    nvonnxparser::IParser* parser = nvonnxparser::createParser(*network, gLogger);
    parser->parseFromFile(onnx_filename.c_str(), ILogger::Severity::kWARNING);
    for (int i = 0; i < parser->getNbErrors(); ++i)
    {
        std::cout << parser->getError(i)->desc() << std::endl;
    }
    if (parser->getNbErrors() > 0)
        return 1;

    // 2.3
    IBuilderConfig* config = builder->createBuilderConfig();
    config->setMaxWorkspaceSize(1 << 20);
    ICudaEngine* built = builder->buildEngineWithConfig(*network, *config);
    parser->destroy();
    network->destroy();
    config->destroy();
    builder->destroy();
    if (!built)
        return 1;

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
    const int inputIndex = engine->getBindingIndex("Input3");
    const int outputIndex = engine->getBindingIndex("Plus214_Output_0");
    if (inputIndex < 0 || outputIndex < 0)
    {
        std::cerr << "bindings Input3 / Plus214_Output_0 not found" << std::endl;
        return 1;
    }

    int failures = 0;
    for (int digit = 0; digit < 10; ++digit)
    {
        std::vector<uint8_t> pixels;
        float prob = 0.f;
        const int best = readPGM(dir + "/" + std::to_string(digit) + ".pgm", pixels)
            ? classify(context, inputIndex, outputIndex, pixels, prob)
            : -1;
        std::cout << "digit " << digit << ": argmax " << best << " p=" << prob << std::endl;
        failures += best == digit && prob > 0.9f ? 0 : 1;
    }

    // sampleOnnxMNIST runs one image at a time.
    int correct = 0, total = 0;
    mnistkit::scoreVal(dir, 1,
        [&](const std::vector<uint8_t>& pixels, int, std::vector<int>& best) {
            float prob = 0.f;
            best.assign(1, classify(context, inputIndex, outputIndex, pixels, prob));
            return best[0] >= 0;
        },
        correct, total);
    context->destroy();
    engine->destroy();
    runtime->destroy();
    return mnistkit::verdict(dir, "onnx", "sample_onnx_mnist", failures, correct, total) ? 0 : 1;
}
