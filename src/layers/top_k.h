// TopK: the k largest (kMAX) or smallest (kMIN) values along one axis, named by a bitmask with
// exactly one bit (implicit-batch bits leave the batch out; lowering shifts them up by one).
// Output 0 holds the values (FLOAT), output 1 their indices along the axis (INT32), both with the
// axis extent replaced by k, in order: best first, and among equal values the lower index first.
// NaN counts as larger than every number. 1 <= k <= min(axis extent, kMaxTopK).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

//! TensorRT's limit on k.
constexpr int32_t kMaxTopK = 3840;

class TopKParams final : public ir::LayerParams
{
public:
    nvinfer1::TopKOperation operation{nvinfer1::TopKOperation::kMAX};
    int32_t k{1};
    uint32_t axes{1u};

    ir::LayerKind kind() const override { return ir::LayerKind::kTopK; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<TopKParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("operation", operation);
        v.visit("k", k);
        auto bits = static_cast<int32_t>(axes);
        v.visit("axes", bits);
        if (static_cast<uint32_t>(bits) != axes) // readers must not store (see FieldVisitor::visitEnum)
            axes = static_cast<uint32_t>(bits);
    }
    int32_t nbOutputs() const override { return 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
