// pointwisechain.cpu.vector.avx2 against the PointwiseChain reference kernel: the GELU chain the
// ONNX parser's Erf pattern fuses into, every vectorized step kind with broadcast operands of each
// pattern and lengths around the vector edges, the reversed binary forms, blocked layouts, what
// supports() refuses, and erf256 against std::erf.
#include "kernels/tactic_check.h"
#include "layers/pointwise_chain.h"

#include <cmath>

namespace
{

using namespace kiln;
using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::UnaryOperation;
using layers::PointwiseStep;
using Kind = layers::PointwiseStepKind;

const kernels::Tactic& chainTactic()
{
    const kernels::Tactic* t = kernels::findTactic("pointwisechain.cpu.vector.avx2");
    EXPECT_NE(t, nullptr);
    return *t;
}

PointwiseStep unary(UnaryOperation op)
{
    return PointwiseStep{Kind::kUnary, static_cast<int32_t>(op), 0, 0.f, 0.f};
}
PointwiseStep binary(ElementWiseOperation op, int32_t operand, bool reversed = false)
{
    return PointwiseStep{reversed ? Kind::kBinaryReversed : Kind::kBinary, static_cast<int32_t>(op), operand, 0.f, 0.f};
}
PointwiseStep activation(ActivationType a, float alpha = 0.f, float beta = 0.f)
{
    return PointwiseStep{Kind::kActivation, static_cast<int32_t>(a), 0, alpha, beta};
}

test::TacticCase chainCase(const std::vector<PointwiseStep>& steps, const std::vector<nvinfer1::Dims>& inputs, uint32_t seed = 3)
{
    auto p = std::make_unique<layers::PointwiseChainParams>();
    for (const PointwiseStep& s : steps)
        p->append(s);
    test::TacticCase c;
    c.params = std::move(p);
    for (const nvinfer1::Dims& d : inputs)
        c.inputs.push_back({DataType::kFLOAT, d, std::nullopt});
    c.seed = seed;
    return c;
}

TEST(PointwiseChainAvx2, GeluOverLengthsAndBatches)
{
    // x / sqrt(2) -> erf -> + 1 -> * x -> * 0.5, the constants as broadcast inputs.
    const std::vector<PointwiseStep> gelu = {binary(ElementWiseOperation::kDIV, 1), unary(UnaryOperation::kERF),
        binary(ElementWiseOperation::kSUM, 2), binary(ElementWiseOperation::kPROD, 0), binary(ElementWiseOperation::kPROD, 3)};
    for (int32_t n : {1, 7, 8, 9, 17, 255, 256, 257, 700})
    {
        test::TacticCase c = chainCase(gelu, {test::dims({2, 3, n}), test::dims({1, 1, 1}), test::dims({1, 1, 1}), test::dims({1, 1, 1})});
        c.values = {test::randomFloats(static_cast<size_t>(6 * n), 7, -4.f, 4.f), {1.41421356f}, {1.f}, {0.5f}};
        EXPECT_TRUE(test::checkTactic(chainTactic(), c)) << "length " << n;
    }
}

TEST(PointwiseChainAvx2, EveryStepWithEveryBroadcast)
{
    const std::vector<PointwiseStep> unaries = {unary(UnaryOperation::kEXP), unary(UnaryOperation::kABS), unary(UnaryOperation::kSQRT),
        unary(UnaryOperation::kNEG), unary(UnaryOperation::kFLOOR), unary(UnaryOperation::kCEIL), unary(UnaryOperation::kRECIP)};
    const ElementWiseOperation ops[] = {ElementWiseOperation::kSUM, ElementWiseOperation::kPROD, ElementWiseOperation::kSUB,
        ElementWiseOperation::kDIV, ElementWiseOperation::kMAX, ElementWiseOperation::kMIN};
    // The operand: full, per row (inner axis broadcast), per column (outer axes broadcast), scalar.
    const nvinfer1::Dims operands[] = {test::dims({3, 4, 19}), test::dims({3, 4, 1}), test::dims({1, 1, 19}), test::dims({1, 1, 1})};
    uint32_t seed = 11;
    for (ElementWiseOperation op : ops)
        for (bool reversed : {false, true})
            for (const nvinfer1::Dims& od : operands)
            {
                // sigmoid(x) <op> y, then |.|, sqrt of it plus one, then every other unary step.
                std::vector<PointwiseStep> steps = {activation(ActivationType::kSIGMOID), binary(op, 1, reversed),
                    unary(UnaryOperation::kABS), binary(ElementWiseOperation::kSUM, 2), unary(UnaryOperation::kSQRT)};
                for (const PointwiseStep& u : unaries)
                    steps.push_back(u);
                test::TacticCase c = chainCase(steps, {test::dims({3, 4, 19}), od, test::dims({1, 1, 1})}, seed++);
                c.values = {{}, test::randomFloats(static_cast<size_t>(volume(od)), seed, 0.5f, 2.f), {1.f}};
                EXPECT_TRUE(test::checkTactic(chainTactic(), c)) << "op " << static_cast<int>(op) << (reversed ? " reversed" : "");
            }
}

TEST(PointwiseChainAvx2, ActivationsWithParameters)
{
    const std::vector<PointwiseStep> steps = {activation(ActivationType::kLEAKY_RELU, 0.1f), activation(ActivationType::kCLIP, -0.5f, 0.75f),
        activation(ActivationType::kSCALED_TANH, 1.5f, 0.7f), activation(ActivationType::kELU, 0.3f), activation(ActivationType::kSELU, 1.67f, 1.05f),
        activation(ActivationType::kHARD_SIGMOID, 0.2f, 0.5f), activation(ActivationType::kSOFTSIGN), activation(ActivationType::kRELU)};
    test::TacticCase c = chainCase(steps, {test::dims({5, 37})});
    c.values = {test::randomFloats(5 * 37, 4, -3.f, 3.f)};
    EXPECT_TRUE(test::checkTactic(chainTactic(), c));
}

TEST(PointwiseChainAvx2, RefusesWhatItDoesNotVectorize)
{
    auto refused = [](const std::vector<PointwiseStep>& steps) {
        layers::PointwiseChainParams p;
        for (const PointwiseStep& s : steps)
            p.append(s);
        const ir::TensorDesc x{DataType::kFLOAT, test::dims({4, 8}), std::nullopt};
        return !chainTactic().supports(p, {x, x}, {x});
    };
    EXPECT_TRUE(refused({unary(UnaryOperation::kLOG)}));
    EXPECT_TRUE(refused({binary(ElementWiseOperation::kPOW, 1)}));
    EXPECT_TRUE(refused({activation(ActivationType::kSOFTPLUS)}));
    EXPECT_FALSE(refused({unary(UnaryOperation::kERF), binary(ElementWiseOperation::kMAX, 1)}));
    // Blocked layouts only when every tensor shares the layout and nothing broadcasts.
    layers::PointwiseChainParams p;
    p.append(binary(ElementWiseOperation::kSUM, 1));
    const ir::TensorDesc blocked{DataType::kFLOAT, test::dims({1, 8, 2, 2}), std::nullopt, ir::Layout::kChannels8};
    const ir::TensorDesc rowMajor{DataType::kFLOAT, test::dims({1, 8, 2, 2}), std::nullopt};
    const ir::TensorDesc scalarBlocked{DataType::kFLOAT, test::dims({1, 1, 1, 1}), std::nullopt, ir::Layout::kChannels8};
    EXPECT_TRUE(chainTactic().supports(p, {blocked, blocked}, {blocked}));
    EXPECT_FALSE(chainTactic().supports(p, {blocked, rowMajor}, {blocked}));
    EXPECT_FALSE(chainTactic().supports(p, {blocked, scalarBlocked}, {blocked}));
}

TEST(PointwiseChainAvx2, ErfIsCloseToStdErfEverywhere)
{
    // One chain step over a sweep of [-6, 6] and the special values.
    std::vector<float> x;
    for (int i = -60000; i <= 60000; ++i)
        x.push_back(static_cast<float>(i) * 1e-4f);
    x.insert(x.end(), {0.f, -0.f, 1e-30f, -1e-30f, 30.f, -30.f, std::numeric_limits<float>::infinity(),
        -std::numeric_limits<float>::infinity()});
    layers::PointwiseChainParams p;
    p.append(unary(UnaryOperation::kERF));
    std::vector<float> y(x.size(), std::nanf(""));
    kernels::KernelArgs a;
    a.params = &p;
    const nvinfer1::Dims d = test::dims({static_cast<int32_t>(x.size())});
    a.inputs.push_back({x.data(), DataType::kFLOAT, d});
    a.outputs.push_back({y.data(), DataType::kFLOAT, d});
    a.pool = &backends::cpu::ThreadPool::global();
    if (!(backends::cpuDevice().fingerprint().features & backends::kCpuAVX2))
        GTEST_SKIP() << "no AVX2";
    ASSERT_TRUE(chainTactic().run(a).isOk());
    double worst = 0.0;
    for (size_t i = 0; i < x.size(); ++i)
    {
        const double e = std::erf(static_cast<double>(x[i]));
        worst = std::max(worst, std::fabs(y[i] - e));
        // Near 0 the error is relative (the series), so erf(tiny) keeps its digits.
        const double allowed = std::fabs(x[i]) < 0.5f ? 1e-6 * std::fabs(e) + 1e-37 : 3e-7;
        ASSERT_LE(std::fabs(y[i] - e), allowed) << "x = " << x[i];
    }
    EXPECT_LT(worst, 3e-7);
    const std::vector<float> nan = {std::nanf("")};
    std::vector<float> out = {0.f};
    a.inputs[0] = {const_cast<float*>(nan.data()), DataType::kFLOAT, test::dims({1})};
    a.outputs[0] = {out.data(), DataType::kFLOAT, test::dims({1})};
    ASSERT_TRUE(chainTactic().run(a).isOk());
    EXPECT_TRUE(std::isnan(out[0]));
}

} // namespace
