#include "context.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using AttrType = ::onnx::AttributeProto;

const char* attrTypeName(int32_t t)
{
    switch (t)
    {
    case AttrType::FLOAT: return "FLOAT";
    case AttrType::INT: return "INT";
    case AttrType::STRING: return "STRING";
    case AttrType::TENSOR: return "TENSOR";
    case AttrType::GRAPH: return "GRAPH";
    case AttrType::FLOATS: return "FLOATS";
    case AttrType::INTS: return "INTS";
    case AttrType::STRINGS: return "STRINGS";
    default: return "an unsupported type";
    }
}

//! Discards everything: the logger of the scratch builds that fold constant nodes.
class QuietLogger final : public nvinfer1::ILogger
{
public:
    void log(Severity, const char*) noexcept override {}
};

template <typename T>
struct Destroyer
{
    void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T>
using Owned = std::unique_ptr<T, Destroyer<T>>;

} // namespace

nvinfer1::Dims Value::dims() const
{
    if (mTensor)
        return mTensor->getDimensions();
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(std::min<size_t>(mWeights.shape.size(), nvinfer1::Dims::MAX_DIMS));
    for (int32_t i = 0; i < d.nbDims; ++i)
        d.d[i] = static_cast<int32_t>(mWeights.shape[static_cast<size_t>(i)]);
    return d;
}

NodeAttributes::NodeAttributes(const ::onnx::NodeProto& node)
{
    for (const auto& a : node.attribute())
        mByName[a.name()] = &a;
}

const ::onnx::AttributeProto* NodeAttributes::find(const std::string& name, int32_t type) const
{
    auto it = mByName.find(name);
    if (it == mByName.end())
        return nullptr;
    const ::onnx::AttributeProto* a = it->second;
    // Old writers leave `type` unset; accept the attribute when its field for \p type is present.
    int32_t actual = a->type();
    if (actual == AttrType::UNDEFINED)
    {
        if (a->has_i())
            actual = AttrType::INT;
        else if (a->has_f())
            actual = AttrType::FLOAT;
        else if (a->has_s())
            actual = AttrType::STRING;
        else if (a->has_t())
            actual = AttrType::TENSOR;
        else if (a->has_g())
            actual = AttrType::GRAPH;
        else if (a->ints_size())
            actual = AttrType::INTS;
        else if (a->floats_size())
            actual = AttrType::FLOATS;
    }
    if (actual != type)
    {
        if (mStatus.isOk())
            mStatus = KILN_ONNX_ERROR(kINVALID_NODE,
                std::string("attribute '") + name + "' has type " + attrTypeName(actual) + ", expected "
                    + attrTypeName(type));
        return nullptr;
    }
    return a;
}

int64_t NodeAttributes::i(const std::string& name, int64_t fallback) const
{
    const auto* a = find(name, AttrType::INT);
    return a ? a->i() : fallback;
}

float NodeAttributes::f(const std::string& name, float fallback) const
{
    const auto* a = find(name, AttrType::FLOAT);
    return a ? a->f() : fallback;
}

std::string NodeAttributes::s(const std::string& name, const std::string& fallback) const
{
    const auto* a = find(name, AttrType::STRING);
    return a ? a->s() : fallback;
}

std::vector<int64_t> NodeAttributes::ints(const std::string& name, std::vector<int64_t> fallback) const
{
    const auto* a = find(name, AttrType::INTS);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

std::vector<float> NodeAttributes::floats(const std::string& name, std::vector<float> fallback) const
{
    const auto* a = find(name, AttrType::FLOATS);
    return a ? std::vector<float>(a->floats().begin(), a->floats().end()) : fallback;
}

const ::onnx::TensorProto* NodeAttributes::tensor(const std::string& name) const
{
    const auto* a = find(name, AttrType::TENSOR);
    return a ? &a->t() : nullptr;
}

const ::onnx::GraphProto* NodeAttributes::graph(const std::string& name) const
{
    const auto* a = find(name, AttrType::GRAPH);
    return a ? &a->g() : nullptr;
}

nvinfer1::INetworkDefinition& Node::network() const
{
    return ctx.network();
}

WeightsArena& Node::arena() const
{
    return ctx.arena();
}

nvinfer1::ITensor* Node::tensor(int32_t i) const
{
    if (!has(i))
        return nullptr;
    return ctx.toTensor(input(i));
}

OnnxExpected<std::vector<int64_t>> Node::constInts(int32_t i, const char* what) const
{
    if (!has(i) || !input(i).isWeights())
        return KILN_ONNX_ERROR(kUNSUPPORTED_NODE,
            std::string(what) + " (input " + std::to_string(i) + ") must be a constant: an initializer or a value "
                + "computable at parse time");
    return input(i).weights().ints();
}

OnnxExpected<std::vector<float>> Node::constFloats(int32_t i, const char* what) const
{
    if (!has(i) || !input(i).isWeights())
        return KILN_ONNX_ERROR(kUNSUPPORTED_NODE,
            std::string(what) + " (input " + std::to_string(i) + ") must be a constant: an initializer or a value "
                + "computable at parse time");
    return input(i).weights().floats();
}

std::string Node::describe() const
{
    return "node '" + name + "' (" + proto.op_type() + ")";
}

std::unordered_map<std::string, Importer>& importerRegistry()
{
    static std::unordered_map<std::string, Importer> registry;
    return registry;
}

const Value* ImporterContext::find(const std::string& name) const
{
    auto it = mValues.find(name);
    return it == mValues.end() ? nullptr : &it->second;
}

nvinfer1::ITensor* ImporterContext::constant(const ShapedWeights& weights)
{
    auto it = mConstants.find(weights.data);
    if (it != mConstants.end() && it->second->getDimensions().nbDims == static_cast<int32_t>(weights.shape.size()))
        return it->second;
    nvinfer1::Dims dims{};
    dims.nbDims = static_cast<int32_t>(weights.shape.size());
    for (int32_t i = 0; i < dims.nbDims; ++i)
        dims.d[i] = static_cast<int32_t>(weights.shape[static_cast<size_t>(i)]);
    nvinfer1::ITensor* out = nullptr;
    if (weights.type == DataType::kBOOL)
    {
        // Constant layers hold FLOAT or INT32: BOOL goes through INT32 and a conversion.
        ShapedWeights asInt = makeWeights(mArena, DataType::kINT32, weights.shape);
        for (int64_t i = 0; i < weights.count(); ++i)
            asInt.set(i, weights.at(i));
        nvinfer1::IConstantLayer* c = mNetwork.addConstant(dims, asInt.trt());
        if (!c)
            return nullptr;
        nvinfer1::IIdentityLayer* cast = mNetwork.addIdentity(*c->getOutput(0));
        if (!cast)
            return nullptr;
        cast->setOutputType(0, DataType::kBOOL);
        cast->getOutput(0)->setType(DataType::kBOOL);
        out = cast->getOutput(0);
    }
    else
    {
        nvinfer1::IConstantLayer* c = mNetwork.addConstant(dims, weights.trt());
        if (!c)
            return nullptr;
        out = c->getOutput(0);
    }
    mConstants[weights.data] = out;
    return out;
}

OnnxStatus ImporterContext::importNodes(const ::onnx::GraphProto& graph, std::vector<ErrorInfo>* errors)
{
    OnnxStatus first;
    for (int32_t i = 0; i < graph.node_size(); ++i)
    {
        OnnxStatus s = importNode(graph.node(i), i);
        if (s.isOk())
            continue;
        s.error().node = i;
        if (!errors)
            return s;
        errors->push_back(s.error());
        if (first.isOk())
            first = s;
        // Later nodes that use this node's outputs fail too; report only the first cause for them.
        return first;
    }
    return first;
}

OnnxStatus ImporterContext::importNode(const ::onnx::NodeProto& proto, int32_t index)
{
    const std::string nodeName = proto.name().empty() ? proto.op_type() + "_" + std::to_string(index) : proto.name();
    const std::string where = "node '" + nodeName + "' (" + proto.op_type() + ", opset " + std::to_string(mOpset) + ")";
    if (!proto.domain().empty() && proto.domain() != "ai.onnx")
        return KILN_ONNX_ERROR(kUNSUPPORTED_NODE, where + ": operators of domain '" + proto.domain() + "' are not supported");
    auto it = importerRegistry().find(proto.op_type());
    if (it == importerRegistry().end())
        return KILN_ONNX_ERROR(kUNSUPPORTED_NODE, where + ": no importer for operator '" + proto.op_type() + "'");

    Node node{*this, proto, {}, NodeAttributes(proto), mOpset, nodeName};
    bool allConstant = proto.input_size() > 0;
    for (const std::string& input : proto.input())
    {
        if (input.empty())
        {
            node.inputs.emplace_back();
            continue;
        }
        const Value* v = find(input);
        if (!v)
            return KILN_ONNX_ERROR(kINVALID_GRAPH,
                where + ": input '" + input + "' is not a graph input, an initializer or the output of an earlier node");
        node.inputs.push_back(*v);
        allConstant = allConstant && v->isWeights();
    }

    static const std::unordered_set<std::string> kNeverFold{"RandomUniformLike", "RandomNormalLike", "Bernoulli",
        "Multinomial", "If", "Loop", "Scan"};
    const int32_t firstLayer = mNetwork.getNbLayers();
    OnnxExpected<Outputs> result = Outputs{};
    bool folded = false;
    if (mFolding && allConstant && !kNeverFold.count(proto.op_type()))
    {
        result = fold(it->second, node);
        folded = result.isOk();
    }
    if (!folded)
        result = runImporter(it->second, node);
    if (!result.isOk())
    {
        OnnxStatus s = result.status();
        s.error().desc = where + ": " + s.error().desc;
        return s;
    }
    Outputs& outputs = result.value();
    // Shape inference runs as layers are added: an output without valid dimensions means the
    // node's inputs or attributes do not fit together.
    for (const Value& v : outputs)
    {
        if (!v.isTensor() || v.tensor()->getDimensions().nbDims >= 0)
            continue;
        std::string shapes;
        for (const Value& in : node.inputs)
        {
            const nvinfer1::Dims d = in.dims();
            std::string s = "[";
            for (int32_t k = 0; k < d.nbDims; ++k)
                s += (k ? "," : "") + std::to_string(d.d[k]);
            shapes += (shapes.empty() ? "" : ", ") + (in.empty() ? std::string("absent") : s + "]");
        }
        return KILN_ONNX_ERROR(kINVALID_NODE,
            where + ": the output shapes cannot be inferred (input dimensions " + shapes + "; see the log for the layer's error)");
    }
    if (static_cast<int32_t>(outputs.size()) < proto.output_size())
        outputs.resize(static_cast<size_t>(proto.output_size()));
    nameOutputs(proto, nodeName, firstLayer, outputs);
    for (int32_t j = 0; j < proto.output_size(); ++j)
        if (!proto.output(j).empty())
            bind(proto.output(j), outputs[static_cast<size_t>(j)]);
    if (mVerbose && mLogger)
        mLogger->log(nvinfer1::ILogger::Severity::kVERBOSE,
            ("imported " + where + (folded ? " (folded to a constant)" : "")).c_str());
    return OnnxStatus::ok();
}

OnnxExpected<Outputs> ImporterContext::runImporter(const Importer& importer, Node& node)
{
    OnnxExpected<Outputs> result = importer(node);
    if (!node.attrs.status().isOk())
        return node.attrs.status();
    return result;
}

void ImporterContext::nameOutputs(
    const ::onnx::NodeProto& proto, const std::string& nodeName, int32_t firstLayer, Outputs& outputs)
{
    const int32_t last = mNetwork.getNbLayers();
    for (int32_t l = firstLayer; l < last; ++l)
    {
        const std::string name = last - firstLayer == 1 ? nodeName : nodeName + "_" + std::to_string(l - firstLayer);
        mNetwork.getLayer(l)->setName(name.c_str());
    }
    for (int32_t j = 0; j < proto.output_size() && j < static_cast<int32_t>(outputs.size()); ++j)
    {
        nvinfer1::ITensor* t = outputs[static_cast<size_t>(j)].tensor();
        if (!t || proto.output(j).empty() || t->isNetworkInput() || mNamed.count(t))
            continue;
        t->setName(proto.output(j).c_str());
        mNamed.insert(t);
    }
}

OnnxExpected<Outputs> ImporterContext::fold(const Importer& importer, Node& node)
{
    static QuietLogger quiet;
    Owned<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(quiet));
    if (!builder)
        return KILN_ONNX_ERROR(kINTERNAL_ERROR, "cannot create a builder to fold constants");
    Owned<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(
        1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    std::vector<std::string> scratchWarnings;
    ImporterContext scratch(*network, mArena, mSource, scratchWarnings);
    scratch.setOpset(mOpset);
    scratch.setFolding(false);
    Node scratchNode{scratch, node.proto, node.inputs, NodeAttributes(node.proto), node.opset, node.name};
    OnnxExpected<Outputs> result = scratch.runImporter(importer, scratchNode);
    if (!result.isOk())
        return result;
    Outputs outputs = result.take();
    std::vector<int32_t> pending;
    for (size_t j = 0; j < outputs.size(); ++j)
    {
        if (!outputs[j].isTensor())
            continue;
        nvinfer1::ITensor* t = outputs[j].tensor();
        const nvinfer1::Dims d = t->getDimensions();
        int64_t n = 1;
        for (int32_t k = 0; k < d.nbDims && n <= kMaxGeneratedElements; ++k)
            n *= std::max(d.d[k], 0);
        if (d.nbDims < 0 || n > kMaxGeneratedElements)
            return KILN_ONNX_ERROR(kUNSUPPORTED_NODE, "the constant output is too large to fold");
        t->setName(("fold_output_" + std::to_string(j)).c_str());
        network->markOutput(*t);
        pending.push_back(static_cast<int32_t>(j));
    }
    if (!pending.empty())
    {
        Owned<nvinfer1::IBuilderConfig> config(builder->createBuilderConfig());
        Owned<nvinfer1::ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
        if (!engine)
            return KILN_ONNX_ERROR(kINTERNAL_ERROR, "the constant subgraph could not be evaluated");
        Owned<nvinfer1::IExecutionContext> context(engine->createExecutionContext());
        if (!context)
            return KILN_ONNX_ERROR(kINTERNAL_ERROR, "the constant subgraph could not be evaluated");
        std::vector<void*> bindings(static_cast<size_t>(engine->getNbBindings()), nullptr);
        std::vector<std::pair<int32_t, ShapedWeights>> results;
        std::vector<std::vector<uint8_t>> buffers;
        for (int32_t j : pending)
        {
            const int32_t b = engine->getBindingIndex(("fold_output_" + std::to_string(j)).c_str());
            if (b < 0)
                return KILN_ONNX_ERROR(kINTERNAL_ERROR, "the constant subgraph lost an output");
            const nvinfer1::Dims d = engine->getBindingDimensions(b);
            std::vector<int64_t> shape(d.d, d.d + std::max(d.nbDims, 0));
            DataType type = engine->getBindingDataType(b);
            if (type != DataType::kFLOAT && type != DataType::kINT32 && type != DataType::kBOOL)
                return KILN_ONNX_ERROR(kINTERNAL_ERROR, "the constant subgraph has an output of an unusual type");
            // Too large to keep as a constant: the node is imported as layers instead.
            KILN_ONNX_ASSIGN(ShapedWeights w, makeGeneratedWeights(mArena, type, shape));
            bindings[static_cast<size_t>(b)] = w.data;
            results.emplace_back(j, w);
        }
        if (!context->executeV2(bindings.data()))
            return KILN_ONNX_ERROR(kINTERNAL_ERROR, "the constant subgraph failed to run");
        for (auto& [j, w] : results)
            outputs[static_cast<size_t>(j)] = Value::of(w);
    }
    return outputs;
}

} // namespace kiln::onnx
