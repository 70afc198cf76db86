// The activation memory plan and caller-owned context memory, through the public API: the arena
// of simple chains equals the live-set lower bound (in-place included), a ResNet's arena is a small
// fraction of its activations, in-place layers give the reference's results, getDeviceMemorySize()
// bytes are exactly enough, and one caller buffer serves contexts of two engines in turn.
#include "common/zoo.h"
#include "support/harness.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <algorithm>
#include <sstream>

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::UniquePtr;

namespace
{

constexpr uint32_t kExplicit = 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);

//! Sets an environment variable for one scope.
class ScopedEnv
{
public:
    ScopedEnv(const char* name, const char* value)
        : mName(name)
    {
        if (const char* old = std::getenv(name))
            mOld = old, mHad = true;
        setenv(name, value, 1);
    }
    ~ScopedEnv()
    {
        if (mHad)
            setenv(mName.c_str(), mOld.c_str(), 1);
        else
            unsetenv(mName.c_str());
    }

private:
    std::string mName, mOld;
    bool mHad{false};
};

uint64_t align64(uint64_t bytes) { return (bytes + 63) / 64 * 64; }

//! The memory plan as IEngineInspector lists it.
struct MemoryPlan
{
    uint64_t arena{0};
    std::map<std::string, std::pair<uint64_t, uint64_t>> tensors; //!< name -> [offset, end)
    uint64_t sumOfActivations() const
    {
        uint64_t sum = 0;
        for (const auto& [name, range] : tensors)
            sum += range.second - range.first;
        return sum;
    }
};

MemoryPlan memoryPlan(const ICudaEngine& engine)
{
    std::unique_ptr<IEngineInspector> inspector(engine.createEngineInspector());
    std::istringstream s(inspector->getEngineInformation(LayerInformationFormat::kONELINE));
    MemoryPlan plan;
    std::string line;
    while (std::getline(s, line))
    {
        if (line.rfind("memory: arena ", 0) == 0)
            plan.arena = std::stoull(line.substr(14));
        else if (line.rfind("  arena [", 0) == 0)
        {
            const uint64_t lo = std::stoull(line.substr(9));
            const uint64_t hi = std::stoull(line.substr(line.find(", ") + 2));
            const size_t q = line.find('\'');
            plan.tensors[line.substr(q + 1, line.rfind('\'') - q - 1)] = {lo, hi};
        }
    }
    return plan;
}

struct Built
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder{createInferBuilder(logger)};
    UniquePtr<INetworkDefinition> network{builder->createNetworkV2(kExplicit)};
    UniquePtr<IBuilderConfig> config{builder->createBuilderConfig()};
    UniquePtr<ICudaEngine> engine;
    kiln::tools::WeightStore store;

    Weights random(int64_t n, uint32_t seed)
    {
        kiln::test::Rng rng(seed);
        return store.add(kiln::test::randomFloats(n, rng, -0.5f, 0.5f));
    }
    //! The values of weights made by random().
    static const float* values(const Weights& w) { return static_cast<const float*>(w.values); }
    IConvolutionLayer* conv(ITensor& x, int32_t inC, int32_t outC, int32_t k, int32_t stride, int32_t pad, const char* out,
        uint32_t seed)
    {
        IConvolutionLayer* c = network->addConvolutionNd(x, outC, DimsHW{k, k}, random(int64_t(outC) * inC * k * k, seed),
            random(outC, seed + 1000));
        c->setStrideNd(DimsHW{stride, stride});
        c->setPaddingNd(DimsHW{pad, pad});
        c->setName(out);
        c->getOutput(0)->setName(out);
        return c;
    }
    void build()
    {
        engine.reset(builder->buildEngineWithConfig(*network, *config));
        ASSERT_NE(engine, nullptr) << logger.errors();
    }
};

//! Runs a one-input engine (explicit batch, static dims) with its own memory; returns every output.
std::vector<std::vector<float>> runEngine(ICudaEngine& engine, IExecutionContext& ctx, const std::vector<float>& input)
{
    std::vector<std::vector<float>> outs;
    std::vector<void*> bindings(static_cast<size_t>(engine.getNbBindings()));
    bindings[0] = const_cast<float*>(input.data());
    for (int32_t b = 1; b < engine.getNbBindings(); ++b)
    {
        const Dims d = ctx.getBindingDimensions(b);
        int64_t n = 1;
        for (int32_t i = 0; i < d.nbDims; ++i)
            n *= d.d[i];
        outs.emplace_back(static_cast<size_t>(n), std::nanf(""));
    }
    for (size_t o = 0; o < outs.size(); ++o)
        bindings[o + 1] = outs[o].data();
    EXPECT_TRUE(ctx.executeV2(bindings.data()));
    return outs;
}

//! max over layers of the 64-byte-aligned sizes of the slots live at that layer: slots[s] = (bytes,
//! first layer, last layer); a slot is live from the layer that writes it to its last reader.
uint64_t liveSetBound(const std::vector<std::tuple<uint64_t, int, int>>& slots, int nbLayers)
{
    uint64_t bound = 0;
    for (int l = 0; l < nbLayers; ++l)
    {
        uint64_t live = 0;
        for (const auto& [bytes, first, last] : slots)
            if (first <= l && l <= last)
                live += align64(bytes);
        bound = std::max(bound, live);
    }
    return bound;
}

// conv1 -> relu -> conv2/2 -> conv3 -> conv4 1x1 -> FC, layers kept apart (no optimizer pass) and
// linear layouts only (reference tactics), so the arena tensors are exactly the five between them.
TEST(MemoryPlan, ChainArenaEqualsTheLiveSetLowerBound)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    ScopedEnv tactics("KILN_TACTICS", "reference");
    Built b;
    ITensor* x = b.network->addInput("x", DataType::kFLOAT, Dims4{1, 3, 15, 15});
    ITensor* t1 = b.conv(*x, 3, 8, 3, 1, 1, "t1", 1)->getOutput(0);          // 1x8x15x15
    IActivationLayer* relu = b.network->addActivation(*t1, ActivationType::kRELU);
    relu->getOutput(0)->setName("t2");                                     // 1x8x15x15, in place
    ITensor* t3 = b.conv(*relu->getOutput(0), 8, 16, 3, 2, 1, "t3", 2)->getOutput(0); // 1x16x8x8
    ITensor* t4 = b.conv(*t3, 16, 32, 3, 1, 1, "t4", 3)->getOutput(0);     // 1x32x8x8
    ITensor* t5 = b.conv(*t4, 32, 5, 1, 1, 0, "t5", 4)->getOutput(0);      // 1x5x8x8
    IFullyConnectedLayer* fc = b.network->addFullyConnected(*t5, 10, b.random(10 * 320, 5), b.random(10, 6));
    fc->getOutput(0)->setName("y");
    b.network->markOutput(*fc->getOutput(0));
    b.build();
    ASSERT_NE(b.engine, nullptr);
    const MemoryPlan plan = memoryPlan(*b.engine);
    ASSERT_EQ(plan.tensors.size(), 5u) << "the arena holds exactly t1..t5";
    // Sizes from the dims above, not from the plan.
    const uint64_t s1 = 8 * 15 * 15 * 4, s3 = 16 * 8 * 8 * 4, s4 = 32 * 8 * 8 * 4, s5 = 5 * 8 * 8 * 4;
    // Layers: 0 conv1, 1 relu, 2 conv2, 3 conv3, 4 conv4, 5 fc.
    const uint64_t withoutInPlace = liveSetBound({{s1, 0, 1}, {s1, 1, 2}, {s3, 2, 3}, {s4, 3, 4}, {s5, 4, 5}}, 6);
    const uint64_t withInPlace = liveSetBound({{s1, 0, 2}, {s3, 2, 3}, {s4, 3, 4}, {s5, 4, 5}}, 6);
    EXPECT_EQ(withoutInPlace, 2 * align64(s1));
    EXPECT_EQ(plan.arena, withInPlace) << "live-set bound " << withInPlace << " (without in-place " << withoutInPlace << ")";
    EXPECT_EQ(plan.tensors.at("t1").first, plan.tensors.at("t2").first) << "relu runs in place";
    EXPECT_EQ(b.engine->getDeviceMemorySize() % 256, 0u);
    EXPECT_GE(b.engine->getDeviceMemorySize(), plan.arena);
}

// Another chain: FC layers of different widths (no in-place candidate).
TEST(MemoryPlan, FullyConnectedChainArenaEqualsTheLiveSetLowerBound)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    ScopedEnv tactics("KILN_TACTICS", "reference");
    Built b;
    ITensor* t = b.network->addInput("x", DataType::kFLOAT, Dims4{2, 7, 1, 1});
    const int32_t widths[] = {100, 33, 250, 17, 64, 3};
    int32_t inC = 7;
    std::vector<std::tuple<uint64_t, int, int>> slots;
    for (int l = 0; l < 6; ++l)
    {
        IFullyConnectedLayer* fc = b.network->addFullyConnected(*t, widths[l], b.random(int64_t(widths[l]) * inC, 10 + l),
            b.random(widths[l], 20 + l));
        t = fc->getOutput(0);
        t->setName(("f" + std::to_string(l)).c_str());
        if (l < 5)
            slots.emplace_back(uint64_t(2) * widths[l] * 4, l, l + 1);
        inC = widths[l];
    }
    b.network->markOutput(*t);
    b.build();
    ASSERT_NE(b.engine, nullptr);
    const MemoryPlan plan = memoryPlan(*b.engine);
    ASSERT_EQ(plan.tensors.size(), 5u);
    EXPECT_EQ(plan.arena, liveSetBound(slots, 6));
}

//! 1x4x6x6 input, conv 3x3 pad 1 (8 ch) -> relu -> channel scale -> + conv 1x1 of x -> abs ->
//! identity -> sigmoid: every one after the convolutions may run in place.
struct InPlaceNet
{
    Built b;
    Weights w1, b1, w2, b2, scale, shift;
    explicit InPlaceNet(bool intermediatesAreOutputs)
    {
        ITensor* x = b.network->addInput("x", DataType::kFLOAT, Dims4{1, 4, 6, 6});
        IConvolutionLayer* c1 = b.conv(*x, 4, 8, 3, 1, 1, "c1", 31);
        w1 = c1->getKernelWeights();
        b1 = c1->getBiasWeights();
        IConvolutionLayer* c2 = b.conv(*x, 4, 8, 1, 1, 0, "c2", 32);
        w2 = c2->getKernelWeights();
        b2 = c2->getBiasWeights();
        std::vector<ITensor*> chain;
        ITensor* t = b.network->addActivation(*c1->getOutput(0), ActivationType::kRELU)->getOutput(0);
        chain.push_back(t);
        scale = b.random(8, 33);
        shift = b.random(8, 34);
        t = b.network->addScale(*t, ScaleMode::kCHANNEL, shift, scale, Weights{DataType::kFLOAT, nullptr, 0})->getOutput(0);
        chain.push_back(t);
        t = b.network->addElementWise(*t, *c2->getOutput(0), ElementWiseOperation::kSUM)->getOutput(0);
        chain.push_back(t);
        t = b.network->addUnary(*t, UnaryOperation::kABS)->getOutput(0);
        chain.push_back(t);
        t = b.network->addIdentity(*t)->getOutput(0);
        chain.push_back(t);
        t = b.network->addActivation(*t, ActivationType::kSIGMOID)->getOutput(0);
        t->setName("y");
        b.network->markOutput(*t);
        if (intermediatesAreOutputs)
            for (size_t i = 0; i < chain.size(); ++i)
            {
                chain[i]->setName(("i" + std::to_string(i)).c_str());
                b.network->markOutput(*chain[i]);
            }
        b.build();
    }
    //! The network in float64 on the host.
    std::vector<double> reference(const std::vector<float>& x) const
    {
        auto conv = [&](const Weights& w, const Weights& bias, int k, int pad, int o, int h, int wi) {
            double s = Built::values(bias)[o];
            for (int c = 0; c < 4; ++c)
                for (int i = 0; i < k; ++i)
                    for (int j = 0; j < k; ++j)
                    {
                        const int y = h + i - pad, xx = wi + j - pad;
                        if (y >= 0 && y < 6 && xx >= 0 && xx < 6)
                            s += double(Built::values(w)[((o * 4 + c) * k + i) * k + j]) * x[size_t((c * 6 + y) * 6 + xx)];
                    }
            return s;
        };
        std::vector<double> out;
        for (int o = 0; o < 8; ++o)
            for (int h = 0; h < 6; ++h)
                for (int w = 0; w < 6; ++w)
                {
                    double v = std::max(conv(w1, b1, 3, 1, o, h, w), 0.0);
                    v = v * Built::values(scale)[o] + Built::values(shift)[o];
                    v = std::abs(v + conv(w2, b2, 1, 0, o, h, w));
                    out.push_back(1.0 / (1.0 + std::exp(-v)));
                }
        return out;
    }
};

TEST(MemoryPlan, InPlaceLayersShrinkTheArenaAndMatchTheReference)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    // The same tactics in both engines (bit-for-bit comparison), the AVX2 position-wise ones.
    ScopedEnv tactics("KILN_TACTICS", "im2col_gemm,vector");
    InPlaceNet net(false);
    InPlaceNet apart(true);
    ASSERT_NE(net.b.engine, nullptr);
    ASSERT_NE(apart.b.engine, nullptr);
    const MemoryPlan plan = memoryPlan(*net.b.engine);
    // Six arena tensors of 1x8x6x6 (c1, c2, relu, scale, sum, abs, identity: seven) and the live
    // sets without in-place: {c1, c2} at conv2, then an input and an output of 1152 bytes plus c2
    // until the sum.
    const uint64_t s = 8 * 6 * 6 * 4;
    ASSERT_EQ(plan.tensors.size(), 7u);
    const uint64_t withoutInPlace = 3 * align64(s);
    // In place: c1, relu, scale, sum, abs and identity share one slot; c2 is live beside it.
    EXPECT_EQ(plan.arena, 2 * align64(s)) << "without in-place the live-set bound is " << withoutInPlace;
    EXPECT_LT(plan.arena, withoutInPlace);
    std::set<uint64_t> offsets;
    for (const auto& [name, range] : plan.tensors)
        offsets.insert(range.first);
    EXPECT_EQ(offsets.size(), 2u);

    kiln::test::Rng rng(7);
    const std::vector<float> x = kiln::test::randomFloats(4 * 36, rng);
    UniquePtr<IExecutionContext> c1(net.b.engine->createExecutionContext());
    UniquePtr<IExecutionContext> c2(apart.b.engine->createExecutionContext());
    const auto y = runEngine(*net.b.engine, *c1, x);
    const auto yApart = runEngine(*apart.b.engine, *c2, x);
    ASSERT_EQ(y.size(), 1u);
    const int yIndex = apart.b.engine->getBindingIndex("y") - 1;
    ASSERT_EQ(std::memcmp(y[0].data(), yApart[static_cast<size_t>(yIndex)].data(), y[0].size() * 4), 0)
        << "in-place and separate tensors agree bit for bit";
    const std::vector<double> expected = net.reference(x);
    ASSERT_EQ(y[0].size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        ASSERT_NEAR(y[0][i], expected[i], 1e-5) << "element " << i;
}

// A broadcast operand is never overwritten: x (1x8x1x1, an arena tensor) + y (1x8x6x6) cannot
// write over x, and a dynamic extent that may be 1 at run time blocks in-place as well.
TEST(MemoryPlan, BroadcastInputsAreNotOverwritten)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    Built b;
    ITensor* x = b.network->addInput("x", DataType::kFLOAT, Dims4{-1, 8, 6, 6});
    ITensor* v = b.network->addInput("v", DataType::kFLOAT, Dims4{-1, 8, 6, 6});
    ITensor* rx = b.network->addActivation(*x, ActivationType::kRELU)->getOutput(0);
    ITensor* rv = b.network->addActivation(*v, ActivationType::kRELU)->getOutput(0);
    ITensor* sum = b.network->addElementWise(*rx, *rv, ElementWiseOperation::kSUM)->getOutput(0);
    sum->setName("y");
    b.network->markOutput(*sum);
    IOptimizationProfile* p = b.builder->createOptimizationProfile();
    for (const char* name : {"x", "v"})
    {
        p->setDimensions(name, OptProfileSelector::kMIN, Dims4{1, 8, 6, 6});
        p->setDimensions(name, OptProfileSelector::kOPT, Dims4{3, 8, 6, 6});
        p->setDimensions(name, OptProfileSelector::kMAX, Dims4{3, 8, 6, 6});
    }
    b.config->addOptimizationProfile(p);
    b.build();
    ASSERT_NE(b.engine, nullptr);
    // rx is 1 x ... and rv 3 x ...: the sum broadcasts rx over the batch.
    UniquePtr<IExecutionContext> ctx(b.engine->createExecutionContext());
    ASSERT_TRUE(ctx->setBindingDimensions(0, Dims4{1, 8, 6, 6}));
    ASSERT_TRUE(ctx->setBindingDimensions(1, Dims4{3, 8, 6, 6}));
    kiln::test::Rng rng(9);
    const auto xs = kiln::test::randomFloats(288, rng), vs = kiln::test::randomFloats(864, rng);
    std::vector<float> y(864);
    void* bindings[3] = {const_cast<float*>(xs.data()), const_cast<float*>(vs.data()), y.data()};
    ASSERT_TRUE(ctx->executeV2(bindings)) << b.logger.errors();
    for (size_t i = 0; i < y.size(); ++i)
        ASSERT_EQ(y[i], std::max(xs[i % 288], 0.f) + std::max(vs[i], 0.f)) << i;
}

TEST(MemoryPlan, ResNetArenaIsFarBelowTheSumOfActivations)
{
    // Kiln's own tactics only (fewer candidates to time); the memory plan does not depend on them.
    ScopedEnv tactics("KILN_TACTICS", "im2col_gemm,gemm.avx2,pooling.cpu.direct,vector");
    const auto start = std::chrono::steady_clock::now();
    Built b;
    kiln::tools::ZooOptions opt;
    opt.inputSize = 224;
    std::string error;
    ASSERT_TRUE(kiln::tools::buildResNet(*b.network, b.store, opt, 50, error)) << error;
    IOptimizationProfile* p = b.builder->createOptimizationProfile();
    for (auto sel : {OptProfileSelector::kMIN, OptProfileSelector::kOPT, OptProfileSelector::kMAX})
        p->setDimensions("input", sel, Dims4{1, 3, opt.inputSize, opt.inputSize});
    b.config->addOptimizationProfile(p);
    b.build();
    ASSERT_NE(b.engine, nullptr);
    const MemoryPlan plan = memoryPlan(*b.engine);
    const double ratio = double(plan.arena) / double(plan.sumOfActivations());
    std::printf("ResNet-50 %dx%d: arena %llu bytes, sum of activations %llu bytes (%zu tensors), ratio %.4f, build %.1f s\n",
        opt.inputSize, opt.inputSize, static_cast<unsigned long long>(plan.arena),
        static_cast<unsigned long long>(plan.sumOfActivations()), plan.tensors.size(), ratio,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    EXPECT_LT(ratio, 0.25);
    // No two tensors overlap unless one is the other's in-place output; everything fits.
    for (const auto& [name, range] : plan.tensors)
        EXPECT_LE(range.second, plan.arena) << name;
}

//! Runs \p engine's context on \p x with exactly getDeviceMemorySize() caller bytes followed by
//! guard bytes that must stay untouched.
TEST(CallerMemory, ExactlyGetDeviceMemorySizeIsEnough)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    InPlaceNet net(false);
    ASSERT_NE(net.b.engine, nullptr);
    const size_t size = net.b.engine->getDeviceMemorySize();
    ASSERT_GT(size, 0u);
    constexpr size_t kGuard = 4096;
    void* block = std::aligned_alloc(256, (size + kGuard + 255) / 256 * 256);
    auto* bytes = static_cast<uint8_t*>(block);
    std::memset(bytes, 0xA5, size + kGuard);
    UniquePtr<IExecutionContext> ctx(net.b.engine->createExecutionContextWithoutDeviceMemory());
    ctx->setDeviceMemory(block);
    kiln::test::Rng rng(3);
    const std::vector<float> x = kiln::test::randomFloats(4 * 36, rng);
    const auto y = runEngine(*net.b.engine, *ctx, x);
    UniquePtr<IExecutionContext> own(net.b.engine->createExecutionContext());
    const auto yOwn = runEngine(*net.b.engine, *own, x);
    EXPECT_EQ(std::memcmp(y[0].data(), yOwn[0].data(), y[0].size() * 4), 0);
    size_t touched = 0;
    for (size_t i = 0; i < size; ++i)
        touched += bytes[i] != 0xA5;
    EXPECT_GT(touched, 0u) << "the context used the caller's memory";
    for (size_t i = size; i < size + kGuard; ++i)
        ASSERT_EQ(bytes[i], 0xA5) << "guard byte " << i - size << " after the context memory was written";
    ctx.reset();
    std::free(block);
}

TEST(CallerMemory, MisalignedOrMissingMemoryIsAnErrorNotACrash)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    InPlaceNet net(false);
    ASSERT_NE(net.b.engine, nullptr);
    const size_t size = net.b.engine->getDeviceMemorySize();
    ASSERT_GT(size, 0u);
    std::vector<float> x(4 * 36, 0.5f), y(8 * 36);
    void* bindings[2] = {x.data(), y.data()};
    UniquePtr<IExecutionContext> ctx(net.b.engine->createExecutionContextWithoutDeviceMemory());
    net.b.logger.expectErrors();
    EXPECT_FALSE(ctx->executeV2(bindings)) << "no memory yet";
    EXPECT_TRUE(net.b.logger.hasError("setDeviceMemory")) << net.b.logger.errors();
    EXPECT_FALSE(ctx->enqueueV2(bindings, nullptr, nullptr));
    net.b.logger.clear();
    ctx->setDeviceMemory(nullptr);
    EXPECT_TRUE(net.b.logger.hasError("null")) << net.b.logger.errors();
    EXPECT_FALSE(ctx->executeV2(bindings));
    void* block = std::aligned_alloc(256, (size + 256 + 255) / 256 * 256);
    for (size_t misalign : {1, 8, 64, 128})
    {
        net.b.logger.clear();
        ctx->setDeviceMemory(static_cast<char*>(block) + misalign);
        EXPECT_TRUE(net.b.logger.hasError("aligned")) << misalign << ": " << net.b.logger.errors();
        EXPECT_FALSE(ctx->executeV2(bindings)) << "the misaligned pointer was not taken";
    }
    net.b.logger.expectErrors(false);
    ctx->setDeviceMemory(block);
    EXPECT_TRUE(ctx->executeV2(bindings)) << net.b.logger.errors();
    ctx.reset();
    std::free(block);
}

TEST(CallerMemory, OneBufferServesContextsOfTwoEnginesInTurn)
{
    ScopedEnv passes("KILN_DISABLE_PASSES", "all");
    InPlaceNet a(false);
    Built b;
    ITensor* x = b.network->addInput("x", DataType::kFLOAT, Dims4{1, 4, 6, 6});
    ITensor* t = b.conv(*x, 4, 16, 3, 1, 1, "k1", 41)->getOutput(0);
    t = b.network->addActivation(*t, ActivationType::kRELU)->getOutput(0);
    t = b.conv(*t, 16, 6, 3, 1, 0, "k2", 42)->getOutput(0);
    t = b.network->addPoolingNd(*t, PoolingType::kMAX, DimsHW{2, 2})->getOutput(0);
    t->setName("y");
    b.network->markOutput(*t);
    b.build();
    ASSERT_NE(a.b.engine, nullptr);
    ASSERT_NE(b.engine, nullptr);
    const size_t size = std::max(a.b.engine->getDeviceMemorySize(), b.engine->getDeviceMemorySize());
    void* shared = std::aligned_alloc(256, (size + 255) / 256 * 256);
    UniquePtr<IExecutionContext> ca(a.b.engine->createExecutionContextWithoutDeviceMemory());
    UniquePtr<IExecutionContext> cb(b.engine->createExecutionContextWithoutDeviceMemory());
    ca->setDeviceMemory(shared);
    cb->setDeviceMemory(shared);
    UniquePtr<IExecutionContext> oa(a.b.engine->createExecutionContext());
    UniquePtr<IExecutionContext> ob(b.engine->createExecutionContext());
    kiln::test::Rng rng(11);
    for (int round = 0; round < 3; ++round)
    {
        const std::vector<float> x1 = kiln::test::randomFloats(4 * 36, rng);
        const std::vector<float> x2 = kiln::test::randomFloats(4 * 36, rng);
        const auto ya = runEngine(*a.b.engine, *ca, x1);
        const auto yb = runEngine(*b.engine, *cb, x2);
        const auto ya2 = runEngine(*a.b.engine, *ca, x2);
        EXPECT_EQ(ya[0], runEngine(*a.b.engine, *oa, x1)[0]) << round;
        EXPECT_EQ(yb[0], runEngine(*b.engine, *ob, x2)[0]) << round;
        EXPECT_EQ(ya2[0], runEngine(*a.b.engine, *oa, x2)[0]) << round;
    }
    ca.reset();
    cb.reset();
    std::free(shared);
}

} // namespace
