#include "kernels/cpu/onednn/onednn_common.h"
#include "kernels/cpu/onednn/onednn_tactics.h"
#include "layers/fully_connected.h"
#include "layers/spatial_utils.h"

#include <algorithm>

namespace kiln::kernels::cpu::onednn
{

namespace
{

using dnnl::memory;
using InnerProductPd = dnnl::inner_product_forward::primitive_desc;

//! The layer as an inner product of a rows×V source (V = C·H·W of the last three axes) with K×V
//! weights.
struct FcShape
{
    int64_t rows{1};
    int64_t v{1};
    int64_t k{1};
};

Status checkParams(const layers::FullyConnectedParams& p)
{
    if (p.nbOutputs <= 0)
        return unsupported("the number of outputs must be positive");
    if (p.kernel.type != nvinfer1::DataType::kFLOAT || !p.kernel.values || p.kernel.count <= 0
        || p.kernel.count % p.nbOutputs != 0)
        return unsupported("kernel weights must be FLOAT, nbOutputs × V of them");
    if (!p.bias.empty()
        && (p.bias.type != nvinfer1::DataType::kFLOAT || !p.bias.values || p.bias.count != p.nbOutputs))
        return unsupported("bias weights must be FLOAT, one per output");
    if (p.epilogue.hasResidual)
        return unsupported("a fully connected layer carries no residual");
    return Status::ok();
}

Status fcShape(const layers::FullyConnectedParams& p, const nvinfer1::Dims& in, FcShape& s)
{
    KILN_RETURN_IF_ERROR(checkParams(p));
    const int32_t r = in.nbDims;
    if (r < 3 || r > nvinfer1::Dims::MAX_DIMS)
        return unsupported("the input needs at least three axes");
    s.rows = volume(in, 0, r - 3);
    s.v = volume(in, r - 3, r);
    s.k = p.nbOutputs;
    if (s.rows <= 0 || s.v <= 0 || layers::saturatingProduct(s.v, s.k) != p.kernel.count)
        return unsupported("the kernel weights do not match the input " + toString(in));
    return Status::ok();
}

InnerProductPd makePd(const layers::FullyConnectedParams& p, const FcShape& s)
{
    const memory::desc weights({s.k, s.v}, memory::data_type::f32, memory::format_tag::any);
    const memory::desc bias = p.bias.empty() ? memory::desc() : plainDesc({s.k});
    const dnnl::inner_product_forward::desc desc(
        dnnl::prop_kind::forward_inference, plainDesc({s.rows, s.v}), weights, bias, plainDesc({s.rows, s.k}));
    dnnl::post_ops ops;
    (void)appendActivation(p.epilogue, ops); // supports() has checked it maps
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    attr.set_post_ops(ops);
    return InnerProductPd(desc, attr, cpuEngine());
}

class FcBound final : public TacticState
{
public:
    int32_t threads{1};
    dnnl::stream stream;
    size_t scratchBytes{0};
    memory src, dst, bias, scratch;
    WeightsBinding weights;
    Call call;
};

class OnednnFullyConnected final : public NamedTactic
{
public:
    OnednnFullyConnected()
        : NamedTactic(ir::LayerKind::kFullyConnected, "fullyconnected.cpu.onednn", "onednn")
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kFullyConnected)
            return unsupported("not a fully connected layer");
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("one input and one output");
        KILN_RETURN_IF_ERROR(checkFloatTensors(inputs, name().c_str()));
        KILN_RETURN_IF_ERROR(checkFloatTensors(outputs, name().c_str()));
        dnnl::post_ops unused;
        KILN_RETURN_IF_ERROR(appendActivation(p.epilogue, unused));
        FcShape s;
        KILN_RETURN_IF_ERROR(fcShape(p, inputs[0].dims, s));
        if (volume(outputs[0].dims) != s.rows * s.k)
            return unsupported("the output does not hold rows × nbOutputs values");
        return guarded(name(), [&] {
            const OmpThreadScope threads(kilnThreads());
            (void)makePd(p, s);
            return Status::ok();
        });
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& /*outputs*/) const override
    {
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        FcShape s;
        if (inputs.empty() || !fcShape(p, inputs[0].dims, s))
            return 0;
        size_t bytes = 0;
        (void)guarded(name(), [&] {
            for (int32_t n : workspaceThreadCounts())
            {
                const OmpThreadScope threads(n);
                bytes = std::max(bytes, alignedBytes(makePd(p, s).scratchpad_desc().get_size()));
            }
            return Status::ok();
        });
        return bytes;
    }

    Expected<std::shared_ptr<const TacticState>> prepare(
        const ir::LayerParams& params, const backends::Allocator& allocator) const override
    {
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        KILN_RETURN_IF_ERROR(checkParams(p));
        FcShape s; // nominal: one row (the weights format rarely depends on it; bind() checks)
        s.k = p.nbOutputs;
        s.v = p.kernel.count / p.nbOutputs;
        return guarded(name() + " prepare", [&]() -> Expected<std::shared_ptr<const TacticState>> {
            const OmpThreadScope threads(kilnThreads());
            auto packed = PackedWeights::pack(
                allocator, p.kernel.floats(), plainDesc({s.k, s.v}), makePd(p, s).weights_desc());
            if (!packed)
                return packed.status();
            return std::shared_ptr<const TacticState>(std::move(packed.value()));
        });
    }

    Expected<std::unique_ptr<TacticState>> bind(const ir::LayerParams& params, const TacticState* prepared,
        const std::vector<ir::TensorDesc>& inputs, const std::vector<ir::TensorDesc>& /*outputs*/) const override
    {
        const auto& p = static_cast<const layers::FullyConnectedParams&>(params);
        const auto* packed = dynamic_cast<const PackedWeights*>(prepared);
        if (!packed)
            return internalError(name() + ": bind without prepared weights");
        FcShape s;
        KILN_RETURN_IF_ERROR(fcShape(p, inputs[0].dims, s));
        return guarded(name() + " bind", [&]() -> Expected<std::unique_ptr<TacticState>> {
            auto b = std::make_unique<FcBound>();
            b->threads = kilnThreads();
            const OmpThreadScope threads(b->threads);
            b->stream = dnnl::stream(cpuEngine());
            const InnerProductPd pd = makePd(p, s);
            KILN_RETURN_IF_ERROR(b->weights.bind(*packed, p.kernel.floats(), plainDesc({s.k, s.v}), pd.weights_desc()));
            b->src = unboundMemory(pd.src_desc());
            b->dst = unboundMemory(pd.dst_desc());
            b->call = Call{dnnl::inner_product_forward(pd)};
            b->call.add(DNNL_ARG_SRC, b->src);
            b->call.add(DNNL_ARG_WEIGHTS, b->weights.memory());
            if (!p.bias.empty())
            {
                b->bias = unboundMemory(pd.bias_desc());
                b->call.add(DNNL_ARG_BIAS, b->bias);
            }
            b->call.add(DNNL_ARG_DST, b->dst);
            b->scratchBytes = pd.scratchpad_desc().get_size();
            if (b->scratchBytes)
            {
                b->scratch = unboundMemory(scratchDesc(b->scratchBytes));
                b->call.add(DNNL_ARG_SCRATCHPAD, b->scratch);
            }
            return std::unique_ptr<TacticState>(std::move(b));
        });
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::FullyConnectedParams>();
        auto& b = args.boundAs<FcBound>();
        if (b.scratchBytes > 0 && (!args.workspace || args.workspaceSize < b.scratchBytes))
            return internalError(name() + ": needs " + std::to_string(b.scratchBytes) + " workspace bytes");
        const OmpThreadScope threads(b.threads);
        KILN_RETURN_IF_ERROR(setHandle(b.src, args.inputs[0].data, b.stream));
        KILN_RETURN_IF_ERROR(setHandle(b.dst, args.outputs[0].data, b.stream));
        KILN_RETURN_IF_ERROR(b.weights.update(p.kernel.values, b.stream));
        if (b.bias)
            KILN_RETURN_IF_ERROR(setHandle(b.bias, p.bias.values, b.stream));
        if (b.scratch)
            KILN_RETURN_IF_ERROR(setHandle(b.scratch, args.workspace, b.stream));
        return b.call.execute(b.stream, "inner product");
    }
};

} // namespace

std::unique_ptr<Tactic> makeFullyConnectedTactic()
{
    return std::make_unique<OnednnFullyConnected>();
}

} // namespace kiln::kernels::cpu::onednn
