#include "kernels/cpu/pointwise_chain_vector.h"
#include "kernels/cpu/vector_math_avx2.h"
#include "kernels/pointwise_chain_rows.h"

namespace kiln::kernels::cpu::avx2
{

namespace
{

using nvinfer1::ElementWiseOperation;
using nvinfer1::UnaryOperation;
using Kind = layers::PointwiseStepKind;

//! acc[i] = f(acc[i]) for i in [0, n), 8 at a time, the tail masked.
template <typename F>
void mapRow(float* acc, int64_t n, F f)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(acc + i, f(_mm256_loadu_ps(acc + i)));
    if (i < n)
    {
        const __m256i m = tailMask(n - i);
        _mm256_maskstore_ps(acc + i, m, f(_mm256_maskload_ps(acc + i, m)));
    }
}

//! acc[i] = f(acc[i], operand[i]) for i in [0, n).
template <typename F>
void zipRow(float* acc, const float* operand, int64_t n, F f)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(acc + i, f(_mm256_loadu_ps(acc + i), _mm256_loadu_ps(operand + i)));
    if (i < n)
    {
        const __m256i m = tailMask(n - i);
        _mm256_maskstore_ps(acc + i, m, f(_mm256_maskload_ps(acc + i, m), _mm256_maskload_ps(operand + i, m)));
    }
}

template <ElementWiseOperation Op>
__m256 binary(__m256 a, __m256 b)
{
    if constexpr (Op == ElementWiseOperation::kSUM)
        return _mm256_add_ps(a, b);
    else if constexpr (Op == ElementWiseOperation::kPROD)
        return _mm256_mul_ps(a, b);
    else if constexpr (Op == ElementWiseOperation::kSUB)
        return _mm256_sub_ps(a, b);
    else if constexpr (Op == ElementWiseOperation::kDIV)
        return _mm256_div_ps(a, b);
    else if constexpr (Op == ElementWiseOperation::kMAX)
        return _mm256_max_ps(a, b); // a > b ? a : b, as the scalar formula
    else
        return _mm256_min_ps(a, b); // a < b ? a : b
}

template <ElementWiseOperation Op>
void binaryRow(bool reversed, float* acc, const float* operand, int64_t n)
{
    if (reversed)
        zipRow(acc, operand, n, [](__m256 a, __m256 b) { return binary<Op>(b, a); });
    else
        zipRow(acc, operand, n, [](__m256 a, __m256 b) { return binary<Op>(a, b); });
}

void unaryRow(UnaryOperation op, float* acc, int64_t n)
{
    const __m256 signMask = _mm256_set1_ps(-0.f);
    switch (op)
    {
    case UnaryOperation::kEXP: return mapRow(acc, n, [](__m256 x) { return exp256(x); });
    case UnaryOperation::kSQRT: return mapRow(acc, n, [](__m256 x) { return _mm256_sqrt_ps(x); });
    case UnaryOperation::kRECIP: return mapRow(acc, n, [](__m256 x) { return _mm256_div_ps(_mm256_set1_ps(1.f), x); });
    case UnaryOperation::kABS: return mapRow(acc, n, [&](__m256 x) { return _mm256_andnot_ps(signMask, x); });
    case UnaryOperation::kNEG: return mapRow(acc, n, [&](__m256 x) { return _mm256_xor_ps(signMask, x); });
    case UnaryOperation::kFLOOR:
        return mapRow(acc, n, [](__m256 x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); });
    case UnaryOperation::kCEIL:
        return mapRow(acc, n, [](__m256 x) { return _mm256_round_ps(x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); });
    case UnaryOperation::kERF: return mapRow(acc, n, [](__m256 x) { return erf256(x); });
    default: return; // supports() admits only the operations above
    }
}

void applyStep(const layers::PointwiseStep& st, float* acc, const float* operand, int64_t n)
{
    switch (st.kind)
    {
    case Kind::kActivation: return activateRow(static_cast<nvinfer1::ActivationType>(st.code), st.alpha, st.beta, acc, acc, nullptr, n);
    case Kind::kUnary: return unaryRow(static_cast<UnaryOperation>(st.code), acc, n);
    case Kind::kBinary:
    case Kind::kBinaryReversed:
    {
        const bool reversed = st.kind == Kind::kBinaryReversed;
        switch (static_cast<ElementWiseOperation>(st.code))
        {
        case ElementWiseOperation::kSUM: return binaryRow<ElementWiseOperation::kSUM>(reversed, acc, operand, n);
        case ElementWiseOperation::kPROD: return binaryRow<ElementWiseOperation::kPROD>(reversed, acc, operand, n);
        case ElementWiseOperation::kSUB: return binaryRow<ElementWiseOperation::kSUB>(reversed, acc, operand, n);
        case ElementWiseOperation::kDIV: return binaryRow<ElementWiseOperation::kDIV>(reversed, acc, operand, n);
        case ElementWiseOperation::kMAX: return binaryRow<ElementWiseOperation::kMAX>(reversed, acc, operand, n);
        case ElementWiseOperation::kMIN: return binaryRow<ElementWiseOperation::kMIN>(reversed, acc, operand, n);
        default: return;
        }
    }
    }
}

} // namespace

void runPointwiseChain(const KernelArgs& args)
{
    runPointwiseChainRows(args, applyStep);
}

} // namespace kiln::kernels::cpu::avx2
