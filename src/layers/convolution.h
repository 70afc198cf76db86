// Convolution over the trailing 2 or 3 axes of an input {..., C, (D,) H, W}:
//   y[n, k, o] = bias[k] + Σ_{c in group(k)} Σ_f w[k, c, f] · x[n, g·C/G + c, o·S - B + f·D]
// with G groups (group(k) = k / (K/G), C/G input channels each), kernel weights
// {K, C/G, (kd,) kh, kw} row-major, bias {K} or empty, stride S, dilation D, leading padding B from
// the PaddingMode (layers/spatial_utils.h) and zeros read outside the input. The output is
// {..., K, (OD,) OH, OW}. Inputs 1 and 2 (kernel and bias as tensors) are accepted by setInput
// and reported as unsupported by inferShapes.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ConvolutionParams final : public ir::LayerParams
{
public:
    int32_t nbOutputMaps{0};
    nvinfer1::Dims kernelSize{}; //!< 2 or 3 spatial extents
    nvinfer1::Dims stride{};     //!< as many as kernelSize; default ones
    nvinfer1::Dims prePadding{};
    nvinfer1::Dims postPadding{};
    nvinfer1::Dims dilation{};
    nvinfer1::PaddingMode paddingMode{nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN};
    int32_t nbGroups{1};
    ir::WeightsRef kernelWeights;
    ir::WeightsRef biasWeights;

    ir::LayerKind kind() const override { return ir::LayerKind::kConvolution; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ConvolutionParams>(*this); }
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
