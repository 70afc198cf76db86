// Shape: outputs the dims of its input (any type) as a 1-D INT32 tensor of length rank; its
// values are known at shape time when every input extent is. Shape layers need an explicit-batch
// network (addBatchAxis fails).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ShapeParams final : public ir::LayerParams
{
public:
    ir::LayerKind kind() const override { return ir::LayerKind::kShape; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ShapeParams>(*this); }
    void visitFields(ir::FieldVisitor&) override {}
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
