// A small ResNet (stem conv+BN+ReLU, a basic block with an identity shortcut, one with a
// downsampling conv+BN shortcut, a fully connected head) in explicit- and implicit-batch form:
// every conv+BN(+ReLU)(+shortcut) becomes one convolution and the engine computes the same.
#include "optimizer_test_util.h"

namespace kiln::optimizer::test
{
namespace
{

constexpr double kFoldRtol = 1e-4; // BN folded into weights rounds differently

//! Builds the network; \p c is the channel axis (1 explicit, 0 implicit batch).
void buildResNet(TestGraph& t, ir::Tensor* x, int32_t c, int32_t spatial)
{
    auto convBn = [&](ir::Tensor* in, int32_t cin, int32_t cout, int32_t k, int32_t pad, int32_t stride) {
        return t.scale(t.conv(in, cin, cout, k, pad, false, 1, stride), ScaleMode::kCHANNEL, c, cout);
    };
    auto* stem = t.act(convBn(x, 3, 8, 3, 1, 1));
    // Block 1: identity shortcut.
    auto* b1 = t.act(t.ew(convBn(t.act(convBn(stem, 8, 8, 3, 1, 1)), 8, 8, 3, 1, 1), stem, ElementWiseOperation::kSUM));
    // Block 2: stride 2 with a 1x1 conv+BN shortcut.
    auto* main = convBn(t.act(convBn(b1, 8, 16, 3, 1, 2)), 16, 16, 3, 1, 1);
    auto* b2 = t.act(t.ew(main, convBn(b1, 8, 16, 1, 0, 2), ElementWiseOperation::kSUM));
    const int32_t s = spatial / 2;
    t.output(t.fc(b2, 16 * s * s, 10));
}

TEST(ResNet, ExplicitBatchFusesEveryConvBlock)
{
    TestGraph t;
    auto* x = t.input("x", dims({-1, 3, 12, 12}));
    buildResNet(t, x, 1, 12);
    builder::ProfileSpec profile;
    profile.entries.push_back({"x", dims({1, 3, 12, 12}), dims({2, 3, 12, 12}), dims({2, 3, 12, 12})});
    TestLogger log;
    auto run = expectSameOutputs(t.g, {feed("x", dims({2, 3, 12, 12}))}, kFoldRtol, 1e-5, 0, {profile}, {}, &log);
    // 6 convolutions (epilogues hold BN, ReLU and both shortcuts) and the FC: nothing else.
    EXPECT_EQ(run.count("Convolution"), 6) << ::testing::PrintToString(run.layerKinds);
    // Reformat layers from the layout choice may sit where a blocked tensor meets a row-major tactic.
    EXPECT_EQ(run.layerKinds.size() - static_cast<size_t>(run.count("Reformat")), 7u) << ::testing::PrintToString(run.layerKinds);
    EXPECT_TRUE(log.has("as the epilogue residual")) << log.all();
}

TEST(ResNet, ImplicitBatchNetwork)
{
    TestGraph t;
    t.g.implicitBatch = true;
    auto* x = t.input("x", dims({3, 8, 8}));
    buildResNet(t, x, 0, 8);
    auto run = expectSameOutputs(t.g, {feed("x", dims({2, 3, 8, 8}))}, kFoldRtol, 1e-5, 2);
    // Reformat layers from the layout choice may sit where a blocked tensor meets a row-major tactic.
    EXPECT_EQ(run.layerKinds.size() - static_cast<size_t>(run.count("Reformat")), 7u) << ::testing::PrintToString(run.layerKinds);
}

} // namespace
} // namespace kiln::optimizer::test
