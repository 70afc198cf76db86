#include "kernels/kernel.h"
#include "layers/matrix_multiply.h"
#include "layers/movement_utils.h"

#include <algorithm>

namespace kiln::kernels::reference
{

Status runMatrixMultiply(const KernelArgs& args)
{
    using nvinfer1::MatrixOperation;
    const auto& p = args.paramsAs<layers::MatrixMultiplyParams>();
    const TensorBuffer& a = args.inputs[0];
    const TensorBuffer& b = args.inputs[1];
    const TensorBuffer& out = args.outputs[0];
    const layers::MatrixShape s = layers::matrixShape(p, a.dims, b.dims);

    // Batch strides of each operand, 0 on broadcast axes.
    nvinfer1::Dims batch{};
    batch.nbDims = s.batchRank;
    int64_t aStride[nvinfer1::Dims::MAX_DIMS]{};
    int64_t bStride[nvinfer1::Dims::MAX_DIMS]{};
    int64_t aMatrix = s.m * s.k;
    int64_t bMatrix = s.k * s.n;
    for (int32_t i = s.batchRank - 1; i >= 0; --i)
    {
        batch.d[i] = out.dims.d[i];
        aStride[i] = a.dims.d[i] == 1 ? 0 : aMatrix;
        bStride[i] = b.dims.d[i] == 1 ? 0 : bMatrix;
        aMatrix *= a.dims.d[i];
        bMatrix *= b.dims.d[i];
    }

    const float* x = a.as<const float>();
    const float* w = b.as<const float>();
    float* y = out.as<float>();
    const int64_t rows = volume(batch) * s.m;
    const int64_t m = s.m, n = s.n, k = s.k;
    // Element (i, j) of op0(A) and op1(B) within one matrix.
    const int64_t aRow = p.op0 == MatrixOperation::kTRANSPOSE ? 1 : k;
    const int64_t aCol = p.op0 == MatrixOperation::kTRANSPOSE ? m : 1;
    const int64_t bRow = p.op1 == MatrixOperation::kTRANSPOSE ? 1 : n;
    const int64_t bCol = p.op1 == MatrixOperation::kTRANSPOSE ? k : 1;
    args.pool->parallelFor(
        rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(n * k, 1)), [&](int64_t begin, int64_t end) {
            int64_t coords[nvinfer1::Dims::MAX_DIMS];
            for (int64_t row = begin; row < end; ++row)
            {
                const int64_t i = row % m;
                layers::unravelIndex(row / m, batch, coords);
                int64_t aOff = 0, bOff = 0;
                for (int32_t d = 0; d < s.batchRank; ++d)
                {
                    aOff += coords[d] * aStride[d];
                    bOff += coords[d] * bStride[d];
                }
                const float* ai = x + aOff + i * aRow;
                for (int64_t j = 0; j < n; ++j)
                {
                    const float* bj = w + bOff + j * bCol;
                    float acc = 0.f;
                    for (int64_t t = 0; t < k; ++t)
                        acc += ai[t * aCol] * bj[t * bRow];
                    y[row * n + j] = acc;
                }
            }
        });
    return Status::ok();
}

} // namespace kiln::kernels::reference
