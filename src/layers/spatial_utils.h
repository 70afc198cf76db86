// Window arithmetic shared by the spatial layer kinds (convolution, deconvolution, pooling): the
// validation of kernel/window, stride, dilation and padding parameters, the output extents for each
// PaddingMode, and the effective leading padding the kernels need. Shape inference and the
// reference kernels call the same functions, so they cannot disagree.
//
// Shorthand below: I input extent, O output extent, F window, S stride, D dilation,
// DK = D·(F - 1) + 1, B/A explicit pre/post padding.
//   Sliding window (convolution, pooling), see layers::windowOutput (checks.h):
//     EXPLICIT/CAFFE_ROUND_DOWN  O = floor((I + B + A - DK) / S) + 1
//     EXPLICIT/CAFFE_ROUND_UP    O = ceil((I + B + A - DK) / S) + 1 (CAFFE: the last window must
//                                start inside I + B)
//     SAME_UPPER/LOWER           O = ceil(I / S); P = max((O - 1)·S + DK - I, 0); the odd cell of P
//                                goes after (UPPER) or before (LOWER) the data; B and A are ignored
//   Transposed window (deconvolution; the padding crops the full output):
//     EXPLICIT/CAFFE_*           O = (I - 1)·S + DK - (B + A)
//     SAME_UPPER/LOWER           O = min(I·S, (I - 1)·S + DK); P = max(DK - S, 0) cropped, the odd
//                                cell at the end (UPPER) or at the start (LOWER)
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

//! Largest window, stride, dilation or padding extent accepted; keeps every product in int64.
constexpr int32_t kMaxWindowParam = 1 << 20;

//! Dims of \p n copies of \p value.
nvinfer1::Dims filledDims(int32_t n, int32_t value);

//! Validates the parameters of a 2-D or 3-D window: \p window has 2 or 3 positive extents, and
//! \p stride, \p dilation, \p prePadding and \p postPadding have as many (positive, positive,
//! non-negative), all at most kMaxWindowParam. \p what names the window ("kernel", "window").
Status checkWindowParams(const ir::ShapeContext& ctx, const char* what, const nvinfer1::Dims& window,
    const nvinfer1::Dims& stride, const nvinfer1::Dims& dilation, const nvinfer1::Dims& prePadding,
    const nvinfer1::Dims& postPadding);

//! Sets the last window.nbDims extents of \p out to the sliding-window output extents for the
//! same axes of \p in (-1 where the input extent is unknown). Parameters must have passed
//! checkWindowParams.
Status slidingWindowDims(const ir::ShapeContext& ctx, const nvinfer1::Dims& in, const nvinfer1::Dims& window,
    const nvinfer1::Dims& stride, const nvinfer1::Dims& dilation, const nvinfer1::Dims& prePadding,
    const nvinfer1::Dims& postPadding, nvinfer1::PaddingMode mode, nvinfer1::Dims& out);

//! As slidingWindowDims, for a transposed window (deconvolution).
Status transposedWindowDims(const ir::ShapeContext& ctx, const nvinfer1::Dims& in, const nvinfer1::Dims& window,
    const nvinfer1::Dims& stride, const nvinfer1::Dims& dilation, const nvinfer1::Dims& prePadding,
    const nvinfer1::Dims& postPadding, nvinfer1::PaddingMode mode, nvinfer1::Dims& out);

//! Effective padding of a sliding window on one axis with concrete extents \p in and \p out:
//! the explicit padding, or for the SAME modes the computed one.
void slidingPadding(nvinfer1::PaddingMode mode, int32_t in, int32_t out, int32_t window, int32_t stride,
    int32_t dilation, int32_t prePadding, int32_t postPadding, int32_t& effPre, int32_t& effPost);

//! Effective crop of a transposed window on one axis (start and end of the full output).
void transposedPadding(nvinfer1::PaddingMode mode, int32_t window, int32_t stride, int32_t dilation,
    int32_t prePadding, int32_t postPadding, int32_t& effPre, int32_t& effPost);

//! The checks convolution and deconvolution share: no kernel/bias tensor inputs, a FLOAT input of
//! rank >= spatial axes + 1 with a known channel extent C, valid window parameters and padding
//! mode, K = nbOutputMaps > 0, G = nbGroups > 0 dividing C and K, kernel weights of K·(C/G)·window
//! volume values and bias weights of K values or none. Sets \p channelAxis (rank - spatial - 1).
Status checkConvolutionLike(const ir::ShapeContext& ctx, int32_t nbOutputMaps, const nvinfer1::Dims& kernelSize,
    const nvinfer1::Dims& stride, const nvinfer1::Dims& dilation, const nvinfer1::Dims& prePadding,
    const nvinfer1::Dims& postPadding, nvinfer1::PaddingMode mode, int32_t nbGroups, const ir::WeightsRef& kernel,
    const ir::WeightsRef& bias, int32_t& channelAxis);

//! a·b, saturating at kSaturatedProduct for non-negative factors (weights-count arithmetic on
//! fields that may hold anything).
constexpr int64_t kSaturatedProduct = int64_t{1} << 62;
int64_t saturatingProduct(int64_t a, int64_t b);

} // namespace kiln::layers
