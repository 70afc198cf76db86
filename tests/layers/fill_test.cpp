// Fill: linspace against a float64 reference, random fills by their statistics.
#include "support/harness.h"

#include <algorithm>
#include <cmath>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;
using Shape = std::vector<int32_t>;

namespace
{

std::vector<double> ramp(const Shape& dims, double start, const std::vector<double>& delta)
{
    int64_t n = 1;
    for (int32_t e : dims)
        n *= e;
    std::vector<double> y;
    for (int64_t i = 0; i < n; ++i)
    {
        double v = start;
        int64_t rest = i;
        for (size_t k = dims.size(); k-- > 0;)
        {
            v += delta[k] * static_cast<double>(rest % dims[k]);
            rest /= dims[k];
        }
        y.push_back(v);
    }
    return y;
}

template <typename T>
ITensor* constant(NetworkHarness& h, const Shape& dims, const std::vector<T>& values)
{
    const DataType type = std::is_same<T, int32_t>::value ? DataType::kINT32 : DataType::kFLOAT;
    IConstantLayer* c = h.network().addConstant(toDims(dims), Weights{type, values.data(), static_cast<int64_t>(values.size())});
    return c ? c->getOutput(0) : nullptr;
}

TEST(Fill, LinspaceFromFields)
{
    const std::pair<Shape, bool> cases[] = {{{7}, true}, {{1}, true}, {{0}, true}, {{2, 3, 4}, true}, {{3, 5}, false}, {{}, true}};
    for (const auto& [dims, explicitBatch] : cases)
    {
        NetworkHarness h(explicitBatch);
        IFillLayer* layer = h.network().addFill(toDims(dims), FillOperation::kLINSPACE);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kFILL);
        EXPECT_EQ(layer->getOperation(), FillOperation::kLINSPACE);
        EXPECT_EQ(layer->getAlpha(), 0.0);
        EXPECT_EQ(layer->getBeta(), 1.0);
        layer->setAlpha(-2.5);
        layer->setBeta(0.25);
        EXPECT_EQ(layer->getAlpha(), -2.5);
        EXPECT_EQ(layer->getBeta(), 0.25);
        EXPECT_EQ(layer->getDimensions().nbDims, static_cast<int32_t>(dims.size()));
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> delta(dims.size(), 0.0);
        if (!dims.empty())
            delta.back() = 0.25;
        Shape outDims = dims;
        if (!explicitBatch)
            outDims.insert(outDims.begin(), 1); // batch 1 of a broadcast constant
        kiln::test::expectClose(outs[0], outDims, ramp(dims, -2.5, delta), 0, 1e-6);
    }
}

TEST(Fill, LinspaceFromInputs)
{
    // ConstantOfShape-style (shape tensor + delta 0) and full control over every axis.
    NetworkHarness h;
    Rng rng(3301);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    IShapeLayer* shape = h.network().addShape(*h.input("x", x));
    IFillLayer* zeros = h.network().addFill(toDims({0}), FillOperation::kLINSPACE);
    ASSERT_NE(zeros, nullptr);
    const std::vector<float> seven = {7.f};
    const std::vector<float> noDelta = {0.f, 0.f, 0.f};
    zeros->setInput(0, *shape->getOutput(0));
    zeros->setInput(1, *constant(h, {}, seven));
    zeros->setInput(2, *constant(h, {3}, noDelta));
    const Dims d = zeros->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 3);
    EXPECT_EQ(d.d[2], 4);
    h.markOutput(zeros->getOutput(0));

    IFillLayer* grid = h.network().addFill(toDims({0}), FillOperation::kLINSPACE);
    const std::vector<float> start = {1.5f};
    const std::vector<float> steps = {100.f, -10.f, 0.5f};
    grid->setInput(0, *shape->getOutput(0));
    grid->setInput(1, *constant(h, {1}, start));
    grid->setInput(2, *constant(h, {3}, steps));
    h.markOutput(grid->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectClose(outs[0], {2, 3, 4}, std::vector<double>(24, 7.0), 0, 0);
    kiln::test::expectClose(outs[1], {2, 3, 4}, ramp({2, 3, 4}, 1.5, {100, -10, 0.5}), 0, 1e-5);
}

TEST(Fill, IntRangeFeedsAReshape)
{
    // Range(2, 8, 3) = [2, 5] as INT32 with known values, used as reshape dimensions.
    NetworkHarness h;
    const std::vector<int32_t> length = {2};
    const std::vector<int32_t> start = {2};
    const std::vector<int32_t> delta = {3};
    IFillLayer* range = h.network().addFill(toDims({0}), FillOperation::kLINSPACE);
    range->setInput(0, *constant(h, {1}, length));
    range->setInput(1, *constant(h, {}, start));
    range->setInput(2, *constant(h, {1}, delta));
    EXPECT_EQ(range->getOutput(0)->getType(), DataType::kINT32);
    Rng rng(3302);
    const HostTensor x = kiln::test::randomTensor({10}, rng);
    IShuffleLayer* reshape = h.network().addShuffle(*h.input("x", x));
    reshape->setInput(1, *range->getOutput(0));
    const Dims d = reshape->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], 2);
    EXPECT_EQ(d.d[1], 5);
    h.markOutput(reshape->getOutput(0));
    h.markOutput(range->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectEqualInts(outs[1], {2}, {2, 5});
}

TEST(Fill, IntOutputFromSetOutputType)
{
    NetworkHarness h;
    IFillLayer* layer = h.network().addFill(toDims({6}), FillOperation::kLINSPACE);
    layer->setAlpha(3000000000.0); // beyond int32: saturates
    layer->setBeta(-1e9);
    layer->setOutputType(0, DataType::kINT32);
    EXPECT_EQ(layer->getOutput(0)->getType(), DataType::kINT32);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectEqualInts(outs[0], {6}, {2147483647, 2000000000, 1000000000, 0, -1000000000, -2000000000});
}

TEST(Fill, RandomUniformAndNormalStatistics)
{
    const int32_t n = 20000;
    for (FillOperation op : {FillOperation::kRANDOM_UNIFORM, FillOperation::kRANDOM_NORMAL})
    {
        NetworkHarness h;
        IFillLayer* layer = h.network().addFill(toDims({4, n / 4}), op);
        ASSERT_NE(layer, nullptr);
        layer->setAlpha(op == FillOperation::kRANDOM_UNIFORM ? -1.0 : 3.0);
        layer->setBeta(op == FillOperation::kRANDOM_UNIFORM ? 3.0 : 0.5);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        ASSERT_EQ(outs[0].f.size(), static_cast<size_t>(n));
        double mean = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
        for (float v : outs[0].f)
        {
            mean += v;
            lo = std::min<double>(lo, v);
            hi = std::max<double>(hi, v);
        }
        mean /= n;
        for (float v : outs[0].f)
            sq += (v - mean) * (v - mean);
        const double stddev = std::sqrt(sq / n);
        if (op == FillOperation::kRANDOM_UNIFORM)
        {
            EXPECT_GE(lo, -1.0);
            EXPECT_LE(hi, 3.0);
            EXPECT_NEAR(mean, 1.0, 0.05);
            EXPECT_NEAR(stddev, 4.0 / std::sqrt(12.0), 0.03);
        }
        else
        {
            EXPECT_NEAR(mean, 3.0, 0.02);
            EXPECT_NEAR(stddev, 0.5, 0.02);
        }
        // Deterministic: a second engine gives the same numbers.
        NetworkHarness again;
        IFillLayer* same = again.network().addFill(toDims({4, n / 4}), op);
        same->setAlpha(layer->getAlpha());
        same->setBeta(layer->getBeta());
        again.markOutput(same->getOutput(0));
        const auto outs2 = again.run();
        ASSERT_EQ(outs2.size(), 1u);
        EXPECT_EQ(outs2[0].f, outs[0].f);
    }
}

TEST(Fill, BadParametersAreReportedWithTheLayerName)
{
    auto expectRejected = [](const char* name, void (*configure)(NetworkHarness&, IFillLayer&)) {
        NetworkHarness h;
        h.logger().expectErrors();
        IFillLayer* layer = h.network().addFill(toDims({4}), FillOperation::kLINSPACE);
        ASSERT_NE(layer, nullptr);
        layer->setName(name);
        configure(h, *layer);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr);
        EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
    };
    expectRejected("fill_bad_op", [](NetworkHarness&, IFillLayer& l) { l.setOperation(static_cast<FillOperation>(7)); });
    expectRejected("fill_negative_dims", [](NetworkHarness&, IFillLayer& l) { l.setDimensions(toDims({2, -3})); });
    expectRejected("fill_uniform_min_above_max", [](NetworkHarness&, IFillLayer& l) {
        l.setOperation(FillOperation::kRANDOM_UNIFORM);
        l.setAlpha(2);
        l.setBeta(1);
    });
    expectRejected("fill_normal_negative_stddev", [](NetworkHarness&, IFillLayer& l) {
        l.setOperation(FillOperation::kRANDOM_NORMAL);
        l.setBeta(-1);
    });
    expectRejected("fill_random_int", [](NetworkHarness&, IFillLayer& l) {
        l.setOperation(FillOperation::kRANDOM_UNIFORM);
        l.setOutputType(0, DataType::kINT32);
    });
    expectRejected("fill_bool_output", [](NetworkHarness&, IFillLayer& l) { l.setOutputType(0, DataType::kBOOL); });
    expectRejected("fill_delta_length", [](NetworkHarness& h, IFillLayer& l) {
        static const std::vector<float> steps = {1.f, 2.f};
        l.setInput(2, *constant(h, {2}, steps));
    });
    expectRejected("fill_start_two_values", [](NetworkHarness& h, IFillLayer& l) {
        static const std::vector<float> starts = {1.f, 2.f};
        l.setInput(1, *constant(h, {2}, starts));
    });
    expectRejected("fill_shape_float", [](NetworkHarness& h, IFillLayer& l) {
        static const std::vector<float> dims = {2.f};
        l.setInput(0, *constant(h, {1}, dims));
    });
    expectRejected("fill_shape_negative", [](NetworkHarness& h, IFillLayer& l) {
        static const std::vector<int32_t> dims = {2, -2};
        l.setInput(0, *constant(h, {2}, dims));
    });

    NetworkHarness h;
    h.logger().expectErrors();
    EXPECT_EQ(h.network().addFill(toDims({2}), static_cast<FillOperation>(-1)), nullptr);
    Dims tooMany{};
    tooMany.nbDims = 9;
    EXPECT_EQ(h.network().addFill(tooMany, FillOperation::kLINSPACE), nullptr);
    EXPECT_TRUE(h.logger().hasError("addFill")) << h.logger().errors();
}

} // namespace
