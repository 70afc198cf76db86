// kiln refit: new weights for an engine built with --refit (BuilderFlag::kREFIT), from an .npz or
// .wts file, saved as a new engine. Entries are named "<layer>:<role>" or, with --onnx, by the
// model's initializer names (mapped through the ONNX parser's refit map).
#include "cli.h"

#include "NvOnnxParser.h"
#include "common/weights_file.h"

#include <cstdio>
#include <iterator>
#include <map>
#include <utility>

namespace kiln::cli
{
namespace
{

using nvinfer1::WeightsRole;

const std::pair<const char*, WeightsRole> kRoles[] = {{"kernel", WeightsRole::kKERNEL}, {"bias", WeightsRole::kBIAS},
    {"shift", WeightsRole::kSHIFT}, {"scale", WeightsRole::kSCALE}, {"constant", WeightsRole::kCONSTANT}};

const char* roleName(WeightsRole role)
{
    for (const auto& [name, r] : kRoles)
        if (r == role)
            return name;
    return "?";
}

//! "<layer>:<role>" -> (layer, role); the role is the text after the last ':'.
bool splitLayerRole(const std::string& key, std::string& layer, WeightsRole& role)
{
    const size_t colon = key.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    for (const auto& [name, r] : kRoles)
        if (key.compare(colon + 1, std::string::npos, name) == 0)
        {
            layer = key.substr(0, colon);
            role = r;
            return true;
        }
    return false;
}

using Target = std::pair<std::string, WeightsRole>;

//! The ONNX model's refit map: initializer name -> every (layer, role) it was passed to verbatim.
bool onnxRefitMap(const std::string& path, nvinfer1::ILogger& logger, bool verbose,
    std::multimap<std::string, Target>& map, std::string& error)
{
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(logger));
    if (!builder)
        return error = "could not create the builder", false;
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(
        1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    Ptr<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, logger));
    if (!parser)
        return error = "could not create the ONNX parser", false;
    const auto verbosity = verbose ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING;
    if (!parser->parseFromFile(path.c_str(), static_cast<int>(verbosity)))
    {
        error = "'" + path + "' could not be parsed:";
        for (int i = 0; i < parser->getNbErrors(); ++i)
            error += std::string("\n  ") + parser->getError(i)->desc();
        return false;
    }
    const int n = parser->getRefitMap(nullptr, nullptr, nullptr);
    std::vector<const char*> weights(static_cast<size_t>(n)), layers(static_cast<size_t>(n));
    std::vector<WeightsRole> roles(static_cast<size_t>(n));
    parser->getRefitMap(weights.data(), layers.data(), roles.data());
    for (int i = 0; i < n; ++i)
        map.emplace(
            weights[static_cast<size_t>(i)], Target{layers[static_cast<size_t>(i)], roles[static_cast<size_t>(i)]});
    return true;
}

std::string describe(const Target& t)
{
    return "'" + t.first + "' " + roleName(t.second);
}

} // namespace

int commandRefit(int argc, char** argv)
{
    Args args;
    std::string error;
    if (!args.parse(argc, argv, 2, {"verbose"}, error))
    {
        std::fprintf(stderr, "kiln refit: %s\n", error.c_str());
        return 2;
    }
    for (const auto& u : args.unknown({"loadEngine", "weights", "onnx", "saveEngine", "verbose"}))
    {
        std::fprintf(stderr, "kiln refit: unknown option --%s\n", u.c_str());
        return 2;
    }
    if (!args.has("loadEngine") || !args.has("weights") || !args.has("saveEngine"))
    {
        std::fprintf(stderr,
            "kiln refit: give --loadEngine in.engine --weights w.npz|w.wts [--onnx model.onnx] --saveEngine "
            "out.engine\n");
        return 2;
    }
    const bool verbose = args.has("verbose");
    Logger logger(verbose ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING);
    auto fail = [](const std::string& message) {
        std::fprintf(stderr, "kiln refit: %s\n", message.c_str());
        return 1;
    };

    // The weights and where each goes, all checked before the engine is touched.
    const std::string weightsPath = args.get("weights");
    std::vector<tools::NamedWeights> weights;
    if (!tools::readWeightsFile(weightsPath, weights, error))
        return fail(error);
    std::printf("%s: %zu arrays\n", weightsPath.c_str(), weights.size());
    if (verbose)
        for (const auto& w : weights)
        {
            std::string shape;
            for (size_t k = 0; k < w.shape.size(); ++k)
                shape += (k ? "x" : "") + std::to_string(w.shape[k]);
            std::printf(
                "  '%s' %s %s\n", w.name.c_str(), tools::typeName(w.type), shape.empty() ? "scalar" : shape.c_str());
        }
    std::multimap<std::string, Target> onnxMap;
    if (args.has("onnx") && !onnxRefitMap(args.get("onnx"), logger, verbose, onnxMap, error))
        return fail(error);
    std::vector<std::pair<Target, const tools::NamedWeights*>> plan;
    std::map<Target, std::string> setBy;
    std::vector<std::string> unknown, conflicts;
    for (const auto& w : weights)
    {
        std::vector<Target> targets;
        auto range = onnxMap.equal_range(w.name);
        for (auto it = range.first; it != range.second; ++it)
            targets.push_back(it->second);
        Target direct;
        if (targets.empty() && splitLayerRole(w.name, direct.first, direct.second))
            targets.push_back(direct);
        if (targets.empty())
            unknown.push_back(w.name);
        for (const Target& t : targets)
        {
            auto [it, fresh] = setBy.emplace(t, w.name);
            if (!fresh)
                conflicts.push_back(describe(t) + " is set by both '" + it->second + "' and '" + w.name + "'");
            else
                plan.emplace_back(t, &w);
        }
    }
    if (!unknown.empty() || !conflicts.empty())
    {
        std::string message;
        if (!unknown.empty())
        {
            message = std::to_string(unknown.size())
                + " unknown weight name(s) (neither '<layer>:<kernel|bias|shift|scale|constant>'"
                + std::string(args.has("onnx") ? " nor a refittable initializer of '" + args.get("onnx") + "'"
                                               : "; --onnx maps initializer names")
                + "):";
            for (const auto& u : unknown)
                message += "\n  '" + u + "'";
        }
        for (const auto& c : conflicts)
            message += (message.empty() ? "" : "\n") + c;
        return fail(message);
    }

    std::vector<char> bytes;
    if (!readFile(args.get("loadEngine"), bytes, error))
        return fail(error);
    Ptr<nvinfer1::IRuntime> runtime(nvinfer1::createInferRuntime(logger));
    Ptr<nvinfer1::ICudaEngine> engine(
        runtime ? runtime->deserializeCudaEngine(bytes.data(), bytes.size(), nullptr) : nullptr);
    if (!engine)
        return fail("'" + args.get("loadEngine") + "' could not be loaded (see the errors above)");
    if (!engine->isRefittable())
        return fail("'" + args.get("loadEngine") + "' is not refittable: build it with 'kiln build --refit'");
    Ptr<nvinfer1::IRefitter> refitter(nvinfer1::createInferRefitter(*engine, logger));
    if (!refitter)
        return fail("could not create a refitter for '" + args.get("loadEngine") + "' (see the errors above)");

    std::vector<std::string> refused;
    for (const auto& [target, w] : plan)
    {
        if (verbose)
            std::printf("  %s <- '%s' (%lld values)\n", describe(target).c_str(), w->name.c_str(),
                static_cast<long long>(w->count()));
        if (!refitter->setWeights(target.first.c_str(), target.second, w->weights()))
            refused.push_back(describe(target) + " <- '" + w->name + "' (" + std::to_string(w->count()) + " "
                + tools::typeName(w->type) + " values)");
    }
    if (!refused.empty())
    {
        std::string message = "the engine refused " + std::to_string(refused.size())
            + " weight(s) (no such layer, no weights of that role, or a different count; see the errors above):";
        for (const auto& r : refused)
            message += "\n  " + r;
        return fail(message);
    }

    const int32_t nbMissing = refitter->getMissing(0, nullptr, nullptr);
    if (nbMissing > 0)
    {
        std::vector<const char*> layers(static_cast<size_t>(nbMissing));
        std::vector<WeightsRole> roles(static_cast<size_t>(nbMissing));
        refitter->getMissing(nbMissing, layers.data(), roles.data());
        std::multimap<Target, std::string> initializers; // for the message: which initializer feeds each pair
        for (const auto& [name, t] : onnxMap)
            initializers.emplace(t, name);
        std::string message = std::to_string(nbMissing)
            + " weight(s) are missing (the engine combined them with weights that were given; give these too):";
        for (int32_t i = 0; i < nbMissing; ++i)
        {
            const Target t{
                layers[static_cast<size_t>(i)] ? layers[static_cast<size_t>(i)] : "", roles[static_cast<size_t>(i)]};
            message += "\n  " + describe(t);
            auto range = initializers.equal_range(t);
            for (auto it = range.first; it != range.second; ++it)
                message += (it == range.first ? " (ONNX initializer '" : ", '") + it->second + "'"
                    + (std::next(it) == range.second ? ")" : "");
        }
        return fail(message);
    }
    if (!refitter->refitCudaEngine())
        return fail("refitCudaEngine failed (see the errors above)");
    Ptr<nvinfer1::IHostMemory> blob(engine->serialize());
    const std::string out = args.get("saveEngine");
    if (!blob || !writeFile(out, blob->data(), blob->size(), error))
        return fail(error.empty() ? "serialization failed" : error);
    std::printf("refit %zu weights from %zu arrays; saved %s (%zu bytes)\n", plan.size(), weights.size(), out.c_str(),
        blob->size());
    return 0;
}

} // namespace kiln::cli
