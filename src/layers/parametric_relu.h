// ParametricReLU: y = x >= 0 ? x : slope * x, input 0 x and input 1 slope, both FLOAT of equal
// rank; extents of 1 broadcast (either side: the output has the broadcast dims, which are x's
// dims when slope broadcasts against x as TensorRT requires).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ParametricReLUParams final : public ir::LayerParams
{
public:
    ir::LayerKind kind() const override { return ir::LayerKind::kParametricReLU; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ParametricReLUParams>(*this); }
    void visitFields(ir::FieldVisitor&) override {}
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
