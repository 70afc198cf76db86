// TimingCache: measured tactic times keyed by layer signature, shared by builds. The builder uses
// one per build (a fresh local one, or the application's ITimingCache); identical signatures are
// timed once and every later build on the same machine reuses the times.
//
// A serialized cache starts with a verification header: the Kiln version, the device fingerprint
// (kind, architecture, CPU features, CPU name, thread count) and the tactic-list version. A cache
// whose header differs from this machine's is refused unless the caller says ignoreMismatch.
//
// File layout (little-endian, serialize/byte_io.h):
//   magic "KILNTCH\0", u32 format version (1), str kilnVersion, i32 device kind, str arch,
//   u32 features, str device name, i32 threads, u64 tacticListVersion,
//   u32 entry count, entries sorted by key: u64 key, u32 n, n × (i64 tacticId, f32 ms, u64 workspace),
//   u32 crc32 of everything before it.
#pragma once

#include "common/status.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kiln::builder
{

//! One tactic's measurement for one signature.
struct TacticTiming
{
    int64_t tacticId{0};
    float ms{0.f};
    uint64_t workspace{0};
};

//! What a cache was made on; two caches combine, and a cache applies to a build, when these agree.
struct TimingCacheHeader
{
    std::string kilnVersion;
    int32_t deviceKind{0};
    std::string arch;
    uint32_t features{0};
    std::string deviceName;
    int32_t threads{0};
    uint64_t tacticListVersion{0};

    //! This process's header.
    static TimingCacheHeader current();
    //! Empty when equal; otherwise what differs ("Kiln version 0.1.0 vs 0.2.0; ...").
    std::string differences(const TimingCacheHeader& other) const;
};

class TimingCache
{
public:
    TimingCache()
        : mHeader(TimingCacheHeader::current())
    {
    }
    //! Parses a serialized cache (any header; check it with header()).
    static Expected<TimingCache> deserialize(const void* data, size_t size);
    std::vector<uint8_t> serialize() const;

    const TimingCacheHeader& header() const { return mHeader; }
    //! The timings stored for \p key; false when there are none.
    bool lookup(uint64_t key, std::vector<TacticTiming>& timings) const;
    //! Stores (or replaces) the timings of \p key.
    void store(uint64_t key, std::vector<TacticTiming> timings);
    //! Adds \p other's entries that this cache lacks (conflicts keep this cache's entry).
    void combine(const TimingCache& other);
    void clear();
    size_t size() const;

    TimingCache(const TimingCache& other);
    TimingCache& operator=(const TimingCache& other);

private:
    TimingCacheHeader mHeader;
    mutable std::mutex mMutex;
    std::map<uint64_t, std::vector<TacticTiming>> mEntries;
};

} // namespace kiln::builder
