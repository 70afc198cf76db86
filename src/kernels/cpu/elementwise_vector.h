// elementwise.cpu.vector.avx2: ElementWise on FLOAT (kSUM kPROD kMAX kMIN kSUB kDIV kFLOOR_DIV
// kPOW; kEQUAL kGREATER kLESS to BOOL) and BOOL (kAND kOR kXOR) inputs, with any equal-rank
// broadcast. INT32 inputs are left to the reference kernel.
//
// The output's axes are collapsed first: axes of extent 1 are dropped and neighbouring axes on
// which each input either has the full extent or broadcasts, in the same way, are merged. The
// innermost collapsed axis is then a contiguous run in which each input is either contiguous or a
// single broadcast value: same-shape operands are one long run, a scalar operand is
// vector ⊕ scalar, a per-channel operand ({1, C, 1, 1} against {N, C, H, W}) gives runs of H·W
// against one value, a trailing operand ({1, 1, 1, W}) runs of W. Every run goes through an 8-wide
// (32-wide for BOOL) row kernel; the output is split into element ranges over the threads.
#pragma once

#include "kernels/tactic.h"

#include <memory>

namespace kiln::kernels::cpu
{

//! Computes y[0, n) from a and b; inputs advance by one element (contiguous) or not at all
//! (broadcast) as \p mode says.
enum class RunMode : int32_t
{
    kBoth = 0,    //!< a and b contiguous
    kScalarB = 1, //!< b[0] for every element
    kScalarA = 2, //!< a[0] for every element
};
using ElementWiseRowFn = void (*)(const void* a, const void* b, void* y, int64_t n, RunMode mode);

struct ElementWiseJob
{
    int32_t rank{0};                             //!< collapsed axes (≥ 1)
    int64_t extent[nvinfer1::Dims::MAX_DIMS]{};  //!< collapsed output extents
    int64_t strideA[nvinfer1::Dims::MAX_DIMS]{}; //!< element strides of a on them (0: broadcast)
    int64_t strideB[nvinfer1::Dims::MAX_DIMS]{};
    RunMode mode{RunMode::kBoth}; //!< of the innermost axis
    int64_t inSize{4};            //!< bytes per input element
    int64_t outSize{4};           //!< bytes per output element
    const uint8_t* a{nullptr};
    const uint8_t* b{nullptr};
    uint8_t* y{nullptr};
    ElementWiseRowFn row{nullptr};
};

namespace avx2
{
//! The row kernel of \p op on \p type inputs, or nullptr.
ElementWiseRowFn elementWiseRow(nvinfer1::ElementWiseOperation op, nvinfer1::DataType type);
//! Output elements [begin, end) of \p job.
void runElementWise(const ElementWiseJob& job, int64_t begin, int64_t end);
} // namespace avx2

std::unique_ptr<Tactic> makeElementWiseVectorAvx2();

} // namespace kiln::kernels::cpu
