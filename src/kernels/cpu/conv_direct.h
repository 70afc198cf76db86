// The register-blocked direct convolution kernel behind convolution.cpu.direct.avx2 (conv_direct.cpp):
// weights re-laid at prepare as [ceil(K/16)][C][kh][kw][16] (maps zero-padded to 16), the image
// copied into a zero-padded plane per channel so every tap is in bounds, and one output row of 16
// maps computed in tiles of 16 maps × 6 columns held in twelve ymm accumulators.
#pragma once

#include "layers/epilogue.h"

#include <cstdint>

namespace kiln::kernels::cpu
{

constexpr int32_t kDirectMaps = 16;    //!< output maps per tile (two ymm)
constexpr int32_t kDirectColumns = 6;  //!< output columns per tile

//! One image's direct convolution: what every row task reads.
struct DirectConvRows
{
    const float* padded{nullptr}; //!< C × paddedH × paddedW, the image at (padTop, padLeft)
    int64_t paddedH{0}, paddedW{0};
    const float* weights{nullptr}; //!< re-laid weights
    int64_t channels{0};
    int64_t kernelH{1}, kernelW{1};
    int64_t strideH{1}, strideW{1};
    int64_t dilationH{1}, dilationW{1};
    int64_t maps{0};
    int64_t outH{0}, outW{0};
    float* y{nullptr};               //!< this image's output, maps × outH × outW
    const float* bias{nullptr};      //!< maps values or nullptr
    const float* residual{nullptr};  //!< like y, or nullptr
    const layers::Epilogue* epilogue{nullptr};
};

//! Output row \p oh of maps [16·block, 16·block + 16) ∩ [0, maps), with the epilogue applied.
//! AVX2/FMA (conv_direct_avx2.cpp): call only when the CPU has them.
void directConvRowAvx2(const DirectConvRows& r, int64_t block, int64_t oh);

} // namespace kiln::kernels::cpu
