// Select: y = condition ? thenInput : elseInput element-wise. Input 0 is the BOOL condition,
// inputs 1 and 2 have one type (FLOAT or INT32), which the output takes; all three have equal
// rank and broadcast over extents of 1.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class SelectParams final : public ir::LayerParams
{
public:
    ir::LayerKind kind() const override { return ir::LayerKind::kSelect; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<SelectParams>(*this); }
    void visitFields(ir::FieldVisitor&) override {}
    int32_t minInputs() const override { return 3; }
    int32_t maxInputs() const override { return 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
