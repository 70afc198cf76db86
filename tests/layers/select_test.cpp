// Select against a reference: FLOAT and INT32 branches, conditions from BOOL inputs and from
// comparisons, three-way broadcasting at ranks 1..5, implicit batch, and bad inputs.
#include "support/harness.h"

#include <algorithm>
#include <array>

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

HostTensor randomBools(const Shape& dims, Rng& rng)
{
    HostTensor t = HostTensor::bools(dims, {});
    for (int64_t i = 0; i < count(dims); ++i)
        t.b.push_back(static_cast<uint8_t>(rng.uniformInt(0, 1)));
    return t;
}

//! Three equal-rank shapes where each axis is full in a random subset of them (1 elsewhere).
std::vector<std::array<Shape, 3>> shapeTriples(Rng& rng)
{
    std::vector<std::array<Shape, 3>> triples = {{Shape{5}, Shape{5}, Shape{5}}, {Shape{1}, Shape{4}, Shape{1}},
        {Shape{2, 3}, Shape{1, 3}, Shape{2, 1}}, {Shape{1, 1, 4}, Shape{3, 1, 1}, Shape{1, 2, 1}},
        {Shape{2, 1, 3, 1}, Shape{1, 4, 1, 1}, Shape{1, 1, 1, 5}}};
    for (int k = 0; k < 5; ++k)
    {
        const int rank = rng.uniformInt(1, 5);
        std::array<Shape, 3> t;
        for (int i = 0; i < rank; ++i)
        {
            const int32_t extent = rng.uniformInt(1, 3);
            for (Shape& s : t)
                s.push_back(rng.uniformInt(0, 1) ? extent : 1);
        }
        triples.push_back(t);
    }
    return triples;
}

TEST(Select, BroadcastsThreeWays)
{
    Rng rng(801);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (DataType type : {DataType::kFLOAT, DataType::kINT32})
        for (const auto& [sc, sa, sb] : shapeTriples(rng))
        {
            const HostTensor c = randomBools(sc, rng);
            const HostTensor a = type == DataType::kFLOAT ? kiln::test::randomTensor(sa, rng)
                                                          : kiln::test::randomInts(sa, rng, -100, 100);
            const HostTensor b = type == DataType::kFLOAT ? kiln::test::randomTensor(sb, rng)
                                                          : kiln::test::randomInts(sb, rng, -100, 100);
            NetworkHarness h;
            ITensor* tc = h.input("c", c);
            ITensor* ta = h.input("a", a);
            ITensor* tb = h.input("b", b);
            ASSERT_TRUE(tc && ta && tb);
            ISelectLayer* layer = h.network().addSelect(*tc, *ta, *tb);
            ASSERT_NE(layer, nullptr);
            EXPECT_EQ(layer->getType(), LayerType::kSELECT);
            EXPECT_EQ(layer->getNbInputs(), 3);
            EXPECT_EQ(layer->getOutput(0)->getType(), type);
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            Shape so(sc.size());
            for (size_t i = 0; i < so.size(); ++i)
                so[i] = std::max({sc[i], sa[i], sb[i]});
            std::vector<double> ef;
            std::vector<int32_t> ei;
            for (int64_t i = 0; i < count(so); ++i)
            {
                const bool pick = c.b[sourceIndex(so, sc, i)] != 0;
                const size_t ia = sourceIndex(so, sa, i), ib = sourceIndex(so, sb, i);
                if (type == DataType::kFLOAT)
                    ef.push_back(pick ? a.f[ia] : b.f[ib]);
                else
                    ei.push_back(pick ? a.i[ia] : b.i[ib]);
            }
            if (type == DataType::kFLOAT)
                kiln::test::expectClose(outs[0], so, ef, 0, 0);
            else
                kiln::test::expectEqualInts(outs[0], so, ei);
        }
}

TEST(Select, ConditionFromComparisonImplicitBatch)
{
    // max(x, y) written as select(x > y, x, y), in an implicit-batch network.
    Rng rng(802);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (bool explicitBatch : {true, false})
    {
        NetworkHarness h(explicitBatch);
        h.setBatch(2);
        const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
        const HostTensor y = kiln::test::randomTensor({2, 3, 1}, rng);
        ITensor* tx = h.input("x", x);
        ITensor* ty = h.input("y", y);
        ASSERT_TRUE(tx && ty);
        IElementWiseLayer* cmp = h.network().addElementWise(*tx, *ty, ElementWiseOperation::kGREATER);
        ASSERT_NE(cmp, nullptr);
        ISelectLayer* layer = h.network().addSelect(*cmp->getOutput(0), *tx, *ty);
        ASSERT_NE(layer, nullptr);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> expected;
        for (size_t i = 0; i < x.f.size(); ++i)
            expected.push_back(std::max(x.f[i], y.f[i / 4]));
        kiln::test::expectClose(outs[0], {2, 3, 4}, expected, 0, 0);
    }
}

void expectRejected(const HostTensor& c, const HostTensor& a, const HostTensor& b, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* tc = h.input("c", c);
    ITensor* ta = h.input("a", a);
    ITensor* tb = h.input("b", b);
    ASSERT_TRUE(tc && ta && tb);
    ISelectLayer* layer = h.network().addSelect(*tc, *ta, *tb);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(Select, BadInputsAreReportedWithTheLayerName)
{
    const HostTensor c = HostTensor::bools({3}, {1, 0, 1});
    const HostTensor f = HostTensor::floats({3}, {1, 2, 3});
    const HostTensor i = HostTensor::ints({3}, {1, 2, 3});
    expectRejected(f, f, f, "select_float_condition");
    expectRejected(c, f, i, "select_mixed_branches");
    expectRejected(c, c, c, "select_bool_branches");
    expectRejected(c, HostTensor::floats({2}, {1, 2}), f, "select_no_broadcast");
    expectRejected(HostTensor::bools({1, 3}, {1, 0, 1}), f, f, "select_rank_mismatch");
}

} // namespace
