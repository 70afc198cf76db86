#include "api/refitter_impl.h"

#include "builder/refit.h"
#include "common/dtype.h"

#include <algorithm>
#include <cstring>

namespace kiln::api
{

namespace
{

const char* roleName(nvinfer1::WeightsRole role)
{
    switch (role)
    {
    case nvinfer1::WeightsRole::kKERNEL: return "kKERNEL";
    case nvinfer1::WeightsRole::kBIAS: return "kBIAS";
    case nvinfer1::WeightsRole::kSHIFT: return "kSHIFT";
    case nvinfer1::WeightsRole::kSCALE: return "kSCALE";
    case nvinfer1::WeightsRole::kCONSTANT: return "kCONSTANT";
    default: return "unknown role";
    }
}

} // namespace

RefitterImpl* RefitterImpl::create(EngineImpl& engine, const Reporter& reporter)
{
    const plan::EnginePlan& plan = engine.engine().plan();
    if (!plan.refittable || !plan.refit)
    {
        reporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "createInferRefitter: the engine is not refittable (build it with BuilderFlag::kREFIT)");
        return nullptr;
    }
    return new RefitterImpl(engine, reporter);
}

RefitterImpl::RefitterImpl(EngineImpl& engine, const Reporter& reporter)
    : mEngine(engine)
    , mReporter(reporter)
{
    std::shared_lock<runtime::EngineLock> reading(engine.engine().lock());
    const plan::EnginePlan& plan = engine.engine().plan();
    const std::vector<builder::RefitSlot> slots = builder::refittableSlots(*plan.refit->network);
    const std::vector<int32_t> groups = builder::refitGroups(plan, slots);
    for (size_t i = 0; i < slots.size(); ++i)
        mEntries.push_back(Entry{slots[i].layer, slots[i].role, slots[i].weights.type, slots[i].weights.count, groups[i]});
}

void RefitterImpl::error(nvinfer1::ErrorCode code, const std::string& message) const
{
    mReporter.error(code, message);
}

int32_t RefitterImpl::find(const std::string& layer, nvinfer1::WeightsRole role) const
{
    for (size_t i = 0; i < mEntries.size(); ++i)
        if (mEntries[i].layer == layer && mEntries[i].role == role)
            return static_cast<int32_t>(i);
    return -1;
}

bool RefitterImpl::setWeights(const char* layerName, nvinfer1::WeightsRole role, nvinfer1::Weights weights) noexcept
{
    using nvinfer1::DataType;
    if (!layerName)
    {
        error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setWeights: the layer name is null");
        return false;
    }
    const std::string layer(layerName);
    const int32_t index = find(layer, role);
    if (index < 0)
    {
        const bool known = std::any_of(mEntries.begin(), mEntries.end(), [&](const Entry& e) { return e.layer == layer; });
        error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, known ? "setWeights: layer '" + layer + "' has no refittable " + roleName(role) + " weights"
                                                            : "setWeights: no layer '" + layer + "' with refittable weights");
        return false;
    }
    const Entry& e = mEntries[static_cast<size_t>(index)];
    if (weights.count != e.count)
    {
        error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setWeights: layer '" + layer + "' " + roleName(role) + " has "
            + std::to_string(e.count) + " weights, not " + std::to_string(weights.count));
        return false;
    }
    if (!weights.values || (weights.type != DataType::kFLOAT && weights.type != DataType::kHALF))
    {
        error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setWeights: layer '" + layer + "' " + roleName(role)
            + ": weights must be FLOAT or HALF values (not null)");
        return false;
    }
    mSet[index] = weights;
    return true;
}

std::vector<int32_t> RefitterImpl::missing() const
{
    std::vector<int32_t> groupsSet;
    for (const auto& [index, unused] : mSet)
        groupsSet.push_back(mEntries[static_cast<size_t>(index)].group);
    std::vector<int32_t> result;
    for (size_t i = 0; i < mEntries.size(); ++i)
        if (!mSet.count(static_cast<int32_t>(i))
            && std::find(groupsSet.begin(), groupsSet.end(), mEntries[i].group) != groupsSet.end())
            result.push_back(static_cast<int32_t>(i));
    return result;
}

namespace
{

//! TensorRT's size protocol: returns the total, writes at most \p size entries into non-null arrays.
template <typename Names>
int32_t listEntries(const std::vector<int32_t>& indices, const Names& entries, int32_t size, const char** layerNames,
    nvinfer1::WeightsRole* roles)
{
    const int32_t n = static_cast<int32_t>(indices.size());
    for (int32_t i = 0; i < std::min(n, std::max(size, 0)); ++i)
    {
        const auto& e = entries[static_cast<size_t>(indices[static_cast<size_t>(i)])];
        if (layerNames)
            layerNames[i] = e.layer.c_str();
        if (roles)
            roles[i] = e.role;
    }
    return n;
}

} // namespace

int32_t RefitterImpl::getMissing(int32_t size, const char** layerNames, nvinfer1::WeightsRole* roles) noexcept
{
    return listEntries(missing(), mEntries, size, layerNames, roles);
}

int32_t RefitterImpl::getAll(int32_t size, const char** layerNames, nvinfer1::WeightsRole* roles) noexcept
{
    std::vector<int32_t> all(mEntries.size());
    for (size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<int32_t>(i);
    return listEntries(all, mEntries, size, layerNames, roles);
}

Status RefitterImpl::refit()
{
    const std::vector<int32_t> absent = missing();
    if (!absent.empty())
    {
        std::string list;
        for (int32_t i : absent)
            list += (list.empty() ? "" : ", ") + mEntries[static_cast<size_t>(i)].layer + " " + roleName(mEntries[static_cast<size_t>(i)].role);
        return invalidState("refitCudaEngine: " + std::to_string(absent.size()) + " weights are missing (getMissing): " + list);
    }
    builder::NewWeights weights;
    for (const auto& [index, w] : mSet)
    {
        const Entry& e = mEntries[static_cast<size_t>(index)];
        weights[{e.layer, e.role}] = ir::WeightsRef{w.type, w.values, e.count};
    }
    runtime::Engine& engine = *mEngine.shared();
    builder::RefitResult result;
    {
        std::shared_lock<runtime::EngineLock> reading(engine.lock());
        auto computed = builder::computeRefit(engine.plan(), weights, engine.allocator(), mReporter);
        if (!computed)
            return computed.status();
        result = std::move(computed.value());
    }
    mReporter.verbose("refit: " + std::to_string(result.updates.size()) + " engine weights slots change");
    KILN_RETURN_IF_ERROR(engine.refit(result.updates, result.recipe));
    mSet.clear(); // the engine holds them now
    return Status::ok();
}

bool RefitterImpl::refitCudaEngine() noexcept
{
    try
    {
        Status s = refit();
        if (!s)
        {
            error(s.code(), s.message());
            return false;
        }
        return true;
    }
    catch (const std::bad_alloc&)
    {
        error(nvinfer1::ErrorCode::kFAILED_ALLOCATION, "refitCudaEngine: out of memory");
        return false;
    }
}

bool RefitterImpl::setDynamicRange(const char* tensorName, float, float) noexcept
{
    error(nvinfer1::ErrorCode::kUNSUPPORTED_STATE, std::string("setDynamicRange('") + (tensorName ? tensorName : "")
        + "'): Kiln engines compute in FP32 and have no INT8 dynamic ranges to refit");
    return false;
}

float RefitterImpl::getDynamicRangeMin(const char*) const noexcept
{
    return 0.f;
}

float RefitterImpl::getDynamicRangeMax(const char*) const noexcept
{
    return 0.f;
}

int32_t RefitterImpl::getTensorsWithDynamicRange(int32_t, const char**) const noexcept
{
    return 0;
}

} // namespace kiln::api
