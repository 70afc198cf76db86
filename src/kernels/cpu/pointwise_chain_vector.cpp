#include "kernels/cpu/pointwise_chain_vector.h"

#include "layers/pointwise_chain.h"

#include <string>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::ElementWiseOperation;
using nvinfer1::UnaryOperation;

//! Why step \p s has no vector form, or ok.
Status vectorStep(const layers::PointwiseStep& s)
{
    using nvinfer1::ActivationType;
    switch (s.kind)
    {
    case layers::PointwiseStepKind::kActivation:
        switch (static_cast<ActivationType>(s.code))
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
        case ActivationType::kSELU: return Status::ok();
        default: return unsupported("activation " + std::to_string(s.code) + " is not vectorized");
        }
    case layers::PointwiseStepKind::kUnary:
        switch (static_cast<UnaryOperation>(s.code))
        {
        case UnaryOperation::kEXP:
        case UnaryOperation::kSQRT:
        case UnaryOperation::kRECIP:
        case UnaryOperation::kABS:
        case UnaryOperation::kNEG:
        case UnaryOperation::kFLOOR:
        case UnaryOperation::kCEIL:
        case UnaryOperation::kERF: return Status::ok();
        default: return unsupported("unary operation " + std::to_string(s.code) + " is not vectorized");
        }
    case layers::PointwiseStepKind::kBinary:
    case layers::PointwiseStepKind::kBinaryReversed:
        switch (static_cast<ElementWiseOperation>(s.code))
        {
        case ElementWiseOperation::kSUM:
        case ElementWiseOperation::kPROD:
        case ElementWiseOperation::kSUB:
        case ElementWiseOperation::kDIV:
        case ElementWiseOperation::kMAX:
        case ElementWiseOperation::kMIN: return Status::ok();
        default: return unsupported("element-wise operation " + std::to_string(s.code) + " is not vectorized");
        }
    }
    return unsupported("unknown step kind");
}

class PointwiseChainVectorAvx2 final : public NamedTactic
{
public:
    PointwiseChainVectorAvx2()
        : NamedTactic(ir::LayerKind::kPointwiseChain, "pointwisechain.cpu.vector.avx2", "kiln", backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    //! Position-wise: any layout, when every tensor shares it and nothing broadcasts.
    ir::LayoutSet layouts() const override { return ir::kAllLayouts; }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kPointwiseChain)
            return unsupported("not a point-wise chain");
        const auto& p = static_cast<const layers::PointwiseChainParams&>(params);
        const int32_t nbSteps = p.nbSteps();
        if (nbSteps < 1 || inputs.empty() || inputs.size() > static_cast<size_t>(layers::kMaxPointwiseInputs) || outputs.size() != 1)
            return unsupported("a chain of 1 to 64 steps with 1 to 9 inputs and one output");
        for (int32_t i = 0; i < nbSteps; ++i)
            KILN_RETURN_IF_ERROR(vectorStep(p.step(i)).withContext("step " + std::to_string(i)));
        for (const ir::TensorDesc& in : inputs)
        {
            if (in.type != nvinfer1::DataType::kFLOAT || in.dims.nbDims < 0)
                return unsupported("only FLOAT inputs");
            if (in.layout != outputs[0].layout)
                return unsupported("every input must have the output's layout");
            if (in.layout != ir::Layout::kLinear && !sameDims(in.dims, outputs[0].dims))
                return unsupported(std::string("broadcasting in layout ") + ir::layoutName(in.layout));
        }
        if (outputs[0].type != nvinfer1::DataType::kFLOAT)
            return unsupported("only a FLOAT output");
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        avx2::runPointwiseChain(args);
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makePointwiseChainVectorAvx2()
{
    return std::make_unique<PointwiseChainVectorAvx2>();
}

} // namespace kiln::kernels::cpu
