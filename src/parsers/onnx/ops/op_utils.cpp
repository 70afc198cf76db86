#include "op_utils.h"

#include <algorithm>

namespace kiln::onnx
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::ReduceOperation;
using TP = ::onnx::TensorProto;

//! Input \p i as one constant integer.
OnnxExpected<int64_t> constScalarInt(Node& node, int32_t i, const char* what)
{
    KILN_ONNX_ASSIGN(std::vector<int64_t> v, node.constInts(i, what));
    KILN_ONNX_CHECK(v.size() == 1, kINVALID_NODE, std::string(what) + " must hold one value");
    return v[0];
}

//! The output_datatype attribute (FLOAT by default) as a Kiln type.
OnnxExpected<DataType> outputDatatype(Node& node)
{
    const int64_t onnxType = node.attrs.i("output_datatype", TP::FLOAT);
    DataType type = DataType::kFLOAT;
    KILN_ONNX_CHECK(kilnTypeOf(static_cast<int32_t>(onnxType), type) && type != DataType::kBOOL, kUNSUPPORTED_NODE,
        std::string("output_datatype ") + onnxTypeName(static_cast<int32_t>(onnxType)) + " is not supported");
    return type;
}

ITensor* select(ImporterContext& ctx, ITensor* cond, ITensor* a, ITensor* b)
{
    if (!cond || !a || !b)
        return nullptr;
    nvinfer1::ISelectLayer* l = ctx.network().addSelect(*cond, *a, *b);
    return l ? l->getOutput(0) : nullptr;
}

//! \p op over every element of \p x, as a rank-0 tensor.
ITensor* reduceAll(ImporterContext& ctx, ITensor* x, ReduceOperation op)
{
    if (!x)
        return nullptr;
    const int32_t rank = x->getDimensions().nbDims;
    if (rank == 0)
        return x;
    nvinfer1::IReduceLayer* l = ctx.network().addReduce(*x, op, (1u << rank) - 1u, false);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* floatConst(ImporterContext& ctx, double v, int32_t rank)
{
    return scalarConstant(ctx, DataType::kFLOAT, v, rank);
}

ITensor* clampTo(ImporterContext& ctx, ITensor* x, double lo, double hi)
{
    if (!x)
        return nullptr;
    const int32_t rank = x->getDimensions().nbDims;
    x = elementwise(ctx, x, scalarConstant(ctx, x->getType(), lo, rank), ElementWiseOperation::kMAX);
    return elementwise(ctx, x, scalarConstant(ctx, x->getType(), hi, rank), ElementWiseOperation::kMIN);
}

//! The value range of a quantized ONNX type (UINT8 or INT8).
std::pair<double, double> quantizedRange(int32_t onnxType)
{
    return onnxType == TP::INT8 ? std::pair<double, double>{-128.0, 127.0} : std::pair<double, double>{0.0, 255.0};
}

//! Strides of a row-major shape.
std::vector<int64_t> stridesOf(const std::vector<int64_t>& shape)
{
    std::vector<int64_t> s(shape.size(), 1);
    for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
        s[static_cast<size_t>(i)] = s[static_cast<size_t>(i) + 1] * shape[static_cast<size_t>(i) + 1];
    return s;
}

// ---- Window functions ----


//! ONNX MatMul of two FLOAT tensors (numpy semantics for 1-D operands and batch broadcasting).
ITensor* matmul(ImporterContext& ctx, ITensor* a, ITensor* b)
{
    if (!a || !b)
        return nullptr;
    const int32_t ra = a->getDimensions().nbDims, rb = b->getDimensions().nbDims;
    using Op = nvinfer1::MatrixOperation;
    const Op opA = ra == 1 ? Op::kVECTOR : Op::kNONE;
    const Op opB = rb == 1 ? Op::kVECTOR : Op::kNONE;
    if (ra > 1 && rb > 1 && ra != rb)
    {
        a = unsqueezeTo(ctx, a, std::max(ra, rb));
        b = unsqueezeTo(ctx, b, std::max(ra, rb));
    }
    if (!a || !b)
        return nullptr;
    nvinfer1::IMatrixMultiplyLayer* l = ctx.network().addMatrixMultiply(*a, opA, *b, opB);
    return l ? l->getOutput(0) : nullptr;
}

} // namespace kiln::onnx
