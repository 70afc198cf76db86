// ITimingCache over builder::TimingCache.
#pragma once

#include "NvInfer.h"
#include "builder/timing_cache.h"
#include "common/reporter.h"

namespace kiln::api
{

class TimingCacheImpl final : public nvinfer1::ITimingCache
{
public:
    TimingCacheImpl(builder::TimingCache cache, const Reporter& reporter)
        : mCache(std::move(cache))
        , mReporter(reporter)
    {
    }
    nvinfer1::IHostMemory* serialize() const noexcept override;
    bool combine(const nvinfer1::ITimingCache& inputCache, bool ignoreMismatch) noexcept override;
    bool reset() noexcept override;

    builder::TimingCache& cache() { return mCache; }
    const builder::TimingCache& cache() const { return mCache; }

private:
    builder::TimingCache mCache;
    Reporter mReporter;
};

} // namespace kiln::api
