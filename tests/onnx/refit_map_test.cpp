// IParser::getRefitMap: which ONNX initializers went verbatim into which network layer and role.
// Models are written here with the ONNX protobuf classes (libonnx-dev).
#include "NvOnnxParser.h"
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
using TP = onnx::TensorProto;

template <typename T>
struct Destroy
{
    void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T>
using Ptr = std::unique_ptr<T, Destroy<T>>;

constexpr uint32_t kExplicit = 1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);

struct Model
{
    onnx::ModelProto proto;
    Model()
    {
        proto.set_ir_version(8);
        proto.add_opset_import()->set_version(13);
        proto.mutable_graph()->set_name("g");
    }
    onnx::GraphProto& graph() { return *proto.mutable_graph(); }
    void input(const std::string& name, const std::vector<int64_t>& dims)
    {
        auto* t = graph().add_input();
        t->set_name(name);
        auto* tt = t->mutable_type()->mutable_tensor_type();
        tt->set_elem_type(TP::FLOAT);
        for (int64_t d : dims)
            tt->mutable_shape()->add_dim()->set_dim_value(d);
    }
    void output(const std::string& name) { graph().add_output()->set_name(name); }
    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& in,
        const std::vector<std::string>& out, const std::string& name)
    {
        auto* n = graph().add_node();
        n->set_op_type(op);
        n->set_name(name);
        for (const auto& i : in)
            n->add_input(i);
        for (const auto& o : out)
            n->add_output(o);
        return *n;
    }
    void floats(const std::string& name, const std::vector<int64_t>& dims, float start = 0.1f)
    {
        TP* t = graph().add_initializer();
        t->set_name(name);
        t->set_data_type(TP::FLOAT);
        int64_t n = 1;
        for (int64_t d : dims)
            t->add_dims(d), n *= d;
        for (int64_t i = 0; i < n; ++i)
            t->add_float_data(start + 0.01f * static_cast<float>(i % 17));
    }
    std::string bytes() const { return proto.SerializeAsString(); }
};

void ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v)
{
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v)
        a->add_ints(x);
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
    m.input("x", {1, 2, 5, 5});
    m.floats("W", {3, 2, 3, 3});
    m.floats("B", {3});
    m.floats("C", {1, 3, 1, 1});
    for (const char* p : {"gamma", "beta", "mean"})
        m.floats(p, {3});
    m.floats("var", {3}, 1.f);
    m.floats("W2", {3, 3, 1, 1});
    ints(m.node("Conv", {"x", "W", "B"}, {"c1"}, "conv1"), "pads", {1, 1, 1, 1});
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
    m.input("x", {2, 4});
    m.floats("Bt", {3, 4});
    m.floats("Cg", {3});
    m.floats("M", {3, 5});
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
