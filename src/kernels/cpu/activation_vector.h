// activation.cpu.vector.avx2: IActivationLayer on FLOAT, 8 elements at a time, for ReLU, leaky
// ReLU, clip, sigmoid, tanh, scaled tanh, hard sigmoid, softsign, thresholded ReLU, ELU and SELU
// (exp and tanh from vector_math_avx2.h, a few ulp from std::exp / std::tanh). Softplus and the
// GELUs are left to the reference kernel. The output is split into element ranges over the threads.
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

struct ActivationJob
{
    nvinfer1::ActivationType type{nvinfer1::ActivationType::kRELU};
    float alpha{0.f};
    float beta{0.f};
    const float* x{nullptr};
    float* y{nullptr};
};

namespace avx2
{
//! Elements [begin, end) of \p job.
void runActivation(const ActivationJob& job, int64_t begin, int64_t end);
} // namespace avx2

std::unique_ptr<Tactic> makeActivationVectorAvx2();

} // namespace kiln::kernels::cpu
