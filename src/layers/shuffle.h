// Shuffle: out = transpose2(reshape(transpose1(in))), a pure data movement of any element type.
//
//  - transpose1/transpose2: out.d[i] = in.d[order[i]]; the first rank entries of the stored
//    order must be a permutation of 0..rank-1 (identity by default).
//  - reshape: from reshapeDims (when reshapeSet) or, when input 1 is present, from the values of
//    that 1-D INT32 shape tensor (the shape tensor wins). An extent 0 copies the transposed input's
//    extent at the same index while zeroIsPlaceholder holds (else it is a literal 0); one -1 is
//    inferred from the volume. Without either, the dims are kept.
//  - implicitBatch (set by addBatchAxis): axis 0 is the implicit batch; the permutations keep it in
//    place and the reshape copies it whatever reshapeDims.d[0] holds. A shape-tensor reshape is
//    an error in that mode.
// Known INT32 input values (shape tensors) are moved to the output values.
#pragma once

#include "ir/params.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

class ShuffleParams final : public ir::LayerParams
{
public:
    std::vector<int32_t> firstTranspose = identityPermutation();
    bool reshapeSet{false};
    nvinfer1::Dims reshapeDims{};
    std::vector<int32_t> secondTranspose = identityPermutation();
    bool zeroIsPlaceholder{true};
    bool implicitBatch{false};

    ir::LayerKind kind() const override { return ir::LayerKind::kShuffle; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ShuffleParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("firstTranspose", firstTranspose);
        v.visit("reshapeSet", reshapeSet);
        v.visit("reshapeDims", reshapeDims);
        v.visit("secondTranspose", secondTranspose);
        v.visit("zeroIsPlaceholder", zeroIsPlaceholder);
        v.visit("implicitBatch", implicitBatch);
    }
    int32_t maxInputs() const override { return 2; }
    bool isShapeInput(int32_t index) const override { return index == 1; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

//! Maps each output element of a Shuffle to its input element (row-major linear indices), for
//! concrete input and output dims and valid permutations.
class ShuffleIndexer
{
public:
    ShuffleIndexer(const nvinfer1::Dims& in, const nvinfer1::Dims& out, const std::vector<int32_t>& first,
        const std::vector<int32_t>& second);
    int64_t source(int64_t outIndex) const;

private:
    nvinfer1::Dims mOut{};
    nvinfer1::Dims mTransposed{};
    int64_t mReshapedStride[nvinfer1::Dims::MAX_DIMS]{}; //!< per output axis, stride in the reshaped tensor
    int64_t mInputStride[nvinfer1::Dims::MAX_DIMS]{};    //!< per transposed axis, stride in the input
};

} // namespace kiln::layers
