// The oneDNN tactics, one per file in kernels/cpu/onednn/, created only by
// registerOnednnTactics (onednn_tactics.cpp). Each computes exactly what its layer kind's reference
// kernel computes and refuses in supports() what oneDNN cannot match:
//   convolution.cpu.onednn.nchw     convolution_forward on plain NCHW/NCDHW src and dst (2-D and 3-D,
//                                   every padding mode, groups, dilation, bias, the fused epilogue
//                                   as sum + eltwise post-ops)
//   convolution.cpu.onednn.blocked  the same with src/dst in oneDNN's preferred (blocked) formats,
//                                   reordered in run() through the workspace
//   fullyconnected.cpu.onednn       inner_product_forward over {rows, C·H·W}, activation post-ops
//   matrixmultiply.cpu.onednn       matmul with transposes as strides, vectors, batch broadcast
//   pooling.cpu.onednn.nchw         pooling_forward max / average (both padding counts) on plain
//                                   NCHW/NCDHW, where its window rules match the reference's
//   pooling.cpu.onednn.blocked      the same on 8-channel blocks, reordered in run()
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu::onednn
{

//! \p blocked: src/dst in oneDNN's preferred formats (reordered in run) instead of plain NCHW.
std::unique_ptr<Tactic> makeConvolutionTactic(bool blocked);
std::unique_ptr<Tactic> makeFullyConnectedTactic();
std::unique_ptr<Tactic> makeMatrixMultiplyTactic();
//! \p blocked: src/dst reordered to 8-channel blocks in run() for oneDNN's JIT pooling.
std::unique_ptr<Tactic> makePoolingTactic(bool blocked);

} // namespace kiln::kernels::cpu::onednn
