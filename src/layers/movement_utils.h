// Helpers shared by the data-movement layer kinds (Shuffle, Concatenation, Constant, Slice, Gather,
// Shape, Identity) and the matrix kinds (MatrixMultiply, FullyConnected): checked volumes,
// permutations, INT32 shape-tensor inputs, known-value propagation, and the row-major index
// arithmetic their reference kernels and value propagation share.
#pragma once

#include "ir/params.h"

#include <cstdint>
#include <vector>

namespace kiln::layers
{

//! Largest element count accepted for one tensor; keeps every index product inside int64.
constexpr int64_t kMaxTensorElements = int64_t(1) << 40;
//! INT32 outputs of at most this many elements carry known values through shape inference.
constexpr int64_t kMaxKnownValues = 64;

//! \p dims must have a valid rank (0..8); \p what names it in the error.
Status checkRank(const ir::ShapeContext& ctx, const char* what, const nvinfer1::Dims& dims);

//! Volume of \p dims, -1 if any extent is unknown (-1); error if an extent is below -1 or the
//! volume exceeds kMaxTensorElements. \p dims must have a valid rank.
Status checkedVolume(const ir::ShapeContext& ctx, const char* what, const nvinfer1::Dims& dims, int64_t& out);

//! The identity permutation over all Dims::MAX_DIMS axes.
std::vector<int32_t> identityPermutation();
//! True when \p order has at least \p rank entries and its first \p rank are a permutation of 0..rank-1.
bool isPermutation(const std::vector<int32_t>& order, int32_t rank);
//! "(1,0,2)": the first \p rank entries (or fewer if \p order is shorter).
std::string permutationString(const std::vector<int32_t>& order, int32_t rank);
//! The permutation shifted behind a new leading axis: out[0] = 0, out[i + 1] = order[i] + 1.
std::vector<int32_t> shiftPermutation(const std::vector<int32_t>& order);
//! out.d[i] = dims.d[order[i]]; \p order must be a permutation of dims' rank.
nvinfer1::Dims permuteDims(const nvinfer1::Dims& dims, const std::vector<int32_t>& order);

//! Reads input \p index as a 1-D INT32 shape tensor. \p length receives its extent (-1 if not
//! known) and \p values its values when known (else nullptr).
Status readShapeInput(
    const ir::ShapeContext& ctx, int32_t index, const char* what, int32_t& length, const std::vector<int32_t>*& values);

//! True when an INT32 output of \p dims should carry known values (all extents known, small).
bool canCarryValues(const nvinfer1::Dims& dims);

//! Row-major coordinates of element \p index in a tensor of \p dims (rank <= 8).
void unravelIndex(int64_t index, const nvinfer1::Dims& dims, int64_t coords[nvinfer1::Dims::MAX_DIMS]);

//! Row-major strides (in elements) of \p dims as int64 (extents must be known).
void rowMajorStrides(const nvinfer1::Dims& dims, int64_t strides[nvinfer1::Dims::MAX_DIMS]);

} // namespace kiln::layers
