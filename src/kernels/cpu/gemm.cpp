#include "kernels/cpu/gemm.h"

#include "kernels/cpu/gemm_microkernel.h"

#include <algorithm>
#include <atomic>
#include <cstring>

namespace kiln::kernels::cpu
{

namespace
{

using detail::GemmTile;
using detail::TileActivation;

int64_t roundUp(int64_t v, int64_t m)
{
    return (v + m - 1) / m * m;
}

int64_t ceilDiv(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

//! Packs rows [i0, i0 + rows) × K slice [k0, k0 + kc) of op(A) into MR-row panels at dst.
void packABlock(const GemmA& a, int64_t k0, int64_t kc, int64_t i0, int64_t rows, float* dst)
{
    for (int64_t q = 0; q < rows; q += kGemmMR)
    {
        const int64_t w = std::min<int64_t>(kGemmMR, rows - q);
        float* panel = dst + q * kc;
        if (w < kGemmMR)
            std::fill(panel, panel + kc * kGemmMR, 0.f);
        if (a.transposed)
        {
            for (int64_t k = 0; k < kc; ++k)
            {
                const float* src = a.data + (k0 + k) * a.ld + i0 + q;
                for (int64_t r = 0; r < w; ++r)
                    panel[k * kGemmMR + r] = src[r];
            }
        }
        else
        {
            for (int64_t r = 0; r < w; ++r)
            {
                const float* src = a.data + (i0 + q + r) * a.ld + k0;
                for (int64_t k = 0; k < kc; ++k)
                    panel[k * kGemmMR + r] = src[k];
            }
        }
    }
}

//! Packs columns [j0, j0 + cols) × K slice [k0, k0 + kc) of op(B) into NR-column panels at dst.
void packBBlock(const GemmB& b, int64_t k0, int64_t kc, int64_t j0, int64_t cols, float* dst)
{
    for (int64_t p = 0; p < cols; p += kGemmNR)
    {
        const int64_t w = std::min<int64_t>(kGemmNR, cols - p);
        float* panel = dst + p * kc;
        if (b.transposed)
        {
            if (w < kGemmNR)
                std::fill(panel, panel + kc * kGemmNR, 0.f);
            for (int64_t c = 0; c < w; ++c)
            {
                const float* src = b.data + (j0 + p + c) * b.ld + k0;
                for (int64_t k = 0; k < kc; ++k)
                    panel[k * kGemmNR + c] = src[k];
            }
        }
        else
        {
            for (int64_t k = 0; k < kc; ++k)
            {
                const float* src = b.data + (k0 + k) * b.ld + j0 + p;
                float* d = panel + k * kGemmNR;
                std::memcpy(d, src, static_cast<size_t>(w) * sizeof(float));
                for (int64_t c = w; c < kGemmNR; ++c)
                    d[c] = 0.f;
            }
        }
    }
}

TileActivation tileActivation(const layers::Epilogue& e)
{
    using nvinfer1::ActivationType;
    if (!e.hasActivation)
        return TileActivation::kNone;
    switch (e.activation)
    {
    case ActivationType::kRELU: return TileActivation::kRelu;
    case ActivationType::kLEAKY_RELU: return TileActivation::kLeakyRelu;
    case ActivationType::kCLIP: return TileActivation::kClip;
    default: return TileActivation::kOther;
    }
}

struct SlotSizes
{
    int64_t aFloats{0};
    int64_t bFloats{0};
    int64_t bytes() const { return (aFloats + bFloats) * static_cast<int64_t>(sizeof(float)); }
};

SlotSizes slotSizes(int64_t m, int64_t n, int64_t k, bool packA, bool packB)
{
    const int64_t kc = std::max<int64_t>(1, std::min<int64_t>(k, kGemmKC));
    SlotSizes s;
    if (packA)
        s.aFloats = roundUp(roundUp(std::min<int64_t>(m, kGemmMC), kGemmMR) * kc, 16);
    if (packB)
        s.bFloats = roundUp(roundUp(std::min<int64_t>(n, kGemmNC), kGemmNR) * kc, 16);
    return s;
}

constexpr size_t kWorkspaceAlignment = 64;

//! The compiler's CPUID query: unlike the device fingerprint it allocates nothing, so the first
//! run() may ask.
bool cpuHasAvx2()
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

//! Everything the workers share during one gemm() call.
struct Job
{
    const GemmDesc* desc{nullptr};
    void (*tile)(const GemmTile&){nullptr};
    TileActivation activation{TileActivation::kNone};
    int64_t mc{0};
    int64_t nc{0};
    int64_t mBlocks{0};
    int64_t nBlocks{0};
    int64_t tasks{0};
    int64_t mPadded{0};
    int64_t nPadded{0};
    float* slots{nullptr};
    SlotSizes slot;
    std::atomic<int64_t> next{0};
};

//! One task: rows [i0, i0 + mc) × columns [j0, j0 + nc) of one batch entry. Each K slice of B is
//! packed once and reused for every MC-row block of A under it.
void runTask(const Job& job, int64_t task, float* aBuf, float* bBuf)
{
    const GemmDesc& d = *job.desc;
    const int64_t perBatch = job.mBlocks * job.nBlocks;
    const int64_t batch = task / perBatch;
    const int64_t ib = (task % perBatch) / job.nBlocks;
    const int64_t jb = task % job.nBlocks;
    const GemmMatrices mats = d.at ? d.at(d.atContext, batch) : d.single;
    const int64_t i0 = ib * job.mc;
    const int64_t rows = std::min(job.mc, d.m - i0);
    const int64_t j0 = jb * job.nc;
    const int64_t cols = std::min(job.nc, d.n - j0);

    GemmTile t;
    t.ldc = mats.ldc;
    t.ldr = mats.ldr;
    t.activation = job.activation;
    t.alpha = d.epilogue.alpha;
    t.beta = d.epilogue.beta;
    for (int64_t k0 = 0;; k0 += kGemmKC)
    {
        const int64_t kc = std::max<int64_t>(0, std::min<int64_t>(kGemmKC, d.k - k0));
        const float* bp = nullptr;
        if (mats.b.packed)
            bp = mats.b.packed + k0 * job.nPadded + j0 * kc;
        else
        {
            if (mats.b.pack)
                mats.b.pack(mats.b.packContext, mats.b.data, k0, kc, j0, cols, bBuf);
            else
                packBBlock(mats.b, k0, kc, j0, cols, bBuf);
            bp = bBuf;
        }
        const bool last = k0 + kc >= d.k;
        t.kc = kc;
        t.accumulate = k0 > 0;
        t.finish = last;
        for (int64_t i1 = i0; i1 < i0 + rows; i1 += kGemmMC)
        {
            const int64_t blockRows = std::min<int64_t>(kGemmMC, i0 + rows - i1);
            const float* ap = nullptr;
            if (mats.a.packed)
                ap = mats.a.packed + k0 * job.mPadded + i1 * kc;
            else
            {
                packABlock(mats.a, k0, kc, i1, blockRows, aBuf);
                ap = aBuf;
            }
            for (int64_t jr = 0; jr < cols; jr += kGemmNR)
            {
                t.b = bp + jr * kc;
                t.cols = static_cast<int32_t>(std::min<int64_t>(kGemmNR, cols - jr));
                const int64_t j = j0 + jr;
                t.colBias = last && d.biasKind == GemmBias::kPerColumn && mats.bias ? mats.bias + j : nullptr;
                for (int64_t ir = 0; ir < blockRows; ir += kGemmMR)
                {
                    const int64_t i = i1 + ir;
                    t.a = ap + ir * kc;
                    t.rows = static_cast<int32_t>(std::min<int64_t>(kGemmMR, blockRows - ir));
                    t.c = mats.c + i * mats.ldc + j;
                    t.rowBias = last && d.biasKind == GemmBias::kPerRow && mats.bias ? mats.bias + i : nullptr;
                    t.residual = last && mats.residual ? mats.residual + i * mats.ldr + j : nullptr;
                    job.tile(t);
                    if (last && job.activation == TileActivation::kOther)
                        for (int32_t r = 0; r < t.rows; ++r)
                        {
                            float* row = t.c + r * t.ldc;
                            for (int32_t c = 0; c < t.cols; ++c)
                                row[c] = d.epilogue.activate(row[c]);
                        }
                }
            }
        }
        if (last)
            break;
    }
}

void runSlot(Job& job, int64_t slot)
{
    float* base = job.slots + slot * (job.slot.aFloats + job.slot.bFloats);
    float* aBuf = base;
    float* bBuf = base + job.slot.aFloats;
    for (int64_t task = job.next.fetch_add(1); task < job.tasks; task = job.next.fetch_add(1))
        runTask(job, task, aBuf, bBuf);
}

} // namespace

namespace detail
{

void gemmTilePortable(const GemmTile& t)
{
    float acc[kGemmMR][kGemmNR] = {};
    for (int64_t k = 0; k < t.kc; ++k)
    {
        const float* a = t.a + k * kGemmMR;
        const float* b = t.b + k * kGemmNR;
        for (int32_t r = 0; r < kGemmMR; ++r)
            for (int32_t c = 0; c < kGemmNR; ++c)
                acc[r][c] += a[r] * b[c];
    }
    for (int32_t r = 0; r < t.rows; ++r)
    {
        float* row = t.c + r * t.ldc;
        for (int32_t c = 0; c < t.cols; ++c)
        {
            float v = acc[r][c];
            if (t.accumulate)
                v += row[c];
            if (t.finish)
            {
                if (t.rowBias)
                    v += t.rowBias[r];
                if (t.colBias)
                    v += t.colBias[c];
                if (t.residual)
                    v += t.residual[r * t.ldr + c];
                switch (t.activation)
                {
                case TileActivation::kRelu: v = v > 0.f ? v : 0.f; break;
                case TileActivation::kLeakyRelu: v = v >= 0.f ? v : t.alpha * v; break;
                case TileActivation::kClip: v = std::max(t.alpha, std::min(t.beta, v)); break;
                default: break;
                }
            }
            row[c] = v;
        }
    }
}

} // namespace detail

int64_t gemmPackedASize(int64_t m, int64_t k)
{
    return roundUp(m, kGemmMR) * k;
}

void gemmPackA(const float* a, int64_t lda, bool transposed, int64_t m, int64_t k, float* dst)
{
    const GemmA op{a, lda, transposed, nullptr};
    const int64_t mPadded = roundUp(m, kGemmMR);
    for (int64_t k0 = 0; k0 < k; k0 += kGemmKC)
        packABlock(op, k0, std::min<int64_t>(kGemmKC, k - k0), 0, m, dst + k0 * mPadded);
}

int64_t gemmPackedBSize(int64_t k, int64_t n)
{
    return roundUp(n, kGemmNR) * k;
}

void gemmPackB(const float* b, int64_t ldb, bool transposed, int64_t k, int64_t n, float* dst)
{
    GemmB op;
    op.data = b;
    op.ld = ldb;
    op.transposed = transposed;
    const int64_t nPadded = roundUp(n, kGemmNR);
    for (int64_t k0 = 0; k0 < k; k0 += kGemmKC)
        packBBlock(op, k0, std::min<int64_t>(kGemmKC, k - k0), 0, n, dst + k0 * nPadded);
}

size_t gemmWorkspaceSize(int64_t m, int64_t n, int64_t k, bool packA, bool packB, int32_t threads)
{
    const SlotSizes s = slotSizes(m, n, k, packA, packB);
    if (s.bytes() == 0)
        return 0;
    return static_cast<size_t>(s.bytes()) * static_cast<size_t>(std::max(threads, 1)) + kWorkspaceAlignment;
}

bool gemmHasAvx2()
{
    static const bool has = cpuHasAvx2();
    return has;
}

Status gemm(const GemmDesc& d, backends::cpu::ThreadPool& pool, void* workspace, size_t workspaceSize)
{
    if (d.m <= 0 || d.n <= 0 || d.batch <= 0)
        return Status::ok();
    const GemmMatrices first = d.at ? d.at(d.atContext, 0) : d.single;
    Job job;
    job.desc = &d;
    job.slot = slotSizes(d.m, d.n, d.k, first.a.packed == nullptr, first.b.packed == nullptr);
    bool avx2 = d.isa != GemmIsa::kPortable && gemmHasAvx2();
    if (d.isa == GemmIsa::kAvx2 && !avx2)
        return internalError("gemm: the AVX2 micro-kernel was asked for on a CPU without AVX2 and FMA");
    job.tile = avx2 ? &detail::gemmTileAvx2 : &detail::gemmTilePortable;
    job.activation = tileActivation(d.epilogue);

    int64_t slots = pool.size();
    if (job.slot.bytes() > 0)
    {
        auto addr = reinterpret_cast<uintptr_t>(workspace);
        const size_t skip = (kWorkspaceAlignment - addr % kWorkspaceAlignment) % kWorkspaceAlignment;
        if (!workspace || workspaceSize < skip + static_cast<size_t>(job.slot.bytes()))
            return internalError("gemm: the workspace of " + std::to_string(workspaceSize) + " bytes is too small");
        job.slots = reinterpret_cast<float*>(static_cast<uint8_t*>(workspace) + skip);
        slots = std::min<int64_t>(slots, static_cast<int64_t>((workspaceSize - skip) / static_cast<size_t>(job.slot.bytes())));
    }

    // Tasks: all rows × NC columns; split the columns (down to two panels), then the rows, until
    // every worker has a few tasks. Splitting columns keeps each packed B slice used by all rows.
    job.mc = roundUp(d.m, kGemmMR);
    job.nc = std::min<int64_t>(kGemmNC, roundUp(d.n, kGemmNR));
    const double flops = 2.0 * static_cast<double>(d.m) * static_cast<double>(d.n) * static_cast<double>(d.k)
        * static_cast<double>(d.batch);
    if (flops < 2e5)
        slots = 1;
    auto countTasks = [&]() {
        job.mBlocks = ceilDiv(d.m, job.mc);
        job.nBlocks = ceilDiv(d.n, job.nc);
        job.tasks = d.batch * job.mBlocks * job.nBlocks;
    };
    countTasks();
    while (slots > 1 && job.tasks < 4 * slots)
    {
        if (job.nc > 2 * kGemmNR)
            job.nc = roundUp(job.nc / 2, kGemmNR);
        else if (job.mc > 2 * kGemmMR)
            job.mc = roundUp(job.mc / 2, kGemmMR);
        else
            break;
        countTasks();
    }
    job.mPadded = roundUp(d.m, kGemmMR);
    job.nPadded = roundUp(d.n, kGemmNR);
    slots = std::max<int64_t>(1, std::min(slots, job.tasks));
    if (slots == 1)
    {
        runSlot(job, 0);
        return Status::ok();
    }
    pool.parallelFor(slots, 1, [&job](int64_t begin, int64_t end) {
        for (int64_t s = begin; s < end; ++s)
            runSlot(job, s);
    });
    return Status::ok();
}

} // namespace kiln::kernels::cpu
