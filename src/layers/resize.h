// Resize: ONNX Resize (opsets 10-19) semantics. The output extents come from (in order of
// precedence) an INT32 shape tensor set as input 1 (its values are the output dims), the output
// dimensions (setOutputDimensions), or scales (out = floor(in·scale) per axis). Output and input
// have the same rank; every axis may be resized, in every mode.
//
// Per axis, with output index o, input extent I, output extent O, scale s (the given scale when
// scales gave the output, else O/I) and L = s·I (ONNX's length_resized: O, or fractional when
// scales gave the output, as in the ONNX reference and its test vectors), the input coordinate is:
//   kALIGN_CORNERS          x = o·(I - 1)/(L - 1), 0 when L == 1 (also when alignCorners is set)
//   kASYMMETRIC             x = o/s                          (the default: TensorRT 7 behaviour)
//   kHALF_PIXEL             x = (o + 0.5)/s - 0.5
//   kHALF_PIXEL_SYMMETRIC   x = c·(1 - O/L) + (o + 0.5)/s - 0.5, c = I/2 (= half pixel for sizes)
//   kTF_HALF_PIXEL_FOR_NN   x = (o + 0.5)/s
//   kTF_CROP_AND_RESIZE     x = b·(I - 1) + o·(e - b)·(I - 1)/(L - 1), 0.5·(b + e)·(I - 1) when
//                           L == 1, with [b, e] the axis's region of interest: input 2, a FLOAT
//                           tensor of 2·n values [starts..., ends...] for the n axes the dims or
//                           scales describe (absent: [0, 1] on every axis). Output points whose x
//                           lies outside [0, I - 1] on any axis are extrapolationValue. The
//                           output extents do not depend on the region (floor(I·s) for scales,
//                           as in the ONNX reference implementation).
//   selector kUPPER: x = 0 wherever O == 1, whatever the transformation (ONNX pytorch_half_pixel).
// Sampling at x, input indices clamped to [0, I - 1] (edge padding):
//   kNEAREST  index = round(x) by nearestRounding: kFLOOR (the default), kCEIL, kHALF_DOWN
//             (round_prefer_floor), kHALF_UP (round_prefer_ceil);
//   kLINEAR   f = floor(x), t = x - f: (1 - t)·in[f] + t·in[f + 1];
//   kCUBIC    weights W(1 + t), W(t), W(1 - t), W(2 - t) on f - 1 .. f + 2, W the cubic
//             convolution kernel with coefficient cubicCoeff; with excludeOutside, taps outside
//             [0, I - 1] get weight 0 and the others are renormalized to sum to 1.
// The output value is the product over axes of the per-axis weights (n-linear, n-cubic).
//
// Implicit batch: addBatchAxis() sets batchFromInput; then axis 0 of the output keeps the input's
// extent, is sampled as is, and the dims, scales, shape values and region describe axes 1 and
// after.
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
    bool alignCorners{false}; //!< overrides coordinateTransformation with kALIGN_CORNERS
    ResizeShapeSource shapeSource{ResizeShapeSource::kUnset};
    nvinfer1::Dims outputDims{};
    std::vector<float> scales;
    bool batchFromInput{false}; //!< axis 0 is the implicit batch: its extent is the input's
    nvinfer1::ResizeCoordinateTransformation coordinateTransformation{
        nvinfer1::ResizeCoordinateTransformation::kASYMMETRIC};
    nvinfer1::ResizeSelector selector{nvinfer1::ResizeSelector::kFORMULA};
    nvinfer1::ResizeRoundMode nearestRounding{nvinfer1::ResizeRoundMode::kFLOOR};
    float cubicCoeff{-0.75f};
    bool excludeOutside{false};
    float extrapolationValue{0.f};

    //! The coordinate transformation in effect (alignCorners wins).
    nvinfer1::ResizeCoordinateTransformation transform() const
    {
        return alignCorners ? nvinfer1::ResizeCoordinateTransformation::kALIGN_CORNERS : coordinateTransformation;
    }

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
        v.visitEnum("coordinateTransformation", coordinateTransformation);
        v.visitEnum("selector", selector);
        v.visitEnum("nearestRounding", nearestRounding);
        v.visit("cubicCoeff", cubicCoeff);
        v.visit("excludeOutside", excludeOutside);
        v.visit("extrapolationValue", extrapolationValue);
    }
    int32_t maxInputs() const override { return 3; }
    bool isShapeInput(int32_t index) const override { return index == 1; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

//! How one axis of a resize maps output indices to input coordinates.
struct ResizeAxis
{
    int64_t in{1};
    int64_t out{1};
    double scale{0.0}; //!< the given scale, or 0 when the scale is out/in
    double roiStart{0.0};
    double roiEnd{1.0};
    bool identity{false}; //!< the implicit batch axis: output index o reads input index o
};

//! Axis \p axis of a resize from \p in to \p out (concrete dims) with parameters \p p; \p roi is
//! input 2's data (nullptr when absent) and \p shapeInput whether input 1 gave the output.
ResizeAxis resizeAxis(const ResizeParams& p, const nvinfer1::Dims& in, const nvinfer1::Dims& out, int32_t axis,
    const float* roi, bool shapeInput);

//! The input coordinate of output index \p o (formulas above).
double resizeCoordinate(const ResizeParams& p, const ResizeAxis& axis, int64_t o);

//! The input indices and weights output index \p o reads along one axis (zero weights left out).
//! outside is set (and count 0) when o maps outside the region of interest.
struct ResizeTaps
{
    int64_t index[4]{};
    double weight[4]{};
    int32_t count{0};
    bool outside{false};
};
ResizeTaps resizeTaps(const ResizeParams& p, const ResizeAxis& axis, int64_t o);

} // namespace kiln::layers
