#include "runtime/engine.h"

#include "backends/cpu/thread_pool.h"
#include "common/dtype.h"

#include <algorithm>
#include <cstring>

namespace kiln::runtime
{

namespace
{

std::string ioName(const plan::EnginePlan& plan, int32_t ioIndex)
{
    return plan.tensors[static_cast<size_t>(plan.io[static_cast<size_t>(ioIndex)].tensor)].name;
}

//! Ok when \p tactic can read and write every tensor of \p layer in the plan's layouts.
Status checkTacticLayouts(const plan::EnginePlan& plan, const plan::PlanLayer& layer, const kernels::Tactic& tactic)
{
    for (const std::vector<int32_t>* tensors : {&layer.inputs, &layer.outputs})
        for (int32_t t : *tensors)
        {
            if (t < 0 || t >= static_cast<int32_t>(plan.tensors.size()))
                continue; // resolveShapes() reports bad indices
            const plan::PlanTensor& pt = plan.tensors[static_cast<size_t>(t)];
            if ((tactic.layouts() & ir::layoutBit(pt.layout)) == 0)
                return invalidArgument("layer '" + layer.name + "': tactic '" + tactic.name() + "' cannot access tensor '" + pt.name
                    + "' in layout " + ir::layoutName(pt.layout));
        }
    return Status::ok();
}

} // namespace

Expected<std::shared_ptr<Engine>> Engine::create(std::unique_ptr<plan::EnginePlan> plan, const backends::Allocator& allocator)
{
    std::shared_ptr<Engine> engine(new Engine());
    engine->mAllocator = allocator;
    if (plan->profiles.empty())
        return invalidArgument("the engine has no optimization profile");
    const size_t nbProfiles = plan->profiles.size();
    engine->mTactics.assign(nbProfiles, {});
    for (const auto& layer : plan->layers)
    {
        if (!layer.profileTactics.empty() && layer.profileTactics.size() != nbProfiles)
            return invalidArgument("layer '" + layer.name + "' names tactics for " + std::to_string(layer.profileTactics.size())
                + " optimization profiles, the engine has " + std::to_string(nbProfiles));
        for (size_t p = 0; p < nbProfiles; ++p)
        {
            const std::string& name = layer.tacticFor(static_cast<int32_t>(p));
            const kernels::Tactic* t = kernels::findTactic(name);
            if (!t)
                return unsupported("layer '" + layer.name + "': unknown tactic '" + name + "'");
            if (t->kind() != layer.params->kind())
                return invalidArgument("layer '" + layer.name + "': tactic '" + name + "' is for another layer kind");
            KILN_RETURN_IF_ERROR(checkTacticLayouts(*plan, layer, *t));
            engine->mTactics[p].push_back(t);
        }
    }
    KILN_RETURN_IF_ERROR(backends::cpuDevice().checkCompatible(plan->device));
    engine->mPlan = std::move(plan);
    // Validate every profile corner once, so a plan that cannot run is refused here.
    for (int32_t p = 0; p < static_cast<int32_t>(engine->mPlan->profiles.size()); ++p)
    {
        auto ctx = ExecutionContext::create(engine, p, false);
        if (!ctx)
            return ctx.status();
        const auto& prof = engine->mPlan->profiles[static_cast<size_t>(p)];
        for (const auto* corner : {&prof.min, &prof.opt, &prof.max})
        {
            int32_t input = 0;
            for (int32_t i = 0; i < static_cast<int32_t>(engine->mPlan->io.size()); ++i)
                if (engine->mPlan->io[static_cast<size_t>(i)].isInput)
                    KILN_RETURN_IF_ERROR((*ctx)->setInputDims(i, (*corner)[static_cast<size_t>(input++)]));
            KILN_RETURN_IF_ERROR((*ctx)->resolveShapes());
        }
    }
    // Only a plan that passed validation reaches the tactics' prepare().
    const plan::EnginePlan& valid = *engine->mPlan;
    engine->mPrepared.assign(nbProfiles, std::vector<std::shared_ptr<const kernels::TacticState>>(valid.layers.size()));
    std::vector<std::shared_ptr<const kernels::TacticState>> perProfile;
    for (size_t l = 0; l < valid.layers.size(); ++l)
    {
        KILN_RETURN_IF_ERROR(engine->prepareLayer(l, *valid.layers[l].params, perProfile));
        for (size_t p = 0; p < nbProfiles; ++p)
            engine->mPrepared[p][l] = std::move(perProfile[p]);
    }
    return engine;
}

Status Engine::prepareLayer(
    size_t layer, const ir::LayerParams& params, std::vector<std::shared_ptr<const kernels::TacticState>>& perProfile) const
{
    const size_t nbProfiles = mTactics.size();
    perProfile.assign(nbProfiles, nullptr);
    for (size_t p = 0; p < nbProfiles; ++p)
    {
        const kernels::Tactic* t = mTactics[p][layer];
        size_t same = 0;
        while (same < p && mTactics[same][layer] != t)
            ++same;
        if (same < p)
        {
            perProfile[p] = perProfile[same];
            continue;
        }
        auto prepared = t->prepare(params, mAllocator);
        if (!prepared)
            return prepared.status().withContext("layer '" + mPlan->layers[layer].name + "' (tactic " + t->name() + ")");
        perProfile[p] = std::move(prepared.value());
    }
    return Status::ok();
}

namespace
{

//! The weights slots of \p params in visitWeights order.
std::vector<ir::WeightsRef*> weightsSlots(ir::LayerParams& params)
{
    struct Collect final : ir::WeightsVisitor
    {
        std::vector<ir::WeightsRef*> slots;
        void visit(const char*, int32_t, ir::WeightsRef& w) override { slots.push_back(&w); }
    } collect;
    params.visitWeights(collect);
    return collect.slots;
}

} // namespace

void EngineLock::lock_shared()
{
    std::unique_lock<std::mutex> guard(mMutex);
    mChanged.wait(guard, [&] { return !mWriter && mWritersWaiting == 0; });
    ++mReaders;
}

void EngineLock::unlock_shared()
{
    std::lock_guard<std::mutex> guard(mMutex);
    if (--mReaders == 0)
        mChanged.notify_all();
}

void EngineLock::lock()
{
    std::unique_lock<std::mutex> guard(mMutex);
    ++mWritersWaiting;
    mChanged.wait(guard, [&] { return !mWriter && mReaders == 0; });
    --mWritersWaiting;
    mWriter = true;
}

void EngineLock::unlock()
{
    std::lock_guard<std::mutex> guard(mMutex);
    mWriter = false;
    mChanged.notify_all();
}

Status Engine::refit(const std::vector<WeightsUpdate>& updates, std::shared_ptr<plan::RefitRecipe> recipe)
{
    std::unique_lock<EngineLock> exclusive(mLock);
    const uint8_t* blockBegin = mPlan->weights ? mPlan->weights->data() : nullptr;
    const uint8_t* blockEnd = blockBegin ? blockBegin + mPlan->weights->size() : nullptr;
    // Check everything, and pack the new weights from copies of the layers' parameters that point
    // at them, before writing anything: on an error the engine stays as it was.
    std::vector<uint8_t*> targets;
    std::vector<std::unique_ptr<ir::LayerParams>> staged(mPlan->layers.size());
    for (const WeightsUpdate& u : updates)
    {
        if (u.layer >= mPlan->layers.size())
            return internalError("refit: layer index out of range");
        const plan::PlanLayer& layer = mPlan->layers[u.layer];
        std::vector<ir::WeightsRef*> slots = weightsSlots(*layer.params);
        if (u.slot < 0 || static_cast<size_t>(u.slot) >= slots.size())
            return internalError("refit: layer '" + layer.name + "' has no weights slot " + std::to_string(u.slot));
        const ir::WeightsRef& w = *slots[static_cast<size_t>(u.slot)];
        const size_t bytes = static_cast<size_t>(w.count) * elementSize(w.type);
        const auto* at = static_cast<const uint8_t*>(w.values);
        if (u.size != bytes || (bytes > 0 && (!u.data || !at || at < blockBegin || at + bytes > blockEnd)))
            return internalError("refit: layer '" + layer.name + "' weights slot " + std::to_string(u.slot)
                + " does not match the engine's weights");
        targets.push_back(const_cast<uint8_t*>(at));
        if (!staged[u.layer])
            staged[u.layer] = layer.params->clone();
        weightsSlots(*staged[u.layer])[static_cast<size_t>(u.slot)]->values = u.data;
    }
    std::vector<std::vector<std::shared_ptr<const kernels::TacticState>>> prepared(mPlan->layers.size());
    for (size_t l = 0; l < mPlan->layers.size(); ++l)
        if (staged[l])
            KILN_RETURN_IF_ERROR(prepareLayer(l, *staged[l], prepared[l]));
    // Tactics keep no pointer to the weights they packed (run() reads them through the layer's
    // parameters), so the packing made from the staged copies serves the engine's weights.
    for (size_t i = 0; i < updates.size(); ++i)
        if (updates[i].size)
            std::memcpy(targets[i], updates[i].data, updates[i].size);
    for (size_t l = 0; l < mPlan->layers.size(); ++l)
        if (staged[l])
            for (size_t p = 0; p < mPrepared.size(); ++p)
                mPrepared[p][l] = std::move(prepared[l][p]);
    mPlan->refit = std::move(recipe);
    mGeneration.fetch_add(1, std::memory_order_acq_rel);
    return Status::ok();
}

Expected<std::unique_ptr<ExecutionContext>> ExecutionContext::create(
    std::shared_ptr<const Engine> engine, int32_t profile, bool ownMemory)
{
    std::unique_ptr<ExecutionContext> ctx(new ExecutionContext());
    ctx->mEngine = std::move(engine);
    const plan::EnginePlan& plan = ctx->mEngine->plan();
    ctx->mInputDims.resize(plan.io.size());
    ctx->mInputSet.assign(plan.io.size(), false);
    ctx->mShapes.resize(plan.tensors.size());
    KILN_RETURN_IF_ERROR(ctx->setProfile(profile));
    if (ownMemory)
    {
        const uint64_t size = plan.deviceMemorySize();
        if (size > 0)
        {
            ctx->mOwnedMemory = ctx->mEngine->allocator().allocate(size);
            if (!ctx->mOwnedMemory)
                return allocationFailed("the allocator could not provide " + std::to_string(size) + " bytes of context memory");
        }
    }
    return ctx;
}

ExecutionContext::~ExecutionContext()
{
    if (mOwnedMemory)
        mEngine->allocator().free(mOwnedMemory);
}

Status ExecutionContext::setProfile(int32_t profile)
{
    const plan::EnginePlan& plan = mEngine->plan();
    if (profile < 0 || profile >= static_cast<int32_t>(plan.profiles.size()))
        return invalidArgument("optimization profile " + std::to_string(profile) + " does not exist (the engine has "
            + std::to_string(plan.profiles.size()) + ")");
    mProfile = profile;
    // Inputs whose extents are fixed within the profile need no setBindingDimensions().
    const auto& prof = plan.profiles[static_cast<size_t>(profile)];
    int32_t input = 0;
    for (size_t i = 0; i < plan.io.size(); ++i)
    {
        if (!plan.io[i].isInput)
            continue;
        const nvinfer1::Dims& lo = prof.min[static_cast<size_t>(input)];
        const nvinfer1::Dims& hi = prof.max[static_cast<size_t>(input)];
        mInputDims[i] = lo;
        mInputSet[i] = sameDims(lo, hi);
        ++input;
    }
    mShapesValid = false;
    return Status::ok();
}

Status ExecutionContext::setInputDims(int32_t ioIndex, const nvinfer1::Dims& dims)
{
    const plan::EnginePlan& plan = mEngine->plan();
    if (ioIndex < 0 || ioIndex >= static_cast<int32_t>(plan.io.size()) || !plan.io[static_cast<size_t>(ioIndex)].isInput)
        return invalidArgument("binding " + std::to_string(ioIndex) + " is not an input");
    int32_t input = 0;
    for (int32_t i = 0; i < ioIndex; ++i)
        input += plan.io[static_cast<size_t>(i)].isInput ? 1 : 0;
    const auto& prof = plan.profiles[static_cast<size_t>(mProfile)];
    const nvinfer1::Dims& lo = prof.min[static_cast<size_t>(input)];
    const nvinfer1::Dims& hi = prof.max[static_cast<size_t>(input)];
    const std::string name = ioName(plan, ioIndex);
    if (dims.nbDims != lo.nbDims)
        return invalidArgument("input '" + name + "' has rank " + std::to_string(lo.nbDims) + ", got dimensions " + toString(dims));
    for (int32_t i = 0; i < dims.nbDims; ++i)
        if (dims.d[i] < lo.d[i] || dims.d[i] > hi.d[i])
            return invalidArgument("input '" + name + "' dimensions " + toString(dims) + " are outside optimization profile "
                + std::to_string(mProfile) + " (min " + toString(lo) + ", max " + toString(hi) + ")");
    mInputDims[static_cast<size_t>(ioIndex)] = dims;
    mInputSet[static_cast<size_t>(ioIndex)] = true;
    mShapesValid = false;
    return Status::ok();
}

bool ExecutionContext::allInputDimsSpecified() const
{
    const plan::EnginePlan& plan = mEngine->plan();
    for (size_t i = 0; i < plan.io.size(); ++i)
        if (plan.io[i].isInput && !mInputSet[i])
            return false;
    return true;
}

nvinfer1::Dims ExecutionContext::ioDims(int32_t ioIndex)
{
    const plan::EnginePlan& plan = mEngine->plan();
    if (ioIndex < 0 || ioIndex >= static_cast<int32_t>(plan.io.size()))
        return invalidDims();
    const auto& io = plan.io[static_cast<size_t>(ioIndex)];
    if (io.isInput)
        return mInputSet[static_cast<size_t>(ioIndex)] ? mInputDims[static_cast<size_t>(ioIndex)] : io.dims;
    if (!allInputDimsSpecified() || !resolveShapes())
        return io.dims;
    return mShapes[static_cast<size_t>(io.tensor)].dims;
}

Status ExecutionContext::resolveShapes()
{
    if (mShapesValid)
        return Status::ok();
    const plan::EnginePlan& plan = mEngine->plan();
    for (auto& s : mShapes)
        s = ir::TensorDesc{};
    std::vector<bool> known(plan.tensors.size(), false);
    for (size_t i = 0; i < plan.io.size(); ++i)
    {
        if (!plan.io[i].isInput)
            continue;
        if (!mInputSet[i])
            return invalidState("the dimensions of input '" + ioName(plan, static_cast<int32_t>(i))
                + "' are not specified (setBindingDimensions)");
        auto& d = mShapes[static_cast<size_t>(plan.io[i].tensor)];
        d.type = plan.tensors[static_cast<size_t>(plan.io[i].tensor)].type;
        d.dims = mInputDims[i];
        known[static_cast<size_t>(plan.io[i].tensor)] = true;
    }
    for (const auto& layer : plan.layers)
    {
        std::vector<const ir::TensorDesc*> ins;
        for (int32_t t : layer.inputs)
        {
            if (t == plan::kNoTensor)
            {
                ins.push_back(nullptr);
                continue;
            }
            if (t < 0 || t >= static_cast<int32_t>(plan.tensors.size()) || !known[static_cast<size_t>(t)])
                return invalidArgument("layer '" + layer.name + "' reads a tensor that no earlier layer produces");
            ins.push_back(&mShapes[static_cast<size_t>(t)]);
        }
        if (static_cast<int32_t>(ins.size()) < layer.params->minInputs() || static_cast<int32_t>(ins.size()) > layer.params->maxInputs())
            return invalidArgument("layer '" + layer.name + "' has a wrong number of inputs");
        if (static_cast<int32_t>(layer.outputs.size()) != layer.params->nbOutputs())
            return invalidArgument("layer '" + layer.name + "' has a wrong number of outputs");
        ir::ShapeContext ctx(layer.name, layer.params->kind(), std::move(ins), layer.params->nbOutputs());
        KILN_RETURN_IF_ERROR(layer.params->inferShapes(ctx));
        for (size_t o = 0; o < layer.outputs.size(); ++o)
        {
            const int32_t t = layer.outputs[o];
            if (t < 0 || t >= static_cast<int32_t>(plan.tensors.size()))
                return invalidArgument("layer '" + layer.name + "' writes a tensor index out of range");
            const ir::TensorDesc& d = ctx.output(static_cast<int32_t>(o));
            const auto& pt = plan.tensors[static_cast<size_t>(t)];
            if (hasDynamicExtent(d.dims) || !isValidRank(d.dims))
                return invalidArgument("layer '" + layer.name + "': output dimensions " + toString(d.dims) + " are not concrete");
            if (d.type != pt.type)
                return invalidArgument("layer '" + layer.name + "': output '" + pt.name + "' has type " + dataTypeName(d.type)
                    + ", the engine expects " + dataTypeName(pt.type));
            if (Status s = ir::checkLayout(pt.layout, d.dims); !s)
                return invalidArgument("layer '" + layer.name + "': output '" + pt.name + "' with dimensions " + toString(d.dims)
                    + ": " + s.message());
            const int64_t bytes = volume(d.dims) * static_cast<int64_t>(elementSize(d.type));
            if (pt.arenaOffset >= 0 && bytes > pt.maxBytes)
                return invalidArgument("tensor '" + pt.name + "' needs " + std::to_string(bytes) + " bytes, more than the "
                    + std::to_string(pt.maxBytes) + " planned for the optimization profile");
            mShapes[static_cast<size_t>(t)] = d;
            mShapes[static_cast<size_t>(t)].layout = pt.layout;
            known[static_cast<size_t>(t)] = true;
        }
    }
    // Kernel arguments, pointers filled in at execution; tactic state for these dims.
    mArgs.assign(plan.layers.size(), kernels::KernelArgs{});
    mBound.clear();
    mBound.resize(plan.layers.size());
    mBoundValid = false;
    for (size_t l = 0; l < plan.layers.size(); ++l)
    {
        const auto& layer = plan.layers[l];
        kernels::KernelArgs& a = mArgs[l];
        a.params = layer.params.get();
        a.pool = &backends::cpu::ThreadPool::global();
        for (int32_t t : layer.inputs)
        {
            kernels::TensorBuffer b;
            if (t == plan::kNoTensor)
                b.dims = invalidDims();
            else
            {
                b.type = mShapes[static_cast<size_t>(t)].type;
                b.dims = mShapes[static_cast<size_t>(t)].dims;
            }
            a.inputs.push_back(b);
        }
        for (int32_t t : layer.outputs)
        {
            kernels::TensorBuffer b;
            b.type = mShapes[static_cast<size_t>(t)].type;
            b.dims = mShapes[static_cast<size_t>(t)].dims;
            a.outputs.push_back(b);
        }
        a.workspaceSize = layer.workspaceSize;
    }
    mShapesValid = true;
    return Status::ok();
}

Status ExecutionContext::bindTactics()
{
    if (mBoundValid)
        return Status::ok();
    const plan::EnginePlan& plan = mEngine->plan();
    for (size_t l = 0; l < plan.layers.size(); ++l)
    {
        const auto& layer = plan.layers[l];
        kernels::KernelArgs& a = mArgs[l];
        a.prepared = mEngine->prepared(mProfile, l);
        std::vector<ir::TensorDesc> ins, outs;
        auto layoutOf = [&](int32_t t) { return t == plan::kNoTensor ? ir::Layout::kLinear : plan.tensors[static_cast<size_t>(t)].layout; };
        for (size_t i = 0; i < a.inputs.size(); ++i)
            ins.push_back(ir::TensorDesc{a.inputs[i].type, a.inputs[i].dims, std::nullopt, layoutOf(layer.inputs[i])});
        for (size_t o = 0; o < a.outputs.size(); ++o)
            outs.push_back(ir::TensorDesc{a.outputs[o].type, a.outputs[o].dims, std::nullopt, layoutOf(layer.outputs[o])});
        const kernels::Tactic& tactic = mEngine->tactic(mProfile, l);
        auto bound = tactic.bind(*layer.params, a.prepared, ins, outs);
        if (!bound)
            return bound.status().withContext("layer '" + layer.name + "' (tactic " + tactic.name() + ")");
        mBound[l] = std::move(bound.value());
        a.bound = mBound[l].get();
    }
    mBoundValid = true;
    mBoundGeneration = mEngine->generation();
    return Status::ok();
}

Status ExecutionContext::enqueue(void* const* ioBuffers, int32_t batch, backends::Stream& stream, nvinfer1::IProfiler* profiler)
{
    const plan::EnginePlan& plan = mEngine->plan();
    if (!ioBuffers && !plan.io.empty())
        return invalidArgument("the bindings array is null");
    // Refit waits for this execution to end and this execution for a refit in progress.
    std::shared_lock<EngineLock> executing(mEngine->lock());
    if (mBoundGeneration != mEngine->generation())
        mBoundValid = false;
    if (batch > 0)
    {
        if (batch > plan.maxBatchSize)
            return invalidArgument("batch size " + std::to_string(batch) + " exceeds the engine's maximum batch size "
                + std::to_string(plan.maxBatchSize));
        for (size_t i = 0; i < plan.io.size(); ++i)
        {
            if (!plan.io[i].isInput)
                continue;
            nvinfer1::Dims d = plan.io[i].dims;
            d.d[0] = batch;
            if (!sameDims(d, mInputDims[i]) || !mInputSet[i])
                KILN_RETURN_IF_ERROR(setInputDims(static_cast<int32_t>(i), d));
        }
    }
    KILN_RETURN_IF_ERROR(resolveShapes());
    KILN_RETURN_IF_ERROR(bindTactics());
    uint8_t* memory = static_cast<uint8_t*>(mOwnedMemory ? mOwnedMemory : mExternalMemory);
    if (!memory && plan.deviceMemorySize() > 0)
        return invalidState("the context has no device memory: call setDeviceMemory() with getDeviceMemorySize() = "
            + std::to_string(plan.deviceMemorySize()) + " bytes before executing");

    std::vector<void*>& tensorData = mTensorData;
    tensorData.assign(plan.tensors.size(), nullptr);
    for (size_t i = 0; i < plan.io.size(); ++i)
    {
        const int32_t t = plan.io[i].tensor;
        const int64_t bytes = volume(mShapes[static_cast<size_t>(t)].dims);
        if (!ioBuffers[i] && bytes > 0)
            return invalidArgument("binding " + std::to_string(i) + " ('" + ioName(plan, static_cast<int32_t>(i)) + "') is null");
        tensorData[static_cast<size_t>(t)] = ioBuffers[i];
    }
    for (size_t t = 0; t < plan.tensors.size(); ++t)
        if (plan.tensors[t].arenaOffset >= 0)
            tensorData[t] = memory + plan.tensors[t].arenaOffset;
    void* workspace = memory ? memory + plan::alignUp(plan.arenaSize) : nullptr;

    for (size_t l = 0; l < plan.layers.size(); ++l)
    {
        kernels::KernelArgs& a = mArgs[l];
        const auto& layer = plan.layers[l];
        for (size_t i = 0; i < layer.inputs.size(); ++i)
            a.inputs[i].data = layer.inputs[i] == plan::kNoTensor ? nullptr : tensorData[static_cast<size_t>(layer.inputs[i])];
        for (size_t o = 0; o < layer.outputs.size(); ++o)
            a.outputs[o].data = tensorData[static_cast<size_t>(layer.outputs[o])];
        a.workspace = workspace;
        backends::Timer timer;
        Status s = mEngine->tactic(mProfile, l).run(a);
        if (!s)
            return s.withContext("layer '" + layer.name + "'");
        if (profiler)
        {
            KILN_RETURN_IF_ERROR(stream.synchronize());
            profiler->reportLayerTime(layer.name.c_str(), static_cast<float>(timer.elapsedMs()));
        }
    }
    // Implicit batch: an output computed from constants alone has batch extent 1; every batch item
    // of the binding gets a copy.
    if (plan.implicitBatch && batch > 1)
        for (size_t i = 0; i < plan.io.size(); ++i)
        {
            const auto& d = mShapes[static_cast<size_t>(plan.io[i].tensor)];
            if (plan.io[i].isInput || d.dims.nbDims < 1 || d.dims.d[0] != 1)
                continue;
            const size_t item = static_cast<size_t>(volume(d.dims)) * elementSize(d.type);
            auto* base = static_cast<uint8_t*>(ioBuffers[i]);
            for (int32_t b = 1; b < batch; ++b)
                std::memcpy(base + static_cast<size_t>(b) * item, base, item);
        }
    return Status::ok();
}

} // namespace kiln::runtime
