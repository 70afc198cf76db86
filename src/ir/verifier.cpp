#include "ir/verifier.h"

#include <unordered_set>

namespace kiln::ir
{

namespace
{

std::string layerLabel(const Layer& layer)
{
    return "layer '" + layer.name + "' (" + (layer.params ? layerKindName(layer.kind()) : "no params") + ")";
}

Status checkLinks(const Graph& graph, const std::unordered_set<const Tensor*>& owned)
{
    std::unordered_set<const Layer*> layerSet;
    for (const auto& l : graph.layers)
        layerSet.insert(l.get());
    std::unordered_set<std::string> names;
    for (const auto& l : graph.layers)
    {
        const Layer& layer = *l;
        if (!layer.params)
            return invalidArgument(layerLabel(layer) + " has no parameters");
        if (layer.name.empty())
            return invalidArgument("a " + std::string(layerKindName(layer.kind())) + " layer has no name");
        if (!names.insert(layer.name).second)
            return invalidArgument("two layers are named '" + layer.name + "'");
        const LayerParams& p = *layer.params;
        const auto nbIn = static_cast<int32_t>(layer.inputs.size());
        if (nbIn < p.minInputs() || nbIn > p.maxInputs())
            return invalidArgument(layerLabel(layer) + " has " + std::to_string(nbIn) + " inputs; it takes "
                + std::to_string(p.minInputs()) + " to " + std::to_string(p.maxInputs()));
        for (int32_t i = 0; i < nbIn; ++i)
        {
            const Tensor* t = layer.inputs[static_cast<size_t>(i)];
            if (!t)
            {
                if (i < p.minInputs())
                    return invalidArgument(layerLabel(layer) + ": required input " + std::to_string(i) + " is null");
                continue;
            }
            if (!owned.count(t))
                return invalidArgument(layerLabel(layer) + ": input " + std::to_string(i) + " is not a tensor of the graph");
        }
        if (static_cast<int32_t>(layer.outputs.size()) != p.nbOutputs())
            return invalidArgument(layerLabel(layer) + " has " + std::to_string(layer.outputs.size()) + " outputs; its kind makes "
                + std::to_string(p.nbOutputs()));
        for (size_t k = 0; k < layer.outputs.size(); ++k)
        {
            const Tensor* t = layer.outputs[k];
            if (!t || !owned.count(t))
                return invalidArgument(layerLabel(layer) + ": output " + std::to_string(k) + " is not a tensor of the graph");
            if (t->producer != &layer || t->producerOutput != static_cast<int32_t>(k))
                return invalidArgument(layerLabel(layer) + ": output " + std::to_string(k) + " ('" + t->name
                    + "') names another producer");
            if (t->isInput)
                return invalidArgument(layerLabel(layer) + ": output '" + t->name + "' is a network input");
        }
    }
    for (const auto& t : graph.tensors)
    {
        if (!t->producer)
            continue;
        const Layer* p = t->producer;
        if (!layerSet.count(p))
            return invalidArgument("tensor '" + t->name + "' names a producer that is not a layer of the graph");
        const auto k = static_cast<size_t>(t->producerOutput);
        if (t->producerOutput < 0 || k >= p->outputs.size() || p->outputs[k] != t.get())
            return invalidArgument("tensor '" + t->name + "' is not output " + std::to_string(t->producerOutput) + " of its producer '"
                + p->name + "'");
    }
    for (const Tensor* t : graph.inputs)
    {
        if (!t || !owned.count(t))
            return invalidArgument("a network input is not a tensor of the graph");
        if (!t->isInput || t->producer)
            return invalidArgument("network input '" + t->name + "' is not flagged as an input or has a producer");
    }
    std::unordered_set<const Tensor*> outputSet;
    for (const Tensor* t : graph.outputs)
    {
        if (!t || !owned.count(t))
            return invalidArgument("a network output is not a tensor of the graph");
        if (!t->isOutput)
            return invalidArgument("network output '" + t->name + "' is not flagged as an output");
        if (!t->isInput && !t->producer)
            return invalidArgument("network output '" + t->name + "' is produced by no layer");
        if (!outputSet.insert(t).second)
            return invalidArgument("tensor '" + t->name + "' is marked as an output twice");
    }
    for (const auto& t : graph.tensors)
        if (t->isOutput && !outputSet.count(t.get()))
            return invalidArgument("tensor '" + t->name + "' is flagged as an output but is not in the output list");
    return Status::ok();
}

} // namespace

Status verifyGraph(const Graph& graph, const VerifyOptions& options)
{
    std::unordered_set<const Tensor*> owned;
    for (const auto& t : graph.tensors)
    {
        if (!t)
            return invalidArgument("the graph holds a null tensor");
        if (!owned.insert(t.get()).second)
            return invalidArgument("tensor '" + t->name + "' is held twice");
    }
    for (const auto& l : graph.layers)
        if (!l)
            return invalidArgument("the graph holds a null layer");
    KILN_RETURN_IF_ERROR(checkLinks(graph, owned));
    auto order = graph.topologicalOrder();
    if (!order)
        return order.status();
    if (!options.shapes)
        return Status::ok();
    std::unordered_map<const Tensor*, TensorDesc> descs;
    Status s = propagateShapes(graph, order.value(), [](const Tensor& t) {
        TensorDesc d;
        d.type = t.type;
        d.dims = t.dims;
        return d;
    }, descs);
    return s.withContext("shape inference");
}

} // namespace kiln::ir
