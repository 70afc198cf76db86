#include "builder/timing_cache.h"

#include "NvInferVersion.h"
#include "backends/backend.h"
#include "backends/cpu/thread_pool.h"
#include "kernels/tactic.h"
#include "serialize/byte_io.h"

#include <cstring>
#include <fstream>

namespace kiln::builder
{

namespace
{

constexpr char kMagic[8] = {'K', 'I', 'L', 'N', 'T', 'C', 'H', '\0'};
constexpr uint32_t kFormatVersion = 1;

//! The CPU model from /proc/cpuinfo ("" where there is none).
std::string cpuModelName()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, 10, "model name") == 0)
        {
            const size_t colon = line.find(':');
            return colon == std::string::npos ? std::string() : line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    return {};
}

} // namespace

TimingCacheHeader TimingCacheHeader::current()
{
    static const std::string model = cpuModelName();
    const backends::DeviceFingerprint fp = backends::cpuDevice().fingerprint();
    TimingCacheHeader h;
    h.kilnVersion = KILN_VERSION_STRING;
    h.deviceKind = static_cast<int32_t>(fp.kind);
    h.arch = fp.arch;
    h.features = fp.features;
    h.deviceName = model.empty() ? fp.name : model;
    h.threads = backends::cpu::ThreadPool::global().size();
    h.tacticListVersion = kernels::tacticListVersion();
    return h;
}

std::string TimingCacheHeader::differences(const TimingCacheHeader& o) const
{
    std::string d;
    auto add = [&](const std::string& what, const std::string& mine, const std::string& theirs) {
        if (mine != theirs)
            d += (d.empty() ? "" : "; ") + what + " '" + theirs + "' (this build: '" + mine + "')";
    };
    add("Kiln version", kilnVersion, o.kilnVersion);
    add("device kind", std::to_string(deviceKind), std::to_string(o.deviceKind));
    add("architecture", arch, o.arch);
    add("CPU features", backends::cpuFeatureNames(features), backends::cpuFeatureNames(o.features));
    add("device", deviceName, o.deviceName);
    add("threads", std::to_string(threads), std::to_string(o.threads));
    add("tactic list", std::to_string(tacticListVersion), std::to_string(o.tacticListVersion));
    return d;
}

TimingCache::TimingCache(const TimingCache& other)
{
    std::lock_guard<std::mutex> lock(other.mMutex);
    mHeader = other.mHeader;
    mEntries = other.mEntries;
}

TimingCache& TimingCache::operator=(const TimingCache& other)
{
    if (this == &other)
        return *this;
    std::scoped_lock lock(mMutex, other.mMutex);
    mHeader = other.mHeader;
    mEntries = other.mEntries;
    return *this;
}

Expected<TimingCache> TimingCache::deserialize(const void* data, size_t size)
{
    const auto* bytes = static_cast<const uint8_t*>(data);
    if (!data || size < sizeof(kMagic) + 8)
        return invalidArgument("timing cache: " + std::to_string(size) + " bytes is too short to be a Kiln timing cache");
    if (std::memcmp(bytes, kMagic, sizeof(kMagic)) != 0)
        return invalidArgument("timing cache: not a Kiln timing cache (bad magic)");
    uint32_t stored = 0;
    for (int i = 0; i < 4; ++i)
        stored |= static_cast<uint32_t>(bytes[size - 4 + static_cast<size_t>(i)]) << (8 * i);
    if (serialize::crc32(bytes, size - 4) != stored)
        return invalidArgument("timing cache: checksum mismatch (the data is corrupt or truncated)");
    serialize::ByteReader r(bytes + sizeof(kMagic), size - sizeof(kMagic) - 4, "timing cache");
    const uint32_t version = r.u32();
    if (r.ok() && version != kFormatVersion)
        return invalidArgument("timing cache: format version " + std::to_string(version) + ", this Kiln reads version "
            + std::to_string(kFormatVersion));
    TimingCache cache;
    TimingCacheHeader& h = cache.mHeader;
    h.kilnVersion = r.str();
    h.deviceKind = r.i32();
    h.arch = r.str();
    h.features = r.u32();
    h.deviceName = r.str();
    h.threads = r.i32();
    h.tacticListVersion = r.u64();
    const uint32_t count = r.count(12);
    uint64_t previous = 0;
    for (uint32_t e = 0; e < count && r.ok(); ++e)
    {
        const uint64_t key = r.u64();
        if (e > 0 && key <= previous)
            return invalidArgument("timing cache: entries are not in key order (entry " + std::to_string(e) + ")");
        previous = key;
        const uint32_t n = r.count(20);
        std::vector<TacticTiming> timings(n);
        for (TacticTiming& t : timings)
        {
            t.tacticId = r.i64();
            t.ms = r.f32();
            t.workspace = r.u64();
        }
        cache.mEntries.emplace(key, std::move(timings));
    }
    if (!r.ok())
        return r.status();
    if (r.remaining() != 0)
        return invalidArgument("timing cache: " + std::to_string(r.remaining()) + " unexpected bytes after the entries");
    return cache;
}

std::vector<uint8_t> TimingCache::serialize() const
{
    std::lock_guard<std::mutex> lock(mMutex);
    serialize::ByteWriter w;
    w.bytes(kMagic, sizeof(kMagic));
    w.u32(kFormatVersion);
    w.str(mHeader.kilnVersion);
    w.i32(mHeader.deviceKind);
    w.str(mHeader.arch);
    w.u32(mHeader.features);
    w.str(mHeader.deviceName);
    w.i32(mHeader.threads);
    w.u64(mHeader.tacticListVersion);
    w.u32(static_cast<uint32_t>(mEntries.size()));
    for (const auto& [key, timings] : mEntries)
    {
        w.u64(key);
        w.u32(static_cast<uint32_t>(timings.size()));
        for (const TacticTiming& t : timings)
        {
            w.i64(t.tacticId);
            w.f32(t.ms);
            w.u64(t.workspace);
        }
    }
    w.u32(serialize::crc32(w.data(), w.size()));
    return w.release();
}

bool TimingCache::lookup(uint64_t key, std::vector<TacticTiming>& timings) const
{
    std::lock_guard<std::mutex> lock(mMutex);
    auto it = mEntries.find(key);
    if (it == mEntries.end())
        return false;
    timings = it->second;
    return true;
}

void TimingCache::store(uint64_t key, std::vector<TacticTiming> timings)
{
    std::lock_guard<std::mutex> lock(mMutex);
    mEntries[key] = std::move(timings);
}

void TimingCache::combine(const TimingCache& other)
{
    if (this == &other)
        return;
    std::scoped_lock lock(mMutex, other.mMutex);
    for (const auto& [key, timings] : other.mEntries)
        mEntries.emplace(key, timings);
}

void TimingCache::clear()
{
    std::lock_guard<std::mutex> lock(mMutex);
    mEntries.clear();
}

size_t TimingCache::size() const
{
    std::lock_guard<std::mutex> lock(mMutex);
    return mEntries.size();
}

} // namespace kiln::builder
