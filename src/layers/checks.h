// Validation helpers shared by the layer kinds' inferShapes(). Each returns an error naming the
// layer (through ShapeContext::error) or ok.
#pragma once

#include "common/dtype.h"
#include "ir/params.h"

#include <initializer_list>
#include <string>

namespace kiln::layers
{

//! \p value must be a valid enumerator of its enum (0 <= v < EnumMax).
template <typename E>
Status checkEnum(const ir::ShapeContext& ctx, const char* what, E value)
{
    const auto v = static_cast<int32_t>(value);
    if (v < 0 || v >= nvinfer1::EnumMax<E>())
        return ctx.error(std::string("invalid ") + what + " " + std::to_string(v));
    return Status::ok();
}

//! Input \p index must be present and of one of \p types.
Status checkInputType(const ir::ShapeContext& ctx, int32_t index, std::initializer_list<nvinfer1::DataType> types);
//! Input \p index must be present with rank in [minRank, maxRank].
Status checkInputRank(const ir::ShapeContext& ctx, int32_t index, int32_t minRank, int32_t maxRank = nvinfer1::Dims::MAX_DIMS);
//! \p w must hold exactly \p expected values of FLOAT or HALF type (or be empty when \p allowEmpty).
Status checkWeights(const ir::ShapeContext& ctx, const char* what, const ir::WeightsRef& w, int64_t expected, bool allowEmpty);
//! Normalizes a possibly negative axis into [0, rank); error if out of range.
Status normalizeAxis(const ir::ShapeContext& ctx, int32_t axis, int32_t rank, int32_t& out);
//! Broadcast of two extents (equal, or one of them 1; -1 where unknown); false if incompatible.
bool broadcastExtent(int32_t a, int32_t b, int32_t& out);
//! Element-wise broadcast of equal-rank dims; error if incompatible.
Status broadcastDims(const ir::ShapeContext& ctx, const nvinfer1::Dims& a, const nvinfer1::Dims& b, nvinfer1::Dims& out);
//! Output extent of a sliding window (convolution/pooling) for one spatial axis, following the
//! padding mode. Sets the effective pre/post padding. \p in may be -1 (then out is -1).
Status windowOutput(const ir::ShapeContext& ctx, nvinfer1::PaddingMode mode, int32_t in, int32_t window,
    int32_t stride, int32_t dilation, int32_t prePad, int32_t postPad, int32_t& out, int32_t& effPre, int32_t& effPost);

} // namespace kiln::layers
