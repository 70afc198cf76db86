#include "kernels/cpu/depthwise_conv.h"
#include "kernels/cpu/vector_math_avx2.h"

#include <algorithm>

namespace kiln::kernels::cpu::avx2
{

namespace
{

//! One output row's geometry: the in-range input rows and their kernel rows.
struct RowTaps
{
    const float* first;   //!< the first input row inside the window
    int64_t step;         //!< floats between the rows of consecutive taps
    const float* weights; //!< kernel row of the first row; row r at weights + r·KW
    int32_t count;
};

struct RowArgs
{
    int64_t stride;
    int64_t dilation;
    int64_t pre;
    int32_t kw;
    float bias;
    __m256i gatherIndex;
};

//! Outputs [begin, end) of a row, 8 at a time (end - begin a multiple of 8), with NR kernel rows
//! and a KW-wide kernel known at compile time: the weights stay in registers.
template <int NR, int KW, int Mode>
void vectorsFixed(const RowTaps& t, const RowArgs& a, float* y, int64_t begin, int64_t end)
{
    __m256 w[NR * KW];
    for (int i = 0; i < NR * KW; ++i)
        w[i] = _mm256_set1_ps(t.weights[i]);
    const float* rows[NR];
    for (int r = 0; r < NR; ++r)
        rows[r] = t.first + r * t.step;
    const __m256 bias = _mm256_set1_ps(a.bias);
    auto one = [&](int64_t ow) {
        const int64_t base = ow * a.stride - a.pre;
        __m256 acc0 = bias;
        __m256 acc1 = _mm256_setzero_ps();
        for (int r = 0; r < NR; ++r)
            for (int f = 0; f < KW; ++f)
            {
                const __m256 v = loadTap<Mode>(rows[r] + base + f * a.dilation, a.gatherIndex);
                if ((r * KW + f) % 2 == 0)
                    acc0 = _mm256_fmadd_ps(v, w[r * KW + f], acc0);
                else
                    acc1 = _mm256_fmadd_ps(v, w[r * KW + f], acc1);
            }
        return _mm256_add_ps(acc0, acc1);
    };
    int64_t ow = begin;
    for (; ow + 16 <= end; ow += 16)
    {
        const __m256 v0 = one(ow);
        const __m256 v1 = one(ow + 8);
        _mm256_storeu_ps(y + ow, v0);
        _mm256_storeu_ps(y + ow + 8, v1);
    }
    for (; ow < end; ow += 8)
        _mm256_storeu_ps(y + ow, one(ow));
}

//! As vectorsFixed with the kernel extents known only at run time.
template <int Mode> void vectorsGeneric(const RowTaps& t, const RowArgs& a, float* y, int64_t begin, int64_t end)
{
    const __m256 bias = _mm256_set1_ps(a.bias);
    for (int64_t ow = begin; ow < end; ow += 8)
    {
        const int64_t base = ow * a.stride - a.pre;
        __m256 acc0 = bias;
        __m256 acc1 = _mm256_setzero_ps();
        for (int32_t r = 0; r < t.count; ++r)
        {
            const float* row = t.first + r * t.step + base;
            const float* wr = t.weights + static_cast<int64_t>(r) * a.kw;
            int32_t f = 0;
            for (; f + 2 <= a.kw; f += 2)
            {
                acc0 = _mm256_fmadd_ps(
                    loadTap<Mode>(row + f * a.dilation, a.gatherIndex), _mm256_broadcast_ss(wr + f), acc0);
                acc1 = _mm256_fmadd_ps(
                    loadTap<Mode>(row + (f + 1) * a.dilation, a.gatherIndex), _mm256_broadcast_ss(wr + f + 1), acc1);
            }
            if (f < a.kw)
                acc0 = _mm256_fmadd_ps(
                    loadTap<Mode>(row + f * a.dilation, a.gatherIndex), _mm256_broadcast_ss(wr + f), acc0);
        }
        _mm256_storeu_ps(y + ow, _mm256_add_ps(acc0, acc1));
    }
}

template <int Mode> void vectors(const RowTaps& t, const RowArgs& a, float* y, int64_t begin, int64_t end)
{
    if (begin >= end)
        return;
    if (a.kw == 3)
        switch (t.count)
        {
        case 1: return vectorsFixed<1, 3, Mode>(t, a, y, begin, end);
        case 2: return vectorsFixed<2, 3, Mode>(t, a, y, begin, end);
        case 3: return vectorsFixed<3, 3, Mode>(t, a, y, begin, end);
        default: break;
        }
    if (a.kw == 5)
        switch (t.count)
        {
        case 1: return vectorsFixed<1, 5, Mode>(t, a, y, begin, end);
        case 2: return vectorsFixed<2, 5, Mode>(t, a, y, begin, end);
        case 3: return vectorsFixed<3, 5, Mode>(t, a, y, begin, end);
        case 4: return vectorsFixed<4, 5, Mode>(t, a, y, begin, end);
        case 5: return vectorsFixed<5, 5, Mode>(t, a, y, begin, end);
        default: break;
        }
    vectorsGeneric<Mode>(t, a, y, begin, end);
}

//! One output with only the taps inside the input (the border columns).
float scalarOutput(const reference::Window3& g, const RowTaps& t, const RowArgs& a, int32_t ow)
{
    int32_t lo = 0;
    int32_t hi = 0;
    g.taps(2, ow, lo, hi);
    const int64_t base = ow * a.stride - a.pre;
    float acc = a.bias;
    for (int32_t r = 0; r < t.count; ++r)
        for (int32_t f = lo; f < hi; ++f)
            acc += (t.first + r * t.step)[base + f * a.dilation] * t.weights[static_cast<int64_t>(r) * a.kw + f];
    return acc;
}

void computeRow(const reference::Window3& g, const RowTaps& t, const RowArgs& a, float* y)
{
    const int64_t ow = g.out[2];
    const int64_t iw = g.in[2];
    const int64_t span = static_cast<int64_t>(a.kw - 1) * a.dilation; // first to last tap
    // Interior [left, right): every tap of the window inside the input.
    int64_t left = (a.pre + a.stride - 1) / a.stride;
    int64_t right = iw - 1 - span + a.pre >= 0 ? (iw - 1 - span + a.pre) / a.stride + 1 : 0;
    left = std::min(left, ow);
    right = std::clamp(right, left, ow);
    for (int64_t o = 0; o < left; ++o)
        y[o] = scalarOutput(g, t, a, static_cast<int32_t>(o));
    for (int64_t o = right; o < ow; ++o)
        y[o] = scalarOutput(g, t, a, static_cast<int32_t>(o));
    const int64_t width = right - left;
    if (width < 8)
    {
        for (int64_t o = left; o < right; ++o)
            y[o] = scalarOutput(g, t, a, static_cast<int32_t>(o));
        return;
    }
    int64_t done = left;
    if (a.stride == 1)
    {
        done = left + width / 8 * 8;
        vectors<kContiguous>(t, a, y, left, done);
    }
    else if (a.stride == 2)
    {
        // The even/odd split reads 16 inputs from the first tap: keep them inside the row.
        const int64_t lastStart = (iw - 16 - span + a.pre) >= 0 ? (iw - 16 - span + a.pre) / 2 : -1;
        const int64_t count = lastStart >= left ? std::min((lastStart - left) / 8 + 1, width / 8) : 0;
        done = left + count * 8;
        vectors<kEvenOdd>(t, a, y, left, done);
    }
    // The rest 8 at a time, the last 8 overlapping what is done (the same values written twice).
    const int64_t full = done + (right - done) / 8 * 8;
    if (a.stride == 1)
    {
        if (full < right)
            vectors<kContiguous>(t, a, y, right - 8, right);
        return;
    }
    vectors<kGather>(t, a, y, done, full);
    if (full < right)
        vectors<kGather>(t, a, y, right - 8, right);
}

} // namespace

void runDepthwise(const DepthwiseJob& job, int64_t begin, int64_t end)
{
    const reference::Window3& g = job.g;
    const int64_t kh = g.window[1];
    const int64_t kw = g.window[2];
    const int64_t inPlane = g.inPlane();
    const int64_t outPlane = g.outPlane();
    RowArgs a;
    a.stride = g.stride[2];
    a.dilation = g.dilation[2];
    a.pre = g.pre[2];
    a.kw = static_cast<int32_t>(kw);
    a.gatherIndex = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
        _mm256_set1_epi32(static_cast<int32_t>(std::min<int64_t>(a.stride, 1 << 20))));
    RowTaps t;
    for (int64_t item = begin; item < end; ++item)
    {
        const int64_t plane = item / job.itemsPerPlane; // n·K + k
        const int64_t block = item % job.itemsPerPlane;
        const int64_t n = plane / job.maps;
        const int64_t k = plane % job.maps;
        const float* x = job.x + (n * job.channels + k / job.multiplier) * inPlane;
        const float* wk = job.w + k * kh * kw;
        a.bias = job.bias ? job.bias[k] : 0.f;
        const int64_t rowBegin = block * job.rowsPerItem;
        const int64_t rowEnd = std::min<int64_t>(rowBegin + job.rowsPerItem, g.out[1]);
        for (int64_t oh = rowBegin; oh < rowEnd; ++oh)
        {
            int32_t lo = 0;
            int32_t hi = 0;
            g.taps(1, static_cast<int32_t>(oh), lo, hi);
            const int64_t h0 = oh * g.stride[1] - g.pre[1];
            t.weights = wk + lo * kw;
            t.first = x + (h0 + static_cast<int64_t>(lo) * g.dilation[1]) * g.in[2];
            t.step = static_cast<int64_t>(g.dilation[1]) * g.in[2];
            t.count = hi - lo;
            float* y = job.y + plane * outPlane + oh * g.out[2];
            computeRow(g, t, a, y);
            const float* residual = job.residual ? job.residual + plane * outPlane + oh * g.out[2] : nullptr;
            if (!job.epilogue->empty())
                epilogueRow(*job.epilogue, y, residual, g.out[2]);
        }
    }
}

} // namespace kiln::kernels::cpu::avx2
