// elementwise_chain_fusion and the PointwiseChain layer: chains of point-wise layers become one
// layer computing the same values (broadcasting included); the layer refuses bad programs.
#include "optimizer_test_util.h"

namespace kiln::optimizer::test
{
namespace
{

const layers::PointwiseChainParams* chainOf(const ir::Graph& g)
{
    for (const auto& l : g.layers)
        if (l->kind() == ir::LayerKind::kPointwiseChain)
            return static_cast<const layers::PointwiseChainParams*>(l->params.get());
    return nullptr;
}

TEST(ElementwiseChainFusion, FusesActivationsUnaryBinaryAndScale)
{
    TestGraph t;
    auto* x = t.input("x", dims({2, 4, 5, 6}));
    auto* y = t.input("y", dims({2, 4, 5, 6}));
    auto* v = t.act(x, ActivationType::kLEAKY_RELU, 0.2f);
    v = t.ew(v, t.constant(dims({1, 4, 1, 1})), ElementWiseOperation::kPROD);
    v = t.ew(y, v, ElementWiseOperation::kSUB); // the chain value on the right
    v = t.scale(v, ScaleMode::kCHANNEL, 1, 4);
    v = t.unary(v, UnaryOperation::kEXP);
    v = t.act(v, ActivationType::kSIGMOID);
    t.output(v);
    TestLogger log;
    auto g = optimized(t.g, {}, &log);
    const auto* chain = chainOf(*g);
    ASSERT_NE(chain, nullptr) << ir::printGraph(*g);
    EXPECT_EQ(chain->nbSteps(), 7); // leaky, prod, reversed sub, scale (prod + sum), exp, sigmoid
    EXPECT_EQ(chain->step(2).kind, layers::PointwiseStepKind::kBinaryReversed);
    EXPECT_TRUE(log.has("fused 6 point-wise layers into PointwiseChain")) << log.all();
    int others = 0;
    for (const auto& l : g->layers)
        others += l->kind() != ir::LayerKind::kPointwiseChain && l->kind() != ir::LayerKind::kConstant;
    EXPECT_EQ(others, 0) << ir::printGraph(*g);
    auto run = expectSameOutputs(t.g, {feed("x", dims({2, 4, 5, 6})), feed("y", dims({2, 4, 5, 6}), 3)});
    EXPECT_EQ(run.count("PointwiseChain"), 1);
}

TEST(ElementwiseChainFusion, BroadcastingPowerAndDynamicDims)
{
    TestGraph t;
    auto* x = t.input("x", dims({-1, 1, 5}));
    auto* y = t.input("y", dims({-1, 3, 5}));
    auto* v = t.ew(x, y, ElementWiseOperation::kMAX); // widens x
    v = t.scale(v, ScaleMode::kELEMENTWISE, 1, 15, 2.f);
    v = t.unary(v, UnaryOperation::kSQRT);
    t.output(v);
    auto g = optimized(t.g);
    ASSERT_NE(chainOf(*g), nullptr) << ir::printGraph(*g);
    builder::ProfileSpec profile;
    profile.entries.push_back({"x", dims({1, 1, 5}), dims({2, 1, 5}), dims({4, 1, 5})});
    profile.entries.push_back({"y", dims({1, 3, 5}), dims({2, 3, 5}), dims({4, 3, 5})});
    expectSameOutputs(t.g, {feed("x", dims({4, 1, 5})), feed("y", dims({4, 3, 5}), 3)}, 1e-6, 1e-6, 0, {profile});
}

TEST(ElementwiseChainFusion, TheChainInputCanBeAnOperand)
{
    // x · sigmoid(x + 1) (GELU-like): the last step's operand is the chain's own input.
    TestGraph t;
    auto* x = t.input("x", dims({2, 3, 9}));
    auto* v = t.ew(x, t.constant(dims({1, 1, 1})), ElementWiseOperation::kSUM);
    v = t.act(v, ActivationType::kSIGMOID);
    v = t.ew(v, x, ElementWiseOperation::kPROD);
    t.output(v);
    auto g = optimized(t.g);
    const auto* chain = chainOf(*g);
    ASSERT_NE(chain, nullptr) << ir::printGraph(*g);
    EXPECT_EQ(chain->step(2).operand, 0);
    expectSameOutputs(t.g, {feed("x", dims({2, 3, 9}))});
}

TEST(ElementwiseChainFusion, StopsAtSharedTensorsAndOutputs)
{
    TestGraph t;
    auto* x = t.input("x", dims({3, 7}));
    auto* a = t.act(x);
    auto* b = t.unary(a, UnaryOperation::kABS);
    t.output(b);                                 // b is an output: the chain cannot go past it
    auto* c = t.unary(b, UnaryOperation::kNEG);  // head of a new chain
    auto* d = t.ew(c, c, ElementWiseOperation::kSUM); // reads c twice: c ends that chain
    t.output(t.unary(d, UnaryOperation::kEXP));
    auto g = optimized(t.g);
    int chains = 0;
    for (const auto& l : g->layers)
        chains += l->kind() == ir::LayerKind::kPointwiseChain;
    EXPECT_EQ(chains, 1) << ir::printGraph(*g); // relu+abs; neg alone; (c+c)+exp is not a chain (both reads are c)
    expectSameOutputs(t.g, {feed("x", dims({3, 7}))});
}

ir::TensorDesc floatDesc(Dims d, DataType type = DataType::kFLOAT)
{
    ir::TensorDesc desc;
    desc.type = type;
    desc.dims = d;
    return desc;
}

TEST(PointwiseChain, ShapeInferenceRefusesBadPrograms)
{
    const auto x = floatDesc(dims({2, 3}));
    const auto row = floatDesc(dims({1, 3}));
    const auto flat = floatDesc(dims({6}));
    const auto ints = floatDesc(dims({2, 3}), DataType::kINT32);
    const auto infer = [](const layers::PointwiseChainParams& p, std::vector<const ir::TensorDesc*> ins, ir::TensorDesc* out) {
        ir::ShapeContext ctx("chain", ir::LayerKind::kPointwiseChain, std::move(ins), 1);
        Status s = p.inferShapes(ctx);
        if (out && s)
            *out = ctx.output(0);
        return s;
    };
    layers::PointwiseChainParams ok;
    ok.append({layers::PointwiseStepKind::kActivation, static_cast<int32_t>(ActivationType::kRELU), 0, 0.f, 0.f});
    ok.append({layers::PointwiseStepKind::kBinaryReversed, static_cast<int32_t>(ElementWiseOperation::kDIV), 1, 0.f, 0.f});
    ir::TensorDesc out;
    ASSERT_TRUE(infer(ok, {&row, &x}, &out).isOk());
    EXPECT_TRUE(sameDims(out.dims, dims({2, 3})));

    const auto expectRefused = [&](layers::PointwiseChainParams p, std::vector<const ir::TensorDesc*> ins, const std::string& needle) {
        Status s = infer(p, std::move(ins), nullptr);
        EXPECT_FALSE(s.isOk()) << needle;
        EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
    };
    expectRefused(layers::PointwiseChainParams{}, {&x}, "1 to 64 steps");
    auto truncated = ok;
    truncated.constants.pop_back();
    expectRefused(truncated, {&x, &x}, "1 to 64 steps");
    expectRefused(ok, {&x}, "operand 1 is not an input");
    auto badKind = ok;
    badKind.program[0] = 9;
    expectRefused(badKind, {&x, &x}, "invalid step kind 9");
    auto notFloat = ok;
    notFloat.program[0] = static_cast<int32_t>(layers::PointwiseStepKind::kUnary);
    notFloat.program[1] = static_cast<int32_t>(UnaryOperation::kNOT);
    expectRefused(notFloat, {&x, &x}, "not a FLOAT operation");
    auto logical = ok;
    logical.program[4] = static_cast<int32_t>(ElementWiseOperation::kAND);
    expectRefused(logical, {&x, &x}, "not a FLOAT arithmetic operation");
    expectRefused(ok, {&x, &ints}, "input 1");
    expectRefused(ok, {&x, &flat}, "");
    auto badActivation = ok;
    badActivation.program[1] = 99;
    expectRefused(badActivation, {&x, &x}, "invalid activation type 99");
}

} // namespace
} // namespace kiln::optimizer::test
