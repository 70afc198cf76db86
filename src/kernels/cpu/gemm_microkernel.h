// The GEMM micro-kernel contract (internal to gemm*.cpp): one tile of at most kGemmMR×kGemmNR
// outputs from one packed A panel and one packed B panel.
#pragma once

#include "kernels/cpu/gemm.h"

namespace kiln::kernels::cpu::detail
{

//! The activations a micro-kernel applies itself; kOther is applied by the driver afterwards.
enum class TileActivation : int32_t
{
    kNone,
    kRelu,
    kLeakyRelu,
    kClip,
    kOther,
};

struct GemmTile
{
    int64_t kc{0};
    const float* a{nullptr}; //!< kc × MR, k-major
    const float* b{nullptr}; //!< kc × NR, k-major
    float* c{nullptr};
    int64_t ldc{0};
    int32_t rows{0}; //!< valid rows, 1..MR
    int32_t cols{0}; //!< valid columns, 1..NR
    bool accumulate{false}; //!< add the tile to what C holds (a later K slice)
    bool finish{false};     //!< last K slice: apply bias, residual and activation
    const float* rowBias{nullptr}; //!< bias of the tile's first row, when per row
    const float* colBias{nullptr}; //!< bias of the tile's first column, when per column
    const float* residual{nullptr}; //!< residual element of the tile's (0, 0)
    int64_t ldr{0};
    TileActivation activation{TileActivation::kNone};
    float alpha{0.f};
    float beta{0.f};
};

//! C tile = A panel · B panel (+ epilogue). Portable C++.
void gemmTilePortable(const GemmTile& t);
//! The same with AVX2 and FMA (gemm_avx2.cpp; only call when the CPU has them).
void gemmTileAvx2(const GemmTile& t);

} // namespace kiln::kernels::cpu::detail
