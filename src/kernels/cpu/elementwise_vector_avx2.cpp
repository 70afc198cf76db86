#include "kernels/cpu/elementwise_vector.h"
#include "kernels/cpu/vector_math_avx2.h"

#include <cmath>

namespace kiln::kernels::cpu::avx2
{

namespace
{

using nvinfer1::ElementWiseOperation;
using Op = nvinfer1::ElementWiseOperation;

// Float arithmetic: the vector form and the reference's scalar form of each operation.
template <Op O> inline __m256 arith(__m256 a, __m256 b)
{
    if constexpr (O == Op::kSUM)
        return _mm256_add_ps(a, b);
    else if constexpr (O == Op::kPROD)
        return _mm256_mul_ps(a, b);
    else if constexpr (O == Op::kMAX)
        return _mm256_max_ps(a, b); // a > b ? a : b
    else if constexpr (O == Op::kMIN)
        return _mm256_min_ps(a, b); // a < b ? a : b
    else if constexpr (O == Op::kSUB)
        return _mm256_sub_ps(a, b);
    else if constexpr (O == Op::kDIV)
        return _mm256_div_ps(a, b);
    else
        return _mm256_round_ps(_mm256_div_ps(a, b), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
}

template <Op O> inline float arith(float a, float b)
{
    if constexpr (O == Op::kSUM)
        return a + b;
    else if constexpr (O == Op::kPROD)
        return a * b;
    else if constexpr (O == Op::kMAX)
        return a > b ? a : b;
    else if constexpr (O == Op::kMIN)
        return a < b ? a : b;
    else if constexpr (O == Op::kSUB)
        return a - b;
    else if constexpr (O == Op::kDIV)
        return a / b;
    else
        return std::floor(a / b);
}

// SA / SB: the operand is one broadcast value.
template <Op O, bool SA, bool SB> void arithRun(const float* a, const float* b, float* y, int64_t n)
{
    const __m256 va = _mm256_set1_ps(a[0]);
    const __m256 vb = _mm256_set1_ps(b[0]);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
    {
        const __m256 a0 = SA ? va : _mm256_loadu_ps(a + i);
        const __m256 a1 = SA ? va : _mm256_loadu_ps(a + i + 8);
        const __m256 b0 = SB ? vb : _mm256_loadu_ps(b + i);
        const __m256 b1 = SB ? vb : _mm256_loadu_ps(b + i + 8);
        _mm256_storeu_ps(y + i, arith<O>(a0, b0));
        _mm256_storeu_ps(y + i + 8, arith<O>(a1, b1));
    }
    if (i + 8 <= n)
    {
        _mm256_storeu_ps(y + i, arith<O>(SA ? va : _mm256_loadu_ps(a + i), SB ? vb : _mm256_loadu_ps(b + i)));
        i += 8;
    }
    if (i < n)
    {
        const __m256i m = tailMask(n - i);
        const __m256 r = arith<O>(SA ? va : _mm256_maskload_ps(a + i, m), SB ? vb : _mm256_maskload_ps(b + i, m));
        _mm256_maskstore_ps(y + i, m, r);
    }
}

template <Op O> void arithRow(const void* a, const void* b, void* y, int64_t n, RunMode mode)
{
    const auto* fa = static_cast<const float*>(a);
    const auto* fb = static_cast<const float*>(b);
    auto* fy = static_cast<float*>(y);
    if (mode == RunMode::kBoth)
        arithRun<O, false, false>(fa, fb, fy, n);
    else if (mode == RunMode::kScalarB)
        arithRun<O, false, true>(fa, fb, fy, n);
    else
        arithRun<O, true, false>(fa, fb, fy, n);
}

void powRow(const void* a, const void* b, void* y, int64_t n, RunMode mode)
{
    const auto* fa = static_cast<const float*>(a);
    const auto* fb = static_cast<const float*>(b);
    auto* fy = static_cast<float*>(y);
    const int64_t sa = mode == RunMode::kScalarA ? 0 : 1;
    const int64_t sb = mode == RunMode::kScalarB ? 0 : 1;
    for (int64_t i = 0; i < n; ++i)
        fy[i] = std::pow(fa[i * sa], fb[i * sb]);
}

// Comparisons: FLOAT in, BOOL (0 or 1) out.
template <Op O> inline __m256 compare(__m256 a, __m256 b)
{
    if constexpr (O == Op::kEQUAL)
        return _mm256_cmp_ps(a, b, _CMP_EQ_OQ);
    else if constexpr (O == Op::kGREATER)
        return _mm256_cmp_ps(a, b, _CMP_GT_OQ);
    else
        return _mm256_cmp_ps(a, b, _CMP_LT_OQ);
}

template <Op O> inline uint8_t compare(float a, float b)
{
    if constexpr (O == Op::kEQUAL)
        return a == b;
    else if constexpr (O == Op::kGREATER)
        return a > b;
    else
        return a < b;
}

//! 8 lane masks (all ones / zero) to 8 bytes 1 / 0 at y.
inline void storeBools(uint8_t* y, __m256 mask)
{
    const __m256i m = _mm256_castps_si256(mask);
    const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(m), _mm256_extracti128_si256(m, 1));
    const __m128i bytes = _mm_packs_epi16(words, _mm_setzero_si128());
    _mm_storel_epi64(reinterpret_cast<__m128i*>(y), _mm_and_si128(bytes, _mm_set1_epi8(1)));
}

template <Op O, bool SA, bool SB> void compareRun(const float* a, const float* b, uint8_t* y, int64_t n)
{
    const __m256 va = _mm256_set1_ps(a[0]);
    const __m256 vb = _mm256_set1_ps(b[0]);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        storeBools(y + i, compare<O>(SA ? va : _mm256_loadu_ps(a + i), SB ? vb : _mm256_loadu_ps(b + i)));
    for (; i < n; ++i)
        y[i] = compare<O>(a[SA ? 0 : i], b[SB ? 0 : i]);
}

template <Op O> void compareRow(const void* a, const void* b, void* y, int64_t n, RunMode mode)
{
    const auto* fa = static_cast<const float*>(a);
    const auto* fb = static_cast<const float*>(b);
    auto* by = static_cast<uint8_t*>(y);
    if (mode == RunMode::kBoth)
        compareRun<O, false, false>(fa, fb, by, n);
    else if (mode == RunMode::kScalarB)
        compareRun<O, false, true>(fa, fb, by, n);
    else
        compareRun<O, true, false>(fa, fb, by, n);
}

// Logical: BOOL in (any non-zero byte is true), BOOL (0 or 1) out. za / zb mark false bytes.
template <Op O> inline __m256i logical(__m256i za, __m256i zb)
{
    const __m256i one = _mm256_set1_epi8(1);
    if constexpr (O == Op::kAND)
        return _mm256_andnot_si256(_mm256_or_si256(za, zb), one);
    else if constexpr (O == Op::kOR)
        return _mm256_andnot_si256(_mm256_and_si256(za, zb), one);
    else
        return _mm256_and_si256(_mm256_xor_si256(za, zb), one);
}

template <Op O> inline uint8_t logical(bool a, bool b)
{
    if constexpr (O == Op::kAND)
        return a && b;
    else if constexpr (O == Op::kOR)
        return a || b;
    else
        return a != b;
}

template <Op O, bool SA, bool SB> void logicalRun(const uint8_t* a, const uint8_t* b, uint8_t* y, int64_t n)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i za0 = _mm256_set1_epi8(static_cast<char>(a[0] == 0 ? -1 : 0));
    const __m256i zb0 = _mm256_set1_epi8(static_cast<char>(b[0] == 0 ? -1 : 0));
    int64_t i = 0;
    for (; i + 32 <= n; i += 32)
    {
        const __m256i za =
            SA ? za0 : _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)), zero);
        const __m256i zb =
            SB ? zb0 : _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i)), zero);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + i), logical<O>(za, zb));
    }
    for (; i < n; ++i)
        y[i] = logical<O>(a[SA ? 0 : i] != 0, b[SB ? 0 : i] != 0);
}

template <Op O> void logicalRow(const void* a, const void* b, void* y, int64_t n, RunMode mode)
{
    const auto* ba = static_cast<const uint8_t*>(a);
    const auto* bb = static_cast<const uint8_t*>(b);
    auto* by = static_cast<uint8_t*>(y);
    if (mode == RunMode::kBoth)
        logicalRun<O, false, false>(ba, bb, by, n);
    else if (mode == RunMode::kScalarB)
        logicalRun<O, false, true>(ba, bb, by, n);
    else
        logicalRun<O, true, false>(ba, bb, by, n);
}

} // namespace

ElementWiseRowFn elementWiseRow(ElementWiseOperation op, nvinfer1::DataType type)
{
    using nvinfer1::DataType;
    if (type == DataType::kBOOL)
        switch (op)
        {
        case Op::kAND: return logicalRow<Op::kAND>;
        case Op::kOR: return logicalRow<Op::kOR>;
        case Op::kXOR: return logicalRow<Op::kXOR>;
        default: return nullptr;
        }
    if (type != DataType::kFLOAT)
        return nullptr;
    switch (op)
    {
    case Op::kSUM: return arithRow<Op::kSUM>;
    case Op::kPROD: return arithRow<Op::kPROD>;
    case Op::kMAX: return arithRow<Op::kMAX>;
    case Op::kMIN: return arithRow<Op::kMIN>;
    case Op::kSUB: return arithRow<Op::kSUB>;
    case Op::kDIV: return arithRow<Op::kDIV>;
    case Op::kFLOOR_DIV: return arithRow<Op::kFLOOR_DIV>;
    case Op::kPOW: return powRow;
    case Op::kEQUAL: return compareRow<Op::kEQUAL>;
    case Op::kGREATER: return compareRow<Op::kGREATER>;
    case Op::kLESS: return compareRow<Op::kLESS>;
    default: return nullptr;
    }
}

void runElementWise(const ElementWiseJob& job, int64_t begin, int64_t end)
{
    const int32_t last = job.rank - 1;
    int64_t coord[nvinfer1::Dims::MAX_DIMS];
    int64_t rest = begin;
    for (int32_t i = last; i >= 0; --i)
    {
        coord[i] = rest % job.extent[i];
        rest /= job.extent[i];
    }
    const int64_t inner = job.extent[last];
    int64_t at = begin;
    while (at < end)
    {
        int64_t offA = 0;
        int64_t offB = 0;
        for (int32_t i = 0; i < job.rank; ++i)
        {
            offA += coord[i] * job.strideA[i];
            offB += coord[i] * job.strideB[i];
        }
        const int64_t n = std::min(inner - coord[last], end - at);
        job.row(job.a + offA * job.inSize, job.b + offB * job.inSize, job.y + at * job.outSize, n, job.mode);
        at += n;
        coord[last] = 0;
        for (int32_t i = last - 1; i >= 0; --i)
        {
            if (++coord[i] < job.extent[i])
                break;
            coord[i] = 0;
        }
    }
}

} // namespace kiln::kernels::cpu::avx2
