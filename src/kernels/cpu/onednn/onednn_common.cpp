#include "kernels/cpu/onednn/onednn_common.h"

#include "backends/cpu/thread_pool.h"


// The two OpenMP runtime calls Kiln makes, from the OpenMP API (the C ABI every OpenMP runtime
// exports). Declared here rather than through omp.h so any compiler builds this file; the library
// is libgomp, the runtime Debian's oneDNN is built with.
extern "C" {
void omp_set_num_threads(int threads);
int omp_get_max_threads(void);
}

#include <algorithm>
#include <cstring>
#include <thread>

namespace kiln::kernels::cpu::onednn
{

const dnnl::engine& cpuEngine()
{
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

int32_t kilnThreads()
{
    return std::max(1, backends::cpu::ThreadPool::global().size());
}

const std::vector<int32_t>& workspaceThreadCounts()
{
    static const std::vector<int32_t> counts = [] {
        const int32_t most = std::max<int32_t>(kilnThreads(), static_cast<int32_t>(std::thread::hardware_concurrency()));
        std::vector<int32_t> c{1, 2, 3, 4, kilnThreads(), most};
        for (int32_t n = 8; n < most; n *= 2)
            c.push_back(n);
        std::sort(c.begin(), c.end());
        c.erase(std::unique(c.begin(), c.end()), c.end());
        return c;
    }();
    return counts;
}

OmpThreadScope::OmpThreadScope(int32_t threads)
    : mPrevious(omp_get_max_threads())
{
    if (threads != mPrevious)
        omp_set_num_threads(threads);
}

OmpThreadScope::~OmpThreadScope()
{
    if (omp_get_max_threads() != mPrevious)
        omp_set_num_threads(mPrevious);
}

dnnl::memory::dims toDnnlDims(const nvinfer1::Dims& d, int32_t begin, int32_t end)
{
    dnnl::memory::dims out;
    for (int32_t i = begin; i < end; ++i)
        out.push_back(d.d[i]);
    return out;
}

dnnl::memory::desc plainDesc(const dnnl::memory::dims& dims)
{
    dnnl::memory::dims strides(dims.size(), 1);
    for (size_t i = dims.size(); i-- > 1;)
        strides[i - 1] = strides[i] * dims[i];
    return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

dnnl::memory::desc userDesc(const dnnl::memory::dims& dims, ir::Layout layout)
{
    using Tag = dnnl::memory::format_tag;
    switch (layout)
    {
    case ir::Layout::kLinear: break;
    case ir::Layout::kChannels8: return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, Tag::nChw8c);
    case ir::Layout::kChannels16: return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, Tag::nChw16c);
    }
    return plainDesc(dims);
}

Status checkUserLayout(const ir::TensorDesc& tensor, bool blocked, const std::string& what)
{
    if (tensor.layout == ir::Layout::kLinear)
        return Status::ok();
    if (!blocked)
        return unsupported(what + ": reads and writes row-major tensors only, not " + ir::layoutName(tensor.layout));
    const Status fits = ir::checkLayout(tensor.layout, tensor.dims);
    if (!fits)
        return unsupported(what + ": " + fits.message() + ", not " + toString(tensor.dims));
    return Status::ok();
}

dnnl::memory unboundMemory(const dnnl::memory::desc& desc)
{
    return dnnl::memory(desc, cpuEngine(), DNNL_MEMORY_NONE);
}

dnnl::memory::desc scratchDesc(size_t bytes)
{
    return dnnl::memory::desc({static_cast<dnnl::memory::dim>(bytes)}, dnnl::memory::data_type::u8,
        dnnl::memory::format_tag::a);
}

dnnl::reorder::primitive_desc makeReorderPd(const dnnl::memory::desc& from, const dnnl::memory::desc& to)
{
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return dnnl::reorder::primitive_desc(cpuEngine(), from, cpuEngine(), to, attr);
}

Status checkFloatTensors(const std::vector<ir::TensorDesc>& tensors, const char* what)
{
    for (const ir::TensorDesc& t : tensors)
    {
        if (t.dims.nbDims < 0)
            continue;
        if (t.type != nvinfer1::DataType::kFLOAT)
            return unsupported(std::string(what) + ": only FLOAT tensors");
        if (volume(t.dims) <= 0)
            return unsupported(std::string(what) + ": empty or unknown dims " + toString(t.dims));
    }
    return Status::ok();
}

Status appendActivation(const layers::Epilogue& epilogue, dnnl::post_ops& ops)
{
    using nvinfer1::ActivationType;
    using dnnl::algorithm;
    if (!epilogue.hasActivation)
        return Status::ok();
    const float a = epilogue.alpha;
    const float b = epilogue.beta;
    switch (epilogue.activation)
    {
    case ActivationType::kRELU: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); return Status::ok();
    // x >= 0 ? x : a·x and oneDNN's x > 0 ? x : a·x agree at 0.
    case ActivationType::kLEAKY_RELU: ops.append_eltwise(1.f, algorithm::eltwise_relu, a, 0.f); return Status::ok();
    case ActivationType::kSIGMOID: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); return Status::ok();
    case ActivationType::kTANH: ops.append_eltwise(1.f, algorithm::eltwise_tanh, 0.f, 0.f); return Status::ok();
    case ActivationType::kELU: ops.append_eltwise(1.f, algorithm::eltwise_elu, a, 0.f); return Status::ok();
    // The outer factors go in the post-op's scale: oneDNN 2.6's AVX2 JIT convolution applies a
    // second linear post-op with the first one's parameters (tests/kernels/onednn_test.cpp).
    case ActivationType::kSELU: // b·elu_a(x)
        ops.append_eltwise(b, algorithm::eltwise_elu, a, 0.f);
        return Status::ok();
    case ActivationType::kSOFTPLUS: // a·log(1 + e^(b·x)); oneDNN avoids the overflow to inf for b·x > 88
        ops.append_eltwise(1.f, algorithm::eltwise_linear, b, 0.f);
        ops.append_eltwise(a, algorithm::eltwise_soft_relu, 0.f, 0.f);
        return Status::ok();
    case ActivationType::kCLIP:
        // oneDNN's clip gives beta for x > beta even when alpha > beta; max(alpha, min(beta, x)) gives alpha.
        if (!(a <= b))
            return unsupported("clip with alpha > beta (or NaN bounds) differs from oneDNN's eltwise_clip");
        ops.append_eltwise(1.f, algorithm::eltwise_clip, a, b);
        return Status::ok();
    case ActivationType::kHARD_SIGMOID: // clip(a·x + b, 0, 1)
        ops.append_eltwise(1.f, algorithm::eltwise_linear, a, b);
        ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 1.f);
        return Status::ok();
    case ActivationType::kSCALED_TANH: // a·tanh(b·x)
        ops.append_eltwise(1.f, algorithm::eltwise_linear, b, 0.f);
        ops.append_eltwise(a, algorithm::eltwise_tanh, 0.f, 0.f);
        return Status::ok();
    case ActivationType::kGELU_ERF: ops.append_eltwise(1.f, algorithm::eltwise_gelu_erf, 0.f, 0.f); return Status::ok();
    case ActivationType::kGELU_TANH: ops.append_eltwise(1.f, algorithm::eltwise_gelu_tanh, 0.f, 0.f); return Status::ok();
    case ActivationType::kSOFTSIGN: return unsupported("oneDNN 2.6 has no softsign eltwise post-op");
    case ActivationType::kTHRESHOLDED_RELU: return unsupported("oneDNN 2.6 has no thresholded ReLU eltwise post-op");
    }
    return unsupported("unknown activation type " + std::to_string(static_cast<int32_t>(epilogue.activation)));
}

int64_t consistentPostPadding(int64_t in, int64_t out, int64_t dilatedWindow, int64_t stride, int64_t pre, int64_t post)
{
    const int64_t span = in + pre + post - dilatedWindow;
    if (span >= 0 && span / stride + 1 == out)
        return post;
    return (out - 1) * stride + dilatedWindow - in - pre;
}

AllocatedBlock::AllocatedBlock(const backends::Allocator& allocator, size_t bytes)
    : mAllocator(allocator)
    , mData(allocator.allocate(bytes))
{
    if (!mData)
        throw std::bad_alloc();
}

AllocatedBlock::~AllocatedBlock()
{
    mAllocator.free(mData);
}

Expected<std::unique_ptr<PackedWeights>> PackedWeights::pack(const backends::Allocator& allocator, const float* values,
    const dnnl::memory::desc& userDesc, const dnnl::memory::desc& packedDesc)
{
    auto packed = std::unique_ptr<PackedWeights>(new PackedWeights());
    packed->mDesc = packedDesc;
    packed->mAllocator = allocator;
    if (packedDesc == userDesc)
        return packed;
    packed->mBlock = std::make_unique<AllocatedBlock>(allocator, packedDesc.get_size());
    dnnl::memory from(userDesc, cpuEngine(), const_cast<float*>(values));
    dnnl::memory to(packedDesc, cpuEngine(), packed->mBlock->data());
    dnnl::stream stream(cpuEngine());
    dnnl::reorder(from, to).execute(stream, from, to);
    stream.wait();
    return packed;
}

Status WeightsBinding::bind(const PackedWeights& prepared, const float* values, const dnnl::memory::desc& userDesc,
    const dnnl::memory::desc& want)
{
    mFromParams = want == userDesc;
    void* data = nullptr;
    if (!mFromParams && want == prepared.desc())
        data = prepared.data();
    else if (!mFromParams)
    {
        auto own = PackedWeights::pack(prepared.allocator(), values, userDesc, want);
        if (!own)
            return own.status();
        mOwn = std::move(own.value());
        data = mOwn->data();
    }
    mMemory = dnnl::memory(want, cpuEngine(), data);
    return Status::ok();
}

void Call::add(int arg, const dnnl::memory& memory)
{
    if (mNbArgs < kMaxArgs)
        mArgs[mNbArgs++] = dnnl_exec_arg_t{arg, memory.get()};
}

Status Call::execute(const dnnl::stream& stream, const char* what) const
{
    const dnnl_status_t s = dnnl_primitive_execute(mPrimitive.get(), stream.get(), mNbArgs, mArgs);
    if (s != dnnl_success)
        return internalError(std::string(what) + ": oneDNN execution failed with status " + std::to_string(s));
    return Status::ok();
}

Status setHandle(const dnnl::memory& memory, const void* data, const dnnl::stream& stream)
{
    const dnnl_status_t s = dnnl_memory_set_data_handle_v2(memory.get(), const_cast<void*>(data), stream.get());
    if (s != dnnl_success)
        return internalError("oneDNN could not set a memory's data handle (status " + std::to_string(s) + ")");
    return Status::ok();
}

namespace
{

struct CopyJob
{
    char* dst;
    const char* src;
    size_t bytes;
    size_t chunk;
};

} // namespace

void parallelCopy(backends::cpu::ThreadPool& pool, void* dst, const void* src, size_t bytes)
{
    if (dst == src || bytes == 0)
        return;
    constexpr size_t kChunk = size_t{1} << 16;
    const CopyJob job{static_cast<char*>(dst), static_cast<const char*>(src), bytes, kChunk};
    const CopyJob* j = &job; // one pointer: fits std::function's inline storage, no allocation
    const auto chunks = static_cast<int64_t>((bytes + kChunk - 1) / kChunk);
    pool.parallelFor(chunks, 4, [j](int64_t begin, int64_t end) {
        const size_t from = static_cast<size_t>(begin) * j->chunk;
        const size_t to = std::min(j->bytes, static_cast<size_t>(end) * j->chunk);
        std::memcpy(j->dst + from, j->src + from, to - from);
    });
}

} // namespace kiln::kernels::cpu::onednn
