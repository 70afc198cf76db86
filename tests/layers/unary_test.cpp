// Unary against a float64 reference: all 25 operations on inputs inside their domains, INT32
// kABS/kNEG/kSIGN (with wrap-around), kNOT on BOOL, kROUND on halves, kISINF/kISNAN giving BOOL,
// both batch modes, and bad input types.
#include "support/harness.h"

#include <climits>
#include <cmath>
#include <limits>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;

namespace
{

struct MathCase
{
    UnaryOperation op;
    float lo, hi; //!< input range inside the domain
};

double reference(UnaryOperation op, double x)
{
    switch (op)
    {
    case UnaryOperation::kEXP: return std::exp(x);
    case UnaryOperation::kLOG: return std::log(x);
    case UnaryOperation::kSQRT: return std::sqrt(x);
    case UnaryOperation::kRECIP: return 1.0 / x;
    case UnaryOperation::kABS: return std::fabs(x);
    case UnaryOperation::kNEG: return -x;
    case UnaryOperation::kSIN: return std::sin(x);
    case UnaryOperation::kCOS: return std::cos(x);
    case UnaryOperation::kTAN: return std::tan(x);
    case UnaryOperation::kSINH: return std::sinh(x);
    case UnaryOperation::kCOSH: return std::cosh(x);
    case UnaryOperation::kASIN: return std::asin(x);
    case UnaryOperation::kACOS: return std::acos(x);
    case UnaryOperation::kATAN: return std::atan(x);
    case UnaryOperation::kASINH: return std::asinh(x);
    case UnaryOperation::kACOSH: return std::acosh(x);
    case UnaryOperation::kATANH: return std::atanh(x);
    case UnaryOperation::kCEIL: return std::ceil(x);
    case UnaryOperation::kFLOOR: return std::floor(x);
    case UnaryOperation::kERF: return std::erf(x);
    case UnaryOperation::kSIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
    case UnaryOperation::kROUND: return x - std::remainder(x, 1.0); // remainder rounds halves to even
    case UnaryOperation::kNOT:
    case UnaryOperation::kISINF:
    case UnaryOperation::kISNAN: break;
    }
    return 0;
}

const MathCase kMathCases[] = {{UnaryOperation::kEXP, -5.f, 5.f}, {UnaryOperation::kLOG, 0.01f, 20.f},
    {UnaryOperation::kSQRT, 0.f, 20.f}, {UnaryOperation::kRECIP, 0.25f, 4.f}, {UnaryOperation::kABS, -5.f, 5.f},
    {UnaryOperation::kNEG, -5.f, 5.f}, {UnaryOperation::kSIN, -6.f, 6.f}, {UnaryOperation::kCOS, -6.f, 6.f},
    {UnaryOperation::kTAN, -1.4f, 1.4f}, {UnaryOperation::kSINH, -4.f, 4.f}, {UnaryOperation::kCOSH, -4.f, 4.f},
    {UnaryOperation::kASIN, -0.99f, 0.99f}, {UnaryOperation::kACOS, -0.99f, 0.99f}, {UnaryOperation::kATAN, -6.f, 6.f},
    {UnaryOperation::kASINH, -6.f, 6.f}, {UnaryOperation::kACOSH, 1.f, 20.f}, {UnaryOperation::kATANH, -0.99f, 0.99f},
    {UnaryOperation::kCEIL, -5.f, 5.f}, {UnaryOperation::kFLOOR, -5.f, 5.f}, {UnaryOperation::kERF, -3.f, 3.f},
    {UnaryOperation::kSIGN, -5.f, 5.f}, {UnaryOperation::kROUND, -9.f, 9.f}};

class UnaryMathTest : public ::testing::TestWithParam<std::tuple<MathCase, bool>>
{
};

TEST_P(UnaryMathTest, MatchesReference)
{
    const auto [c, explicitBatch] = GetParam();
    Rng rng(200 + static_cast<uint32_t>(c.op));
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (const std::vector<int32_t>& dims : {std::vector<int32_t>{2, 3, 5, 7}, {1, 1}, {3, 17}, {2, 1, 4, 1, 3}})
    {
        NetworkHarness h(explicitBatch);
        h.setBatch(dims[0]);
        HostTensor x = kiln::test::randomTensor(dims, rng, c.lo, c.hi);
        if (c.op == UnaryOperation::kRECIP)
            for (size_t i = 0; i < x.f.size(); i += 2)
                x.f[i] = -x.f[i]; // both signs, away from 0
        ITensor* in = h.input("x", x);
        ASSERT_NE(in, nullptr);
        IUnaryLayer* layer = h.network().addUnary(*in, c.op);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kUNARY);
        EXPECT_EQ(layer->getOperation(), c.op);
        EXPECT_EQ(layer->getOutput(0)->getType(), DataType::kFLOAT);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> expected;
        for (float v : x.f)
            expected.push_back(reference(c.op, v));
        kiln::test::expectClose(outs[0], dims, expected, 1e-5, 1e-6);
    }
}

INSTANTIATE_TEST_SUITE_P(AllOps, UnaryMathTest, ::testing::Combine(::testing::ValuesIn(kMathCases), ::testing::Bool()));

TEST(Unary, ScalarInput)
{
    NetworkHarness h;
    ITensor* in = h.input("x", HostTensor::floats({}, {2.f}));
    ASSERT_NE(in, nullptr);
    IUnaryLayer* layer = h.network().addUnary(*in, UnaryOperation::kSQRT);
    ASSERT_NE(layer, nullptr);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {}, {std::sqrt(2.0)});
}

TEST(Unary, IntAbsNegAndSign)
{
    for (bool explicitBatch : {true, false})
        for (UnaryOperation op : {UnaryOperation::kABS, UnaryOperation::kNEG, UnaryOperation::kSIGN})
        {
            const std::vector<int32_t> values = {0, 5, -5, INT_MAX, INT_MIN, -1, 7, -123456};
            NetworkHarness h(explicitBatch);
            h.setBatch(2);
            ITensor* in = h.input("x", HostTensor::ints({2, 4}, values));
            ASSERT_NE(in, nullptr);
            IUnaryLayer* layer = h.network().addUnary(*in, op);
            ASSERT_NE(layer, nullptr);
            EXPECT_EQ(layer->getOutput(0)->getType(), DataType::kINT32);
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            std::vector<int32_t> expected;
            for (int32_t v : values)
            {
                if (op == UnaryOperation::kSIGN)
                {
                    expected.push_back(v > 0 ? 1 : v < 0 ? -1 : 0);
                    continue;
                }
                // Two's complement: -INT_MIN wraps to INT_MIN.
                const int64_t r = op == UnaryOperation::kNEG || v < 0 ? -static_cast<int64_t>(v) : v;
                expected.push_back(r > INT_MAX ? INT_MIN : static_cast<int32_t>(r));
            }
            kiln::test::expectEqualInts(outs[0], {2, 4}, expected);
        }
}

TEST(Unary, RoundHalvesToEvenAndSignOfSpecialValues)
{
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> values = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 2.4999998f, 2.5000002f, 0.f, -0.f,
        8388609.f, -16777216.f, 1e30f, inf, -inf, nan};
    for (UnaryOperation op : {UnaryOperation::kROUND, UnaryOperation::kSIGN})
    {
        NetworkHarness h;
        ITensor* in = h.input("x", HostTensor::floats({4, 4}, values));
        ASSERT_NE(in, nullptr);
        IUnaryLayer* layer = h.network().addUnary(*in, op);
        ASSERT_NE(layer, nullptr);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> expected;
        for (float v : values)
            expected.push_back(op == UnaryOperation::kROUND ? std::nearbyint(static_cast<double>(v))
                    : std::isnan(v)                          ? static_cast<double>(nan)
                                                             : reference(op, v));
        kiln::test::expectClose(outs[0], {4, 4}, expected, 0, 0);
    }
}

TEST(Unary, IsInfAndIsNanGiveBool)
{
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> values = {0.f, -1.f, inf, -inf, nan, -nan, 3.4e38f, 1e-45f};
    for (bool explicitBatch : {true, false})
        for (UnaryOperation op : {UnaryOperation::kISINF, UnaryOperation::kISNAN})
        {
            NetworkHarness h(explicitBatch);
            h.setBatch(2);
            ITensor* in = h.input("x", HostTensor::floats({2, 4}, values));
            ASSERT_NE(in, nullptr);
            IUnaryLayer* layer = h.network().addUnary(*in, op);
            ASSERT_NE(layer, nullptr);
            EXPECT_EQ(layer->getOutput(0)->getType(), DataType::kBOOL);
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            std::vector<int32_t> expected;
            for (float v : values)
                expected.push_back(op == UnaryOperation::kISINF ? std::isinf(v) : std::isnan(v));
            kiln::test::expectEqualInts(outs[0], {2, 4}, expected);
        }
}

TEST(Unary, NotOnBoolInputAndComparison)
{
    NetworkHarness h;
    ITensor* b = h.input("b", HostTensor::bools({2, 3}, {1, 0, 0, 1, 1, 0}));
    ITensor* x = h.input("x", HostTensor::floats({2, 3}, {-1, 2, 0, 3, -4, 5}));
    ITensor* y = h.input("y", HostTensor::floats({1, 1}, {0.5f}));
    ASSERT_TRUE(b && x && y);
    IUnaryLayer* notB = h.network().addUnary(*b, UnaryOperation::kNOT);
    ASSERT_NE(notB, nullptr);
    EXPECT_EQ(notB->getOutput(0)->getType(), DataType::kBOOL);
    IElementWiseLayer* cmp = h.network().addElementWise(*x, *y, ElementWiseOperation::kLESS);
    ASSERT_NE(cmp, nullptr);
    IUnaryLayer* notCmp = h.network().addUnary(*cmp->getOutput(0), UnaryOperation::kNOT);
    ASSERT_NE(notCmp, nullptr);
    h.markOutput(notB->getOutput(0));
    h.markOutput(notCmp->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectEqualInts(outs[0], {2, 3}, {0, 1, 1, 0, 0, 1});
    kiln::test::expectEqualInts(outs[1], {2, 3}, {0, 1, 0, 1, 0, 1});
}

void expectRejected(const HostTensor& x, UnaryOperation op, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IUnaryLayer* layer = h.network().addUnary(*in, op);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(Unary, BadInputTypesAreReportedWithTheLayerName)
{
    expectRejected(HostTensor::ints({3}, {1, 2, 3}), UnaryOperation::kEXP, "unary_exp_int");
    expectRejected(HostTensor::floats({3}, {1, 2, 3}), UnaryOperation::kNOT, "unary_not_float");
    expectRejected(HostTensor::bools({3}, {1, 0, 1}), UnaryOperation::kABS, "unary_abs_bool");
    expectRejected(HostTensor::ints({3}, {1, 2, 3}), UnaryOperation::kNOT, "unary_not_int");
    expectRejected(HostTensor::ints({3}, {1, 2, 3}), UnaryOperation::kROUND, "unary_round_int");
    expectRejected(HostTensor::ints({3}, {1, 2, 3}), UnaryOperation::kISINF, "unary_isinf_int");
    expectRejected(HostTensor::bools({3}, {1, 0, 1}), UnaryOperation::kISNAN, "unary_isnan_bool");
    expectRejected(HostTensor::bools({3}, {1, 0, 1}), UnaryOperation::kSIGN, "unary_sign_bool");
}

TEST(Unary, InvalidOperation)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::floats({2}, {1, 2}));
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(h.network().addUnary(*in, static_cast<UnaryOperation>(25)), nullptr);
    EXPECT_TRUE(h.logger().hasError("addUnary")) << h.logger().errors();
    IUnaryLayer* layer = h.network().addUnary(*in, UnaryOperation::kEXP);
    ASSERT_NE(layer, nullptr);
    layer->setName("unary_bad_op");
    layer->setOperation(static_cast<UnaryOperation>(42));
    EXPECT_EQ(layer->getOperation(), static_cast<UnaryOperation>(42));
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("unary_bad_op")) << h.logger().errors();
}

} // namespace
