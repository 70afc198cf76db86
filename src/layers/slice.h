// Slice: out[i] = in[start + i·stride] per axis, with output extents = size. The mode says what
// a coordinate c outside [0, n) (n the input extent) reads:
//   kDEFAULT  nothing: every coordinate read must lie inside the input (an error at shape time)
//   kWRAP     in[c mod n] (negative c too)
//   kCLAMP    in[min(max(c, 0), n - 1)]                  (edge padding)
//   kFILL     the fill value: input 4, a tensor of one element of the input's type (default 0)
//   kREFLECT  c reflected at both edges without repeating them, period 2·(n - 1), as numpy's
//             'reflect' pad (n == 1 reads the single element)
// With kWRAP, kCLAMP, kFILL and kREFLECT the start may be negative and the size may exceed the
// input: that is how the ONNX parser implements Pad (constant: kFILL, edge: kCLAMP, reflect:
// kREFLECT, wrap: kWRAP) with start = -pre-padding, size = extent + pre + post, stride 1. Only kFILL
// reads an empty axis (n == 0); input 4 is only accepted with kFILL.
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
    int32_t maxInputs() const override { return 5; }
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

//! The input coordinate read on one axis for output coordinate \p i, or -1 where kFILL reads the
//! fill value.
inline int64_t sliceCoordinate(nvinfer1::SliceMode mode, int64_t start, int64_t stride, int64_t i, int64_t extent)
{
    const int64_t c = start + i * stride;
    if ((c >= 0 && c < extent) || mode == nvinfer1::SliceMode::kDEFAULT)
        return c;
    if (extent <= 0)
        return -1;
    switch (mode)
    {
    case nvinfer1::SliceMode::kWRAP:
    {
        const int64_t m = c % extent;
        return m < 0 ? m + extent : m;
    }
    case nvinfer1::SliceMode::kCLAMP: return c < 0 ? 0 : extent - 1;
    case nvinfer1::SliceMode::kREFLECT:
    {
        if (extent == 1)
            return 0;
        const int64_t period = 2 * (extent - 1);
        int64_t m = c % period;
        m = m < 0 ? m + period : m;
        return m < extent ? m : period - m;
    }
    default: return -1;
    }
}

} // namespace kiln::layers
