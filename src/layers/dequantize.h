// Dequantize (ONNX DequantizeLinear): y = float(x - zeroPoint) * scale for an INT8 or INT32 input x;
// the output is FLOAT (toType must be FLOAT). Inputs: 1 the scale, optional 2 the zero point (see
// quantization_utils.h for their shapes and the axis); the output has the input's dims.
// Implicit batch: a non-negative axis leaves the batch out; addBatchAxis moves it up by one.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class DequantizeParams final : public ir::LayerParams
{
public:
    int32_t axis{1};
    nvinfer1::DataType toType{nvinfer1::DataType::kFLOAT};

    ir::LayerKind kind() const override { return ir::LayerKind::kDequantize; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<DequantizeParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("axis", axis);
        v.visitEnum("toType", toType);
    }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
