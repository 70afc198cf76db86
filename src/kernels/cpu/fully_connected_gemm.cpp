// fullyconnected.cpu.gemm.avx2: Y[rows × K] = X[rows × V] · Wᵀ + b as one packed GEMM, W (K×V, so
// B = Wᵀ is read transposed) packed once at prepare; bias per column and the activation fused.
#include "kernels/cpu/gemm.h"
#include "kernels/cpu/gemm_packed.h"
#include "kernels/cpu/gemm_tactics.h"
#include "layers/fully_connected.h"

namespace kiln::kernels::cpu
{

namespace
{

class FullyConnectedGemm final : public NamedTactic
{
public:
    FullyConnectedGemm()
        : NamedTactic(ir::LayerKind::kFullyConnected, "fullyconnected.cpu.gemm.avx2", "kiln",
            backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        using nvinfer1::DataType;
        if (params.kind() != ir::LayerKind::kFullyConnected)
            return unsupported("not a fully connected layer");
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("expects one input and one output");
        const nvinfer1::Dims& in = inputs[0].dims;
        const nvinfer1::Dims& out = outputs[0].dims;
        if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
            return unsupported("only FLOAT tensors are supported");
        if (in.nbDims < 3 || in.nbDims > nvinfer1::Dims::MAX_DIMS || out.nbDims != in.nbDims)
            return unsupported("input and output need the same rank, at least 3");
        for (int32_t i = 0; i < in.nbDims; ++i)
            if (in.d[i] < 0 || out.d[i] < 0 || (i < in.nbDims - 3 && in.d[i] != out.d[i]))
                return unsupported("input and output dims must be concrete and share their leading dims");
        const int32_t r = in.nbDims;
        if (p.nbOutputs <= 0 || out.d[r - 3] != p.nbOutputs || out.d[r - 2] != 1 || out.d[r - 1] != 1)
            return unsupported("the output must be {..., " + std::to_string(p.nbOutputs) + ", 1, 1}");
        const int64_t v = volume(in, r - 3, r);
        if (p.kernel.type != DataType::kFLOAT || !p.kernel.values || p.kernel.count != v * p.nbOutputs)
            return unsupported("kernel weights must be " + std::to_string(v * p.nbOutputs) + " FLOAT values");
        if (!p.bias.empty() && (p.bias.type != DataType::kFLOAT || !p.bias.values || p.bias.count != p.nbOutputs))
            return unsupported("bias weights must be absent or one FLOAT value per output");
        if (p.epilogue.hasResidual)
            return unsupported("a fused residual is not supported on fully connected layers");
        return Status::ok();
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& /*outputs*/) const override
    {
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        const nvinfer1::Dims& in = inputs[0].dims;
        const int32_t r = in.nbDims;
        return gemmWorkspaceSize(volume(in, 0, r - 3), p.nbOutputs, volume(in, r - 3, r), true, false,
            backends::cpu::ThreadPool::global().size());
    }

    Expected<std::shared_ptr<const TacticState>> prepare(
        const ir::LayerParams& params, const backends::Allocator& allocator) const override
    {
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        const int64_t v = p.kernel.count / p.nbOutputs;
        auto packed = PackedWeights::allocate(allocator, gemmPackedBSize(v, p.nbOutputs));
        if (!packed)
            return packed.status();
        gemmPackB(p.kernel.floats(), v, true, v, p.nbOutputs, packed.value()->data());
        return std::shared_ptr<const TacticState>(std::move(packed.value()));
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::FullyConnectedParams>();
        const nvinfer1::Dims& in = args.inputs[0].dims;
        const int32_t r = in.nbDims;
        GemmDesc d;
        d.m = volume(in, 0, r - 3);
        d.n = p.nbOutputs;
        d.k = volume(in, r - 3, r);
        d.biasKind = GemmBias::kPerColumn;
        d.epilogue = p.epilogue;
        d.epilogue.hasResidual = false;
        d.single.a = {args.inputs[0].as<const float>(), d.k, false, nullptr};
        d.single.b.packed = args.preparedAs<PackedWeights>().data();
        d.single.c = args.outputs[0].as<float>();
        d.single.ldc = d.n;
        d.single.bias = p.bias.empty() ? nullptr : p.bias.floats();
        return gemm(d, *args.pool, args.workspace, args.workspaceSize);
    }
};

} // namespace

std::unique_ptr<Tactic> makeFullyConnectedGemmTactic()
{
    return std::make_unique<FullyConnectedGemm>();
}

} // namespace kiln::kernels::cpu
