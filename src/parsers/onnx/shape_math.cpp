#include "shape_math.h"

#include <algorithm>

namespace kiln::onnx
{

using nvinfer1::ElementWiseOperation;

ShapeMath::Scalar ShapeMath::dim(int32_t i)
{
    if (i >= 0 && i < mDims.nbDims && mDims.d[i] >= 0)
        return c(mDims.d[i]);
    if (!mShape)
        mShape = shapeOf(mCtx, mX);
    return Scalar{false, 0, slice1d(mCtx, mShape, i, i + 1)};
}

ShapeMath::Scalar ShapeMath::op(Scalar a, Scalar b, ElementWiseOperation op)
{
    if (a.isConst && b.isConst)
    {
        switch (op)
        {
        case ElementWiseOperation::kSUM: return c(a.value + b.value);
        case ElementWiseOperation::kSUB: return c(a.value - b.value);
        case ElementWiseOperation::kPROD: return c(a.value * b.value);
        case ElementWiseOperation::kMIN: return c(std::min(a.value, b.value));
        case ElementWiseOperation::kMAX: return c(std::max(a.value, b.value));
        case ElementWiseOperation::kFLOOR_DIV:
        {
            if (b.value == 0)
                return c(0);
            int64_t q = a.value / b.value;
            if ((a.value % b.value != 0) && ((a.value < 0) != (b.value < 0)))
                --q;
            return c(q);
        }
        default: break;
        }
    }
    return Scalar{false, 0, elementwise(mCtx, tensor(a), tensor(b), op)};
}

nvinfer1::ITensor* ShapeMath::tensor(Scalar s)
{
    return s.isConst ? intConstant(mCtx, {s.value}) : s.tensor;
}

nvinfer1::ITensor* ShapeMath::vector(const std::vector<Scalar>& parts)
{
    if (allConst(parts))
    {
        std::vector<int64_t> values;
        for (const Scalar& s : parts)
            values.push_back(s.value);
        return intConstant(mCtx, values);
    }
    std::vector<nvinfer1::ITensor*> tensors;
    for (const Scalar& s : parts)
        tensors.push_back(tensor(s));
    return concat(mCtx, tensors);
}

bool ShapeMath::allConst(const std::vector<Scalar>& parts)
{
    return std::all_of(parts.begin(), parts.end(), [](const Scalar& s) { return s.isConst; });
}

nvinfer1::Dims ShapeMath::constDims(const std::vector<Scalar>& parts)
{
    std::vector<int64_t> values;
    for (const Scalar& s : parts)
        values.push_back(s.value);
    return makeDims(values);
}

} // namespace kiln::onnx
