// Concatenation: joins its inputs (one or more, all FLOAT or all INT32, equal ranks and extents
// except on the axis) along axis. The API sets the default axis when the layer is added: rank - 3,
// or 0 below rank 3; negative axes are rejected (TensorRT 7). Known INT32 input values (shape
// tensors) are concatenated into the output values.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ConcatenationParams final : public ir::LayerParams
{
public:
    //! More inputs than any real network needs, so a stray setInput index cannot allocate much.
    static constexpr int32_t kMaxInputs = 1 << 16;

    int32_t axis{0};

    ir::LayerKind kind() const override { return ir::LayerKind::kConcatenation; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ConcatenationParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override { v.visit("axis", axis); }
    int32_t maxInputs() const override { return kMaxInputs; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

//! TensorRT's default concatenation axis for inputs of \p rank: rank - 3, or 0 below rank 3.
int32_t defaultConcatenationAxis(int32_t rank);

} // namespace kiln::layers
