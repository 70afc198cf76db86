// Deconvolution (transposed convolution) over the trailing 2 or 3 axes of {..., C, (D,) H, W}:
// every input cell scatters its kernel into the full output,
//   full[n, k, i·S + f·D] += x[n, c, i] · w[c, k - g·K/G, f]   for c in group g = c / (C/G),
// then the padding crops B cells at the start and A at the end of each spatial axis, and bias[k]
// is added. Kernel weights {C, K/G, (kd,) kh, kw} row-major, bias {K} or empty. Output extents per
// PaddingMode are in layers/spatial_utils.h (explicit: (I - 1)·S + D·(F - 1) + 1 - B - A; SAME:
// min(I·S, (I - 1)·S + D·(F - 1) + 1)). Inputs 1 and 2 (kernel and bias as tensors) are reported
// as unsupported.
#pragma once

#include "layers/convolution_like.h"

namespace kiln::layers
{

class DeconvolutionParams final : public ConvolutionLikeParams<ir::LayerKind::kDeconvolution, DeconvolutionParams>
{
public:
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
