// Activation against a float64 reference: the worked example of a layer test.
#include "support/harness.h"

#include <cmath>
#include <functional>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;

namespace
{

double reference(ActivationType type, double x, double a, double b)
{
    switch (type)
    {
    case ActivationType::kRELU: return std::max(x, 0.0);
    case ActivationType::kSIGMOID: return 1.0 / (1.0 + std::exp(-x));
    case ActivationType::kTANH: return std::tanh(x);
    case ActivationType::kLEAKY_RELU: return x >= 0 ? x : a * x;
    case ActivationType::kELU: return x >= 0 ? x : a * (std::exp(x) - 1);
    case ActivationType::kSELU: return x > 0 ? b * x : b * a * (std::exp(x) - 1);
    case ActivationType::kSOFTSIGN: return x / (1 + std::fabs(x));
    case ActivationType::kSOFTPLUS: return a * std::log(std::exp(b * x) + 1);
    case ActivationType::kCLIP: return std::max(a, std::min(b, x));
    case ActivationType::kHARD_SIGMOID: return std::max(0.0, std::min(1.0, a * x + b));
    case ActivationType::kSCALED_TANH: return a * std::tanh(b * x);
    case ActivationType::kTHRESHOLDED_RELU: return x > a ? x : 0;
    case ActivationType::kGELU_ERF: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case ActivationType::kGELU_TANH:
        return 0.5 * x * (1 + std::tanh(std::sqrt(2 / std::acos(-1.0)) * (x + 0.044715 * x * x * x)));
    }
    return 0;
}

struct Case
{
    ActivationType type;
    float alpha, beta;
};

class ActivationTest : public ::testing::TestWithParam<std::tuple<Case, bool>>
{
};

TEST_P(ActivationTest, MatchesReference)
{
    const auto [c, explicitBatch] = GetParam();
    kiln::test::Rng rng(7 + static_cast<uint32_t>(c.type));
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (const std::vector<int32_t>& dims : {std::vector<int32_t>{2, 3, 5, 7}, {1, 1, 1}, {3, 17}, {2, 1, 4, 1, 3}})
    {
        NetworkHarness h(explicitBatch);
        h.setBatch(dims[0]);
        const HostTensor x = kiln::test::randomTensor(dims, rng, -4.f, 4.f);
        ITensor* in = h.input("x", x);
        ASSERT_NE(in, nullptr);
        IActivationLayer* layer = h.network().addActivation(*in, c.type);
        ASSERT_NE(layer, nullptr);
        layer->setAlpha(c.alpha);
        layer->setBeta(c.beta);
        EXPECT_EQ(layer->getType(), LayerType::kACTIVATION);
        EXPECT_EQ(layer->getActivationType(), c.type);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> expected;
        for (float v : x.f)
            expected.push_back(reference(c.type, v, c.alpha, c.beta));
        kiln::test::expectClose(outs[0], dims, expected, 1e-5, 1e-6);
    }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, ActivationTest,
    ::testing::Combine(::testing::Values(Case{ActivationType::kRELU, 0, 0}, Case{ActivationType::kSIGMOID, 0, 0},
                           Case{ActivationType::kTANH, 0, 0}, Case{ActivationType::kLEAKY_RELU, 0.1f, 0},
                           Case{ActivationType::kELU, 0.7f, 0}, Case{ActivationType::kSELU, 1.6732f, 1.0507f},
                           Case{ActivationType::kSOFTSIGN, 0, 0}, Case{ActivationType::kSOFTPLUS, 1.5f, 0.5f},
                           Case{ActivationType::kCLIP, -1.f, 2.f}, Case{ActivationType::kHARD_SIGMOID, 0.2f, 0.5f},
                           Case{ActivationType::kSCALED_TANH, 1.7f, 0.66f}, Case{ActivationType::kTHRESHOLDED_RELU, 0.5f, 0},
                           Case{ActivationType::kGELU_ERF, 0, 0}, Case{ActivationType::kGELU_TANH, 0, 0},
                           Case{ActivationType::kGELU_ERF, 3.f, -2.f}),
        ::testing::Bool()));

TEST(Activation, InvalidTypeIsReportedWithTheLayerName)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::floats({1, 4}, {1, 2, 3, 4}));
    IActivationLayer* layer = h.network().addActivation(*in, static_cast<ActivationType>(99));
    ASSERT_NE(layer, nullptr);
    layer->setName("bad_activation");
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("bad_activation")) << h.logger().errors();
}

TEST(Activation, IntInputIsRejected)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::ints({4}, {1, 2, 3, 4}));
    IActivationLayer* layer = h.network().addActivation(*in, ActivationType::kRELU);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("INT32")) << h.logger().errors();
}

} // namespace
