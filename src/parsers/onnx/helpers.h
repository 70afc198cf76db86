// Small network-building steps shared by the importers: constants, reshapes, broadcasting, casts
// and shape-tensor arithmetic. Each returns nullptr when the network refuses a layer (the network
// has already logged why); importers turn that into an error with KILN_ONNX_NOT_NULL.
#pragma once

#include "context.h"

#include <string>
#include <vector>

namespace kiln::onnx
{

nvinfer1::Dims makeDims(const std::vector<int64_t>& values);
std::vector<int64_t> dimsVector(const nvinfer1::Dims& dims);
bool isStatic(const nvinfer1::Dims& dims);
int64_t volume(const nvinfer1::Dims& dims);
std::string dimsString(const nvinfer1::Dims& dims);

//! Normalizes a possibly negative \p axis for \p rank; false when out of range.
bool normalizeAxis(int64_t& axis, int32_t rank);

nvinfer1::ITensor* intConstant(ImporterContext& ctx, const std::vector<int64_t>& values);
nvinfer1::ITensor* scalarConstant(ImporterContext& ctx, nvinfer1::DataType type, double value, int32_t rank = 0);

//! Reshape to static \p dims (0 copies the input extent when zeroIsPlaceholder).
nvinfer1::ITensor* reshape(ImporterContext& ctx, nvinfer1::ITensor* x, const nvinfer1::Dims& dims, bool zeroIsPlaceholder = false);
//! Reshape to the INT32 1-D shape tensor \p shape.
nvinfer1::ITensor* reshapeTo(ImporterContext& ctx, nvinfer1::ITensor* x, nvinfer1::ITensor* shape, bool zeroIsPlaceholder = false);
nvinfer1::ITensor* transpose(ImporterContext& ctx, nvinfer1::ITensor* x, const std::vector<int32_t>& perm);
//! Prepends size-1 axes up to \p rank (works for dynamic extents).
nvinfer1::ITensor* unsqueezeTo(ImporterContext& ctx, nvinfer1::ITensor* x, int32_t rank);
//! Inserts size-1 axes at the (output) positions \p axes, sorted ascending.
nvinfer1::ITensor* unsqueeze(ImporterContext& ctx, nvinfer1::ITensor* x, const std::vector<int64_t>& axes);
//! Removes the size-1 axes \p axes.
nvinfer1::ITensor* squeeze(ImporterContext& ctx, nvinfer1::ITensor* x, const std::vector<int64_t>& axes);

nvinfer1::ITensor* cast(ImporterContext& ctx, nvinfer1::ITensor* x, nvinfer1::DataType type);
nvinfer1::ITensor* identity(ImporterContext& ctx, nvinfer1::ITensor* x);
//! Element-wise with numpy broadcasting (ranks aligned by prepending axes).
nvinfer1::ITensor* elementwise(ImporterContext& ctx, nvinfer1::ITensor* a, nvinfer1::ITensor* b, nvinfer1::ElementWiseOperation op);
nvinfer1::ITensor* unary(ImporterContext& ctx, nvinfer1::ITensor* x, nvinfer1::UnaryOperation op);
nvinfer1::ITensor* activation(ImporterContext& ctx, nvinfer1::ITensor* x, nvinfer1::ActivationType type, float alpha = 0.f, float beta = 0.f);

//! The shape of \p x as an INT32 1-D tensor.
nvinfer1::ITensor* shapeOf(ImporterContext& ctx, nvinfer1::ITensor* x);
//! Elements [begin, end) of the 1-D tensor \p v.
nvinfer1::ITensor* slice1d(ImporterContext& ctx, nvinfer1::ITensor* v, int32_t begin, int32_t end);
nvinfer1::ITensor* concat(ImporterContext& ctx, const std::vector<nvinfer1::ITensor*>& parts, int32_t axis = 0);
//! Gathers the elements \p indices of the 1-D tensor \p v.
nvinfer1::ITensor* gather1d(ImporterContext& ctx, nvinfer1::ITensor* v, const std::vector<int32_t>& indices);

//! The importer result of a node with one output: \p out, or an error when a layer was refused.
OnnxExpected<Outputs> single(nvinfer1::ITensor* out);

} // namespace kiln::onnx

//! Returns an error from an importer when a network call gave nullptr.
#define KILN_ONNX_NOT_NULL(ptr)                                                                                        \
    KILN_ONNX_CHECK((ptr) != nullptr, kINVALID_NODE, "the network refused a layer (see the log above)")
