// The op converters (one function per UFF operation) and what several of them share.
#pragma once

#include "uff_context.h"

#include <vector>

namespace kiln::uffparser
{

// uff_ops_basic.cpp: graph inputs, constants and values that only move.
Status convertInput(NodeContext& ctx);
Status convertConst(NodeContext& ctx);
Status convertIdentity(NodeContext& ctx);
Status convertShape(NodeContext& ctx);

// uff_ops_nn.cpp: the layers that want channels first.
Status convertConv(NodeContext& ctx);
Status convertConvTranspose(NodeContext& ctx);
Status convertPool(NodeContext& ctx);
Status convertFullyConnected(NodeContext& ctx);
Status convertLRN(NodeContext& ctx);
Status convertBatchNorm(NodeContext& ctx);

// uff_ops_math.cpp: element-wise ops, softmax and reductions (any layout).
Status convertBinary(NodeContext& ctx);
Status convertUnary(NodeContext& ctx);
Status convertActivation(NodeContext& ctx);
Status convertLeakyRelu(NodeContext& ctx);
Status convertSoftmax(NodeContext& ctx);
Status convertReduce(NodeContext& ctx);
Status convertArgMinMax(NodeContext& ctx);

// uff_ops_shape.cpp: reshapes, axis moves, slices, concatenation, gather.
Status convertReshape(NodeContext& ctx);
Status convertFlatten(NodeContext& ctx);
Status convertSqueeze(NodeContext& ctx);
Status convertExpandDims(NodeContext& ctx);
Status convertTranspose(NodeContext& ctx);
Status convertConcat(NodeContext& ctx);
Status convertStack(NodeContext& ctx);
Status convertStridedSlice(NodeContext& ctx);
Status convertPad(NodeContext& ctx);
Status convertGather(NodeContext& ctx);

// uff_fold.cpp: the same ops computed at parse time when every input is a constant.
Status foldBinary(NodeContext& ctx);
Status foldUnary(NodeContext& ctx);
Status foldReshape(NodeContext& ctx);
Status foldSqueeze(NodeContext& ctx);
Status foldExpandDims(NodeContext& ctx);
Status foldTranspose(NodeContext& ctx);
Status foldConcat(NodeContext& ctx);
Status foldStack(NodeContext& ctx);
Status foldStridedSlice(NodeContext& ctx);
Status foldPad(NodeContext& ctx);
Status foldGather(NodeContext& ctx);

//! The element-wise operation of a Binary node (field 'func').
Status binaryOperation(NodeContext& ctx, nvinfer1::ElementWiseOperation& op);
//! The permutation of a Transpose (field 'permutation' or a second, constant input).
Status transposePermutation(NodeContext& ctx, int32_t rank, std::vector<int32_t>& perm);
//! The axis of a Gather (0) or GatherV2 (field 'axis' or a third, constant input).
Status gatherAxis(NodeContext& ctx, int64_t& axis);

//! One axis of a StridedSlice: the elements start, start + stride, ... (size of them).
struct SliceAxis
{
    int64_t start{0};
    int64_t size{0};
    int64_t stride{1};
    bool shrink{false}; //!< the axis is removed afterwards (shrink_axis_mask)
    bool whole{false};  //!< the axis is taken whole (what the batch axis of a tensor must be)
};

//! TF StridedSlice semantics for an input of TF shape \p shape (extent -1: the batch, which must
//! be taken whole): begin/end/strides from inputs 1-3 and the masks.
Status stridedSliceAxes(NodeContext& ctx, const std::vector<int64_t>& shape, std::vector<SliceAxis>& axes);

//! Pad amounts per TF axis from input 1 ([rank, 2] constant).
Status padAmounts(NodeContext& ctx, int32_t rank, std::vector<int64_t>& pre, std::vector<int64_t>& post);

//! The shape a Reshape produces: \p target (from the shape input) for an input of TF shape
//! \p shape. For a network tensor (\p batched) entry 0 is the batch: -1, the batch from a Shape op,
//! or a positive number (taken as the batch with a warning); one other entry may be -1.
Status reshapeTarget(NodeContext& ctx, const ConstTensor& target, const std::vector<int64_t>& shape, bool batched,
    std::vector<int64_t>& out);

//! The TF axes of a Squeeze (field 'axes', normalized; all axes of extent 1 but the batch when empty).
Status squeezeAxes(NodeContext& ctx, const std::vector<int64_t>& shape, bool batched, std::vector<int32_t>& axes);

} // namespace kiln::uffparser
