// kiln build: an engine from the zoo, saved to a file.
#include "cli.h"

#include "NvOnnxParser.h"
#include "common/zoo.h"

#include <chrono>
#include <cstdio>

namespace kiln::cli
{

const std::vector<std::string>& buildOptionNames()
{
    static const std::vector<std::string> names{"zoo", "weights", "implicit", "batch", "input-size", "classes", "seed",
        "workspace", "fp16", "int8", "verbose", "name", "onnx", "shapes", "minShapes", "optShapes", "maxShapes", "deploy", "model", "output", "uff", "uffInput", "uffNHWC",
        "halfWeights", "timingCache", "ignoreTimingCacheMismatch", "noTimingCache", "profilingVerbosity", "minTiming",
        "avgTiming", "tactics", "refit"};
    return names;
}

namespace
{

//! An engine from an ONNX model; dynamic inputs take their profile from --shapes (min = opt = max)
//! or --minShapes/--optShapes/--maxShapes.
nvinfer1::ICudaEngine* buildFromOnnx(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error)
{
    const std::string path = args.get("onnx");
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(logger));
    if (!builder)
        return error = "could not create the builder", nullptr;
    Ptr<nvinfer1::INetworkDefinition> network(
        builder->createNetworkV2(1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    Ptr<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, logger));
    if (!parser)
        return error = "could not create the ONNX parser", nullptr;
    const auto verbosity = args.has("verbose") ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING;
    const auto start = std::chrono::steady_clock::now();
    if (!parser->parseFromFile(path.c_str(), verbosity))
    {
        error = "'" + path + "' could not be parsed:";
        for (int i = 0; i < parser->getNbErrors(); ++i)
            error += std::string("\n  ") + parser->getError(i)->desc();
        return nullptr;
    }
    std::map<std::string, nvinfer1::Dims> shapes[3];
    const char* const options[3] = {"minShapes", "optShapes", "maxShapes"};
    for (int k = 0; k < 3; ++k)
    {
        const std::string text = args.has(options[k]) ? args.get(options[k]) : args.get("shapes");
        if (!text.empty() && !parseShapes(text, shapes[k], error))
            return nullptr;
    }
    Ptr<nvinfer1::IBuilderConfig> config(builder->createBuilderConfig());
    nvinfer1::IOptimizationProfile* profile = builder->createOptimizationProfile();
    bool dynamic = false;
    for (int32_t i = 0; i < network->getNbInputs(); ++i)
    {
        nvinfer1::ITensor* in = network->getInput(i);
        const nvinfer1::Dims d = in->getDimensions();
        bool isDynamic = false;
        for (int32_t k = 0; k < d.nbDims; ++k)
            isDynamic = isDynamic || d.d[k] < 0;
        if (!isDynamic)
            continue;
        dynamic = true;
        const nvinfer1::OptProfileSelector selectors[3]
            = {nvinfer1::OptProfileSelector::kMIN, nvinfer1::OptProfileSelector::kOPT, nvinfer1::OptProfileSelector::kMAX};
        for (int k = 0; k < 3; ++k)
        {
            auto it = shapes[k].find(in->getName());
            if (it == shapes[k].end())
                return error = std::string("input '") + in->getName() + "' has dynamic dimensions " + dimsText(d) + ": give --shapes "
                           + in->getName() + ":<dims> or --minShapes/--optShapes/--maxShapes",
                       nullptr;
            profile->setDimensions(in->getName(), selectors[k], it->second);
        }
    }
    if (dynamic)
        config->addOptimizationProfile(profile);
    std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    network->setName(args.get("name", name).c_str());
    nvinfer1::ICudaEngine* engine = buildWithOptions(args, *builder, *network, *config, error);
    buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return engine;
}

} // namespace

nvinfer1::ICudaEngine* buildFromArgs(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error)
{
    if (args.has("onnx"))
        return buildFromOnnx(args, logger, buildMs, error);
    if (args.has("deploy"))
        return buildFromCaffe(args, logger, buildMs, error);
    if (args.has("uff"))
        return buildFromUff(args, logger, buildMs, error);
    const std::string zoo = args.get("zoo");
    if (zoo.empty())
    {
        error = "no network: give --onnx model.onnx, --deploy f.prototxt, --uff f.uff or --zoo lenet|resnet18|resnet50";
        return nullptr;
    }
    tools::ZooOptions opt;
    opt.explicitBatch = !args.has("implicit");
    opt.maxBatch = static_cast<int32_t>(args.getInt("batch", 1, error));
    opt.inputSize = static_cast<int32_t>(args.getInt("input-size", 224, error));
    opt.numClasses = static_cast<int32_t>(args.getInt("classes", 1000, error));
    opt.seed = static_cast<uint32_t>(args.getInt("seed", 1, error));
    if (!error.empty())
        return nullptr;
    if (opt.maxBatch < 1 || opt.inputSize < 32 || opt.numClasses < 1)
    {
        error = "--batch and --classes must be positive, --input-size at least 32";
        return nullptr;
    }
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(logger));
    if (!builder)
        return error = "could not create the builder", nullptr;
    const uint32_t flags = opt.explicitBatch ? 1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH) : 0u;
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(flags));
    Ptr<nvinfer1::IBuilderConfig> config(builder->createBuilderConfig());
    tools::WeightStore store;
    tools::WtsMap wts;
    if (zoo == "lenet")
    {
        if (args.has("weights") && !tools::readWts(args.get("weights"), wts, error))
            return nullptr;
        if (!tools::buildLeNet(*network, args.has("weights") ? &wts : nullptr, store, opt, error))
            return nullptr;
    }
    else if (zoo == "resnet18" || zoo == "resnet50")
    {
        if (args.has("weights"))
            return error = "--weights: the " + zoo + " zoo network uses seeded random weights", nullptr;
        if (!tools::buildResNet(*network, store, opt, zoo == "resnet50" ? 50 : 18, error))
            return nullptr;
    }
    else
        return error = "unknown zoo network '" + zoo + "' (known: lenet, resnet18, resnet50)", nullptr;
    if (args.has("name"))
        network->setName(args.get("name").c_str());
    else
        network->setName(zoo.c_str());
    if (opt.explicitBatch)
    {
        nvinfer1::IOptimizationProfile* profile = builder->createOptimizationProfile();
        nvinfer1::ITensor* in = network->getInput(0);
        nvinfer1::Dims lo = in->getDimensions(), hi = lo;
        lo.d[0] = 1;
        hi.d[0] = opt.maxBatch;
        profile->setDimensions(in->getName(), nvinfer1::OptProfileSelector::kMIN, lo);
        profile->setDimensions(in->getName(), nvinfer1::OptProfileSelector::kOPT, hi);
        profile->setDimensions(in->getName(), nvinfer1::OptProfileSelector::kMAX, hi);
        config->addOptimizationProfile(profile);
    }
    else
        builder->setMaxBatchSize(opt.maxBatch);
    const auto start = std::chrono::steady_clock::now();
    nvinfer1::ICudaEngine* engine = buildWithOptions(args, *builder, *network, *config, error);
    buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return engine;
}

nvinfer1::ICudaEngine* engineFromArgs(const Args& args, nvinfer1::ILogger& logger, nvinfer1::IRuntime& runtime, double& buildMs, std::string& error)
{
    buildMs = -1;
    if (!args.has("loadEngine"))
        return buildFromArgs(args, logger, buildMs, error);
    std::vector<char> bytes;
    if (!readFile(args.get("loadEngine"), bytes, error))
        return nullptr;
    nvinfer1::ICudaEngine* engine = runtime.deserializeCudaEngine(bytes.data(), bytes.size(), nullptr);
    if (!engine)
        error = "'" + args.get("loadEngine") + "' could not be loaded (see the errors above)";
    return engine;
}

int commandBuild(int argc, char** argv)
{
    Args args;
    std::string error;
    if (!args.parse(argc, argv, 2, {"implicit", "fp16", "int8", "verbose", "uffNHWC", "halfWeights", "noTimingCache", "ignoreTimingCacheMismatch", "refit"}, error))
    {
        std::fprintf(stderr, "kiln build: %s\n", error.c_str());
        return 2;
    }
    std::vector<std::string> known = buildOptionNames();
    known.push_back("saveEngine");
    for (const auto& u : args.unknown(known))
    {
        std::fprintf(stderr, "kiln build: unknown option --%s\n", u.c_str());
        return 2;
    }
    Logger logger(args.has("verbose") ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING);
    double buildMs = 0;
    Ptr<nvinfer1::ICudaEngine> engine(buildFromArgs(args, logger, buildMs, error));
    if (!engine)
    {
        std::fprintf(stderr, "kiln build: %s\n", error.c_str());
        return 1;
    }
    std::printf("built '%s': %d layers, %d bindings, device memory %zu bytes, in %.1f ms\n", engine->getName(),
        engine->getNbLayers(), engine->getNbBindings(), engine->getDeviceMemorySize(), buildMs);
    const std::string path = args.get("saveEngine");
    if (!path.empty())
    {
        Ptr<nvinfer1::IHostMemory> blob(engine->serialize());
        if (!blob || !writeFile(path, blob->data(), blob->size(), error))
        {
            std::fprintf(stderr, "kiln build: %s\n", error.empty() ? "serialization failed" : error.c_str());
            return 1;
        }
        std::printf("saved %s (%zu bytes)\n", path.c_str(), blob->size());
    }
    return 0;
}

} // namespace kiln::cli
