// IParser::getRefitMap: which ONNX initializers went verbatim into which network layer and role.
// Models are written here with the ONNX protobuf classes (libonnx-dev).
#include "NvOnnxParser.h"
#include "onnx_test_model.h"
#include "support/harness.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace
{

using kiln::test::CapturingLogger;
using nvinfer1::WeightsRole;

using kiln::onnxtest::intsAttr;
using kiln::onnxtest::kExplicit;
using kiln::onnxtest::Model;
using kiln::onnxtest::Ptr;

//! An initializer of a recognisable pattern: start, start + 0.01, ... (period 17).
void pattern(Model& m, const std::string& name, const std::vector<int64_t>& dims, float start = 0.1f)
{
    int64_t n = 1;
    for (int64_t d : dims)
        n *= d;
    std::vector<float> values(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        values[static_cast<size_t>(i)] = start + 0.01f * static_cast<float>(i % 17);
    m.floats(name, dims, values);
}

struct Entry
{
    std::string weight, layer;
    WeightsRole role;
    bool operator<(const Entry& o) const { return std::tie(weight, layer, role) < std::tie(o.weight, o.layer, o.role); }
};

struct Session
{
    CapturingLogger logger;
    Ptr<nvinfer1::IBuilder> builder{nvinfer1::createInferBuilder(logger)};
    Ptr<nvinfer1::INetworkDefinition> network{builder->createNetworkV2(kExplicit)};
    Ptr<nvonnxparser::IParser> parser{nvonnxparser::createParser(*network, logger)};

    bool parse(const std::string& bytes) { return parser->parse(bytes.data(), bytes.size()); }
    std::vector<Entry> refitMap()
    {
        const int n = parser->getRefitMap(nullptr, nullptr, nullptr);
        std::vector<const char*> weights(static_cast<size_t>(n)), layers(static_cast<size_t>(n));
        std::vector<WeightsRole> roles(static_cast<size_t>(n));
        EXPECT_EQ(parser->getRefitMap(weights.data(), layers.data(), roles.data()), n);
        std::vector<Entry> out;
        for (size_t i = 0; i < static_cast<size_t>(n); ++i)
            out.push_back({weights[i], layers[i], roles[i]});
        return out;
    }
    nvinfer1::ILayer* layer(const std::string& name) const
    {
        for (int32_t i = 0; i < network->getNbLayers(); ++i)
            if (name == network->getLayer(i)->getName())
                return network->getLayer(i);
        return nullptr;
    }
};

//! Conv(W, B) -> Add(C) -> BatchNormalization(gamma, beta, mean, var) -> Relu -> Conv(W2, no bias)
//! and a second Conv sharing W2.
Model convBiasAddModel()
{
    Model m;
    m.input("x", onnx::TensorProto::FLOAT, {1, 2, 5, 5});
    pattern(m, "W", {3, 2, 3, 3});
    pattern(m, "B", {3});
    pattern(m, "C", {1, 3, 1, 1});
    for (const char* p : {"gamma", "beta", "mean"})
        pattern(m, p, {3});
    pattern(m, "var", {3}, 1.f);
    pattern(m, "W2", {3, 3, 1, 1});
    intsAttr(m.node("Conv", {"x", "W", "B"}, {"c1"}, "conv1"), "pads", {1, 1, 1, 1});
    m.node("Add", {"c1", "C"}, {"a1"}, "add1");
    m.node("BatchNormalization", {"a1", "gamma", "beta", "mean", "var"}, {"bn"}, "bn1");
    m.node("Relu", {"bn"}, {"r"}, "relu1");
    m.node("Conv", {"r", "W2"}, {"y1"}, "conv2a");
    m.node("Conv", {"r", "W2"}, {"y2"}, "conv2b");
    m.output("y1");
    m.output("y2");
    return m;
}

TEST(OnnxRefitMap, NamesTheLayersAndRolesInitializersWentTo)
{
    Session s;
    ASSERT_TRUE(s.parse(convBiasAddModel().bytes()));
    const std::vector<Entry> map = s.refitMap();
    std::map<std::string, std::vector<Entry>> byWeight;
    for (const Entry& e : map)
        byWeight[e.weight].push_back(e);

    ASSERT_EQ(byWeight["W"].size(), 1u);
    EXPECT_EQ(byWeight["W"][0].role, WeightsRole::kKERNEL);
    EXPECT_EQ(byWeight["W"][0].layer, "conv1");
    ASSERT_EQ(byWeight["B"].size(), 1u);
    EXPECT_EQ(byWeight["B"][0].role, WeightsRole::kBIAS);
    EXPECT_EQ(byWeight["B"][0].layer, "conv1");
    ASSERT_EQ(byWeight["C"].size(), 1u);
    EXPECT_EQ(byWeight["C"][0].role, WeightsRole::kCONSTANT);
    // One initializer feeding two layers: one entry each.
    ASSERT_EQ(byWeight["W2"].size(), 2u);
    EXPECT_EQ(byWeight["W2"][0].layer, "conv2a");
    EXPECT_EQ(byWeight["W2"][1].layer, "conv2b");
    // Batch-norm parameters are folded into new Scale weights: not refittable by initializer name.
    for (const char* p : {"gamma", "beta", "mean", "var"})
        EXPECT_EQ(byWeight.count(p), 0u) << p;
    EXPECT_EQ(map.size(), 5u);

    // Every named layer exists in the network, has the role's kind and holds exactly the initializer's
    // number of values.
    const std::map<std::string, int64_t> counts{{"W", 54}, {"B", 3}, {"C", 3}, {"W2", 9}};
    for (const Entry& e : map)
    {
        SCOPED_TRACE(e.weight + " -> " + e.layer);
        nvinfer1::ILayer* l = s.layer(e.layer);
        ASSERT_NE(l, nullptr);
        nvinfer1::Weights w{};
        if (e.role == WeightsRole::kCONSTANT)
        {
            ASSERT_EQ(l->getType(), nvinfer1::LayerType::kCONSTANT);
            w = static_cast<nvinfer1::IConstantLayer*>(l)->getWeights();
        }
        else
        {
            ASSERT_EQ(l->getType(), nvinfer1::LayerType::kCONVOLUTION);
            auto* c = static_cast<nvinfer1::IConvolutionLayer*>(l);
            w = e.role == WeightsRole::kKERNEL ? c->getKernelWeights() : c->getBiasWeights();
        }
        EXPECT_EQ(w.count, counts.at(e.weight));
        EXPECT_EQ(w.type, nvinfer1::DataType::kFLOAT);
    }
}

TEST(OnnxRefitMap, SizeProtocolWritesOnlyNonNullArrays)
{
    Session s;
    ASSERT_TRUE(s.parse(convBiasAddModel().bytes()));
    const int n = s.parser->getRefitMap(nullptr, nullptr, nullptr);
    ASSERT_EQ(n, 5);
    std::vector<WeightsRole> roles(static_cast<size_t>(n), WeightsRole::kSHIFT);
    EXPECT_EQ(s.parser->getRefitMap(nullptr, nullptr, roles.data()), n);
    EXPECT_EQ(std::set<WeightsRole>(roles.begin(), roles.end()),
        (std::set<WeightsRole>{WeightsRole::kKERNEL, WeightsRole::kBIAS, WeightsRole::kCONSTANT}));
}

TEST(OnnxRefitMap, GemmAndMatMulInitializersMapToTheLayersHoldingThem)
{
    // Gemm(transB=1) multiplies by B^T through the matrix multiply's transpose flag, so the parser
    // passes B itself (a Constant); MatMul's B and Gemm's C likewise.
    Model m;
    m.input("x", onnx::TensorProto::FLOAT, {2, 4});
    pattern(m, "Bt", {3, 4});
    pattern(m, "Cg", {3});
    pattern(m, "M", {3, 5});
    auto& g = m.node("Gemm", {"x", "Bt", "Cg"}, {"g"}, "gemm1");
    auto* a = g.add_attribute();
    a->set_name("transB");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(1);
    m.node("MatMul", {"g", "M"}, {"y"}, "mm1");
    m.output("y");
    Session s;
    ASSERT_TRUE(s.parse(m.bytes()));
    std::set<std::string> names;
    for (const Entry& e : s.refitMap())
    {
        names.insert(e.weight);
        nvinfer1::ILayer* l = s.layer(e.layer);
        ASSERT_NE(l, nullptr) << e.layer;
        // Whatever layer kind the parser chose, the listed weights hold the initializer's values.
        nvinfer1::Weights w{};
        if (l->getType() == nvinfer1::LayerType::kCONSTANT)
            w = static_cast<nvinfer1::IConstantLayer*>(l)->getWeights();
        else if (l->getType() == nvinfer1::LayerType::kFULLY_CONNECTED)
        {
            auto* f = static_cast<nvinfer1::IFullyConnectedLayer*>(l);
            w = e.role == WeightsRole::kKERNEL ? f->getKernelWeights() : f->getBiasWeights();
        }
        else
            FAIL() << e.layer << " has an unexpected kind";
        ASSERT_NE(w.values, nullptr);
        EXPECT_FLOAT_EQ(static_cast<const float*>(w.values)[0], 0.1f) << e.weight;
    }
    EXPECT_EQ(names, (std::set<std::string>{"Bt", "Cg", "M"}));
}

TEST(OnnxRefitMap, EmptyAfterAFailedParse)
{
    Session s;
    ASSERT_TRUE(s.parse(convBiasAddModel().bytes()));
    ASSERT_EQ(s.parser->getRefitMap(nullptr, nullptr, nullptr), 5);
    s.logger.expectErrors(true);
    const std::string garbage = "not a model";
    EXPECT_FALSE(s.parser->parse(garbage.data(), garbage.size()));
    EXPECT_EQ(s.parser->getRefitMap(nullptr, nullptr, nullptr), 0);
}

} // namespace
