// The backend interface (STYLE rule 8): a Device knows its identity and memory; the CPU device is
// backends/cpu/, the CUDA device of a later milestone goes beside it in backends/cuda/.
#pragma once

#include "NvInferRuntimeCommon.h"
#include "common/status.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace kiln::backends
{

enum class DeviceKind : int32_t
{
    kCPU = 0,
    kCUDA = 1
};

//! CPU instruction-set features, as bits of DeviceFingerprint::features.
enum CpuFeature : uint32_t
{
    kCpuSSE42 = 1u << 0,
    kCpuAVX = 1u << 1,
    kCpuAVX2 = 1u << 2,
    kCpuFMA = 1u << 3,
    kCpuAVX512F = 1u << 4,
    kCpuAVX512BW = 1u << 5,
    kCpuAVX512VNNI = 1u << 6,
    kCpuAVX512BF16 = 1u << 7,
};

//! What an engine needs of the device it runs on. Written into every engine file and checked when
//! one is loaded.
struct DeviceFingerprint
{
    DeviceKind kind{DeviceKind::kCPU};
    std::string arch;      //!< "x86_64"; for CUDA the compute capability
    uint32_t features{0};  //!< features the engine's kernels require
    std::string name;      //!< the building device, for messages only

    std::string describe() const;
};

//! Allocates engine and context memory, through the application's IGpuAllocator when one is set.
//! For CPU devices the memory is host memory.
class Allocator
{
public:
    static constexpr uint64_t kAlignment = 256;
    explicit Allocator(nvinfer1::IGpuAllocator* user = nullptr)
        : mUser(user)
    {
    }
    //! nullptr for size 0 or on failure.
    void* allocate(uint64_t size) const;
    void free(void* memory) const;
    nvinfer1::IGpuAllocator* user() const { return mUser; }

private:
    nvinfer1::IGpuAllocator* mUser;
};

//! Wall-clock timer for profiling and tactic timing.
class Timer
{
public:
    Timer() { reset(); }
    void reset() { mStart = std::chrono::steady_clock::now(); }
    double elapsedMs() const
    {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - mStart).count();
    }

private:
    std::chrono::steady_clock::time_point mStart;
};

//! Orders the work of one execution on a device. Kernels are submitted in layer order; the caller
//! waits with synchronize(). The CPU stream runs each kernel on the calling thread (with the thread
//! pool), so its work is complete when the submission returns.
class Stream
{
public:
    virtual ~Stream() = default;
    virtual DeviceKind kind() const = 0;
    //! The application's handle (a cudaStream_t for CUDA; for the CPU only remembered, never used).
    virtual void* nativeHandle() const = 0;
    //! Blocks until all work submitted so far has finished.
    virtual Status synchronize() = 0;
};

//! A device Kiln can build for and run on.
class Device
{
public:
    virtual ~Device() = default;
    virtual DeviceKind kind() const = 0;
    //! The device's identity and everything it supports.
    virtual DeviceFingerprint fingerprint() const = 0;
    //! Ok if an engine built with \p required can run here; otherwise an error saying what differs.
    virtual Status checkCompatible(const DeviceFingerprint& required) const = 0;
    //! A stream over the application's handle (may be null).
    virtual std::unique_ptr<Stream> createStream(void* nativeHandle) const = 0;
};

//! The CPU device of this process.
const Device& cpuDevice();
//! Names of the features in \p features, "avx2 fma".
std::string cpuFeatureNames(uint32_t features);

} // namespace kiln::backends
