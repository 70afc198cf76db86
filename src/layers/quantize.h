// Quantize (ONNX QuantizeLinear): y = saturate(roundHalfToEven(x / scale) + zeroPoint) for a FLOAT
// input x, converted to toType: INT8 saturates to [-128, 127], INT32 to the int32 range. x / scale
// is a float division (as ONNX computes it). Inputs: 1 the scale, optional 2 the zero point (see
// quantization_utils.h for their shapes and the axis); the output has the input's dims.
// Implicit batch: a non-negative axis leaves the batch out; addBatchAxis moves it up by one.
#pragma once

#include "layers/quantization_utils.h"

namespace kiln::layers
{

class QuantizeParams final : public QuantizationParams
{
public:
    QuantizeParams()
        : QuantizationParams(nvinfer1::DataType::kINT8)
    {
    }
    ir::LayerKind kind() const override { return ir::LayerKind::kQuantize; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<QuantizeParams>(*this); }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
