#include "api/builder_config_impl.h"

#include "api/optimization_profile_impl.h"
#include "api/timing_cache_impl.h"

#include <new>

namespace kiln::api
{

void BuilderConfigImpl::setMinTimingIterations(int32_t minTiming) noexcept
{
    if (minTiming < 1)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setMinTimingIterations: must be at least 1");
        return;
    }
    mMinTiming = minTiming;
}

void BuilderConfigImpl::setAvgTimingIterations(int32_t avgTiming) noexcept
{
    if (avgTiming < 1)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setAvgTimingIterations: must be at least 1");
        return;
    }
    mAvgTiming = avgTiming;
}

void BuilderConfigImpl::clearFlag(nvinfer1::BuilderFlag flag) noexcept
{
    const auto bit = static_cast<uint32_t>(flag);
    if (bit < 32)
        mFlags &= ~(1u << bit);
}

void BuilderConfigImpl::setFlag(nvinfer1::BuilderFlag flag) noexcept
{
    const auto bit = static_cast<uint32_t>(flag);
    if (bit >= static_cast<uint32_t>(nvinfer1::EnumMax<nvinfer1::BuilderFlag>()))
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setFlag: unknown builder flag " + std::to_string(bit));
        return;
    }
    mFlags |= 1u << bit;
}

bool BuilderConfigImpl::getFlag(nvinfer1::BuilderFlag flag) const noexcept
{
    const auto bit = static_cast<uint32_t>(flag);
    return bit < 32 && ((mFlags >> bit) & 1u);
}

void BuilderConfigImpl::setDeviceType(const nvinfer1::ILayer* layer, nvinfer1::DeviceType deviceType) noexcept
{
    if (layer)
        mDeviceTypes[layer] = deviceType;
}

nvinfer1::DeviceType BuilderConfigImpl::getDeviceType(const nvinfer1::ILayer* layer) const noexcept
{
    auto it = mDeviceTypes.find(layer);
    return it == mDeviceTypes.end() ? mDefaultDevice : it->second;
}

bool BuilderConfigImpl::isDeviceTypeSet(const nvinfer1::ILayer* layer) const noexcept
{
    return mDeviceTypes.count(layer) != 0;
}

void BuilderConfigImpl::resetDeviceType(const nvinfer1::ILayer* layer) noexcept
{
    mDeviceTypes.erase(layer);
}

void BuilderConfigImpl::reset() noexcept
{
    Reporter reporter = mReporter;
    *this = BuilderConfigImpl(reporter);
}

int32_t BuilderConfigImpl::addOptimizationProfile(const nvinfer1::IOptimizationProfile* profile) noexcept
{
    if (!profile)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "addOptimizationProfile: profile is null");
        return -1;
    }
    const auto* impl = static_cast<const OptimizationProfileImpl*>(profile);
    if (!impl->isValid())
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "addOptimizationProfile: the profile is invalid (every input needs kMIN, kOPT and kMAX dimensions)");
        return -1;
    }
    auto spec = impl->toSpec();
    if (!spec)
    {
        mReporter.error(spec.status().withContext("addOptimizationProfile"));
        return -1;
    }
    mProfiles.push_back(spec.value());
    return static_cast<int32_t>(mProfiles.size()) - 1;
}

bool BuilderConfigImpl::setCalibrationProfile(const nvinfer1::IOptimizationProfile* profile) noexcept
{
    if (profile && !profile->isValid())
        return false;
    mCalibrationProfile = profile;
    return true;
}

void BuilderConfigImpl::clearQuantizationFlag(nvinfer1::QuantizationFlag flag) noexcept
{
    mQuantFlags &= ~(1u << static_cast<uint32_t>(flag));
}

void BuilderConfigImpl::setQuantizationFlag(nvinfer1::QuantizationFlag flag) noexcept
{
    mQuantFlags |= 1u << static_cast<uint32_t>(flag);
}

bool BuilderConfigImpl::getQuantizationFlag(nvinfer1::QuantizationFlag flag) const noexcept
{
    return (mQuantFlags >> static_cast<uint32_t>(flag)) & 1u;
}

bool BuilderConfigImpl::setTacticSources(nvinfer1::TacticSources tacticSources) noexcept
{
    if (tacticSources >> nvinfer1::EnumMax<nvinfer1::TacticSource>())
        return false;
    mTacticSources = tacticSources;
    return true;
}

void BuilderConfigImpl::setMemoryPoolLimit(nvinfer1::MemoryPoolType pool, std::size_t poolSize) noexcept
{
    if (pool == nvinfer1::MemoryPoolType::kWORKSPACE)
        mWorkspace = poolSize;
    else
        mReporter.warning("setMemoryPoolLimit: DLA memory pools do not apply to the CPU backend; ignored");
}

std::size_t BuilderConfigImpl::getMemoryPoolLimit(nvinfer1::MemoryPoolType pool) const noexcept
{
    return pool == nvinfer1::MemoryPoolType::kWORKSPACE ? mWorkspace : 0;
}

nvinfer1::ITimingCache* BuilderConfigImpl::createTimingCache(const void* blob, std::size_t size) const noexcept
{
    if (size == 0)
        return new (std::nothrow) TimingCacheImpl(builder::TimingCache(), mReporter);
    if (!blob)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "createTimingCache: blob is null but size is " + std::to_string(size));
        return nullptr;
    }
    auto cache = builder::TimingCache::deserialize(blob, size);
    if (!cache)
    {
        mReporter.error(cache.status().withContext("createTimingCache"));
        return nullptr;
    }
    return new (std::nothrow) TimingCacheImpl(std::move(cache.value()), mReporter);
}

bool BuilderConfigImpl::setTimingCache(const nvinfer1::ITimingCache& cache, bool ignoreMismatch) noexcept
{
    const auto& impl = static_cast<const TimingCacheImpl&>(cache);
    const std::string diff = builder::TimingCacheHeader::current().differences(impl.cache().header());
    if (!diff.empty())
    {
        if (!ignoreMismatch)
        {
            mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                "setTimingCache: the timing cache was made elsewhere: " + diff + "; pass ignoreMismatch = true to use it anyway");
            return false;
        }
        mReporter.warning("setTimingCache: using a timing cache made elsewhere (" + diff
            + "); its times may not match this machine");
    }
    mTimingCache = &cache;
    return true;
}

Expected<builder::BuildOptions> BuilderConfigImpl::toOptions(int32_t maxBatchSize) const
{
    builder::BuildOptions o;
    o.maxBatchSize = maxBatchSize;
    o.maxWorkspaceSize = mWorkspace;
    o.flags = mFlags;
    o.profiles = mProfiles;
    o.deviceType = mDefaultDevice;
    o.minTimingIterations = mMinTiming;
    o.avgTimingIterations = mAvgTiming;
    o.algorithmSelector = mSelector;
    o.profilingVerbosity = mVerbosity;
    if (mTimingCache)
        o.timingCache = &const_cast<TimingCacheImpl*>(static_cast<const TimingCacheImpl*>(mTimingCache))->cache();
    if (mCapability != nvinfer1::EngineCapability::kDEFAULT)
        return unsupported("EngineCapability other than kDEFAULT (safety/DLA) is not supported by the CPU backend");
    return o;
}

} // namespace kiln::api
