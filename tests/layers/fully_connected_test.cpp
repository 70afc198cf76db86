// FullyConnected against a float64 reference: with and without bias, both batch modes ({K,1,1}
// outputs in implicit mode, as sampleMNISTAPI checks), extra leading dims, the setters, and
// invalid parameters.
#include "support/harness.h"

#include <cstring>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;

namespace
{

//! y[m, k] = sum_v x[m, v]·w[k, v] + bias[k], with V the volume of the last three dims.
std::vector<double> fullyConnected(
    const HostTensor& x, const std::vector<float>& w, const std::vector<float>& bias, int32_t k)
{
    const size_t r = x.dims.size();
    const int64_t v = int64_t(x.dims[r - 3]) * x.dims[r - 2] * x.dims[r - 1];
    const int64_t rows = x.count() / v;
    std::vector<double> out;
    for (int64_t m = 0; m < rows; ++m)
        for (int32_t o = 0; o < k; ++o)
        {
            double acc = bias.empty() ? 0.0 : bias[static_cast<size_t>(o)];
            for (int64_t t = 0; t < v; ++t)
                acc += double(x.f[static_cast<size_t>(m * v + t)]) * w[static_cast<size_t>(o * v + t)];
            out.push_back(acc);
        }
    return out;
}

//! IEEE binary16 bits of a value exactly representable in it (normal range or 0).
uint16_t exactHalf(float v)
{
    uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    if ((bits & 0x7fffffffu) == 0)
        return static_cast<uint16_t>(sign);
    const int32_t exponent = static_cast<int32_t>((bits >> 23) & 0xffu) - 127 + 15;
    return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exponent) << 10) | ((bits >> 13) & 0x3ffu));
}

class FullyConnectedTest : public ::testing::TestWithParam<std::tuple<bool, bool>>
{
};

TEST_P(FullyConnectedTest, MatchesReference)
{
    const auto [explicitBatch, withBias] = GetParam();
    kiln::test::Rng rng(91);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    struct Shape
    {
        std::vector<int32_t> dims; //!< values, batch first
        int32_t k;
    };
    std::vector<Shape> shapes = {{{2, 3, 4, 5}, 7}, {{1, 50, 4, 4}, 10}, {{3, 1, 1, 1}, 1}, {{2, 5, 1, 3}, 16}};
    if (explicitBatch)
        shapes.push_back({{2, 3, 2, 3, 4}, 5}); // extra leading dims are kept
    for (const Shape& s : shapes)
    {
        NetworkHarness h(explicitBatch);
        h.setBatch(s.dims[0]);
        const HostTensor x = kiln::test::randomTensor(s.dims, rng);
        const size_t r = s.dims.size();
        const int64_t v = int64_t(s.dims[r - 3]) * s.dims[r - 2] * s.dims[r - 1];
        const std::vector<float> w = kiln::test::randomFloats(v * s.k, rng);
        const std::vector<float> bias = withBias ? kiln::test::randomFloats(s.k, rng) : std::vector<float>{};
        IFullyConnectedLayer* layer = h.network().addFullyConnected(*h.input("x", x), s.k,
            Weights{DataType::kFLOAT, w.data(), v * s.k},
            Weights{DataType::kFLOAT, withBias ? bias.data() : nullptr, s.k * withBias});
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kFULLY_CONNECTED);
        EXPECT_EQ(layer->getNbOutputChannels(), s.k);
        EXPECT_EQ(layer->getKernelWeights().count, v * s.k);
        EXPECT_EQ(layer->getBiasWeights().count, withBias ? s.k : 0);
        const Dims d = layer->getOutput(0)->getDimensions();
        const auto expectedRank = static_cast<int32_t>(explicitBatch ? r : r - 1);
        ASSERT_EQ(d.nbDims, expectedRank); // {K,1,1} in implicit mode
        EXPECT_EQ(d.d[expectedRank - 3], s.k);
        EXPECT_EQ(d.d[expectedRank - 2], 1);
        EXPECT_EQ(d.d[expectedRank - 1], 1);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<int32_t> outDims(s.dims.begin(), s.dims.end() - 3);
        outDims.insert(outDims.end(), {s.k, 1, 1});
        kiln::test::expectClose(outs[0], outDims, fullyConnected(x, w, bias, s.k), 1e-5, 1e-5);
    }
}

INSTANTIATE_TEST_SUITE_P(ModesAndBias, FullyConnectedTest, ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(FullyConnected, SettersReplaceParameters)
{
    kiln::test::Rng rng(92);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({2, 3, 2, 2}, rng);
    const std::vector<float> w1 = kiln::test::randomFloats(12 * 2, rng);
    const std::vector<float> w2 = kiln::test::randomFloats(12 * 4, rng);
    const std::vector<float> b2 = kiln::test::randomFloats(4, rng);
    IFullyConnectedLayer* layer = h.network().addFullyConnected(
        *h.input("x", x), 2, Weights{DataType::kFLOAT, w1.data(), 24}, Weights{DataType::kFLOAT, nullptr, 0});
    layer->setNbOutputChannels(4);
    layer->setKernelWeights(Weights{DataType::kFLOAT, w2.data(), 48});
    layer->setBiasWeights(Weights{DataType::kFLOAT, b2.data(), 4});
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {2, 4, 1, 1}, fullyConnected(x, w2, b2, 4), 1e-5, 1e-5);
}

TEST(FullyConnected, HalfWeightsGiveTheSameResultAsFloat)
{
    kiln::test::Rng rng(93);
    NetworkHarness h(false);
    h.setBatch(2);
    const HostTensor x = kiln::test::randomTensor({2, 4, 3, 3}, rng);
    std::vector<float> w, b;
    std::vector<uint16_t> wh, bh;
    for (int32_t i = 0; i < 36 * 6; ++i)
    {
        w.push_back(static_cast<float>(rng.uniformInt(-32, 32)) / 16.f);
        wh.push_back(exactHalf(w.back()));
    }
    for (int32_t i = 0; i < 6; ++i)
    {
        b.push_back(static_cast<float>(rng.uniformInt(-32, 32)) / 16.f);
        bh.push_back(exactHalf(b.back()));
    }
    IFullyConnectedLayer* layer = h.network().addFullyConnected(
        *h.input("x", x), 6, Weights{DataType::kHALF, wh.data(), 36 * 6}, Weights{DataType::kHALF, bh.data(), 6});
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {2, 6, 1, 1}, fullyConnected(x, w, b, 6), 1e-5, 1e-5);
}

TEST(FullyConnected, InvalidParametersFailTheBuildNamingTheLayer)
{
    static const float kValues[64] = {};
    static const int32_t kInts[24] = {};
    struct Case
    {
        const char* name;
        std::vector<int32_t> dims;
        int32_t k;
        Weights kernel, bias;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"short_kernel", {1, 3, 2, 2}, 2, Weights{DataType::kFLOAT, kValues, 23}, Weights{DataType::kFLOAT, nullptr, 0},
            "expected 24"},
        {"long_bias", {1, 3, 2, 2}, 2, Weights{DataType::kFLOAT, kValues, 24}, Weights{DataType::kFLOAT, kValues, 3},
            "expected 2"},
        {"int_kernel", {1, 3, 2, 2}, 2, Weights{DataType::kINT32, kInts, 24}, Weights{DataType::kFLOAT, nullptr, 0},
            "INT32"},
        {"rank_two", {4, 6}, 2, Weights{DataType::kFLOAT, kValues, 12}, Weights{DataType::kFLOAT, nullptr, 0},
            "rank 2"},
        {"zero_outputs", {1, 3, 2, 2}, 0, Weights{DataType::kFLOAT, kValues, 24}, Weights{DataType::kFLOAT, nullptr, 0},
            "positive"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IFullyConnectedLayer* layer = h.network().addFullyConnected(
            *h.input("x", HostTensor::zeros(DataType::kFLOAT, c.dims)), 2, c.kernel, c.bias);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        layer->setNbOutputChannels(c.k);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

} // namespace
