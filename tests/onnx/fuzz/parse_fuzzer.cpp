// libFuzzer target for nvonnxparser::IParser::parse (public API only).
//
// Each input is handed to the ONNX parser as a model buffer (binary or text protobuf). When it
// parses, the network is also built into an engine with a small workspace (dynamic inputs get a
// small optimization profile) and, when all shapes are static and small, run once on zero-filled
// inputs. Any crash, leak, sanitizer report or hang is a finding; errors reported through the API
// (parse, build or run returning false) are not. KILN_FUZZ_VERBOSE=1 says how far each input got.
//
// Built by tests/onnx/fuzz/CMakeLists.txt (-DKILN_BUILD_FUZZERS=ON, clang); scripts/fuzz.sh runs it.
#include "NvInfer.h"
#include "NvOnnxParser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

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

QuietLogger gLogger;

//! KILN_FUZZ_VERBOSE=1: one line per input on stderr saying how far it got (to check the seeds).
bool gVerbose = false;

void note(const char* what)
{
    if (gVerbose)
        std::fprintf(stderr, "kiln-fuzz: %s\n", what);
}

//! Calls destroy() on TensorRT-style objects.
struct Destroy
{
    template <typename T> void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T> using Ptr = std::unique_ptr<T, Destroy>;

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
void runOnce(nvinfer1::ICudaEngine& engine)
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
        bytes[static_cast<size_t>(b)] = n * elementSize(engine.getBindingDataType(b));
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
    note(context->executeV2(bindings.data()) ? "built; ran" : "built; run failed");
}

void buildAndRun(nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network)
{
    if (network.getNbLayers() > kMaxLayersToBuild || network.getNbOutputs() == 0)
        return note("parsed; not built (too many layers or no outputs)");
    Ptr<nvinfer1::IBuilderConfig> config(builder.createBuilderConfig());
    if (!config)
        return note("parsed; no builder config");
    config->setMaxWorkspaceSize(kWorkspaceBytes);
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
        runOnce(*engine);
    else
        note("parsed; build failed");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    // One worker thread: deterministic and cheaper.
    setenv("KILN_NUM_THREADS", "1", 0);
    const char* verbose = std::getenv("KILN_FUZZ_VERBOSE");
    gVerbose = verbose && verbose[0] && verbose[0] != '0';
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(gLogger));
    if (!builder)
        return 0;
    const auto explicitBatch = 1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(explicitBatch));
    if (!network)
        return 0;
    Ptr<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, gLogger));
    if (!parser)
        return 0;
    // A zero-length input still gets a valid (non-null) pointer.
    static const uint8_t kEmpty = 0;
    const bool parsed = parser->parse(size ? data : &kEmpty, size);
    // Read every reported error in full (its strings must be valid, NUL-terminated memory).
    size_t sink = 0;
    for (int32_t i = 0; i < parser->getNbErrors(); ++i)
        if (const nvonnxparser::IParserError* e = parser->getError(i))
            sink += static_cast<size_t>(e->code()) + static_cast<size_t>(e->line() + e->node())
                + (e->desc() ? std::strlen(e->desc()) : 0) + (e->file() ? std::strlen(e->file()) : 0)
                + (e->func() ? std::strlen(e->func()) : 0);
    if (parser->getNbErrors() > 0 && parser->getError(parser->getNbErrors()) != nullptr)
        __builtin_trap(); // out-of-range indices must give nullptr
    (void)sink;
    if (parsed)
        buildAndRun(*builder, *network);
    else
        note("not parsed");
    // Destroyed in reverse order: parser (it owns the converted weights), network, builder.
    return 0;
}
