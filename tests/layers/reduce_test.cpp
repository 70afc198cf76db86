// Reduce against a float64/int64 reference: every operation over every axis combination of a
// rank-3 tensor with and without keepDimensions, random masks at ranks 1..5, implicit batch,
// INT32, shape-tensor values and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <climits>
#include <cmath>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using Shape = std::vector<int32_t>;

namespace
{

const ReduceOperation kOps[] = {
    ReduceOperation::kSUM, ReduceOperation::kPROD, ReduceOperation::kMAX, ReduceOperation::kMIN, ReduceOperation::kAVG};

Shape reducedShape(const Shape& dims, uint32_t axes, bool keep)
{
    Shape out;
    for (size_t i = 0; i < dims.size(); ++i)
        if (!((axes >> i) & 1u))
            out.push_back(dims[i]);
        else if (keep)
            out.push_back(1);
    return out;
}

//! Reduces \p x (dims \p dims) over \p axes, in double; every input element is folded into the
//! output element whose kept coordinates it shares.
std::vector<double> reference(ReduceOperation op, const Shape& dims, uint32_t axes, const std::vector<double>& x)
{
    int64_t nOut = 1, nReduced = 1;
    for (size_t i = 0; i < dims.size(); ++i)
        ((axes >> i) & 1u ? nReduced : nOut) *= dims[i];
    const double init = op == ReduceOperation::kPROD ? 1.0
        : op == ReduceOperation::kMAX                ? -INFINITY
        : op == ReduceOperation::kMIN                ? INFINITY
                                                     : 0.0;
    std::vector<double> out(static_cast<size_t>(nOut), init);
    for (size_t index = 0; index < x.size(); ++index)
    {
        int64_t rest = static_cast<int64_t>(index), o = 0, scale = 1;
        for (size_t i = dims.size(); i-- > 0;)
        {
            const int64_t c = rest % dims[i];
            rest /= dims[i];
            if (!((axes >> i) & 1u))
            {
                o += c * scale;
                scale *= dims[i];
            }
        }
        double& acc = out[static_cast<size_t>(o)];
        const double v = x[index];
        switch (op)
        {
        case ReduceOperation::kSUM:
        case ReduceOperation::kAVG: acc += v; break;
        case ReduceOperation::kPROD: acc *= v; break;
        case ReduceOperation::kMAX: acc = std::max(acc, v); break;
        case ReduceOperation::kMIN: acc = std::min(acc, v); break;
        }
    }
    if (op == ReduceOperation::kAVG)
        for (double& v : out)
            v /= static_cast<double>(nReduced);
    return out;
}

//! Runs one reduction of \p x; \p dims of x include the batch in both modes.
HostTensor runReduce(bool explicitBatch, const HostTensor& x, ReduceOperation op, uint32_t axes, bool keep)
{
    NetworkHarness h(explicitBatch);
    h.setBatch(x.dims[0]);
    ITensor* in = h.input("x", x);
    EXPECT_NE(in, nullptr);
    if (!in)
        return {};
    IReduceLayer* layer = h.network().addReduce(*in, op, axes, keep);
    EXPECT_NE(layer, nullptr);
    if (!layer)
        return {};
    EXPECT_EQ(layer->getType(), LayerType::kREDUCE);
    EXPECT_EQ(layer->getOperation(), op);
    EXPECT_EQ(layer->getReduceAxes(), axes);
    EXPECT_EQ(layer->getKeepDimensions(), keep);
    // At API time the dims leave the implicit batch out.
    const Shape apiIn(x.dims.begin() + (explicitBatch ? 0 : 1), x.dims.end());
    const Shape apiOut = reducedShape(apiIn, axes, keep);
    const Dims d = layer->getOutput(0)->getDimensions();
    EXPECT_EQ(Shape(d.d, d.d + std::max(d.nbDims, 0)), apiOut);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    return outs.empty() ? HostTensor{} : outs[0];
}

TEST(Reduce, EveryAxisCombinationRank3)
{
    Rng rng(501);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Shape dims = {3, 4, 5};
    for (ReduceOperation op : kOps)
        for (uint32_t axes = 1; axes < 8; ++axes)
            for (bool keep : {false, true})
            {
                SCOPED_TRACE("op " + std::to_string(static_cast<int>(op)) + " axes " + std::to_string(axes) + " keep "
                    + std::to_string(keep));
                // Products of values near 1 stay well inside float range.
                const HostTensor x = op == ReduceOperation::kPROD ? kiln::test::randomTensor(dims, rng, 0.7f, 1.3f)
                                                                  : kiln::test::randomTensor(dims, rng, -2.f, 2.f);
                const HostTensor out = runReduce(true, x, op, axes, keep);
                kiln::test::expectClose(out, reducedShape(dims, axes, keep),
                    reference(op, dims, axes, std::vector<double>(x.f.begin(), x.f.end())), 1e-5, 1e-5);
            }
}

TEST(Reduce, RandomMasksRanks1To5)
{
    Rng rng(502);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (int k = 0; k < 20; ++k)
    {
        const int rank = 1 + k % 5;
        Shape dims;
        for (int i = 0; i < rank; ++i)
            dims.push_back(rng.uniformInt(1, 5));
        const uint32_t axes = static_cast<uint32_t>(rng.uniformInt(1, (1 << rank) - 1));
        const ReduceOperation op = kOps[k % 5];
        const bool keep = (k / 5) % 2 == 1;
        const HostTensor x = kiln::test::randomTensor(dims, rng, 0.6f, 1.4f);
        const HostTensor out = runReduce(true, x, op, axes, keep);
        kiln::test::expectClose(out, reducedShape(dims, axes, keep),
            reference(op, dims, axes, std::vector<double>(x.f.begin(), x.f.end())), 1e-5, 1e-5);
    }
}

TEST(Reduce, ImplicitBatchAxesLeaveTheBatchOut)
{
    Rng rng(503);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Shape dims = {2, 3, 4, 2}; // batch 2, items {3, 4, 2}
    for (uint32_t axes = 1; axes < 8; ++axes)
        for (bool keep : {false, true})
        {
            const HostTensor x = kiln::test::randomTensor(dims, rng);
            const HostTensor out = runReduce(false, x, ReduceOperation::kSUM, axes, keep);
            kiln::test::expectClose(out, reducedShape(dims, axes << 1, keep),
                reference(ReduceOperation::kSUM, dims, axes << 1, std::vector<double>(x.f.begin(), x.f.end())), 1e-5,
                1e-5);
        }
}

TEST(Reduce, IntOperations)
{
    Rng rng(504);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Shape dims = {2, 3, 4};
    for (ReduceOperation op :
        {ReduceOperation::kSUM, ReduceOperation::kPROD, ReduceOperation::kMAX, ReduceOperation::kMIN})
        for (uint32_t axes : {1u, 2u, 4u, 5u, 7u})
        {
            const HostTensor x = kiln::test::randomInts(dims, rng, -3, 3);
            const HostTensor out = runReduce(true, x, op, axes, false);
            ASSERT_EQ(out.type, DataType::kINT32);
            const std::vector<double> e = reference(op, dims, axes, std::vector<double>(x.i.begin(), x.i.end()));
            kiln::test::expectEqualInts(out, reducedShape(dims, axes, false), std::vector<int32_t>(e.begin(), e.end()));
        }
}

TEST(Reduce, LongSumIsAccurate)
{
    Rng rng(505);
    const HostTensor x = kiln::test::randomTensor({2, 100000}, rng, 0.f, 1.f);
    const HostTensor out = runReduce(true, x, ReduceOperation::kAVG, 2u, true);
    kiln::test::expectClose(out, {2, 1},
        reference(ReduceOperation::kAVG, x.dims, 2u, std::vector<double>(x.f.begin(), x.f.end())), 1e-6, 0);
}

TEST(Reduce, ShapeValuesFeedAReshape)
{
    // Flatten through shape arithmetic: reshape x to [prod(shape(x))].
    NetworkHarness h;
    Rng rng(506);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IShapeLayer* shape = h.network().addShape(*in);
    ASSERT_NE(shape, nullptr);
    IReduceLayer* prod = h.network().addReduce(*shape->getOutput(0), ReduceOperation::kPROD, 1u, true);
    ASSERT_NE(prod, nullptr);
    IShuffleLayer* reshape = h.network().addShuffle(*in);
    ASSERT_NE(reshape, nullptr);
    reshape->setInput(1, *prod->getOutput(0));
    const Dims od = reshape->getOutput(0)->getDimensions();
    ASSERT_EQ(od.nbDims, 1);
    EXPECT_EQ(od.d[0], 24);
    h.markOutput(reshape->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {24}, std::vector<double>(x.f.begin(), x.f.end()), 0, 0);
}

TEST(Reduce, EmptyReducedAxisGivesTheIdentity)
{
    const std::pair<ReduceOperation, double> cases[] = {{ReduceOperation::kSUM, 0.0}, {ReduceOperation::kPROD, 1.0},
        {ReduceOperation::kMAX, -INFINITY}, {ReduceOperation::kMIN, INFINITY}};
    for (const auto& [op, identity] : cases)
    {
        const HostTensor out = runReduce(true, HostTensor::floats({2, 0, 3}, {}), op, 2u, false);
        kiln::test::expectClose(out, {2, 3}, std::vector<double>(6, identity));
        // Keeping the empty axis instead gives an empty output.
        kiln::test::expectClose(runReduce(true, HostTensor::floats({2, 0, 3}, {}), op, 4u, true), {2, 0, 1}, {});
    }
}

void expectRejected(const HostTensor& x, ReduceOperation op, uint32_t axes, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IReduceLayer* layer = h.network().addReduce(*in, ReduceOperation::kSUM, 1u, false);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    layer->setOperation(op);
    layer->setReduceAxes(axes);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(Reduce, BadParametersAreReportedWithTheLayerName)
{
    Rng rng(507);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    expectRejected(x, ReduceOperation::kSUM, 0u, "reduce_no_axes");
    expectRejected(x, ReduceOperation::kSUM, 1u << 3, "reduce_beyond_rank");
    expectRejected(x, static_cast<ReduceOperation>(5), 1u, "reduce_bad_op");
    expectRejected(HostTensor::ints({2, 2}, {1, 2, 3, 4}), ReduceOperation::kAVG, 1u, "reduce_avg_int");
    expectRejected(HostTensor::bools({2, 2}, {1, 0, 1, 0}), ReduceOperation::kSUM, 1u, "reduce_bool");

    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(h.network().addReduce(*in, ReduceOperation::kSUM, 0u, false), nullptr);
    EXPECT_EQ(h.network().addReduce(*in, static_cast<ReduceOperation>(-1), 1u, false), nullptr);
    EXPECT_TRUE(h.logger().hasError("addReduce")) << h.logger().errors();
}

} // namespace
