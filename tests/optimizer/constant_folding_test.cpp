// constant_folding: layers of constants become Constants (FLOAT and INT32 shape tensors alike),
// progressively along chains, and huge results are left alone.
#include "optimizer_test_util.h"

namespace kiln::optimizer::test
{
namespace
{

TEST(ConstantFolding, FoldsLayersOfConstantsProgressively)
{
    TestGraph t;
    auto* x = t.input("x", dims({2, 4, 3, 3}));
    auto* c = t.constant(dims({4, 1, 1, 1}));
    c = t.shuffle(c, {1, 0, 2, 3}, nullptr, {});   // {1,4,1,1}
    c = t.unary(c, UnaryOperation::kEXP);           // folded after the shuffle was
    t.output(t.ew(x, c, ElementWiseOperation::kPROD));
    TestLogger log;
    auto g = optimized(t.g, {}, &log);
    EXPECT_TRUE(log.has("constant_folding: folded 'Shuffle2' (Shuffle) into a Constant")) << log.all();
    EXPECT_TRUE(log.has("constant_folding: folded 'Unary3' (Unary) into a Constant")) << log.all();
    ASSERT_EQ(g->layers.size(), 2u) << ir::printGraph(*g);
    // The folded layer keeps the output tensor (name and identity) of the layer it replaces.
    const ir::Layer* folded = g->layers[0]->kind() == ir::LayerKind::kConstant ? g->layers[0].get() : g->layers[1].get();
    EXPECT_EQ(folded->kind(), ir::LayerKind::kConstant);
    EXPECT_EQ(folded->name, "Unary3");
    EXPECT_EQ(folded->outputs[0]->name, "Unary3 output");
    expectSameOutputs(t.g, {feed("x", dims({2, 4, 3, 3}))}, 1e-6, 1e-6);
}

TEST(ConstantFolding, Int32ShapeTensorsStayShapeTensors)
{
    TestGraph t;
    auto* x = t.input("x", dims({12}));
    auto* shape = t.ew(t.intConstant(dims({2}), {2, 3}), t.intConstant(dims({2}), {1, 1}), ElementWiseOperation::kSUM);
    auto p = std::make_unique<layers::ShuffleParams>();
    auto* y = t.add(std::move(p), {x, shape}, "reshape");
    t.output(t.unary(y, UnaryOperation::kNEG));
    TestLogger log;
    auto g = optimized(t.g, {}, &log);
    EXPECT_TRUE(log.has("folded 'ElementWise3' (ElementWise) into a Constant")) << log.all();
    EXPECT_EQ(g->layers.size(), 3u) << ir::printGraph(*g);
    auto run = runPlan(t.g, {}, {feed("x", dims({12}))});
    ASSERT_TRUE(run.isOk()) << run.status().message();
    expectSameOutputs(t.g, {feed("x", dims({12}))});
}

TEST(ConstantFolding, SkipsHugeResultsAndNonConstantInputs)
{
    TestGraph t;
    auto* x = t.input("x", dims({4194305}));
    auto* big = t.unary(t.constant(dims({4194305})), UnaryOperation::kABS); // 16 MiB + 4 bytes
    t.output(t.ew(x, big, ElementWiseOperation::kSUM));
    TestLogger log;
    OptimizerOptions o;
    o.disabledPasses = {"elementwise_chain_fusion"};
    auto g = optimized(t.g, o, &log);
    EXPECT_TRUE(log.has("not folding 'Unary2'")) << log.all();
    EXPECT_EQ(t.count(ir::LayerKind::kUnary), 1);
    int unary = 0;
    for (const auto& l : g->layers)
        unary += l->kind() == ir::LayerKind::kUnary;
    EXPECT_EQ(unary, 1);
}

} // namespace
} // namespace kiln::optimizer::test
