// Engine and ExecutionContext: running an EnginePlan on the CPU.
#pragma once

#include "backends/backend.h"
#include "common/reporter.h"
#include "kernels/tactic.h"
#include "serialize/engine_plan.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace kiln::runtime
{

using plan::WeightsUpdate;

//! A readers-writer lock that prefers the writer: once refit asks for it, new executions wait until
//! the refit is done, so a stream of executions cannot starve a refit (std::shared_mutex may let
//! readers overtake a waiting writer forever). Usable with std::shared_lock and std::unique_lock.
class EngineLock
{
public:
    void lock_shared();
    void unlock_shared();
    void lock();
    void unlock();

private:
    std::mutex mMutex;
    std::condition_variable mChanged;
    int32_t mReaders{0};
    int32_t mWritersWaiting{0};
    bool mWriter{false};
};

//! A plan plus the tactics resolved for its layers. Shared by its contexts; execution never
//! mutates it. Only refit() changes it, never while a context executes: execution holds the
//! engine's lock shared, refit exclusively.
class Engine
{
public:
    //! Resolves tactics and validates the plan (shape inference at every profile's min/opt/max).
    static Expected<std::shared_ptr<Engine>> create(std::unique_ptr<plan::EnginePlan> plan,
        const backends::Allocator& allocator);

    const plan::EnginePlan& plan() const { return *mPlan; }
    const backends::Allocator& allocator() const { return mAllocator; }
    //! The tactic that runs \p layer in optimization profile \p profile.
    const kernels::Tactic& tactic(int32_t profile, size_t layer) const { return *mTactics[static_cast<size_t>(profile)][layer]; }
    //! What that tactic prepared (packed weights), or nullptr.
    const kernels::TacticState* prepared(int32_t profile, size_t layer) const
    {
        return mPrepared[static_cast<size_t>(profile)][layer].get();
    }

    //! Held shared while a context executes (and while the engine is serialized), exclusively by
    //! refit().
    EngineLock& lock() const { return mLock; }
    //! Changes with every refit: contexts bound before must bind their tactics again.
    uint64_t generation() const { return mGeneration.load(std::memory_order_acquire); }

    //! Writes \p updates into the engine's weights, prepares the changed layers' tactics again and
    //! keeps \p recipe (the network with the new weights). Waits for running executions; on an
    //! error (the allocator failing while packing) nothing changes.
    Status refit(const std::vector<WeightsUpdate>& updates, std::shared_ptr<plan::RefitRecipe> recipe);

private:
    Engine() = default;
    //! Tactic::prepare() of \p layer's tactics on \p params (the layer's, or a copy with new
    //! weights), in every profile (a tactic shared by profiles once).
    Status prepareLayer(size_t layer, const ir::LayerParams& params,
        std::vector<std::shared_ptr<const kernels::TacticState>>& perProfile) const;

    mutable EngineLock mLock;
    std::atomic<uint64_t> mGeneration{0};
    std::unique_ptr<plan::EnginePlan> mPlan;
    std::vector<std::vector<const kernels::Tactic*>> mTactics;                       //!< [profile][layer]
    std::vector<std::vector<std::shared_ptr<const kernels::TacticState>>> mPrepared; //!< [profile][layer]
    backends::Allocator mAllocator;
};

//! Per-inference state: the selected profile, input dims, tensor shapes, activation memory.
class ExecutionContext
{
public:
    //! \p ownMemory: allocate getDeviceMemorySize() bytes now; otherwise setDeviceMemory() must be
    //! called before running.
    static Expected<std::unique_ptr<ExecutionContext>> create(std::shared_ptr<const Engine> engine, int32_t profile, bool ownMemory);
    ~ExecutionContext();

    const Engine& engine() const { return *mEngine; }
    int32_t profile() const { return mProfile; }
    Status setProfile(int32_t profile);
    void setDeviceMemory(void* memory) { mExternalMemory = memory; }

    //! Sets the dims of input \p ioIndex (explicit-batch form); checked against the profile.
    Status setInputDims(int32_t ioIndex, const nvinfer1::Dims& dims);
    //! Current dims of I/O \p ioIndex: inputs as set, outputs computed (-1 where not known yet).
    nvinfer1::Dims ioDims(int32_t ioIndex);
    bool allInputDimsSpecified() const;
    //! Every plan tensor's descriptor after resolveShapes().
    const std::vector<ir::TensorDesc>& shapes() const { return mShapes; }

    //! Submits the engine's layers to \p stream. \p ioBuffers holds one pointer per I/O (inputs,
    //! then outputs). \p batch > 0 sets axis 0 of every input first (implicit-batch engines). The
    //! profiler, when given, gets each layer's time (the stream is synchronized per layer then).
    Status enqueue(void* const* ioBuffers, int32_t batch, backends::Stream& stream, nvinfer1::IProfiler* profiler);
    //! Computes every tensor's dims for the current input dims (cached until they change).
    Status resolveShapes();
    //! Tactic::bind() for every layer at the resolved dims (cached until they change).
    Status bindTactics();

private:
    ExecutionContext() = default;

    std::shared_ptr<const Engine> mEngine;
    int32_t mProfile{0};
    std::vector<nvinfer1::Dims> mInputDims; //!< per I/O index (inputs only meaningful)
    std::vector<bool> mInputSet;
    bool mShapesValid{false};
    std::vector<ir::TensorDesc> mShapes; //!< per plan tensor
    void* mOwnedMemory{nullptr};
    void* mExternalMemory{nullptr};
    std::vector<kernels::KernelArgs> mArgs; //!< per layer, rebuilt when shapes change
    std::vector<std::unique_ptr<kernels::TacticState>> mBound; //!< per layer, Tactic::bind() for the current shapes
    bool mBoundValid{false};
    uint64_t mBoundGeneration{0};           //!< the engine's generation() the tactics were bound at
    std::vector<void*> mTensorData;         //!< per plan tensor, during execute()
};

} // namespace kiln::runtime
