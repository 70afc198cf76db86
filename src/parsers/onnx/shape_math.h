// Arithmetic on 1-element INT32 shape tensors, for extents that are only known at run time. Each
// operand is either a constant (folded here) or a tensor; results stay constants when they can.
#pragma once

#include "helpers.h"

namespace kiln::onnx
{

class ShapeMath
{
public:
    //! A scalar extent: a constant or a 1-element INT32 tensor.
    struct Scalar
    {
        bool isConst{true};
        int64_t value{0};
        nvinfer1::ITensor* tensor{nullptr};
    };

    ShapeMath(ImporterContext& ctx, nvinfer1::ITensor* x)
        : mCtx(ctx)
        , mX(x)
        , mDims(x->getDimensions())
    {
    }

    static Scalar c(int64_t v) { return Scalar{true, v, nullptr}; }
    //! Extent \p i of the tensor.
    Scalar dim(int32_t i);
    Scalar add(Scalar a, Scalar b) { return op(a, b, nvinfer1::ElementWiseOperation::kSUM); }
    Scalar sub(Scalar a, Scalar b) { return op(a, b, nvinfer1::ElementWiseOperation::kSUB); }
    Scalar mul(Scalar a, Scalar b) { return op(a, b, nvinfer1::ElementWiseOperation::kPROD); }
    Scalar floorDiv(Scalar a, Scalar b) { return op(a, b, nvinfer1::ElementWiseOperation::kFLOOR_DIV); }
    Scalar min(Scalar a, Scalar b) { return op(a, b, nvinfer1::ElementWiseOperation::kMIN); }
    Scalar max(Scalar a, Scalar b) { return op(a, b, nvinfer1::ElementWiseOperation::kMAX); }
    nvinfer1::ITensor* tensor(Scalar s);
    //! A 1-D shape tensor of the scalars, or nullptr if a layer was refused.
    nvinfer1::ITensor* vector(const std::vector<Scalar>& parts);
    //! True when every scalar is constant.
    static bool allConst(const std::vector<Scalar>& parts);
    static nvinfer1::Dims constDims(const std::vector<Scalar>& parts);

private:
    Scalar op(Scalar a, Scalar b, nvinfer1::ElementWiseOperation op);

    ImporterContext& mCtx;
    nvinfer1::ITensor* mX;
    nvinfer1::Dims mDims;
    nvinfer1::ITensor* mShape{nullptr};
};

} // namespace kiln::onnx
