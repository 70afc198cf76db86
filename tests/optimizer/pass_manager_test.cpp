// The pass manager's debugging aids (records, disable, stop-after, dump, environment), the IR
// verifier catching broken graphs (also right after a pass that breaks one), and the printer.
#include "optimizer/pass_manager.h"
#include "optimizer_test_util.h"

#include <cstdlib>

namespace kiln::optimizer::test
{
namespace
{

//! conv + BN + ReLU plus an unused branch: every default pass but shuffles has work.
TestGraph sampleGraph()
{
    TestGraph t;
    auto* x = t.input("x", dims({1, 3, 5, 5}));
    t.output(t.act(t.scale(t.conv(x, 3, 4), ScaleMode::kCHANNEL, 1, 4)));
    t.unary(x, UnaryOperation::kEXP); // dead
    t.ew(t.unary(t.constant(dims({1, 3, 1, 1})), UnaryOperation::kABS), x, ElementWiseOperation::kSUM); // dead too
    return t;
}

std::vector<std::string> names(const std::vector<PassRecord>& records)
{
    std::vector<std::string> n;
    for (const auto& r : records)
        n.push_back(r.name + (r.ran ? (r.changed ? "+" : "=") : "-"));
    return n;
}

TEST(PassManager, RecordsWhatRanAndChanged)
{
    auto t = sampleGraph();
    std::vector<PassRecord> records;
    TestLogger log;
    auto g = optimized(t.g, {}, &log, &records);
    EXPECT_EQ(names(records), (std::vector<std::string>{"dead_layers+", "constant_folding=", "shuffle_simplification=",
                                  "conv_fc_fusion+", "elementwise_chain_fusion=", "dead_layers="}));
    EXPECT_EQ(g->layers.size(), 1u);
    EXPECT_TRUE(log.has("optimizer: pass 4 'conv_fc_fusion' (extended) changed the graph")) << log.all();
    EXPECT_TRUE(log.has("dead_layers: removed")) << log.all();
}

TEST(PassManager, DisableStopAfterAndDump)
{
    auto t = sampleGraph();
    {
        OptimizerOptions o;
        o.disabledPasses = {"conv_fc_fusion", "elementwise_chain_fusion"};
        std::vector<PassRecord> records;
        auto g = optimized(t.g, o, nullptr, &records);
        EXPECT_EQ(records[3].ran, false);
        EXPECT_EQ(g->layers.size(), 3u);
    }
    {
        OptimizerOptions o;
        o.stopAfterPass = 1;
        std::vector<PassRecord> records;
        auto g = optimized(t.g, o, nullptr, &records);
        EXPECT_EQ(names(records), (std::vector<std::string>{"dead_layers+", "constant_folding-", "shuffle_simplification-",
                                      "conv_fc_fusion-", "elementwise_chain_fusion-", "dead_layers-"}));
        EXPECT_EQ(g->layers.size(), 3u);
    }
    {
        OptimizerOptions o;
        o.disabledPasses = {"all"};
        auto g = optimized(t.g, o);
        EXPECT_EQ(g->layers.size(), t.g.layers.size());
    }
    {
        OptimizerOptions o;
        o.dumpPasses = {"conv_fc_fusion", "no_such_pass"};
        TestLogger log;
        auto g = optimized(t.g, o, &log);
        EXPECT_TRUE(log.has("graph before pass 4 'conv_fc_fusion'")) << log.all();
        EXPECT_TRUE(log.has("graph after pass 4 'conv_fc_fusion'")) << log.all();
        EXPECT_TRUE(log.has("[Scale]")) << log.all();
        EXPECT_FALSE(log.has("graph before pass 1")) << log.all();
        EXPECT_TRUE(log.has("no pass is named 'no_such_pass'")) << log.all();
    }
}

TEST(PassManager, EnvironmentAddsToOptions)
{
    auto t = sampleGraph();
    ::setenv("KILN_DISABLE_PASSES", "conv_fc_fusion, dead_layers", 1);
    ::setenv("KILN_STOP_AFTER_PASS", "5", 1);
    const OptimizerOptions o = withEnvironment({});
    ::unsetenv("KILN_DISABLE_PASSES");
    ::unsetenv("KILN_STOP_AFTER_PASS");
    EXPECT_EQ(o.disabledPasses, (std::vector<std::string>{"conv_fc_fusion", "dead_layers"}));
    EXPECT_EQ(o.stopAfterPass, 5);
    ::setenv("KILN_DISABLE_PASSES", "all", 1);
    auto g = optimized(t.g);
    ::unsetenv("KILN_DISABLE_PASSES");
    EXPECT_EQ(g->layers.size(), t.g.layers.size());
}

//! Breaks the graph on purpose: its first layer loses its input.
class BreakingPass final : public Pass
{
public:
    const char* name() const override { return "breaking"; }
    PassLevel level() const override { return PassLevel::kBasic; }
    Expected<bool> run(PassContext& ctx) override
    {
        ctx.graph().layers.front()->inputs[0] = nullptr;
        return true;
    }
};

TEST(PassManager, VerifierNamesThePassThatBrokeTheGraph)
{
    auto t = sampleGraph();
    std::vector<std::unique_ptr<Pass>> table;
    table.push_back(std::make_unique<BreakingPass>());
    PassManager manager(std::move(table));
    OptimizerOptions o;
    o.verifyPasses = true;
    TestLogger log;
    Status s = manager.run(t.g, o, Reporter(&log));
    ASSERT_FALSE(s.isOk());
    EXPECT_NE(s.message().find("pass 1 'breaking'"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("required input 0 is null"), std::string::npos) << s.message();
}

TEST(Verifier, CatchesBrokenGraphs)
{
    const auto expectError = [](const std::function<void(TestGraph&)>& breakIt, const std::string& needle) {
        auto t = sampleGraph();
        ASSERT_TRUE(ir::verifyGraph(t.g).isOk());
        breakIt(t);
        Status s = ir::verifyGraph(t.g);
        EXPECT_FALSE(s.isOk()) << needle;
        EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
    };
    expectError([](TestGraph& t) { t.g.layers[1]->name = t.g.layers[0]->name; }, "two layers are named");
    expectError([](TestGraph& t) { t.g.layers[1]->inputs.push_back(t.g.inputs[0]); }, "inputs; it takes");
    ir::Tensor stray;
    expectError([&](TestGraph& t) { t.g.layers[0]->inputs[0] = &stray; }, "is not a tensor of the graph");
    expectError([](TestGraph& t) { t.g.layers[0]->outputs[0]->producer = t.g.layers[1].get(); }, "names another producer");
    expectError([](TestGraph& t) { t.g.layers[0]->inputs[0] = t.g.layers[2]->outputs[0]; }, "cycle");
    expectError([](TestGraph& t) { t.g.outputs[0]->isOutput = false; }, "not flagged as an output");
    expectError(
        [](TestGraph& t) {
            auto& p = static_cast<layers::ConvolutionParams&>(*t.g.layers[0]->params);
            p.nbOutputMaps = 5; // the kernel weights no longer fit
        },
        "shape inference");
}

TEST(Printer, OneLinePerLayerWithKindsFieldsAndDims)
{
    auto t = sampleGraph();
    const std::string text = ir::printGraph(t.g);
    EXPECT_NE(text.find("graph 'network' (explicit batch): 1 inputs, 1 outputs, 7 layers"), std::string::npos) << text;
    EXPECT_NE(text.find("Convolution1 [Convolution] nbOutputMaps=4 kernelSize=[3,3]"), std::string::npos) << text;
    EXPECT_NE(text.find("weights{kernel=FLOAT[108] bias=FLOAT[4]}  ('x' [1,3,5,5]) -> ('Convolution1 output' [1,4,5,5])"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("Scale2 [Scale] mode=1 channelAxis=1"), std::string::npos) << text;
}

} // namespace
} // namespace kiln::optimizer::test
