// Identity: copies its input. When outputType is set (>= 0, a nvinfer1::DataType value; the API
// sets it through ILayer::setOutputType(0, type)) the elements are converted between FLOAT, HALF,
// INT32 and BOOL: to INT32 rounds toward zero (saturating; NaN gives 0), to BOOL gives x != 0,
// from BOOL gives 0 or 1. Without it the output type is the input type (any type, INT8 included).
// Known INT32 values pass through.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class IdentityParams final : public ir::LayerParams
{
public:
    //! Output type as a nvinfer1::DataType value, or kSameType.
    static constexpr int32_t kSameType = -1;
    int32_t outputType{kSameType};

    ir::LayerKind kind() const override { return ir::LayerKind::kIdentity; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<IdentityParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override { v.visit("outputType", outputType); }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

//! True for the types Identity converts between.
bool isConvertibleType(nvinfer1::DataType type);

} // namespace kiln::layers
