#include "kernels/cpu/conv_direct.h"

#include <immintrin.h>

#include <algorithm>

namespace kiln::kernels::cpu
{

namespace
{

#define KILN_DIRECT_ACC(p)                                                                                           \
    if constexpr (P > p)                                                                                               \
    {                                                                                                                  \
        const __m256 xv = _mm256_broadcast_ss(x + p * sw);                                                             \
        a##p##0 = _mm256_fmadd_ps(xv, w0, a##p##0);                                                                    \
        a##p##1 = _mm256_fmadd_ps(xv, w1, a##p##1);                                                                    \
    }

// The accumulators are named variables, not an array, so they stay in registers through the loops.
template <int32_t P>
void tile(const DirectConvRows& r, int64_t block, int64_t oh, int64_t ow0)
{
    __m256 a00 = _mm256_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
    __m256 a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
    const int64_t kernelH = r.kernelH, kernelW = r.kernelW, channels = r.channels;
    const int64_t taps = kernelH * kernelW;
    const float* w = r.weights + block * channels * taps * kDirectMaps;
    const int64_t plane = r.paddedH * r.paddedW;
    const int64_t rowStep = r.dilationH * r.paddedW;
    const int64_t dw = r.dilationW;
    const float* base = r.padded + oh * r.strideH * r.paddedW + ow0 * r.strideW;
    const int64_t sw = r.strideW;
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t fh = 0; fh < kernelH; ++fh)
        {
            const float* row = base + c * plane + fh * rowStep;
            for (int64_t fw = 0; fw < kernelW; ++fw)
            {
                const __m256 w0 = _mm256_loadu_ps(w);
                const __m256 w1 = _mm256_loadu_ps(w + 8);
                const float* x = row + fw * dw;
                KILN_DIRECT_ACC(0)
                KILN_DIRECT_ACC(1)
                KILN_DIRECT_ACC(2)
                KILN_DIRECT_ACC(3)
                KILN_DIRECT_ACC(4)
                KILN_DIRECT_ACC(5)
                w += kDirectMaps;
            }
        }
    const __m256 acc[kDirectColumns][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}, {a40, a41}, {a50, a51}};

    // Maps are the lanes: bias is a vector add, then each map's values go to its own plane.
    const int64_t m0 = block * kDirectMaps;
    const int64_t maps = std::min<int64_t>(kDirectMaps, r.maps - m0);
    alignas(32) float out[P][kDirectMaps];
    __m256 b0 = _mm256_setzero_ps();
    __m256 b1 = _mm256_setzero_ps();
    if (r.bias)
    {
        alignas(32) float bias[kDirectMaps] = {};
        for (int64_t m = 0; m < maps; ++m)
            bias[m] = r.bias[m0 + m];
        b0 = _mm256_load_ps(bias);
        b1 = _mm256_load_ps(bias + 8);
    }
    for (int32_t p = 0; p < P; ++p)
    {
        _mm256_store_ps(out[p], _mm256_add_ps(acc[p][0], b0));
        _mm256_store_ps(out[p] + 8, _mm256_add_ps(acc[p][1], b1));
    }
    const int64_t outPlane = r.outH * r.outW;
    const int64_t at = oh * r.outW + ow0;
    const layers::Epilogue& e = *r.epilogue;
    for (int64_t m = 0; m < maps; ++m)
    {
        float* y = r.y + (m0 + m) * outPlane + at;
        const float* res = r.residual ? r.residual + (m0 + m) * outPlane + at : nullptr;
        for (int32_t p = 0; p < P; ++p)
        {
            float v = out[p][m];
            if (res)
                v += res[p];
            y[p] = e.activate(v);
        }
    }
}

#undef KILN_DIRECT_ACC

} // namespace

void directConvRowAvx2(const DirectConvRows& r, int64_t block, int64_t oh)
{
    int64_t ow = 0;
    for (; ow + kDirectColumns <= r.outW; ow += kDirectColumns)
        tile<kDirectColumns>(r, block, oh, ow);
    switch (r.outW - ow)
    {
    case 1: tile<1>(r, block, oh, ow); break;
    case 2: tile<2>(r, block, oh, ow); break;
    case 3: tile<3>(r, block, oh, ow); break;
    case 4: tile<4>(r, block, oh, ow); break;
    case 5: tile<5>(r, block, oh, ow); break;
    default: break;
    }
}

} // namespace kiln::kernels::cpu
