// IRefitter (TRT_API.md §7.1, guide 2.7): for every fusion the optimizer performs, an engine built
// with kREFIT and refit with new weights equals a fresh build with those weights (same tactics,
// same outputs); getMissing names the partners of a partly set fused group; misuse returns false
// with an error; only refittable engines keep the network. (Refit during execution:
// tests/api/concurrency_test.cpp, which also runs under ThreadSanitizer.)
#include "support/harness.h"

#include <cstring>
#include <functional>
#include <map>
#include <set>

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::HostTensor;
using kiln::test::Rng;
using kiln::test::UniquePtr;

namespace
{

//! Named network weights, values drawn from one seed per generation: the same network defined
//! twice with different generations differs only in its weights.
class WeightsStore
{
public:
    explicit WeightsStore(uint32_t generation)
        : mGeneration(generation)
    {
    }
    //! Weights for (layer, role), \p count values in [lo, hi).
    Weights get(const std::string& layer, WeightsRole role, int64_t count, float lo = -0.5f, float hi = 0.5f)
    {
        auto& v = mValues[{layer, role}];
        if (v.empty())
        {
            Rng rng(static_cast<uint32_t>(std::hash<std::string>()(layer) % 100000) * 31 + static_cast<uint32_t>(role) * 7 + mGeneration * 1009);
            v = kiln::test::randomFloats(count, rng, lo, hi);
        }
        return Weights{DataType::kFLOAT, v.data(), count};
    }
    const std::map<std::pair<std::string, WeightsRole>, std::vector<float>>& all() const { return mValues; }

private:
    uint32_t mGeneration;
    std::map<std::pair<std::string, WeightsRole>, std::vector<float>> mValues;
};

using Define = std::function<void(INetworkDefinition&, WeightsStore&)>;

struct Built
{
    UniquePtr<IBuilder> builder;
    UniquePtr<ICudaEngine> engine;
};

//! Builds \p define with \p weights; kREFIT when \p refit. \p cache keeps tactic choices equal.
Built build(CapturingLogger& logger, const Define& define, WeightsStore& weights, bool refit, ITimingCache* cache)
{
    Built b;
    b.builder.reset(createInferBuilder(logger));
    UniquePtr<INetworkDefinition> network(b.builder->createNetworkV2(1u << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    define(*network, weights);
    UniquePtr<IBuilderConfig> config(b.builder->createBuilderConfig());
    if (refit)
        config->setFlag(BuilderFlag::kREFIT);
    if (cache)
        config->setTimingCache(*cache, false);
    b.engine.reset(b.builder->buildEngineWithConfig(*network, *config));
    EXPECT_NE(b.engine, nullptr) << logger.errors();
    return b;
}

//! Runs a one-input ("x"), one-output ("y") engine.
std::vector<float> run(ICudaEngine& engine, const HostTensor& x)
{
    UniquePtr<IExecutionContext> ctx(engine.createExecutionContext());
    EXPECT_NE(ctx, nullptr);
    if (!ctx)
        return {};
    const int32_t in = engine.getBindingIndex("x");
    const int32_t out = engine.getBindingIndex("y");
    EXPECT_TRUE(ctx->setBindingDimensions(in, x.apiDims()));
    const Dims d = ctx->getBindingDimensions(out);
    HostTensor y = HostTensor::zeros(DataType::kFLOAT, std::vector<int32_t>(d.d, d.d + std::max(d.nbDims, 0)));
    std::vector<void*> bindings(2);
    bindings[static_cast<size_t>(in)] = const_cast<void*>(x.data());
    bindings[static_cast<size_t>(out)] = y.data();
    EXPECT_TRUE(ctx->executeV2(bindings.data()));
    return y.f;
}

//! Every engine layer's tactic, from the inspector's JSON.
std::string tactics(const ICudaEngine& engine)
{
    std::unique_ptr<IEngineInspector> inspector(engine.createEngineInspector());
    std::string json = inspector->getEngineInformation(LayerInformationFormat::kJSON);
    std::string out;
    for (size_t at = json.find("\"TacticName\":"); at != std::string::npos; at = json.find("\"TacticName\":", at + 1))
        out += json.substr(at, json.find(',', at) - at) + "\n";
    return out;
}

void expectRelClose(const std::vector<float>& a, const std::vector<float>& b, const std::string& what)
{
    ASSERT_EQ(a.size(), b.size()) << what;
    ASSERT_FALSE(a.empty()) << what;
    for (size_t i = 0; i < a.size(); ++i)
        ASSERT_LE(std::fabs(a[i] - b[i]), 1e-5 * std::max(1.f, std::fabs(b[i]))) << what << ": element " << i;
}

struct Pairs
{
    std::vector<std::string> names;
    std::vector<WeightsRole> roles;
    std::set<std::pair<std::string, WeightsRole>> set() const
    {
        std::set<std::pair<std::string, WeightsRole>> s;
        for (size_t i = 0; i < names.size(); ++i)
            s.insert({names[i], roles[i]});
        return s;
    }
};

//! What getMissing or getAll lists, through the size protocol (count first, then the entries).
Pairs list(IRefitter& r, int32_t (IRefitter::*query)(int32_t, const char**, WeightsRole*))
{
    const int32_t n = (r.*query)(0, nullptr, nullptr);
    std::vector<const char*> names(static_cast<size_t>(n));
    Pairs p;
    p.roles.resize(static_cast<size_t>(n));
    EXPECT_EQ((r.*query)(n, names.data(), p.roles.data()), n);
    p.names.assign(names.begin(), names.end());
    return p;
}

Pairs missing(IRefitter& r)
{
    return list(r, &IRefitter::getMissing);
}

Pairs all(IRefitter& r)
{
    return list(r, &IRefitter::getAll);
}

IConvolutionLayer* conv(INetworkDefinition& n, ITensor& x, WeightsStore& w, const std::string& name, int32_t c, int32_t k, bool bias = true)
{
    IConvolutionLayer* l = n.addConvolutionNd(x, k, Dims2{3, 3}, w.get(name, WeightsRole::kKERNEL, int64_t{k} * c * 9),
        bias ? w.get(name, WeightsRole::kBIAS, k) : Weights{DataType::kFLOAT, nullptr, 0});
    l->setPaddingNd(Dims2{1, 1});
    l->setName(name.c_str());
    return l;
}

//! A Scale layer with shift and scale (scale in [0.5, 1.5)) of \p count values, no power.
IScaleLayer* scale(INetworkDefinition& n, ITensor& x, WeightsStore& w, const std::string& name, ScaleMode mode, int32_t count)
{
    IScaleLayer* l = n.addScale(x, mode, w.get(name, WeightsRole::kSHIFT, count), w.get(name, WeightsRole::kSCALE, count, 0.5f, 1.5f),
        Weights{DataType::kFLOAT, nullptr, 0});
    l->setName(name.c_str());
    return l;
}

ITensor* input(INetworkDefinition& n)
{
    return n.addInput("x", DataType::kFLOAT, Dims4{1, 8, 6, 6});
}

void output(INetworkDefinition& n, ITensor& t)
{
    t.setName("y");
    n.markOutput(t);
}

struct FusionCase
{
    const char* name;
    Define define;
    //! Setting this (layer, role) alone must make exactly these missing.
    std::pair<std::string, WeightsRole> partial;
    std::set<std::pair<std::string, WeightsRole>> partners;
};

std::vector<FusionCase> fusionCases()
{
    std::vector<FusionCase> cases;
    // Convolution + batch norm (Scale kCHANNEL) + ReLU, then a convolution left alone.
    cases.push_back({"conv_batchnorm_relu",
        [](INetworkDefinition& n, WeightsStore& w) {
            IConvolutionLayer* c1 = conv(n, *input(n), w, "conv1", 8, 16);
            IScaleLayer* bn = scale(n, *c1->getOutput(0), w, "bn1", ScaleMode::kCHANNEL, 16);
            IActivationLayer* relu = n.addActivation(*bn->getOutput(0), ActivationType::kRELU);
            output(n, *conv(n, *relu->getOutput(0), w, "conv2", 16, 8)->getOutput(0));
        },
        {"bn1", WeightsRole::kSCALE},
        {{"conv1", WeightsRole::kKERNEL}, {"conv1", WeightsRole::kBIAS}, {"bn1", WeightsRole::kSHIFT}}});
    // A per-channel Constant added to a convolution's output: folded into its bias.
    cases.push_back({"conv_constant_bias",
        [](INetworkDefinition& n, WeightsStore& w) {
            IConvolutionLayer* c1 = conv(n, *input(n), w, "conv1", 8, 16);
            IConstantLayer* k = n.addConstant(Dims4{1, 16, 1, 1}, w.get("shift", WeightsRole::kCONSTANT, 16));
            k->setName("shift");
            IElementWiseLayer* add = n.addElementWise(*c1->getOutput(0), *k->getOutput(0), ElementWiseOperation::kSUM);
            output(n, *add->getOutput(0));
        },
        {"shift", WeightsRole::kCONSTANT},
        {{"conv1", WeightsRole::kKERNEL}, {"conv1", WeightsRole::kBIAS}}});
    // Residual: conv -> conv -> add(., first) -> relu (epilogue), and a fully connected layer with
    // a uniform scale folded into it.
    cases.push_back({"residual_and_fc_scale",
        [](INetworkDefinition& n, WeightsStore& w) {
            IConvolutionLayer* c1 = conv(n, *input(n), w, "conv1", 8, 8);
            IConvolutionLayer* c2 = conv(n, *c1->getOutput(0), w, "conv2", 8, 8);
            IElementWiseLayer* add = n.addElementWise(*c2->getOutput(0), *c1->getOutput(0), ElementWiseOperation::kSUM);
            IActivationLayer* relu = n.addActivation(*add->getOutput(0), ActivationType::kRELU);
            IFullyConnectedLayer* fc = n.addFullyConnected(*relu->getOutput(0), 10, w.get("fc", WeightsRole::kKERNEL, 10 * 8 * 36),
                w.get("fc", WeightsRole::kBIAS, 10));
            fc->setName("fc");
            output(n, *scale(n, *fc->getOutput(0), w, "fcscale", ScaleMode::kUNIFORM, 1)->getOutput(0));
        },
        {"fcscale", WeightsRole::kSHIFT},
        {{"fc", WeightsRole::kKERNEL}, {"fc", WeightsRole::kBIAS}, {"fcscale", WeightsRole::kSCALE}}});
    // Constant folding: exp(Constant) becomes one Constant; then added to the input.
    cases.push_back({"constant_folding",
        [](INetworkDefinition& n, WeightsStore& w) {
            ITensor* x = input(n);
            IConstantLayer* k = n.addConstant(Dims4{1, 8, 6, 6}, w.get("table", WeightsRole::kCONSTANT, 8 * 36));
            k->setName("table");
            IUnaryLayer* e = n.addUnary(*k->getOutput(0), UnaryOperation::kEXP);
            IElementWiseLayer* add = n.addElementWise(*x, *e->getOutput(0), ElementWiseOperation::kPROD);
            output(n, *n.addActivation(*add->getOutput(0), ActivationType::kTANH)->getOutput(0));
        },
        {"table", WeightsRole::kCONSTANT},
        {}});
    // Scales in a point-wise chain: lowered to Constants inside a PointwiseChain.
    cases.push_back({"pointwise_chain_scales",
        [](INetworkDefinition& n, WeightsStore& w) {
            ITensor* x = input(n);
            IScaleLayer* s1 = scale(n, *x, w, "s1", ScaleMode::kCHANNEL, 8);
            IActivationLayer* sig = n.addActivation(*s1->getOutput(0), ActivationType::kSIGMOID);
            output(n, *scale(n, *sig->getOutput(0), w, "s2", ScaleMode::kUNIFORM, 1)->getOutput(0));
        },
        // Both scales run in one PointwiseChain: the optimizer merged them, so they are one group.
        {"s1", WeightsRole::kSCALE},
        {{"s1", WeightsRole::kSHIFT}, {"s2", WeightsRole::kSCALE}, {"s2", WeightsRole::kSHIFT}}});
    return cases;
}

class RefitFusions : public ::testing::TestWithParam<size_t>
{
};

TEST_P(RefitFusions, RefitEqualsAFreshBuildWithTheNewWeights)
{
    const FusionCase c = fusionCases()[GetParam()];
    SCOPED_TRACE(c.name);
    CapturingLogger logger;
    UniquePtr<IBuilder> b(createInferBuilder(logger));
    UniquePtr<IBuilderConfig> cfg(b->createBuilderConfig());
    UniquePtr<ITimingCache> cache(cfg->createTimingCache(nullptr, 0));
    WeightsStore first(1), second(2);
    Built refittable = build(logger, c.define, first, true, cache.get());
    Built fresh = build(logger, c.define, second, false, cache.get());
    ASSERT_TRUE(refittable.engine && fresh.engine);
    EXPECT_TRUE(refittable.engine->isRefittable());
    EXPECT_FALSE(fresh.engine->isRefittable());
    Rng rng(5);
    const HostTensor x = kiln::test::randomTensor({1, 8, 6, 6}, rng);
    const std::vector<float> before = run(*refittable.engine, x);
    const std::vector<float> expected = run(*fresh.engine, x);

    UniquePtr<IRefitter> refitter(createInferRefitter(*refittable.engine, logger));
    ASSERT_NE(refitter, nullptr) << logger.errors();
    // Nothing set: nothing missing.
    EXPECT_EQ(refitter->getMissing(0, nullptr, nullptr), 0);
    // getAll lists every network weight the case defines.
    const Pairs every = all(*refitter);
    EXPECT_EQ(every.set().size(), second.all().size());
    // Part of a fused group: exactly its partners are missing, and refit refuses.
    const auto& pv = second.all().at(c.partial);
    ASSERT_TRUE(refitter->setWeights(c.partial.first.c_str(), c.partial.second,
        Weights{DataType::kFLOAT, pv.data(), static_cast<int64_t>(pv.size())}));
    EXPECT_EQ(missing(*refitter).set(), c.partners);
    if (!c.partners.empty())
    {
        logger.expectErrors();
        EXPECT_FALSE(refitter->refitCudaEngine());
        EXPECT_TRUE(logger.hasError("missing")) << logger.errors();
        logger.expectErrors(false);
    }
    // The guide's loop: supply exactly what is missing; that never makes anything else missing.
    const Pairs m = missing(*refitter);
    for (size_t i = 0; i < m.names.size(); ++i)
    {
        const auto& v = second.all().at({m.names[i], m.roles[i]});
        ASSERT_TRUE(refitter->setWeights(m.names[i].c_str(), m.roles[i], Weights{DataType::kFLOAT, v.data(), static_cast<int64_t>(v.size())}));
    }
    EXPECT_EQ(refitter->getMissing(0, nullptr, nullptr), 0);
    // Then every other weight too, so the engine should equal the fresh build.
    for (const auto& [key, v] : second.all())
        ASSERT_TRUE(refitter->setWeights(key.first.c_str(), key.second, Weights{DataType::kFLOAT, v.data(), static_cast<int64_t>(v.size())}));
    ASSERT_TRUE(refitter->refitCudaEngine()) << logger.errors();
    const std::vector<float> after = run(*refittable.engine, x);
    EXPECT_EQ(tactics(*refittable.engine), tactics(*fresh.engine));
    expectRelClose(after, expected, "refit vs fresh build");
    bool changed = false;
    for (size_t i = 0; i < after.size() && i < before.size(); ++i)
        changed = changed || after[i] != before[i];
    EXPECT_TRUE(changed) << "the new weights changed nothing";

    // The refit engine serializes with its new weights and stays refittable.
    UniquePtr<IHostMemory> blob(refittable.engine->serialize());
    UniquePtr<IRuntime> runtime(createInferRuntime(logger));
    UniquePtr<ICudaEngine> copy(runtime->deserializeCudaEngine(blob->data(), blob->size(), nullptr));
    ASSERT_NE(copy, nullptr) << logger.errors();
    EXPECT_TRUE(copy->isRefittable());
    expectRelClose(run(*copy, x), expected, "deserialized refit engine vs fresh build");
    // Back to the first weights through the copy.
    UniquePtr<IRefitter> back(createInferRefitter(*copy, logger));
    ASSERT_NE(back, nullptr);
    for (const auto& [key, v] : first.all())
        ASSERT_TRUE(back->setWeights(key.first.c_str(), key.second, Weights{DataType::kFLOAT, v.data(), static_cast<int64_t>(v.size())}));
    ASSERT_TRUE(back->refitCudaEngine()) << logger.errors();
    expectRelClose(run(*copy, x), before, "refit back to the first weights");
}

INSTANTIATE_TEST_SUITE_P(EveryFusion, RefitFusions, ::testing::Range<size_t>(0, 5),
    [](const ::testing::TestParamInfo<size_t>& info) { return std::string(fusionCases()[info.param].name); });

TEST(Refit, MisuseReturnsFalseWithAnError)
{
    const FusionCase c = fusionCases()[0];
    CapturingLogger logger;
    WeightsStore w(1);
    Built built = build(logger, c.define, w, true, nullptr);
    ASSERT_NE(built.engine, nullptr);
    UniquePtr<IRefitter> r(createInferRefitter(*built.engine, logger));
    ASSERT_NE(r, nullptr);
    logger.expectErrors();
    std::vector<float> v(16 * 8 * 9, 0.25f);
    EXPECT_FALSE(r->setWeights("nope", WeightsRole::kKERNEL, Weights{DataType::kFLOAT, v.data(), 16 * 8 * 9}));
    EXPECT_TRUE(logger.hasError("no layer 'nope'"));
    EXPECT_FALSE(r->setWeights("conv1", WeightsRole::kSCALE, Weights{DataType::kFLOAT, v.data(), 16}));
    EXPECT_TRUE(logger.hasError("has no refittable kSCALE"));
    EXPECT_FALSE(r->setWeights("conv1", WeightsRole::kKERNEL, Weights{DataType::kFLOAT, v.data(), 7}));
    EXPECT_TRUE(logger.hasError("not 7"));
    EXPECT_FALSE(r->setWeights("conv1", WeightsRole::kKERNEL, Weights{DataType::kFLOAT, nullptr, 16 * 8 * 9}));
    EXPECT_FALSE(r->setWeights(nullptr, WeightsRole::kKERNEL, Weights{DataType::kFLOAT, v.data(), 16 * 8 * 9}));
    // Nothing set: nothing missing, and a refit changes nothing but succeeds.
    EXPECT_EQ(r->getMissing(0, nullptr, nullptr), 0);
    logger.expectErrors(false);
    EXPECT_TRUE(r->refitCudaEngine()) << logger.errors();
    // The size protocol writes at most `size` entries.
    const int32_t n = r->getAll(0, nullptr, nullptr);
    ASSERT_GE(n, 2);
    std::vector<const char*> names(static_cast<size_t>(n), nullptr);
    EXPECT_EQ(r->getAll(1, names.data(), nullptr), n);
    EXPECT_NE(names[0], nullptr);
    EXPECT_EQ(names[1], nullptr);
    // INT8 dynamic ranges do not exist on FP32 engines.
    logger.expectErrors();
    EXPECT_FALSE(r->setDynamicRange("x", -1.f, 1.f));
    EXPECT_EQ(r->getTensorsWithDynamicRange(0, nullptr), 0);
}

TEST(Refit, OnlyRefittableEnginesKeepTheNetwork)
{
    const FusionCase c = fusionCases()[0];
    CapturingLogger logger;
    UniquePtr<IBuilder> b(createInferBuilder(logger));
    UniquePtr<IBuilderConfig> cfg(b->createBuilderConfig());
    UniquePtr<ITimingCache> cache(cfg->createTimingCache(nullptr, 0));
    WeightsStore w(1);
    Built plain = build(logger, c.define, w, false, cache.get());
    Built refittable = build(logger, c.define, w, true, cache.get());
    ASSERT_TRUE(plain.engine && refittable.engine);
    EXPECT_FALSE(plain.engine->isRefittable());
    logger.expectErrors();
    EXPECT_EQ(createInferRefitter(*plain.engine, logger), nullptr);
    EXPECT_TRUE(logger.hasError("not refittable"));
    UniquePtr<IHostMemory> a(plain.engine->serialize());
    UniquePtr<IHostMemory> r(refittable.engine->serialize());
    // The refittable file holds the network's weights a second time.
    size_t networkBytes = 0;
    for (const auto& [key, v] : w.all())
        networkBytes += v.size() * sizeof(float);
    EXPECT_GE(r->size(), a->size() + networkBytes);
}

TEST(Refit, RefittableEnginesHaveOneProfile)
{
    CapturingLogger logger;
    logger.expectErrors();
    UniquePtr<IBuilder> b(createInferBuilder(logger));
    UniquePtr<INetworkDefinition> n(b->createNetworkV2(1u << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    ITensor* x = n->addInput("x", DataType::kFLOAT, Dims2{-1, 4});
    n->markOutput(*n->addActivation(*x, ActivationType::kRELU)->getOutput(0));
    UniquePtr<IBuilderConfig> cfg(b->createBuilderConfig());
    cfg->setFlag(BuilderFlag::kREFIT);
    for (int k = 0; k < 2; ++k)
    {
        IOptimizationProfile* p = b->createOptimizationProfile();
        p->setDimensions("x", OptProfileSelector::kMIN, Dims2{1, 4});
        p->setDimensions("x", OptProfileSelector::kOPT, Dims2{2, 4});
        p->setDimensions("x", OptProfileSelector::kMAX, Dims2{4, 4});
        cfg->addOptimizationProfile(p);
    }
    UniquePtr<ICudaEngine> e(b->buildEngineWithConfig(*n, *cfg));
    EXPECT_EQ(e, nullptr);
    EXPECT_TRUE(logger.hasError("only one optimization profile")) << logger.errors();
}

} // namespace
