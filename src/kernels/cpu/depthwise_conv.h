// convolution.cpu.depthwise.avx2: 2-D depthwise convolution (one group per input channel, each
// group producing `multiplier` = K / C output maps) on NCHW, with any kernel size, stride,
// dilation and padding mode, bias and the fused epilogue (residual + activation).
//
// Each output row is computed along its width: the columns whose window lies inside the input are
// computed 8 at a time (contiguous loads for stride 1, an even/odd split for stride 2, gathers
// otherwise; kernels 3 and 5 wide keep their weights in registers), the border columns one by one
// with only their in-range taps, then the epilogue runs over the finished row while it is in L1.
// Work is split over (batch, map, row block) items.
#pragma once

#include "kernels/reference/spatial_utils.h"
#include "kernels/tactic.h"
#include "layers/epilogue.h"

#include <memory>

namespace kiln::kernels::cpu
{

//! Everything one run of the depthwise kernel needs, shared by all the threads.
struct DepthwiseJob
{
    reference::Window3 g;           //!< 2-D geometry: axes 1 (height) and 2 (width)
    const float* x{nullptr};        //!< {N, C, IH, IW}
    const float* w{nullptr};        //!< {K, 1, KH, KW}
    const float* bias{nullptr};     //!< {K} or null
    const float* residual{nullptr}; //!< {N, K, OH, OW} or null
    float* y{nullptr};              //!< {N, K, OH, OW}
    int64_t channels{0};            //!< C
    int64_t maps{0};                //!< K
    int64_t multiplier{1};          //!< K / C
    int64_t rowsPerItem{1};         //!< output rows per work item
    int64_t itemsPerPlane{1};       //!< ceil(OH / rowsPerItem)
    const layers::Epilogue* epilogue{nullptr};
};

namespace avx2
{
//! Computes work items [begin, end) of \p job (item = plane · itemsPerPlane + row block).
void runDepthwise(const DepthwiseJob& job, int64_t begin, int64_t end);
} // namespace avx2

//! The tactic, for registerPointwiseTactics.
std::unique_ptr<Tactic> makeDepthwiseConvolutionAvx2();

} // namespace kiln::kernels::cpu
