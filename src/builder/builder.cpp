// Network -> EnginePlan: lower implicit batch, check the network and its profiles, infer shapes at
// every profile's min/opt/max, choose a tactic per layer, then tensor layouts, plan activation memory,
// copy weights.
#include "builder/builder.h"

#include "builder/layout_choice.h"
#include "builder/memory_planner.h"
#include "builder/profiles.h"
#include "builder/tactic_selection.h"
#include "common/dtype.h"
#include "kernels/tactic.h"
#include "layers/identity.h"
#include "optimizer/optimizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace kiln::builder
{

namespace
{

using nvinfer1::Dims;
using nvinfer1::DataType;



//! Implicit batch -> explicit: every tensor gains a leading batch axis.
Status lowerImplicitBatch(ir::Graph& graph)
{
    for (ir::Tensor* in : graph.inputs)
        in->dims = prepend(in->dims, -1);
    for (auto& layer : graph.layers)
    {
        Status s = layer->params->addBatchAxis();
        if (!s)
            return s.withContext("layer '" + layer->name + "'");
    }
    graph.implicitBatch = false;
    return Status::ok();
}

ir::TensorDesc absentInput()
{
    ir::TensorDesc d;
    d.dims.nbDims = -1;
    return d;
}

Status checkNetwork(const ir::Graph& graph)
{
    if (graph.outputs.empty())
        return invalidArgument("the network has no outputs: mark at least one tensor with markOutput()");
    std::unordered_set<std::string> names;
    for (const ir::Tensor* t : graph.inputs)
        if (!names.insert(t->name).second)
            return invalidArgument("two network inputs are named '" + t->name + "'");
    for (const ir::Tensor* t : graph.outputs)
    {
        if (t->isInput)
            return invalidArgument("tensor '" + t->name + "' is both a network input and an output; add an identity layer");
        if (!names.insert(t->name).second)
            return invalidArgument("the name '" + t->name + "' is used by more than one network input/output");
    }
    return Status::ok();
}

//! Copies every layer's weights into one engine-owned block (HALF converted to FLOAT) and points
//! the plan's params at the copies.
class WeightsCollector final : public ir::WeightsVisitor
{
public:
    explicit WeightsCollector(bool measure)
        : mMeasure(measure)
    {
    }
    void setBlock(uint8_t* base) { mBase = base; }
    uint64_t size() const { return mOffset; }
    Status status() const { return mStatus; }

    void visit(const char* name, int32_t, ir::WeightsRef& w) override
    {
        if (w.empty() || !mStatus.isOk())
            return;
        if (w.count < 0 || !w.values)
        {
            mStatus = invalidArgument(std::string(name) + " weights have no values");
            return;
        }
        const DataType outType = w.type == DataType::kHALF ? DataType::kFLOAT : w.type;
        const uint64_t bytes = static_cast<uint64_t>(w.count) * elementSize(outType);
        if (elementSize(outType) == 0)
        {
            mStatus = invalidArgument(std::string(name) + " weights have an invalid type");
            return;
        }
        const uint64_t offset = plan::alignUp(mOffset);
        mOffset = offset + bytes;
        if (mMeasure)
            return;
        uint8_t* dst = mBase + offset;
        if (w.type == DataType::kHALF)
        {
            const auto* src = static_cast<const uint16_t*>(w.values);
            auto* f = reinterpret_cast<float*>(dst);
            for (int64_t i = 0; i < w.count; ++i)
                f[i] = halfToFloat(src[i]);
        }
        else
            std::memcpy(dst, w.values, bytes);
        w.values = dst;
        w.type = outType;
    }

private:
    bool mMeasure;
    uint8_t* mBase{nullptr};
    uint64_t mOffset{0};
    Status mStatus;
};

} // namespace

Expected<OptimizedNetwork> optimizeNetwork(const ir::Graph& network, const optimizer::OptimizerOptions& options,
    const Reporter& reporter)
{
    OptimizedNetwork result;
    result.graph = network.clone();
    ir::Graph& graph = *result.graph;
    result.implicitBatch = graph.implicitBatch;
    graph.removeDeadLayers();
    // ITensor::setType on an identity's output asks for a conversion.
    for (auto& layer : graph.layers)
        if (layer->kind() == ir::LayerKind::kIdentity && layer->outputs[0]->typeSet)
            static_cast<layers::IdentityParams&>(*layer->params).outputType = static_cast<int32_t>(layer->outputs[0]->type);
    if (result.implicitBatch)
        KILN_RETURN_IF_ERROR(lowerImplicitBatch(graph));
    KILN_RETURN_IF_ERROR(optimizer::optimize(graph, options, reporter));
    auto order = graph.topologicalOrder();
    if (!order)
        return order.status();
    result.order = std::move(order.value());
    return result;
}

Expected<std::unique_ptr<plan::EnginePlan>> buildPlan(const ir::Graph& network, const BuildOptions& options,
    const backends::Allocator& allocator, const Reporter& reporter, SelectionStats* statsOut)
{
    using nvinfer1::BuilderFlag;
    auto flag = [&](BuilderFlag f) { return (options.flags >> static_cast<uint32_t>(f)) & 1u; };
    if (flag(BuilderFlag::kFP16))
        reporter.warning("BuilderFlag::kFP16 is accepted but not honoured on the CPU yet: the engine computes in FP32");
    if (flag(BuilderFlag::kINT8))
        reporter.warning("BuilderFlag::kINT8 is accepted but not honoured on the CPU yet: the engine computes in FP32");
    if (flag(BuilderFlag::kREFIT) && options.profiles.size() > 1)
        return invalidArgument("a refittable engine (BuilderFlag::kREFIT) can have only one optimization profile, the config has "
            + std::to_string(options.profiles.size()));
    if (options.deviceType == nvinfer1::DeviceType::kDLA)
        return unsupported("DeviceType::kDLA: Kiln has no DLA backend");
    if (options.deviceType == nvinfer1::DeviceType::kGPU)
        reporter.info("no usable CUDA device backend in this build: building for the CPU");

    KILN_RETURN_IF_ERROR(checkNetwork(network));
    auto optimized = optimizeNetwork(network, options.optimizer, reporter);
    if (!optimized)
        return optimized.status();
    std::unique_ptr<ir::Graph>& graph = optimized->graph;
    const bool implicitBatch = optimized->implicitBatch;
    const std::vector<ir::Layer*>* order = &optimized->order;

    auto profiles = resolveProfiles(*graph, options, implicitBatch);
    if (!profiles)
        return profiles.status();

    // Shape inference at every profile corner; keep each tensor's largest size, and every corner's
    // descriptors for tactic selection ([profile][min, opt, max]).
    std::vector<std::array<std::unordered_map<const ir::Tensor*, ir::TensorDesc>, 3>> cornerShapes(profiles->size());
    std::unordered_map<const ir::Tensor*, ir::TensorDesc> shapes;
    std::unordered_map<const ir::Tensor*, int64_t> maxBytes;
    std::unordered_map<const ir::Tensor*, Dims> stableDims; // -1 where a dim varies across corners
    for (size_t k = 0; k < profiles->size(); ++k)
    {
        const ResolvedProfile& p = (*profiles)[k];
        int32_t cornerIndex = 0;
        for (const std::vector<Dims>* corner : {&p.min, &p.opt, &p.max})
        {
            std::unordered_map<const ir::Tensor*, size_t> inputIndex;
            for (size_t i = 0; i < graph->inputs.size(); ++i)
                inputIndex[graph->inputs[i]] = i;
            std::unordered_map<const ir::Tensor*, ir::TensorDesc> descs;
            Status s = ir::propagateShapes(*graph, *order, [&](const ir::Tensor& t) {
                ir::TensorDesc d;
                d.type = t.type;
                d.dims = (*corner)[inputIndex.at(&t)];
                return d;
            }, descs);
            if (!s)
                return profiles->size() > 1 ? s.withContext("optimization profile " + std::to_string(k)) : s;
            for (auto& [t, d] : descs)
            {
                if (hasDynamicExtent(d.dims))
                    return invalidArgument("tensor '" + t->name + "' has unresolved dimensions " + toString(d.dims)
                        + " for concrete input dimensions");
                const int64_t bytes = volume(d.dims) * static_cast<int64_t>(elementSize(d.type));
                maxBytes[t] = std::max(maxBytes[t], bytes);
                auto [it, fresh] = stableDims.emplace(t, d.dims);
                if (!fresh)
                    for (int32_t i = 0; i < d.dims.nbDims; ++i)
                        if (it->second.d[i] != d.dims.d[i])
                            it->second.d[i] = -1;
                shapes[t] = d;
            }
            cornerShapes[k][static_cast<size_t>(cornerIndex++)] = std::move(descs);
        }
    }
    for (const ir::Tensor* t : graph->outputs)
    {
        const DataType type = shapes.at(t).type;
        if (t->typeSet && t->type != type)
            return unsupported("output '" + t->name + "' was set to type " + dataTypeName(t->type)
                + " but its layer produces " + dataTypeName(type) + "; type conversion of outputs is not supported yet");
    }

    auto result = std::make_unique<plan::EnginePlan>();
    plan::EnginePlan& plan = *result;
    plan.name = graph->name;
    plan.implicitBatch = implicitBatch;
    plan.maxBatchSize = implicitBatch ? options.maxBatchSize : 1;
    plan.device = backends::cpuDevice().fingerprint();
    plan.device.features = 0; // set by tactic selection to what the chosen tactics need
    if (flag(BuilderFlag::kREFIT))
    {
        plan.refittable = true;
        plan.refit = std::make_shared<plan::RefitRecipe>();
        plan.refit->network = network.clone();
        auto kept = plan::ownNetworkWeights(*plan.refit->network, allocator);
        if (!kept)
            return kept.status();
        plan.refit->weights = std::move(kept.value());
        const optimizer::OptimizerOptions effective = optimizer::withEnvironment(options.optimizer);
        plan.refit->optimizerDisabled = effective.disabled;
        plan.refit->disabledPasses = effective.disabledPasses;
        plan.refit->stopAfterPass = effective.stopAfterPass;
    }

    // Tensors: I/O first so binding order is stable, then layer outputs in execution order.
    std::unordered_map<const ir::Tensor*, int32_t> tensorIndex;
    auto addTensor = [&](const ir::Tensor* t) {
        auto it = tensorIndex.find(t);
        if (it != tensorIndex.end())
            return it->second;
        plan::PlanTensor pt;
        pt.name = t->name;
        pt.type = shapes.count(t) ? shapes.at(t).type : t->type;
        pt.maxBytes = maxBytes.count(t) ? maxBytes.at(t) : 0;
        const int32_t index = static_cast<int32_t>(plan.tensors.size());
        plan.tensors.push_back(pt);
        tensorIndex[t] = index;
        return index;
    };
    for (const ir::Tensor* t : graph->inputs)
    {
        plan::PlanIO io;
        io.tensor = addTensor(t);
        io.isInput = true;
        io.dims = t->dims;
        plan.io.push_back(io);
    }
    for (const ir::Tensor* t : graph->outputs)
    {
        plan::PlanIO io;
        io.tensor = addTensor(t);
        io.isInput = false;
        io.dims = stableDims.at(t);
        plan.io.push_back(io);
    }

    std::vector<std::vector<LayerCorners>> corners; // [layer][profile]
    for (ir::Layer* layer : *order)
    {
        plan::PlanLayer pl;
        pl.name = layer->name;
        pl.params = layer->params->clone();
        pl.sourceLayers = layer->sources();
        std::vector<LayerCorners> layerCorners(profiles->size());
        for (size_t k = 0; k < profiles->size(); ++k)
            for (size_t c = 0; c < 3; ++c)
            {
                for (const ir::Tensor* t : layer->inputs)
                    layerCorners[k].inputs[c].push_back(t ? cornerShapes[k][c].at(t) : absentInput());
                for (const ir::Tensor* t : layer->outputs)
                    layerCorners[k].outputs[c].push_back(cornerShapes[k][c].at(t));
            }
        corners.push_back(std::move(layerCorners));
        for (const ir::Tensor* t : layer->inputs)
        {
            pl.inputs.push_back(t ? addTensor(t) : plan::kNoTensor);
            if (t)
                for (size_t i = 0; i < layer->inputs.size(); ++i)
                    if (layer->inputs[i] == t && layer->params->isShapeInput(static_cast<int32_t>(i)))
                        plan.tensors[static_cast<size_t>(tensorIndex.at(t))].isShapeTensor = true;
        }
        for (const ir::Tensor* t : layer->outputs)
            pl.outputs.push_back(addTensor(t));
        plan.layers.push_back(std::move(pl));
    }

    // Profiles in I/O order (inputs only).
    for (const ResolvedProfile& p : *profiles)
    {
        plan::PlanProfile pp;
        pp.min = p.min;
        pp.opt = p.opt;
        pp.max = p.max;
        plan.profiles.push_back(std::move(pp));
    }

    // Weights.
    WeightsCollector measure(true);
    for (auto& pl : plan.layers)
        pl.params->visitWeights(measure);
    KILN_RETURN_IF_ERROR(measure.status());
    plan.weights = std::make_unique<plan::WeightsBlock>(allocator, measure.size());
    if (!plan.weights->ok())
        return allocationFailed("the allocator could not provide " + std::to_string(measure.size()) + " bytes for the engine weights");
    WeightsCollector copy(false);
    copy.setBlock(plan.weights->data());
    for (auto& pl : plan.layers)
        pl.params->visitWeights(copy);
    KILN_RETURN_IF_ERROR(copy.status());

    // Tactics, chosen with the engine's weights in place (tactics may pack them while timing).
    TimingCache localCache;
    TimingCache& cache = options.timingCache ? *options.timingCache : localCache;
    SelectionStats stats;
    KILN_RETURN_IF_ERROR(selectTactics(plan, corners, options, allocator, cache, reporter, stats));
    if (statsOut)
        *statsOut = stats;
    reporter.verbose("tactic selection: " + std::to_string(stats.timedSignatures) + " layer signatures timed, "
        + std::to_string(stats.cacheHits) + " taken from the timing cache, " + std::to_string(stats.tacticRuns) + " tactic runs, "
        + std::to_string(stats.stoppedEarly) + " candidates stopped after their warm-up run");

    // Layouts last: they depend on the chosen tactics and may add Reformat layers and tensors.
    LayoutStats layoutStats;
    KILN_RETURN_IF_ERROR(chooseLayouts(plan, corners, options, reporter, layoutStats));

    {
        std::vector<bool> isBinding(plan.tensors.size(), false);
        for (const auto& io : plan.io)
            isBinding[static_cast<size_t>(io.tensor)] = true;
        KILN_RETURN_IF_ERROR(planMemory(plan, isBinding));
    }

    return result;
}

} // namespace kiln::builder
