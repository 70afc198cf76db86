// dead_layers: layers no output depends on disappear; inputs and outputs stay.
#include "optimizer_test_util.h"

namespace kiln::optimizer::test
{
namespace
{

TEST(DeadLayers, DropsUnusedBranchesKeepsOutputsAndInputs)
{
    TestGraph t;
    auto* x = t.input("x", dims({2, 3, 4}));
    auto* unused = t.input("unused", dims({2}));
    auto* a = t.unary(x, UnaryOperation::kABS);
    t.output(t.unary(a, UnaryOperation::kNEG));
    t.unary(t.unary(a, UnaryOperation::kEXP), UnaryOperation::kLOG); // dead chain off a live tensor
    t.unary(unused, UnaryOperation::kSIN);                          // dead
    OptimizerOptions o;
    o.disabledPasses = {"elementwise_chain_fusion"};
    TestLogger log;
    auto g = optimized(t.g, o, &log);
    EXPECT_EQ(g->layers.size(), 2u) << ir::printGraph(*g);
    EXPECT_EQ(g->inputs.size(), 2u);
    EXPECT_TRUE(log.has("dead_layers: removed 3 layer(s): 'Unary3', 'Unary4', 'Unary5'")) << log.all();
    auto run = runPlan(t.g, o, {feed("x", dims({2, 3, 4})), feed("unused", dims({2}))});
    ASSERT_TRUE(run.isOk()) << run.status().message();
    EXPECT_EQ(run->layerKinds.size(), 2u);
}

TEST(DeadLayers, NothingToDoLeavesTheGraphAlone)
{
    TestGraph t;
    auto* x = t.input("x", dims({4}));
    t.output(t.unary(x, UnaryOperation::kABS));
    std::vector<PassRecord> records;
    auto g = optimized(t.g, {}, nullptr, &records);
    EXPECT_FALSE(records.front().changed);
    EXPECT_EQ(g->layers.size(), 1u);
}

} // namespace
} // namespace kiln::optimizer::test
