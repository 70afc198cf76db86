// ParametricReLU against a float64 reference: slopes broadcast per channel, per element and as a
// scalar, at ranks 1..5, a constant slope in implicit batch, and bad inputs.
#include "support/harness.h"

#include <algorithm>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using Shape = std::vector<int32_t>;

namespace
{

int64_t count(const Shape& s)
{
    int64_t n = 1;
    for (int32_t d : s)
        n *= d;
    return n;
}

//! Row-major index into a tensor of dims \p in of output element \p index (dims \p out).
size_t sourceIndex(const Shape& out, const Shape& in, int64_t index)
{
    std::vector<int64_t> coord(out.size());
    for (size_t i = out.size(); i-- > 0;)
    {
        coord[i] = index % out[i];
        index /= out[i];
    }
    int64_t offset = 0;
    for (size_t i = 0; i < in.size(); ++i)
        offset = offset * in[i] + (in[i] == 1 ? 0 : coord[i]);
    return static_cast<size_t>(offset);
}

TEST(ParametricReLU, SlopeBroadcasts)
{
    Rng rng(701);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const std::vector<std::pair<Shape, Shape>> cases = {{{6}, {6}}, {{6}, {1}}, {{2, 3, 4, 5}, {1, 3, 1, 1}},
        {{2, 3, 4, 5}, {2, 3, 4, 5}}, {{2, 3, 4, 5}, {1, 1, 1, 1}}, {{3, 1, 4}, {1, 5, 1}},
        {{2, 2, 3, 1, 4}, {1, 2, 1, 3, 4}}};
    for (const auto& [sx, ss] : cases)
    {
        NetworkHarness h;
        const HostTensor x = kiln::test::randomTensor(sx, rng, -2.f, 2.f);
        const HostTensor s = kiln::test::randomTensor(ss, rng, -0.5f, 0.5f);
        ITensor* tx = h.input("x", x);
        ITensor* ts = h.input("slope", s);
        ASSERT_TRUE(tx && ts);
        IParametricReLULayer* layer = h.network().addParametricReLU(*tx, *ts);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kPARAMETRIC_RELU);
        EXPECT_EQ(layer->getNbInputs(), 2);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        Shape so(sx.size());
        for (size_t i = 0; i < sx.size(); ++i)
            so[i] = std::max(sx[i], ss[i]);
        std::vector<double> expected;
        for (int64_t i = 0; i < count(so); ++i)
        {
            const double v = x.f[sourceIndex(so, sx, i)];
            expected.push_back(v >= 0 ? v : s.f[sourceIndex(so, ss, i)] * v);
        }
        kiln::test::expectClose(outs[0], so, expected, 1e-6, 1e-7);
    }
}

TEST(ParametricReLU, ImplicitBatchWithConstantSlope)
{
    Rng rng(702);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const int32_t batch = 3;
    NetworkHarness h(false);
    h.setBatch(batch);
    const HostTensor x = kiln::test::randomTensor({batch, 4, 2, 3}, rng, -2.f, 2.f);
    const std::vector<float> slope = kiln::test::randomFloats(4, rng, 0.f, 0.5f);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    Dims sd{};
    sd.nbDims = 3;
    sd.d[0] = 4;
    sd.d[1] = 1;
    sd.d[2] = 1;
    IConstantLayer* c = h.network().addConstant(sd, Weights{DataType::kFLOAT, slope.data(), 4});
    ASSERT_NE(c, nullptr);
    IParametricReLULayer* layer = h.network().addParametricReLU(*in, *c->getOutput(0));
    ASSERT_NE(layer, nullptr);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<double> expected;
    for (size_t i = 0; i < x.f.size(); ++i)
    {
        const double v = x.f[i];
        expected.push_back(v >= 0 ? v : slope[(i / 6) % 4] * v);
    }
    kiln::test::expectClose(outs[0], x.dims, expected, 1e-6, 1e-7);
}

void expectRejected(const HostTensor& x, const HostTensor& slope, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* tx = h.input("x", x);
    ITensor* ts = h.input("slope", slope);
    ASSERT_TRUE(tx && ts);
    IParametricReLULayer* layer = h.network().addParametricReLU(*tx, *ts);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(ParametricReLU, BadInputsAreReportedWithTheLayerName)
{
    const HostTensor x = HostTensor::floats({2, 3}, {1, -2, 3, -4, 5, -6});
    expectRejected(x, HostTensor::floats({3}, {1, 2, 3}), "prelu_rank_mismatch");
    expectRejected(x, HostTensor::floats({2, 2}, {1, 2, 3, 4}), "prelu_no_broadcast");
    expectRejected(x, HostTensor::ints({1, 3}, {1, 2, 3}), "prelu_int_slope");
    expectRejected(HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6}), HostTensor::floats({1, 1}, {1}), "prelu_int_input");
}

} // namespace
