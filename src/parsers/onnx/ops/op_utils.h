// Helpers shared by the parse-time and integer operators (misc_ops.cpp, integer_ops.cpp).
#pragma once

#include "helpers.h"

#include <utility>
#include <vector>

namespace kiln::onnx
{

constexpr double kPi = 3.14159265358979323846;
//! Integers up to this magnitude are exact in FLOAT, and so are sums of them that stay below it.
constexpr double kFloatExact = 16777216.0;

//! Input \p i as one constant integer.
OnnxExpected<int64_t> constScalarInt(Node& node, int32_t i, const char* what);

//! The output_datatype attribute (FLOAT by default) as a Kiln type.
OnnxExpected<nvinfer1::DataType> outputDatatype(Node& node);

//! where(cond, a, b), ranks aligned by prepending axes.
nvinfer1::ITensor* select(ImporterContext& ctx, nvinfer1::ITensor* cond, nvinfer1::ITensor* a, nvinfer1::ITensor* b);

//! \p op over every element of \p x, as a rank-0 tensor.
nvinfer1::ITensor* reduceAll(ImporterContext& ctx, nvinfer1::ITensor* x, nvinfer1::ReduceOperation op);

//! A FLOAT constant of \p rank with every extent 1.
nvinfer1::ITensor* floatConst(ImporterContext& ctx, double v, int32_t rank = 0);

//! min(max(x, lo), hi) for a FLOAT tensor.
nvinfer1::ITensor* clampTo(ImporterContext& ctx, nvinfer1::ITensor* x, double lo, double hi);

//! The value range of a quantized ONNX type (UINT8 or INT8).
std::pair<double, double> quantizedRange(int32_t onnxType);

//! Strides of a row-major shape.
std::vector<int64_t> stridesOf(const std::vector<int64_t>& shape);

//! ONNX MatMul of two FLOAT tensors (numpy semantics for 1-D operands and batch broadcasting).
nvinfer1::ITensor* matmul(ImporterContext& ctx, nvinfer1::ITensor* a, nvinfer1::ITensor* b);

} // namespace kiln::onnx
