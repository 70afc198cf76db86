// The developer guide's section 2.2.4 UFF import, run the way TensorRT 7.2's sampleUffMNIST runs
// it: an implicit-batch network from lenet5.uff with input "in" registered as CHW (1, 28, 28) in
// kNCHW order and output "out" (ten logits), fed 1 - pixel/255. Then 2.3 (build with a max batch
// size), 2.4 (serialize, deserialize) and 2.5 (execute). C++11, no RTTI, objects freed with
// destroy(); built against Kiln's include/ with plain -lnvinfer -lnvparsers.
//
// Passes when all ten digit files are classified right (argmax, as the sample checks) and the
// accuracy on the kit's val/ images (run in batches of 100) is within 0.5 points of the kit
// README's figure.
//
// usage: sample_uff_mnist <mnist data dir>
#include "NvInfer.h"
#include "mnist_kit.h"
#include "NvUffParser.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace nvinfer1;
using namespace nvuffparser;

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
        prob[b] = p[best[b]]; // a logit here
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: sample_uff_mnist <mnist data dir>" << std::endl;
        return 2;
    }
    const std::string dir = argv[1];
    const std::string uffFile = dir + "/lenet5.uff";
    const int maxBatch = 100;

    // 2.2.4
    IBuilder* builder = createInferBuilder(gLogger);
    INetworkDefinition* network = builder->createNetworkV2(0U);
    IUffParser* parser = createUffParser();
    parser->registerInput("in", DimsCHW(1, 28, 28), UffInputOrder::kNCHW);
    parser->registerOutput("out");
    if (!parser->parse(uffFile.c_str(), *network, nvinfer1::DataType::kFLOAT))
    {
        std::cout << "&&&& FAILED sample_uff_mnist (parse)" << std::endl;
        return 1;
    }

    // 2.3
    builder->setMaxBatchSize(maxBatch);
    IBuilderConfig* config = builder->createBuilderConfig();
    config->setMaxWorkspaceSize(16 << 20);
    ICudaEngine* built = builder->buildEngineWithConfig(*network, *config);
    parser->destroy();
    network->destroy();
    config->destroy();
    builder->destroy();
    shutdownProtobufLibrary();
    if (!built)
    {
        std::cout << "&&&& FAILED sample_uff_mnist (build)" << std::endl;
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
    const int inputIndex = engine->getBindingIndex("in");
    const int outputIndex = engine->getBindingIndex("out");
    if (inputIndex < 0 || outputIndex < 0)
    {
        std::cerr << "bindings in / out not found" << std::endl;
        return 1;
    }

    int failures = 0;
    for (int digit = 0; digit < 10; ++digit)
    {
        std::vector<uint8_t> pixels;
        std::vector<int> best;
        std::vector<float> logit;
        bool ok = readPGM(dir + "/" + std::to_string(digit) + ".pgm", pixels);
        std::vector<float> in(pixels.size());
        for (size_t i = 0; i < in.size(); ++i)
            in[i] = 1.0f - float(pixels[i] / 255.0);
        ok = ok && classify(context, inputIndex, outputIndex, in, 1, best, logit);
        std::cout << "digit " << digit << ": argmax " << (ok ? best[0] : -1) << " logit " << (ok ? logit[0] : 0.f)
                  << std::endl;
        failures += ok && best[0] == digit ? 0 : 1;
    }

    int correct = 0, total = 0;
    mnistkit::scoreVal(dir, maxBatch,
        [&](const std::vector<uint8_t>& pixels, int batch, std::vector<int>& best) {
            std::vector<float> in(pixels.size()), score;
            for (size_t i = 0; i < in.size(); ++i)
                in[i] = 1.0f - float(pixels[i] / 255.0);
            return classify(context, inputIndex, outputIndex, in, batch, best, score);
        },
        correct, total);
    context->destroy();
    engine->destroy();
    runtime->destroy();
    return mnistkit::verdict(dir, "uff", "sample_uff_mnist", failures, correct, total) ? 0 : 1;
}
