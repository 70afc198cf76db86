// Gather: picks elements of data (input 0; FLOAT, INT32 or BOOL) at the INT32 indices of input 1.
// The mode (TensorRT 8.2 GatherMode) says how the indices address the data:
//   kDEFAULT, nbElementWiseDims 0: slices along axis; out = data.dims[:axis] + indices.dims
//                        + data.dims[axis+1:]
//   kDEFAULT, nbElementWiseDims 1: the leading axis is shared (element-wise, an extent of 1
//                        broadcast on either side): out = [lead] + data.dims[1:axis]
//                        + indices.dims[1:] + data.dims[axis+1:]; axis must be >= 1.
//   kELEMENT (ONNX GatherElements): indices have the data's rank and out has the indices' dims;
//                        out[c] = data[c with c[axis] = indices[c]]. Off the axis the indices'
//                        extents must not exceed the data's. nbElementWiseDims must be 0.
//   kND (ONNX GatherND, batch_dims b = nbElementWiseDims): the last index axis (extent k, known
//                        at build time, 1 <= k <= rank - b) addresses data axes b..b+k-1;
//                        out = indices.dims[:-1] + data.dims[b+k:]; the first b extents of data
//                        and indices must match. The axis is ignored.
// In every mode negative indices count from the end of their axis; an index still outside
// [0, extent) is a run-time error (never a read out of bounds). Negative axes are rejected
// (TensorRT 7). addBatchAxis shifts the axis and makes the batch element-wise, so constant
// indices (batch extent 1) are broadcast over the batch; kELEMENT and kND need an explicit-batch
// network. In kDEFAULT mode known INT32 values (shape tensors) are gathered into the output values.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class GatherParams final : public ir::LayerParams
{
public:
    int32_t axis{0};
    int32_t nbElementWiseDims{0};
    nvinfer1::GatherMode mode{nvinfer1::GatherMode::kDEFAULT};

    ir::LayerKind kind() const override { return ir::LayerKind::kGather; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<GatherParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("axis", axis);
        v.visit("nbElementWiseDims", nbElementWiseDims);
        v.visitEnum("mode", mode);
    }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;

private:
    Status inferDefault(ir::ShapeContext& ctx) const;
    Status inferElement(ir::ShapeContext& ctx) const;
    Status inferNd(ir::ShapeContext& ctx) const;
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

//! The run-time error for an index outside [-extent, extent) on data axis \p axis.
inline Status indexOutOfRange(int64_t index, int64_t extent, int64_t axis)
{
    return invalidArgument("index " + std::to_string(index) + " is out of range for data axis " + std::to_string(axis)
        + " of extent " + std::to_string(extent) + " (valid: " + std::to_string(-extent) + " to "
        + std::to_string(extent - 1) + ")");
}

//! Checks every index of \p count INT32 values against \p extent (data axis \p axis).
inline Status checkIndices(const int32_t* indices, int64_t count, int64_t extent, int64_t axis)
{
    for (int64_t i = 0; i < count; ++i)
        if (resolveGatherIndex(indices[i], extent) < 0)
            return indexOutOfRange(indices[i], extent, axis);
    return Status::ok();
}

} // namespace kiln::layers
