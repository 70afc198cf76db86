// SoftMax: y = exp(x - max) / sum(exp(x - max)) along one axis, named by a bitmask with exactly
// one bit. addSoftMax sets the default from the input's rank when the layer is added: axis
// rank - 3, or 0 for a rank below 3 (in implicit-batch networks the bits leave the batch out, and
// lowering shifts them up by one). FLOAT in and out, rank >= 1.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class SoftMaxParams final : public ir::LayerParams
{
public:
    uint32_t axes{1u};

    ir::LayerKind kind() const override { return ir::LayerKind::kSoftMax; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<SoftMaxParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        auto bits = static_cast<int32_t>(axes);
        v.visit("axes", bits);
        if (static_cast<uint32_t>(bits) != axes) // readers must not store (see FieldVisitor::visitEnum)
            axes = static_cast<uint32_t>(bits);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;

    //! TensorRT's default axes bitmask for an input of rank \p rank.
    static uint32_t defaultAxes(int32_t rank) { return 1u << (rank >= 3 ? rank - 3 : 0); }
};

} // namespace kiln::layers
