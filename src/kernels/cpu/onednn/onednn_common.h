// What the oneDNN tactics share (kernels/cpu/onednn/): the CPU engine, OpenMP thread-count
// scoping, dims and epilogue conversion, memory from Kiln's allocator, and a primitive call that
// goes through oneDNN's C API so that run() builds no containers.
//
// Life cycle of a oneDNN tactic (see kernels/tactic.h):
//   supports()      builds the primitive descriptor for the given dims and reports oneDNN's refusal;
//   workspaceSize() the same descriptor's user-mode scratchpad plus any reorder buffers;
//   prepare()       reorders the weights into the format a nominal descriptor prefers, in memory
//                   from the engine's Allocator (PackedWeights);
//   bind()          creates the primitives for the real dims, memory objects without data handles
//                   and a stream; weights that the real descriptor wants in another format are
//                   reordered again into bound memory from the same allocator;
//   run()           points the memory objects at the buffers and executes (Call), nothing else.
// Every oneDNN C++ call that can throw runs inside guarded(); errors become Status values.
//
// Threads: oneDNN's CPU runtime here is OpenMP. Primitives are created and run with an OpenMP team of
// ThreadPool::global().size() threads (KILN_NUM_THREADS), set on the calling thread only for the
// duration of the call (OmpThreadScope) and restored afterwards. The team's threads are libgomp's,
// not the pool's (the pool's workers sleep meanwhile); after a region they spin for a while
// unless OMP_WAIT_POLICY=passive, which competes with Kiln's own kernels on a busy machine.
//
// Allocation: Kiln's code allocates nothing in run(), but oneDNN's dnnl_primitive_execute itself
// makes a few small heap allocations per call (its execution context); its public API offers no
// way around that.
#pragma once

#include "backends/backend.h"
#include "ir/layout.h"
#include "kernels/tactic.h"
#include "layers/epilogue.h"

#include <dnnl.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace kiln::kernels::cpu::onednn
{

//! The process-wide oneDNN CPU engine (thread-safe in oneDNN).
const dnnl::engine& cpuEngine();

//! The OpenMP team size oneDNN primitives are created and run with: Kiln's pool size.
int32_t kilnThreads();

//! The team sizes workspaceSize() sizes the scratchpad for: oneDNN's scratchpad depends on the
//! team size at primitive creation, and an engine may run with another KILN_NUM_THREADS than it
//! was built with (the workspace size is fixed in the engine). 1 to 4, the powers of two up to
//! the larger of Kiln's pool size and the hardware threads, and those two. A run with more
//! threads than that may need more: run() then fails with a clear error rather than overrun.
const std::vector<int32_t>& workspaceThreadCounts();

//! Sets the calling thread's OpenMP thread count for its lifetime, then restores the old one.
class OmpThreadScope
{
public:
    explicit OmpThreadScope(int32_t threads);
    ~OmpThreadScope();
    OmpThreadScope(const OmpThreadScope&) = delete;
    OmpThreadScope& operator=(const OmpThreadScope&) = delete;

private:
    int mPrevious;
};

//! Runs \p fn (returning Status or Expected<T>), turning oneDNN's and the allocator's exceptions
//! into an error that names \p what.
template <typename F>
auto guarded(const std::string& what, F&& fn) -> decltype(fn())
{
    try
    {
        return fn();
    }
    catch (const dnnl::error& e)
    {
        return unsupported(what + ": oneDNN: " + e.what());
    }
    catch (const std::bad_alloc&)
    {
        return allocationFailed(what + ": memory allocation failed (Kiln's allocator or oneDNN's)");
    }
    catch (const std::exception& e)
    {
        return internalError(what + ": " + e.what());
    }
}

//! oneDNN dims of \p d's extents [begin, end).
dnnl::memory::dims toDnnlDims(const nvinfer1::Dims& d, int32_t begin, int32_t end);
//! A plain row-major FLOAT descriptor: format nc / ncw / nchw / ncdhw ... by rank.
dnnl::memory::desc plainDesc(const dnnl::memory::dims& dims);
//! The descriptor of a tensor a tactic reads or writes in \p layout (ir/layout.h): plainDesc for
//! kLinear, oneDNN's nChw8c / nChw16c for the blocked layouts. A blocked layout needs 4-D \p dims
//! (checkUserLayout() first; oneDNN throws for another rank).
dnnl::memory::desc userDesc(const dnnl::memory::dims& dims, ir::Layout layout);
//! Ok when \p tensor's layout is one \p what can read or write: kLinear, or with \p blocked a
//! blocked layout its dims can hold (ir::checkLayout); else unsupported, saying why.
Status checkUserLayout(const ir::TensorDesc& tensor, bool blocked, const std::string& what);
//! A memory object with no data handle yet (run() sets it).
dnnl::memory unboundMemory(const dnnl::memory::desc& desc);
//! A byte buffer of \p bytes (the user-mode scratchpad of the primitives a tactic runs in turn).
dnnl::memory::desc scratchDesc(size_t bytes);

//! A reorder between two layouts, with a user-mode scratchpad.
dnnl::reorder::primitive_desc makeReorderPd(const dnnl::memory::desc& from, const dnnl::memory::desc& to);

//! Ok when \p tensors are all FLOAT with no zero or unknown extent; \p what names the layer.
Status checkFloatTensors(const std::vector<ir::TensorDesc>& tensors, const char* what);

//! Appends the epilogue's activation to \p ops as eltwise post-ops with exactly the formula of
//! layers/epilogue.h, or says why oneDNN has no equivalent (nothing appended then).
Status appendActivation(const layers::Epilogue& epilogue, dnnl::post_ops& ops);

//! Padding on the trailing side of one axis that makes oneDNN's output extent
//! (in + pre + post - dilated window) / stride + 1 equal \p out: \p post when it does, else the
//! smallest value that does (negative when no padding can, which oneDNN then refuses).
int64_t consistentPostPadding(int64_t in, int64_t out, int64_t dilatedWindow, int64_t stride, int64_t pre, int64_t post);

//! Bytes rounded up to the alignment every buffer a tactic carves out of its workspace gets.
constexpr size_t kBufferAlignment = 64;
inline size_t alignedBytes(size_t bytes)
{
    return (bytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
}

//! Points \p memory at \p data (oneDNN's C API; nothing is allocated for plain formats).
Status setHandle(const dnnl::memory& memory, const void* data, const dnnl::stream& stream);

//! Memory from a Kiln Allocator, freed in the destructor.
class AllocatedBlock
{
public:
    AllocatedBlock() = default;
    AllocatedBlock(const backends::Allocator& allocator, size_t bytes);
    ~AllocatedBlock();
    AllocatedBlock(const AllocatedBlock&) = delete;
    AllocatedBlock& operator=(const AllocatedBlock&) = delete;
    void* data() const { return mData; }
    const backends::Allocator& allocator() const { return mAllocator; }

private:
    backends::Allocator mAllocator;
    void* mData{nullptr};
};

//! Weights in the format a primitive descriptor prefers, reordered from row-major user weights.
//! When that format is the user's own, nothing is copied: data() is nullptr and run() points the
//! primitive at the layer's weights (WeightsBinding).
class PackedWeights final : public TacticState
{
public:
    //! Reorders \p values (row-major in \p userDesc's dims) into \p packedDesc in memory from
    //! \p allocator.
    static Expected<std::unique_ptr<PackedWeights>> pack(const backends::Allocator& allocator, const float* values,
        const dnnl::memory::desc& userDesc, const dnnl::memory::desc& packedDesc);
    const dnnl::memory::desc& desc() const { return mDesc; }
    void* data() const { return mBlock ? mBlock->data() : nullptr; }
    const backends::Allocator& allocator() const { return mAllocator; }

private:
    dnnl::memory::desc mDesc;
    backends::Allocator mAllocator;
    std::unique_ptr<AllocatedBlock> mBlock;
};

//! The weights memory of a bound primitive: the prepared packing when the real dims want the same
//! format, the layer's own weights when they want the user's row-major format, else a packing
//! made at bind() (from the prepared state's allocator).
class WeightsBinding
{
public:
    //! \p want: the bound primitive's weights descriptor.
    Status bind(const PackedWeights& prepared, const float* values, const dnnl::memory::desc& userDesc,
        const dnnl::memory::desc& want);
    //! Points the memory at the layer's weights when it uses them (run(); no allocation).
    Status update(const void* values, const dnnl::stream& stream) const
    {
        return mFromParams ? setHandle(mMemory, values, stream) : Status::ok();
    }
    const dnnl::memory& memory() const { return mMemory; }

private:
    dnnl::memory mMemory;
    bool mFromParams{false};
    std::unique_ptr<PackedWeights> mOwn;
};

//! One primitive execution with its arguments, set up in bind() and executed in run() through
//! oneDNN's C API (the C++ execute() builds a std::unordered_map on every call).
class Call
{
public:
    static constexpr int kMaxArgs = 8;
    Call() = default;
    explicit Call(dnnl::primitive primitive)
        : mPrimitive(std::move(primitive))
    {
    }
    bool valid() const { return static_cast<bool>(mPrimitive); }
    //! Binds argument \p arg (DNNL_ARG_*) to \p memory, which must outlive the call.
    void add(int arg, const dnnl::memory& memory);
    //! Executes on \p stream; an error Status naming \p what on failure.
    Status execute(const dnnl::stream& stream, const char* what) const;

private:
    dnnl::primitive mPrimitive;
    dnnl_exec_arg_t mArgs[kMaxArgs]{};
    int mNbArgs{0};
};

//! Sums buffer sizes laid out one after another in a workspace, each aligned to kBufferAlignment.
class WorkspaceLayout
{
public:
    //! Reserves \p bytes (0: nothing) and returns its offset.
    size_t reserve(size_t bytes)
    {
        const size_t at = mSize;
        mSize += alignedBytes(bytes);
        return at;
    }
    size_t size() const { return mSize; }

private:
    size_t mSize{0};
};

//! Copies \p bytes from \p src to \p dst on \p pool (no allocation; nothing when they are equal).
void parallelCopy(backends::cpu::ThreadPool& pool, void* dst, const void* src, size_t bytes);

} // namespace kiln::kernels::cpu::onednn
