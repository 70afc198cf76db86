// AVX2 + FMA helpers shared by the memory-bound tactics (depthwise, pooling, element-wise,
// activation, scale, softmax, point-wise chains). Include ONLY from *_avx2.cpp files: everything here is compiled with
// -mavx2 -mfma and must only run after the tactic's requiredCpuFeatures() check.
//
// Accuracy (float inputs, against std::exp / std::tanh):
//   exp256      Cody-Waite range reduction x = n·ln2 + r, |r| <= ln2/2, degree-6 polynomial for
//               e^r; about 2 ulp on [-87.3, 88.7]; +inf above, 0 below, NaN stays NaN.
//   sigmoid256  1 / (1 + exp(-x)) with an exact division: within a few ulp, 0 and 1 at the ends.
//   tanh256     odd minimax polynomial for |x| < 0.625 (relative error ~1 ulp near 0), else
//               1 - 2 / (exp(2|x|) + 1) with the sign restored; saturates to ±1.
//   erf256      Maclaurin series for |x| < 0.5 (relative error ~1e-7), else Abramowitz-Stegun
//               7.1.26 (absolute error below 2e-7 against std::erf); ±1 for large |x|.
//
// Row helpers:
//   activateRow(act, alpha, beta, y, n)   y[i] = Epilogue::applyActivation(act, y[i], alpha, beta),
//                                          vectorized for ReLU, leaky ReLU, clip, sigmoid, tanh and a
//                                          few more; the rest element by element with the scalar formula.
//   epilogueRow(ep, y, residual, n)        y[i] = ep.activate(y[i] + residual[i]) (residual may be null).
#pragma once

#include "layers/epilogue.h"

#include <immintrin.h>

#include <cstdint>

namespace kiln::kernels::cpu::avx2
{

inline __m256 exp256(__m256 x)
{
    const __m256 hi = _mm256_set1_ps(88.72283935546875f);
    const __m256 lo = _mm256_set1_ps(-87.33654022216797f);
    const __m256 overflow = _mm256_cmp_ps(x, hi, _CMP_GT_OQ);
    const __m256 underflow = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
    __m256 v = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
    // n = round(x / ln2); r = x - n·ln2 in two parts (Cody-Waite).
    const __m256 n = _mm256_round_ps(
        _mm256_mul_ps(v, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    v = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), v);
    v = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), v);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, v, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, v, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, v, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, v, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, v, _mm256_set1_ps(5.0000001201e-1f));
    const __m256 v2 = _mm256_mul_ps(v, v);
    p = _mm256_fmadd_ps(p, v2, _mm256_add_ps(v, _mm256_set1_ps(1.f)));
    // 2^n in two halves so that n = 128 (x just below the overflow bound) stays finite.
    const __m256i ni = _mm256_cvtps_epi32(n);
    const __m256i half = _mm256_srai_epi32(ni, 1);
    const __m256i bias = _mm256_set1_epi32(127);
    const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(ni, half), bias), 23));
    p = _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
    p = _mm256_blendv_ps(p, _mm256_set1_ps(__builtin_inff()), overflow);
    p = _mm256_andnot_ps(underflow, p);
    // NaN in, NaN out (the clamps above would have turned it into a number).
    const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
    return _mm256_blendv_ps(p, x, nan);
}

inline __m256 sigmoid256(__m256 x)
{
    const __m256 one = _mm256_set1_ps(1.f);
    const __m256 e = exp256(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return _mm256_div_ps(one, _mm256_add_ps(one, e));
}

inline __m256 tanh256(__m256 x)
{
    const __m256 signMask = _mm256_set1_ps(-0.f);
    const __m256 ax = _mm256_andnot_ps(signMask, x);
    const __m256 sign = _mm256_and_ps(signMask, x);
    // Small |x|: x + x·z·P(z), z = x².
    const __m256 z = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
    const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x);
    // Large |x|: 1 - 2 / (e^{2|x|} + 1), which tends to 1 (e = +inf gives exactly 1).
    const __m256 one = _mm256_set1_ps(1.f);
    const __m256 e = exp256(_mm256_add_ps(ax, ax));
    const __m256 large = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.f), _mm256_add_ps(e, one)));
    const __m256 isSmall = _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ);
    const __m256 r = _mm256_blendv_ps(_mm256_or_ps(large, sign), small, isSmall);
    const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
    return _mm256_blendv_ps(r, x, nan);
}

inline __m256 erf256(__m256 x)
{
    const __m256 signMask = _mm256_set1_ps(-0.f);
    const __m256 ax = _mm256_andnot_ps(signMask, x);
    const __m256 sign = _mm256_and_ps(signMask, x);
    // |x| < 0.5: the Maclaurin series x·(2/sqrt(pi))·(1 - z/3 + z²/10 - z³/42 + z⁴/216 - z⁵/1320),
    // z = x² (the next term is below 2e-8 there).
    const __m256 z = _mm256_mul_ps(x, x);
    __m256 s = _mm256_set1_ps(-8.548327e-4f);
    s = _mm256_fmadd_ps(s, z, _mm256_set1_ps(5.2239776e-3f));
    s = _mm256_fmadd_ps(s, z, _mm256_set1_ps(-2.6866170e-2f));
    s = _mm256_fmadd_ps(s, z, _mm256_set1_ps(1.1283792e-1f));
    s = _mm256_fmadd_ps(s, z, _mm256_set1_ps(-3.7612639e-1f));
    s = _mm256_fmadd_ps(s, z, _mm256_set1_ps(1.1283792f));
    const __m256 small = _mm256_mul_ps(s, x);
    // Otherwise 1 - t·P(t)·e^(-x²), t = 1 / (1 + 0.3275911|x|) (Abramowitz-Stegun 7.1.26,
    // absolute error below 1.5e-7), with the sign restored; e^(-x²) underflows to 0 for large |x|.
    const __m256 one = _mm256_set1_ps(1.f);
    const __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(_mm256_set1_ps(0.3275911f), ax, one));
    __m256 p = _mm256_set1_ps(1.061405429f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.453152027f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.421413741f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.284496736f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.254829592f));
    const __m256 e = exp256(_mm256_sub_ps(_mm256_setzero_ps(), z));
    const __m256 large = _mm256_or_ps(_mm256_fnmadd_ps(_mm256_mul_ps(p, t), e, one), sign);
    const __m256 r = _mm256_blendv_ps(large, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.5f), _CMP_LT_OQ));
    const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
    return _mm256_blendv_ps(r, x, nan);
}

//! Lanes 0, 2, ..., 14 (evenLanes) or 1, 3, ..., 15 (oddLanes) of the 16 floats a:b.
inline __m256 evenLanes(__m256 a, __m256 b)
{
    const __m256 t = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(t), _MM_SHUFFLE(3, 1, 2, 0)));
}
inline __m256 oddLanes(__m256 a, __m256 b)
{
    const __m256 t = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(t), _MM_SHUFFLE(3, 1, 2, 0)));
}

//! How a window tap's inputs for 8 consecutive outputs of a strided window are loaded.
enum LoadMode
{
    kGather = 0,     // any stride: reads exactly the 8 inputs
    kContiguous = 1, // stride 1
    kEvenOdd = 2,    // stride 2: reads 16 inputs from p, the caller keeps p + 15 inside the row
};

//! The 8 values p[0], p[s], ..., p[7·s] (s = 1 for kContiguous, 2 for kEvenOdd; gatherIndex = i·s).
template <int Mode> inline __m256 loadTap(const float* p, __m256i gatherIndex)
{
    if constexpr (Mode == kContiguous)
        return _mm256_loadu_ps(p);
    else if constexpr (Mode == kEvenOdd)
        return evenLanes(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8));
    else
        return _mm256_i32gather_ps(p, gatherIndex, 4);
}

//! The lanes [0, n) of a mask for maskload/maskstore, n in [0, 8].
inline __m256i tailMask(int64_t n)
{
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int32_t>(n)), lanes);
}

//! The vectorized activations (the ones activateRow does 8 at a time).
inline bool isVectorActivation(nvinfer1::ActivationType a)
{
    using nvinfer1::ActivationType;
    switch (a)
    {
    case ActivationType::kRELU:
    case ActivationType::kLEAKY_RELU:
    case ActivationType::kCLIP:
    case ActivationType::kSIGMOID:
    case ActivationType::kTANH:
    case ActivationType::kSCALED_TANH:
    case ActivationType::kHARD_SIGMOID:
    case ActivationType::kSOFTSIGN:
    case ActivationType::kTHRESHOLDED_RELU:
    case ActivationType::kELU:
    case ActivationType::kSELU: return true;
    default: return false;
    }
}

//! One vector of activation \p a (one of isVectorActivation's), with the scalar formulas' semantics.
template <nvinfer1::ActivationType A> inline __m256 activate256(__m256 x, __m256 alpha, __m256 beta)
{
    using nvinfer1::ActivationType;
    const __m256 zero = _mm256_setzero_ps();
    const __m256 one = _mm256_set1_ps(1.f);
    if constexpr (A == ActivationType::kRELU)
        return _mm256_and_ps(x, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    else if constexpr (A == ActivationType::kLEAKY_RELU)
        return _mm256_blendv_ps(_mm256_mul_ps(alpha, x), x, _mm256_cmp_ps(x, zero, _CMP_GE_OQ));
    else if constexpr (A == ActivationType::kCLIP)
        return _mm256_max_ps(_mm256_min_ps(x, beta), alpha); // operand order keeps std::min/max's NaN rule
    else if constexpr (A == ActivationType::kSIGMOID)
        return sigmoid256(x);
    else if constexpr (A == ActivationType::kTANH)
        return tanh256(x);
    else if constexpr (A == ActivationType::kSCALED_TANH)
        return _mm256_mul_ps(alpha, tanh256(_mm256_mul_ps(beta, x)));
    else if constexpr (A == ActivationType::kHARD_SIGMOID)
        return _mm256_max_ps(_mm256_min_ps(_mm256_fmadd_ps(alpha, x, beta), one), zero);
    else if constexpr (A == ActivationType::kSOFTSIGN)
        return _mm256_div_ps(x, _mm256_add_ps(one, _mm256_andnot_ps(_mm256_set1_ps(-0.f), x)));
    else if constexpr (A == ActivationType::kTHRESHOLDED_RELU)
        return _mm256_and_ps(x, _mm256_cmp_ps(x, alpha, _CMP_GT_OQ));
    else if constexpr (A == ActivationType::kELU)
    {
        const __m256 neg = _mm256_mul_ps(alpha, _mm256_sub_ps(exp256(x), one));
        return _mm256_blendv_ps(neg, x, _mm256_cmp_ps(x, zero, _CMP_GE_OQ));
    }
    else if constexpr (A == ActivationType::kSELU)
    {
        const __m256 neg = _mm256_mul_ps(_mm256_mul_ps(beta, alpha), _mm256_sub_ps(exp256(x), one));
        return _mm256_blendv_ps(neg, _mm256_mul_ps(beta, x), _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
    }
    else
        return x;
}

template <nvinfer1::ActivationType A>
inline void activateRowT(float* y, const float* x, const float* residual, int64_t n, float alphaS, float betaS)
{
    const __m256 alpha = _mm256_set1_ps(alphaS);
    const __m256 beta = _mm256_set1_ps(betaS);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
    {
        __m256 v = _mm256_loadu_ps(x + i);
        if (residual)
            v = _mm256_add_ps(v, _mm256_loadu_ps(residual + i));
        _mm256_storeu_ps(y + i, activate256<A>(v, alpha, beta));
    }
    if (i < n)
    {
        const __m256i m = tailMask(n - i);
        __m256 v = _mm256_maskload_ps(x + i, m);
        if (residual)
            v = _mm256_add_ps(v, _mm256_maskload_ps(residual + i, m));
        _mm256_maskstore_ps(y + i, m, activate256<A>(v, alpha, beta));
    }
}

//! y[i] = act(x[i] + residual[i]) for i in [0, n); \p residual may be null, \p y may equal \p x.
inline void activateRow(
    nvinfer1::ActivationType act, float alpha, float beta, float* y, const float* x, const float* residual, int64_t n)
{
    using nvinfer1::ActivationType;
    switch (act)
    {
    case ActivationType::kRELU: return activateRowT<ActivationType::kRELU>(y, x, residual, n, alpha, beta);
    case ActivationType::kLEAKY_RELU: return activateRowT<ActivationType::kLEAKY_RELU>(y, x, residual, n, alpha, beta);
    case ActivationType::kCLIP: return activateRowT<ActivationType::kCLIP>(y, x, residual, n, alpha, beta);
    case ActivationType::kSIGMOID: return activateRowT<ActivationType::kSIGMOID>(y, x, residual, n, alpha, beta);
    case ActivationType::kTANH: return activateRowT<ActivationType::kTANH>(y, x, residual, n, alpha, beta);
    case ActivationType::kSCALED_TANH:
        return activateRowT<ActivationType::kSCALED_TANH>(y, x, residual, n, alpha, beta);
    case ActivationType::kHARD_SIGMOID:
        return activateRowT<ActivationType::kHARD_SIGMOID>(y, x, residual, n, alpha, beta);
    case ActivationType::kSOFTSIGN: return activateRowT<ActivationType::kSOFTSIGN>(y, x, residual, n, alpha, beta);
    case ActivationType::kTHRESHOLDED_RELU:
        return activateRowT<ActivationType::kTHRESHOLDED_RELU>(y, x, residual, n, alpha, beta);
    case ActivationType::kELU: return activateRowT<ActivationType::kELU>(y, x, residual, n, alpha, beta);
    case ActivationType::kSELU: return activateRowT<ActivationType::kSELU>(y, x, residual, n, alpha, beta);
    default:
        for (int64_t i = 0; i < n; ++i)
            y[i] = layers::Epilogue::applyActivation(act, residual ? x[i] + residual[i] : x[i], alpha, beta);
        return;
    }
}

//! y[i] = ep.activate(y[i] + residual[i]) for i in [0, n); \p residual may be null.
inline void epilogueRow(const layers::Epilogue& ep, float* y, const float* residual, int64_t n)
{
    if (ep.hasActivation)
        activateRow(ep.activation, ep.alpha, ep.beta, y, y, residual, n);
    else if (residual)
    {
        int64_t i = 0;
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_loadu_ps(residual + i)));
        for (; i < n; ++i)
            y[i] += residual[i];
    }
}

} // namespace kiln::kernels::cpu::avx2
