// Reformat (engine-only; the network API never makes one): copies a FLOAT tensor from one memory
// layout to another (ir/layout.h). The builder's layout choice inserts it where a channel-blocked
// tensor meets a layer that reads row-major (builder/layout_choice.cpp). The values and dims are
// unchanged; only their order in memory differs:
//
//   linear  -> nChw<B>c:  out[((n*C/B + c/B)*H + h)*W + w)*B + c%B] = in[((n*C + c)*H + h)*W + w]
//   nChw<B>c -> linear:   the inverse
//
// from == to is allowed (a plain copy).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ReformatParams final : public ir::LayerParams
{
public:
    ir::Layout from{ir::Layout::kLinear};
    ir::Layout to{ir::Layout::kLinear};

    ir::LayerKind kind() const override { return ir::LayerKind::kReformat; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ReformatParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("from", from);
        v.visitEnum("to", to);
    }
    //! Checks the layouts against the input dims (ir::checkLayout); the output has the input's dims.
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
