#include "ir/graph.h"

#include <algorithm>
#include <unordered_set>

namespace kiln::ir
{

Tensor* Graph::addInput(const std::string& tensorName, nvinfer1::DataType type, const nvinfer1::Dims& dims)
{
    auto t = std::make_unique<Tensor>();
    t->name = tensorName;
    t->type = type;
    t->dims = dims;
    t->isInput = true;
    Tensor* raw = t.get();
    tensors.push_back(std::move(t));
    inputs.push_back(raw);
    return raw;
}

Layer* Graph::addLayer(const std::string& layerName, std::unique_ptr<LayerParams> params, std::vector<Tensor*> layerInputs)
{
    auto layer = std::make_unique<Layer>();
    layer->name = layerName;
    layer->inputs = std::move(layerInputs);
    const int32_t nbOutputs = params->nbOutputs();
    layer->params = std::move(params);
    layer->outputTypes.resize(static_cast<size_t>(nbOutputs));
    for (int32_t i = 0; i < nbOutputs; ++i)
    {
        auto t = std::make_unique<Tensor>();
        t->name = nbOutputs == 1 ? layerName + " output" : layerName + " output " + std::to_string(i);
        t->producer = layer.get();
        t->producerOutput = i;
        layer->outputs.push_back(t.get());
        tensors.push_back(std::move(t));
    }
    Layer* raw = layer.get();
    layers.push_back(std::move(layer));
    return raw;
}

void Graph::markOutput(Tensor* tensor)
{
    if (!tensor || tensor->isOutput)
        return;
    tensor->isOutput = true;
    outputs.push_back(tensor);
}

void Graph::unmarkOutput(Tensor* tensor)
{
    if (!tensor || !tensor->isOutput)
        return;
    tensor->isOutput = false;
    outputs.erase(std::remove(outputs.begin(), outputs.end(), tensor), outputs.end());
}

std::unique_ptr<Graph> Graph::clone(std::unordered_map<const Tensor*, Tensor*>* tensorMap) const
{
    auto g = std::make_unique<Graph>();
    g->implicitBatch = implicitBatch;
    g->maxBatchSize = maxBatchSize;
    g->name = name;
    g->mOwnedWeights = mOwnedWeights;
    std::unordered_map<const Tensor*, Tensor*> tmap;
    std::unordered_map<const Layer*, Layer*> lmap;
    for (const auto& t : tensors)
    {
        auto copy = std::make_unique<Tensor>(*t);
        tmap[t.get()] = copy.get();
        g->tensors.push_back(std::move(copy));
    }
    for (const auto& l : layers)
    {
        auto copy = std::make_unique<Layer>();
        copy->name = l->name;
        copy->params = l->params->clone();
        copy->precision = l->precision;
        copy->outputTypes = l->outputTypes;
        copy->sourceLayers = l->sourceLayers;
        lmap[l.get()] = copy.get();
        g->layers.push_back(std::move(copy));
    }
    auto mapTensor = [&](Tensor* t) -> Tensor* { return t ? tmap.at(t) : nullptr; };
    for (size_t i = 0; i < layers.size(); ++i)
    {
        for (Tensor* t : layers[i]->inputs)
            g->layers[i]->inputs.push_back(t && tmap.count(t) ? tmap[t] : nullptr);
        for (Tensor* t : layers[i]->outputs)
            g->layers[i]->outputs.push_back(mapTensor(t));
    }
    for (auto& t : g->tensors)
        if (t->producer)
            t->producer = lmap.at(t->producer);
    for (Tensor* t : inputs)
        g->inputs.push_back(mapTensor(t));
    for (Tensor* t : outputs)
        g->outputs.push_back(mapTensor(t));
    if (tensorMap)
        *tensorMap = std::move(tmap);
    return g;
}

Expected<std::vector<Layer*>> Graph::topologicalOrder() const
{
    std::unordered_set<const Tensor*> owned;
    for (const auto& t : tensors)
        owned.insert(t.get());
    std::unordered_map<const Layer*, int> state; // 0 new, 1 visiting, 2 done
    std::vector<Layer*> order;
    order.reserve(layers.size());
    // Iterative DFS so deep networks cannot overflow the stack.
    for (const auto& root : layers)
    {
        if (state[root.get()] == 2)
            continue;
        std::vector<std::pair<Layer*, size_t>> stack{{root.get(), 0}};
        state[root.get()] = 1;
        while (!stack.empty())
        {
            auto& [layer, next] = stack.back();
            if (next < layer->inputs.size())
            {
                Tensor* in = layer->inputs[next++];
                if (!in)
                    continue;
                if (!owned.count(in))
                    return invalidArgument("layer '" + layer->name + "' has an input that is not part of the network");
                Layer* producer = in->producer;
                if (!producer)
                    continue;
                int& s = state[producer];
                if (s == 1)
                    return invalidArgument("layer '" + layer->name + "' is on a cycle through tensor '" + in->name + "'");
                if (s == 0)
                {
                    s = 1;
                    stack.emplace_back(producer, 0);
                }
                continue;
            }
            state[layer] = 2;
            order.push_back(layer);
            stack.pop_back();
        }
    }
    return order;
}

void Graph::removeDeadLayers()
{
    std::unordered_set<const Layer*> live;
    std::vector<const Tensor*> work(outputs.begin(), outputs.end());
    while (!work.empty())
    {
        const Tensor* t = work.back();
        work.pop_back();
        if (!t || !t->producer || live.count(t->producer))
            continue;
        live.insert(t->producer);
        for (const Tensor* in : t->producer->inputs)
            work.push_back(in);
    }
    std::unordered_set<const Tensor*> used(inputs.begin(), inputs.end());
    for (const auto& l : layers)
        if (live.count(l.get()))
            for (const Tensor* t : l->outputs)
                used.insert(t);
    layers.erase(std::remove_if(layers.begin(), layers.end(), [&](const std::unique_ptr<Layer>& l) { return !live.count(l.get()); }),
        layers.end());
    tensors.erase(std::remove_if(tensors.begin(), tensors.end(), [&](const std::unique_ptr<Tensor>& t) { return !used.count(t.get()); }),
        tensors.end());
}

WeightsRef Graph::ownWeights(std::vector<float> values)
{
    auto block = std::make_shared<const std::vector<float>>(std::move(values));
    WeightsRef ref{nvinfer1::DataType::kFLOAT, block->empty() ? nullptr : block->data(), static_cast<int64_t>(block->size())};
    mOwnedWeights.push_back(std::move(block));
    return ref;
}

WeightsRef Graph::ownWeights(std::vector<int32_t> values)
{
    auto block = std::make_shared<const std::vector<int32_t>>(std::move(values));
    WeightsRef ref{nvinfer1::DataType::kINT32, block->empty() ? nullptr : block->data(), static_cast<int64_t>(block->size())};
    mOwnedWeights.push_back(std::move(block));
    return ref;
}

Status propagateShapes(const Graph& graph, const std::vector<Layer*>& order, const InputDescFn& inputDesc,
    std::unordered_map<const Tensor*, TensorDesc>& descs)
{
    for (const Tensor* t : graph.inputs)
        descs[t] = inputDesc(*t);
    for (const Layer* layer : order)
    {
        const LayerParams& params = *layer->params;
        const int32_t nbIn = static_cast<int32_t>(layer->inputs.size());
        if (nbIn < params.minInputs() || nbIn > params.maxInputs())
            return invalidArgument("layer '" + layer->name + "' (" + layerKindName(params.kind()) + ") has " + std::to_string(nbIn)
                + " inputs; it takes " + std::to_string(params.minInputs())
                + (params.minInputs() == params.maxInputs() ? "" : " to " + std::to_string(params.maxInputs())));
        std::vector<const TensorDesc*> ins;
        for (int32_t i = 0; i < nbIn; ++i)
        {
            const Tensor* t = layer->inputs[static_cast<size_t>(i)];
            if (!t)
            {
                if (i < params.minInputs())
                    return invalidArgument("layer '" + layer->name + "': required input " + std::to_string(i) + " is not set");
                ins.push_back(nullptr);
                continue;
            }
            auto it = descs.find(t);
            if (it == descs.end())
                return internalError("layer '" + layer->name + "': input '" + t->name + "' has no shape yet");
            ins.push_back(&it->second);
        }
        ShapeContext ctx(layer->name, params.kind(), std::move(ins), params.nbOutputs());
        KILN_RETURN_IF_ERROR(params.inferShapes(ctx));
        for (int32_t i = 0; i < params.nbOutputs() && i < static_cast<int32_t>(layer->outputs.size()); ++i)
            descs[layer->outputs[static_cast<size_t>(i)]] = ctx.output(i);
    }
    return Status::ok();
}

} // namespace kiln::ir
