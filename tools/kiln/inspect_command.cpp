// kiln inspect: an engine's layers, shapes, chosen kernels and memory plan.
#include "cli.h"

#include <cstdio>

namespace kiln::cli
{

int commandInspect(int argc, char** argv)
{
    Args args;
    std::string error;
    if (!args.parse(argc, argv, 2, {"json", "verbose"}, error))
    {
        std::fprintf(stderr, "kiln inspect: %s\n", error.c_str());
        return 2;
    }
    for (const auto& u : args.unknown({"loadEngine", "json", "verbose"}))
    {
        std::fprintf(stderr, "kiln inspect: unknown option --%s\n", u.c_str());
        return 2;
    }
    if (!args.has("loadEngine"))
    {
        std::fprintf(stderr, "kiln inspect: give --loadEngine <file>\n");
        return 2;
    }
    Logger logger(args.has("verbose") ? nvinfer1::ILogger::Severity::kVERBOSE : nvinfer1::ILogger::Severity::kWARNING);
    Ptr<nvinfer1::IRuntime> runtime(nvinfer1::createInferRuntime(logger));
    double buildMs = 0;
    Ptr<nvinfer1::ICudaEngine> engine(engineFromArgs(args, logger, *runtime, buildMs, error));
    if (!engine)
    {
        std::fprintf(stderr, "kiln inspect: %s\n", error.c_str());
        return 1;
    }
    std::unique_ptr<nvinfer1::IEngineInspector> inspector(engine->createEngineInspector());
    if (args.has("json"))
    {
        std::printf("%s\n", inspector->getEngineInformation(nvinfer1::LayerInformationFormat::kJSON));
        return 0;
    }
    std::printf("engine '%s': %s batch, %d optimization profile(s), device memory %zu bytes\n", engine->getName(),
        engine->hasImplicitBatchDimension() ? "implicit" : "explicit", engine->getNbOptimizationProfiles(),
        engine->getDeviceMemorySize());
    std::printf("bindings:\n");
    for (int32_t i = 0; i < engine->getNbBindings(); ++i)
        std::printf("  %d %s '%s' %s\n", i, engine->bindingIsInput(i) ? "input " : "output", engine->getBindingName(i),
            dimsText(engine->getBindingDimensions(i)).c_str());
    std::printf("layers (shapes at profile 0 kOPT):\n%s", inspector->getEngineInformation(nvinfer1::LayerInformationFormat::kONELINE));
    return 0;
}

} // namespace kiln::cli
