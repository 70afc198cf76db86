// Unary: y = f(x) element-wise for the 21 UnaryOperations. The math operations (kEXP .. kERF)
// take and give FLOAT; kABS and kNEG also INT32 (wrapping: -INT32_MIN is INT32_MIN); kNOT takes
// and gives BOOL. Out-of-domain inputs (log of a negative, asin of 2, ...) give NaN or ±inf as
// the C library does. An INT32 input with known values (shape tensor) gives known values.
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

//! kABS or kNEG on one INT32 value.
int32_t applyIntUnary(nvinfer1::UnaryOperation op, int32_t x);

} // namespace kiln::layers
