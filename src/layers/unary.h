// Unary: y = f(x) element-wise for the 25 UnaryOperations. The math operations (kEXP .. kERF)
// and kROUND take and give FLOAT; kABS, kNEG and kSIGN also INT32 (wrapping: -INT32_MIN is
// INT32_MIN); kNOT takes and gives BOOL; kISINF and kISNAN take FLOAT and give BOOL.
//   kSIGN   -1, 0 or 1 (±0 and NaN pass through unchanged on FLOAT)
//   kROUND  to the nearest integer, halves to even (numpy.round, ONNX Round); ±inf, NaN unchanged
// Out-of-domain inputs (log of a negative, asin of 2, ...) give NaN or ±inf as the C library
// does. An INT32 input with known values (shape tensor) gives known values.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class UnaryParams final : public ir::LayerParams
{
public:
    nvinfer1::UnaryOperation operation{nvinfer1::UnaryOperation::kEXP};

    ir::LayerKind kind() const override { return ir::LayerKind::kUnary; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<UnaryParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override { v.visitEnum("operation", operation); }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

//! kABS, kNEG or kSIGN on one INT32 value.
int32_t applyIntUnary(nvinfer1::UnaryOperation op, int32_t x);

//! IUnaryLayer's formula on one FLOAT value (the FLOAT operations: not kNOT, kISINF, kISNAN).
float applyUnaryFloat(nvinfer1::UnaryOperation op, float x);

} // namespace kiln::layers
