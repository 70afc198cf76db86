// Runtime contracts: binding queries and order, profiles and dynamic shapes, caller-owned context
// memory, enqueue semantics on a CPU engine, the profiler, the error recorder, and API misuse.
#include "NvCaffeParser.h"
#include "NvOnnxParser.h"
#include "NvUffParser.h"
#include "support/harness.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <set>

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::UniquePtr;

namespace
{

constexpr uint32_t kExplicit = 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);

//! x -> relu -> y and x -> sigmoid -> z, with x of dims \p dims (-1 allowed) and \p profiles.
struct TwoOutputEngine
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder{createInferBuilder(logger)};
    UniquePtr<INetworkDefinition> network{builder->createNetworkV2(kExplicit)};
    UniquePtr<IBuilderConfig> config{builder->createBuilderConfig()};
    UniquePtr<ICudaEngine> engine;

    explicit TwoOutputEngine(Dims dims, const std::vector<std::array<Dims, 3>>& profiles = {})
    {
        ITensor* x = network->addInput("x", DataType::kFLOAT, dims);
        IActivationLayer* relu = network->addActivation(*x, ActivationType::kRELU);
        relu->setName("relu");
        relu->getOutput(0)->setName("y");
        IActivationLayer* sig = network->addActivation(*x, ActivationType::kSIGMOID);
        sig->setName("sigmoid");
        sig->getOutput(0)->setName("z");
        network->markOutput(*relu->getOutput(0));
        network->markOutput(*sig->getOutput(0));
        for (const auto& p : profiles)
        {
            IOptimizationProfile* profile = builder->createOptimizationProfile();
            EXPECT_TRUE(profile->setDimensions("x", OptProfileSelector::kMIN, p[0]));
            EXPECT_TRUE(profile->setDimensions("x", OptProfileSelector::kOPT, p[1]));
            EXPECT_TRUE(profile->setDimensions("x", OptProfileSelector::kMAX, p[2]));
            EXPECT_GE(config->addOptimizationProfile(profile), 0);
        }
        engine.reset(builder->buildEngineWithConfig(*network, *config));
    }
};

TEST(RuntimeApi, BindingsAreInputsThenOutputsInMarkedOrder)
{
    TwoOutputEngine e(Dims2{2, 3});
    ASSERT_NE(e.engine, nullptr) << e.logger.errors();
    EXPECT_EQ(e.engine->getNbBindings(), 3);
    EXPECT_STREQ(e.engine->getBindingName(0), "x");
    EXPECT_STREQ(e.engine->getBindingName(1), "y");
    EXPECT_STREQ(e.engine->getBindingName(2), "z");
    EXPECT_TRUE(e.engine->bindingIsInput(0));
    EXPECT_FALSE(e.engine->bindingIsInput(2));
    EXPECT_EQ(e.engine->getBindingIndex("z"), 2);
    EXPECT_EQ(e.engine->getBindingIndex("nope"), -1);
    EXPECT_EQ(e.engine->getBindingIndex(nullptr), -1);
    EXPECT_EQ(e.engine->getBindingName(3), nullptr);
    EXPECT_EQ(e.engine->getBindingDimensions(7).nbDims, -1);
    EXPECT_FALSE(e.engine->bindingIsInput(-1));
    EXPECT_EQ(e.engine->getLocation(0), TensorLocation::kHOST);
    EXPECT_EQ(e.engine->getBindingFormat(1), TensorFormat::kLINEAR);
    EXPECT_EQ(e.engine->getBindingVectorizedDim(1), -1);
    EXPECT_EQ(e.engine->getBindingComponentsPerElement(1), 1);
    EXPECT_EQ(e.engine->getBindingBytesPerComponent(1), 4);
    EXPECT_EQ(e.engine->getNbLayers(), 2);
    EXPECT_EQ(e.engine->getNbIOTensors(), 3);
    EXPECT_STREQ(e.engine->getIOTensorName(1), "y");
    EXPECT_EQ(e.engine->getTensorIOMode("x"), TensorIOMode::kINPUT);
    EXPECT_EQ(e.engine->getTensorIOMode("z"), TensorIOMode::kOUTPUT);
    EXPECT_EQ(e.engine->getTensorShape("y").d[1], 3);
}

TEST(RuntimeApi, ProfilesRepeatBindingsWithMangledNames)
{
    TwoOutputEngine e(Dims2{-1, 4},
        {{Dims2{1, 4}, Dims2{2, 4}, Dims2{3, 4}}, {Dims2{5, 4}, Dims2{6, 4}, Dims2{8, 4}}});
    ASSERT_NE(e.engine, nullptr) << e.logger.errors();
    EXPECT_EQ(e.engine->getNbOptimizationProfiles(), 2);
    EXPECT_EQ(e.engine->getNbBindings(), 6);
    EXPECT_STREQ(e.engine->getBindingName(3), "x [profile 1]");
    EXPECT_EQ(e.engine->getBindingIndex("z [profile 1]"), 5);
    EXPECT_EQ(e.engine->getBindingDimensions(0).d[0], -1);
    EXPECT_EQ(e.engine->getProfileDimensions(0, 1, OptProfileSelector::kMAX).d[0], 8);
    EXPECT_EQ(e.engine->getProfileDimensions(3, 1, OptProfileSelector::kMIN).d[0], 5);

    UniquePtr<IExecutionContext> ctx(e.engine->createExecutionContext());
    EXPECT_EQ(ctx->getOptimizationProfile(), 0);
    EXPECT_TRUE(ctx->setOptimizationProfileAsync(1, nullptr));
    e.logger.expectErrors();
    EXPECT_FALSE(ctx->setBindingDimensions(0, Dims2{6, 4})) << "binding 0 belongs to profile 0";
    EXPECT_FALSE(ctx->setBindingDimensions(3, Dims2{9, 4})) << "outside the profile";
    EXPECT_FALSE(ctx->setBindingDimensions(3, Dims3{6, 4, 1})) << "wrong rank";
    EXPECT_FALSE(ctx->setBindingDimensions(4, Dims2{6, 4})) << "not an input";
    e.logger.expectErrors(false);
    EXPECT_TRUE(ctx->setBindingDimensions(3, Dims2{6, 4}));
    EXPECT_TRUE(ctx->allInputDimensionsSpecified());
    EXPECT_EQ(ctx->getBindingDimensions(4).d[0], 6);
    std::vector<float> x(24), y(24, -1), z(24, -1);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(i) - 12.f;
    std::vector<void*> bindings(6, nullptr);
    bindings[3] = x.data();
    bindings[4] = y.data();
    bindings[5] = z.data();
    ASSERT_TRUE(ctx->executeV2(bindings.data())) << e.logger.errors();
    for (size_t i = 0; i < x.size(); ++i)
    {
        EXPECT_EQ(y[i], std::max(x[i], 0.f));
        EXPECT_NEAR(z[i], 1.0 / (1.0 + std::exp(-static_cast<double>(x[i]))), 1e-6);
    }
}

TEST(RuntimeApi, DynamicInputWithoutProfileFailsTheBuild)
{
    CapturingLogger logger;
    logger.expectErrors();
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(kExplicit));
    ITensor* x = network->addInput("x", DataType::kFLOAT, Dims2{-1, 4});
    network->markOutput(*network->addActivation(*x, ActivationType::kRELU)->getOutput(0));
    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    EXPECT_EQ(builder->buildEngineWithConfig(*network, *config), nullptr);
    EXPECT_TRUE(logger.hasError("optimization profile")) << logger.errors();
}

TEST(RuntimeApi, InvalidProfilesAreRejected)
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    IOptimizationProfile* p = builder->createOptimizationProfile();
    EXPECT_FALSE(p->isValid());
    EXPECT_EQ(p->getDimensions("x", OptProfileSelector::kMIN).nbDims, -1);
    EXPECT_TRUE(p->setDimensions("x", OptProfileSelector::kMIN, Dims2{2, 4}));
    EXPECT_FALSE(p->setDimensions("x", OptProfileSelector::kMAX, Dims2{1, 4})) << "max < min";
    EXPECT_FALSE(p->setDimensions("x", OptProfileSelector::kOPT, Dims3{2, 4, 1})) << "rank differs";
    EXPECT_FALSE(p->isValid());
    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    logger.expectErrors();
    EXPECT_EQ(config->addOptimizationProfile(p), -1);
    EXPECT_EQ(config->addOptimizationProfile(nullptr), -1);
}

TEST(RuntimeApi, CallerOwnedDeviceMemory)
{
    TwoOutputEngine e(Dims2{2, 3});
    ASSERT_NE(e.engine, nullptr);
    UniquePtr<IExecutionContext> ctx(e.engine->createExecutionContextWithoutDeviceMemory());
    ASSERT_NE(ctx, nullptr);
    const size_t size = e.engine->getDeviceMemorySize();
    std::vector<float> x{-1, 2, -3, 4, -5, 6}, y(6), z(6);
    void* bindings[3] = {x.data(), y.data(), z.data()};
    if (size > 0)
    {
        e.logger.expectErrors();
        EXPECT_FALSE(ctx->executeV2(bindings)) << "no device memory set";
        EXPECT_TRUE(e.logger.hasError("setDeviceMemory"));
        void* block = std::aligned_alloc(256, (size + 511) / 256 * 256);
        ctx->setDeviceMemory(static_cast<char*>(block) + 8); // misaligned: refused
        EXPECT_FALSE(ctx->executeV2(bindings));
        e.logger.expectErrors(false);
        ctx->setDeviceMemory(block);
        EXPECT_TRUE(ctx->executeV2(bindings)) << e.logger.errors();
        std::free(block);
    }
    else
        EXPECT_TRUE(ctx->executeV2(bindings));
    EXPECT_EQ(y[1], 2.f);
    EXPECT_EQ(y[0], 0.f);
}

TEST(RuntimeApi, EnqueueOnACpuEngineIsDoneOnReturn)
{
    // A CPU engine has no CUDA stream to wait on: enqueueV2 runs synchronously, never touches the
    // stream (an arbitrary non-null handle is fine), and leaves the inputConsumed event untouched.
    TwoOutputEngine e(Dims2{2, 3});
    ASSERT_NE(e.engine, nullptr);
    UniquePtr<IExecutionContext> ctx(e.engine->createExecutionContext());
    std::vector<float> x{-1, 2, -3, 4, -5, 6}, y(6, 99), z(6, 99);
    void* bindings[3] = {x.data(), y.data(), z.data()};
    auto fakeStream = reinterpret_cast<cudaStream_t>(uintptr_t(0x1234));
    cudaEvent_t event = reinterpret_cast<cudaEvent_t>(uintptr_t(0x5678));
    ASSERT_TRUE(ctx->enqueueV2(bindings, fakeStream, &event));
    EXPECT_EQ(event, reinterpret_cast<cudaEvent_t>(uintptr_t(0x5678)));
    // Outputs are complete and the inputs may be overwritten immediately.
    std::fill(x.begin(), x.end(), 0.f);
    EXPECT_EQ(y[1], 2.f);
    EXPECT_EQ(y[3], 4.f);
    ASSERT_TRUE(ctx->enqueueV2(bindings, nullptr, nullptr));
    EXPECT_EQ(y[1], 0.f);
    // The 8.x name-based path.
    EXPECT_TRUE(ctx->setTensorAddress("x", x.data()));
    EXPECT_TRUE(ctx->setTensorAddress("y", y.data()));
    EXPECT_TRUE(ctx->setTensorAddress("z", z.data()));
    e.logger.expectErrors();
    EXPECT_FALSE(ctx->setTensorAddress("missing", x.data()));
    e.logger.expectErrors(false);
    x[0] = 7.f;
    EXPECT_TRUE(ctx->enqueueV3(nullptr));
    EXPECT_EQ(y[0], 7.f);
}

class RecordingProfiler : public IProfiler
{
public:
    void reportLayerTime(const char* layerName, float ms) override
    {
        names.push_back(layerName);
        EXPECT_GE(ms, 0.f);
    }
    std::vector<std::string> names;
};

TEST(RuntimeApi, ProfilerGetsEveryLayerOfEveryRun)
{
    TwoOutputEngine e(Dims2{2, 3});
    ASSERT_NE(e.engine, nullptr);
    UniquePtr<IExecutionContext> ctx(e.engine->createExecutionContext());
    RecordingProfiler profiler;
    ctx->setProfiler(&profiler);
    EXPECT_EQ(ctx->getProfiler(), &profiler);
    std::vector<float> x(6, 1.f), y(6), z(6);
    void* bindings[3] = {x.data(), y.data(), z.data()};
    ASSERT_TRUE(ctx->executeV2(bindings));
    ASSERT_TRUE(ctx->executeV2(bindings));
    ASSERT_EQ(profiler.names.size(), 4u);
    EXPECT_EQ(std::set<std::string>(profiler.names.begin(), profiler.names.end()), (std::set<std::string>{"relu", "sigmoid"}));
}

class CountingRecorder : public IErrorRecorder
{
public:
    int32_t getNbErrors() const noexcept override { return static_cast<int32_t>(errors.size()); }
    ErrorCode getErrorCode(int32_t i) const noexcept override { return errors.at(static_cast<size_t>(i)).first; }
    ErrorDesc getErrorDesc(int32_t i) const noexcept override { return errors.at(static_cast<size_t>(i)).second.c_str(); }
    bool hasOverflowed() const noexcept override { return false; }
    void clear() noexcept override { errors.clear(); }
    bool reportError(ErrorCode code, ErrorDesc desc) noexcept override
    {
        std::lock_guard<std::mutex> lock(mutex);
        errors.emplace_back(code, desc);
        return true;
    }
    RefCount incRefCount() noexcept override { return ++refs; }
    RefCount decRefCount() noexcept override { return --refs; }
    std::vector<std::pair<ErrorCode, std::string>> errors;
    std::atomic<int32_t> refs{0};
    std::mutex mutex;
};

TEST(RuntimeApi, ErrorRecorderReceivesErrorsAndIsReferenceCounted)
{
    CountingRecorder recorder;
    {
        CapturingLogger logger;
        logger.expectErrors();
        UniquePtr<IBuilder> builder(createInferBuilder(logger));
        builder->setErrorRecorder(&recorder);
        EXPECT_EQ(builder->getErrorRecorder(), &recorder);
        EXPECT_GE(recorder.refs.load(), 1);
        UniquePtr<INetworkDefinition> network(builder->createNetworkV2(kExplicit));
        EXPECT_EQ(network->addInput(nullptr, DataType::kFLOAT, Dims2{1, 1}), nullptr);
        ASSERT_GE(recorder.getNbErrors(), 1);
        EXPECT_EQ(recorder.getErrorCode(0), ErrorCode::kINVALID_ARGUMENT);
        UniquePtr<IRuntime> runtime(createInferRuntime(logger));
        runtime->setErrorRecorder(&recorder);
        const char junk[16] = "not an engine";
        EXPECT_EQ(runtime->deserializeCudaEngine(junk, sizeof(junk), nullptr), nullptr);
        EXPECT_GE(recorder.getNbErrors(), 2);
    }
    EXPECT_EQ(recorder.refs.load(), 0) << "every object released the recorder";
}

TEST(RuntimeApi, MisuseIsReportedAndNeverCrashes)
{
    CapturingLogger logger;
    logger.expectErrors();
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(kExplicit));
    UniquePtr<INetworkDefinition> other(builder->createNetworkV2(kExplicit));
    ITensor* foreign = other->addInput("f", DataType::kFLOAT, Dims2{1, 1});
    EXPECT_EQ(network->addActivation(*foreign, ActivationType::kRELU), nullptr);
    EXPECT_TRUE(logger.hasError("does not belong"));
    EXPECT_EQ(network->addInput("bad", DataType::kFLOAT, Dims{9, {}, {}}), nullptr);
    EXPECT_EQ(network->addInput("bad", static_cast<DataType>(42), Dims2{1, 1}), nullptr);
    ITensor* x = network->addInput("x", DataType::kFLOAT, Dims2{2, 2});
    EXPECT_EQ(network->addInput("x", DataType::kFLOAT, Dims2{2, 2}), nullptr) << "duplicate name";
    EXPECT_EQ(network->getLayer(5), nullptr);
    EXPECT_EQ(network->getInput(-1), nullptr);
    EXPECT_EQ(network->getOutput(0), nullptr);
    EXPECT_EQ(network->addConcatenation(nullptr, 2), nullptr);
    EXPECT_EQ(network->addRNNv2(*x, 1, 4, 4, RNNOperation::kLSTM), nullptr);
    EXPECT_EQ(network->addLoop(), nullptr);
    IActivationLayer* relu = network->addActivation(*x, ActivationType::kRELU);
    ASSERT_NE(relu, nullptr);
    relu->setInput(3, *x); // out of range: reported, ignored
    EXPECT_EQ(relu->getNbInputs(), 1);
    EXPECT_EQ(relu->getOutput(1), nullptr);
    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    EXPECT_EQ(builder->buildEngineWithConfig(*network, *config), nullptr) << "no outputs";
    network->markOutput(*relu->getOutput(0));
    UniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
    ASSERT_NE(engine, nullptr);
    UniquePtr<IExecutionContext> ctx(engine->createExecutionContext());
    std::vector<float> in(4), out(4);
    void* bindings[2] = {in.data(), out.data()};
    EXPECT_FALSE(ctx->execute(1, bindings)) << "explicit-batch engine";
    EXPECT_FALSE(ctx->executeV2(nullptr));
    void* nullOut[2] = {in.data(), nullptr};
    EXPECT_FALSE(ctx->executeV2(nullOut));
    EXPECT_FALSE(ctx->setBindingDimensions(1, Dims2{2, 2})) << "output binding";
    EXPECT_FALSE(ctx->setOptimizationProfile(3));
    EXPECT_EQ(ctx->getBindingDimensions(-4).nbDims, -1);
    UniquePtr<IRuntime> runtime(createInferRuntime(logger));
    EXPECT_EQ(runtime->deserializeCudaEngine(nullptr, 0, nullptr), nullptr);
    EXPECT_EQ(createInferRefitter(*engine, logger), nullptr);
    EXPECT_TRUE(ctx->executeV2(bindings)) << "still usable after the misuse";
}

TEST(RuntimeApi, ImplicitBatchEngineRejectsBatchAboveMax)
{
    kiln::test::NetworkHarness h(false);
    h.setBatch(4);
    ITensor* x = h.input("x", kiln::test::HostTensor::floats({4, 2}, {1, -2, 3, -4, 5, -6, 7, -8}));
    h.markOutput(h.network().addActivation(*x, ActivationType::kRELU)->getOutput(0));
    ICudaEngine* engine = h.build();
    ASSERT_NE(engine, nullptr);
    EXPECT_EQ(engine->getMaxBatchSize(), 4);
    EXPECT_EQ(engine->getBindingDimensions(0).nbDims, 1);
    UniquePtr<IExecutionContext> ctx(engine->createExecutionContext());
    std::vector<float> in(10), out(10);
    void* bindings[2] = {in.data(), out.data()};
    h.logger().expectErrors();
    EXPECT_FALSE(ctx->execute(5, bindings));
    EXPECT_FALSE(ctx->execute(0, bindings));
    EXPECT_FALSE(ctx->executeV2(bindings)) << "implicit-batch engine";
    h.logger().expectErrors(false);
    EXPECT_TRUE(ctx->execute(3, bindings));
}

TEST(RuntimeApi, Fp16AndInt8FlagsAreReportedAsNotHonoured)
{
    TwoOutputEngine probe(Dims2{1, 1}); // warm the pool
    CapturingLogger logger;
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(kExplicit));
    ITensor* x = network->addInput("x", DataType::kFLOAT, Dims2{1, 4});
    network->markOutput(*network->addActivation(*x, ActivationType::kRELU)->getOutput(0));
    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    config->setFlag(BuilderFlag::kFP16);
    config->setFlag(BuilderFlag::kINT8);
    EXPECT_TRUE(config->getFlag(BuilderFlag::kFP16));
    UniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
    ASSERT_NE(engine, nullptr);
    const std::string log = logger.all();
    EXPECT_NE(log.find("kFP16 is accepted but not honoured"), std::string::npos) << log;
    EXPECT_NE(log.find("kINT8 is accepted but not honoured"), std::string::npos) << log;
}

TEST(RuntimeApi, EntryPointsAndParserFactories)
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder(createInferBuilder(logger)); // makes the logger the library's
    EXPECT_EQ(getLogger(), &logger);
    EXPECT_EQ(getInferLibVersion(), NV_TENSORRT_VERSION);
    IPluginRegistry* registry = getPluginRegistry();
    ASSERT_NE(registry, nullptr);
    int32_t n = -1;
    registry->getPluginCreatorList(&n);
    EXPECT_EQ(n, 0);
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(kExplicit));
    nvonnxparser::IParser* onnx = nvonnxparser::createParser(*network, logger);
    ASSERT_NE(onnx, nullptr);
    onnx->destroy();
    UniquePtr<nvcaffeparser1::ICaffeParser> caffe(nvcaffeparser1::createCaffeParser());
    EXPECT_NE(caffe, nullptr);
    UniquePtr<nvcaffeparser1::ICaffeParser> caffeInternal(
        static_cast<nvcaffeparser1::ICaffeParser*>(createNvCaffeParser_INTERNAL()));
    EXPECT_NE(caffeInternal, nullptr);
    UniquePtr<nvuffparser::IUffParser> uff(nvuffparser::createUffParser());
    ASSERT_NE(uff, nullptr);
    EXPECT_EQ(uff->getUffRequiredVersionMajor(), UFF_REQUIRED_VERSION_MAJOR);
    EXPECT_EQ(uff->getUffRequiredVersionMinor(), UFF_REQUIRED_VERSION_MINOR);
    EXPECT_EQ(uff->getUffRequiredVersionPatch(), UFF_REQUIRED_VERSION_PATCH);
    UniquePtr<nvuffparser::IUffParser> uffInternal(static_cast<nvuffparser::IUffParser*>(createNvUffParser_INTERNAL()));
    EXPECT_NE(uffInternal, nullptr);
}

} // namespace

namespace
{

TEST(RuntimeApi, ImplicitBatchConstantOutputFillsEveryItem)
{
    kiln::test::NetworkHarness h(false);
    h.setBatch(3);
    ITensor* x = h.input("x", kiln::test::HostTensor::floats({3, 2}, {1, 2, 3, 4, 5, 6}));
    static const float values[2] = {7.f, -8.f};
    IConstantLayer* c = h.network().addConstant(Dims{1, {2}, {}}, Weights{DataType::kFLOAT, values, 2});
    ASSERT_NE(c, nullptr);
    h.markOutput(c->getOutput(0));
    h.markOutput(h.network().addActivation(*x, ActivationType::kRELU)->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectClose(outs[0], {3, 2}, {7, -8, 7, -8, 7, -8});
}

TEST(RuntimeApi, SetTypeOnAnIdentityOutputConverts)
{
    kiln::test::NetworkHarness h;
    ITensor* x = h.input("x", kiln::test::HostTensor::floats({4}, {1.7f, -2.5f, 3.f, 0.2f}));
    IIdentityLayer* id = h.network().addIdentity(*x);
    ASSERT_NE(id, nullptr);
    id->getOutput(0)->setType(DataType::kINT32);
    h.markOutput(id->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectEqualInts(outs[0], {4}, {1, -2, 3, 0});
}

} // namespace
