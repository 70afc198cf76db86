#include "kernels/cpu/scale_vector.h"
#include "kernels/cpu/vector_math_avx2.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::cpu::avx2
{

namespace
{

//! y = x·s + t over n elements, one weight for all (PerElement false) or a weight per element.
template <bool PerElement, bool HasScale, bool HasShift>
void affine(const float* x, float* y, int64_t n, const float* s, const float* t)
{
    const __m256 vs = _mm256_set1_ps(HasScale ? s[0] : 1.f);
    const __m256 vt = _mm256_set1_ps(HasShift ? t[0] : 0.f);
    auto one = [&](__m256 v, int64_t i, __m256i mask, bool masked) {
        __m256 sv = vs;
        __m256 tv = vt;
        if constexpr (PerElement)
        {
            if (HasScale)
                sv = masked ? _mm256_maskload_ps(s + i, mask) : _mm256_loadu_ps(s + i);
            if (HasShift)
                tv = masked ? _mm256_maskload_ps(t + i, mask) : _mm256_loadu_ps(t + i);
        }
        if constexpr (HasScale && HasShift)
            return _mm256_fmadd_ps(v, sv, tv);
        else if constexpr (HasScale)
            return _mm256_mul_ps(v, sv);
        else if constexpr (HasShift)
            return _mm256_add_ps(v, tv);
        else
            return v;
    };
    const __m256i none = _mm256_setzero_si256();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
    {
        const __m256 a = one(_mm256_loadu_ps(x + i), i, none, false);
        const __m256 b = one(_mm256_loadu_ps(x + i + 8), i + 8, none, false);
        _mm256_storeu_ps(y + i, a);
        _mm256_storeu_ps(y + i + 8, b);
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, one(_mm256_loadu_ps(x + i), i, none, false));
    if (i < n)
    {
        const __m256i m = tailMask(n - i);
        _mm256_maskstore_ps(y + i, m, one(_mm256_maskload_ps(x + i, m), i, m, true));
    }
}

template <bool PerElement> void affineRun(const float* x, float* y, int64_t n, const float* s, const float* t)
{
    if (s && t)
        affine<PerElement, true, true>(x, y, n, s, t);
    else if (s)
        affine<PerElement, true, false>(x, y, n, s, t);
    else if (t)
        affine<PerElement, false, true>(x, y, n, s, t);
    else
        affine<PerElement, false, false>(x, y, n, s, t);
}

} // namespace

void runScale(const ScaleJob& job, int64_t begin, int64_t end)
{
    int64_t i = begin;
    while (i < end)
    {
        int64_t w = 0;
        int64_t n = 0;
        if (job.perElement)
        {
            w = job.channels > 0 ? i % job.channels : 0;
            n = std::min(job.channels - w, end - i);
        }
        else
        {
            w = job.inner > 0 && job.channels > 0 ? (i / job.inner) % job.channels : 0;
            n = std::min(job.inner - i % job.inner, end - i);
        }
        const float* s = job.scale ? job.scale + w : nullptr;
        const float* t = job.shift ? job.shift + w : nullptr;
        if (job.perElement)
            affineRun<true>(job.x + i, job.y + i, n, s, t);
        else
            affineRun<false>(job.x + i, job.y + i, n, s, t);
        if (job.power)
            for (int64_t k = 0; k < n; ++k)
                job.y[i + k] = std::pow(job.y[i + k], job.power[job.perElement ? w + k : w]);
        i += n;
    }
}

} // namespace kiln::kernels::cpu::avx2
