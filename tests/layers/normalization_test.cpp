// Normalization (layer, instance and group normalization) against a float64 reference.
#include "support/harness.h"

#include <cmath>
#include <map>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;
using Shape = std::vector<int32_t>;

namespace
{

int64_t volumeOf(const Shape& s)
{
    int64_t v = 1;
    for (int32_t e : s)
        v *= e;
    return v;
}

Shape unravel(int64_t index, const Shape& dims)
{
    Shape c(dims.size());
    for (size_t i = dims.size(); i-- > 0;)
    {
        c[i] = static_cast<int32_t>(index % dims[i]);
        index /= dims[i];
    }
    return c;
}

//! Element of a broadcast tensor \p t at the coordinates \p c of the full tensor.
double at(const HostTensor& t, const Shape& c)
{
    int64_t offset = 0;
    for (size_t i = 0; i < c.size(); ++i)
        offset = offset * t.dims[i] + (t.dims[i] == 1 ? 0 : c[i]);
    return t.f[static_cast<size_t>(offset)];
}

//! Straightforward definition: elements belong to the same statistics set when they agree on
//! every axis outside \p axes (and, with groups, on the group of their channel).
std::vector<double> reference(const HostTensor& x, uint32_t axes, int32_t groups, int32_t channelAxis,
    const HostTensor& scale, const HostTensor& bias, double eps)
{
    const int64_t n = volumeOf(x.dims);
    auto key = [&](const Shape& c) {
        Shape k;
        for (size_t i = 0; i < c.size(); ++i)
        {
            if (groups > 1 && static_cast<int32_t>(i) == channelAxis)
                k.push_back(c[i] / (x.dims[i] / groups));
            else if (!((axes >> i) & 1u))
                k.push_back(c[i]);
        }
        return k;
    };
    std::map<Shape, std::vector<int64_t>> sets;
    for (int64_t i = 0; i < n; ++i)
        sets[key(unravel(i, x.dims))].push_back(i);
    std::vector<double> y(static_cast<size_t>(n));
    for (const auto& [k, members] : sets)
    {
        double mean = 0;
        for (int64_t i : members)
            mean += x.f[static_cast<size_t>(i)];
        mean /= static_cast<double>(members.size());
        double var = 0;
        for (int64_t i : members)
            var += (x.f[static_cast<size_t>(i)] - mean) * (x.f[static_cast<size_t>(i)] - mean);
        var /= static_cast<double>(members.size());
        for (int64_t i : members)
        {
            const Shape c = unravel(i, x.dims);
            y[static_cast<size_t>(i)] = (x.f[static_cast<size_t>(i)] - mean) / std::sqrt(var + eps) * at(scale, c) + at(bias, c);
        }
    }
    return y;
}

ITensor* constant(NetworkHarness& h, const HostTensor& t)
{
    IConstantLayer* c = h.network().addConstant(t.apiDims(), Weights{DataType::kFLOAT, t.f.data(), t.count()});
    return c ? c->getOutput(0) : nullptr;
}

struct Case
{
    const char* what;
    Shape dims;
    Shape affine; //!< scale/bias dims
    uint32_t axes;
    int32_t groups;
};

TEST(Normalization, MatchesReference)
{
    Rng rng(4701);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Case cases[] = {
        {"layer norm, last axis", {2, 3, 8}, {1, 1, 8}, 4u, 1},
        {"layer norm, last two axes", {2, 5, 3, 4}, {1, 1, 3, 4}, 12u, 1},
        {"layer norm, rank 1", {7}, {7}, 1u, 1},
        {"instance norm", {2, 3, 5, 7}, {1, 3, 1, 1}, 12u, 1},
        {"instance norm, size-1 spatial", {3, 4, 1, 1}, {1, 4, 1, 1}, 12u, 1},
        {"batch-style, axes 0,2,3", {3, 2, 4, 5}, {1, 2, 1, 1}, 13u, 1},
        {"no axes", {2, 3}, {1, 3}, 0u, 1},
        {"full scale tensor", {2, 3, 4}, {2, 3, 4}, 6u, 1},
        {"group norm 2 of 6", {2, 6, 3, 5}, {1, 6, 1, 1}, 12u, 2},
        {"group norm 3 of 6, 3-D", {1, 6, 2, 2, 3}, {1, 6, 1, 1, 1}, 28u, 3},
        {"group norm one channel each", {2, 4, 9}, {1, 4, 1}, 4u, 4},
        {"group norm no spatial", {3, 8}, {1, 8}, 0u, 2},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.what);
        NetworkHarness h;
        const HostTensor x = kiln::test::randomTensor(c.dims, rng, -3.f, 5.f);
        const HostTensor scale = kiln::test::randomTensor(c.affine, rng, 0.5f, 2.f);
        const HostTensor bias = kiln::test::randomTensor(c.affine, rng, -1.f, 1.f);
        ITensor* in = h.input("x", x);
        ASSERT_NE(in, nullptr);
        INormalizationLayer* layer = h.network().addNormalization(*in, *constant(h, scale), *constant(h, bias), c.axes);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kNORMALIZATION);
        EXPECT_EQ(layer->getAxes(), c.axes);
        EXPECT_EQ(layer->getNbGroups(), 1);
        EXPECT_FLOAT_EQ(layer->getEpsilon(), 1e-5f);
        EXPECT_EQ(layer->getComputePrecision(), DataType::kFLOAT);
        layer->setNbGroups(c.groups);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectClose(outs[0], c.dims, reference(x, c.axes, c.groups, 1, scale, bias, 1e-5), 1e-5, 1e-5);
    }
}

TEST(Normalization, EpsilonAndLargeOffsets)
{
    // A large common offset and a small spread: a one-pass E[x^2] - E[x]^2 in float would fail.
    Rng rng(4702);
    HostTensor x = kiln::test::randomTensor({2, 3, 50}, rng, -0.01f, 0.01f);
    for (float& v : x.f)
        v += 1000.f;
    const HostTensor scale = HostTensor::floats({1, 1, 50}, std::vector<float>(50, 1.f));
    const HostTensor bias = HostTensor::floats({1, 1, 50}, std::vector<float>(50, 0.f));
    for (float eps : {1e-5f, 1e-2f, 0.5f})
    {
        NetworkHarness h;
        ITensor* in = h.input("x", x);
        INormalizationLayer* layer = h.network().addNormalization(*in, *constant(h, scale), *constant(h, bias), 4u);
        ASSERT_NE(layer, nullptr);
        layer->setEpsilon(eps);
        EXPECT_FLOAT_EQ(layer->getEpsilon(), eps);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectClose(outs[0], x.dims, reference(x, 4u, 1, 1, scale, bias, eps), 1e-4, 1e-4);
    }
}

TEST(Normalization, ImplicitBatchLeavesTheBatchOut)
{
    Rng rng(4703);
    for (int32_t groups : {1, 2})
    {
        NetworkHarness h(false);
        h.setBatch(3);
        const HostTensor x = kiln::test::randomTensor({3, 4, 2, 5}, rng); // batch 3 of [4, 2, 5]
        const HostTensor scale = kiln::test::randomTensor({4, 1, 1}, rng, 0.5f, 2.f);
        const HostTensor bias = kiln::test::randomTensor({4, 1, 1}, rng);
        ITensor* in = h.input("x", x);
        ASSERT_NE(in, nullptr);
        // Instance/group normalization over the spatial axes 1, 2 of [C, H, W].
        INormalizationLayer* layer = h.network().addNormalization(*in, *constant(h, scale), *constant(h, bias), 6u);
        ASSERT_NE(layer, nullptr);
        layer->setNbGroups(groups);
        const Dims d = layer->getOutput(0)->getDimensions();
        ASSERT_EQ(d.nbDims, 3);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        HostTensor s4 = scale, b4 = bias;
        s4.dims = {1, 4, 1, 1};
        b4.dims = {1, 4, 1, 1};
        kiln::test::expectClose(outs[0], x.dims, reference(x, 12u, groups, 1, s4, b4, 1e-5), 1e-5, 1e-5);
    }
}

void expectRejected(const char* name, const Shape& dims, const Shape& affine, uint32_t axes, int32_t groups,
    const char* needle, DataType precision = DataType::kFLOAT, float eps = 1e-5f)
{
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(4704);
    const HostTensor x = kiln::test::randomTensor(dims, rng);
    const HostTensor ab = kiln::test::randomTensor(affine, rng);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    INormalizationLayer* layer = h.network().addNormalization(*in, *constant(h, ab), *constant(h, ab), axes);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    layer->setNbGroups(groups);
    layer->setComputePrecision(precision);
    EXPECT_EQ(layer->getComputePrecision(), precision);
    layer->setEpsilon(eps);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError(needle)) << h.logger().errors();
}

TEST(Normalization, BadParametersAreReportedWithTheLayerName)
{
    expectRejected("norm_axes_beyond_rank", {2, 3}, {1, 3}, 4u, 1, "beyond");
    expectRejected("norm_groups_not_dividing", {2, 6, 4}, {1, 6, 1}, 4u, 4, "groups");
    expectRejected("norm_groups_zero", {2, 6, 4}, {1, 6, 1}, 4u, 0, "groups");
    expectRejected("norm_groups_wrong_axes", {2, 6, 4, 4}, {1, 6, 1, 1}, 8u, 2, "bitmask");
    expectRejected("norm_scale_rank", {2, 6, 4}, {6, 1}, 4u, 1, "scale");
    expectRejected("norm_scale_extent", {2, 6, 4}, {1, 5, 1}, 4u, 1, "scale");
    expectRejected("norm_half_precision", {2, 6}, {1, 6}, 2u, 1, "precision", DataType::kHALF);
    expectRejected("norm_negative_eps", {2, 6}, {1, 6}, 2u, 1, "epsilon", DataType::kFLOAT, -1.f);

    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::ints({2, 2}, {1, 2, 3, 4}));
    const HostTensor ab = HostTensor::floats({1, 2}, {1, 1});
    INormalizationLayer* layer = h.network().addNormalization(*in, *constant(h, ab), *constant(h, ab), 2u);
    ASSERT_NE(layer, nullptr);
    layer->setName("norm_int_input");
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("norm_int_input")) << h.logger().errors();
}

} // namespace
