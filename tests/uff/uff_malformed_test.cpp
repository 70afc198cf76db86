// Malformed and unsupported UFF graphs: parse() must return false without crashing, and the
// error (logged and recorded) must name the node and what is wrong with it.
#include "uff_test_support.h"

#include <fstream>
#include <iterator>

using namespace ufftest;

namespace
{

//! The relu graph with node "out" replaced by \p op on \p inputs.
Graph withOut(const std::string& op, std::vector<std::string> inputs)
{
    Graph g = reluGraph();
    Node* out = g.find("out");
    out->op = op;
    out->inputs = std::move(inputs);
    out->fields.clear();
    return g;
}

class TestPluginFactory : public nvuffparser::IPluginFactory
{
public:
    explicit TestPluginFactory(bool claims)
        : mClaims(claims)
    {
    }
    bool isPlugin(const char* layerName) override
    {
        asked = layerName ? layerName : "";
        return mClaims;
    }
    IPlugin* createPlugin(const char*, const Weights*, int32_t, const nvuffparser::FieldCollection) override
    {
        created = true;
        return nullptr;
    }
    std::string asked;
    bool created{false};

private:
    bool mClaims;
};

} // namespace

TEST(UffMalformed, garbageBytes)
{
    Fixture f;
    EXPECT_FALSE(f.parse(std::string("\x0a\xff\xff\xff\x0fgarbage, not a protobuf", 27)));
    EXPECT_TRUE(f.logger.hasError("not a UFF file")) << f.logger.errors();
    EXPECT_GT(f.recorder.getNbErrors(), 0);
}

TEST(UffMalformed, truncatedFile)
{
    std::ifstream in(std::string(KILN_DATA_DIR) + "/mnist/lenet5.uff", std::ios::binary);
    ASSERT_TRUE(in);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t cut : {size_t{1}, size_t{100}, bytes.size() / 2, bytes.size() - 1})
    {
        Fixture f;
        ASSERT_TRUE(f.parser->registerInput("in", Dims3(1, 28, 28), UffInputOrder::kNCHW));
        EXPECT_FALSE(f.parse(bytes.substr(0, cut))) << "cut at " << cut;
        EXPECT_TRUE(f.logger.hasError("not a UFF file")) << f.logger.errors();
    }
}

TEST(UffMalformed, emptyBufferHasNoGraph)
{
    Fixture f;
    EXPECT_FALSE(f.parse(""));
    EXPECT_TRUE(f.logger.hasError("no graph")) << f.logger.errors();
    EXPECT_FALSE(f.parser->parseBuffer(nullptr, 10, *f.network, DataType::kFLOAT));
}

TEST(UffMalformed, unknownOp)
{
    expectFailure(withOut("FancyOp", {"in"}), {"'out'", "FancyOp", "not supported"});
}

TEST(UffMalformed, danglingInput)
{
    expectFailure(withOut("Activation", {"ghost"}), {"'out'", "'ghost'", "not a node"});
}

TEST(UffMalformed, cycle)
{
    Graph g = withOut("Activation", {"a"});
    g.find("out")->field("func", str("relu"));
    g.node("a", "Activation", {"b"}).field("func", str("relu"));
    g.node("b", "Binary", {"a", "in"}).field("func", str("add"));
    expectFailure(g, {"'b'", "cycle", "'a'"});
}

TEST(UffMalformed, duplicateNodeId)
{
    Graph g = reluGraph();
    g.node("out", "Identity", {"in"});
    expectFailure(g, {"'out'", "more than once"});
}

TEST(UffMalformed, nodeWithoutIdOrOperation)
{
    Graph g = reluGraph();
    g.node("", "Identity", {"in"});
    expectFailure(g, {"has no id"});
    expectFailure(withOut("", {"in"}), {"'out'", "no operation"});
}

TEST(UffMalformed, wrongInputCount)
{
    Graph g = withOut("Activation", {"in", "in"});
    g.find("out")->field("func", str("relu"));
    expectFailure(g, {"'out'", "(Activation)", "2 inputs"});
    expectFailure(withOut("Conv", {"in"}), {"'out'", "(Conv)", "1 inputs"});
    // Fuzzer findings: ops that read an input before checking there is one.
    expectFailure(withOut("Transpose", {}), {"'out'", "(Transpose)", "0 inputs"});
    expectFailure(withOut("StridedSlice", {"in"}), {"'out'", "(StridedSlice)", "1 inputs"});
}

TEST(UffMalformed, missingRef)
{
    Graph g = withOut("Binary", {"in", "c"});
    g.find("out")->field("func", str("add"));
    g.node("c", "Const")
        .field("dtype", dtype(kFloat32))
        .field("shape", ints({2}))
        .field("values", refTo("weights_nowhere"));
    expectFailure(g, {"'c'", "weights_nowhere", "referenced_data"});
}

TEST(UffMalformed, refLoop)
{
    Graph g = withOut("Binary", {"in", "c"});
    g.find("out")->field("func", str("add"));
    g.node("c", "Const").field("dtype", dtype(kFloat32)).field("shape", ints({2})).field("values", refTo("r1"));
    g.referenced.emplace_back("r1", refTo("r2"));
    g.referenced.emplace_back("r2", refTo("r1"));
    expectFailure(g, {"'c'", "loop"});
}

TEST(UffMalformed, wrongBlobSize)
{
    Graph g = withOut("Binary", {"in", "c"});
    g.find("out")->field("func", str("add"));
    g.constant("c", {2}, {1.f, 2.f, 3.f});
    expectFailure(g, {"'c'", "12 bytes", "needs 8"});
}

TEST(UffMalformed, unsupportedDtype)
{
    Graph g = withOut("Binary", {"in", "c"});
    g.find("out")->field("func", str("add"));
    g.constant("c", {2}, {1.f, 2.f}).fields[0].second = dtype(12345);
    expectFailure(g, {"'c'", "12345", "not supported"});
    Graph input = reluGraph();
    input.find("in")->fields[0].second = dtype(0x10040); // DT_INT64 inputs
    expectFailure(input, {"'in'", "DT_INT64"});
}

TEST(UffMalformed, unregisteredInput)
{
    expectFailure(reluGraph(), {"'in'", "not registered"}, /*registerIn=*/false);
}

TEST(UffMalformed, registeredInputNotInGraph)
{
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parser->registerInput("extra", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parse(reluGraph().serialize()));
    EXPECT_TRUE(f.logger.hasError("registered input 'extra'")) << f.logger.errors();
}

TEST(UffMalformed, registeredOutputNotInGraph)
{
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parser->registerOutput("nope"));
    EXPECT_FALSE(f.parse(reluGraph().serialize()));
    EXPECT_TRUE(f.logger.hasError("registered output 'nope'")) << f.logger.errors();
}

TEST(UffMalformed, inputShapeDisagreesWithRegistration)
{
    Graph g = reluGraph();
    g.find("in")->fields[1].second = ints({-1, 5, 5, 2});
    expectFailure(g, {"'in'", "does not agree", "kNCHW"});
}

TEST(UffMalformed, markOutputAsInput)
{
    Graph g = reluGraph();
    g.node("late", "Identity", {"MarkOutput_0"});
    expectFailure(g, {"'late'", "MarkOutput"});
}

TEST(UffMalformed, badOrders)
{
    Graph g = withOut("Pool", {"in"});
    g.find("out")
        ->field("func", str("max"))
        .field("kernel", ints({2, 2}))
        .field("inputs_orders", orders({{0, 7, kInc, 1}}));
    expectFailure(g, {"'out'", "inputs_orders", "permutation"});
}

TEST(UffMalformed, badFieldKind)
{
    Graph g = withOut("Activation", {"in"});
    g.find("out")->field("func", integer(3));
    expectFailure(g, {"'out'", "field 'func'", "expected s"});
}

TEST(UffMalformed, unknownFunction)
{
    Graph g = withOut("Activation", {"in"});
    g.find("out")->field("func", str("swish"));
    expectFailure(g, {"'out'", "swish"});
}

TEST(UffMalformed, fullyConnectedWeightsOfWrongSize)
{
    Graph g = withOut("FullyConnected", {"in", "w"});
    g.find("in")->fields[1].second = ints({-1, 5});
    g.constant("w", {3, 4}, std::vector<float>(12, 0.5f));
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims{1, {5}, {}}, UffInputOrder::kNC));
    EXPECT_FALSE(f.parse(g.serialize()));
    EXPECT_TRUE(f.logger.hasError("'out'")) << f.logger.errors();
    EXPECT_TRUE(f.logger.hasError("takes 3 inputs; the data has 5")) << f.logger.errors();
}

TEST(UffMalformed, convKernelOfWrongChannels)
{
    Graph g = withOut("Conv", {"in", "w"});
    g.constant("w", {3, 3, 3, 4}, std::vector<float>(108, 0.1f));
    expectFailure(g, {"'out'", "(Conv)", "input channels"});
    Graph rank = withOut("Conv", {"in", "w"});
    rank.constant("w", {3, 3, 2}, std::vector<float>(18, 0.1f));
    expectFailure(rank, {"'out'", "rank-4 kernel"});
}

TEST(UffMalformed, batchNormParametersOfWrongSize)
{
    Graph g = withOut("BatchNorm", {"in", "gamma", "beta", "mean", "var"});
    g.constant("gamma", {3}, {1.f, 1.f, 1.f});
    for (const char* p : {"beta", "mean", "var"})
        g.constant(p, {2}, {1.f, 1.f});
    expectFailure(g, {"'out'", "gamma has 3 values for 2 channels"});
}

TEST(UffMalformed, reshapeToWrongVolume)
{
    Graph g = withOut("Reshape", {"in", "shape"});
    g.node("shape", "Const").field("dtype", dtype(kInt32)).field("shape", ints({2})).field("values", ints({-1, 7}));
    expectFailure(g, {"'out'", "holds 7 elements; the input has 32 per batch item"});
    Graph inferred = withOut("Reshape", {"in", "shape"});
    inferred.node("shape", "Const")
        .field("dtype", dtype(kInt32))
        .field("shape", ints({3}))
        .field("values", ints({-1, -1, 7}));
    expectFailure(inferred, {"'out'", "does not fit 32 elements"});
}

TEST(UffMalformed, axisOnTheBatch)
{
    Graph g = withOut("Softmax", {"in"});
    g.find("out")->field("axis", integer(0));
    expectFailure(g, {"'out'", "batch axis"});
    Graph big = withOut("Softmax", {"in"});
    big.find("out")->field("axis", integer(9));
    expectFailure(big, {"'out'", "out of range"});
}

TEST(UffMalformed, kernelFromNetworkTensor)
{
    expectFailure(withOut("Conv", {"in", "in"}), {"'out'", "kernel", "constant"});
}

TEST(UffMalformed, customOpWithoutPluginFactory)
{
    expectFailure(withOut("_MyPlugin_TRT", {"in"}), {"'out'", "_MyPlugin_TRT", "no plugin factory"});
}

TEST(UffMalformed, customOpThePluginFactoryDeclines)
{
    TestPluginFactory factory(false);
    Fixture f;
    f.parser->setPluginFactory(&factory);
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parse(withOut("_MyPlugin_TRT", {"in"}).serialize()));
    EXPECT_EQ(factory.asked, "out");
    EXPECT_FALSE(factory.created);
    EXPECT_TRUE(f.logger.hasError("node 'out' (_MyPlugin_TRT)")) << f.logger.errors();
    EXPECT_TRUE(f.logger.hasError("isPlugin returned false")) << f.logger.errors();
}

TEST(UffMalformed, customOpThePluginFactoryClaims)
{
    TestPluginFactory factory(true);
    Fixture f;
    f.parser->setPluginFactory(&factory);
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parse(withOut("_MyPlugin_TRT", {"in"}).serialize()));
    EXPECT_EQ(factory.asked, "out");
    EXPECT_FALSE(factory.created) << "Kiln cannot use legacy IPlugins, so it must not create one";
    EXPECT_TRUE(f.logger.hasError("node 'out' (_MyPlugin_TRT)")) << f.logger.errors();
    EXPECT_TRUE(f.logger.hasError("legacy IPlugin")) << f.logger.errors();
    EXPECT_EQ(f.recorder.getErrorCode(0), ErrorCode::kUNSUPPORTED_STATE);
}

TEST(UffMalformed, batchExtentInArithmetic)
{
    // Shape -> Binary mul: the batch size is not known while parsing.
    Graph g = withOut("Reshape", {"in", "target"});
    g.node("shape", "Shape", {"in"});
    g.node("target", "Binary", {"shape", "two"}).field("func", str("mul"));
    g.node("two", "Const").field("dtype", dtype(kInt32)).field("shape", ints({})).field("values", ints({2}));
    expectFailure(g, {"'target'", "batch size"});
}
