// Helpers shared by Quantize and Dequantize (ONNX QuantizeLinear / DequantizeLinear): validation
// of the scale (input 1) and zero point (input 2) against the data (input 0), and where each data
// element finds its scale.
//
// The scale is per tensor (one element) or per axis: its extents are all 1 except the last, which
// equals the data's extent along `axis` (so [C], and [1, C] after implicit-batch lowering, both
// work). `axis` may be negative (counted from the end) and is only checked for a per-axis scale.
// The zero point, when present, has the scale's dims and is INT8, INT32 or FLOAT.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

//! Where the data elements find their scale: element i uses scale[(i / inner) % channels]
//! (channels == 1 for a per-tensor scale).
struct QuantizationLayout
{
    int64_t channels{1};
    int64_t inner{1};
};

//! Validates inputs 1 and 2 against input 0 (already type-checked) and \p axis.
Status checkQuantizationOperands(const ir::ShapeContext& ctx, int32_t axis);

//! The layout for concrete \p data and \p scale dims that passed checkQuantizationOperands.
QuantizationLayout quantizationLayout(const nvinfer1::Dims& data, const nvinfer1::Dims& scale, int32_t axis);

//! Implicit-batch lowering of a quantization axis: non-negative axes move up by one.
Status shiftQuantizationAxis(int32_t& axis);

//! The fields Quantize and Dequantize share: the axis of a per-axis scale and the output type.
class QuantizationParams : public ir::LayerParams
{
public:
    int32_t axis{1};
    nvinfer1::DataType toType;

    explicit QuantizationParams(nvinfer1::DataType defaultType)
        : toType(defaultType)
    {
    }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("axis", axis);
        v.visitEnum("toType", toType);
    }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 3; }
    Status addBatchAxis() override { return shiftQuantizationAxis(axis); }
};

} // namespace kiln::layers
