// ElementWise against float64/int64 references: every operation, FLOAT/INT32/BOOL, broadcasting
// of either or both sides at ranks 1..5, implicit batch, shape-tensor values and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using Shape = std::vector<int32_t>;

namespace
{

Shape broadcastShape(const Shape& a, const Shape& b)
{
    Shape out(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        out[i] = a[i] == 1 ? b[i] : a[i];
    return out;
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

int64_t count(const Shape& s)
{
    int64_t n = 1;
    for (int32_t d : s)
        n *= d;
    return n;
}

//! Pairs of equal-rank shapes: fixed edge cases, then seeded random ones where either side,
//! both or neither broadcast each axis.
std::vector<std::pair<Shape, Shape>> shapePairs(Rng& rng)
{
    std::vector<std::pair<Shape, Shape>> pairs = {{{5}, {5}}, {{1}, {7}}, {{7}, {1}}, {{2, 1}, {1, 3}},
        {{1, 1}, {4, 5}}, {{2, 3, 4}, {1, 3, 1}}, {{3, 1, 5}, {1, 4, 1}}, {{2, 1, 3, 1}, {1, 4, 1, 5}},
        {{2, 3, 1, 4, 5}, {1, 3, 6, 1, 1}}, {{1, 1, 1}, {1, 1, 1}}};
    for (int k = 0; k < 6; ++k)
    {
        const int rank = rng.uniformInt(1, 5);
        Shape a, b;
        for (int i = 0; i < rank; ++i)
        {
            const int32_t extent = rng.uniformInt(1, 4);
            const int pattern = rng.uniformInt(0, 3); // 0 none, 1 a broadcasts, 2 b broadcasts, 3 both 1
            a.push_back(pattern == 1 || pattern == 3 ? 1 : extent);
            b.push_back(pattern == 2 || pattern == 3 ? 1 : extent);
        }
        pairs.emplace_back(a, b);
    }
    return pairs;
}

//! Builds a ∘ b, runs it and returns the single output.
HostTensor runBinary(NetworkHarness& h, const HostTensor& a, const HostTensor& b, ElementWiseOperation op)
{
    ITensor* ta = h.input("a", a);
    ITensor* tb = h.input("b", b);
    EXPECT_NE(ta, nullptr);
    EXPECT_NE(tb, nullptr);
    if (!ta || !tb)
        return {};
    IElementWiseLayer* layer = h.network().addElementWise(*ta, *tb, op);
    EXPECT_NE(layer, nullptr);
    if (!layer)
        return {};
    EXPECT_EQ(layer->getType(), LayerType::kELEMENTWISE);
    EXPECT_EQ(layer->getOperation(), op);
    h.markOutput(layer->getOutput(0));
    auto outs = h.run();
    return outs.empty() ? HostTensor{} : outs[0];
}

double floatReference(ElementWiseOperation op, double a, double b)
{
    switch (op)
    {
    case ElementWiseOperation::kSUM: return a + b;
    case ElementWiseOperation::kPROD: return a * b;
    case ElementWiseOperation::kMAX: return std::max(a, b);
    case ElementWiseOperation::kMIN: return std::min(a, b);
    case ElementWiseOperation::kSUB: return a - b;
    case ElementWiseOperation::kDIV: return a / b;
    case ElementWiseOperation::kPOW: return std::pow(a, b);
    // floor of the float quotient: the double one can land on the other side of an integer.
    case ElementWiseOperation::kFLOOR_DIV: return std::floor(static_cast<float>(a) / static_cast<float>(b));
    default: return 0;
    }
}

int64_t intReference(ElementWiseOperation op, int64_t a, int64_t b)
{
    switch (op)
    {
    case ElementWiseOperation::kSUM: return a + b;
    case ElementWiseOperation::kPROD: return a * b;
    case ElementWiseOperation::kMAX: return std::max(a, b);
    case ElementWiseOperation::kMIN: return std::min(a, b);
    case ElementWiseOperation::kSUB: return a - b;
    case ElementWiseOperation::kDIV:
    case ElementWiseOperation::kFLOOR_DIV:
        return b == 0 ? 0 : static_cast<int64_t>(std::floor(static_cast<double>(a) / b));
    case ElementWiseOperation::kPOW:
    {
        if (b < 0)
            return a == 1 ? 1 : a == -1 ? (b % 2 ? -1 : 1) : 0;
        int64_t r = 1;
        for (int64_t k = 0; k < b; ++k)
            r *= a;
        return r;
    }
    default: return 0;
    }
}

const ElementWiseOperation kArithmetic[] = {ElementWiseOperation::kSUM, ElementWiseOperation::kPROD,
    ElementWiseOperation::kMAX, ElementWiseOperation::kMIN, ElementWiseOperation::kSUB, ElementWiseOperation::kDIV,
    ElementWiseOperation::kPOW, ElementWiseOperation::kFLOOR_DIV};
const ElementWiseOperation kComparisons[] = {
    ElementWiseOperation::kEQUAL, ElementWiseOperation::kGREATER, ElementWiseOperation::kLESS};
const ElementWiseOperation kLogical[] = {
    ElementWiseOperation::kAND, ElementWiseOperation::kOR, ElementWiseOperation::kXOR};

TEST(ElementWise, FloatArithmeticBroadcasts)
{
    Rng rng(101);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (ElementWiseOperation op : kArithmetic)
    {
        SCOPED_TRACE("op " + std::to_string(static_cast<int>(op)));
        for (const auto& [sa, sb] : shapePairs(rng))
        {
            HostTensor a = kiln::test::randomTensor(sa, rng, -3.f, 3.f);
            HostTensor b = kiln::test::randomTensor(sb, rng, -3.f, 3.f);
            if (op == ElementWiseOperation::kPOW)
                for (float& v : a.f)
                    v = std::fabs(v) + 0.1f; // positive base
            if (op == ElementWiseOperation::kDIV || op == ElementWiseOperation::kFLOOR_DIV)
                for (float& v : b.f)
                    v = v < 0 ? v - 0.5f : v + 0.5f; // away from 0
            NetworkHarness h;
            const HostTensor out = runBinary(h, a, b, op);
            const Shape so = broadcastShape(sa, sb);
            std::vector<double> expected(static_cast<size_t>(count(so)));
            for (int64_t i = 0; i < count(so); ++i)
                expected[static_cast<size_t>(i)] =
                    floatReference(op, a.f[sourceIndex(so, sa, i)], b.f[sourceIndex(so, sb, i)]);
            kiln::test::expectClose(out, so, expected, 1e-5, 1e-5);
        }
    }
}

TEST(ElementWise, IntArithmeticBroadcasts)
{
    Rng rng(102);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (ElementWiseOperation op : kArithmetic)
    {
        SCOPED_TRACE("op " + std::to_string(static_cast<int>(op)));
        for (const auto& [sa, sb] : shapePairs(rng))
        {
            const bool pow = op == ElementWiseOperation::kPOW;
            // Division includes 0 divisors (defined as 0) and negative operands (floor).
            const HostTensor a = kiln::test::randomInts(sa, rng, pow ? -4 : -50, pow ? 4 : 50);
            const HostTensor b = kiln::test::randomInts(sb, rng, pow ? -2 : -9, pow ? 5 : 9);
            NetworkHarness h;
            const HostTensor out = runBinary(h, a, b, op);
            const Shape so = broadcastShape(sa, sb);
            std::vector<int32_t> expected(static_cast<size_t>(count(so)));
            for (int64_t i = 0; i < count(so); ++i)
                expected[static_cast<size_t>(i)] =
                    static_cast<int32_t>(intReference(op, a.i[sourceIndex(so, sa, i)], b.i[sourceIndex(so, sb, i)]));
            kiln::test::expectEqualInts(out, so, expected);
        }
    }
}

TEST(ElementWise, IntEdgeCasesWrapAndDivideByZero)
{
    const HostTensor a = HostTensor::ints({6}, {INT_MAX, INT_MIN, INT_MIN, 7, -7, 0});
    const HostTensor b = HostTensor::ints({6}, {1, -1, 0, -2, 2, 0});
    const std::vector<std::pair<ElementWiseOperation, std::vector<int32_t>>> cases = {
        {ElementWiseOperation::kSUM, {INT_MIN, INT_MAX, INT_MIN, 5, -5, 0}},
        {ElementWiseOperation::kFLOOR_DIV, {INT_MAX, INT_MIN, 0, -4, -4, 0}},
        {ElementWiseOperation::kDIV, {INT_MAX, INT_MIN, 0, -4, -4, 0}},
        {ElementWiseOperation::kPROD, {INT_MAX, INT_MIN, 0, -14, -14, 0}},
    };
    for (const auto& [op, expected] : cases)
    {
        NetworkHarness h;
        kiln::test::expectEqualInts(runBinary(h, a, b, op), {6}, expected);
    }
}

TEST(ElementWise, ComparisonsGiveBool)
{
    Rng rng(103);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (ElementWiseOperation op : kComparisons)
        for (DataType type : {DataType::kFLOAT, DataType::kINT32})
            for (const auto& [sa, sb] : shapePairs(rng))
            {
                // Few distinct values, so kEQUAL sees matches.
                HostTensor a = kiln::test::randomInts(sa, rng, -2, 2);
                HostTensor b = kiln::test::randomInts(sb, rng, -2, 2);
                std::vector<double> va(a.i.begin(), a.i.end()), vb(b.i.begin(), b.i.end());
                if (type == DataType::kFLOAT)
                {
                    a = HostTensor::floats(sa, std::vector<float>(a.i.begin(), a.i.end()));
                    b = HostTensor::floats(sb, std::vector<float>(b.i.begin(), b.i.end()));
                    for (float& v : a.f)
                        v *= 0.5f;
                    for (double& v : va)
                        v *= 0.5;
                }
                NetworkHarness h;
                const HostTensor out = runBinary(h, a, b, op);
                ASSERT_EQ(out.type, DataType::kBOOL);
                const Shape so = broadcastShape(sa, sb);
                std::vector<int32_t> expected(static_cast<size_t>(count(so)));
                for (int64_t i = 0; i < count(so); ++i)
                {
                    const double x = va[sourceIndex(so, sa, i)], y = vb[sourceIndex(so, sb, i)];
                    expected[static_cast<size_t>(i)] = op == ElementWiseOperation::kEQUAL ? x == y
                        : op == ElementWiseOperation::kGREATER                            ? x > y
                                                                                          : x < y;
                }
                kiln::test::expectEqualInts(out, so, expected);
            }
}

TEST(ElementWise, LogicalOnBoolInputsAndComparisons)
{
    Rng rng(104);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (ElementWiseOperation op : kLogical)
        for (const auto& [sa, sb] : shapePairs(rng))
        {
            HostTensor a = HostTensor::bools(sa, {});
            for (int64_t i = 0; i < count(sa); ++i)
                a.b.push_back(static_cast<uint8_t>(rng.uniformInt(0, 1)));
            // The second operand comes from a comparison: b = (x > 0).
            const HostTensor x = kiln::test::randomTensor(sb, rng, -1.f, 1.f);
            const HostTensor zero = HostTensor::floats(Shape(sb.size(), 1), {0.f});
            NetworkHarness h;
            ITensor* ta = h.input("a", a);
            ITensor* tx = h.input("x", x);
            ITensor* tz = h.input("zero", zero);
            ASSERT_TRUE(ta && tx && tz);
            IElementWiseLayer* cmp = h.network().addElementWise(*tx, *tz, ElementWiseOperation::kGREATER);
            ASSERT_NE(cmp, nullptr);
            EXPECT_EQ(cmp->getOutput(0)->getType(), DataType::kBOOL);
            IElementWiseLayer* layer = h.network().addElementWise(*ta, *cmp->getOutput(0), op);
            ASSERT_NE(layer, nullptr);
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            const Shape so = broadcastShape(sa, sb);
            std::vector<int32_t> expected(static_cast<size_t>(count(so)));
            for (int64_t i = 0; i < count(so); ++i)
            {
                const bool p = a.b[sourceIndex(so, sa, i)] != 0, q = x.f[sourceIndex(so, sb, i)] > 0.f;
                expected[static_cast<size_t>(i)] = op == ElementWiseOperation::kAND ? (p && q)
                    : op == ElementWiseOperation::kOR                               ? (p || q)
                                                                                    : (p != q);
            }
            kiln::test::expectEqualInts(outs[0], so, expected);
        }
}

TEST(ElementWise, ImplicitBatchInputsAndConstantBroadcast)
{
    Rng rng(105);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const int32_t batch = 3;
    // Two inputs broadcasting against each other inside each batch item.
    {
        NetworkHarness h(false);
        h.setBatch(batch);
        const HostTensor a = kiln::test::randomTensor({batch, 2, 1, 4}, rng);
        const HostTensor b = kiln::test::randomTensor({batch, 1, 3, 4}, rng);
        const HostTensor out = runBinary(h, a, b, ElementWiseOperation::kSUB);
        const Shape so = {batch, 2, 3, 4};
        std::vector<double> expected;
        for (int64_t i = 0; i < count(so); ++i)
            expected.push_back(static_cast<double>(a.f[sourceIndex(so, a.dims, i)]) - b.f[sourceIndex(so, b.dims, i)]);
        kiln::test::expectClose(out, so, expected);
    }
    // A constant (no batch) applies to every batch item, like sampleMNIST's mean subtraction.
    {
        NetworkHarness h(false);
        h.setBatch(batch);
        const HostTensor x = kiln::test::randomTensor({batch, 2, 3}, rng);
        const std::vector<float> mean = kiln::test::randomFloats(6, rng);
        ITensor* in = h.input("x", x);
        ASSERT_NE(in, nullptr);
        const Dims cd = HostTensor::zeros(DataType::kFLOAT, {2, 3}).apiDims();
        IConstantLayer* c = h.network().addConstant(cd, Weights{DataType::kFLOAT, mean.data(), 6});
        ASSERT_NE(c, nullptr);
        IElementWiseLayer* layer = h.network().addElementWise(*in, *c->getOutput(0), ElementWiseOperation::kSUB);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getOutput(0)->getDimensions().nbDims, 2);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> expected;
        for (size_t i = 0; i < x.f.size(); ++i)
            expected.push_back(static_cast<double>(x.f[i]) - mean[i % 6]);
        kiln::test::expectClose(outs[0], {batch, 2, 3}, expected);
    }
}

TEST(ElementWise, ShapeValuesFeedAReshape)
{
    // Shape(x) = [2,3,4]; (shape / [2,1,1]) * [1,1,2] = [1,3,8] drives a reshape of x.
    NetworkHarness h;
    Rng rng(106);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IShapeLayer* shape = h.network().addShape(*in);
    ASSERT_NE(shape, nullptr);
    const int32_t divisor[] = {2, 1, 1};
    const int32_t factor[] = {1, 1, 2};
    const Dims d1 = HostTensor::zeros(DataType::kINT32, {3}).apiDims();
    IConstantLayer* cDiv = h.network().addConstant(d1, Weights{DataType::kINT32, divisor, 3});
    IConstantLayer* cMul = h.network().addConstant(d1, Weights{DataType::kINT32, factor, 3});
    ASSERT_TRUE(cDiv && cMul);
    IElementWiseLayer* div =
        h.network().addElementWise(*shape->getOutput(0), *cDiv->getOutput(0), ElementWiseOperation::kFLOOR_DIV);
    ASSERT_NE(div, nullptr);
    IElementWiseLayer* mul =
        h.network().addElementWise(*div->getOutput(0), *cMul->getOutput(0), ElementWiseOperation::kPROD);
    ASSERT_NE(mul, nullptr);
    EXPECT_EQ(mul->getOutput(0)->getType(), DataType::kINT32);
    IShuffleLayer* reshape = h.network().addShuffle(*in);
    ASSERT_NE(reshape, nullptr);
    reshape->setInput(1, *mul->getOutput(0));
    const Dims od = reshape->getOutput(0)->getDimensions();
    ASSERT_EQ(od.nbDims, 3);
    EXPECT_EQ(od.d[0], 1);
    EXPECT_EQ(od.d[1], 3);
    EXPECT_EQ(od.d[2], 8);
    h.markOutput(reshape->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {1, 3, 8}, std::vector<double>(x.f.begin(), x.f.end()), 0, 0);
}

//! Builds a ∘ b with a named layer and expects the build to fail with an error naming it.
void expectRejected(const HostTensor& a, const HostTensor& b, ElementWiseOperation op, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* ta = h.input("a", a);
    ITensor* tb = h.input("b", b);
    ASSERT_TRUE(ta && tb);
    IElementWiseLayer* layer = h.network().addElementWise(*ta, *tb, op);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(ElementWise, BadInputsAreReportedWithTheLayerName)
{
    const HostTensor f4 = HostTensor::floats({4}, {1, 2, 3, 4});
    const HostTensor f3 = HostTensor::floats({3}, {1, 2, 3});
    const HostTensor f14 = HostTensor::floats({1, 4}, {1, 2, 3, 4});
    const HostTensor i4 = HostTensor::ints({4}, {1, 2, 3, 4});
    const HostTensor b4 = HostTensor::bools({4}, {1, 0, 1, 0});
    expectRejected(f4, i4, ElementWiseOperation::kSUM, "ew_mixed_types");
    expectRejected(f4, f3, ElementWiseOperation::kSUM, "ew_no_broadcast");
    expectRejected(f4, f14, ElementWiseOperation::kSUM, "ew_rank_mismatch");
    expectRejected(f4, f4, ElementWiseOperation::kAND, "ew_and_on_float");
    expectRejected(b4, b4, ElementWiseOperation::kSUM, "ew_sum_on_bool");
    expectRejected(b4, b4, ElementWiseOperation::kLESS, "ew_less_on_bool");
}

TEST(ElementWise, InvalidOperation)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* a = h.input("a", HostTensor::floats({2}, {1, 2}));
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(h.network().addElementWise(*a, *a, static_cast<ElementWiseOperation>(14)), nullptr);
    EXPECT_TRUE(h.logger().hasError("addElementWise")) << h.logger().errors();
    // Through the setter the build reports it.
    IElementWiseLayer* layer = h.network().addElementWise(*a, *a, ElementWiseOperation::kSUM);
    ASSERT_NE(layer, nullptr);
    layer->setName("ew_bad_op");
    layer->setOperation(static_cast<ElementWiseOperation>(-1));
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("ew_bad_op")) << h.logger().errors();
}

} // namespace
