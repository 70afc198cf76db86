// Cumulative: running sums along one axis (ONNX CumSum). Input 0 is FLOAT or INT32 (INT32 sums
// wrap on overflow); input 1 is the axis, an INT32 tensor of one element (any rank) whose value must
// be known at shape time (a Constant in practice); a negative axis counts from the end. exclusive leaves
// the current element out of its own sum (the first output along the axis is 0); reverse sums
// from the end of the axis. The output has the input's type and dims; known INT32 input values
// (shape tensors) give known output values.
// Implicit batch: a non-negative axis leaves the batch out; addBatchAxis sets implicitBatch, which
// moves such an axis up by one.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class CumulativeParams final : public ir::LayerParams
{
public:
    nvinfer1::CumulativeOperation operation{nvinfer1::CumulativeOperation::kSUM};
    bool exclusive{false};
    bool reverse{false};
    bool implicitBatch{false};

    ir::LayerKind kind() const override { return ir::LayerKind::kCumulative; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<CumulativeParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("operation", operation);
        v.visit("exclusive", exclusive);
        v.visit("reverse", reverse);
        v.visit("implicitBatch", implicitBatch);
    }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 2; }
    bool isShapeInput(int32_t index) const override { return index == 1; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override
    {
        implicitBatch = true;
        return Status::ok();
    }

    //! The axis \p value (input 1) names in a tensor of \p rank, or -1 when out of range.
    int32_t resolveAxis(int32_t value, int32_t rank) const;

    //! The running sum of one line of \p n elements \p stride apart, accumulated in Acc (double
    //! for FLOAT, uint32_t for wrapping INT32). \p x and \p y may alias.
    template <typename T, typename Acc>
    void scanLine(const T* x, T* y, int64_t n, int64_t stride) const
    {
        Acc acc = 0;
        for (int64_t j = 0; j < n; ++j)
        {
            const int64_t k = (reverse ? n - 1 - j : j) * stride;
            const Acc v = static_cast<Acc>(x[k]);
            y[k] = static_cast<T>(exclusive ? acc : acc + v);
            acc += v;
        }
    }
};

} // namespace kiln::layers
