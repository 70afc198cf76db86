// Dequantize (ONNX DequantizeLinear): y = float(x - zeroPoint) * scale for an INT8 or INT32 input x;
// the output is FLOAT (toType must be FLOAT). Inputs: 1 the scale, optional 2 the zero point (see
// quantization_utils.h for their shapes and the axis); the output has the input's dims.
// Implicit batch: a non-negative axis leaves the batch out; addBatchAxis moves it up by one.
#pragma once

#include "layers/quantization_utils.h"

namespace kiln::layers
{

class DequantizeParams final : public QuantizationParams
{
public:
    DequantizeParams()
        : QuantizationParams(nvinfer1::DataType::kFLOAT)
    {
    }
    ir::LayerKind kind() const override { return ir::LayerKind::kDequantize; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<DequantizeParams>(*this); }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
