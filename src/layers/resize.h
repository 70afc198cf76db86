// Resize: nearest or linear resampling of an input to output extents given by (in order of
// precedence) an INT32 shape tensor set as input 1 (its values are the output dims), the output
// dimensions (setOutputDimensions), or scales (out = floor(in·scale) per axis). Output and input
// have the same rank.
//
// Coordinates, per axis, for output index o, input extent I and output extent O:
//   alignCorners    src = o·(I - 1)/(O - 1)   (src = 0 when O == 1)
//   otherwise       src = o·I/O               (asymmetric; TensorRT 7 uses no half-pixel offset)
//   kNEAREST        reads input index min(floor(src), I - 1), on every axis;
//   kLINEAR         interpolates the 3 innermost axes (1-D, 2-D or 3-D: src clamped to [0, I - 1],
//                   i0 = floor(src), i1 = min(i0 + 1, I - 1), weight src - i0 on i1); the other
//                   axes must keep their extent.
// The ratios use the output extents, also when scales gave them.
//
// Implicit batch: addBatchAxis() sets batchFromInput; then axis 0 of the output keeps the input's
// extent and the dims, scales or shape values describe axes 1 and after.
#pragma once

#include "ir/params.h"

#include <vector>

namespace kiln::layers
{

//! Where a Resize layer's output extents come from when input 1 is not set.
enum class ResizeShapeSource : int32_t
{
    kUnset = 0,
    kOutputDims = 1,
    kScales = 2,
};

class ResizeParams final : public ir::LayerParams
{
public:
    nvinfer1::ResizeMode resizeMode{nvinfer1::ResizeMode::kNEAREST};
    bool alignCorners{false};
    ResizeShapeSource shapeSource{ResizeShapeSource::kUnset};
    nvinfer1::Dims outputDims{};
    std::vector<float> scales;
    bool batchFromInput{false}; //!< axis 0 is the implicit batch: its extent is the input's

    ir::LayerKind kind() const override { return ir::LayerKind::kResize; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ResizeParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("resizeMode", resizeMode);
        v.visit("alignCorners", alignCorners);
        v.visitEnum("shapeSource", shapeSource);
        v.visit("outputDims", outputDims);
        v.visit("scales", scales);
        v.visit("batchFromInput", batchFromInput);
    }
    int32_t maxInputs() const override { return 2; }
    bool isShapeInput(int32_t index) const override { return index == 1; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
