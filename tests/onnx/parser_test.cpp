// nvonnxparser API behaviour: errors (code, node, description, source location), malformed and
// hostile models, external data, text models, supportsModel, dynamic shapes with shape tensors
// computed at run time, INT64/DOUBLE conversion. Models are written here with the ONNX protobuf
// classes (libonnx-dev); expected values are computed in the tests.
#include "NvOnnxConfig.h"
#include "NvOnnxParser.h"
#include "onnx_test_model.h"
#include "support/harness.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace
{

using kiln::test::CapturingLogger;
using nvinfer1::DataType;
using kiln::onnxtest::intAttr;
using kiln::onnxtest::kExplicit;
using kiln::onnxtest::Model;
using kiln::onnxtest::Ptr;
using kiln::onnxtest::TP;

//! Parser plus network plus builder for one test.
struct Session
{
    CapturingLogger logger;
    Ptr<nvinfer1::IBuilder> builder;
    Ptr<nvinfer1::INetworkDefinition> network;
    Ptr<nvonnxparser::IParser> parser;
    explicit Session(bool expectErrors = false, uint32_t flags = kExplicit)
    {
        logger.expectErrors(expectErrors);
        builder.reset(nvinfer1::createInferBuilder(logger));
        network.reset(builder->createNetworkV2(flags));
        parser.reset(nvonnxparser::createParser(*network, logger));
    }
    bool parse(const std::string& bytes) { return parser->parse(bytes.data(), bytes.size()); }
    std::string firstError() const { return parser->getNbErrors() ? parser->getError(0)->desc() : ""; }
    //! Builds and runs with \p inputs (by binding order); returns the float outputs.
    std::vector<std::vector<float>> run(const std::vector<std::vector<float>>& inputs, const std::vector<nvinfer1::Dims>& dims = {},
        nvinfer1::IOptimizationProfile* profile = nullptr)
    {
        Ptr<nvinfer1::IBuilderConfig> config(builder->createBuilderConfig());
        if (profile)
            config->addOptimizationProfile(profile);
        Ptr<nvinfer1::ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
        EXPECT_TRUE(engine);
        if (!engine)
            return {};
        Ptr<nvinfer1::IExecutionContext> ctx(engine->createExecutionContext());
        std::vector<void*> bindings(static_cast<size_t>(engine->getNbBindings()));
        std::vector<std::vector<float>> outs;
        int in = 0;
        for (int b = 0; b < engine->getNbBindings(); ++b)
            if (engine->bindingIsInput(b))
            {
                if (!dims.empty())
                {
                    EXPECT_TRUE(ctx->setBindingDimensions(b, dims[static_cast<size_t>(in)]));
                }
                bindings[static_cast<size_t>(b)] = const_cast<float*>(inputs[static_cast<size_t>(in++)].data());
            }
        outs.reserve(static_cast<size_t>(engine->getNbBindings()));
        for (int b = 0; b < engine->getNbBindings(); ++b)
            if (!engine->bindingIsInput(b))
            {
                const nvinfer1::Dims d = ctx->getBindingDimensions(b);
                int64_t n = 1;
                for (int k = 0; k < d.nbDims; ++k)
                    n *= d.d[k];
                outs.emplace_back(static_cast<size_t>(n));
                bindings[static_cast<size_t>(b)] = outs.back().data();
                lastDims.push_back(d);
            }
        EXPECT_TRUE(ctx->executeV2(bindings.data()));
        return outs;
    }
    std::vector<nvinfer1::Dims> lastDims;
};

Model reluModel()
{
    Model m;
    m.input("x", TP::FLOAT, {2, 3});
    m.node("Relu", {"x"}, {"y"}, "relu1");
    m.output("y");
    return m;
}

std::string tempDir()
{
    char tmpl[] = "/tmp/kiln_onnx_XXXXXX";
    const char* d = mkdtemp(tmpl);
    return d ? d : "/tmp";
}

TEST(OnnxParser, ParsesBuildsAndRunsASimpleModel)
{
    Session s;
    ASSERT_TRUE(s.parse(reluModel().bytes())) << s.firstError();
    EXPECT_EQ(s.parser->getNbErrors(), 0);
    ASSERT_EQ(s.network->getNbInputs(), 1);
    EXPECT_STREQ(s.network->getInput(0)->getName(), "x");
    EXPECT_STREQ(s.network->getOutput(0)->getName(), "y");
    auto outs = s.run({{-1, 2, -3, 4, -5, 6}});
    ASSERT_EQ(outs.size(), 1u);
    EXPECT_EQ(outs[0], (std::vector<float>{0, 2, 0, 4, 0, 6}));
}

TEST(OnnxParser, SupportsOperatorAnswersFromTheImporterTable)
{
    Session s;
    EXPECT_TRUE(s.parser->supportsOperator("Conv"));
    EXPECT_TRUE(s.parser->supportsOperator("LayerNormalization"));
    EXPECT_FALSE(s.parser->supportsOperator("NoSuchOp"));
    EXPECT_FALSE(s.parser->supportsOperator(nullptr));
}

TEST(OnnxParser, ImplicitBatchNetworksAreRefused)
{
    Session s(true, 0);
    EXPECT_FALSE(s.parse(reluModel().bytes()));
    ASSERT_EQ(s.parser->getNbErrors(), 1);
    EXPECT_EQ(s.parser->getError(0)->code(), nvonnxparser::ErrorCode::kINVALID_GRAPH);
    EXPECT_NE(s.firstError().find("explicit-batch"), std::string::npos);
}

TEST(OnnxParser, MalformedAndTruncatedModelsAreReportedNotCrashed)
{
    const std::string good = reluModel().bytes();
    Session s(true);
    const std::string garbage = "\x08\x96\x01\xff\xff\xff\xff\x0f garbage \x01\x02";
    EXPECT_FALSE(s.parse(garbage));
    ASSERT_GE(s.parser->getNbErrors(), 1);
    EXPECT_EQ(s.parser->getError(0)->code(), nvonnxparser::ErrorCode::kMODEL_DESERIALIZE_FAILED);
    EXPECT_FALSE(s.parser->parse(nullptr, 10));
    // Every truncation either fails cleanly or (if protobuf accepts the prefix) parses; none crash.
    int failures = 0;
    for (size_t cut = 1; cut < good.size(); ++cut)
    {
        Session t(true);
        failures += t.parse(good.substr(0, cut)) ? 0 : 1;
        if (t.parser->getNbErrors())
        {
            EXPECT_NE(t.parser->getError(0)->file(), nullptr);
            EXPECT_NE(t.parser->getError(0)->func(), nullptr);
        }
    }
    EXPECT_GT(failures, 0);
    s.parser->clearErrors();
    EXPECT_EQ(s.parser->getNbErrors(), 0);
}

TEST(OnnxParser, EveryUnknownOperatorIsReportedWithNodeOpAndOpset)
{
    Model m;
    m.input("x", TP::FLOAT, {2});
    m.node("Relu", {"x"}, {"a"}, "first");
    m.node("FrobnicateA", {"a"}, {"b"}, "mystery_a");
    m.node("FrobnicateB", {"b"}, {"c"}, "");
    m.output("c");
    Session s(true);
    EXPECT_FALSE(s.parse(m.bytes()));
    ASSERT_EQ(s.parser->getNbErrors(), 2);
    const nvonnxparser::IParserError* e = s.parser->getError(0);
    EXPECT_EQ(e->code(), nvonnxparser::ErrorCode::kUNSUPPORTED_NODE);
    EXPECT_EQ(e->node(), 1);
    const std::string d = e->desc();
    EXPECT_NE(d.find("mystery_a"), std::string::npos) << d;
    EXPECT_NE(d.find("FrobnicateA"), std::string::npos) << d;
    EXPECT_NE(d.find("opset 13"), std::string::npos) << d;
    EXPECT_EQ(s.parser->getError(1)->node(), 2);
    EXPECT_NE(std::string(s.parser->getError(1)->desc()).find("FrobnicateB_2"), std::string::npos);
    EXPECT_GT(s.parser->getError(0)->line(), 0);
    EXPECT_TRUE(s.logger.hasError("mystery_a"));
}

TEST(OnnxParser, WrongAttributeTypeNamesTheNodeAndAttribute)
{
    Model m;
    m.input("x", TP::FLOAT, {2, 3});
    auto& n = m.node("Softmax", {"x"}, {"y"}, "soft");
    auto* a = n.add_attribute();
    a->set_name("axis");
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(1.5f);
    m.output("y");
    Session s(true);
    EXPECT_FALSE(s.parse(m.bytes()));
    const std::string d = s.firstError();
    EXPECT_NE(d.find("soft"), std::string::npos) << d;
    EXPECT_NE(d.find("'axis'"), std::string::npos) << d;
    EXPECT_NE(d.find("FLOAT"), std::string::npos) << d;
    EXPECT_EQ(s.parser->getError(0)->node(), 0);
}

TEST(OnnxParser, InconsistentShapesAreReportedForTheNode)
{
    Model m;
    m.input("a", TP::FLOAT, {2, 3});
    m.input("b", TP::FLOAT, {4, 5});
    m.node("Add", {"a", "b"}, {"c"}, "bad_add");
    m.output("c");
    Session s(true);
    EXPECT_FALSE(s.parse(m.bytes()));
    EXPECT_NE(s.firstError().find("bad_add"), std::string::npos) << s.firstError();
    EXPECT_EQ(s.parser->getError(0)->node(), 0);
}

TEST(OnnxParser, UndefinedInputsAndOutputsAreInvalidGraphs)
{
    Model m;
    m.input("x", TP::FLOAT, {2});
    m.node("Add", {"x", "nowhere"}, {"y"}, "adder");
    m.output("y");
    Session s(true);
    EXPECT_FALSE(s.parse(m.bytes()));
    EXPECT_EQ(s.parser->getError(0)->code(), nvonnxparser::ErrorCode::kINVALID_GRAPH);
    EXPECT_NE(s.firstError().find("nowhere"), std::string::npos);

    Model n = reluModel();
    n.output("missing_output");
    Session t(true);
    EXPECT_FALSE(t.parse(n.bytes()));
    EXPECT_NE(t.firstError().find("missing_output"), std::string::npos);
}

TEST(OnnxParser, IrVersionAndOpsetRangesAreChecked)
{
    Model old(13, 2);
    old.input("x", TP::FLOAT, {1});
    old.node("Relu", {"x"}, {"y"});
    old.output("y");
    Session s(true);
    EXPECT_FALSE(s.parse(old.bytes()));
    EXPECT_NE(s.firstError().find("IR version 2"), std::string::npos);

    Model future(22);
    future.input("x", TP::FLOAT, {1});
    future.node("Relu", {"x"}, {"y"});
    future.output("y");
    Session t(true);
    EXPECT_FALSE(t.parse(future.bytes()));
    EXPECT_NE(t.firstError().find("opset 22"), std::string::npos);
}

TEST(OnnxParser, ExternalDataIsReadRelativeToTheModelFile)
{
    const std::string dir = tempDir();
    // Weights: 4 floats at offset 8 of weights.bin.
    const float w[4] = {1.5f, -2.f, 3.f, 0.25f};
    {
        std::ofstream f(dir + "/weights.bin", std::ios::binary);
        const char pad[8] = {};
        f.write(pad, 8);
        f.write(reinterpret_cast<const char*>(w), sizeof w);
    }
    Model m;
    m.input("x", TP::FLOAT, {4});
    TP* t = m.graph().add_initializer();
    t->set_name("w");
    t->set_data_type(TP::FLOAT);
    t->add_dims(4);
    t->set_data_location(TP::EXTERNAL);
    const std::pair<const char*, const char*> entries[] = {{"location", "weights.bin"}, {"offset", "8"}, {"length", "16"}};
    for (const auto& kv : entries)
    {
        auto* e = t->add_external_data();
        e->set_key(kv.first);
        e->set_value(kv.second);
    }
    m.node("Mul", {"x", "w"}, {"y"}, "scale");
    m.output("y");
    {
        std::ofstream f(dir + "/model.onnx", std::ios::binary);
        f << m.bytes();
    }
    Session s;
    ASSERT_TRUE(s.parser->parseFromFile((dir + "/model.onnx").c_str(), nvinfer1::ILogger::Severity::kWARNING)) << s.firstError();
    auto outs = s.run({{2, 2, 2, 2}});
    ASSERT_EQ(outs.size(), 1u);
    EXPECT_EQ(outs[0], (std::vector<float>{3, -4, 6, 0.5f}));

    // A missing file, a length past the end, and a path leaving the model's folder.
    const char* const locations[] = {"missing.bin", "weights.bin", "../weights.bin"};
    const char* const lengths[] = {"16", "64", "16"};
    for (int k = 0; k < 3; ++k)
    {
        t->mutable_external_data(0)->set_value(locations[k]);
        t->mutable_external_data(2)->set_value(lengths[k]);
        {
            std::ofstream f(dir + "/bad.onnx", std::ios::binary);
            f << m.bytes();
        }
        Session b(true);
        EXPECT_FALSE(b.parser->parseFromFile((dir + "/bad.onnx").c_str(), nvinfer1::ILogger::Severity::kWARNING));
        EXPECT_NE(b.firstError().find("'w'"), std::string::npos) << b.firstError();
    }
    std::remove((dir + "/weights.bin").c_str());
    std::remove((dir + "/model.onnx").c_str());
    std::remove((dir + "/bad.onnx").c_str());
    rmdir(dir.c_str());
}

TEST(OnnxParser, TextFormatModelsParse)
{
    const std::string text = R"(ir_version: 7 opset_import { version: 13 }
graph { name: "t" node { op_type: "Neg" input: "x" output: "y" }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_value: 3 } } } } }
  output { name: "y" } })";
    Session s;
    ASSERT_TRUE(s.parse(text)) << s.firstError();
    auto outs = s.run({{1, -2, 3}});
    EXPECT_EQ(outs[0], (std::vector<float>{-1, 2, -3}));
}

TEST(OnnxParser, Int64IsClampedToInt32WithAWarningAndDoubleBecomesFloat)
{
    Model m;
    m.input("x", TP::FLOAT, {2, 6});
    m.int64s("starts", {1}, {1});
    m.int64s("ends", {1}, {INT64_MAX}); // numpy's "to the end"
    m.int64s("axes", {1}, {1});
    m.node("Slice", {"x", "starts", "ends", "axes"}, {"s"}, "slicer");
    TP* d = m.graph().add_initializer();
    d->set_name("twice");
    d->set_data_type(TP::DOUBLE);
    d->add_double_data(2.0);
    m.node("Mul", {"s", "twice"}, {"y"}, "doubler");
    m.output("y");
    Session s;
    ASSERT_TRUE(s.parse(m.bytes())) << s.firstError();
    EXPECT_NE(s.logger.all().find("clamped"), std::string::npos);
    auto outs = s.run({{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}});
    EXPECT_EQ(outs[0], (std::vector<float>{2, 4, 6, 8, 10, 14, 16, 18, 20, 22}));
}

TEST(OnnxParser, SupportsModelListsSupportedRuns)
{
    Model m;
    m.input("x", TP::FLOAT, {2});
    m.node("Relu", {"x"}, {"a"});
    m.node("Unknowable", {"a"}, {"b"});
    m.node("Neg", {"b"}, {"c"});
    m.node("Abs", {"c"}, {"d"});
    m.output("d");
    Session s(true);
    SubGraphCollection_t collection;
    const std::string bytes = m.bytes();
    EXPECT_FALSE(s.parser->supportsModel(bytes.data(), bytes.size(), collection));
    ASSERT_EQ(collection.size(), 2u);
    EXPECT_EQ(collection[0].first, (std::vector<size_t>{0}));
    EXPECT_EQ(collection[1].first, (std::vector<size_t>{2, 3}));

    Session t;
    const std::string good = reluModel().bytes();
    EXPECT_TRUE(t.parser->supportsModel(good.data(), good.size(), collection));
    ASSERT_EQ(collection.size(), 1u);
    EXPECT_TRUE(collection[0].second);
}

TEST(OnnxParser, SymbolicDimsBecomeDynamicAndShapeTensorsResolveAtRunTime)
{
    // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [2, 3])): x [N, 6] -> [N, 2, 3].
    Model m;
    m.input("x", TP::FLOAT, {-1, 6}, {"N"});
    m.node("Shape", {"x"}, {"shape"});
    m.int64s("zero", {}, {0});
    auto& g = m.node("Gather", {"shape", "zero"}, {"n"});
    intAttr(g, "axis", 0);
    m.int64s("axes0", {1}, {0});
    m.node("Unsqueeze", {"n", "axes0"}, {"n1"});
    m.int64s("tail", {2}, {2, 3});
    auto& c = m.node("Concat", {"n1", "tail"}, {"target"});
    intAttr(c, "axis", 0);
    m.node("Reshape", {"x", "target"}, {"y"});
    m.output("y");
    Session s;
    ASSERT_TRUE(s.parse(m.bytes())) << s.firstError();
    const nvinfer1::Dims in = s.network->getInput(0)->getDimensions();
    ASSERT_EQ(in.nbDims, 2);
    EXPECT_EQ(in.d[0], -1);
    nvinfer1::IOptimizationProfile* p = s.builder->createOptimizationProfile();
    p->setDimensions("x", nvinfer1::OptProfileSelector::kMIN, nvinfer1::Dims2{1, 6});
    p->setDimensions("x", nvinfer1::OptProfileSelector::kOPT, nvinfer1::Dims2{2, 6});
    p->setDimensions("x", nvinfer1::OptProfileSelector::kMAX, nvinfer1::Dims2{4, 6});
    std::vector<float> x(24);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(i);
    auto outs = s.run({x}, {nvinfer1::Dims2{4, 6}}, p);
    ASSERT_EQ(outs.size(), 1u);
    EXPECT_EQ(outs[0], x);
    ASSERT_EQ(s.lastDims.size(), 1u);
    EXPECT_EQ(s.lastDims[0].nbDims, 3);
    EXPECT_EQ(s.lastDims[0].d[0], 4);
    EXPECT_EQ(s.lastDims[0].d[2], 3);
}

TEST(OnnxParser, ConstantSubgraphsAreFoldedAtParseTime)
{
    // The shape for the Reshape comes from Concat(Constant, Constant) -> no layer should remain
    // for those nodes: the network holds only the Reshape (a Shuffle).
    Model m;
    m.input("x", TP::FLOAT, {2, 6});
    m.int64s("a", {1}, {3});
    m.int64s("b", {1}, {4});
    auto& c = m.node("Concat", {"a", "b"}, {"shape"});
    intAttr(c, "axis", 0);
    m.node("Reshape", {"x", "shape"}, {"y"});
    m.output("y");
    Session s;
    ASSERT_TRUE(s.parse(m.bytes())) << s.firstError();
    EXPECT_EQ(s.network->getNbLayers(), 1);
    EXPECT_EQ(s.network->getLayer(0)->getType(), nvinfer1::LayerType::kSHUFFLE);
    const nvinfer1::Dims d = s.network->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], 3);
    EXPECT_EQ(d.d[1], 4);
}

TEST(OnnxParser, ParserOwnsWeightsUntilDestroyed)
{
    Model m;
    m.input("x", TP::FLOAT, {3});
    m.floats("w", {3}, {1, 2, 3});
    m.node("Add", {"x", "w"}, {"y"});
    m.output("y");
    Session s;
    {
        std::string bytes = m.bytes();
        ASSERT_TRUE(s.parse(bytes));
        bytes.assign(bytes.size(), '\0'); // the caller's buffer may go away after parse
    }
    auto outs = s.run({{1, 1, 1}});
    EXPECT_EQ(outs[0], (std::vector<float>{2, 3, 4}));
}

void strAttr(onnx::NodeProto& n, const std::string& name, const std::string& v)
{
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
}

TEST(OnnxParser, GeluOfOpset20BothApproximations)
{
    const std::vector<float> x{-3.f, -1.f, -0.25f, 0.f, 0.5f, 1.f, 2.5f};
    for (const std::string approx : {"none", "tanh"})
    {
        Model m(20);
        m.input("x", TP::FLOAT, {static_cast<int64_t>(x.size())});
        auto& n = m.node("Gelu", {"x"}, {"y"}, "gelu");
        strAttr(n, "approximate", approx);
        m.output("y");
        Session s;
        ASSERT_TRUE(s.parse(m.bytes())) << s.firstError();
        auto outs = s.run({x});
        ASSERT_EQ(outs.size(), 1u);
        for (size_t i = 0; i < x.size(); ++i)
        {
            const double v = x[i];
            const double want = approx == "none" ? 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)))
                                                 : 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
            EXPECT_NEAR(outs[0][i], want, 1e-5) << approx << " x=" << v;
        }
    }
}

TEST(OnnxParser, GroupNormalizationPerGroupAndPerChannelParameters)
{
    // x [1, 4, 3]: 2 groups of 2 channels. Opset 18 takes one scale/bias per group, opset 21 one
    // per channel.
    std::vector<float> x(12);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>((i * 7) % 5) - 1.5f + 0.1f * static_cast<float>(i);
    for (int64_t opset : {18, 21})
    {
        const std::vector<float> scale = opset == 18 ? std::vector<float>{2.f, -1.f} : std::vector<float>{2.f, 0.5f, -1.f, 3.f};
        const std::vector<float> bias = opset == 18 ? std::vector<float>{0.5f, 1.f} : std::vector<float>{0.5f, 0.f, 1.f, -2.f};
        Model m(opset);
        m.input("x", TP::FLOAT, {1, 4, 3});
        m.floats("scale", {static_cast<int64_t>(scale.size())}, scale);
        m.floats("bias", {static_cast<int64_t>(bias.size())}, bias);
        auto& n = m.node("GroupNormalization", {"x", "scale", "bias"}, {"y"}, "gn");
        intAttr(n, "num_groups", 2);
        m.output("y");
        Session s;
        ASSERT_TRUE(s.parse(m.bytes())) << s.firstError();
        auto outs = s.run({x});
        ASSERT_EQ(outs.size(), 1u);
        for (int g = 0; g < 2; ++g)
        {
            double mean = 0, var = 0;
            for (int k = 0; k < 6; ++k)
                mean += x[static_cast<size_t>(g * 6 + k)] / 6.0;
            for (int k = 0; k < 6; ++k)
                var += (x[static_cast<size_t>(g * 6 + k)] - mean) * (x[static_cast<size_t>(g * 6 + k)] - mean) / 6.0;
            for (int k = 0; k < 6; ++k)
            {
                const int c = g * 2 + k / 3;
                const size_t p = opset == 18 ? static_cast<size_t>(g) : static_cast<size_t>(c);
                const double want = (x[static_cast<size_t>(g * 6 + k)] - mean) / std::sqrt(var + 1e-5) * scale[p] + bias[p];
                EXPECT_NEAR(outs[0][static_cast<size_t>(g * 6 + k)], want, 1e-4) << "opset " << opset;
            }
        }
    }
}

TEST(OnnxParser, OnnxConfigHoldsItsSettings)
{
    nvonnxparser::IOnnxConfig* config = nvonnxparser::createONNXConfig();
    ASSERT_NE(config, nullptr);
    config->setModelFileName("mnist.onnx");
    EXPECT_STREQ(config->getModelFileName(), "mnist.onnx");
    config->setVerbosityLevel(static_cast<int>(nvinfer1::ILogger::Severity::kINFO));
    config->addVerbosity();
    EXPECT_EQ(config->getVerbosityLevel(), static_cast<int>(nvinfer1::ILogger::Severity::kVERBOSE));
    config->addVerbosity();
    EXPECT_EQ(config->getVerbosityLevel(), static_cast<int>(nvinfer1::ILogger::Severity::kVERBOSE));
    config->setModelDtype(DataType::kHALF);
    EXPECT_EQ(config->getModelDtype(), DataType::kHALF);
    config->destroy();
}

} // namespace
