// conv_fc_fusion: BatchNorm Scale, per-channel bias constants, activations and the ResNet
// shortcut add fold into convolution / fully connected layers, and nothing folds where it must
// not. Folding changes the rounding of weights and bias, hence rtol 1e-4 on those comparisons.
#include "optimizer_test_util.h"

namespace kiln::optimizer::test
{
namespace
{

constexpr double kFoldRtol = 1e-4; // folded weights round differently from scale-after-conv

const layers::ConvolutionParams& convParams(const ir::Graph& g, size_t index = 0)
{
    size_t seen = 0;
    for (const auto& l : g.layers)
        if (l->kind() == ir::LayerKind::kConvolution && seen++ == index)
            return static_cast<const layers::ConvolutionParams&>(*l->params);
    static const layers::ConvolutionParams kNone;
    ADD_FAILURE() << "no convolution " << index;
    return kNone;
}

TEST(ConvFcFusion, ConvBatchNormReluBecomesOneConvolution)
{
    TestGraph t;
    auto* x = t.input("x", dims({2, 3, 9, 9}));
    auto* y = t.act(t.scale(t.conv(x, 3, 8), ScaleMode::kCHANNEL, 1, 8));
    t.output(y);
    TestLogger log;
    auto g = optimized(t.g, {}, &log);
    ASSERT_EQ(g->layers.size(), 1u) << ir::printGraph(*g);
    const auto& p = convParams(*g);
    EXPECT_TRUE(p.epilogue.hasActivation);
    EXPECT_EQ(p.epilogue.activation, ActivationType::kRELU);
    EXPECT_EQ(g->layers[0]->outputs[0], g->outputs[0]);
    EXPECT_TRUE(log.has("conv_fc_fusion: fused 'Scale2' (Scale) into the weights of 'Convolution1'")) << log.all();
    expectSameOutputs(t.g, {feed("x", dims({2, 3, 9, 9}))}, kFoldRtol);
}

TEST(ConvFcFusion, BiaslessConvUniformScaleAndPerChannelConstants)
{
    TestGraph t;
    auto* x = t.input("x", dims({1, 4, 7, 7}));
    auto* c = t.conv(x, 4, 9, 3, 1, /*bias*/ false);
    c = t.scale(c, ScaleMode::kUNIFORM, 1, 1);
    c = t.ew(c, t.constant(dims({1, 9, 1, 1})), ElementWiseOperation::kSUB);
    c = t.ew(t.constant(dims({1, 9, 1, 1}), 0.5f, 2.f), c, ElementWiseOperation::kPROD);
    c = t.ew(t.constant(dims({1, 1, 1, 1})), c, ElementWiseOperation::kSUM);
    c = t.act(c, ActivationType::kLEAKY_RELU, 0.1f);
    t.output(c);
    auto g = optimized(t.g);
    EXPECT_EQ(t.count(ir::LayerKind::kConvolution), 1);
    ASSERT_EQ(g->layers.size(), 1u) << ir::printGraph(*g);
    EXPECT_EQ(convParams(*g).biasWeights.count, 9);
    expectSameOutputs(t.g, {feed("x", dims({1, 4, 7, 7}))}, kFoldRtol);
}

TEST(ConvFcFusion, ResNetBasicBlockWithShortcut)
{
    TestGraph t;
    auto* x = t.input("x", dims({2, 8, 8, 8}));
    auto* a = t.act(t.scale(t.conv(x, 8, 8), ScaleMode::kCHANNEL, 1, 8));
    auto* b = t.scale(t.conv(a, 8, 8), ScaleMode::kCHANNEL, 1, 8);
    auto* y = t.act(t.ew(b, x, ElementWiseOperation::kSUM));
    t.output(y);
    auto g = optimized(t.g);
    ASSERT_EQ(g->layers.size(), 2u) << ir::printGraph(*g);
    const auto& second = convParams(*g, 1);
    EXPECT_TRUE(second.epilogue.hasResidual);
    EXPECT_TRUE(second.epilogue.hasActivation);
    auto run = expectSameOutputs(t.g, {feed("x", dims({2, 8, 8, 8}))}, kFoldRtol);
    EXPECT_EQ(run.layerKinds.size(), 2u);
}

TEST(ConvFcFusion, DownsampleShortcutAndDynamicBatch)
{
    TestGraph t;
    auto* x = t.input("x", dims({-1, 4, 8, 8}));
    auto* main = t.scale(t.conv(t.act(t.conv(x, 4, 8, 3, 1, true, 1, 2)), 8, 8), ScaleMode::kCHANNEL, 1, 8);
    auto* shortcut = t.scale(t.conv(x, 4, 8, 1, 0, false, 1, 2), ScaleMode::kCHANNEL, 1, 8);
    t.output(t.act(t.ew(shortcut, main, ElementWiseOperation::kSUM)));
    auto g = optimized(t.g);
    EXPECT_EQ(g->layers.size(), 3u) << ir::printGraph(*g);
    builder::ProfileSpec profile;
    profile.entries.push_back({"x", dims({1, 4, 8, 8}), dims({3, 4, 8, 8}), dims({4, 4, 8, 8})});
    for (int32_t n : {1, 3})
    {
        auto run = expectSameOutputs(t.g, {feed("x", dims({n, 4, 8, 8}))}, kFoldRtol, 1e-5, 0, {profile});
        EXPECT_EQ(run.count("Convolution"), 3);
        EXPECT_EQ(run.layerKinds.size(), 3u);
    }
}

TEST(ConvFcFusion, FullyConnectedScaleAndActivation)
{
    TestGraph t;
    auto* x = t.input("x", dims({3, 5, 2, 2}));
    auto* y = t.act(t.scale(t.fc(x, 20, 7), ScaleMode::kCHANNEL, 1, 7), ActivationType::kSIGMOID);
    t.output(y);
    auto g = optimized(t.g);
    ASSERT_EQ(g->layers.size(), 1u) << ir::printGraph(*g);
    const auto& p = static_cast<const layers::FullyConnectedParams&>(*g->layers[0]->params);
    EXPECT_TRUE(p.epilogue.hasActivation);
    expectSameOutputs(t.g, {feed("x", dims({3, 5, 2, 2}))}, kFoldRtol);
}

TEST(ConvFcFusion, LeavesAloneWhatItMustNot)
{
    struct Case
    {
        const char* what;
        std::function<void(TestGraph&, ir::Tensor*)> build;
        size_t layers; //!< after optimization
    };
    const std::vector<Case> cases = {
        {"multi-consumer conv output",
            [](TestGraph& t, ir::Tensor* x) {
                auto* c = t.conv(x, 4, 4);
                t.output(t.act(c));
                t.output(t.unary(c, UnaryOperation::kABS));
            },
            3},
        {"conv output is a network output",
            [](TestGraph& t, ir::Tensor* x) {
                auto* c = t.conv(x, 4, 4);
                t.output(c);
                t.output(t.act(c));
            },
            2},
        {"power != 1", [](TestGraph& t, ir::Tensor* x) { t.output(t.scale(t.conv(x, 4, 4), ScaleMode::kCHANNEL, 1, 4, 2.f)); }, 2},
        {"scale on a spatial axis",
            [](TestGraph& t, ir::Tensor* x) { t.output(t.scale(t.conv(x, 4, 4), ScaleMode::kCHANNEL, 2, 6)); }, 2},
        {"constant broadcast over channels",
            [](TestGraph& t, ir::Tensor* x) {
                t.output(t.ew(t.conv(x, 4, 4), t.constant(dims({1, 1, 6, 6})), ElementWiseOperation::kSUM));
            },
            3},
        {"constant minus conv",
            [](TestGraph& t, ir::Tensor* x) {
                t.output(t.ew(t.constant(dims({1, 4, 1, 1})), t.conv(x, 4, 4), ElementWiseOperation::kSUB));
            },
            3},
        {"scale after the activation",
            [](TestGraph& t, ir::Tensor* x) { t.output(t.scale(t.act(t.conv(x, 4, 4)), ScaleMode::kCHANNEL, 1, 4)); }, 2},
        {"residual of other dims (broadcast)",
            [](TestGraph& t, ir::Tensor* x) {
                auto* other = t.input("y", dims({1, 4, 1, 6}));
                t.output(t.ew(t.conv(x, 4, 4), other, ElementWiseOperation::kSUM));
            },
            2},
    };
    for (const Case& c : cases)
    {
        TestGraph t;
        auto* x = t.input("x", dims({1, 4, 6, 6}));
        c.build(t, x);
        auto g = optimized(t.g);
        EXPECT_EQ(g->layers.size(), c.layers) << c.what << "\n" << ir::printGraph(*g);
        std::vector<Feed> feeds{feed("x", dims({1, 4, 6, 6}))};
        if (t.g.inputs.size() > 1)
            feeds.push_back(feed("y", dims({1, 4, 1, 6}), 5));
        SCOPED_TRACE(c.what);
        expectSameOutputs(t.g, feeds, kFoldRtol);
    }
}

TEST(ConvFcFusion, ImplicitBatchNetwork)
{
    TestGraph t;
    t.g.implicitBatch = true;
    auto* x = t.input("x", dims({3, 6, 6}));
    auto* a = t.act(t.scale(t.conv(x, 3, 4), ScaleMode::kCHANNEL, 0, 4));
    auto* b = t.ew(a, t.constant(dims({4, 1, 1})), ElementWiseOperation::kSUM);
    auto* y = t.act(t.fc(b, 4 * 6 * 6, 5), ActivationType::kCLIP, -0.2f, 0.3f);
    t.output(y);
    auto run = expectSameOutputs(t.g, {feed("x", dims({3, 3, 6, 6}))}, kFoldRtol, 1e-5, 3);
    // conv+bn+relu and fc+clip fuse; the add after the ReLU cannot fold into the bias.
    EXPECT_EQ(run.count("Scale"), 0) << ::testing::PrintToString(run.layerKinds);
    EXPECT_EQ(run.count("Activation"), 0) << ::testing::PrintToString(run.layerKinds);
    EXPECT_EQ(run.count("ElementWise"), 1) << ::testing::PrintToString(run.layerKinds);
}

} // namespace
} // namespace kiln::optimizer::test
