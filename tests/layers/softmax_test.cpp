// SoftMax against a float64 reference: every axis at ranks 1..5, the default axis in both batch
// modes, large inputs (stability), and bad axes bitmasks.
#include "support/harness.h"

#include <cmath>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using Shape = std::vector<int32_t>;

namespace
{

//! Softmax of \p x (dims \p dims) along \p axis, in double.
std::vector<double> reference(const Shape& dims, const std::vector<float>& x, size_t axis)
{
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis; ++i)
        outer *= dims[i];
    for (size_t i = axis + 1; i < dims.size(); ++i)
        inner *= dims[i];
    const int64_t n = dims[axis];
    std::vector<double> y(x.size());
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i)
        {
            const auto at = [&](int64_t j) { return static_cast<size_t>((o * n + j) * inner + i); };
            double m = -INFINITY;
            for (int64_t j = 0; j < n; ++j)
                m = std::max(m, static_cast<double>(x[at(j)]));
            double sum = 0;
            for (int64_t j = 0; j < n; ++j)
                sum += std::exp(x[at(j)] - m);
            for (int64_t j = 0; j < n; ++j)
                y[at(j)] = std::exp(x[at(j)] - m) / sum;
        }
    return y;
}

//! Runs softmax on \p x; \p axes 0 keeps the default. \p axis is the expected axis, batch
//! included. Checks getAxes() against \p expectedAxes (the mask the layer reports).
void check(bool explicitBatch, const HostTensor& x, uint32_t axes, uint32_t expectedAxes, size_t axis)
{
    NetworkHarness h(explicitBatch);
    h.setBatch(x.dims[0]);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    ISoftMaxLayer* layer = h.network().addSoftMax(*in);
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->getType(), LayerType::kSOFTMAX);
    if (axes != 0)
        layer->setAxes(axes);
    EXPECT_EQ(layer->getAxes(), expectedAxes);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], x.dims, reference(x.dims, x.f, axis), 1e-5, 1e-6);
}

TEST(SoftMax, EveryAxisExplicitBatch)
{
    Rng rng(401);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (const Shape& dims : {Shape{7}, Shape{3, 5}, Shape{2, 3, 4}, Shape{2, 1, 5, 3}, Shape{2, 3, 1, 2, 4}})
        for (size_t axis = 0; axis < dims.size(); ++axis)
        {
            SCOPED_TRACE("rank " + std::to_string(dims.size()) + " axis " + std::to_string(axis));
            check(true, kiln::test::randomTensor(dims, rng, -5.f, 5.f), 1u << axis, 1u << axis, axis);
        }
}

TEST(SoftMax, EveryAxisImplicitBatch)
{
    Rng rng(402);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    // Bits leave the batch out: bit k is axis k + 1 of the batched tensor.
    for (const Shape& dims : {Shape{2, 6}, Shape{3, 4, 5}, Shape{2, 3, 2, 4}})
        for (size_t axis = 1; axis < dims.size(); ++axis)
        {
            SCOPED_TRACE("rank " + std::to_string(dims.size()) + " axis " + std::to_string(axis));
            check(false, kiln::test::randomTensor(dims, rng, -5.f, 5.f), 1u << (axis - 1), 1u << (axis - 1), axis);
        }
}

TEST(SoftMax, DefaultAxis)
{
    Rng rng(403);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    // Explicit batch: rank - 3, or 0 below rank 3 (so [1,10] softmaxes over the batch axis).
    check(true, kiln::test::randomTensor({1, 10}, rng), 0, 1u << 0, 0);
    check(true, kiln::test::randomTensor({4}, rng), 0, 1u << 0, 0);
    check(true, kiln::test::randomTensor({2, 3, 4}, rng), 0, 1u << 0, 0);
    check(true, kiln::test::randomTensor({2, 3, 4, 5}, rng), 0, 1u << 1, 1);
    check(true, kiln::test::randomTensor({2, 2, 3, 2, 2}, rng), 0, 1u << 2, 2);
    // Implicit batch: the rank leaves the batch out; {C,H,W} softmaxes over C.
    check(false, kiln::test::randomTensor({2, 3, 4, 5}, rng), 0, 1u << 0, 1);
    check(false, kiln::test::randomTensor({3, 10}, rng), 0, 1u << 0, 1);
    check(false, kiln::test::randomTensor({2, 2, 3, 2, 2}, rng), 0, 1u << 1, 2);
}

TEST(SoftMax, LargeInputsStayFinite)
{
    Rng rng(404);
    HostTensor x = kiln::test::randomTensor({2, 3, 50}, rng, -1000.f, 1000.f);
    x.f[7] = 3e38f;
    x.f[60] = -3e38f;
    check(true, x, 1u << 2, 1u << 2, 2);
}

void expectRejected(bool explicitBatch, const HostTensor& x, uint32_t axes, const char* name)
{
    NetworkHarness h(explicitBatch);
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    ISoftMaxLayer* layer = h.network().addSoftMax(*in);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    layer->setAxes(axes);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(SoftMax, BadAxesAreReportedWithTheLayerName)
{
    Rng rng(405);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    expectRejected(true, x, 0b011, "softmax_two_bits");
    expectRejected(true, x, 0, "softmax_no_bits");
    expectRejected(true, x, 1u << 3, "softmax_beyond_rank");
    expectRejected(false, x, 1u << 2, "softmax_implicit_beyond_rank"); // {3,4} per item
    expectRejected(true, x, 1u << 31, "softmax_bit31");
    expectRejected(false, x, 1u << 31, "softmax_implicit_bit31");
    expectRejected(true, HostTensor::ints({2, 2}, {1, 2, 3, 4}), 1, "softmax_int");
}

} // namespace
