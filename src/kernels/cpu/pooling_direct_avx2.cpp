#include "kernels/cpu/pooling_direct.h"
#include "kernels/cpu/vector_math_avx2.h"

#include <algorithm>
#include <limits>

namespace kiln::kernels::cpu::avx2
{

namespace
{

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

//! One output row's in-range input rows and its vertical cell counts.
struct RowInfo
{
    const float* first; //!< the first input row inside the window
    int64_t step;       //!< floats between consecutive rows
    int32_t count;      //!< rows inside the input
    int64_t padded;     //!< rows inside the padded input
};

struct RowArgs
{
    int64_t stride;
    int64_t pre;
    int32_t fw;
    __m256i gatherIndex;
};

//! Max and sum accumulators of 8 outputs; `v` is always the first operand of max so that a NaN
//! input never wins, as in the reference's std::max.
template <bool Max, bool Sum> struct Acc
{
    __m256 max = _mm256_set1_ps(kNegInf);
    __m256 sum = _mm256_setzero_ps();
    void add(__m256 v)
    {
        if constexpr (Max)
            max = _mm256_max_ps(v, max);
        if constexpr (Sum)
            sum = _mm256_add_ps(sum, v);
    }
    void merge(const Acc& o)
    {
        if constexpr (Max)
            max = _mm256_max_ps(o.max, max);
        if constexpr (Sum)
            sum = _mm256_add_ps(sum, o.sum);
    }
    //! The output: max, sum / count or the blend of both.
    __m256 result(__m256 invCount, __m256 blend) const
    {
        if constexpr (Max && Sum)
            return _mm256_fmadd_ps(
                blend, max, _mm256_mul_ps(_mm256_sub_ps(_mm256_set1_ps(1.f), blend), _mm256_mul_ps(sum, invCount)));
        else if constexpr (Max)
            return max;
        else
            return _mm256_mul_ps(sum, invCount);
    }
};

//! Interior outputs [begin, end) (a multiple of 8 apart), window width FW (0: a.fw at run time).
template <int FW, int Mode, bool Max, bool Sum>
void interior(const RowInfo& r, const RowArgs& a, float* y, int64_t begin, int64_t end, __m256 invCount, __m256 blend)
{
    const int32_t fw = FW > 0 ? FW : a.fw;
    for (int64_t ow = begin; ow < end; ow += 8)
    {
        const int64_t base = ow * a.stride - a.pre;
        Acc<Max, Sum> acc;
        if constexpr (Mode == kEvenOdd && FW > 0)
        {
            // Reduce the raw 16-float pairs over the rows first, then split each pair once: the
            // pair at offset 2j gives tap 2j (even lanes) and tap 2j + 1 (odd lanes).
            constexpr int kPairs = (FW + 1) / 2;
            Acc<Max, Sum> lo[kPairs];
            Acc<Max, Sum> hi[kPairs];
            for (int32_t i = 0; i < r.count; ++i)
                for (int j = 0; j < kPairs; ++j)
                {
                    lo[j].add(_mm256_loadu_ps((r.first + i * r.step) + base + 2 * j));
                    hi[j].add(_mm256_loadu_ps((r.first + i * r.step) + base + 2 * j + 8));
                }
            for (int j = 0; j < kPairs; ++j)
            {
                Acc<Max, Sum> even;
                even.max = evenLanes(lo[j].max, hi[j].max);
                even.sum = evenLanes(lo[j].sum, hi[j].sum);
                acc.merge(even);
                if (2 * j + 1 < FW)
                {
                    Acc<Max, Sum> odd;
                    odd.max = oddLanes(lo[j].max, hi[j].max);
                    odd.sum = oddLanes(lo[j].sum, hi[j].sum);
                    acc.merge(odd);
                }
            }
        }
        else
        {
            for (int32_t i = 0; i < r.count; ++i)
            {
                const float* row = (r.first + i * r.step) + base;
                for (int32_t f = 0; f < fw; ++f)
                    acc.add(loadTap<Mode>(row + f, a.gatherIndex));
            }
        }
        _mm256_storeu_ps(y + ow, acc.result(invCount, blend));
    }
}

template <int FW, bool Max, bool Sum>
void interiorModes(const RowInfo& r, const RowArgs& a, float* y, int64_t begin, int64_t end, int64_t evenOddEnd,
    __m256 invCount, __m256 blend)
{
    // evenOddEnd: where the stride-2 split (reading 16 floats per tap pair) stops being safe.
    int64_t done = begin;
    const int64_t full = begin + (end - begin) / 8 * 8;
    if (a.stride == 1)
    {
        interior<FW, kContiguous, Max, Sum>(r, a, y, begin, full, invCount, blend);
        done = full;
    }
    else if (a.stride == 2)
    {
        done = std::min(full, evenOddEnd);
        interior<FW, kEvenOdd, Max, Sum>(r, a, y, begin, done, invCount, blend);
    }
    const int64_t rest = done + (end - done) / 8 * 8;
    interior<FW, kGather, Max, Sum>(r, a, y, done, rest, invCount, blend);
    // The last few overlap what is done (the same values are written again).
    if (rest < end)
    {
        if (a.stride == 1)
            interior<FW, kContiguous, Max, Sum>(r, a, y, end - 8, end, invCount, blend);
        else
            interior<FW, kGather, Max, Sum>(r, a, y, end - 8, end, invCount, blend);
    }
}

template <bool Max, bool Sum>
void interiorWindows(const RowInfo& r, const RowArgs& a, float* y, int64_t begin, int64_t end, int64_t evenOddEnd,
    __m256 invCount, __m256 blend)
{
    if (a.fw == 2)
        interiorModes<2, Max, Sum>(r, a, y, begin, end, evenOddEnd, invCount, blend);
    else if (a.fw == 3)
        interiorModes<3, Max, Sum>(r, a, y, begin, end, evenOddEnd, invCount, blend);
    else
        interiorModes<0, Max, Sum>(r, a, y, begin, end, evenOddEnd, invCount, blend);
}

//! The reference's value for one window from its statistics.
float finish(const PoolingJob& job, float max, float sum, int64_t inside, int64_t padded)
{
    if (inside == 0)
        return 0.f;
    const float average = sum / static_cast<float>(job.excludePadding ? inside : padded);
    if (job.needMax && job.needAverage)
        return job.blend * max + (1.f - job.blend) * average;
    return job.needMax ? max : average;
}

//! Cells of [start, start + window) inside the padded input [-pre, in + post).
int64_t paddedCount(int64_t start, int64_t window, int64_t in, int64_t pre, int64_t post)
{
    return std::max<int64_t>(std::min(start + window, in + post) - std::max(start, -pre), 0);
}

float scalarOutput(const PoolingJob& job, const RowInfo& r, int32_t ow)
{
    const reference::Window3& g = job.g;
    int32_t lo = 0;
    int32_t hi = 0;
    g.taps(2, ow, lo, hi);
    const int64_t start = static_cast<int64_t>(ow) * g.stride[2] - g.pre[2];
    float max = kNegInf;
    float sum = 0.f;
    for (int32_t i = 0; i < r.count; ++i)
        for (int32_t f = lo; f < hi; ++f)
        {
            const float v = (r.first + i * r.step)[start + f];
            max = max < v ? v : max;
            sum += v;
        }
    const int64_t inside = static_cast<int64_t>(r.count) * (hi - lo);
    return finish(job, max, sum, inside, r.padded * paddedCount(start, g.window[2], g.in[2], g.pre[2], g.post[2]));
}

void computeRow(const PoolingJob& job, const RowInfo& r, const RowArgs& a, float* y)
{
    const reference::Window3& g = job.g;
    const int64_t ow = g.out[2];
    const int64_t iw = g.in[2];
    if (r.count == 0)
    {
        std::fill(y, y + ow, 0.f);
        return;
    }
    const int64_t span = a.fw - 1;
    int64_t left = std::min((a.pre + a.stride - 1) / a.stride, ow);
    int64_t right = iw - 1 - span + a.pre >= 0 ? (iw - 1 - span + a.pre) / a.stride + 1 : 0;
    right = std::clamp(right, left, ow);
    for (int64_t o = 0; o < left; ++o)
        y[o] = scalarOutput(job, r, static_cast<int32_t>(o));
    for (int64_t o = right; o < ow; ++o)
        y[o] = scalarOutput(job, r, static_cast<int32_t>(o));
    if (right - left < 8)
    {
        for (int64_t o = left; o < right; ++o)
            y[o] = scalarOutput(job, r, static_cast<int32_t>(o));
        return;
    }
    // Interior windows: every cell inside the input, so the count is rows · window width.
    const int64_t count = (job.excludePadding ? r.count : r.padded) * a.fw;
    const __m256 invCount = _mm256_set1_ps(1.f / static_cast<float>(count));
    const __m256 blend = _mm256_set1_ps(job.blend);
    // The stride-2 split reads 16 floats from the last tap pair's start (offset ≤ span): keep them in the row.
    const int64_t lastStart = iw - 16 - span + a.pre >= 0 ? (iw - 16 - span + a.pre) / 2 : -1;
    const int64_t evenOddEnd = lastStart >= left ? left + ((lastStart - left) / 8 + 1) * 8 : left;
    if (job.needMax && job.needAverage)
        interiorWindows<true, true>(r, a, y, left, right, evenOddEnd, invCount, blend);
    else if (job.needMax)
        interiorWindows<true, false>(r, a, y, left, right, evenOddEnd, invCount, blend);
    else
        interiorWindows<false, true>(r, a, y, left, right, evenOddEnd, invCount, blend);
}

//! Whole-plane reduction of n contiguous values.
void reducePlane(const float* x, int64_t n, float& maxOut, float& sumOut)
{
    __m256 max0 = _mm256_set1_ps(kNegInf);
    __m256 max1 = max0;
    __m256 sum0 = _mm256_setzero_ps();
    __m256 sum1 = sum0;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
    {
        const __m256 a = _mm256_loadu_ps(x + i);
        const __m256 b = _mm256_loadu_ps(x + i + 8);
        max0 = _mm256_max_ps(a, max0);
        max1 = _mm256_max_ps(b, max1);
        sum0 = _mm256_add_ps(sum0, a);
        sum1 = _mm256_add_ps(sum1, b);
    }
    if (i + 8 <= n)
    {
        const __m256 a = _mm256_loadu_ps(x + i);
        max0 = _mm256_max_ps(a, max0);
        sum0 = _mm256_add_ps(sum0, a);
        i += 8;
    }
    if (i < n)
    {
        const __m256i m = tailMask(n - i);
        const __m256 a = _mm256_maskload_ps(x + i, m);
        max1 = _mm256_max_ps(_mm256_blendv_ps(_mm256_set1_ps(kNegInf), a, _mm256_castsi256_ps(m)), max1);
        sum1 = _mm256_add_ps(sum1, a);
    }
    alignas(32) float m[8];
    alignas(32) float s[8];
    _mm256_store_ps(m, _mm256_max_ps(max0, max1));
    _mm256_store_ps(s, _mm256_add_ps(sum0, sum1));
    float mx = m[0];
    float sm = s[0];
    for (int k = 1; k < 8; ++k)
    {
        mx = mx < m[k] ? m[k] : mx;
        sm += s[k];
    }
    maxOut = mx;
    sumOut = sm;
}

} // namespace

void runPooling(const PoolingJob& job, int64_t begin, int64_t end)
{
    const reference::Window3& g = job.g;
    const int64_t inPlane = g.inPlane();
    const int64_t outPlane = g.outPlane();
    if (job.global)
    {
        const int64_t padded = paddedCount(-g.pre[1], g.window[1], g.in[1], g.pre[1], g.post[1])
            * paddedCount(-g.pre[2], g.window[2], g.in[2], g.pre[2], g.post[2]);
        for (int64_t plane = begin; plane < end; ++plane)
        {
            float max = 0.f;
            float sum = 0.f;
            reducePlane(job.x + plane * inPlane, inPlane, max, sum);
            job.y[plane] = finish(job, max, sum, inPlane, padded);
        }
        return;
    }
    RowArgs a;
    a.stride = g.stride[2];
    a.pre = g.pre[2];
    a.fw = g.window[2];
    a.gatherIndex = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(g.stride[2]));
    RowInfo r;
    for (int64_t item = begin; item < end; ++item)
    {
        const int64_t plane = item / job.itemsPerPlane;
        const int64_t block = item % job.itemsPerPlane;
        const float* x = job.x + plane * inPlane;
        const int64_t rowBegin = block * job.rowsPerItem;
        const int64_t rowEnd = std::min<int64_t>(rowBegin + job.rowsPerItem, g.out[1]);
        for (int64_t oh = rowBegin; oh < rowEnd; ++oh)
        {
            int32_t lo = 0;
            int32_t hi = 0;
            g.taps(1, static_cast<int32_t>(oh), lo, hi);
            const int64_t start = oh * g.stride[1] - g.pre[1];
            r.first = x + (start + lo) * g.in[2];
            r.step = g.in[2];
            r.count = hi - lo;
            r.padded = paddedCount(start, g.window[1], g.in[1], g.pre[1], g.post[1]);
            computeRow(job, r, a, job.y + plane * outPlane + oh * g.out[2]);
        }
    }
}

} // namespace kiln::kernels::cpu::avx2
