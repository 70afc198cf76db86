// Cumulative (ONNX CumSum) against a float64 reference.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;
using Shape = std::vector<int32_t>;

namespace
{

//! Each output element sums the input elements of its line on the chosen side of it.
std::vector<double> reference(const std::vector<double>& x, const Shape& dims, int32_t axis, bool exclusive, bool reverse)
{
    int64_t outer = 1, inner = 1;
    for (int32_t i = 0; i < axis; ++i)
        outer *= dims[static_cast<size_t>(i)];
    for (size_t i = static_cast<size_t>(axis) + 1; i < dims.size(); ++i)
        inner *= dims[i];
    const int64_t n = dims[static_cast<size_t>(axis)];
    std::vector<double> y(x.size());
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i)
            for (int64_t j = 0; j < n; ++j)
            {
                double s = 0;
                for (int64_t k = 0; k < n; ++k)
                {
                    const bool take = reverse ? (exclusive ? k > j : k >= j) : (exclusive ? k < j : k <= j);
                    if (take)
                        s += x[static_cast<size_t>((o * n + k) * inner + i)];
                }
                y[static_cast<size_t>((o * n + j) * inner + i)] = s;
            }
    return y;
}

ITensor* axisConstant(NetworkHarness& h, const int32_t* value, bool scalar)
{
    Dims d{};
    d.nbDims = scalar ? 0 : 1;
    d.d[0] = 1;
    IConstantLayer* c = h.network().addConstant(d, Weights{DataType::kINT32, value, 1});
    return c ? c->getOutput(0) : nullptr;
}

TEST(Cumulative, MatchesReference)
{
    Rng rng(4901);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Shape shapes[] = {{7}, {2, 3, 5}, {1, 1, 1}, {3, 1, 4, 2}, {2, 0, 3}, {2, 300}};
    for (const Shape& dims : shapes)
        for (int32_t axis = -static_cast<int32_t>(dims.size()); axis < static_cast<int32_t>(dims.size()); ++axis)
            for (int mode = 0; mode < 4; ++mode)
            {
                const bool exclusive = mode & 1, reverse = mode & 2;
                SCOPED_TRACE("dims " + std::to_string(dims.size()) + " axis " + std::to_string(axis) + " mode "
                    + std::to_string(mode));
                NetworkHarness h;
                const HostTensor x = kiln::test::randomTensor(dims, rng, -2.f, 2.f);
                const int32_t axisValue = axis;
                ITensor* in = h.input("x", x);
                ASSERT_NE(in, nullptr);
                ICumulativeLayer* layer = h.network().addCumulative(
                    *in, *axisConstant(h, &axisValue, mode % 2 == 0), CumulativeOperation::kSUM, exclusive, reverse);
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getType(), LayerType::kCUMULATIVE);
                EXPECT_EQ(layer->getOperation(), CumulativeOperation::kSUM);
                EXPECT_EQ(layer->getExclusive(), exclusive);
                EXPECT_EQ(layer->getReverse(), reverse);
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                const int32_t a = axis < 0 ? axis + static_cast<int32_t>(dims.size()) : axis;
                kiln::test::expectClose(
                    outs[0], dims, reference(std::vector<double>(x.f.begin(), x.f.end()), dims, a, exclusive, reverse), 1e-5, 1e-5);
            }
}

TEST(Cumulative, IntSumsAndSetters)
{
    Rng rng(4902);
    const Shape dims = {3, 4, 5};
    const HostTensor x = kiln::test::randomInts(dims, rng, -100, 100);
    for (int32_t axis : {0, 1, 2, -1})
    {
        NetworkHarness h;
        ITensor* in = h.input("x", x);
        const int32_t axisValue = axis;
        ICumulativeLayer* layer = h.network().addCumulative(*in, *axisConstant(h, &axisValue, true), CumulativeOperation::kSUM, false, false);
        ASSERT_NE(layer, nullptr);
        layer->setExclusive(true);
        layer->setReverse(true);
        EXPECT_TRUE(layer->setOperation(CumulativeOperation::kSUM));
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        ASSERT_EQ(outs[0].type, DataType::kINT32);
        const int32_t a = axis < 0 ? axis + 3 : axis;
        const std::vector<double> e = reference(std::vector<double>(x.i.begin(), x.i.end()), dims, a, true, true);
        kiln::test::expectEqualInts(outs[0], dims, std::vector<int32_t>(e.begin(), e.end()));
    }
}

TEST(Cumulative, KnownIntValuesFeedAReshape)
{
    // cumsum([2, 3]) = [2, 5], then reshape a 10-element tensor to [2, 5].
    NetworkHarness h;
    static const int32_t kShape[] = {2, 3};
    static const int32_t kAxis = 0;
    IConstantLayer* shape = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kShape, 2});
    ICumulativeLayer* cum = h.network().addCumulative(
        *shape->getOutput(0), *axisConstant(h, &kAxis, true), CumulativeOperation::kSUM, false, false);
    ASSERT_NE(cum, nullptr);
    Rng rng(4903);
    const HostTensor x = kiln::test::randomTensor({10}, rng);
    IShuffleLayer* reshape = h.network().addShuffle(*h.input("x", x));
    reshape->setInput(1, *cum->getOutput(0));
    const Dims d = reshape->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[1], 5);
    h.markOutput(reshape->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {2, 5}, std::vector<double>(x.f.begin(), x.f.end()), 0, 0);
}

TEST(Cumulative, ImplicitBatchAxisLeavesTheBatchOut)
{
    Rng rng(4904);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    for (int32_t axis : {0, -1})
    {
        NetworkHarness h(false);
        h.setBatch(2);
        const int32_t axisValue = axis;
        ICumulativeLayer* layer = h.network().addCumulative(
            *h.input("x", x), *axisConstant(h, &axisValue, axis != 0), CumulativeOperation::kSUM, false, false);
        ASSERT_NE(layer, nullptr);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectClose(outs[0], x.dims,
            reference(std::vector<double>(x.f.begin(), x.f.end()), x.dims, axis == 0 ? 1 : 2, false, false), 1e-5, 1e-5);
    }
}

TEST(Cumulative, BadParametersAreReportedWithTheLayerName)
{
    Rng rng(4905);
    const HostTensor x = kiln::test::randomTensor({2, 3}, rng);
    auto expectRejected = [&](const char* name, const HostTensor& value, ITensor* (*makeAxis)(NetworkHarness&, ITensor*)) {
        NetworkHarness h;
        h.logger().expectErrors();
        ITensor* in = h.input("x", value);
        ITensor* axis = makeAxis(h, in);
        ICumulativeLayer* layer = h.network().addCumulative(*in, *axis, CumulativeOperation::kSUM, false, false);
        ASSERT_NE(layer, nullptr);
        layer->setName(name);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr);
        EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
    };
    static const int32_t kTwo = 2;
    static const int32_t kPair[] = {0, 1};
    static const float kFloat = 0.f;
    expectRejected("cum_axis_out_of_range", x, [](NetworkHarness& h, ITensor*) { return axisConstant(h, &kTwo, true); });
    expectRejected("cum_axis_two_values", x, [](NetworkHarness& h, ITensor*) {
        return h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kPair, 2})->getOutput(0);
    });
    expectRejected("cum_axis_float", x, [](NetworkHarness& h, ITensor*) {
        return h.network().addConstant(toDims({1}), Weights{DataType::kFLOAT, &kFloat, 1})->getOutput(0);
    });
    expectRejected("cum_axis_computed", x, [](NetworkHarness& h, ITensor*) {
        // A network input's values are not known at build time.
        return h.input("axis", HostTensor::ints({1}, {0}));
    });
    expectRejected("cum_bool_input", HostTensor::bools({2}, {1, 0}), [](NetworkHarness& h, ITensor*) {
        static const int32_t kZero = 0;
        return axisConstant(h, &kZero, true);
    });

    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    static const int32_t kZero = 0;
    EXPECT_EQ(h.network().addCumulative(*in, *axisConstant(h, &kZero, true), static_cast<CumulativeOperation>(3), false, false),
        nullptr);
    ICumulativeLayer* layer = h.network().addCumulative(*in, *axisConstant(h, &kZero, true), CumulativeOperation::kSUM, false, false);
    ASSERT_NE(layer, nullptr);
    EXPECT_FALSE(layer->setOperation(static_cast<CumulativeOperation>(1)));
    EXPECT_TRUE(h.logger().hasError("addCumulative")) << h.logger().errors();
}

} // namespace
