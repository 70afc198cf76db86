// Epilogue: what the optimizer fuses onto a convolution or fully connected layer, applied to each
// output value v = (Σ w·x) + bias in this order:
//   v += residual            (convolution only: input kResidualInput, same dims as the output)
//   v  = act(v)              (one of the ActivationTypes with alpha/beta, as IActivationLayer)
// An engine-only feature: the network API never sets it. Every tactic of a layer that carries an
// epilogue applies it, the reference kernels included.
#pragma once

#include "ir/params.h"

#include <algorithm>
#include <cmath>

namespace kiln::layers
{

struct Epilogue
{
    bool hasActivation{false};
    nvinfer1::ActivationType activation{nvinfer1::ActivationType::kRELU};
    float alpha{0.f};
    float beta{0.f};
    bool hasResidual{false};

    bool empty() const { return !hasActivation && !hasResidual; }
    void visit(ir::FieldVisitor& v)
    {
        v.visit("epilogue.hasActivation", hasActivation);
        v.visitEnum("epilogue.activation", activation);
        v.visit("epilogue.alpha", alpha);
        v.visit("epilogue.beta", beta);
        v.visit("epilogue.hasResidual", hasResidual);
    }
    //! True for the activations whose epilogue tactics may vectorize as max/min (ReLU, leaky ReLU, clip).
    bool isPiecewiseLinear() const
    {
        using nvinfer1::ActivationType;
        return !hasActivation || activation == ActivationType::kRELU || activation == ActivationType::kLEAKY_RELU
            || activation == ActivationType::kCLIP;
    }
    //! act(v) (the residual is added by the caller).
    float activate(float v) const { return hasActivation ? applyActivation(activation, v, alpha, beta) : v; }

    //! IActivationLayer's formulas (layers/activation.h).
    static float applyActivation(nvinfer1::ActivationType type, float x, float alpha, float beta)
    {
        using nvinfer1::ActivationType;
        switch (type)
        {
        case ActivationType::kRELU: return x > 0.f ? x : 0.f;
        case ActivationType::kSIGMOID: return 1.f / (1.f + std::exp(-x));
        case ActivationType::kTANH: return std::tanh(x);
        case ActivationType::kLEAKY_RELU: return x >= 0.f ? x : alpha * x;
        case ActivationType::kELU: return x >= 0.f ? x : alpha * (std::exp(x) - 1.f);
        case ActivationType::kSELU: return x > 0.f ? beta * x : beta * alpha * (std::exp(x) - 1.f);
        case ActivationType::kSOFTSIGN: return x / (1.f + std::fabs(x));
        case ActivationType::kSOFTPLUS: return alpha * std::log1p(std::exp(beta * x));
        case ActivationType::kCLIP: return std::max(alpha, std::min(beta, x));
        case ActivationType::kHARD_SIGMOID: return std::max(0.f, std::min(1.f, alpha * x + beta));
        case ActivationType::kSCALED_TANH: return alpha * std::tanh(beta * x);
        case ActivationType::kTHRESHOLDED_RELU: return x > alpha ? x : 0.f;
        case ActivationType::kGELU_ERF: return 0.5f * x * (1.f + std::erf(x * 0.70710678118654752f));
        case ActivationType::kGELU_TANH:
            return 0.5f * x * (1.f + std::tanh(0.79788456080286536f * (x + 0.044715f * x * x * x)));
        }
        return x;
    }
};

//! The input index of a convolution's fused residual (inputs 1 and 2 are the kernel/bias tensors).
constexpr int32_t kResidualInput = 3;

} // namespace kiln::layers
