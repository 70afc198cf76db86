#include "kernels/kernel.h"
#include "layers/activation.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

constexpr float kSqrtHalf = 0.70710678118654752f;
constexpr float kSqrtTwoOverPi = 0.79788456080286536f;

float activate(nvinfer1::ActivationType type, float x, float alpha, float beta)
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
    case ActivationType::kGELU_ERF: return 0.5f * x * (1.f + std::erf(x * kSqrtHalf));
    case ActivationType::kGELU_TANH:
        return 0.5f * x * (1.f + std::tanh(kSqrtTwoOverPi * (x + 0.044715f * x * x * x)));
    }
    return x;
}

} // namespace

Status runActivation(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ActivationParams>();
    const float* x = args.inputs[0].as<const float>();
    float* y = args.outputs[0].as<float>();
    const int64_t n = args.outputs[0].elementCount();
    args.pool->parallelFor(n, 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            y[i] = activate(p.type, x[i], p.alpha, p.beta);
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
