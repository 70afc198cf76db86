// Gather: picks slices of data (input 0; FLOAT, INT32 or BOOL) along axis at the INT32 indices of
// input 1.
//   nbElementWiseDims 0: out = data.dims[:axis] + indices.dims + data.dims[axis+1:]
//   nbElementWiseDims 1: the leading axis is shared (element-wise, an extent of 1 broadcast on
//                        either side): out = [lead] + data.dims[1:axis] + indices.dims[1:]
//                        + data.dims[axis+1:]; axis must be >= 1.
// Negative indices count from the end of the axis; indices still outside [0, extent) produce
// zeros (never a read out of bounds). Negative axes are rejected (TensorRT 7). addBatchAxis
// shifts the axis and makes the batch element-wise, so constant indices (batch extent 1) are
// broadcast over the batch. Known INT32 values (shape tensors) are gathered into the output values.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class GatherParams final : public ir::LayerParams
{
public:
    int32_t axis{0};
    int32_t nbElementWiseDims{0};

    ir::LayerKind kind() const override { return ir::LayerKind::kGather; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<GatherParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("axis", axis);
        v.visit("nbElementWiseDims", nbElementWiseDims);
    }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

//! The extents a gather loops over, for concrete data, indices and output dims (see runGather):
//! out[((e·outer + o)·count + j)·inner + k] = data[((eData·outer + o)·extent + index)·inner + k].
struct GatherLoops
{
    int64_t lead{1}; //!< element-wise extent of the output (1 without element-wise dims)
    bool dataLeadBroadcast{true};
    bool indicesLeadBroadcast{true};
    int64_t outer{1};  //!< data extents between the element-wise dims and the axis
    int64_t extent{1}; //!< data extent on the axis
    int64_t count{1};  //!< indices per lead element
    int64_t inner{1};  //!< data extents after the axis
};
GatherLoops gatherLoops(
    const GatherParams& params, const nvinfer1::Dims& data, const nvinfer1::Dims& indices, const nvinfer1::Dims& out);

//! \p index resolved against \p extent (negative counts from the end); -1 when out of range.
inline int64_t resolveGatherIndex(int64_t index, int64_t extent)
{
    if (index < 0)
        index += extent;
    return index >= 0 && index < extent ? index : -1;
}

} // namespace kiln::layers
