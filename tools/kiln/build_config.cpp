// The build options every network source shares: workspace, precision and refit flags, timing iterations,
// profiling verbosity and the persistent timing cache (--timingCache: loaded before the build,
// updated by it and written back after it).
#include "cli.h"

#include <cstdio>
#include <cstdlib>

namespace kiln::cli
{

nvinfer1::ICudaEngine* buildWithOptions(const Args& args, nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network,
    nvinfer1::IBuilderConfig& config, std::string& error)
{
    const int64_t workspaceMiB = args.getInt("workspace", 1024, error);
    const int64_t minTiming = args.getInt("minTiming", config.getMinTimingIterations(), error);
    const int64_t avgTiming = args.getInt("avgTiming", config.getAvgTimingIterations(), error);
    if (!error.empty())
        return nullptr;
    if (workspaceMiB < 0 || minTiming < 1 || avgTiming < 1)
        return error = "--workspace must not be negative, --minTiming and --avgTiming must be positive", nullptr;
    config.setMaxWorkspaceSize(static_cast<size_t>(workspaceMiB) << 20);
    config.setMinTimingIterations(static_cast<int32_t>(minTiming));
    config.setAvgTimingIterations(static_cast<int32_t>(avgTiming));
    if (args.has("fp16"))
        config.setFlag(nvinfer1::BuilderFlag::kFP16);
    if (args.has("int8"))
        config.setFlag(nvinfer1::BuilderFlag::kINT8);
    if (args.has("refit"))
        config.setFlag(nvinfer1::BuilderFlag::kREFIT);
    if (args.has("noTimingCache"))
        config.setFlag(nvinfer1::BuilderFlag::kDISABLE_TIMING_CACHE);
    if (args.has("profilingVerbosity"))
    {
        const std::string v = args.get("profilingVerbosity");
        if (v == "detailed" || v == "verbose")
            config.setProfilingVerbosity(nvinfer1::ProfilingVerbosity::kVERBOSE);
        else if (v == "layer_names_only" || v == "default")
            config.setProfilingVerbosity(nvinfer1::ProfilingVerbosity::kDEFAULT);
        else if (v == "none")
            config.setProfilingVerbosity(nvinfer1::ProfilingVerbosity::kNONE);
        else
            return error = "--profilingVerbosity: '" + v + "' is not one of detailed, layer_names_only, none", nullptr;
    }

    // --tactics restricts the candidates the way KILN_TACTICS does (the builder reads it).
    if (args.has("tactics"))
        setenv("KILN_TACTICS", args.get("tactics").c_str(), 1);

    // The timing cache file: a missing file starts an empty cache.
    const std::string cachePath = args.get("timingCache");
    std::unique_ptr<nvinfer1::ITimingCache> cache;
    if (!cachePath.empty())
    {
        std::vector<char> bytes;
        std::string readError;
        if (FILE* f = std::fopen(cachePath.c_str(), "rb"))
        {
            std::fclose(f);
            if (!readFile(cachePath, bytes, readError))
                return error = readError, nullptr;
        }
        cache.reset(config.createTimingCache(bytes.data(), bytes.size()));
        if (!cache)
            return error = "--timingCache: '" + cachePath + "' is not a Kiln timing cache (see the errors above)", nullptr;
        if (!config.setTimingCache(*cache, args.has("ignoreTimingCacheMismatch")))
            return error = "--timingCache: '" + cachePath
                       + "' was made on another machine or Kiln version (see above); --ignoreTimingCacheMismatch uses it anyway",
                   nullptr;
        std::printf("timing cache %s: %zu bytes loaded\n", cachePath.c_str(), bytes.size());
    }
    nvinfer1::ICudaEngine* engine = builder.buildEngineWithConfig(network, config);
    if (!engine)
    {
        error = "the build failed (see the errors above)";
        return nullptr;
    }
    if (cache)
    {
        Ptr<nvinfer1::IHostMemory> blob(cache->serialize());
        if (!blob || !writeFile(cachePath, blob->data(), blob->size(), error))
        {
            engine->destroy();
            return error = "--timingCache: " + (error.empty() ? std::string("serialization failed") : error), nullptr;
        }
        std::printf("timing cache %s: %zu bytes saved\n", cachePath.c_str(), blob->size());
    }
    return engine;
}

} // namespace kiln::cli
