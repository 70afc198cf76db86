// ElementWise: out = a <op> b with equal-rank inputs broadcast over extents of 1.
//   kSUM kPROD kMAX kMIN kSUB kDIV kPOW kFLOOR_DIV  FLOAT or INT32 in, same type out
//   kAND kOR kXOR                                    BOOL in, BOOL out
//   kEQUAL kGREATER kLESS                            FLOAT or INT32 in, BOOL out
// Both inputs have the same type. On INT32, kDIV and kFLOOR_DIV round toward negative infinity,
// x / 0 is defined as 0, and overflow wraps (two's complement); kPOW with a negative exponent
// gives 0 unless the base is 1 or -1. When both INT32 inputs have known values (shape tensors),
// so does the output.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ElementWiseParams final : public ir::LayerParams
{
public:
    nvinfer1::ElementWiseOperation operation{nvinfer1::ElementWiseOperation::kSUM};

    ir::LayerKind kind() const override { return ir::LayerKind::kElementWise; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ElementWiseParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override { v.visitEnum("operation", operation); }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

//! The three classes of ElementWise operations.
bool isLogicalOp(nvinfer1::ElementWiseOperation op);    //!< kAND kOR kXOR
bool isComparisonOp(nvinfer1::ElementWiseOperation op); //!< kEQUAL kGREATER kLESS
bool isArithmeticOp(nvinfer1::ElementWiseOperation op); //!< kSUM kPROD kMAX kMIN kSUB kDIV kPOW kFLOOR_DIV

//! \p op on two INT32 values (arithmetic ops only), with the semantics above.
int32_t applyIntOp(nvinfer1::ElementWiseOperation op, int32_t a, int32_t b);

//! IElementWiseLayer's formula on two FLOAT values (the arithmetic operations kSUM .. kFLOOR_DIV;
//! 0 for the others).
float applyBinaryFloat(nvinfer1::ElementWiseOperation op, float a, float b);

} // namespace kiln::layers
