// Engine files through the public API: ICudaEngine::serialize() and IRuntime::deserializeCudaEngine().
// An intact file gives an engine whose outputs are bit-identical to the original's and that
// serializes to the same bytes; every truncated, damaged or foreign file gives nullptr and an error
// in the logger, never a crash. The file layout used to make foreign files is the documented one
// (docs/engine_format.md), read here without Kiln's internals.
#include "support/harness.h"

#include <cstring>
#include <functional>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::UniquePtr;

namespace
{

using Bytes = std::vector<uint8_t>;

Bytes serialized(const ICudaEngine& engine)
{
    UniquePtr<IHostMemory> blob(engine.serialize());
    if (!blob)
        return {};
    const auto* p = static_cast<const uint8_t*>(blob->data());
    return Bytes(p, p + blob->size());
}

//! Runs a one-input, one-output explicit-batch engine.
HostTensor runEngine(ICudaEngine& engine, const HostTensor& input)
{
    UniquePtr<IExecutionContext> ctx(engine.createExecutionContext());
    if (!ctx)
    {
        ADD_FAILURE() << "createExecutionContext failed";
        return {};
    }
    const int32_t in = engine.getBindingIndex("x");
    const int32_t out = engine.getBindingIndex("y");
    EXPECT_TRUE(ctx->setBindingDimensions(in, input.apiDims()));
    const Dims d = ctx->getBindingDimensions(out);
    HostTensor result = HostTensor::zeros(DataType::kFLOAT, std::vector<int32_t>(d.d, d.d + std::max(d.nbDims, 0)));
    std::vector<void*> bindings(2);
    bindings[static_cast<size_t>(in)] = const_cast<void*>(input.data());
    bindings[static_cast<size_t>(out)] = result.data();
    EXPECT_TRUE(ctx->executeV2(bindings.data()));
    return result;
}

//! x -> leaky relu -> tanh -> y: only Activation layers.
void activationChain(NetworkHarness& h, const HostTensor& x)
{
    ITensor* in = h.input("x", x);
    IActivationLayer* a = h.network().addActivation(*in, ActivationType::kLEAKY_RELU);
    a->setAlpha(0.125f);
    IActivationLayer* b = h.network().addActivation(*a->getOutput(0), ActivationType::kTANH);
    b->getOutput(0)->setName("y");
    h.markOutput(b->getOutput(0));
}

//! x -> convolution (kernel, bias) -> scale (shift, scale) -> + constant -> sigmoid -> y: layers
//! with weights, so the weights block and its offsets are part of the file.
struct WeightsNetwork
{
    std::vector<float> kernel, bias, shift, scale, constant;

    void define(NetworkHarness& h, const HostTensor& x, Rng& rng)
    {
        kernel = kiln::test::randomFloats(4 * 3 * 3 * 3, rng);
        bias = kiln::test::randomFloats(4, rng);
        shift = kiln::test::randomFloats(4, rng);
        scale = kiln::test::randomFloats(4, rng);
        constant = kiln::test::randomFloats(4 * 5 * 6, rng);
        const auto w = [](const std::vector<float>& v) {
            return Weights{DataType::kFLOAT, v.data(), static_cast<int64_t>(v.size())};
        };
        ITensor* in = h.input("x", x);
        IConvolutionLayer* conv = h.network().addConvolutionNd(*in, 4, Dims2(3, 3), w(kernel), w(bias));
        conv->setPaddingNd(Dims2(1, 1));
        IScaleLayer* sc = h.network().addScale(*conv->getOutput(0), ScaleMode::kCHANNEL, w(shift), w(scale),
            Weights{DataType::kFLOAT, nullptr, 0});
        IConstantLayer* c = h.network().addConstant(Dims4(1, 4, 5, 6), w(constant));
        IElementWiseLayer* add
            = h.network().addElementWise(*sc->getOutput(0), *c->getOutput(0), ElementWiseOperation::kSUM);
        IActivationLayer* act = h.network().addActivation(*add->getOutput(0), ActivationType::kSIGMOID);
        act->getOutput(0)->setName("y");
        h.markOutput(act->getOutput(0));
    }
};

uint32_t crc32(const uint8_t* p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i)
    {
        c ^= p[i];
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

uint32_t load32(const Bytes& b, size_t at)
{
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

void store32(Bytes& b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
}

//! Header offsets from the documented layout: kilnVersion at 16, then device kind, arch, features.
struct HeaderMap
{
    size_t size, version, kind, arch, features;
};

HeaderMap mapHeader(const Bytes& b)
{
    HeaderMap m{};
    m.size = load32(b, 12);
    m.version = 16;
    m.kind = m.version + 4 + load32(b, m.version);
    m.arch = m.kind + 4;
    m.features = m.arch + 4 + load32(b, m.arch);
    return m;
}

void resealHeader(Bytes& b)
{
    const size_t size = load32(b, 12);
    store32(b, size - 4, crc32(b.data(), size - 4));
}

class EngineFileTest : public ::testing::Test
{
protected:
    //! Builds the network, checks the intact round trip, and keeps the bytes.
    void buildAndRoundTrip(const std::function<void(NetworkHarness&)>& define, const HostTensor& x)
    {
        h.setSerializeRoundTrip(false);
        define(h);
        ICudaEngine* engine = h.build();
        ASSERT_NE(engine, nullptr) << h.logger().errors();
        bytes = serialized(*engine);
        ASSERT_FALSE(bytes.empty());
        EXPECT_EQ(serialized(*engine), bytes);

        runtime.reset(createInferRuntime(h.logger()));
        UniquePtr<ICudaEngine> copy(runtime->deserializeCudaEngine(bytes.data(), bytes.size(), nullptr));
        ASSERT_NE(copy, nullptr) << h.logger().errors();
        EXPECT_EQ(serialized(*copy), bytes);
        EXPECT_EQ(copy->getNbBindings(), engine->getNbBindings());
        EXPECT_EQ(copy->getNbLayers(), engine->getNbLayers());
        const HostTensor expected = runEngine(*engine, x);
        const HostTensor actual = runEngine(*copy, x);
        ASSERT_EQ(actual.dims, expected.dims);
        ASSERT_FALSE(expected.f.empty());
        EXPECT_EQ(0, std::memcmp(actual.f.data(), expected.f.data(), expected.f.size() * sizeof(float)));
    }

    //! Deserializing \p data must fail with an error containing \p needle.
    void expectRefused(const Bytes& data, const std::string& needle, const std::string& what)
    {
        h.logger().expectErrors();
        h.logger().clear();
        ICudaEngine* engine = runtime->deserializeCudaEngine(data.data(), data.size(), nullptr);
        EXPECT_EQ(engine, nullptr) << what;
        if (engine)
            engine->destroy();
        EXPECT_TRUE(h.logger().hasError("deserializeCudaEngine")) << what;
        EXPECT_TRUE(h.logger().hasError(needle)) << what << ": " << h.logger().errors();
    }

    void corruptionSweep()
    {
        const size_t header = load32(bytes, 12);
        for (size_t len = 0; len < bytes.size(); len += (len < header + 4096 ? 1 : 37))
            expectRefused(Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len)),
                len == 0 ? "" : "truncated", "length " + std::to_string(len));
        for (size_t i = 0; i < bytes.size(); i += (i < header + 4096 ? 1 : 37))
        {
            Bytes bad = bytes;
            bad[i] ^= static_cast<uint8_t>(1u << (i % 8));
            const char* needle = i < 8 ? "bad magic" : i < 12 ? "engine format version" : "";
            expectRefused(bad, needle, "bit flip at byte " + std::to_string(i));
        }
    }

    void foreignFiles()
    {
        const HeaderMap m = mapHeader(bytes);
        Bytes bad = bytes;
        bad[m.version + 4 + load32(bad, m.version) - 1] ^= 0x01;
        resealHeader(bad);
        expectRefused(bad, "built by Kiln ", "another Kiln version");
        bad = bytes;
        store32(bad, m.kind, 1);
        resealHeader(bad);
        expectRefused(bad, "built for cuda", "a CUDA engine");
        bad = bytes;
        bad[m.arch + 4] = 'Z';
        resealHeader(bad);
        expectRefused(bad, "this machine is", "another CPU architecture");
        bad = bytes;
        store32(bad, m.features, 0xFFFFFFFFu);
        resealHeader(bad);
        expectRefused(bad, "CPU features this machine lacks", "CPU features");
        bad = bytes;
        store32(bad, 8, 5);
        expectRefused(bad, "engine format version 5, this Kiln reads version 4", "format version");
        expectRefused(Bytes{'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0, 0}, "not a Kiln engine file", "another format");
    }

    NetworkHarness h;
    UniquePtr<IRuntime> runtime;
    Bytes bytes;
};

TEST_F(EngineFileTest, ActivationChainRoundTripsAndRefusesDamage)
{
    Rng rng(11);
    const HostTensor x = kiln::test::randomTensor({2, 3, 5}, rng, -3.f, 3.f);
    buildAndRoundTrip([&](NetworkHarness& n) { activationChain(n, x); }, x);
    if (HasFatalFailure())
        return;
    corruptionSweep();
    foreignFiles();
}

TEST_F(EngineFileTest, WeightsRoundTripAndRefuseDamage)
{
    Rng rng(12);
    const HostTensor x = kiln::test::randomTensor({1, 3, 5, 6}, rng);
    WeightsNetwork net;
    buildAndRoundTrip([&](NetworkHarness& n) { net.define(n, x, rng); }, x);
    if (HasFatalFailure())
        return;
    corruptionSweep();
}

TEST(EngineFile, SameNetworkGivesSameBytes)
{
    // Tactics are chosen by timing; the same timing cache makes the choices, and so the bytes, the same.
    Bytes first;
    UniquePtr<ITimingCache> cache;
    for (int build = 0; build < 2; ++build)
    {
        Rng rng(13);
        const HostTensor x = kiln::test::randomTensor({1, 3, 5, 6}, rng);
        NetworkHarness h;
        h.setSerializeRoundTrip(false);
        if (!cache)
            cache.reset(h.config().createTimingCache(nullptr, 0));
        ASSERT_TRUE(h.config().setTimingCache(*cache, false));
        WeightsNetwork net;
        net.define(h, x, rng);
        ICudaEngine* engine = h.build();
        ASSERT_NE(engine, nullptr) << h.logger().errors();
        const Bytes bytes = serialized(*engine);
        if (build == 0)
            first = bytes;
        else
            EXPECT_EQ(bytes, first) << "two builds of the same network serialize differently";
    }
}

} // namespace
