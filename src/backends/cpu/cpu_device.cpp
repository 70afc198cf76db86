// The CPU device: identity and run-time ISA detection.
#include "backends/backend.h"

namespace kiln::backends
{

namespace
{

uint32_t detectCpuFeatures()
{
    uint32_t f = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2"))
        f |= kCpuSSE42;
    if (__builtin_cpu_supports("avx"))
        f |= kCpuAVX;
    if (__builtin_cpu_supports("avx2"))
        f |= kCpuAVX2;
    if (__builtin_cpu_supports("fma"))
        f |= kCpuFMA;
    if (__builtin_cpu_supports("avx512f"))
        f |= kCpuAVX512F;
    if (__builtin_cpu_supports("avx512bw"))
        f |= kCpuAVX512BW;
    if (__builtin_cpu_supports("avx512vnni"))
        f |= kCpuAVX512VNNI;
#endif
    return f;
}

const char* cpuArch()
{
#if defined(__x86_64__)
    return "x86_64";
#elif defined(__aarch64__)
    return "aarch64";
#else
    return "unknown";
#endif
}

//! Work submitted to a CPU stream is done by the time the submission returns.
class CpuStream final : public Stream
{
public:
    explicit CpuStream(void* handle)
        : mHandle(handle)
    {
    }
    DeviceKind kind() const override { return DeviceKind::kCPU; }
    void* nativeHandle() const override { return mHandle; }
    Status synchronize() override { return Status::ok(); }

private:
    void* mHandle;
};

class CpuDevice final : public Device
{
public:
    DeviceKind kind() const override { return DeviceKind::kCPU; }

    DeviceFingerprint fingerprint() const override
    {
        DeviceFingerprint fp;
        fp.kind = DeviceKind::kCPU;
        fp.arch = cpuArch();
        fp.features = mFeatures;
        fp.name = std::string(cpuArch()) + " cpu";
        return fp;
    }

    Status checkCompatible(const DeviceFingerprint& required) const override
    {
        if (required.kind != DeviceKind::kCPU)
            return unsupported("the engine was built for a CUDA device (" + required.describe() + "), this is a CPU engine runtime");
        if (required.arch != cpuArch())
            return unsupported("the engine was built for architecture '" + required.arch + "', this machine is '" + cpuArch() + "'");
        const uint32_t missing = required.features & ~mFeatures;
        if (missing)
            return unsupported("the engine needs CPU features this machine lacks: " + cpuFeatureNames(missing));
        return Status::ok();
    }

    std::unique_ptr<Stream> createStream(void* nativeHandle) const override
    {
        return std::make_unique<CpuStream>(nativeHandle);
    }

private:
    uint32_t mFeatures{detectCpuFeatures()};
};

} // namespace

const Device& cpuDevice()
{
    static CpuDevice device;
    return device;
}

std::string cpuFeatureNames(uint32_t features)
{
    static const std::pair<uint32_t, const char*> kNames[] = {{kCpuSSE42, "sse4.2"}, {kCpuAVX, "avx"},
        {kCpuAVX2, "avx2"}, {kCpuFMA, "fma"}, {kCpuAVX512F, "avx512f"}, {kCpuAVX512BW, "avx512bw"},
        {kCpuAVX512VNNI, "avx512vnni"}, {kCpuAVX512BF16, "avx512bf16"}};
    std::string s;
    uint32_t known = 0;
    for (const auto& [bit, name] : kNames)
    {
        known |= bit;
        if (features & bit)
            s += (s.empty() ? "" : " ") + std::string(name);
    }
    if (features & ~known)
        s += (s.empty() ? "" : " ") + std::string("unknown-bits");
    return s.empty() ? "baseline" : s;
}

} // namespace kiln::backends
