// Scatter (TensorRT 8.2 IScatterLayer): output = a copy of data (input 0; FLOAT, INT32 or BOOL)
// with the values of updates (input 2, data's type) written at the positions named by the INT32
// indices (input 1). No reduction: where indices repeat, the update that comes last in row-major
// order wins.
//   kELEMENT (ONNX ScatterElements): indices and updates have equal dims and the data's rank;
//            out[c with c[axis] = indices[c]] = updates[c]. Off the axis the indices' extents must
//            not exceed the data's. axis may be negative (counts from the end).
//   kND (ONNX ScatterND): the last index axis (extent k, known at build time, 1 <= k <= rank)
//            addresses data axes 0..k-1; updates dims = indices.dims[:-1] + data.dims[k:], and
//            each index tuple writes one slice. The axis is ignored.
// Negative indices count from the end of their axis; an index still outside [0, extent) is a
// run-time error. Scatter needs an explicit-batch network (addBatchAxis reports an error).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ScatterParams final : public ir::LayerParams
{
public:
    nvinfer1::ScatterMode mode{nvinfer1::ScatterMode::kELEMENT};
    int32_t axis{0};

    ir::LayerKind kind() const override { return ir::LayerKind::kScatter; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ScatterParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("mode", mode);
        v.visit("axis", axis);
    }
    int32_t minInputs() const override { return 3; }
    int32_t maxInputs() const override { return 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
