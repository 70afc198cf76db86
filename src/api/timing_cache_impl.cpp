#include "api/timing_cache_impl.h"

#include "api/host_memory.h"

#include <new>

namespace kiln::api
{

nvinfer1::IHostMemory* TimingCacheImpl::serialize() const noexcept
{
    return new (std::nothrow) HostMemory(mCache.serialize());
}

bool TimingCacheImpl::combine(const nvinfer1::ITimingCache& inputCache, bool ignoreMismatch) noexcept
{
    // Every ITimingCache comes from createTimingCache(), so it is a TimingCacheImpl.
    const auto& other = static_cast<const TimingCacheImpl&>(inputCache).cache();
    const builder::TimingCacheHeader& mine = mCache.header();
    const builder::TimingCacheHeader& theirs = other.header();
    if (mine.kilnVersion != theirs.kilnVersion || mine.tacticListVersion != theirs.tacticListVersion)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "ITimingCache::combine: the caches come from different Kiln versions or tactic lists: " + mine.differences(theirs));
        return false;
    }
    const std::string diff = mine.differences(theirs);
    if (!diff.empty() && !ignoreMismatch)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "ITimingCache::combine: the caches come from different devices (" + diff + "); pass ignoreMismatch to combine anyway");
        return false;
    }
    mCache.combine(other);
    return true;
}

bool TimingCacheImpl::reset() noexcept
{
    mCache.clear();
    return true;
}

} // namespace kiln::api
