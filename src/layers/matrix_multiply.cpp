#include "layers/matrix_multiply.h"

#include "layers/checks.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

namespace
{

int32_t matrixRank(nvinfer1::MatrixOperation op)
{
    return op == nvinfer1::MatrixOperation::kVECTOR ? 1 : 2;
}

//! The row (M or N) and reduction (K) extents of one operand; row is 1 for a vector.
void operandExtents(nvinfer1::MatrixOperation op, const nvinfer1::Dims& d, bool isLeft, int32_t& row, int32_t& k)
{
    const int32_t r = d.nbDims;
    if (op == nvinfer1::MatrixOperation::kVECTOR)
    {
        row = 1;
        k = d.d[r - 1];
        return;
    }
    // Left: A is M×K (kNONE) or K×M (kTRANSPOSE); right: B is K×N (kNONE) or N×K (kTRANSPOSE).
    const bool rowFirst = isLeft == (op == nvinfer1::MatrixOperation::kNONE);
    row = rowFirst ? d.d[r - 2] : d.d[r - 1];
    k = rowFirst ? d.d[r - 1] : d.d[r - 2];
}

} // namespace

Status MatrixMultiplyParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "operation 0", op0));
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "operation 1", op1));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, matrixRank(op0)));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 1, matrixRank(op1)));
    const nvinfer1::Dims& a = ctx.input(0)->dims;
    const nvinfer1::Dims& b = ctx.input(1)->dims;
    int64_t unused = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "input 0", a, unused));
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "input 1", b, unused));
    const int32_t batchRank = a.nbDims - matrixRank(op0);
    if (b.nbDims - matrixRank(op1) != batchRank)
        return ctx.error("inputs " + toString(a) + " and " + toString(b)
            + " need the same number of batch dimensions (a vector operand has one dimension fewer than a matrix)");
    int32_t m = 0, ka = 0, n = 0, kb = 0;
    operandExtents(op0, a, true, m, ka);
    operandExtents(op1, b, false, n, kb);
    if (ka >= 0 && kb >= 0 && ka != kb)
        return ctx.error("inputs " + toString(a) + " and " + toString(b) + " have different reduction extents ("
            + std::to_string(ka) + " and " + std::to_string(kb) + ")");
    nvinfer1::Dims out{};
    for (int32_t i = 0; i < batchRank; ++i)
        if (!broadcastExtent(a.d[i], b.d[i], out.d[out.nbDims++]))
            return ctx.error("batch dimensions of " + toString(a) + " and " + toString(b)
                + " cannot be broadcast (axis " + std::to_string(i) + ")");
    if (op0 != nvinfer1::MatrixOperation::kVECTOR)
        out.d[out.nbDims++] = m;
    if (op1 != nvinfer1::MatrixOperation::kVECTOR)
        out.d[out.nbDims++] = n;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "output", out, unused));
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = out;
    return Status::ok();
}

MatrixShape matrixShape(const MatrixMultiplyParams& params, const nvinfer1::Dims& a, const nvinfer1::Dims& b)
{
    MatrixShape s;
    s.batchRank = a.nbDims - matrixRank(params.op0);
    int32_t m = 0, k = 0, n = 0, kb = 0;
    operandExtents(params.op0, a, true, m, k);
    operandExtents(params.op1, b, false, n, kb);
    s.m = m;
    s.n = n;
    s.k = k;
    return s;
}

} // namespace kiln::layers
