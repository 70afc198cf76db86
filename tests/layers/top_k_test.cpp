// TopK against a reference: kMAX and kMIN on every axis, k from 1 to the extent, ties (lower
// index first), implicit batch, and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <limits>
#include <numeric>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using Shape = std::vector<int32_t>;

namespace
{

struct Expected
{
    Shape dims;
    std::vector<double> values;
    std::vector<int32_t> indices;
};

//! Stable sort of each line along \p axis, best first: equal values keep their index order.
Expected reference(TopKOperation op, const Shape& dims, const std::vector<float>& x, size_t axis, int32_t k)
{
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis; ++i)
        outer *= dims[i];
    for (size_t i = axis + 1; i < dims.size(); ++i)
        inner *= dims[i];
    const int32_t n = dims[axis];
    Expected e;
    e.dims = dims;
    e.dims[axis] = k;
    e.values.resize(static_cast<size_t>(outer * k * inner));
    e.indices.resize(e.values.size());
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i)
        {
            const auto at = [&](int64_t j, int64_t extent) {
                return static_cast<size_t>((o * extent + j) * inner + i);
            };
            std::vector<int32_t> order(static_cast<size_t>(n));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
                return op == TopKOperation::kMAX ? x[at(a, n)] > x[at(b, n)] : x[at(a, n)] < x[at(b, n)];
            });
            for (int32_t j = 0; j < k; ++j)
            {
                e.values[at(j, k)] = x[at(order[static_cast<size_t>(j)], n)];
                e.indices[at(j, k)] = order[static_cast<size_t>(j)];
            }
        }
    return e;
}

//! Runs TopK on \p x; \p axes is the mask given to the layer, \p axis the axis it means with the
//! batch included.
void check(bool explicitBatch, const HostTensor& x, TopKOperation op, int32_t k, uint32_t axes, size_t axis)
{
    NetworkHarness h(explicitBatch);
    h.setBatch(x.dims[0]);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    ITopKLayer* layer = h.network().addTopK(*in, op, k, axes);
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->getType(), LayerType::kTOPK);
    EXPECT_EQ(layer->getOperation(), op);
    EXPECT_EQ(layer->getK(), k);
    EXPECT_EQ(layer->getReduceAxes(), axes);
    ASSERT_EQ(layer->getNbOutputs(), 2);
    EXPECT_EQ(layer->getOutput(0)->getType(), DataType::kFLOAT);
    EXPECT_EQ(layer->getOutput(1)->getType(), DataType::kINT32);
    h.markOutput(layer->getOutput(0));
    h.markOutput(layer->getOutput(1));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    const Expected e = reference(op, x.dims, x.f, axis, k);
    kiln::test::expectClose(outs[0], e.dims, e.values, 0, 0);
    kiln::test::expectEqualInts(outs[1], e.dims, e.indices);
}

TEST(TopK, EveryAxisBothOperations)
{
    Rng rng(601);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Shape dims = {3, 5, 4};
    for (TopKOperation op : {TopKOperation::kMAX, TopKOperation::kMIN})
        for (size_t axis = 0; axis < dims.size(); ++axis)
            for (int32_t k : {1, 2, dims[axis]})
            {
                SCOPED_TRACE("op " + std::to_string(static_cast<int>(op)) + " axis " + std::to_string(axis) + " k "
                    + std::to_string(k));
                check(true, kiln::test::randomTensor(dims, rng), op, k, 1u << axis, axis);
            }
}

TEST(TopK, TiesPutTheLowerIndexFirst)
{
    Rng rng(602);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (TopKOperation op : {TopKOperation::kMAX, TopKOperation::kMIN})
        for (const Shape& dims : {Shape{4, 9}, Shape{2, 7, 3}, Shape{40}})
        {
            // Three distinct values only, so every line is full of ties.
            HostTensor x = kiln::test::randomInts(dims, rng, -1, 1);
            x = HostTensor::floats(dims, std::vector<float>(x.i.begin(), x.i.end()));
            const size_t axis = dims.size() > 1 ? 1 : 0;
            for (int32_t k : {1, 3, dims[axis]})
                check(true, x, op, k, 1u << axis, axis);
        }
    // A hand-checked line.
    check(true, HostTensor::floats({6}, {2, 5, 5, 1, 2, 5}), TopKOperation::kMAX, 4, 1, 0);
    check(true, HostTensor::floats({6}, {2, 5, 5, 1, 2, 5}), TopKOperation::kMIN, 3, 1, 0);
}

TEST(TopK, ImplicitBatchAxesLeaveTheBatchOut)
{
    Rng rng(603);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Shape dims = {2, 6, 5}; // batch 2, items {6, 5}
    for (TopKOperation op : {TopKOperation::kMAX, TopKOperation::kMIN})
    {
        check(false, kiln::test::randomTensor(dims, rng), op, 3, 1u << 0, 1);
        check(false, kiln::test::randomTensor(dims, rng), op, 2, 1u << 1, 2);
    }
}

TEST(TopK, NaNCountsAsLargest)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (TopKOperation op : {TopKOperation::kMAX, TopKOperation::kMIN})
    {
        NetworkHarness h;
        ITensor* in = h.input("x", HostTensor::floats({6}, {1, nan, -2, 3, nan, 0}));
        ASSERT_NE(in, nullptr);
        ITopKLayer* layer = h.network().addTopK(*in, op, 6, 1u);
        ASSERT_NE(layer, nullptr);
        h.markOutput(layer->getOutput(1));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectEqualInts(outs[0], {6},
            op == TopKOperation::kMAX ? std::vector<int32_t>{1, 4, 3, 0, 5, 2}
                                      : std::vector<int32_t>{2, 5, 0, 3, 1, 4});
    }
}

TEST(TopK, LargeK)
{
    Rng rng(604);
    check(true, kiln::test::randomTensor({2, 4000}, rng), TopKOperation::kMAX, 3840, 2, 1);
}

void expectRejected(const HostTensor& x, int32_t k, uint32_t axes, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    ITopKLayer* layer = h.network().addTopK(*in, TopKOperation::kMAX, 1, 1u);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    layer->setK(k);
    layer->setReduceAxes(axes);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(TopK, BadParametersAreReportedWithTheLayerName)
{
    Rng rng(605);
    const HostTensor x = kiln::test::randomTensor({3, 5}, rng);
    expectRejected(x, 6, 2u, "topk_k_beyond_extent");
    expectRejected(x, 0, 2u, "topk_k_zero");
    expectRejected(x, -3, 2u, "topk_k_negative");
    expectRejected(kiln::test::randomTensor({1, 4000}, rng), 3841, 2u, "topk_k_beyond_limit");
    expectRejected(x, 1, 3u, "topk_two_axes");
    expectRejected(x, 1, 0u, "topk_no_axes");
    expectRejected(x, 1, 4u, "topk_axis_beyond_rank");
    expectRejected(HostTensor::ints({2, 2}, {1, 2, 3, 4}), 1, 1u, "topk_int_input");

    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    ITopKLayer* layer = h.network().addTopK(*in, TopKOperation::kMIN, 1, 1u);
    ASSERT_NE(layer, nullptr);
    layer->setName("topk_bad_op");
    layer->setOperation(static_cast<TopKOperation>(2));
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("topk_bad_op")) << h.logger().errors();
    EXPECT_EQ(h.network().addTopK(*in, static_cast<TopKOperation>(2), 1, 1u), nullptr);
    EXPECT_EQ(h.network().addTopK(*in, TopKOperation::kMAX, 1, 0u), nullptr);
}

} // namespace
