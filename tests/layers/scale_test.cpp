// Scale against a float64 reference: the three modes, every combination of present and empty
// weights, addScale and addScaleNd in both batch modes, HALF weights, and bad weight counts.
#include "support/harness.h"

#include <cmath>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using Shape = std::vector<int32_t>;

namespace
{

//! How the layer is added: addScale (channelAxis < 0) or addScaleNd, in which batch mode.
struct Variant
{
    bool explicitBatch;
    int32_t channelAxis; //!< -1: addScale
    Shape dims;          //!< with the batch first in both modes
};

int64_t product(const Shape& s, size_t begin, size_t end)
{
    int64_t n = 1;
    for (size_t i = begin; i < end && i < s.size(); ++i)
        n *= s[i];
    return n;
}

//! Index of the weight for element \p index of a tensor of dims \p dims with the channel at
//! \p axis (an axis of \p dims, batch included).
size_t weightIndex(ScaleMode mode, const Shape& dims, size_t axis, int64_t index)
{
    if (mode == ScaleMode::kUNIFORM)
        return 0;
    const int64_t inner = product(dims, axis + 1, dims.size());
    if (mode == ScaleMode::kCHANNEL)
        return static_cast<size_t>((index / inner) % dims[axis]);
    return static_cast<size_t>(index % (inner * dims[axis]));
}

TEST(Scale, AllModesAndWeightCombinations)
{
    Rng rng(301);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Variant variants[] = {{true, -1, {2, 3, 4, 5}}, {true, 2, {2, 3, 4, 5}}, {false, -1, {2, 3, 4, 5}},
        {false, 1, {2, 3, 4, 5}}, {true, 0, {3, 5}}, {true, 3, {1, 2, 3, 4, 2}}, {false, 0, {3, 4, 1, 2}}};
    for (const Variant& v : variants)
        for (ScaleMode mode : {ScaleMode::kUNIFORM, ScaleMode::kCHANNEL, ScaleMode::kELEMENTWISE})
            for (int present = 0; present < 8; ++present) // bit 0 shift, 1 scale, 2 power
            {
                SCOPED_TRACE("explicit " + std::to_string(v.explicitBatch) + " axis " + std::to_string(v.channelAxis)
                    + " mode " + std::to_string(static_cast<int>(mode)) + " weights " + std::to_string(present));
                // The channel axis counted with the batch.
                const size_t axis =
                    v.channelAxis < 0 ? 1 : static_cast<size_t>(v.channelAxis) + (v.explicitBatch ? 0 : 1);
                const int64_t count = mode == ScaleMode::kUNIFORM ? 1
                    : mode == ScaleMode::kCHANNEL                 ? v.dims[axis]
                                                                  : product(v.dims, axis, v.dims.size());
                const std::vector<float> shift =
                    present & 1 ? kiln::test::randomFloats(count, rng, 0.f, 1.f) : std::vector<float>{};
                const std::vector<float> scale =
                    present & 2 ? kiln::test::randomFloats(count, rng, 0.5f, 1.5f) : std::vector<float>{};
                const std::vector<float> power =
                    present & 4 ? kiln::test::randomFloats(count, rng, -1.f, 2.f) : std::vector<float>{};
                const auto weights = [](const std::vector<float>& w) {
                    return Weights{DataType::kFLOAT, w.empty() ? nullptr : w.data(), static_cast<int64_t>(w.size())};
                };

                NetworkHarness h(v.explicitBatch);
                h.setBatch(v.dims[0]);
                const HostTensor x = kiln::test::randomTensor(v.dims, rng, 0.5f, 2.f); // positive bases for power
                ITensor* in = h.input("x", x);
                ASSERT_NE(in, nullptr);
                IScaleLayer* layer = v.channelAxis < 0
                    ? h.network().addScale(*in, mode, weights(shift), weights(scale), weights(power))
                    : h.network().addScaleNd(*in, mode, weights(shift), weights(scale), weights(power), v.channelAxis);
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getType(), LayerType::kSCALE);
                EXPECT_EQ(layer->getMode(), mode);
                EXPECT_EQ(layer->getChannelAxis(), v.channelAxis >= 0 ? v.channelAxis : v.explicitBatch ? 1 : 0);
                EXPECT_EQ(layer->getShift().count, static_cast<int64_t>(shift.size()));
                EXPECT_EQ(layer->getScale().values, scale.empty() ? nullptr : scale.data());
                EXPECT_EQ(layer->getPower().count, static_cast<int64_t>(power.size()));
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                std::vector<double> expected;
                for (int64_t i = 0; i < static_cast<int64_t>(x.f.size()); ++i)
                {
                    const size_t w = weightIndex(mode, v.dims, axis, i);
                    double y = x.f[static_cast<size_t>(i)];
                    y = y * (scale.empty() ? 1.0 : scale[w]) + (shift.empty() ? 0.0 : shift[w]);
                    expected.push_back(power.empty() ? y : std::pow(y, static_cast<double>(power[w])));
                }
                kiln::test::expectClose(outs[0], v.dims, expected, 1e-5, 1e-6);
            }
}

TEST(Scale, SettersReplaceWeightsAndMode)
{
    NetworkHarness h;
    ITensor* in = h.input("x", HostTensor::floats({1, 2, 1, 2}, {1, 2, 3, 4}));
    ASSERT_NE(in, nullptr);
    const float one[] = {10.f};
    IScaleLayer* layer = h.network().addScale(*in, ScaleMode::kUNIFORM, Weights{DataType::kFLOAT, one, 1},
        Weights{DataType::kFLOAT, nullptr, 0}, Weights{DataType::kFLOAT, nullptr, 0});
    ASSERT_NE(layer, nullptr);
    const float shift[] = {1.f, -1.f};
    const float scale[] = {2.f, 3.f};
    layer->setMode(ScaleMode::kCHANNEL);
    layer->setShift(Weights{DataType::kFLOAT, shift, 2});
    layer->setScale(Weights{DataType::kFLOAT, scale, 2});
    layer->setPower(Weights{DataType::kFLOAT, nullptr, 0});
    EXPECT_EQ(layer->getMode(), ScaleMode::kCHANNEL);
    EXPECT_EQ(layer->getShift().values, shift);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {1, 2, 1, 2}, {3, 5, 8, 11});
}

TEST(Scale, HalfWeights)
{
    // FP16 bit patterns of exactly representable values.
    const uint16_t scale[] = {0x3800, 0x3D00, 0xC000}; // 0.5, 1.25, -2
    const uint16_t shift[] = {0x3C00, 0x0000, 0x3400}; // 1, 0, 0.25
    NetworkHarness h;
    ITensor* in = h.input("x", HostTensor::floats({1, 3, 2}, {1, 2, 3, 4, 5, 6}));
    ASSERT_NE(in, nullptr);
    IScaleLayer* layer = h.network().addScale(*in, ScaleMode::kCHANNEL, Weights{DataType::kHALF, shift, 3},
        Weights{DataType::kHALF, scale, 3}, Weights{DataType::kFLOAT, nullptr, 0});
    ASSERT_NE(layer, nullptr);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {1, 3, 2}, {1.5, 2.0, 3.75, 5.0, -9.75, -11.75});
}

//! Adds a scale layer named \p name through \p add and expects the build to fail naming it.
template <typename Add>
void expectRejected(bool explicitBatch, const Shape& dims, const char* name, Add add)
{
    NetworkHarness h(explicitBatch);
    h.logger().expectErrors();
    Rng rng(302);
    ITensor* in = h.input("x", kiln::test::randomTensor(dims, rng));
    ASSERT_NE(in, nullptr);
    IScaleLayer* layer = add(h.network(), *in);
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(Scale, BadWeightsAreReportedWithTheLayerName)
{
    static const float w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const Weights none{DataType::kFLOAT, nullptr, 0};
    const auto f = [](int64_t n) { return Weights{DataType::kFLOAT, w, n}; };
    expectRejected(true, {1, 3, 2, 2}, "scale_uniform_two",
        [&](INetworkDefinition& n, ITensor& x) { return n.addScale(x, ScaleMode::kUNIFORM, f(2), none, none); });
    expectRejected(true, {1, 3, 2, 2}, "scale_channel_four",
        [&](INetworkDefinition& n, ITensor& x) { return n.addScale(x, ScaleMode::kCHANNEL, none, f(4), none); });
    // Implicit batch: the channel is the first axis of {3, 2, 2}; 2 power values do not fit.
    expectRejected(false, {1, 3, 2, 2}, "scale_implicit_channel",
        [&](INetworkDefinition& n, ITensor& x) { return n.addScale(x, ScaleMode::kCHANNEL, none, none, f(2)); });
    expectRejected(true, {1, 2, 2, 2}, "scale_elementwise_seven",
        [&](INetworkDefinition& n, ITensor& x) { return n.addScale(x, ScaleMode::kELEMENTWISE, f(7), none, none); });
    expectRejected(true, {1, 3, 2, 2}, "scale_int_weights", [&](INetworkDefinition& n, ITensor& x) {
        static const int32_t ints[3] = {1, 2, 3};
        return n.addScale(x, ScaleMode::kCHANNEL, Weights{DataType::kINT32, ints, 3}, none, none);
    });
    expectRejected(true, {2, 3}, "scale_axis_beyond_rank",
        [&](INetworkDefinition& n, ITensor& x) { return n.addScaleNd(x, ScaleMode::kUNIFORM, f(1), none, none, 2); });
    expectRejected(true, {1, 3, 2, 2}, "scale_bad_mode", [&](INetworkDefinition& n, ITensor& x) {
        IScaleLayer* l = n.addScale(x, ScaleMode::kUNIFORM, f(1), none, none);
        l->setMode(static_cast<ScaleMode>(3));
        return l;
    });
}

TEST(Scale, BadArgumentsFailAtAdd)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::floats({1, 2, 1, 1}, {1, 2}));
    ASSERT_NE(in, nullptr);
    const Weights none{DataType::kFLOAT, nullptr, 0};
    EXPECT_EQ(h.network().addScale(*in, static_cast<ScaleMode>(7), none, none, none), nullptr);
    EXPECT_EQ(h.network().addScaleNd(*in, ScaleMode::kUNIFORM, none, none, none, -1), nullptr);
    EXPECT_EQ(
        h.network().addScale(*in, ScaleMode::kUNIFORM, Weights{DataType::kFLOAT, nullptr, 1}, none, none), nullptr);
    EXPECT_TRUE(h.logger().hasError("addScale")) << h.logger().errors();
}

} // namespace
