// UFF dimension orders and the layout of network tensors.
//
// An order (DimensionOrders, key OE_SPECIAL) lists, for each axis of a tensor, its canonical
// index: data tensors are canonically N, C, spatial... (0, 1, 2, ...), kernels K, C, spatial...
// The spatial run is written as [first, OE_INCREMENT] (or OE_DECREMENT) and stands for as many
// axes as the rank leaves. Examples: N+C (NHWC) = [0, 2, INC, 1]; NC+ (NCHW) = [0, 1, 2, INC];
// +CK (TF HWIO kernels) = [2, INC, 1, 0]; +KC (TF conv-transpose kernels) = [2, INC, 0, 1].
#pragma once

#include "kiln_uff.pb.h"
#include "uff_context.h"
#include "uff_types.h"

#include <vector>

namespace kiln::uffparser
{

constexpr int64_t kOrderIncrement = 0x7FFFFFFF;
constexpr int64_t kOrderDecrement = -0x80000000LL;
constexpr int32_t kOrderSpecialKey = -1;

//! Expands \p orders for a tensor of \p rank: canon[axis] = canonical index. Fails unless the
//! result is a permutation of 0..rank-1.
Status expandOrder(const ::kiln::uff::DimensionOrders& orders, int32_t rank, std::vector<int32_t>& canon);

//! The TF axes of a tensor in canonical order (axes[c] holds canonical index c).
std::vector<int32_t> axesByCanon(const std::vector<int32_t>& canon);

//! Orders written by the TensorFlow converter: N+C data (batch, spatial..., channels) and +CK
//! kernels (spatial..., C, K), for \p rank axes.
std::vector<int32_t> nhwcCanon(int32_t rank);
std::vector<int32_t> spatialCkCanon(int32_t rank);
std::vector<int32_t> spatialKcCanon(int32_t rank);

//! The network layout that puts a data tensor's channel axis first and its spatial axes after it
//! in canonical order (what convolution, pooling and LRN want), for data order \p canon. Fails
//! unless canonical N is TF axis 0.
Status channelsFirstPerm(const std::vector<int32_t>& canon, std::vector<int32_t>& perm);

//! \p in held as \p perm (adds a Shuffle when its layout differs).
Status toLayout(NodeContext& ctx, const Value& in, const std::vector<int32_t>& perm, Value& out);
//! \p in in TF order.
Status toNatural(NodeContext& ctx, const Value& in, Value& out);
//! A natural-layout tensor reshaped to TF shape [N] + \p dims (network dims \p dims).
Status reshapeTo(NodeContext& ctx, const Value& in, const std::vector<int64_t>& dims, Value& out);
//! Removes the TF axes \p tfAxes (each of extent 1, none the batch) keeping the layout.
Status dropAxes(NodeContext& ctx, const Value& in, std::vector<int32_t> tfAxes, Value& out);
//! Inserts a TF axis of extent 1 at \p tfAxis (>= 1) keeping the layout.
Status insertUnitAxis(NodeContext& ctx, const Value& in, int32_t tfAxis, Value& out);

//! \p values of TF shape \p shape rearranged so that axis i of the result is axis perm[i] of the
//! input; \p outShape gets the permuted shape.
template <typename T>
std::vector<T> permuteValues(const std::vector<T>& values, const std::vector<int64_t>& shape,
    const std::vector<int32_t>& perm, std::vector<int64_t>& outShape);

//! A network Constant layer for \p constant with network dims \p dims (values as given: FLOAT or
//! HALF per the parse's weights type, integers as INT32 when they fit).
Status constantLayer(NodeContext& ctx, const ConstTensor& constant, const std::vector<int64_t>& dims,
    const char* suffix, nvinfer1::ITensor*& out);
//! \p constant as an operand of an element-wise op with \p other (TF broadcasting from the right;
//! a leading extent in the batch position must be 1): a Constant layer in \p other's layout.
Status broadcastOperand(NodeContext& ctx, const ConstTensor& constant, const Value& other, Value& out);

//! Normalizes TF axis \p axis (negative counts from the end) of a rank-\p rank tensor. \p what
//! names the field in errors. Axis 0 (the batch) is refused unless \p allowBatch.
Status normalizeAxis(NodeContext& ctx, int64_t axis, int32_t rank, const char* what, bool allowBatch, int32_t& out);

//! nvinfer1::Dims from extents (fails above Dims::MAX_DIMS or outside int32).
Status toDims(NodeContext& ctx, const std::vector<int64_t>& extents, nvinfer1::Dims& out);

} // namespace kiln::uffparser
