#include "support/fuzz_engine.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace kiln
{
namespace fuzz
{
namespace
{

//! Limits that keep one input fast (and the process small).
constexpr int32_t kMaxLayersToBuild = 200;
constexpr size_t kWorkspaceBytes = size_t(16) << 20;
constexpr int64_t kMaxIoBytes = int64_t(4) << 20;        //!< inputs + outputs of the run
constexpr size_t kMaxActivationBytes = size_t(64) << 20; //!< the engine's activation memory

class QuietLogger final : public nvinfer1::ILogger
{
public:
    void log(Severity, const char*) override {}
};

bool gVerbose = false;

int64_t elementSize(nvinfer1::DataType type)
{
    switch (type)
    {
    case nvinfer1::DataType::kFLOAT: return 4;
    case nvinfer1::DataType::kHALF: return 2;
    case nvinfer1::DataType::kINT8: return 1;
    case nvinfer1::DataType::kINT32: return 4;
    case nvinfer1::DataType::kBOOL: return 1;
    }
    return 4;
}

//! Number of elements of \p d, or -1 when a dimension is unknown (or the count overflows the limit).
int64_t volume(const nvinfer1::Dims& d)
{
    if (d.nbDims < 0 || d.nbDims > nvinfer1::Dims::MAX_DIMS)
        return -1;
    int64_t n = 1;
    for (int32_t k = 0; k < d.nbDims; ++k)
    {
        if (d.d[k] < 0)
            return -1;
        n *= d.d[k];
        if (n > kMaxIoBytes)
            return -1;
    }
    return n;
}

bool isStatic(const nvinfer1::Dims& d)
{
    if (d.nbDims < 0 || d.nbDims > nvinfer1::Dims::MAX_DIMS)
        return false;
    for (int32_t k = 0; k < d.nbDims; ++k)
        if (d.d[k] < 0)
            return false;
    return true;
}

//! Runs \p engine once on zero-filled inputs when every binding is static and small.
void runOnce(nvinfer1::ICudaEngine& engine, int32_t batch)
{
    const int32_t nbBindings = engine.getNbBindings();
    if (nbBindings <= 0 || engine.getDeviceMemorySize() > kMaxActivationBytes)
        return note("built; not run (activation memory)");
    int64_t total = 0;
    std::vector<int64_t> bytes(static_cast<size_t>(nbBindings), 0);
    for (int32_t b = 0; b < nbBindings; ++b)
    {
        if (engine.isShapeBinding(b))
            return note("built; not run (shape binding)"); // it would need values (setInputShapeBinding)
        const int64_t n = volume(engine.getBindingDimensions(b));
        if (n < 0)
            return note("built; not run (dynamic or large binding)");
        const int64_t items = engine.hasImplicitBatchDimension() ? batch : 1;
        bytes[static_cast<size_t>(b)] = n * items * elementSize(engine.getBindingDataType(b));
        total += bytes[static_cast<size_t>(b)];
        if (total > kMaxIoBytes)
            return note("built; not run (large bindings)");
    }
    Ptr<nvinfer1::IExecutionContext> context(engine.createExecutionContext());
    if (!context)
        return note("built; no execution context");
    std::vector<std::vector<uint8_t>> buffers(static_cast<size_t>(nbBindings));
    std::vector<void*> bindings(static_cast<size_t>(nbBindings), nullptr);
    for (int32_t b = 0; b < nbBindings; ++b)
    {
        // At least one byte so that an empty tensor still has a distinct, valid address.
        buffers[static_cast<size_t>(b)].assign(static_cast<size_t>(bytes[static_cast<size_t>(b)]) + 1, 0);
        bindings[static_cast<size_t>(b)] = buffers[static_cast<size_t>(b)].data();
    }
    const bool ran = engine.hasImplicitBatchDimension() ? context->execute(batch, bindings.data())
                                                       : context->executeV2(bindings.data());
    note(ran ? "built; ran" : "built; run failed");
}

} // namespace

nvinfer1::ILogger& quietLogger()
{
    static QuietLogger logger;
    return logger;
}

void initialize()
{
    // One worker thread: deterministic and cheaper.
    setenv("KILN_NUM_THREADS", "1", 0);
    const char* verbose = std::getenv("KILN_FUZZ_VERBOSE");
    gVerbose = verbose && verbose[0] && verbose[0] != '0';
}

void note(const char* what)
{
    if (gVerbose)
        std::fprintf(stderr, "kiln-fuzz: %s\n", what);
}

void buildAndRun(nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network, int32_t batch)
{
    if (network.getNbLayers() > kMaxLayersToBuild || network.getNbOutputs() == 0)
        return note("parsed; not built (too many layers or no outputs)");
    Ptr<nvinfer1::IBuilderConfig> config(builder.createBuilderConfig());
    if (!config)
        return note("parsed; no builder config");
    config->setMaxWorkspaceSize(kWorkspaceBytes);
    // Every candidate tactic still runs (timing, warm-up), but once: fuzzing wants inputs per second.
    config->setMinTimingIterations(1);
    config->setAvgTimingIterations(1);
    if (network.hasImplicitBatchDimension())
        builder.setMaxBatchSize(batch);
    // Dynamic inputs get one small optimization profile (each unknown extent 1 to 2); such engines
    // are built but not run. Shape-tensor inputs would need values: those networks are not built.
    nvinfer1::IOptimizationProfile* profile = nullptr;
    for (int32_t i = 0; i < network.getNbInputs(); ++i)
    {
        nvinfer1::ITensor* in = network.getInput(i);
        if (!in || in->isShapeTensor())
            return note("parsed; not built (shape-tensor input)");
        const nvinfer1::Dims d = in->getDimensions();
        if (d.nbDims < 0 || d.nbDims > nvinfer1::Dims::MAX_DIMS)
            return note("parsed; not built (bad input rank)");
        if (isStatic(d))
            continue;
        if (!profile && !(profile = builder.createOptimizationProfile()))
            return note("parsed; no optimization profile");
        nvinfer1::Dims lo = d;
        nvinfer1::Dims hi = d;
        for (int32_t k = 0; k < d.nbDims; ++k)
            if (d.d[k] < 0)
            {
                lo.d[k] = 1;
                hi.d[k] = 2;
            }
        profile->setDimensions(in->getName(), nvinfer1::OptProfileSelector::kMIN, lo);
        profile->setDimensions(in->getName(), nvinfer1::OptProfileSelector::kOPT, lo);
        profile->setDimensions(in->getName(), nvinfer1::OptProfileSelector::kMAX, hi);
    }
    if (profile)
        config->addOptimizationProfile(profile);
    Ptr<nvinfer1::ICudaEngine> engine(builder.buildEngineWithConfig(network, *config));
    if (engine)
        runOnce(*engine, batch);
    else
        note("parsed; build failed");
}


} // namespace fuzz
} // namespace kiln
