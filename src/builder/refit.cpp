#include "builder/refit.h"

#include "builder/builder.h"
#include "common/dtype.h"
#include "serialize/params_codec.h"

#include <cstring>
#include <numeric>
#include <unordered_map>

namespace kiln::builder
{

namespace
{

using nvinfer1::DataType;

//! The weights slots of \p params in visitWeights order, with their roles.
struct Slots final : ir::WeightsVisitor
{
    std::vector<ir::WeightsRef*> refs;
    std::vector<int32_t> roles;
    void visit(const char*, int32_t role, ir::WeightsRef& w) override
    {
        refs.push_back(&w);
        roles.push_back(role);
    }
};

bool refittableType(DataType type)
{
    return type == DataType::kFLOAT || type == DataType::kHALF;
}

//! The fields of \p params as bytes (equal bytes: equal fields).
std::vector<uint8_t> fieldBytes(const ir::LayerParams& params)
{
    serialize::ByteWriter w;
    serialize::writeFields(w, params);
    return w.release();
}

//! \p w as the engine stores it (HALF becomes FLOAT, into \p u.owned), pointed at by \p u.
void engineBytes(const ir::WeightsRef& w, plan::WeightsUpdate& u, DataType& type)
{
    type = w.type == DataType::kHALF ? DataType::kFLOAT : w.type;
    u.size = static_cast<size_t>(w.count) * elementSize(type);
    if (w.type != DataType::kHALF)
    {
        u.data = static_cast<const uint8_t*>(w.values);
        return;
    }
    u.owned.resize(u.size);
    const auto* src = static_cast<const uint16_t*>(w.values);
    auto* dst = reinterpret_cast<float*>(u.owned.data());
    for (int64_t i = 0; i < w.count; ++i)
        dst[i] = halfToFloat(src[i]);
    u.data = u.owned.data();
}

int32_t root(std::vector<int32_t>& parent, int32_t i)
{
    while (parent[static_cast<size_t>(i)] != i)
        i = parent[static_cast<size_t>(i)] = parent[static_cast<size_t>(parent[static_cast<size_t>(i)])];
    return i;
}

} // namespace

std::vector<RefitSlot> refittableSlots(const ir::Graph& network)
{
    std::vector<RefitSlot> slots;
    for (const auto& layer : network.layers)
    {
        Slots s;
        layer->params->visitWeights(s);
        for (size_t i = 0; i < s.refs.size(); ++i)
            if (s.roles[i] != ir::kNoWeightsRole && s.refs[i]->count > 0 && refittableType(s.refs[i]->type))
                slots.push_back(RefitSlot{layer->name, static_cast<nvinfer1::WeightsRole>(s.roles[i]), *s.refs[i]});
    }
    return slots;
}

std::vector<int32_t> refitGroups(const plan::EnginePlan& plan, const std::vector<RefitSlot>& slots)
{
    std::vector<int32_t> parent(slots.size());
    std::iota(parent.begin(), parent.end(), 0);
    std::unordered_map<std::string, std::vector<int32_t>> byLayer;
    for (size_t i = 0; i < slots.size(); ++i)
        byLayer[slots[i].layer].push_back(static_cast<int32_t>(i));
    std::unordered_map<std::string, ir::LayerKind> networkKinds;
    if (plan.refit)
        for (const auto& layer : plan.refit->network->layers)
            networkKinds[layer->name] = layer->kind();
    for (const plan::PlanLayer& layer : plan.layers)
    {
        const std::vector<std::string>& sources = layer.sourceLayers;
        const bool alone = sources.size() == 1 && sources[0] == layer.name && networkKinds.count(layer.name)
            && networkKinds.at(layer.name) == layer.params->kind();
        if (alone)
            continue;
        int32_t first = -1;
        for (const std::string& source : sources)
        {
            auto it = byLayer.find(source);
            if (it == byLayer.end())
                continue;
            for (int32_t slot : it->second)
            {
                if (first < 0)
                    first = root(parent, slot);
                else
                    parent[static_cast<size_t>(root(parent, slot))] = first;
                first = root(parent, first);
            }
        }
    }
    std::vector<int32_t> groups(slots.size());
    for (size_t i = 0; i < slots.size(); ++i)
        groups[i] = root(parent, static_cast<int32_t>(i));
    return groups;
}

Expected<RefitResult> computeRefit(const plan::EnginePlan& plan, const NewWeights& weights, const backends::Allocator& allocator,
    const Reporter& reporter)
{
    if (!plan.refit || !plan.refit->network)
        return invalidState("the engine is not refittable (build it with BuilderFlag::kREFIT)");
    const plan::RefitRecipe& old = *plan.refit;

    // The network with the new weights (the copy owns them).
    RefitResult result;
    result.recipe = std::make_shared<plan::RefitRecipe>(old);
    result.recipe->network = old.network->clone();
    ir::Graph& network = *result.recipe->network;
    size_t replaced = 0;
    for (auto& layer : network.layers)
    {
        Slots s;
        layer->params->visitWeights(s);
        for (size_t i = 0; i < s.refs.size(); ++i)
        {
            if (s.roles[i] == ir::kNoWeightsRole)
                continue;
            auto it = weights.find({layer->name, static_cast<nvinfer1::WeightsRole>(s.roles[i])});
            if (it == weights.end())
                continue;
            const ir::WeightsRef& w = it->second;
            if (w.count != s.refs[i]->count || !refittableType(w.type))
                return invalidArgument("layer '" + layer->name + "': new weights must be FLOAT or HALF with "
                    + std::to_string(s.refs[i]->count) + " values");
            *s.refs[i] = w;
            ++replaced;
        }
    }
    if (replaced != weights.size())
        return invalidArgument("some new weights name no refittable weights of the network");
    auto kept = plan::ownNetworkWeights(network, allocator);
    if (!kept)
        return kept.status();
    result.recipe->weights = std::move(kept.value());

    // The optimizer again, with the options of the build.
    optimizer::OptimizerOptions options;
    options.disabled = old.optimizerDisabled;
    options.disabledPasses = old.disabledPasses;
    options.stopAfterPass = old.stopAfterPass;
    auto optimized = optimizeNetwork(network, options, reporter);
    if (!optimized)
        return optimized.status().withContext("refit: optimizing the network with the new weights");

    // The same engine layers, in the same order (Reformat layers come from the layout choice).
    size_t next = 0;
    for (size_t l = 0; l < plan.layers.size(); ++l)
    {
        const plan::PlanLayer& engineLayer = plan.layers[l];
        if (engineLayer.params->kind() == ir::LayerKind::kReformat)
            continue;
        const std::string differs = "refit: with the new weights the optimizer makes another engine (at layer '" + engineLayer.name
            + "'): ";
        if (next >= optimized->order.size())
            return invalidArgument(differs + "fewer layers");
        const ir::Layer& layer = *optimized->order[next++];
        if (layer.name != engineLayer.name || layer.kind() != engineLayer.params->kind())
            return invalidArgument(differs + "it is now '" + layer.name + "' (" + ir::layerKindName(layer.kind()) + ")");
        if (fieldBytes(*layer.params) != fieldBytes(*engineLayer.params))
            return invalidArgument(differs + "its parameters changed");
        Slots now, before;
        layer.params->visitWeights(now);
        engineLayer.params->visitWeights(before);
        if (now.refs.size() != before.refs.size())
            return invalidArgument(differs + "its weights changed");
        for (size_t i = 0; i < now.refs.size(); ++i)
        {
            DataType type;
            plan::WeightsUpdate u;
            u.layer = l;
            u.slot = static_cast<int32_t>(i);
            engineBytes(*now.refs[i], u, type);
            const ir::WeightsRef& b = *before.refs[i];
            if (type != b.type || now.refs[i]->count != b.count)
                return invalidArgument(differs + "weights slot " + std::to_string(i) + " changed type or size");
            // Unchanged slots are left alone; the data of changed ones stays alive in the recipe's
            // network (or in the optimized graph's owned weights, which the recipe network shares).
            if (u.size > 0 && std::memcmp(u.data, b.values, u.size) != 0)
                result.updates.push_back(std::move(u));
        }
    }
    if (next != optimized->order.size())
        return invalidArgument("refit: with the new weights the optimizer makes more engine layers");
    result.optimized = std::move(optimized->graph);
    return result;
}

} // namespace kiln::builder
