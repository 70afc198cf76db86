// The AVX2/FMA GEMM micro-kernel: a 6×16 tile in twelve ymm accumulators, two B loads and one A
// broadcast per row and k. Compiled with -mavx2 -mfma; gemm() only calls it after a CPU check.
#include "kernels/cpu/gemm_microkernel.h"

#include <immintrin.h>

namespace kiln::kernels::cpu::detail
{

namespace
{

//! Lanes [0, n) set (n clamped to 0..8).
__m256i laneMask(int32_t n)
{
    const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), index);
}

__m256 activate(__m256 v, const GemmTile& t)
{
    switch (t.activation)
    {
    case TileActivation::kRelu: return _mm256_max_ps(v, _mm256_setzero_ps());
    case TileActivation::kLeakyRelu:
    {
        const __m256 scaled = _mm256_mul_ps(v, _mm256_set1_ps(t.alpha));
        const __m256 nonNegative = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GE_OQ);
        return _mm256_blendv_ps(scaled, v, nonNegative);
    }
    case TileActivation::kClip:
        return _mm256_max_ps(_mm256_min_ps(v, _mm256_set1_ps(t.beta)), _mm256_set1_ps(t.alpha));
    default: return v;
    }
}

//! The epilogue and store of one tile row.
struct RowWriter
{
    const GemmTile& t;
    bool full;
    __m256i m0, m1;
    __m256 cb0, cb1;

    void write(int32_t r, __m256 v0, __m256 v1) const
    {
        float* c = t.c + r * t.ldc;
        if (t.accumulate)
        {
            v0 = _mm256_add_ps(v0, full ? _mm256_loadu_ps(c) : _mm256_maskload_ps(c, m0));
            v1 = _mm256_add_ps(v1, full ? _mm256_loadu_ps(c + 8) : _mm256_maskload_ps(c + 8, m1));
        }
        if (t.finish)
        {
            if (t.rowBias)
            {
                const __m256 rb = _mm256_broadcast_ss(t.rowBias + r);
                v0 = _mm256_add_ps(v0, rb);
                v1 = _mm256_add_ps(v1, rb);
            }
            v0 = _mm256_add_ps(v0, cb0);
            v1 = _mm256_add_ps(v1, cb1);
            if (t.residual)
            {
                const float* res = t.residual + r * t.ldr;
                v0 = _mm256_add_ps(v0, full ? _mm256_loadu_ps(res) : _mm256_maskload_ps(res, m0));
                v1 = _mm256_add_ps(v1, full ? _mm256_loadu_ps(res + 8) : _mm256_maskload_ps(res + 8, m1));
            }
            v0 = activate(v0, t);
            v1 = activate(v1, t);
        }
        if (full)
        {
            _mm256_storeu_ps(c, v0);
            _mm256_storeu_ps(c + 8, v1);
        }
        else
        {
            _mm256_maskstore_ps(c, m0, v0);
            _mm256_maskstore_ps(c + 8, m1, v1);
        }
    }
};

// The accumulators are named variables, not an array, so they stay in registers through the loop.
template <int32_t R>
void tile(const GemmTile& t)
{
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const float* a = t.a;
    const float* b = t.b;
    const int64_t kc = t.kc;
    for (int64_t k = 0; k < kc; ++k)
    {
        const __m256 b0 = _mm256_loadu_ps(b);
        const __m256 b1 = _mm256_loadu_ps(b + 8);
        __m256 av = _mm256_broadcast_ss(a);
        c00 = _mm256_fmadd_ps(av, b0, c00);
        c01 = _mm256_fmadd_ps(av, b1, c01);
        if constexpr (R > 1)
        {
            av = _mm256_broadcast_ss(a + 1);
            c10 = _mm256_fmadd_ps(av, b0, c10);
            c11 = _mm256_fmadd_ps(av, b1, c11);
        }
        if constexpr (R > 2)
        {
            av = _mm256_broadcast_ss(a + 2);
            c20 = _mm256_fmadd_ps(av, b0, c20);
            c21 = _mm256_fmadd_ps(av, b1, c21);
        }
        if constexpr (R > 3)
        {
            av = _mm256_broadcast_ss(a + 3);
            c30 = _mm256_fmadd_ps(av, b0, c30);
            c31 = _mm256_fmadd_ps(av, b1, c31);
        }
        if constexpr (R > 4)
        {
            av = _mm256_broadcast_ss(a + 4);
            c40 = _mm256_fmadd_ps(av, b0, c40);
            c41 = _mm256_fmadd_ps(av, b1, c41);
        }
        if constexpr (R > 5)
        {
            av = _mm256_broadcast_ss(a + 5);
            c50 = _mm256_fmadd_ps(av, b0, c50);
            c51 = _mm256_fmadd_ps(av, b1, c51);
        }
        a += kGemmMR;
        b += kGemmNR;
    }

    const bool full = t.cols == kGemmNR;
    RowWriter w{t, full, laneMask(t.cols), laneMask(t.cols - 8), _mm256_setzero_ps(), _mm256_setzero_ps()};
    if (t.finish && t.colBias)
    {
        w.cb0 = full ? _mm256_loadu_ps(t.colBias) : _mm256_maskload_ps(t.colBias, w.m0);
        w.cb1 = full ? _mm256_loadu_ps(t.colBias + 8) : _mm256_maskload_ps(t.colBias + 8, w.m1);
    }
    w.write(0, c00, c01);
    if constexpr (R > 1)
        w.write(1, c10, c11);
    if constexpr (R > 2)
        w.write(2, c20, c21);
    if constexpr (R > 3)
        w.write(3, c30, c31);
    if constexpr (R > 4)
        w.write(4, c40, c41);
    if constexpr (R > 5)
        w.write(5, c50, c51);
}

} // namespace

void gemmTileAvx2(const GemmTile& t)
{
    switch (t.rows)
    {
    case 1: tile<1>(t); break;
    case 2: tile<2>(t); break;
    case 3: tile<3>(t); break;
    case 4: tile<4>(t); break;
    case 5: tile<5>(t); break;
    default: tile<6>(t); break;
    }
}

} // namespace kiln::kernels::cpu::detail
