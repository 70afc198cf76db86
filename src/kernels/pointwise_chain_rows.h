// The walk over a PointwiseChain's output (layers/pointwise_chain.h) shared by its reference kernel
// and its vector tactic: rows along the innermost axis split over the thread pool, each row in
// tiles of kTile elements; a tile's value and operands are gathered with broadcasting into small
// buffers, every step is applied to the whole tile (applyStep(step, acc, operand, n)), and the tile
// is stored. The tile is read completely before it is written, so the output may alias input 0.
#pragma once

#include "common/dims.h"
#include "kernels/kernel.h"
#include "layers/pointwise_chain.h"

#include <algorithm>
#include <array>

namespace kiln::kernels
{

template <typename ApplyStep>
void runPointwiseChainRows(const KernelArgs& args, const ApplyStep& applyStep)
{
    constexpr int64_t kTile = 256;
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
    //! n values of input k from element `at` on, with its column step.
    auto gather = [&](size_t k, int64_t at, int64_t n, float* to) {
        const float* from = data[k] + at;
        if (colStep[k] == 1)
            std::copy(from, from + n, to);
        else if (colStep[k] == 0)
            std::fill(to, to + n, *from);
        else
            for (int64_t j = 0; j < n; ++j)
                to[j] = from[j * colStep[k]];
    };
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
            // Step by step over tiles of a row: the step's switch runs once per tile.
            for (int64_t j0 = 0; j0 < cols; j0 += kTile)
            {
                const int64_t n = std::min<int64_t>(kTile, cols - j0);
                alignas(32) float acc[kTile];
                alignas(32) float operand[kTile];
                gather(0, at[0] + j0 * colStep[0], n, acc);
                for (int32_t s = 0; s < nbSteps; ++s)
                {
                    const layers::PointwiseStep& st = steps[static_cast<size_t>(s)];
                    const bool binary = st.kind == layers::PointwiseStepKind::kBinary || st.kind == layers::PointwiseStepKind::kBinaryReversed;
                    if (binary)
                    {
                        const auto k = static_cast<size_t>(st.operand) < nbIn ? static_cast<size_t>(st.operand) : 0;
                        gather(k, at[k] + j0 * colStep[k], n, operand);
                    }
                    applyStep(st, acc, operand, n);
                }
                std::copy(acc, acc + n, yr + j0);
            }
        }
    });
}

} // namespace kiln::kernels
