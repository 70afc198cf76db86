// Small helpers over nvinfer1::Dims. Kiln only ever reads nbDims and d[]; Dims::type is ignored
// (callers leave it uninitialized).
#pragma once

#include "NvInferRuntimeCommon.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace kiln
{

using nvinfer1::Dims;

//! Dims with nbDims = -1, the API's "invalid/unknown" answer.
Dims invalidDims();
//! Dims from a list of extents (at most Dims::MAX_DIMS).
Dims makeDims(std::initializer_list<int32_t> extents);
Dims makeDims(const std::vector<int32_t>& extents);
std::vector<int32_t> toVector(const Dims& dims);
//! True when 0 <= nbDims <= MAX_DIMS.
bool isValidRank(const Dims& dims);
//! True when any extent is -1 (or negative).
bool hasDynamicExtent(const Dims& dims);
//! Product of extents; -1 if any is dynamic or the product exceeds 2^62; 1 for rank 0.
int64_t volume(const Dims& dims);
//! Product of extents [begin, end).
int64_t volume(const Dims& dims, int32_t begin, int32_t end);
bool sameDims(const Dims& a, const Dims& b);
//! "[1,3,224,224]"
std::string toString(const Dims& dims);
//! Dims with \p extent prepended.
Dims prepend(const Dims& dims, int32_t extent);
//! Dims without its first extent.
Dims dropFirst(const Dims& dims);
//! Row-major strides (in elements) of a tensor with these extents.
Dims contiguousStrides(const Dims& dims);

} // namespace kiln
