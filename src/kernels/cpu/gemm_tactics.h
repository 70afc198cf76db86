// The tactics of the GEMM family, one per file (conv_im2col_gemm.cpp, conv_direct.cpp,
// fully_connected_gemm.cpp, matrix_multiply_gemm.cpp); gemm_tactics.cpp registers them in this order.
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

//! convolution.cpu.im2col_gemm.avx2: 2-D convolution (any groups, stride, dilation, padding mode)
//! as packed GEMMs with im2col fused into the B packing.
std::unique_ptr<Tactic> makeConvIm2colGemmTactic();
//! convolution.cpu.direct.avx2: 2-D convolution with groups == 1 as a register-blocked direct kernel
//! (16 output maps × 6 output columns per tile) over a zero-padded copy of each image.
std::unique_ptr<Tactic> makeConvDirectTactic();
//! fullyconnected.cpu.gemm.avx2: Y = X·Wᵀ + b with W packed at prepare.
std::unique_ptr<Tactic> makeFullyConnectedGemmTactic();
//! matrixmultiply.cpu.gemm.avx2: every MatrixMultiply (kNONE/kTRANSPOSE/kVECTOR, batch broadcast).
std::unique_ptr<Tactic> makeMatrixMultiplyGemmTactic();

} // namespace kiln::kernels::cpu
