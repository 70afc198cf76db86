// MatrixMultiply: C = op0(A) · op1(B) on FLOAT tensors, batched over the leading dimensions.
//   kNONE       the last two dims are a matrix
//   kTRANSPOSE  the last two dims are a matrix, transposed
//   kVECTOR     the last dim is a vector (a vector A acts as a 1×K row, a vector B as a K×1
//               column; that axis is dropped from the output)
// Both inputs have the same number of batch dims (so a kVECTOR input has rank one less than a
// matrix one); batch extents are equal or 1 (broadcast). Output: batch + [M] + [N], with M and N
// left out for vector operands.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class MatrixMultiplyParams final : public ir::LayerParams
{
public:
    nvinfer1::MatrixOperation op0{nvinfer1::MatrixOperation::kNONE};
    nvinfer1::MatrixOperation op1{nvinfer1::MatrixOperation::kNONE};

    ir::LayerKind kind() const override { return ir::LayerKind::kMatrixMultiply; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<MatrixMultiplyParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("op0", op0);
        v.visitEnum("op1", op1);
    }
    int32_t minInputs() const override { return 2; }
    int32_t maxInputs() const override { return 2; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

//! The problem sizes of one matrix product for given operand dims (valid for these params):
//! op0(A) is M×K, op1(B) is K×N (M or N is 1 for a vector operand).
struct MatrixShape
{
    int32_t batchRank{0};
    int64_t m{1};
    int64_t n{1};
    int64_t k{1};
};
MatrixShape matrixShape(const MatrixMultiplyParams& params, const nvinfer1::Dims& a, const nvinfer1::Dims& b);

} // namespace kiln::layers
