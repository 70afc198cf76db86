// Activation: y = f(x) element-wise, for the fourteen ActivationTypes with alpha/beta (formulas in
// NvInfer.h). kGELU_ERF is the exact GELU 0.5·x·(1 + erf(x/√2)); kGELU_TANH its tanh
// approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); both ignore alpha and beta.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ActivationParams final : public ir::LayerParams
{
public:
    nvinfer1::ActivationType type{nvinfer1::ActivationType::kRELU};
    float alpha{0.f};
    float beta{0.f};

    ir::LayerKind kind() const override { return ir::LayerKind::kActivation; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ActivationParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("type", type);
        v.visit("alpha", alpha);
        v.visit("beta", beta);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
