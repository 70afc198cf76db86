// softmax.cpu.vector.avx2: SoftMax along any one axis of a FLOAT tensor. Over the innermost axis
// one line at a time: an 8-wide max, exp(x - max) with vector_math_avx2.h's exp (stored, summed
// in 8 float lanes), then one multiply by 1 / sum. Over an outer axis (e.g. the channels of NCHW,
// lines strided by inner = H·W) 8 neighbouring lines at a time, one per lane. Lines (or blocks of
// 8) are split over the threads.
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

struct SoftMaxJob
{
    const float* x{nullptr};
    float* y{nullptr};
    int64_t length{0}; //!< extent of the softmax axis
    int64_t inner{1};  //!< volume of the axes after it (the stride between a line's elements)
};

namespace avx2
{
//! Lines [begin, end) of \p job (inner 1), or blocks of 8 lines (item = outer · ceil(inner / 8) + block).
void runSoftMax(const SoftMaxJob& job, int64_t begin, int64_t end);
} // namespace avx2

std::unique_ptr<Tactic> makeSoftMaxVectorAvx2();

} // namespace kiln::kernels::cpu
