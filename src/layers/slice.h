// Slice: out[i] = in[start + i·stride] per axis, with output extents = size.
//   kDEFAULT  every coordinate read must lie inside the input (an error at shape time otherwise)
//   kWRAP     coordinates are taken modulo the input extent (negative ones too)
// Strides may be negative or 0 (0 repeats one element, as ONNX Expand needs); sizes must not be
// negative. Inputs 1, 2 and 3, when present, are 1-D INT32 shape tensors that replace start, size
// and stride. fullBatch (set by addBatchAxis) slices axis 0, the implicit batch, whole: start 0,
// stride 1, size the batch; shape-tensor inputs are an error in that mode. Known INT32 input
// values (shape tensors) are sliced into the output values.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class SliceParams final : public ir::LayerParams
{
public:
    nvinfer1::Dims start{};
    nvinfer1::Dims size{};
    nvinfer1::Dims stride{};
    nvinfer1::SliceMode mode{nvinfer1::SliceMode::kDEFAULT};
    bool fullBatch{false};

    ir::LayerKind kind() const override { return ir::LayerKind::kSlice; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<SliceParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("start", start);
        v.visit("size", size);
        v.visit("stride", stride);
        v.visitEnum("mode", mode);
        v.visit("fullBatch", fullBatch);
    }
    int32_t maxInputs() const override { return 4; }
    bool isShapeInput(int32_t index) const override { return index >= 1 && index <= 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

//! Start and stride of every axis of a slice, resolved from the parameters, the shape-tensor
//! values (where given, else nullptr) and fullBatch. Only valid after inferShapes accepted them.
struct SliceWindow
{
    int64_t start[nvinfer1::Dims::MAX_DIMS]{};
    int64_t stride[nvinfer1::Dims::MAX_DIMS]{};
};
SliceWindow sliceWindow(const SliceParams& params, int32_t rank, const int32_t* start, const int32_t* stride);

//! The input coordinate read on one axis for output coordinate \p i.
inline int64_t sliceCoordinate(nvinfer1::SliceMode mode, int64_t start, int64_t stride, int64_t i, int64_t extent)
{
    const int64_t c = start + i * stride;
    if (mode != nvinfer1::SliceMode::kWRAP || extent <= 0)
        return c;
    const int64_t m = c % extent;
    return m < 0 ? m + extent : m;
}

} // namespace kiln::layers
