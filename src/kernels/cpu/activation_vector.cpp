#include "kernels/cpu/activation_vector.h"

#include "layers/activation.h"

#include <string>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::ActivationType;
using nvinfer1::DataType;

class ActivationVectorAvx2 final : public NamedTactic
{
public:
    ActivationVectorAvx2()
        : NamedTactic(
            ir::LayerKind::kActivation, "activation.cpu.vector.avx2", "kiln", backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    //! Position-wise: any layout, as long as the output has the input's.
    ir::LayoutSet layouts() const override { return ir::kAllLayouts; }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kActivation)
            return unsupported("not an activation layer");
        const ActivationType type = static_cast<const layers::ActivationParams&>(params).type;
        switch (type)
        {
        case ActivationType::kRELU:
        case ActivationType::kLEAKY_RELU:
        case ActivationType::kCLIP:
        case ActivationType::kSIGMOID:
        case ActivationType::kTANH:
        case ActivationType::kSCALED_TANH:
        case ActivationType::kHARD_SIGMOID:
        case ActivationType::kSOFTSIGN:
        case ActivationType::kTHRESHOLDED_RELU:
        case ActivationType::kELU:
        case ActivationType::kSELU: break;
        default:
            return unsupported("activation type " + std::to_string(static_cast<int32_t>(type))
                + " is not vectorized (softplus and GELU run on the reference kernel)");
        }
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("expects one input and one output");
        if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
            return unsupported("only FLOAT tensors");
        if (inputs[0].dims.nbDims < 0 || !sameDims(inputs[0].dims, outputs[0].dims))
            return unsupported("the output must have the input's dims");
        if (inputs[0].layout != outputs[0].layout)
            return unsupported(std::string("the output must have the input's layout, not ")
                + ir::layoutName(outputs[0].layout) + " for " + ir::layoutName(inputs[0].layout));
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ActivationParams>();
        ActivationJob job;
        job.type = p.type;
        job.alpha = p.alpha;
        job.beta = p.beta;
        job.x = args.inputs[0].as<const float>();
        job.y = args.outputs[0].as<float>();
        const int64_t n = args.outputs[0].elementCount();
        // One reference capture: std::function keeps the lambda inline (no allocation).
        args.pool->parallelFor(n, 16384, [&job](int64_t begin, int64_t end) { avx2::runActivation(job, begin, end); });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeActivationVectorAvx2()
{
    return std::make_unique<ActivationVectorAvx2>();
}

} // namespace kiln::kernels::cpu
