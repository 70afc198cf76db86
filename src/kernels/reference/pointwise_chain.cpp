#include "layers/pointwise_chain.h"
#include "common/dims.h"
#include "kernels/kernel.h"

#include <algorithm>
#include <array>

namespace kiln::kernels::reference
{

namespace
{

constexpr int64_t kTile = 256;

//! One step over \p n values; the frequent steps get loops of their own.
void applyStep(const layers::PointwiseStep& st, float* acc, const float* operand, int64_t n)
{
    using nvinfer1::ElementWiseOperation;
    using Kind = layers::PointwiseStepKind;
    const auto op = static_cast<ElementWiseOperation>(st.code);
    if (st.kind == Kind::kActivation && st.code == static_cast<int32_t>(nvinfer1::ActivationType::kRELU))
    {
        for (int64_t j = 0; j < n; ++j)
            acc[j] = acc[j] > 0.f ? acc[j] : 0.f;
        return;
    }
    if (st.kind == Kind::kBinary || st.kind == Kind::kBinaryReversed)
    {
        const bool reversed = st.kind == Kind::kBinaryReversed;
        switch (op)
        {
        case ElementWiseOperation::kSUM:
            for (int64_t j = 0; j < n; ++j)
                acc[j] = reversed ? operand[j] + acc[j] : acc[j] + operand[j];
            return;
        case ElementWiseOperation::kPROD:
            for (int64_t j = 0; j < n; ++j)
                acc[j] = reversed ? operand[j] * acc[j] : acc[j] * operand[j];
            return;
        case ElementWiseOperation::kSUB:
            for (int64_t j = 0; j < n; ++j)
                acc[j] = reversed ? operand[j] - acc[j] : acc[j] - operand[j];
            return;
        default: break;
        }
    }
    const bool hasOperand = st.kind == Kind::kBinary || st.kind == Kind::kBinaryReversed;
    for (int64_t j = 0; j < n; ++j)
        acc[j] = layers::applyPointwiseStep(st, acc[j], hasOperand ? operand[j] : 0.f);
}

} // namespace

Status runPointwiseChain(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::PointwiseChainParams>();
    const nvinfer1::Dims out = args.outputs[0].dims;
    const int32_t nbSteps = p.nbSteps();
    const size_t nbIn = std::min<size_t>(args.inputs.size(), layers::kMaxPointwiseInputs);
    std::array<layers::PointwiseStep, layers::kMaxPointwiseSteps> steps{};
    for (int32_t i = 0; i < nbSteps && i < layers::kMaxPointwiseSteps; ++i)
        steps[static_cast<size_t>(i)] = p.step(i);

    // Per input, the element stride along each output axis (0 where the input broadcasts).
    std::array<std::array<int64_t, nvinfer1::Dims::MAX_DIMS>, layers::kMaxPointwiseInputs> strides{};
    std::array<const float*, layers::kMaxPointwiseInputs> data{};
    for (size_t k = 0; k < nbIn; ++k)
    {
        const nvinfer1::Dims& d = args.inputs[k].dims;
        data[k] = args.inputs[k].as<const float>();
        int64_t stride = 1;
        for (int32_t i = out.nbDims - 1; i >= 0; --i)
        {
            strides[k][static_cast<size_t>(i)] = d.d[i] == 1 ? 0 : stride;
            stride *= d.d[i];
        }
    }
    float* y = args.outputs[0].as<float>();
    // Rows along the innermost axis: each input advances by its column step within a row.
    const int32_t last = out.nbDims - 1;
    const int64_t cols = out.nbDims > 0 ? out.d[last] : 1;
    const int64_t rows = cols > 0 ? volume(out) / cols : 0;
    std::array<int64_t, layers::kMaxPointwiseInputs> colStep{};
    for (size_t k = 0; k < nbIn; ++k)
        colStep[k] = out.nbDims > 0 ? strides[k][static_cast<size_t>(last)] : 0;
    const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(cols, 1));
    args.pool->parallelFor(rows, grain, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row)
        {
            std::array<int64_t, layers::kMaxPointwiseInputs> at{};
            int64_t rest = row;
            for (int32_t i = last - 1; i >= 0; --i)
            {
                const int64_t c = rest % out.d[i];
                rest /= out.d[i];
                for (size_t k = 0; k < nbIn; ++k)
                    at[k] += c * strides[k][static_cast<size_t>(i)];
            }
            float* yr = y + row * cols;
            // Step by step over tiles of a row: the step's switch runs once per tile, and the
            // common steps are plain loops the compiler vectorizes.
            for (int64_t j0 = 0; j0 < cols; j0 += kTile)
            {
                const int64_t n = std::min<int64_t>(kTile, cols - j0);
                float acc[kTile];
                float operand[kTile];
                for (int64_t j = 0; j < n; ++j)
                    acc[j] = data[0][at[0] + (j0 + j) * colStep[0]];
                for (int32_t s = 0; s < nbSteps; ++s)
                {
                    const layers::PointwiseStep& st = steps[static_cast<size_t>(s)];
                    const bool binary = st.kind == layers::PointwiseStepKind::kBinary || st.kind == layers::PointwiseStepKind::kBinaryReversed;
                    if (binary)
                    {
                        const auto k = static_cast<size_t>(st.operand) < nbIn ? static_cast<size_t>(st.operand) : 0;
                        for (int64_t j = 0; j < n; ++j)
                            operand[j] = data[k][at[k] + (j0 + j) * colStep[k]];
                    }
                    applyStep(st, acc, operand, n);
                }
                std::copy(acc, acc + n, yr + j0);
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
