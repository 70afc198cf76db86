// Helpers shared by the element-wise and reduction layer kinds (ElementWise, Unary, Scale,
// SoftMax, Reduce, TopK, ParametricReLU, Select): broadcasting of several inputs, axis bitmasks,
// overflow-safe volumes, and the known values of small INT32 (shape) tensors.
#pragma once

#include "ir/params.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace kiln::layers
{

//! Layers compute the values of an INT32 output at shape time only up to this many elements.
constexpr int64_t kMaxShapeValues = 1 << 16;

//! Inputs \p indices must be present with equal ranks (0..MAX_DIMS); \p out receives the
//! broadcast of their dims (extents of 1 stretch; -1 where unknown).
Status broadcastInputs(const ir::ShapeContext& ctx, std::initializer_list<int32_t> indices, nvinfer1::Dims& out);

//! \p axes must be a non-empty bitmask of axes below \p rank (exactly one bit when \p exactlyOne).
Status checkAxesMask(const ir::ShapeContext& ctx, const char* what, uint32_t axes, int32_t rank, bool exactlyOne);

//! The index of the lowest set bit of \p axes (\p axes must be non-zero).
int32_t lowestAxis(uint32_t axes);

//! Implicit batch lowering of an axes bitmask: every axis moves up by one. Fails when an axis
//! would move past bit 31.
Status shiftAxesMask(uint32_t& axes, const char* what);

//! Product of dims[begin, end): -1 if an extent is unknown, INT64_MAX if the product overflows.
int64_t checkedVolume(const nvinfer1::Dims& dims, int32_t begin, int32_t end);

//! Offset in a tensor of dims \p in (rank of \p out, extents 1 broadcast) of the element at
//! row-major index \p index of a tensor of dims \p out.
int64_t broadcastOffset(const nvinfer1::Dims& out, const nvinfer1::Dims& in, int64_t index);

//! The known values of \p desc when it is an INT32 tensor with concrete dims of at most
//! kMaxShapeValues elements whose values are known and complete; nullptr otherwise.
const std::vector<int32_t>* knownInts(const ir::TensorDesc* desc);

//! Concrete dims of at most kMaxShapeValues elements (outputs whose values may be computed).
bool isSmallConcrete(const nvinfer1::Dims& dims);

//! Two's-complement wrapping INT32 arithmetic (no undefined behaviour on overflow).
int32_t wrapAdd(int32_t a, int32_t b);
int32_t wrapSub(int32_t a, int32_t b);
int32_t wrapMul(int32_t a, int32_t b);
//! Division rounding toward negative infinity; x / 0 is defined as 0, INT32_MIN / -1 wraps.
int32_t floorDivInt(int32_t a, int32_t b);
//! a^b with wrapping; negative exponents give 1 for a == 1, ±1 for a == -1 and 0 otherwise.
int32_t powInt(int32_t a, int32_t b);

} // namespace kiln::layers
