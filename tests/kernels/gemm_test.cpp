// Kiln's packed GEMM (kernels/cpu/gemm.h) against a double-precision naive product: shapes around
// the micro-kernel and cache-block edges, leading dimensions, transposes, pre-packed operands, a
// custom B packer, batches, bias, residual and activations, on both micro-kernels.
#include "kernels/cpu/gemm.h"
#include "kernels/tactic_check.h"

#include <cmath>
#include <vector>

namespace
{

using namespace kiln;
using kernels::cpu::GemmBias;
using kernels::cpu::GemmDesc;
using kernels::cpu::GemmIsa;

struct Case
{
    int64_t m, n, k;
    bool transA{false};
    bool transB{false};
    bool packA{false};
    bool packB{false};
    int64_t pad{0}; //!< extra leading-dimension elements on every matrix
    GemmBias bias{GemmBias::kNone};
    bool residual{false};
    bool activation{false};
    nvinfer1::ActivationType act{nvinfer1::ActivationType::kRELU};
    float alpha{0.f};
    float beta{0.f};
    GemmIsa isa{GemmIsa::kAuto};
};

std::string describe(const Case& c)
{
    return "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) + " tA="
        + std::to_string(c.transA) + " tB=" + std::to_string(c.transB) + " pA=" + std::to_string(c.packA) + " pB="
        + std::to_string(c.packB) + " pad=" + std::to_string(c.pad) + " bias=" + std::to_string(static_cast<int>(c.bias))
        + " res=" + std::to_string(c.residual) + " act=" + (c.activation ? std::to_string(static_cast<int>(c.act)) : "-")
        + " isa=" + std::to_string(static_cast<int>(c.isa));
}

void runCase(const Case& c, uint32_t seed)
{
    SCOPED_TRACE(describe(c));
    if (c.isa == GemmIsa::kAvx2 && !kernels::cpu::gemmHasAvx2())
        return;
    // op(A) is m×k: stored m×k (lda ≥ k) or k×m (lda ≥ m).
    const int64_t lda = (c.transA ? c.m : c.k) + c.pad;
    const int64_t ldb = (c.transB ? c.k : c.n) + c.pad;
    const int64_t ldc = c.n + c.pad;
    const int64_t ldr = c.n + 2 * c.pad;
    const auto a = test::randomFloats(static_cast<size_t>((c.transA ? c.k : c.m) * lda), seed);
    const auto b = test::randomFloats(static_cast<size_t>((c.transB ? c.n : c.k) * ldb), seed + 1);
    const auto bias = test::randomFloats(static_cast<size_t>(std::max(c.m, c.n)), seed + 2);
    const auto res = test::randomFloats(static_cast<size_t>(c.m * ldr), seed + 3);
    auto elemA = [&](int64_t i, int64_t k) { return c.transA ? a[k * lda + i] : a[i * lda + k]; };
    auto elemB = [&](int64_t k, int64_t j) { return c.transB ? b[j * ldb + k] : b[k * ldb + j]; };

    GemmDesc d;
    d.m = c.m;
    d.n = c.n;
    d.k = c.k;
    d.biasKind = c.bias;
    d.isa = c.isa;
    d.epilogue.hasActivation = c.activation;
    d.epilogue.activation = c.act;
    d.epilogue.alpha = c.alpha;
    d.epilogue.beta = c.beta;
    std::vector<float> packedA, packedB;
    if (c.packA)
    {
        packedA.resize(static_cast<size_t>(kernels::cpu::gemmPackedASize(c.m, c.k)) + 1);
        kernels::cpu::gemmPackA(a.data(), lda, c.transA, c.m, c.k, packedA.data());
        d.single.a.packed = packedA.data();
    }
    else
        d.single.a = {a.data(), lda, c.transA, nullptr};
    if (c.packB)
    {
        packedB.resize(static_cast<size_t>(kernels::cpu::gemmPackedBSize(c.k, c.n)) + 1);
        kernels::cpu::gemmPackB(b.data(), ldb, c.transB, c.k, c.n, packedB.data());
        d.single.b.packed = packedB.data();
    }
    else
    {
        d.single.b.data = b.data();
        d.single.b.ld = ldb;
        d.single.b.transposed = c.transB;
    }
    const float kSentinel = 1234.5f;
    std::vector<float> out(static_cast<size_t>(c.m * ldc), kSentinel);
    d.single.c = out.data();
    d.single.ldc = ldc;
    d.single.bias = c.bias == GemmBias::kNone ? nullptr : bias.data();
    d.single.residual = c.residual ? res.data() : nullptr;
    d.single.ldr = ldr;

    auto& pool = backends::cpu::ThreadPool::global();
    std::vector<uint8_t> ws(kernels::cpu::gemmWorkspaceSize(c.m, c.n, c.k, !c.packA, !c.packB, pool.size()) + 1);
    ASSERT_TRUE(kernels::cpu::gemm(d, pool, ws.data() + 1, ws.size() - 1));

    for (int64_t i = 0; i < c.m; ++i)
        for (int64_t j = 0; j < ldc; ++j)
        {
            const float got = out[static_cast<size_t>(i * ldc + j)];
            if (j >= c.n)
            {
                ASSERT_EQ(got, kSentinel) << "wrote into the leading-dimension gap at " << i << "," << j;
                continue;
            }
            double acc = 0.0;
            for (int64_t k = 0; k < c.k; ++k)
                acc += static_cast<double>(elemA(i, k)) * elemB(k, j);
            if (c.bias == GemmBias::kPerRow)
                acc += bias[static_cast<size_t>(i)];
            if (c.bias == GemmBias::kPerColumn)
                acc += bias[static_cast<size_t>(j)];
            if (c.residual)
                acc += res[static_cast<size_t>(i * ldr + j)];
            const double want = d.epilogue.activate(static_cast<float>(acc));
            // Float accumulation over K terms of magnitude < 1.
            const double tol = 1e-5 * (1.0 + static_cast<double>(c.k)) + 1e-5 * std::fabs(want);
            ASSERT_NEAR(got, want, tol) << "at " << i << "," << j;
        }
}

TEST(Gemm, ShapesAroundTileAndBlockEdges)
{
    const int64_t ms[] = {1, 5, 6, 7, 13, 97};
    const int64_t ns[] = {1, 8, 15, 16, 17, 33};
    const int64_t ks[] = {1, 7, 255, 257};
    uint32_t seed = 1;
    for (GemmIsa isa : {GemmIsa::kPortable, GemmIsa::kAvx2})
        for (int64_t m : ms)
            for (int64_t n : ns)
                for (int64_t k : ks)
                {
                    Case c{m, n, k};
                    c.isa = isa;
                    runCase(c, seed++);
                }
}

TEST(Gemm, LargeBlocksAndThreads)
{
    runCase(Case{200, 530, 300}, 7);
    Case c{130, 1100, 520};
    c.packA = true;
    c.bias = GemmBias::kPerRow;
    runCase(c, 8);
}

TEST(Gemm, TransposesLeadingDimsAndPacking)
{
    uint32_t seed = 100;
    for (bool ta : {false, true})
        for (bool tb : {false, true})
            for (bool pa : {false, true})
                for (bool pb : {false, true})
                    for (int64_t pad : {0, 3})
                        for (GemmIsa isa : {GemmIsa::kPortable, GemmIsa::kAvx2})
                        {
                            Case c{23, 37, 270, ta, tb, pa, pb, pad};
                            c.isa = isa;
                            runCase(c, seed++);
                        }
}

TEST(Gemm, EpilogueVariants)
{
    using nvinfer1::ActivationType;
    uint32_t seed = 200;
    struct Act
    {
        ActivationType type;
        float alpha, beta;
    };
    const Act acts[] = {{ActivationType::kRELU, 0.f, 0.f}, {ActivationType::kLEAKY_RELU, 0.1f, 0.f},
        {ActivationType::kCLIP, -0.5f, 0.7f}, {ActivationType::kSIGMOID, 0.f, 0.f}, {ActivationType::kTANH, 0.f, 0.f},
        {ActivationType::kELU, 0.5f, 0.f}};
    for (GemmIsa isa : {GemmIsa::kPortable, GemmIsa::kAvx2})
        for (GemmBias bias : {GemmBias::kNone, GemmBias::kPerRow, GemmBias::kPerColumn})
            for (bool residual : {false, true})
            {
                Case c{11, 21, 300};
                c.bias = bias;
                c.residual = residual;
                c.pad = 2;
                c.isa = isa;
                runCase(c, seed++);
                for (const Act& a : acts)
                {
                    c.activation = true;
                    c.act = a.type;
                    c.alpha = a.alpha;
                    c.beta = a.beta;
                    runCase(c, seed++);
                }
            }
}

TEST(Gemm, EmptyReductionGivesTheEpilogueOfZero)
{
    Case c{7, 9, 0};
    c.bias = GemmBias::kPerColumn;
    c.residual = true;
    runCase(c, 300);
    c.packA = c.packB = true;
    runCase(c, 301);
}

//! B as im2col-like custom packer: here B(k, j) = k + 2j, packed by the callback.
void packCustom(const void* context, const float* /*data*/, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst)
{
    const int64_t n = *static_cast<const int64_t*>(context);
    for (int64_t p = 0; p < nc; p += kernels::cpu::kGemmNR)
        for (int64_t k = 0; k < kc; ++k)
            for (int64_t c = 0; c < kernels::cpu::kGemmNR; ++c)
            {
                const int64_t j = j0 + p + c;
                dst[p * kc + k * kernels::cpu::kGemmNR + c] = j < n ? static_cast<float>(k0 + k + 2 * j) * 0.01f : 0.f;
            }
}

struct BatchContext
{
    const float* a;
    float* c;
    int64_t m, k, n;
    int64_t nContext;
};

kernels::cpu::GemmMatrices batchAt(const void* context, int64_t b)
{
    const auto& bc = *static_cast<const BatchContext*>(context);
    kernels::cpu::GemmMatrices mats;
    mats.a = {bc.a + b * bc.m * bc.k, bc.k, false, nullptr};
    mats.b.pack = &packCustom;
    mats.b.packContext = &bc.nContext;
    mats.c = bc.c + b * bc.m * bc.n;
    mats.ldc = bc.n;
    return mats;
}

TEST(Gemm, BatchWithCustomPacker)
{
    const int64_t batch = 3, m = 10, k = 300, n = 41;
    const auto a = test::randomFloats(static_cast<size_t>(batch * m * k), 9);
    std::vector<float> c(static_cast<size_t>(batch * m * n), -1.f);
    BatchContext bc{a.data(), c.data(), m, k, n, n};
    GemmDesc d;
    d.m = m;
    d.n = n;
    d.k = k;
    d.batch = batch;
    d.at = &batchAt;
    d.atContext = &bc;
    auto& pool = backends::cpu::ThreadPool::global();
    std::vector<uint8_t> ws(kernels::cpu::gemmWorkspaceSize(m, n, k, true, true, pool.size()));
    ASSERT_TRUE(kernels::cpu::gemm(d, pool, ws.data(), ws.size()));
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j)
            {
                double acc = 0;
                for (int64_t t = 0; t < k; ++t)
                    acc += static_cast<double>(a[static_cast<size_t>((b * m + i) * k + t)]) * ((t + 2 * j) * 0.01);
                ASSERT_NEAR(c[static_cast<size_t>((b * m + i) * n + j)], acc, 1e-5 * std::fabs(acc) + 1e-3);
            }
}

TEST(Gemm, RefusesATooSmallWorkspace)
{
    const auto a = test::randomFloats(64, 1);
    std::vector<float> c(64);
    GemmDesc d;
    d.m = d.n = d.k = 8;
    d.single.a = {a.data(), 8, false, nullptr};
    d.single.b.data = a.data();
    d.single.b.ld = 8;
    d.single.c = c.data();
    d.single.ldc = 8;
    auto& pool = backends::cpu::ThreadPool::global();
    std::vector<uint8_t> ws(16);
    EXPECT_FALSE(kernels::cpu::gemm(d, pool, ws.data(), ws.size()));
    EXPECT_FALSE(kernels::cpu::gemm(d, pool, nullptr, 0));
}

} // namespace
