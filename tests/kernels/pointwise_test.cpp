// The element-wise, activation, scale and softmax AVX2 tactics against their reference kernels:
// lengths around the vector edges, every operation / activation / mode they claim, each broadcast
// pattern, batch > 1, special values, and what supports() must refuse.
#include "kernels/tactic_check.h"
#include "layers/activation.h"
#include "layers/element_wise.h"
#include "layers/scale.h"
#include "layers/softmax.h"

#include <cstring>
#include <limits>

namespace
{

using namespace kiln;
using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ScaleMode;

const kernels::Tactic& tactic(const char* name)
{
    const kernels::Tactic* t = kernels::findTactic(name);
    EXPECT_NE(t, nullptr) << name;
    return *t;
}

const int32_t kLengths[] = {1, 7, 8, 9, 15, 16, 17, 33};

// ----------------------------------------------------------------------------------------------
// ElementWise

const ElementWiseOperation kFloatOps[] = {ElementWiseOperation::kSUM, ElementWiseOperation::kPROD,
    ElementWiseOperation::kMAX, ElementWiseOperation::kMIN, ElementWiseOperation::kSUB, ElementWiseOperation::kDIV,
    ElementWiseOperation::kFLOOR_DIV, ElementWiseOperation::kPOW, ElementWiseOperation::kEQUAL,
    ElementWiseOperation::kGREATER, ElementWiseOperation::kLESS};

//! Values in [0.5, 2) for kPOW (no NaN from negative bases), small integers for the comparisons
//! (so that kEQUAL is sometimes true), [-1, 1) otherwise.
std::vector<float> operandValues(ElementWiseOperation op, const nvinfer1::Dims& d, uint32_t seed)
{
    const auto n = static_cast<size_t>(volume(d));
    if (op == ElementWiseOperation::kPOW)
        return test::randomFloats(n, seed, 0.5f, 2.f);
    std::vector<float> v = test::randomFloats(n, seed, -1.f, 1.f);
    if (layers::isComparisonOp(op))
        for (float& x : v)
            x = static_cast<float>(static_cast<int>(x * 2.f));
    return v;
}

test::TacticCase elementWiseCase(
    ElementWiseOperation op, const nvinfer1::Dims& a, const nvinfer1::Dims& b, uint32_t seed = 9)
{
    auto p = std::make_unique<layers::ElementWiseParams>();
    p->operation = op;
    test::TacticCase c;
    c.params = std::move(p);
    c.inputs = {{DataType::kFLOAT, a, std::nullopt}, {DataType::kFLOAT, b, std::nullopt}};
    c.values = {operandValues(op, a, seed), operandValues(op, b, seed + 1)};
    c.seed = seed;
    return c;
}

TEST(ElementWiseAvx2, BroadcastPatternsForEveryOperation)
{
    using test::dims;
    struct Shapes
    {
        nvinfer1::Dims a, b;
    };
    std::vector<Shapes> shapes;
    for (int32_t n : kLengths)
    {
        shapes.push_back({dims({2, n}), dims({2, n})});             // same shape
        shapes.push_back({dims({2, n}), dims({1, 1})});             // scalar b
        shapes.push_back({dims({1, 1}), dims({3, n})});             // scalar a
        shapes.push_back({dims({2, 3, n, 2}), dims({1, 3, 1, 1})}); // per channel
        shapes.push_back({dims({1, 1, n}), dims({2, 3, n})});       // trailing a
    }
    shapes.push_back({dims({2, 1, 5, 1}), dims({1, 3, 1, 7})}); // general broadcast on both sides
    shapes.push_back({dims({2, 3, 1, 9}), dims({2, 1, 4, 9})});
    shapes.push_back({dims({1}), dims({1})});
    shapes.push_back({dims({3, 40000}), dims({3, 40000})}); // several threads
    for (ElementWiseOperation op : kFloatOps)
        for (const Shapes& s : shapes)
            EXPECT_TRUE(test::checkTactic(tactic("elementwise.cpu.vector.avx2"), elementWiseCase(op, s.a, s.b)))
                << "op " << static_cast<int>(op) << " a " << toString(s.a) << " b " << toString(s.b);
}

TEST(ElementWiseAvx2, EmptyOutput)
{
    // Run directly: checkTactic's NaN fill passes a null pointer to memcpy for an empty output.
    const kernels::Tactic& t = tactic("elementwise.cpu.vector.avx2");
    layers::ElementWiseParams p;
    const nvinfer1::Dims a = test::dims({5, 0, 3});
    const nvinfer1::Dims b = test::dims({5, 1, 3});
    std::vector<ir::TensorDesc> ins{{DataType::kFLOAT, a, std::nullopt}, {DataType::kFLOAT, b, std::nullopt}};
    std::vector<ir::TensorDesc> outs{{DataType::kFLOAT, a, std::nullopt}};
    ASSERT_TRUE(t.supports(p, ins, outs));
    std::vector<float> bValues(15, 1.f);
    kernels::KernelArgs args;
    args.params = &p;
    args.pool = &backends::cpu::ThreadPool::global();
    args.inputs = {{nullptr, DataType::kFLOAT, a}, {bValues.data(), DataType::kFLOAT, b}};
    args.outputs = {{nullptr, DataType::kFLOAT, a}};
    EXPECT_TRUE(t.run(args));
}

TEST(ElementWiseAvx2, SpecialValues)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    // NaN on either side, signed zeros, exact quotients; every result finite or NaN (checkTactic
    // cannot compare infinities).
    std::vector<float> a{nan, 1.f, nan, -0.f, 0.f, 3.f, -3.f, 7.f, 2.5f, -2.5f, 1.f, nan, 0.5f, -1e-30f, 1e30f, 4.f};
    std::vector<float> b{1.f, nan, nan, 0.f, -0.f, 2.f, 2.f, -2.f, 0.5f, 0.5f, 1e30f, 2.f, -1e30f, 3.f, 1e10f, 4.f};
    for (ElementWiseOperation op : {ElementWiseOperation::kMAX, ElementWiseOperation::kMIN, ElementWiseOperation::kSUB,
             ElementWiseOperation::kFLOOR_DIV, ElementWiseOperation::kEQUAL, ElementWiseOperation::kGREATER,
             ElementWiseOperation::kLESS})
    {
        test::TacticCase c = elementWiseCase(op, test::dims({16}), test::dims({16}));
        c.values = {a, b};
        EXPECT_TRUE(test::checkTactic(tactic("elementwise.cpu.vector.avx2"), c)) << "op " << static_cast<int>(op);
    }
}

TEST(ElementWiseAvx2, LogicalOnBool)
{
    for (ElementWiseOperation op : {ElementWiseOperation::kAND, ElementWiseOperation::kOR, ElementWiseOperation::kXOR})
        for (int32_t n : {1, 31, 32, 33, 70})
            for (bool scalarB : {false, true})
            {
                const nvinfer1::Dims a = test::dims({2, n});
                const nvinfer1::Dims b = scalarB ? test::dims({1, 1}) : a;
                auto p = std::make_unique<layers::ElementWiseParams>();
                p->operation = op;
                test::TacticCase c;
                c.params = std::move(p);
                c.inputs = {{DataType::kBOOL, a, std::nullopt}, {DataType::kBOOL, b, std::nullopt}};
                // BOOL bytes packed into the float vectors checkTactic takes: 0, 1 and other non-zero bytes.
                for (const nvinfer1::Dims& d : {a, b})
                {
                    const auto count = static_cast<size_t>(volume(d));
                    std::vector<float> v(count);
                    std::vector<uint8_t> bytes(count);
                    std::vector<float> r =
                        test::randomFloats(count, static_cast<uint32_t>(count + c.values.size()), 0.f, 3.f);
                    for (size_t i = 0; i < count; ++i)
                        bytes[i] = static_cast<uint8_t>(r[i] < 1.f ? 0 : r[i] < 2.f ? 1 : 200);
                    std::memcpy(v.data(), bytes.data(), count);
                    c.values.push_back(v);
                }
                EXPECT_TRUE(test::checkTactic(tactic("elementwise.cpu.vector.avx2"), c))
                    << "op " << static_cast<int>(op) << " n " << n << " scalar " << scalarB;
            }
}

TEST(ElementWiseAvx2, Refuses)
{
    const kernels::Tactic& t = tactic("elementwise.cpu.vector.avx2");
    test::TacticCase c = elementWiseCase(ElementWiseOperation::kSUM, test::dims({2, 3}), test::dims({2, 3}));
    std::vector<ir::TensorDesc> outs{{DataType::kFLOAT, test::dims({2, 3}), std::nullopt}};
    EXPECT_TRUE(t.supports(*c.params, c.inputs, outs));
    std::vector<ir::TensorDesc> ints = c.inputs;
    ints[0].type = ints[1].type = DataType::kINT32;
    std::vector<ir::TensorDesc> intOut{{DataType::kINT32, test::dims({2, 3}), std::nullopt}};
    Status s = t.supports(*c.params, ints, intOut);
    EXPECT_FALSE(s);
    EXPECT_NE(s.message().find("INT32"), std::string::npos) << s.message();
    std::vector<ir::TensorDesc> badRank = c.inputs;
    badRank[1].dims = test::dims({3});
    EXPECT_FALSE(t.supports(*c.params, badRank, outs));
    std::vector<ir::TensorDesc> badBroadcast = c.inputs;
    badBroadcast[1].dims = test::dims({2, 2});
    EXPECT_FALSE(t.supports(*c.params, badBroadcast, outs));
    auto& p = static_cast<layers::ElementWiseParams&>(*c.params);
    p.operation = static_cast<ElementWiseOperation>(99);
    EXPECT_FALSE(t.supports(p, c.inputs, outs));
    p.operation = ElementWiseOperation::kAND;
    EXPECT_FALSE(t.supports(p, c.inputs, outs));
    EXPECT_FALSE(t.supports(layers::ElementWiseParams(), {}, {}));
}

// ----------------------------------------------------------------------------------------------
// Activation

struct Act
{
    ActivationType type;
    float alpha, beta;
};
const Act kActivations[] = {{ActivationType::kRELU, 0.f, 0.f}, {ActivationType::kLEAKY_RELU, 0.1f, 0.f},
    {ActivationType::kCLIP, -0.5f, 2.f}, {ActivationType::kSIGMOID, 0.f, 0.f}, {ActivationType::kTANH, 0.f, 0.f},
    {ActivationType::kSCALED_TANH, 1.7f, 0.66f}, {ActivationType::kHARD_SIGMOID, 0.2f, 0.5f},
    {ActivationType::kSOFTSIGN, 0.f, 0.f}, {ActivationType::kTHRESHOLDED_RELU, 0.4f, 0.f},
    {ActivationType::kELU, 0.9f, 0.f}, {ActivationType::kSELU, 1.6733f, 1.0507f}};

test::TacticCase activationCase(const Act& a, const nvinfer1::Dims& d, std::vector<float> values = {})
{
    auto p = std::make_unique<layers::ActivationParams>();
    p->type = a.type;
    p->alpha = a.alpha;
    p->beta = a.beta;
    test::TacticCase c;
    c.params = std::move(p);
    c.inputs = {{DataType::kFLOAT, d, std::nullopt}};
    // Wide inputs reach the saturated ends of sigmoid and tanh and exp's reduction steps.
    c.values = {values.empty() ? test::randomFloats(static_cast<size_t>(volume(d)), 11, -12.f, 12.f) : values};
    return c;
}

TEST(ActivationAvx2, EveryTypeOverLengths)
{
    for (const Act& a : kActivations)
    {
        for (int32_t n : kLengths)
            EXPECT_TRUE(test::checkTactic(tactic("activation.cpu.vector.avx2"), activationCase(a, test::dims({3, n}))))
                << "type " << static_cast<int>(a.type) << " n " << n;
        EXPECT_TRUE(test::checkTactic(tactic("activation.cpu.vector.avx2"), activationCase(a, test::dims({2, 64, 37}))))
            << "type " << static_cast<int>(a.type) << " large";
        // Near zero, where tanh and exp(x) - 1 must keep their relative accuracy.
        EXPECT_TRUE(test::checkTactic(tactic("activation.cpu.vector.avx2"),
            activationCase(a, test::dims({100}), test::randomFloats(100, 12, -0.7f, 0.7f))))
            << "type " << static_cast<int>(a.type) << " small";
    }
}

TEST(ActivationAvx2, SpecialValues)
{
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> v{0.f, -0.f, 1e-8f, -1e-8f, 0.6249f, 0.6251f, -0.625f, 9.f, -9.f, 40.f, -40.f, 87.f, -87.f,
        88.5f, -88.5f, 100.f, -100.f, -104.f, 1e30f, -1e30f, nan, inf, -inf};
    // Bounded activations only: an infinite output cannot be compared.
    for (ActivationType type : {ActivationType::kSIGMOID, ActivationType::kTANH})
        EXPECT_TRUE(test::checkTactic(tactic("activation.cpu.vector.avx2"),
            activationCase({type, 0.f, 0.f}, test::dims({static_cast<int32_t>(v.size())}), v)))
            << "type " << static_cast<int>(type);
    std::vector<float> finite(v.begin(), v.end() - 3);
    finite.push_back(nan);
    for (const Act& a : kActivations)
        EXPECT_TRUE(test::checkTactic(tactic("activation.cpu.vector.avx2"),
            activationCase(a, test::dims({static_cast<int32_t>(finite.size())}), finite)))
            << "type " << static_cast<int>(a.type);
}

TEST(ActivationAvx2, Refuses)
{
    const kernels::Tactic& t = tactic("activation.cpu.vector.avx2");
    std::vector<ir::TensorDesc> io{{DataType::kFLOAT, test::dims({4}), std::nullopt}};
    for (ActivationType type : {ActivationType::kSOFTPLUS, ActivationType::kGELU_ERF, ActivationType::kGELU_TANH,
             static_cast<ActivationType>(1234)})
    {
        layers::ActivationParams p;
        p.type = type;
        EXPECT_FALSE(t.supports(p, io, io)) << static_cast<int>(type);
    }
    layers::ActivationParams relu;
    EXPECT_TRUE(t.supports(relu, io, io));
    std::vector<ir::TensorDesc> half{{DataType::kHALF, test::dims({4}), std::nullopt}};
    EXPECT_FALSE(t.supports(relu, half, half));
    EXPECT_FALSE(t.supports(relu, {}, {}));
}

// ----------------------------------------------------------------------------------------------
// Scale

struct ScaleCase
{
    std::vector<float> scale, shift, power;
    test::TacticCase c;
};

std::unique_ptr<ScaleCase> scaleCase(
    ScaleMode mode, int32_t axis, const nvinfer1::Dims& d, bool scale, bool shift, bool power, uint32_t seed = 21)
{
    auto sc = std::make_unique<ScaleCase>();
    int64_t count = 1;
    if (mode == ScaleMode::kCHANNEL)
        count = d.d[axis];
    else if (mode == ScaleMode::kELEMENTWISE)
        count = volume(d, axis, d.nbDims);
    auto p = std::make_unique<layers::ScaleParams>();
    p->mode = mode;
    p->channelAxis = axis;
    auto weights = [&](bool on, std::vector<float>& store, float lo, float hi, uint32_t s) {
        if (!on)
            return ir::WeightsRef{};
        store = test::randomFloats(static_cast<size_t>(count), s, lo, hi);
        return ir::WeightsRef{DataType::kFLOAT, store.data(), count};
    };
    p->scale = weights(scale, sc->scale, -2.f, 2.f, seed + 1);
    // With a power, keep the base positive: x in [0.5, 1.5), scale in [0.5, 2), shift in [0, 1).
    if (power)
        p->scale = weights(scale, sc->scale, 0.5f, 2.f, seed + 1);
    p->shift = weights(shift, sc->shift, power ? 0.f : -1.f, 1.f, seed + 2);
    p->power = weights(power, sc->power, 0.5f, 3.f, seed + 3);
    sc->c.params = std::move(p);
    sc->c.inputs = {{DataType::kFLOAT, d, std::nullopt}};
    if (power)
        sc->c.values = {test::randomFloats(static_cast<size_t>(volume(d)), seed, 0.5f, 1.5f)};
    sc->c.seed = seed;
    return sc;
}

TEST(ScaleAvx2, ModesAxesAndWeights)
{
    for (ScaleMode mode : {ScaleMode::kUNIFORM, ScaleMode::kCHANNEL, ScaleMode::kELEMENTWISE})
        for (int32_t axis : {0, 1, 2})
            for (int32_t n : kLengths)
                for (int32_t terms = 0; terms < 8; ++terms)
                {
                    const nvinfer1::Dims d = test::dims({2, 3, n});
                    auto sc = scaleCase(mode, axis, d, terms & 1, terms & 2, terms & 4);
                    EXPECT_TRUE(test::checkTactic(tactic("scale.cpu.vector.avx2"), sc->c))
                        << "mode " << static_cast<int>(mode) << " axis " << axis << " n " << n << " scale "
                        << (terms & 1) << " shift " << (terms & 2) << " power " << (terms & 4);
                }
    // NCHW per channel, large enough for several threads.
    auto big = scaleCase(ScaleMode::kCHANNEL, 1, test::dims({2, 16, 33, 65}), true, true, false);
    EXPECT_TRUE(test::checkTactic(tactic("scale.cpu.vector.avx2"), big->c));
}

TEST(ScaleAvx2, Refuses)
{
    const kernels::Tactic& t = tactic("scale.cpu.vector.avx2");
    auto sc = scaleCase(ScaleMode::kCHANNEL, 1, test::dims({2, 3, 4}), true, true, false);
    auto& p = static_cast<layers::ScaleParams&>(*sc->c.params);
    std::vector<ir::TensorDesc> io = sc->c.inputs;
    EXPECT_TRUE(t.supports(p, io, io));
    p.channelAxis = 3;
    EXPECT_FALSE(t.supports(p, io, io));
    p.channelAxis = -1;
    EXPECT_FALSE(t.supports(p, io, io));
    p.channelAxis = 2; // 4 channels, 3 weights
    EXPECT_FALSE(t.supports(p, io, io));
    p.channelAxis = 1;
    p.mode = static_cast<ScaleMode>(9);
    EXPECT_FALSE(t.supports(p, io, io));
    EXPECT_FALSE(t.supports(layers::ScaleParams(), {}, {}));
}

// ----------------------------------------------------------------------------------------------
// SoftMax

test::TacticCase softmaxCase(const nvinfer1::Dims& d, int32_t axis)
{
    auto p = std::make_unique<layers::SoftMaxParams>();
    p->axes = 1u << axis;
    test::TacticCase c;
    c.params = std::move(p);
    c.inputs = {{DataType::kFLOAT, d, std::nullopt}};
    c.values = {test::randomFloats(static_cast<size_t>(volume(d)), 31, -20.f, 20.f)};
    return c;
}

TEST(SoftMaxAvx2, InnermostAxis)
{
    for (int32_t n : {1, 7, 8, 9, 15, 16, 17, 33, 1000})
        for (int32_t lines : {1, 5})
            EXPECT_TRUE(test::checkTactic(tactic("softmax.cpu.vector.avx2"), softmaxCase(test::dims({lines, 2, n}), 2)))
                << "n " << n << " lines " << lines;
}

TEST(SoftMaxAvx2, OuterAxes)
{
    // Lines strided by inner = 1·W ... W·H: inner around the 8 lanes and the softmax extent varied.
    for (int32_t inner : {1, 7, 8, 9, 17, 33})
        for (int32_t n : {1, 3, 16})
        {
            EXPECT_TRUE(test::checkTactic(tactic("softmax.cpu.vector.avx2"), softmaxCase(test::dims({2, n, inner}), 1)))
                << "axis 1 n " << n << " inner " << inner;
            EXPECT_TRUE(
                test::checkTactic(tactic("softmax.cpu.vector.avx2"), softmaxCase(test::dims({n, 3, inner, 2}), 0)))
                << "axis 0 n " << n << " inner " << inner;
        }
}

TEST(SoftMaxAvx2, RefusesBadAxes)
{
    const kernels::Tactic& t = tactic("softmax.cpu.vector.avx2");
    std::vector<ir::TensorDesc> io{{DataType::kFLOAT, test::dims({2, 3, 4}), std::nullopt}};
    layers::SoftMaxParams p;
    for (uint32_t axes : {1u, 2u, 4u})
    {
        p.axes = axes;
        EXPECT_TRUE(t.supports(p, io, io)) << axes;
    }
    for (uint32_t axes : {0u, 3u, 8u, 1u << 31})
    {
        p.axes = axes;
        EXPECT_FALSE(t.supports(p, io, io)) << axes;
    }
    EXPECT_FALSE(t.supports(p, {}, {}));
}

} // namespace
