// The developer guide's section 2.8 (algorithm selection and reproducible builds), run the way
// TensorRT 7.2's sampleAlgorithmSelector runs it: the Caffe MNIST network of sampleMNIST (mean
// subtracted in front of layer 0) is built three times with kSTRICT_TYPES and kGPU_FALLBACK set,
// each build with its own IAlgorithmSelector, and each engine classifies the ten digit images:
//   1. AlgorithmCacheWriter selects every choice and, in reportAlgorithms, writes each node's chosen
//      algorithm (name, implementation, tactic, I/O counts, per-I/O format and type) to a file;
//   2. AlgorithmCacheReader reads that file and forces exactly the recorded algorithm for every
//      node; it checks that each node was recorded, that exactly one offered choice matches, and
//      that reportAlgorithms reports the recorded choices. Its engine must equal build 1's byte for
//      byte (the guide's reproducible build);
//   3. MinimumWorkspaceAlgorithmSelector selects the choice with the smallest workspace; this build
//      also sets the guide's 2.3.1 flag, BuilderFlag::kDISABLE_TIMING_CACHE.
// C++11, no RTTI, objects freed with destroy(); built against Kiln's include/ with plain -lnvinfer
// -lnvparsers. Prints "&&&& PASSED" on success.
//
// usage: sample_algorithm_selector <mnist data dir> [<cache file>]
#include "NvCaffeParser.h"
#include "NvInfer.h"
#include "mnist_kit.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace nvinfer1;
using namespace nvcaffeparser1;

namespace
{

mnistkit::Logger gLogger;
bool gContractBroken = false;

void check(bool condition, const std::string& what)
{
    if (!condition)
    {
        std::cout << "contract broken: " << what << std::endl;
        gContractBroken = true;
    }
}

//! One node's recorded algorithm, as the sample's cache file holds it.
struct AlgorithmCacheItem
{
    int64_t implementation;
    int64_t tactic;
    int32_t nbInputs;
    int32_t nbOutputs;
    std::vector<int32_t> formats;
    std::vector<int32_t> types;
};

AlgorithmCacheItem itemOf(const IAlgorithmContext& context, const IAlgorithm& algorithm)
{
    AlgorithmCacheItem item;
    item.implementation = algorithm.getAlgorithmVariant().getImplementation();
    item.tactic = algorithm.getAlgorithmVariant().getTactic();
    item.nbInputs = context.getNbInputs();
    item.nbOutputs = context.getNbOutputs();
    for (int32_t j = 0; j < item.nbInputs + item.nbOutputs; ++j)
    {
        item.formats.push_back(static_cast<int32_t>(algorithm.getAlgorithmIOInfo(j).getTensorFormat()));
        item.types.push_back(static_cast<int32_t>(algorithm.getAlgorithmIOInfo(j).getDataType()));
    }
    return item;
}

bool sameAlgorithm(const AlgorithmCacheItem& a, const AlgorithmCacheItem& b)
{
    return a.implementation == b.implementation && a.tactic == b.tactic && a.nbInputs == b.nbInputs
        && a.nbOutputs == b.nbOutputs && a.formats == b.formats && a.types == b.types;
}

//! Build 1: allows every choice and writes the reported ones to a file.
class AlgorithmCacheWriter : public IAlgorithmSelector
{
public:
    explicit AlgorithmCacheWriter(const std::string& cacheFileName)
        : mCacheFileName(cacheFileName)
    {
    }
    int32_t selectAlgorithms(const IAlgorithmContext& context, const IAlgorithm* const* choices, int32_t nbChoices,
        int32_t* selection) override
    {
        (void) context;
        (void) choices;
        for (int32_t i = 0; i < nbChoices; ++i)
            selection[i] = i;
        return nbChoices;
    }
    void reportAlgorithms(const IAlgorithmContext* const* algoContexts, const IAlgorithm* const* algoChoices,
        int32_t nbAlgorithms) override
    {
        std::ofstream file(mCacheFileName.c_str(), std::ios::out);
        check(file.good(), "cannot write " + mCacheFileName);
        for (int32_t i = 0; i < nbAlgorithms; ++i)
        {
            const AlgorithmCacheItem item = itemOf(*algoContexts[i], *algoChoices[i]);
            file << algoContexts[i]->getName() << "\n";
            file << item.implementation << "\n" << item.tactic << "\n" << item.nbInputs << "\n" << item.nbOutputs << "\n";
            for (size_t j = 0; j < item.formats.size(); ++j)
                file << item.formats[j] << "\n" << item.types[j] << "\n";
        }
        ++mReports;
    }
    int mReports = 0;

private:
    std::string mCacheFileName;
};

//! Build 2: forces the recorded algorithm for every node.
class AlgorithmCacheReader : public IAlgorithmSelector
{
public:
    explicit AlgorithmCacheReader(const std::string& cacheFileName)
    {
        std::ifstream file(cacheFileName.c_str());
        check(file.good(), "cannot read " + cacheFileName);
        std::string name;
        while (std::getline(file, name))
        {
            AlgorithmCacheItem item;
            file >> item.implementation >> item.tactic >> item.nbInputs >> item.nbOutputs;
            for (int32_t j = 0; j < item.nbInputs + item.nbOutputs; ++j)
            {
                int32_t format = 0, type = 0;
                file >> format >> type;
                item.formats.push_back(format);
                item.types.push_back(type);
            }
            file.ignore(1, '\n');
            mCache[name] = item;
        }
        check(!mCache.empty(), "the algorithm cache file is empty");
    }
    int32_t selectAlgorithms(const IAlgorithmContext& context, const IAlgorithm* const* choices, int32_t nbChoices,
        int32_t* selection) override
    {
        std::map<std::string, AlgorithmCacheItem>::const_iterator it = mCache.find(context.getName());
        check(it != mCache.end(), std::string("node '") + context.getName() + "' is not in the recorded build");
        if (it == mCache.end())
            return 0;
        check(it->second.nbInputs == context.getNbInputs() && it->second.nbOutputs == context.getNbOutputs(),
            std::string("node '") + context.getName() + "' has other I/O counts than recorded");
        int32_t nbSelected = 0;
        for (int32_t i = 0; i < nbChoices; ++i)
            if (sameAlgorithm(itemOf(context, *choices[i]), it->second))
                selection[nbSelected++] = i;
        check(nbSelected == 1, std::string("node '") + context.getName() + "': " + std::to_string(nbSelected)
                + " choices match the recorded algorithm");
        return std::min(nbSelected, 1);
    }
    void reportAlgorithms(const IAlgorithmContext* const* algoContexts, const IAlgorithm* const* algoChoices,
        int32_t nbAlgorithms) override
    {
        check(nbAlgorithms == static_cast<int32_t>(mCache.size()), "the replay reports another number of nodes");
        for (int32_t i = 0; i < nbAlgorithms; ++i)
        {
            std::map<std::string, AlgorithmCacheItem>::const_iterator it = mCache.find(algoContexts[i]->getName());
            check(it != mCache.end() && sameAlgorithm(itemOf(*algoContexts[i], *algoChoices[i]), it->second),
                std::string("node '") + algoContexts[i]->getName() + "' did not get its recorded algorithm");
        }
    }

private:
    std::map<std::string, AlgorithmCacheItem> mCache;
};

//! Build 3: the choice with the smallest workspace.
class MinimumWorkspaceAlgorithmSelector : public IAlgorithmSelector
{
public:
    int32_t selectAlgorithms(const IAlgorithmContext& context, const IAlgorithm* const* choices, int32_t nbChoices,
        int32_t* selection) override
    {
        (void) context;
        int32_t best = 0;
        for (int32_t i = 1; i < nbChoices; ++i)
            if (choices[i]->getWorkspaceSize() < choices[best]->getWorkspaceSize())
                best = i;
        selection[0] = best;
        mLargestChosen = std::max(mLargestChosen, choices[best]->getWorkspaceSize());
        return 1;
    }
    void reportAlgorithms(const IAlgorithmContext* const*, const IAlgorithm* const*, int32_t) override {}
    size_t mLargestChosen = 0;
};

//! Parses the Caffe MNIST network with the mean subtracted in front of layer 0 and builds it with
//! \p selector (and kDISABLE_TIMING_CACHE when asked); returns the serialized engine (nullptr on failure).
IHostMemory* build(const std::string& dir, IAlgorithmSelector* selector, bool disableTimingCache)
{
    IBuilder* builder = createInferBuilder(gLogger);
    INetworkDefinition* network = builder->createNetworkV2(0U);
    ICaffeParser* parser = createCaffeParser();
    const IBlobNameToTensor* blobs
        = parser->parse((dir + "/mnist.prototxt").c_str(), (dir + "/mnist.caffemodel").c_str(), *network, DataType::kFLOAT);
    IBinaryProtoBlob* meanBlob = blobs ? parser->parseBinaryProto((dir + "/mnist_mean.binaryproto").c_str()) : nullptr;
    IHostMemory* plan = nullptr;
    if (blobs && meanBlob)
    {
        network->markOutput(*blobs->find("prob"));
        Weights meanWeights{DataType::kFLOAT, meanBlob->getData(), mnistkit::kH * mnistkit::kW};
        IConstantLayer* mean = network->addConstant(Dims3(1, mnistkit::kH, mnistkit::kW), meanWeights);
        IElementWiseLayer* meanSub
            = network->addElementWise(*network->getInput(0), *mean->getOutput(0), ElementWiseOperation::kSUB);
        network->getLayer(0)->setInput(0, *meanSub->getOutput(0));
        builder->setMaxBatchSize(1);
        IBuilderConfig* config = builder->createBuilderConfig();
        config->setMaxWorkspaceSize(16 << 20);
        config->setFlag(BuilderFlag::kGPU_FALLBACK);
        config->setFlag(BuilderFlag::kSTRICT_TYPES);
        config->setAlgorithmSelector(selector);
        if (disableTimingCache)
            config->setFlag(BuilderFlag::kDISABLE_TIMING_CACHE);
        ICudaEngine* engine = builder->buildEngineWithConfig(*network, *config);
        if (engine)
        {
            plan = engine->serialize();
            engine->destroy();
        }
        config->destroy();
    }
    if (meanBlob)
        meanBlob->destroy();
    parser->destroy();
    network->destroy();
    builder->destroy();
    return plan;
}

//! Deserializes \p plan and classifies the ten digit images; the number it gets wrong.
int classifyDigits(const std::string& dir, IHostMemory* plan)
{
    IRuntime* runtime = createInferRuntime(gLogger);
    ICudaEngine* engine = runtime->deserializeCudaEngine(plan->data(), plan->size(), nullptr);
    if (!engine)
    {
        runtime->destroy();
        return 10;
    }
    IExecutionContext* context = engine->createExecutionContext();
    const int inputIndex = engine->getBindingIndex("data");
    const int outputIndex = engine->getBindingIndex("prob");
    int failures = 0;
    for (int digit = 0; digit < 10; ++digit)
    {
        std::vector<uint8_t> pixels;
        std::vector<float> in, out(10);
        const bool read = mnistkit::readPGM(dir + "/" + std::to_string(digit) + ".pgm", pixels);
        in.assign(pixels.begin(), pixels.end());
        void* buffers[2];
        buffers[inputIndex] = in.data();
        buffers[outputIndex] = out.data();
        const bool ok = read && inputIndex >= 0 && outputIndex >= 0 && context->execute(1, buffers);
        const int best = static_cast<int>(std::max_element(out.begin(), out.end()) - out.begin());
        failures += ok && best == digit && out[best] > 0.9f ? 0 : 1;
    }
    context->destroy();
    engine->destroy();
    runtime->destroy();
    return failures;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::cerr << "usage: sample_algorithm_selector <mnist data dir> [<cache file>]" << std::endl;
        return 2;
    }
    const std::string dir = argv[1];
    const std::string cacheFile = argc > 2 ? argv[2] : "AlgorithmCache.txt";

    AlgorithmCacheWriter writer(cacheFile);
    IHostMemory* first = build(dir, &writer, false);
    AlgorithmCacheReader reader(cacheFile);
    IHostMemory* second = first ? build(dir, &reader, false) : nullptr;
    MinimumWorkspaceAlgorithmSelector minimum;
    IHostMemory* third = second ? build(dir, &minimum, true) : nullptr;
    shutdownProtobufLibrary();
    if (!first || !second || !third)
    {
        std::cout << "&&&& FAILED sample_algorithm_selector (build)" << std::endl;
        return 1;
    }
    check(writer.mReports == 1, "the writer heard " + std::to_string(writer.mReports) + " reports (one profile)");
    check(first->size() == second->size()
            && std::equal(static_cast<const uint8_t*>(first->data()), static_cast<const uint8_t*>(first->data()) + first->size(),
                static_cast<const uint8_t*>(second->data())),
        "the replayed engine differs from the recorded one");
    const int failures = classifyDigits(dir, first) + classifyDigits(dir, second) + classifyDigits(dir, third);
    std::cout << "writer, reader and minimum-workspace engines: " << 30 - failures << "/30 digits right; "
              << "largest workspace chosen by the minimum-workspace selector: " << minimum.mLargestChosen << " bytes"
              << std::endl;
    first->destroy();
    second->destroy();
    third->destroy();
    const bool pass = failures == 0 && !gContractBroken;
    std::cout << (pass ? "&&&& PASSED" : "&&&& FAILED") << " sample_algorithm_selector" << std::endl;
    return pass ? 0 : 1;
}
