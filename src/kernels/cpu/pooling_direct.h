// pooling.cpu.direct.avx2: 2-D max, average and max-average blend pooling on {..., H, W}, every
// padding mode and averageCountExcludesPadding value, with the reference kernel's semantics
// (padding never wins a max, a window with no input cell yields 0).
//
// Each output row is computed along its width: the columns whose window lies inside the input 8
// at a time (contiguous loads for stride 1; for stride 2 the rows are reduced before one even/odd
// split per tap pair; gathers otherwise), with compile-time windows of width 2 and 3 (2×2/2, 3×3/2,
// 3×3/1); the border columns one by one. A window that covers the whole plane (global pooling)
// reduces the contiguous plane. Work is split over (plane, row block) items.
#pragma once

#include "kernels/reference/spatial_utils.h"
#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

struct PoolingJob
{
    reference::Window3 g; //!< 2-D geometry: axes 1 (height) and 2 (width)
    const float* x{nullptr};
    float* y{nullptr};
    bool needMax{true};        //!< kMAX or blend
    bool needAverage{false};   //!< kAVERAGE or blend
    float blend{0.f};          //!< weight of the max when both are needed
    bool excludePadding{true}; //!< averageCountExcludesPadding
    bool global{false};        //!< one output whose window covers the whole plane
    int64_t rowsPerItem{1};
    int64_t itemsPerPlane{1};
};

namespace avx2
{
//! Computes work items [begin, end) of \p job (item = plane · itemsPerPlane + row block; for
//! global pooling item = plane).
void runPooling(const PoolingJob& job, int64_t begin, int64_t end);
} // namespace avx2

std::unique_ptr<Tactic> makePoolingDirectAvx2();

} // namespace kiln::kernels::cpu
