// Reduce: kSUM, kPROD, kMAX, kMIN or kAVG over the axes of a non-empty bitmask (bits below the
// input's rank; implicit-batch bits leave the batch out and lowering shifts them up by one).
// keepDimensions keeps the reduced axes with extent 1, else they are removed. FLOAT for every
// operation, INT32 for all but kAVG (wrapping on overflow); the output has the input's type.
// Over an empty axis: sum 0, product 1, max the lowest value, min the highest, average NaN.
// An INT32 input with known values (shape tensor) gives known values.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ReduceParams final : public ir::LayerParams
{
public:
    nvinfer1::ReduceOperation operation{nvinfer1::ReduceOperation::kSUM};
    uint32_t axes{1u};
    bool keepDimensions{false};

    ir::LayerKind kind() const override { return ir::LayerKind::kReduce; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ReduceParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("operation", operation);
        auto bits = static_cast<int32_t>(axes);
        v.visit("axes", bits);
        if (static_cast<uint32_t>(bits) != axes) // readers must not store (see FieldVisitor::visitEnum)
            axes = static_cast<uint32_t>(bits);
        v.visit("keepDimensions", keepDimensions);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

//! How a reduction walks its input: the kept axes (in order) and the reduced axes, each with its
//! extent and its stride in the input. Every output element is the reduction of reducedCount
//! input elements, visited in row-major order of the reduced axes.
struct ReducePlan
{
    int32_t nbKept{0};
    int64_t keptExtent[nvinfer1::Dims::MAX_DIMS]{};
    int64_t keptStride[nvinfer1::Dims::MAX_DIMS]{};
    int32_t nbReduced{0};
    int64_t reducedExtent[nvinfer1::Dims::MAX_DIMS]{};
    int64_t reducedStride[nvinfer1::Dims::MAX_DIMS]{};
    int64_t outputCount{1};
    int64_t reducedCount{1};

    //! \p dims must be concrete and \p axes valid for its rank.
    ReducePlan(const nvinfer1::Dims& dims, uint32_t axes);
    //! Input offset of the first element reduced into output element \p index.
    int64_t baseOffset(int64_t index) const;
    //! Input offset (relative to the base) of reduced element \p k (0 <= k < reducedCount).
    int64_t reducedOffset(int64_t k) const;
};

//! One INT32 output element: \p op over the reduced elements starting at \p x (wrapping).
int32_t reduceIntElement(nvinfer1::ReduceOperation op, const ReducePlan& plan, const int32_t* x);

} // namespace kiln::layers
