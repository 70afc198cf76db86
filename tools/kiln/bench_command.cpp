// kiln bench: build time, latency percentiles, throughput and a per-layer profile.
#include "cli.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <numeric>
#include <vector>

namespace kiln::cli
{

namespace
{

class LayerProfiler final : public nvinfer1::IProfiler
{
public:
    void reportLayerTime(const char* layerName, float ms) noexcept override
    {
        auto it = mIndex.find(layerName);
        if (it == mIndex.end())
        {
            it = mIndex.emplace(layerName, mRows.size()).first;
            mRows.push_back({layerName, 0.0, 0});
        }
        mRows[it->second].total += ms;
        mRows[it->second].count += 1;
    }
    struct Row
    {
        std::string name;
        double total;
        int64_t count;
    };
    const std::vector<Row>& rows() const { return mRows; }

private:
    std::map<std::string, size_t> mIndex;
    std::vector<Row> mRows;
};

} // namespace

int commandBench(int argc, char** argv)
{
    Args args;
    std::string error;
    if (!args.parse(argc, argv, 2, {"implicit", "fp16", "int8", "verbose", "no-profile", "uffNHWC", "halfWeights", "noTimingCache", "ignoreTimingCacheMismatch", "refit"}, error))
    {
        std::fprintf(stderr, "kiln bench: %s\n", error.c_str());
        return 2;
    }
    std::vector<std::string> known = buildOptionNames();
    for (const char* k : {"loadEngine", "input", "loadInputs", "iterations", "warmup", "no-profile"})
        known.push_back(k);
    for (const auto& u : args.unknown(known))
    {
        std::fprintf(stderr, "kiln bench: unknown option --%s\n", u.c_str());
        return 2;
    }
    const int64_t iterations = args.getInt("iterations", 20, error);
    const int64_t warmup = args.getInt("warmup", 2, error);
    if (!error.empty() || iterations < 1 || warmup < 0)
    {
        std::fprintf(stderr, "kiln bench: %s\n", error.empty() ? "--iterations must be >= 1, --warmup >= 0" : error.c_str());
        return 2;
    }
    Logger logger(args.has("verbose") ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING);
    Ptr<nvinfer1::IRuntime> runtime(nvinfer1::createInferRuntime(logger));
    double buildMs = -1;
    Ptr<nvinfer1::ICudaEngine> engine(engineFromArgs(args, logger, *runtime, buildMs, error));
    if (!engine)
    {
        std::fprintf(stderr, "kiln bench: %s\n", error.c_str());
        return 1;
    }
    Ptr<nvinfer1::IExecutionContext> ctx(engine->createExecutionContext());
    Bindings b;
    if (!ctx || !prepareBindings(*engine, *ctx, args, b, error))
    {
        std::fprintf(stderr, "kiln bench: %s\n", error.empty() ? "could not create a context" : error.c_str());
        return 1;
    }
    const bool implicit = engine->hasImplicitBatchDimension();
    const int32_t batch = implicit ? b.batch : (b.dims.empty() || b.dims[0].nbDims == 0 ? 1 : b.dims[0].d[0]);
    auto once = [&] { return implicit ? ctx->execute(b.batch, b.pointers.data()) : ctx->executeV2(b.pointers.data()); };
    for (int64_t i = 0; i < warmup; ++i)
        if (!once())
        {
            std::fprintf(stderr, "kiln bench: execution failed\n");
            return 1;
        }
    std::vector<double> ms;
    for (int64_t i = 0; i < iterations; ++i)
    {
        const auto start = std::chrono::steady_clock::now();
        if (!once())
        {
            std::fprintf(stderr, "kiln bench: execution failed\n");
            return 1;
        }
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size() - 1) + 0.5))]; };
    const double mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
    std::printf("engine '%s': %d layers, batch %d\n", engine->getName(), engine->getNbLayers(), batch);
    if (buildMs >= 0)
        std::printf("build time: %.1f ms\n", buildMs);
    std::printf("latency over %lld runs (ms): min %.3f  median %.3f  mean %.3f  p99 %.3f  max %.3f\n",
        static_cast<long long>(iterations), ms.front(), pct(0.5), mean, pct(0.99), ms.back());
    std::printf("throughput: %.1f inferences/s\n", 1000.0 * batch / pct(0.5));
    if (!args.has("no-profile"))
    {
        LayerProfiler profiler;
        ctx->setProfiler(&profiler);
        const int64_t profiled = std::min<int64_t>(iterations, 5);
        for (int64_t i = 0; i < profiled; ++i)
            once();
        ctx->setProfiler(nullptr);
        double total = 0;
        for (const auto& r : profiler.rows())
            total += r.total / static_cast<double>(r.count);
        std::printf("\nper-layer profile (mean of %lld runs):\n%-40s %12s %8s\n", static_cast<long long>(profiled), "layer", "ms", "%");
        for (const auto& r : profiler.rows())
        {
            const double avg = r.total / static_cast<double>(r.count);
            std::printf("%-40.40s %12.4f %7.1f%%\n", r.name.c_str(), avg, total > 0 ? 100.0 * avg / total : 0.0);
        }
        std::printf("%-40s %12.4f\n", "total", total);
    }
    return 0;
}

} // namespace kiln::cli
