// kiln build --deploy/--model (Caffe) and --uff/--uffInput (UFF): networks from the classic
// parsers, built like trtexec builds them.
#include "cli.h"

#include "NvCaffeParser.h"
#include "NvUffParser.h"

#include <chrono>
#include <cstdlib>
#include <sstream>

namespace kiln::cli
{
namespace
{

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream s(text);
    std::string item;
    while (std::getline(s, item, ','))
        if (!item.empty())
            out.push_back(item);
    return out;
}

//! Every --output value, each possibly a comma-separated list.
std::vector<std::string> outputNames(const Args& args)
{
    std::vector<std::string> names;
    for (const std::string& v : args.all("output"))
        for (const std::string& n : splitList(v))
            names.push_back(n);
    return names;
}

nvinfer1::ICudaEngine* finish(nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network, const Args& args,
    const std::string& defaultName, std::chrono::steady_clock::time_point start, double& buildMs, std::string& error)
{
    const int64_t batch = args.getInt("batch", 1, error);
    if (!error.empty())
        return nullptr;
    if (batch < 1)
        return error = "--batch must be positive", nullptr;
    Ptr<nvinfer1::IBuilderConfig> config(builder.createBuilderConfig());
    if (network.hasImplicitBatchDimension())
        builder.setMaxBatchSize(static_cast<int32_t>(batch));
    else if (batch != 1)
        return error = "--batch applies to implicit-batch networks (add --implicit for Caffe)", nullptr;
    network.setName(args.get("name", defaultName).c_str());
    nvinfer1::ICudaEngine* engine = buildWithOptions(args, builder, network, *config, error);
    buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return engine;
}

std::string baseName(const std::string& path)
{
    const size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

nvinfer1::ICudaEngine* buildFromCaffe(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error)
{
    const std::string deploy = args.get("deploy");
    const std::vector<std::string> outputs = outputNames(args);
    if (outputs.empty())
        return error = "a Caffe network needs --output <blob>[,<blob>...] (the blobs to mark as outputs)", nullptr;
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(logger));
    if (!builder)
        return error = "could not create the builder", nullptr;
    const uint32_t flags = args.has("implicit")
        ? 0u
        : 1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(flags));
    Ptr<nvcaffeparser1::ICaffeParser> parser(nvcaffeparser1::createCaffeParser());
    if (!parser)
        return error = "could not create the Caffe parser", nullptr;
    const auto start = std::chrono::steady_clock::now();
    const std::string model = args.get("model");
    const auto* blobs = parser->parse(deploy.c_str(), model.empty() ? nullptr : model.c_str(), *network,
        args.has("halfWeights") ? nvinfer1::DataType::kHALF : nvinfer1::DataType::kFLOAT);
    if (!blobs)
        return error = "'" + deploy + "' could not be parsed (see the errors above)", nullptr;
    for (const std::string& name : outputs)
    {
        nvinfer1::ITensor* t = blobs->find(name.c_str());
        if (!t)
            return error = "--output: the network has no blob '" + name + "'", nullptr;
        network->markOutput(*t);
    }
    // The parser owns the weights: it lives until the engine is built.
    return finish(*builder, *network, args, baseName(deploy), start, buildMs, error);
}

nvinfer1::ICudaEngine* buildFromUff(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error)
{
    const std::string path = args.get("uff");
    const std::vector<std::string> outputs = outputNames(args);
    const std::vector<std::string> inputs = args.all("uffInput");
    if (outputs.empty() || inputs.empty())
        return error = "a UFF network needs --uffInput <name>,C,H,W (or <name>,H,W,C with --uffNHWC) and --output <name>",
               nullptr;
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(logger));
    if (!builder)
        return error = "could not create the builder", nullptr;
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(0u));
    Ptr<nvuffparser::IUffParser> parser(nvuffparser::createUffParser());
    if (!parser)
        return error = "could not create the UFF parser", nullptr;
    for (const std::string& spec : inputs)
    {
        const std::vector<std::string> parts = splitList(spec);
        if (parts.size() < 2 || parts.size() > 1 + static_cast<size_t>(nvinfer1::Dims::MAX_DIMS))
            return error = "--uffInput '" + spec + "': expected <name>,<dim>[,<dim>...]", nullptr;
        nvinfer1::Dims dims{};
        dims.nbDims = static_cast<int32_t>(parts.size() - 1);
        for (size_t i = 1; i < parts.size(); ++i)
        {
            char* end = nullptr;
            const long v = std::strtol(parts[i].c_str(), &end, 10);
            if (*end != '\0' || v <= 0 || v > (1L << 30))
                return error = "--uffInput '" + spec + "': '" + parts[i] + "' is not a positive dimension", nullptr;
            dims.d[i - 1] = static_cast<int32_t>(v);
        }
        const auto order = dims.nbDims == 1 ? nvuffparser::UffInputOrder::kNC
            : args.has("uffNHWC")            ? nvuffparser::UffInputOrder::kNHWC
                                             : nvuffparser::UffInputOrder::kNCHW;
        if (!parser->registerInput(parts[0].c_str(), dims, order))
            return error = "--uffInput '" + spec + "' was refused (see the errors above)", nullptr;
    }
    for (const std::string& name : outputs)
        if (!parser->registerOutput(name.c_str()))
            return error = "--output '" + name + "' was refused (see the errors above)", nullptr;
    const auto start = std::chrono::steady_clock::now();
    if (!parser->parse(path.c_str(), *network,
            args.has("halfWeights") ? nvinfer1::DataType::kHALF : nvinfer1::DataType::kFLOAT))
        return error = "'" + path + "' could not be parsed (see the errors above)", nullptr;
    return finish(*builder, *network, args, baseName(path), start, buildMs, error);
}

} // namespace kiln::cli
