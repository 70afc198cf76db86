// Control flow: If, Loop and Scan. Kiln's networks have no loop or conditional layers, so the
// parser resolves control flow while importing: If imports the branch its (constant) condition
// selects, or both branches and a Select when the condition is only known at run time; Loop and
// Scan are unrolled, each iteration importing a copy of the body graph whose values carry a
// per-iteration suffix (network tensors are named after ONNX values, and the copies keep those
// names unique and never shadow the outer scope).
#include "helpers.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ITensor;
using NameMap = std::unordered_map<std::string, std::string>;

//! Loops are unrolled at parse time; more iterations than this are refused.
constexpr int64_t kMaxIterations = 1024;

//! The names \p graph defines: its inputs, initializers and node outputs.
std::unordered_set<std::string> definedNames(const ::onnx::GraphProto& graph)
{
    std::unordered_set<std::string> names;
    for (const auto& input : graph.input())
        names.insert(input.name());
    for (const auto& init : graph.initializer())
        names.insert(init.name());
    for (const auto& n : graph.node())
        for (const std::string& out : n.output())
            if (!out.empty())
                names.insert(out);
    return names;
}

std::string renamed(const NameMap& map, const std::string& name)
{
    auto it = map.find(name);
    return it == map.end() ? name : it->second;
}

void renameInNode(::onnx::NodeProto& node, const NameMap& map);

//! Renames the references of a graph nested in the body: names it defines itself shadow the body's.
void renameNested(::onnx::GraphProto& graph, const NameMap& map)
{
    NameMap inner = map;
    for (const std::string& name : definedNames(graph))
        inner.erase(name);
    if (inner.empty())
        return;
    for (auto& n : *graph.mutable_node())
        renameInNode(n, inner);
    for (auto& out : *graph.mutable_output())
        out.set_name(renamed(inner, out.name()));
}

void renameInNode(::onnx::NodeProto& node, const NameMap& map)
{
    for (auto& input : *node.mutable_input())
        if (!input.empty())
            input = renamed(map, input);
    for (auto& output : *node.mutable_output())
        if (!output.empty())
            output = renamed(map, output);
    for (auto& attr : *node.mutable_attribute())
    {
        if (attr.has_g())
            renameNested(*attr.mutable_g(), map);
        for (auto& g : *attr.mutable_graphs())
            renameNested(g, map);
    }
}

//! A copy of \p graph whose values (and node names) end in \p suffix.
::onnx::GraphProto renamedCopy(const ::onnx::GraphProto& graph, const std::string& suffix)
{
    ::onnx::GraphProto copy = graph;
    if (suffix.empty())
        return copy;
    NameMap map;
    for (const std::string& name : definedNames(graph))
        map[name] = name + suffix;
    for (auto& input : *copy.mutable_input())
        input.set_name(renamed(map, input.name()));
    for (auto& init : *copy.mutable_initializer())
        init.set_name(renamed(map, init.name()));
    for (int32_t i = 0; i < copy.node_size(); ++i)
    {
        ::onnx::NodeProto& n = *copy.mutable_node(i);
        renameInNode(n, map);
        n.set_name((n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name()) + suffix);
    }
    for (auto& out : *copy.mutable_output())
        out.set_name(renamed(map, out.name()));
    copy.clear_value_info();
    return copy;
}

//! The first of \p candidates (then the last one numbered) under which none of the values the
//! graph defines is bound yet.
std::string uniqueSuffix(ImporterContext& ctx, const ::onnx::GraphProto& graph, const std::vector<std::string>& candidates)
{
    const std::unordered_set<std::string> names = definedNames(graph);
    auto free = [&](const std::string& suffix) {
        for (const std::string& name : names)
            if (ctx.find(name + suffix))
                return false;
        return true;
    };
    for (const std::string& c : candidates)
        if (free(c))
            return c;
    for (int32_t n = 2;; ++n)
    {
        const std::string c = candidates.back() + "_" + std::to_string(n);
        if (free(c))
            return c;
    }
}

//! Imports \p body into the current network with its inputs bound to \p inputs; returns the values
//! of its outputs. \p what names the body in messages.
OnnxExpected<std::vector<Value>> importBody(Node& node, const ::onnx::GraphProto& body, const std::vector<Value>& inputs,
    const std::vector<std::string>& suffixes, const std::string& what)
{
    ImporterContext& ctx = node.ctx;
    KILN_ONNX_CHECK(body.sparse_initializer_size() == 0, kUNSUPPORTED_GRAPH,
        what + " has sparse initializers, which Kiln does not support");
    KILN_ONNX_CHECK(body.input_size() == static_cast<int32_t>(inputs.size()), kINVALID_NODE,
        what + " has " + std::to_string(body.input_size()) + " inputs, expected " + std::to_string(inputs.size()));
    const ::onnx::GraphProto graph = renamedCopy(body, uniqueSuffix(ctx, body, suffixes));
    for (const auto& init : graph.initializer())
    {
        KILN_ONNX_ASSIGN(ShapedWeights w, convertTensor(init, ctx.arena(), ctx.source()));
        ctx.bind(init.name(), Value::of(w));
    }
    for (int32_t i = 0; i < graph.input_size(); ++i)
    {
        KILN_ONNX_CHECK(!inputs[static_cast<size_t>(i)].empty(), kINVALID_NODE,
            what + ": input '" + body.input(i).name() + "' has no value");
        ctx.bind(graph.input(i).name(), inputs[static_cast<size_t>(i)]);
    }
    OnnxStatus s = ctx.importNodes(graph, nullptr);
    if (!s.isOk())
    {
        s.error().desc = what + ": " + s.error().desc;
        return s;
    }
    std::vector<Value> outputs;
    for (int32_t j = 0; j < graph.output_size(); ++j)
    {
        const Value* v = ctx.find(graph.output(j).name());
        KILN_ONNX_CHECK(v && !v->empty(), kINVALID_GRAPH,
            what + ": output '" + body.output(j).name() + "' is not produced by the graph or its outer scope");
        outputs.push_back(*v);
    }
    return outputs;
}

//! Element \p index of axis \p axis of constant weights (that axis removed).
ShapedWeights takeWeights(WeightsArena& arena, const ShapedWeights& w, int32_t axis, int64_t index)
{
    std::vector<int64_t> shape = w.shape;
    const int64_t n = shape[static_cast<size_t>(axis)];
    shape.erase(shape.begin() + axis);
    int64_t outer = 1, inner = 1;
    for (int32_t i = 0; i < axis; ++i)
        outer *= w.shape[static_cast<size_t>(i)];
    for (size_t i = static_cast<size_t>(axis) + 1; i < w.shape.size(); ++i)
        inner *= w.shape[i];
    ShapedWeights out = makeWeights(arena, w.type, shape);
    const size_t es = elementSize(w.type);
    for (int64_t o = 0; o < outer; ++o)
        std::memcpy(static_cast<uint8_t*>(out.data) + static_cast<size_t>(o * inner) * es,
            static_cast<const uint8_t*>(w.data) + static_cast<size_t>((o * n + index) * inner) * es, static_cast<size_t>(inner) * es);
    return out;
}

//! Element \p index of axis \p axis of \p v (that axis removed): host copies for constants, a
//! Gather for tensors.
OnnxExpected<Value> take(Node& node, const Value& v, int32_t axis, int64_t index)
{
    if (v.isWeights())
        return Value::of(takeWeights(node.arena(), v.weights(), axis, index));
    ITensor* idx = scalarConstant(node.ctx, DataType::kINT32, static_cast<double>(index), 0);
    KILN_ONNX_NOT_NULL(idx);
    nvinfer1::IGatherLayer* g = node.network().addGather(*v.tensor(), *idx, axis);
    KILN_ONNX_NOT_NULL(g);
    return Value::of(g->getOutput(0));
}

//! Stacks \p parts (equal shapes and types) along a new axis \p axis.
OnnxExpected<Value> stack(Node& node, const std::vector<Value>& parts, int64_t axis, const std::string& what)
{
    KILN_ONNX_CHECK(!parts.empty(), kINTERNAL_ERROR, what + ": nothing to stack");
    const Dims first = parts[0].dims();
    const DataType type = parts[0].type();
    KILN_ONNX_CHECK(normalizeAxis(axis, first.nbDims + 1), kINVALID_NODE,
        what + ": axis " + std::to_string(axis) + " is out of range for per-iteration values of rank " + std::to_string(first.nbDims));
    bool allWeights = true;
    for (size_t k = 0; k < parts.size(); ++k)
    {
        const Dims d = parts[k].dims();
        bool same = d.nbDims == first.nbDims && parts[k].type() == type;
        for (int32_t i = 0; same && i < d.nbDims; ++i)
            same = d.d[i] == first.d[i] || d.d[i] < 0 || first.d[i] < 0;
        KILN_ONNX_CHECK(same, kINVALID_NODE,
            what + ": iteration " + std::to_string(k) + " gives shape " + dimsString(d) + " but iteration 0 gave "
                + dimsString(first) + " (per-iteration values must have the same shape and type)");
        allWeights = allWeights && parts[k].isWeights();
    }
    if (allWeights)
    {
        std::vector<int64_t> shape = parts[0].weights().shape;
        int64_t outer = 1, inner = 1;
        for (int64_t i = 0; i < axis; ++i)
            outer *= shape[static_cast<size_t>(i)];
        for (size_t i = static_cast<size_t>(axis); i < shape.size(); ++i)
            inner *= shape[i];
        const int64_t n = static_cast<int64_t>(parts.size());
        shape.insert(shape.begin() + axis, n);
        ShapedWeights out = makeWeights(node.arena(), type, shape);
        const size_t es = elementSize(type);
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t k = 0; k < n; ++k)
                std::memcpy(static_cast<uint8_t*>(out.data) + static_cast<size_t>((o * n + k) * inner) * es,
                    static_cast<const uint8_t*>(parts[static_cast<size_t>(k)].weights().data) + static_cast<size_t>(o * inner) * es,
                    static_cast<size_t>(inner) * es);
        return Value::of(out);
    }
    std::vector<ITensor*> tensors;
    for (const Value& p : parts)
    {
        ITensor* t = unsqueeze(node.ctx, node.ctx.toTensor(p), {axis});
        KILN_ONNX_NOT_NULL(t);
        tensors.push_back(t);
    }
    ITensor* out = concat(node.ctx, tensors, static_cast<int32_t>(axis));
    KILN_ONNX_NOT_NULL(out);
    return Value::of(out);
}

//! A single-element constant's truth value.
OnnxExpected<bool> constCondition(const Value& v, const std::string& what)
{
    KILN_ONNX_CHECK(v.isWeights() && v.weights().count() == 1, kUNSUPPORTED_NODE,
        what + " must be a single constant value");
    return v.weights().at(0) != 0.0;
}

//! Runs a Scan body over the scan axis of \p scans (opset 9 semantics): returns the final states
//! and the stacked scan outputs.
OnnxExpected<std::vector<Value>> unrollScan(Node& node, const ::onnx::GraphProto& body, std::vector<Value> states,
    const std::vector<Value>& scans, const std::vector<int64_t>& inAxes, const std::vector<int64_t>& inReverse,
    const std::vector<int64_t>& outAxes, const std::vector<int64_t>& outReverse, const std::string& tag,
    const std::string& where)
{
    const size_t nbStates = states.size();
    KILN_ONNX_CHECK(body.output_size() >= static_cast<int32_t>(nbStates), kINVALID_NODE,
        "the body has fewer outputs than there are state variables");
    const size_t nbOut = static_cast<size_t>(body.output_size()) - nbStates;
    KILN_ONNX_CHECK(outAxes.size() == nbOut && outReverse.size() == nbOut, kINVALID_NODE,
        "scan_output_axes/scan_output_directions must have one entry per scan output (" + std::to_string(nbOut) + ")");
    // The slices of every scan input, in iteration order.
    int64_t length = -1;
    std::vector<std::vector<Value>> slices(scans.size());
    for (size_t j = 0; j < scans.size(); ++j)
    {
        const Dims d = scans[j].dims();
        int64_t axis = inAxes[j];
        KILN_ONNX_CHECK(normalizeAxis(axis, d.nbDims), kINVALID_NODE,
            "scan input " + std::to_string(j) + ": axis " + std::to_string(inAxes[j]) + " is out of range for rank " + std::to_string(d.nbDims));
        const int64_t n = d.d[axis];
        KILN_ONNX_CHECK(n >= 0, kUNSUPPORTED_NODE,
            "scan input " + std::to_string(j) + " has a dynamic extent on its scan axis: Kiln unrolls Scan at parse time "
                + "and needs the sequence length to be known");
        KILN_ONNX_CHECK(length < 0 || n == length, kINVALID_NODE, "the scan inputs have different sequence lengths");
        length = n;
        for (int64_t t = 0; t < n; ++t)
        {
            KILN_ONNX_ASSIGN(Value s, take(node, scans[j], static_cast<int32_t>(axis), inReverse[j] ? n - 1 - t : t));
            slices[j].push_back(s);
        }
    }
    KILN_ONNX_CHECK(length > 0 || nbOut == 0, kUNSUPPORTED_NODE,
        "the sequence length is 0: the scan outputs would be empty tensors, which Kiln does not support");
    KILN_ONNX_CHECK(length <= kMaxIterations, kUNSUPPORTED_NODE,
        "the sequence length " + std::to_string(length) + " is more than the " + std::to_string(kMaxIterations)
            + " iterations Kiln unrolls");
    std::vector<std::vector<Value>> perIteration(nbOut);
    for (int64_t t = 0; t < length; ++t)
    {
        std::vector<Value> inputs = states;
        for (size_t j = 0; j < scans.size(); ++j)
            inputs.push_back(slices[j][static_cast<size_t>(t)]);
        const std::string suffix = "_" + node.name + tag + "_iter" + std::to_string(t);
        KILN_ONNX_ASSIGN(std::vector<Value> outs,
            importBody(node, body, inputs, {suffix}, "the body" + where + " in iteration " + std::to_string(t)));
        for (size_t i = 0; i < nbStates; ++i)
            states[i] = outs[i];
        for (size_t k = 0; k < nbOut; ++k)
            perIteration[k].push_back(outs[nbStates + k]);
    }
    std::vector<Value> results = states;
    for (size_t k = 0; k < nbOut; ++k)
    {
        if (outReverse[k])
            std::reverse(perIteration[k].begin(), perIteration[k].end());
        KILN_ONNX_ASSIGN(Value v, stack(node, perIteration[k], outAxes[k], "scan output " + std::to_string(k)));
        results.push_back(v);
    }
    return results;
}

} // namespace

KILN_ONNX_IMPORTER(If)
{
    const ::onnx::GraphProto* thenBranch = node.attrs.graph("then_branch");
    const ::onnx::GraphProto* elseBranch = node.attrs.graph("else_branch");
    KILN_ONNX_CHECK(thenBranch && elseBranch, kINVALID_NODE, "needs the then_branch and else_branch graphs");
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs the condition input");
    const int32_t nbOutputs = node.proto.output_size();
    KILN_ONNX_CHECK(thenBranch->output_size() == nbOutputs && elseBranch->output_size() == nbOutputs, kINVALID_NODE,
        "the branches have " + std::to_string(thenBranch->output_size()) + " and " + std::to_string(elseBranch->output_size())
            + " outputs, the node " + std::to_string(nbOutputs));
    const Value& condition = node.input(0);
    if (condition.isWeights())
    {
        KILN_ONNX_ASSIGN(bool c, constCondition(condition, "the condition"));
        const ::onnx::GraphProto& branch = c ? *thenBranch : *elseBranch;
        const std::string which = c ? "then" : "else";
        KILN_ONNX_ASSIGN(std::vector<Value> outs,
            importBody(node, branch, {}, {"", "_" + node.name + "_" + which}, which + "_branch"));
        return Outputs(outs.begin(), outs.end());
    }

    // A run-time condition: both branches are computed and each output is selected. This needs
    // outputs of equal static shapes and types.
    ITensor* cond = node.tensor(0);
    KILN_ONNX_NOT_NULL(cond);
    const Dims cd = cond->getDimensions();
    KILN_ONNX_CHECK(isStatic(cd) && volume(cd) == 1, kUNSUPPORTED_NODE,
        "the condition has shape " + dimsString(cd) + "; a condition known only at run time must have one element");
    if (cond->getType() != DataType::kBOOL)
        cond = cast(node.ctx, cond, DataType::kBOOL);
    KILN_ONNX_NOT_NULL(cond);
    KILN_ONNX_ASSIGN(std::vector<Value> thenOuts,
        importBody(node, *thenBranch, {}, {"_" + node.name + "_then"}, "then_branch"));
    KILN_ONNX_ASSIGN(std::vector<Value> elseOuts,
        importBody(node, *elseBranch, {}, {"_" + node.name + "_else"}, "else_branch"));
    Outputs outputs;
    for (int32_t j = 0; j < nbOutputs; ++j)
    {
        const Value& a = thenOuts[static_cast<size_t>(j)];
        const Value& b = elseOuts[static_cast<size_t>(j)];
        const Dims da = a.dims();
        const Dims db = b.dims();
        bool same = a.type() == b.type() && isStatic(da) && isStatic(db) && da.nbDims == db.nbDims;
        for (int32_t i = 0; same && i < da.nbDims; ++i)
            same = da.d[i] == db.d[i];
        KILN_ONNX_CHECK(same, kUNSUPPORTED_NODE,
            "the condition is only known at run time, and Kiln has no conditional layers: it computes both branches "
            "and selects, which needs each output to have the same static shape and type in both branches (output "
                + std::to_string(j) + " has shapes " + dimsString(da) + " and " + dimsString(db) + ")");
        ITensor* c = reshape(node.ctx, cond, makeDims(std::vector<int64_t>(static_cast<size_t>(da.nbDims), 1)));
        ITensor* ta = node.ctx.toTensor(a);
        ITensor* tb = node.ctx.toTensor(b);
        KILN_ONNX_NOT_NULL(c && ta && tb ? c : nullptr);
        nvinfer1::ISelectLayer* l = node.network().addSelect(*c, *ta, *tb);
        KILN_ONNX_NOT_NULL(l);
        outputs.push_back(Value::of(l->getOutput(0)));
    }
    node.ctx.warn(node.describe() + ": the condition is only known at run time; both branches are computed and "
        + "their outputs selected");
    return outputs;
}

KILN_ONNX_IMPORTER(Loop)
{
    const ::onnx::GraphProto* body = node.attrs.graph("body");
    KILN_ONNX_CHECK(body, kINVALID_NODE, "needs the body graph");
    const int32_t nbCarried = node.nbInputs() - 2;
    KILN_ONNX_CHECK(nbCarried >= 0, kINVALID_NODE, "needs the inputs M and cond (either may be empty)");
    KILN_ONNX_CHECK(body->input_size() == nbCarried + 2, kINVALID_NODE,
        "the body has " + std::to_string(body->input_size()) + " inputs, expected 2 + " + std::to_string(nbCarried)
            + " loop-carried values");
    KILN_ONNX_CHECK(body->output_size() >= nbCarried + 1, kINVALID_NODE,
        "the body has " + std::to_string(body->output_size()) + " outputs, expected at least 1 + " + std::to_string(nbCarried));
    const int32_t nbScan = body->output_size() - 1 - nbCarried;

    const std::string unroll = "Kiln has no loop layers and unrolls Loop at parse time, ";
    const bool hasTrip = node.has(0);
    const bool hasCond = node.has(1);
    int64_t trips = 0;
    if (hasTrip)
    {
        KILN_ONNX_CHECK(node.input(0).isWeights(), kUNSUPPORTED_NODE,
            unroll + "so the trip count M must be a constant (an initializer or a value computable at parse time)");
        KILN_ONNX_CHECK(node.input(0).weights().count() == 1, kINVALID_NODE, "the trip count M must have one element");
        trips = static_cast<int64_t>(node.input(0).weights().at(0));
    }
    bool cond = true;
    if (hasCond)
    {
        KILN_ONNX_CHECK(node.input(1).isWeights(), kUNSUPPORTED_NODE,
            unroll + "so the condition input must be a constant (an initializer or a value computable at parse time)");
        KILN_ONNX_ASSIGN(cond, constCondition(node.input(1), "the condition input"));
    }
    KILN_ONNX_CHECK(hasTrip || hasCond, kUNSUPPORTED_NODE, "has neither a trip count nor a condition: an infinite loop");
    KILN_ONNX_CHECK(!hasTrip || !cond || trips <= kMaxIterations, kUNSUPPORTED_NODE,
        unroll + "up to " + std::to_string(kMaxIterations) + " iterations; the trip count is " + std::to_string(trips));

    std::vector<Value> carried(node.inputs.begin() + 2, node.inputs.end());
    std::vector<std::vector<Value>> scans(static_cast<size_t>(nbScan));
    int64_t i = 0;
    for (; (!hasTrip || i < trips) && cond; ++i)
    {
        KILN_ONNX_CHECK(i < kMaxIterations, kUNSUPPORTED_NODE,
            unroll + "and stops after " + std::to_string(kMaxIterations) + " iterations");
        std::vector<Value> inputs;
        inputs.push_back(Value::of(makeScalarWeights(node.arena(), DataType::kINT32, static_cast<double>(i))));
        inputs.push_back(Value::of(makeScalarWeights(node.arena(), DataType::kBOOL, cond ? 1.0 : 0.0)));
        inputs.insert(inputs.end(), carried.begin(), carried.end());
        const std::string suffix = "_" + node.name + "_iter" + std::to_string(i);
        KILN_ONNX_ASSIGN(std::vector<Value> outs,
            importBody(node, *body, inputs, {suffix}, "the body in iteration " + std::to_string(i)));
        if (hasCond)
        {
            KILN_ONNX_CHECK(outs[0].isWeights(), kUNSUPPORTED_NODE,
                unroll + "so the condition the body computes must be a constant, but in iteration " + std::to_string(i)
                    + " it depends on run-time data");
            KILN_ONNX_ASSIGN(cond, constCondition(outs[0], "the body's condition output"));
        }
        std::copy(outs.begin() + 1, outs.begin() + 1 + nbCarried, carried.begin());
        for (int32_t k = 0; k < nbScan; ++k)
            scans[static_cast<size_t>(k)].push_back(outs[static_cast<size_t>(1 + nbCarried + k)]);
    }
    Outputs outputs(carried.begin(), carried.end());
    for (int32_t k = 0; k < nbScan; ++k)
    {
        KILN_ONNX_CHECK(i > 0, kUNSUPPORTED_NODE,
            "the loop runs zero iterations, so its scan outputs would be empty tensors, which Kiln does not support");
        KILN_ONNX_ASSIGN(Value v, stack(node, scans[static_cast<size_t>(k)], 0, "scan output " + std::to_string(k)));
        outputs.push_back(v);
    }
    return outputs;
}

KILN_ONNX_IMPORTER(Scan)
{
    const ::onnx::GraphProto* body = node.attrs.graph("body");
    KILN_ONNX_CHECK(body, kINVALID_NODE, "needs the body graph");
    const int64_t nbScanInputs = node.attrs.i("num_scan_inputs", -1);
    KILN_ONNX_CHECK(nbScanInputs >= 1, kINVALID_NODE, "needs the attribute num_scan_inputs (at least 1)");

    if (node.opset >= 9)
    {
        const int32_t nbStates = node.nbInputs() - static_cast<int32_t>(nbScanInputs);
        KILN_ONNX_CHECK(nbStates >= 0, kINVALID_NODE, "has fewer inputs than num_scan_inputs");
        const size_t nbOut = static_cast<size_t>(std::max(body->output_size() - nbStates, 0));
        const size_t m = static_cast<size_t>(nbScanInputs);
        const std::vector<int64_t> inAxes = node.attrs.ints("scan_input_axes", std::vector<int64_t>(m, 0));
        const std::vector<int64_t> inDirs = node.attrs.ints("scan_input_directions", std::vector<int64_t>(m, 0));
        const std::vector<int64_t> outAxes = node.attrs.ints("scan_output_axes", std::vector<int64_t>(nbOut, 0));
        const std::vector<int64_t> outDirs = node.attrs.ints("scan_output_directions", std::vector<int64_t>(nbOut, 0));
        KILN_ONNX_CHECK(inAxes.size() == m && inDirs.size() == m, kINVALID_NODE,
            "scan_input_axes/scan_input_directions must have num_scan_inputs entries");
        std::vector<Value> states(node.inputs.begin(), node.inputs.begin() + nbStates);
        std::vector<Value> scans(node.inputs.begin() + nbStates, node.inputs.end());
        for (size_t j = 0; j < scans.size(); ++j)
            KILN_ONNX_CHECK(!scans[j].empty(), kINVALID_NODE, "scan input " + std::to_string(j) + " is missing");
        KILN_ONNX_ASSIGN(std::vector<Value> results, unrollScan(node, *body, states, scans, inAxes, inDirs, outAxes, outDirs, "", ""));
        return Outputs(results.begin(), results.end());
    }

    // Opset 8: a leading batch axis on every input and output, the sequence on axis 1 of the
    // scan inputs, and an optional sequence_lens input first.
    const int32_t nbStates = node.nbInputs() - 1 - static_cast<int32_t>(nbScanInputs);
    KILN_ONNX_CHECK(nbStates >= 0, kINVALID_NODE, "has fewer inputs than 1 + num_scan_inputs");
    const size_t m = static_cast<size_t>(nbScanInputs);
    const std::vector<int64_t> inDirs = node.attrs.ints("directions", std::vector<int64_t>(m, 0));
    KILN_ONNX_CHECK(inDirs.size() == m, kINVALID_NODE, "directions must have num_scan_inputs entries");
    const size_t nbOut = static_cast<size_t>(std::max(body->output_size() - nbStates, 0));
    std::vector<Value> states(node.inputs.begin() + 1, node.inputs.begin() + 1 + nbStates);
    std::vector<Value> scans(node.inputs.begin() + 1 + nbStates, node.inputs.end());
    int64_t batch = -1;
    for (int32_t i = 1; i < node.nbInputs(); ++i)
    {
        const Value& v = node.input(i);
        if (v.empty())
            continue;
        KILN_ONNX_CHECK(v.rank() >= 1, kINVALID_NODE, "every input has a leading batch axis");
        const int64_t b = v.dims().d[0];
        KILN_ONNX_CHECK(b >= 0, kUNSUPPORTED_NODE,
            "the batch extent is dynamic: Kiln unrolls Scan over the batch at parse time and needs it known");
        KILN_ONNX_CHECK(batch < 0 || b == batch, kINVALID_NODE, "the inputs have different batch extents");
        batch = b;
    }
    for (size_t j = 0; j < scans.size(); ++j)
        KILN_ONNX_CHECK(!scans[j].empty() && scans[j].rank() >= 2, kINVALID_NODE,
            "scan input " + std::to_string(j) + " must have a batch and a sequence axis");
    if (node.has(0))
    {
        KILN_ONNX_CHECK(node.input(0).isWeights(), kUNSUPPORTED_NODE,
            "sequence_lens must be a constant whose lengths are all the full sequence length (Kiln unrolls Scan at "
            "parse time)");
        const int64_t length = scans[0].dims().d[1];
        for (int64_t len : node.input(0).weights().ints())
            KILN_ONNX_CHECK(len == length, kUNSUPPORTED_NODE,
                "sequence_lens holds " + std::to_string(len) + ", but only the full sequence length ("
                    + std::to_string(length) + ") is supported");
    }
    KILN_ONNX_CHECK(batch > 0, kUNSUPPORTED_NODE, "an empty batch is not supported");
    std::vector<std::vector<Value>> perBatch(static_cast<size_t>(nbStates) + nbOut);
    for (int64_t b = 0; b < batch; ++b)
    {
        std::vector<Value> bStates, bScans;
        for (const Value& v : states)
        {
            KILN_ONNX_ASSIGN(Value s, take(node, v, 0, b));
            bStates.push_back(s);
        }
        for (const Value& v : scans)
        {
            KILN_ONNX_ASSIGN(Value s, take(node, v, 0, b));
            bScans.push_back(s);
        }
        KILN_ONNX_ASSIGN(std::vector<Value> results,
            unrollScan(node, *body, bStates, bScans, std::vector<int64_t>(m, 0), inDirs, std::vector<int64_t>(nbOut, 0),
                std::vector<int64_t>(nbOut, 0), "_batch" + std::to_string(b), " (batch element " + std::to_string(b) + ")"));
        for (size_t k = 0; k < results.size() && k < perBatch.size(); ++k)
            perBatch[k].push_back(results[k]);
    }
    Outputs outputs;
    for (size_t k = 0; k < perBatch.size(); ++k)
    {
        KILN_ONNX_ASSIGN(Value v, stack(node, perBatch[k], 0, "output " + std::to_string(k)));
        outputs.push_back(v);
    }
    return outputs;
}

} // namespace kiln::onnx
