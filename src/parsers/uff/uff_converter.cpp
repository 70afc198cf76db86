// The graph walk: checks the graph (ids, inputs, cycles, registrations), converts the nodes in
// dependency order, marks the outputs in the documented layout and names the tensors.
#include "uff_context.h"
#include "uff_orders.h"

#include <algorithm>
#include <unordered_set>

namespace kiln::uffparser
{

Converter::Converter(nvinfer1::INetworkDefinition& network, WeightsStore& weights, const ParseSettings& settings,
    const ::kiln::uff::MetaGraph& meta)
    : mNetwork(network)
    , mWeights(weights)
    , mSettings(settings)
    , mMeta(meta)
    , mResolver(meta)
{
}

const InputRegistration* Converter::registration(const std::string& name) const
{
    for (const InputRegistration& r : mSettings.inputs)
        if (r.name == name)
            return &r;
    return nullptr;
}

std::string Converter::uniqueLayerName(const std::string& base)
{
    const int32_t uses = ++mLayerNames[base];
    return uses == 1 ? base : base + "_" + std::to_string(uses);
}

Status Converter::run()
{
    if (mMeta.graphs_size() == 0)
        return Status::error("the MetaGraph has no graph");
    const ::kiln::uff::Graph* graph = &mMeta.graphs(0);
    for (const ::kiln::uff::Graph& g : mMeta.graphs())
        if (g.id() == "main")
        {
            graph = &g;
            break;
        }
    if (mMeta.graphs_size() > 1)
        warn("the MetaGraph has " + std::to_string(mMeta.graphs_size()) + " graphs; converting '" + graph->id() + "'");
    std::vector<int32_t> order;
    KILN_UFF_RETURN_IF_ERROR(checkGraph(*graph, order));
    for (const InputRegistration& r : mSettings.inputs)
        if (r.order == nvuffparser::UffInputOrder::kNCHW)
            mChannelsFirstOutputs = true;
    for (int32_t index : order)
        KILN_UFF_RETURN_IF_ERROR(convertNode(graph->nodes(index)));
    KILN_UFF_RETURN_IF_ERROR(markOutputs(*graph));
    nameTensors(*graph, order);
    return Status::ok();
}

Status Converter::checkGraph(const ::kiln::uff::Graph& graph, std::vector<int32_t>& order)
{
    const int32_t n = graph.nodes_size();
    if (n == 0)
        return Status::error("graph '" + graph.id() + "' has no nodes");
    for (int32_t k = 0; k < n; ++k)
    {
        const ::kiln::uff::Node& node = graph.nodes(k);
        if (node.id().empty())
            return Status::error("node #" + std::to_string(k) + " (" + node.operation() + ") has no id");
        if (!mIndex.emplace(node.id(), k).second)
            return Status::error("node '" + node.id() + "' appears more than once in graph '" + graph.id() + "'");
    }
    for (const ::kiln::uff::Node& node : graph.nodes())
        for (const std::string& input : node.inputs())
            if (!mIndex.count(input))
                return Status::error("node '" + node.id() + "' (" + node.operation() + "): input '" + input
                    + "' is not a node of the graph");
    for (const InputRegistration& r : mSettings.inputs)
    {
        const auto it = mIndex.find(r.name);
        if (it == mIndex.end())
            return Status::error("registered input '" + r.name + "' is not a node of the graph");
        const ::kiln::uff::Node& node = graph.nodes(it->second);
        if (node.operation() != "Input")
            return Status::error(
                "registered input '" + r.name + "' is a " + node.operation() + " node, not an Input node");
    }
    for (const ::kiln::uff::Node& node : graph.nodes())
        if (node.operation() == "Input" && !registration(node.id()))
            return Status::error("node '" + node.id() + "' (Input) is not registered: call registerInput(\"" + node.id()
                + "\", dims, order) before parsing");
    for (const std::string& output : mSettings.outputs)
        if (!mIndex.count(output))
            return Status::error("registered output '" + output + "' is not a node of the graph");

    // Dependency order by an iterative depth-first walk (graphs can be deep; no recursion).
    enum : uint8_t
    {
        kNew,
        kOpen,
        kDone
    };
    std::vector<uint8_t> state(static_cast<size_t>(n), kNew);
    std::vector<std::pair<int32_t, int32_t>> stack; // (node, next input to visit)
    order.clear();
    order.reserve(static_cast<size_t>(n));
    for (int32_t start = 0; start < n; ++start)
    {
        if (state[static_cast<size_t>(start)] != kNew)
            continue;
        state[static_cast<size_t>(start)] = kOpen;
        stack.emplace_back(start, 0);
        while (!stack.empty())
        {
            auto& [v, next] = stack.back();
            const ::kiln::uff::Node& node = graph.nodes(v);
            if (next < node.inputs_size())
            {
                const std::string& input = node.inputs(next++);
                const int32_t u = mIndex.at(input);
                if (state[static_cast<size_t>(u)] == kOpen)
                    return Status::error("node '" + node.id() + "' (" + node.operation()
                        + ") is part of a cycle: its input '" + input + "' depends on it");
                if (state[static_cast<size_t>(u)] == kNew)
                {
                    state[static_cast<size_t>(u)] = kOpen;
                    stack.emplace_back(u, 0);
                }
                continue;
            }
            state[static_cast<size_t>(v)] = kDone;
            order.push_back(v);
            stack.pop_back();
        }
    }
    return Status::ok();
}

Status Converter::convertNode(const ::kiln::uff::Node& node)
{
    std::vector<const Value*> inputs;
    for (const std::string& input : node.inputs())
    {
        const auto it = mValues.find(input);
        if (it == mValues.end())
            return Status::error("node '" + node.id() + "' (" + node.operation() + "): input '" + input
                + "' has no value (a MarkOutput node cannot be an input)");
        inputs.push_back(&it->second);
    }
    NodeContext ctx(*this, node, std::move(inputs));
    const std::string& op = node.operation();
    if (op.empty())
        return ctx.fail("the node has no operation");
    if (op[0] == '_')
        return convertCustom(ctx);
    if (op == "MarkOutput")
        return ctx.expectInputs(1, -1);
    OpConverter fn = nullptr;
    if (ctx.allInputsConst())
    {
        const auto fold = foldConverters().find(op);
        if (fold != foldConverters().end())
            fn = fold->second;
    }
    if (!fn)
    {
        const auto it = opConverters().find(op);
        if (it == opConverters().end())
            return ctx.unsupported("operation '" + op + "' is not supported by Kiln's UFF parser");
        fn = it->second;
    }
    KILN_UFF_RETURN_IF_ERROR(fn(ctx));
    const Value& out = ctx.output();
    if (!out.isTensor() && !out.isConst())
        return ctx.fail("internal error: the converter produced no value");
    if (out.isTensor())
    {
        const nvinfer1::Dims d = out.tensor->getDimensions();
        if (d.nbDims != static_cast<int32_t>(out.perm.size()))
            return ctx.fail("internal error: the result has rank " + std::to_string(d.nbDims) + " and a layout of "
                + std::to_string(out.perm.size()) + " axes");
        mOwner.emplace(out.tensor, node.id());
    }
    mValues.emplace(node.id(), out);
    return Status::ok();
}

Status Converter::convertCustom(NodeContext& ctx)
{
    const std::string base = "custom operation '" + ctx.op() + "' needs a plugin";
    if (!mSettings.pluginFactory && !mSettings.pluginFactoryExt)
        return ctx.unsupported(base + ", and no plugin factory is set (setPluginFactory / setPluginFactoryExt)");
    bool claimed = false;
    if (mSettings.pluginFactoryExt)
        claimed = mSettings.pluginFactoryExt->isPluginExt(ctx.id().c_str())
            || mSettings.pluginFactoryExt->isPlugin(ctx.id().c_str());
    if (!claimed && mSettings.pluginFactory)
        claimed = mSettings.pluginFactory->isPlugin(ctx.id().c_str());
    if (!claimed)
        return ctx.unsupported(
            base + ", and the plugin factory does not make one for this node (isPlugin returned false)");
    return ctx.unsupported(base
        + "; the plugin factory makes a legacy IPlugin for it, which Kiln does not support "
          "(createPlugin was not called)");
}

Status Converter::markOutputs(const ::kiln::uff::Graph& graph)
{
    std::vector<std::string> names = mSettings.outputs;
    if (names.empty())
    {
        // Without registerOutput the MarkOutput nodes say what the outputs are.
        for (const ::kiln::uff::Node& node : graph.nodes())
            if (node.operation() == "MarkOutput")
                for (const std::string& input : node.inputs())
                    if (std::find(names.begin(), names.end(), input) == names.end())
                        names.push_back(input);
        if (names.empty())
            return Status::error(
                "the graph has no outputs: register them with registerOutput (or add a MarkOutput node)");
    }
    for (const std::string& name : names)
    {
        const ::kiln::uff::Node& node = graph.nodes(mIndex.at(name));
        NodeContext ctx(*this, node, {});
        const auto it = mValues.find(name);
        if (it == mValues.end())
            return ctx.fail("cannot be an output: it has no value");
        if (node.operation() == "Input")
            return ctx.fail("an Input node cannot also be an output (its name would name two bindings)");
        Value v = it->second;
        if (v.isConst())
        {
            // A constant output: every batch item gets the constant, with the TF shape.
            nvinfer1::ITensor* t = nullptr;
            KILN_UFF_RETURN_IF_ERROR(constantLayer(ctx, *v.constant, v.constant->shape, "output", t));
            v = Value{};
            v.tensor = t;
            v.perm = identityPerm(t->getDimensions().nbDims);
            mOwner.emplace(t, name);
        }
        // The output layout rule (NvUffParser.h, docs/uff_parser.md): TF rank-4 outputs come out
        // channels first (C, H, W) when an input was registered as kNCHW; all others in TF order.
        std::vector<int32_t> target = identityPerm(static_cast<int32_t>(v.perm.size()));
        if (mChannelsFirstOutputs && v.tfRank() == 4)
            target = {2, 0, 1};
        Value converted;
        KILN_UFF_RETURN_IF_ERROR(toLayout(ctx, v, target, converted));
        nvinfer1::ITensor* t = converted.tensor;
        const auto owner = mOwner.find(t);
        const bool ownTensor =
            converted.tensor != it->second.tensor || (owner != mOwner.end() && owner->second == name);
        if (!ownTensor || t->isNetworkInput() || t->isNetworkOutput())
        {
            // The tensor belongs to another node (Identity, Transpose...) or is already bound:
            // an Identity layer gives this output a tensor of its own.
            KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(mNetwork.addIdentity(*t), "output", t));
        }
        mOwner[t] = name;
        t->setName(name.c_str());
        mNetwork.markOutput(*t);
        if (!t->isNetworkOutput())
            return ctx.fail("the network refused to mark it as an output (see the log)");
    }
    return Status::ok();
}

void Converter::nameTensors(const ::kiln::uff::Graph& graph, const std::vector<int32_t>& order)
{
    std::unordered_set<std::string> used;
    for (int32_t k = 0; k < mNetwork.getNbInputs(); ++k)
        used.insert(mNetwork.getInput(k)->getName());
    for (int32_t k = 0; k < mNetwork.getNbOutputs(); ++k)
        used.insert(mNetwork.getOutput(k)->getName());
    for (int32_t index : order)
    {
        const std::string& id = graph.nodes(index).id();
        const auto it = mValues.find(id);
        if (it == mValues.end() || !it->second.isTensor())
            continue;
        nvinfer1::ITensor* t = it->second.tensor;
        const auto owner = mOwner.find(t);
        if (owner == mOwner.end() || owner->second != id || t->isNetworkInput() || t->isNetworkOutput()
            || !used.insert(id).second)
            continue;
        t->setName(id.c_str());
    }
}

} // namespace kiln::uffparser
