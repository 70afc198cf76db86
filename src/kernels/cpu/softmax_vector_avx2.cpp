#include "kernels/cpu/softmax_vector.h"
#include "kernels/cpu/vector_math_avx2.h"

#include <algorithm>
#include <limits>

namespace kiln::kernels::cpu::avx2
{

namespace
{

float horizontalMax(__m256 v)
{
    alignas(32) float l[8];
    _mm256_store_ps(l, v);
    float m = l[0];
    for (int k = 1; k < 8; ++k)
        m = m < l[k] ? l[k] : m;
    return m;
}

double horizontalSum(__m256 v)
{
    alignas(32) float l[8];
    _mm256_store_ps(l, v);
    double s = 0.0;
    for (float x : l)
        s += x;
    return s;
}

void softmaxLine(const float* x, float* y, int64_t n)
{
    const __m256 negInf = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    // x first in max: a NaN never wins, as with the reference's std::max.
    __m256 m = negInf;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        m = _mm256_max_ps(_mm256_loadu_ps(x + i), m);
    const __m256i tail = tailMask(n - i);
    if (i < n)
        m = _mm256_max_ps(_mm256_blendv_ps(negInf, _mm256_maskload_ps(x + i, tail), _mm256_castsi256_ps(tail)), m);
    const __m256 max = _mm256_set1_ps(horizontalMax(m));
    __m256 sum = _mm256_setzero_ps();
    for (i = 0; i + 8 <= n; i += 8)
    {
        const __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), max));
        _mm256_storeu_ps(y + i, e);
        sum = _mm256_add_ps(sum, e);
    }
    if (i < n)
    {
        const __m256 e = exp256(_mm256_sub_ps(_mm256_maskload_ps(x + i, tail), max));
        _mm256_maskstore_ps(y + i, tail, e);
        sum = _mm256_add_ps(sum, _mm256_and_ps(e, _mm256_castsi256_ps(tail)));
    }
    const __m256 scale = _mm256_set1_ps(static_cast<float>(1.0 / horizontalSum(sum)));
    for (i = 0; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_loadu_ps(y + i), scale));
    if (i < n)
        _mm256_maskstore_ps(y + i, tail, _mm256_mul_ps(_mm256_maskload_ps(y + i, tail), scale));
}

//! Up to 8 neighbouring lines along an outer axis (stride \p inner), one per lane of \p lanes.
void softmaxColumns(const float* x, float* y, int64_t n, int64_t inner, __m256i lanes)
{
    __m256 m = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    for (int64_t j = 0; j < n; ++j)
        m = _mm256_max_ps(_mm256_maskload_ps(x + j * inner, lanes), m);
    __m256 sum = _mm256_setzero_ps();
    for (int64_t j = 0; j < n; ++j)
    {
        const __m256 e = exp256(_mm256_sub_ps(_mm256_maskload_ps(x + j * inner, lanes), m));
        _mm256_maskstore_ps(y + j * inner, lanes, e);
        sum = _mm256_add_ps(sum, e);
    }
    const __m256 scale = _mm256_div_ps(_mm256_set1_ps(1.f), sum);
    for (int64_t j = 0; j < n; ++j)
        _mm256_maskstore_ps(y + j * inner, lanes, _mm256_mul_ps(_mm256_maskload_ps(y + j * inner, lanes), scale));
}

} // namespace

void runSoftMax(const SoftMaxJob& job, int64_t begin, int64_t end)
{
    if (job.inner == 1)
    {
        for (int64_t line = begin; line < end; ++line)
            softmaxLine(job.x + line * job.length, job.y + line * job.length, job.length);
        return;
    }
    const int64_t blocks = (job.inner + 7) / 8;
    for (int64_t item = begin; item < end; ++item)
    {
        const int64_t outer = item / blocks;
        const int64_t first = item % blocks * 8;
        const int64_t offset = outer * job.length * job.inner + first;
        softmaxColumns(job.x + offset, job.y + offset, job.length, job.inner, tailMask(std::min<int64_t>(8, job.inner - first)));
    }
}

} // namespace kiln::kernels::cpu::avx2
