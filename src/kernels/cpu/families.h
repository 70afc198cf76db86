// The CPU tactic families. Each family lives in its own files under kernels/cpu/ and adds its
// tactics through one register function; tactic_registry.cpp calls them in this order and then adds
// every layer kind's reference kernel.
#pragma once

#include "kernels/tactic.h"

namespace kiln::kernels::cpu
{

//! Kiln's packed GEMM and what is built on it: convolution as im2col + GEMM and as a direct
//! register-blocked kernel, fully connected and matrix multiply as GEMM (kernels/cpu/gemm*, conv_*).
void registerGemmTactics(TacticRegistrar& registrar);
//! oneDNN primitives from Debian's libdnnl-dev: convolution, inner product, matmul, pooling
//! (kernels/cpu/onednn/).
void registerOnednnTactics(TacticRegistrar& registrar);
//! Kiln's own memory-bound kernels: depthwise convolution, pooling, element-wise, activation,
//! scale, and Reformat between layouts (kernels/cpu/pointwise*, depthwise*, pooling*, reformat*).
void registerPointwiseTactics(TacticRegistrar& registrar);

} // namespace kiln::kernels::cpu
