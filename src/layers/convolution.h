// Convolution over the trailing 2 or 3 axes of an input {..., C, (D,) H, W}:
//   y[n, k, o] = bias[k] + Σ_{c in group(k)} Σ_f w[k, c, f] · x[n, g·C/G + c, o·S - B + f·D]
// with G groups (group(k) = k / (K/G), C/G input channels each), kernel weights
// {K, C/G, (kd,) kh, kw} row-major, bias {K} or empty, stride S, dilation D, leading padding B from
// the PaddingMode (layers/spatial_utils.h) and zeros read outside the input. The output is
// {..., K, (OD,) OH, OW}. Inputs 1 and 2 (kernel and bias as tensors) are accepted by setInput
// and reported as unsupported by inferShapes. The optimizer may fuse an epilogue (layers/epilogue.h):
// a residual tensor as input kResidualInput and an activation.
#pragma once

#include "layers/convolution_like.h"
#include "layers/epilogue.h"

namespace kiln::layers
{

class ConvolutionParams final : public ConvolutionLikeParams<ir::LayerKind::kConvolution, ConvolutionParams>
{
public:
    Epilogue epilogue;

    void visitFields(ir::FieldVisitor& v) override
    {
        ConvolutionLikeParams::visitFields(v);
        epilogue.visit(v);
    }
    int32_t maxInputs() const override { return epilogue.hasResidual ? kResidualInput + 1 : 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
