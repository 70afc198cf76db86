// Deconvolution (transposed convolution) over the trailing 2 or 3 axes of {..., C, (D,) H, W}:
// every input cell scatters its kernel into the full output,
//   full[n, k, i·S + f·D] += x[n, c, i] · w[c, k - g·K/G, f]   for c in group g = c / (C/G),
// then the padding crops B cells at the start and A at the end of each spatial axis, and bias[k]
// is added. Kernel weights {C, K/G, (kd,) kh, kw} row-major, bias {K} or empty. Output extents per
// PaddingMode are in layers/spatial_utils.h (explicit: (I - 1)·S + D·(F - 1) + 1 - B - A; SAME:
// min(I·S, (I - 1)·S + D·(F - 1) + 1)). Inputs 1 and 2 (kernel and bias as tensors) are reported
// as unsupported.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class DeconvolutionParams final : public ir::LayerParams
{
public:
    int32_t nbOutputMaps{0};
    nvinfer1::Dims kernelSize{}; //!< 2 or 3 spatial extents
    nvinfer1::Dims stride{};
    nvinfer1::Dims prePadding{};
    nvinfer1::Dims postPadding{};
    nvinfer1::Dims dilation{};
    nvinfer1::PaddingMode paddingMode{nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN};
    int32_t nbGroups{1};
    ir::WeightsRef kernelWeights;
    ir::WeightsRef biasWeights;

    ir::LayerKind kind() const override { return ir::LayerKind::kDeconvolution; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<DeconvolutionParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("nbOutputMaps", nbOutputMaps);
        v.visit("kernelSize", kernelSize);
        v.visit("stride", stride);
        v.visit("prePadding", prePadding);
        v.visit("postPadding", postPadding);
        v.visit("dilation", dilation);
        v.visitEnum("paddingMode", paddingMode);
        v.visit("nbGroups", nbGroups);
    }
    void visitWeights(ir::WeightsVisitor& v) override
    {
        v.visit("kernel", static_cast<int32_t>(nvinfer1::WeightsRole::kKERNEL), kernelWeights);
        v.visit("bias", static_cast<int32_t>(nvinfer1::WeightsRole::kBIAS), biasWeights);
    }
    int32_t maxInputs() const override { return 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
