// OneHot (TensorRT 8.x IOneHotLayer, ONNX OneHot): inputs indices (INT32, any rank r), values
// (FLOAT or INT32, 2 elements [off, on]; the output has this type) and depth (INT32, 1 element, a
// shape tensor whose value must be known at shape time and be >= 1). The output has the indices'
// dims with a new axis of extent depth inserted at axis (in [-(r+1), r]; negative counts from the
// end of the output):
//   out[..., d, ...] = on if index == d (a negative index counts as index + depth) else off,
// so an index outside [-depth, depth) gives a row of off values.
// Implicit batch: addBatchAxis shifts a non-negative axis past the batch; values and depth are
// accepted with any rank as long as they hold 2 and 1 elements (constants gain a batch axis).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class OneHotParams final : public ir::LayerParams
{
public:
    int32_t axis{-1};

    ir::LayerKind kind() const override { return ir::LayerKind::kOneHot; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<OneHotParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override { v.visit("axis", axis); }
    int32_t minInputs() const override { return 3; }
    int32_t maxInputs() const override { return 3; }
    bool isShapeInput(int32_t index) const override { return index == 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
