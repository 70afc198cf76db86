// The parameters convolution and deconvolution share: output maps, an Nd kernel window with
// stride, dilation and padding, groups, kernel and bias weights. Each kind derives from
// ConvolutionLikeParams<Kind, Self> and adds only its shape inference.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

template <ir::LayerKind Kind, typename Self>
class ConvolutionLikeParams : public ir::LayerParams
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

    ir::LayerKind kind() const override { return Kind; }
    std::unique_ptr<ir::LayerParams> clone() const override
    {
        return std::make_unique<Self>(static_cast<const Self&>(*this));
    }
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
};

} // namespace kiln::layers
