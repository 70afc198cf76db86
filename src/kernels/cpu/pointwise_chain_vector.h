// pointwisechain.cpu.vector.avx2: the PointwiseChain layer (layers/pointwise_chain.h) with every
// step applied 8 elements at a time over the reference kernel's tiles (kernels/pointwise_chain_rows.h).
// Steps: the vectorized activations (vector_math_avx2.h), the unary operations exp, sqrt, recip,
// abs, neg, floor, ceil and erf (erf256: within 2e-7 of std::erf), and the binary operations sum,
// prod, sub, div, max and min. Chains with other steps (log, pow, trigonometry, ...) are left to
// the reference kernel. Any layout, as for position-wise layers, when every tensor shares it and
// nothing broadcasts.
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

namespace avx2
{
//! Runs the chain of \p args (supported steps only).
void runPointwiseChain(const KernelArgs& args);
} // namespace avx2

std::unique_ptr<Tactic> makePointwiseChainVectorAvx2();

} // namespace kiln::kernels::cpu
