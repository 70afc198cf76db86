// kiln run: one inference; outputs to .npy files and a short summary.
#include "cli.h"

#include "common/io_formats.h"

#include <algorithm>
#include <cstdio>

namespace kiln::cli
{

int commandRun(int argc, char** argv)
{
    Args args;
    std::string error;
    if (!args.parse(argc, argv, 2, {"implicit", "fp16", "int8", "verbose", "invert", "uffNHWC", "halfWeights", "noTimingCache", "ignoreTimingCacheMismatch", "refit"}, error))
    {
        std::fprintf(stderr, "kiln run: %s\n", error.c_str());
        return 2;
    }
    std::vector<std::string> known = buildOptionNames();
    for (const char* k : {"loadEngine", "input", "loadInputs", "pgm", "mean", "invert", "outputDir"})
        known.push_back(k);
    for (const auto& u : args.unknown(known))
    {
        std::fprintf(stderr, "kiln run: unknown option --%s\n", u.c_str());
        return 2;
    }
    Logger logger(args.has("verbose") ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING);
    Ptr<nvinfer1::IRuntime> runtime(nvinfer1::createInferRuntime(logger));
    double buildMs = 0;
    Ptr<nvinfer1::ICudaEngine> engine(engineFromArgs(args, logger, *runtime, buildMs, error));
    if (!engine)
    {
        std::fprintf(stderr, "kiln run: %s\n", error.c_str());
        return 1;
    }
    Ptr<nvinfer1::IExecutionContext> ctx(engine->createExecutionContext());
    Bindings b;
    if (!ctx || !prepareBindings(*engine, *ctx, args, b, error))
    {
        std::fprintf(stderr, "kiln run: %s\n", error.empty() ? "could not create a context" : error.c_str());
        return 1;
    }
    const bool ok = engine->hasImplicitBatchDimension() ? ctx->execute(b.batch, b.pointers.data()) : ctx->executeV2(b.pointers.data());
    if (!ok)
    {
        std::fprintf(stderr, "kiln run: execution failed (see the errors above)\n");
        return 1;
    }
    const std::string dir = args.get("outputDir", ".");
    for (int32_t i = 0; i < static_cast<int32_t>(b.dims.size()); ++i)
    {
        if (engine->bindingIsInput(i))
            continue;
        tools::NpyArray out;
        out.type = engine->getBindingDataType(i);
        if (engine->hasImplicitBatchDimension())
            out.shape.push_back(b.batch);
        for (int32_t k = 0; k < b.dims[static_cast<size_t>(i)].nbDims; ++k)
            out.shape.push_back(b.dims[static_cast<size_t>(i)].d[k]);
        out.bytes = b.buffers[static_cast<size_t>(i)];
        std::string name = engine->getBindingName(i);
        std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '_'; }, '_');
        const std::string path = dir + "/" + name + ".npy";
        if (!tools::writeNpy(path, out, error))
        {
            std::fprintf(stderr, "kiln run: %s\n", error.c_str());
            return 1;
        }
        std::printf("output '%s' %s -> %s\n", engine->getBindingName(i), dimsText(b.dims[static_cast<size_t>(i)]).c_str(), path.c_str());
        if (out.type == nvinfer1::DataType::kFLOAT)
        {
            const auto* f = reinterpret_cast<const float*>(out.bytes.data());
            const int64_t n = static_cast<int64_t>(out.bytes.size() / 4);
            const int64_t perItem = engine->hasImplicitBatchDimension() || b.dims[static_cast<size_t>(i)].nbDims == 0
                ? n / std::max(b.batch, 1)
                : n / std::max(b.dims[static_cast<size_t>(i)].d[0], 1);
            for (int64_t item = 0; perItem > 0 && item * perItem < n && item < 8; ++item)
            {
                const float* v = f + item * perItem;
                const int64_t best = std::max_element(v, v + perItem) - v;
                std::printf("  item %lld: argmax %lld (%.4f); first values:", static_cast<long long>(item), static_cast<long long>(best), v[best]);
                for (int64_t k = 0; k < std::min<int64_t>(perItem, 5); ++k)
                    std::printf(" %.4f", v[k]);
                std::printf("\n");
            }
        }
    }
    return 0;
}

} // namespace kiln::cli
