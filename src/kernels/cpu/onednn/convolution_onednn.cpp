#include "kernels/cpu/onednn/onednn_common.h"
#include "kernels/cpu/onednn/onednn_tactics.h"
#include "layers/convolution.h"
#include "layers/spatial_utils.h"

#include <algorithm>

namespace kiln::kernels::cpu::onednn
{

namespace
{

using dnnl::memory;
using ConvPd = dnnl::convolution_forward::primitive_desc;

//! A convolution in oneDNN's terms: N = product of the axes before C.
struct ConvShape
{
    memory::dims src, userWeights, weights, bias, dst, strides, dilates, padL, padR;
};

int64_t dilatedWindow(int64_t window, int64_t dilation)
{
    return dilation * (window - 1) + 1;
}

//! Checks the parameters (they may come from an untrusted engine) and the kernel weights count.
Status checkParams(const layers::ConvolutionParams& p, int32_t& channelsPerGroup)
{
    const int32_t sp = p.kernelSize.nbDims;
    if (sp != 2 && sp != 3)
        return unsupported("only 2-D and 3-D kernels");
    for (const nvinfer1::Dims* d : {&p.stride, &p.dilation, &p.prePadding, &p.postPadding})
        if (d->nbDims != sp)
            return unsupported("stride, dilation and padding need one extent per kernel axis");
    for (int32_t i = 0; i < sp; ++i)
        if (p.kernelSize.d[i] <= 0 || p.stride.d[i] <= 0 || p.dilation.d[i] <= 0 || p.prePadding.d[i] < 0
            || p.postPadding.d[i] < 0 || p.kernelSize.d[i] > layers::kMaxWindowParam
            || p.stride.d[i] > layers::kMaxWindowParam || p.dilation.d[i] > layers::kMaxWindowParam)
            return unsupported("invalid kernel, stride, dilation or padding extents");
    if (p.nbOutputMaps <= 0 || p.nbGroups <= 0 || p.nbOutputMaps % p.nbGroups != 0)
        return unsupported("output maps must be a positive multiple of the groups");
    if (p.kernelWeights.type != nvinfer1::DataType::kFLOAT || !p.kernelWeights.values || p.kernelWeights.count <= 0)
        return unsupported("kernel weights must be FLOAT");
    if (!p.biasWeights.empty()
        && (p.biasWeights.type != nvinfer1::DataType::kFLOAT || !p.biasWeights.values
            || p.biasWeights.count != p.nbOutputMaps))
        return unsupported("bias weights must be FLOAT, one per output map");
    const int64_t perChannel = layers::saturatingProduct(volume(p.kernelSize), p.nbOutputMaps);
    if (perChannel <= 0 || perChannel >= layers::kSaturatedProduct || p.kernelWeights.count % perChannel != 0
        || p.kernelWeights.count / perChannel > (int64_t{1} << 30))
        return unsupported("kernel weights count does not match the kernel");
    channelsPerGroup = static_cast<int32_t>(p.kernelWeights.count / perChannel);
    return Status::ok();
}

//! The weights dims of oneDNN (goihw with G > 1) and of the user's row-major K×C/G×window array,
//! which has the same layout.
void weightDims(const layers::ConvolutionParams& p, int32_t channelsPerGroup, ConvShape& s)
{
    const int64_t groups = p.nbGroups;
    s.weights.clear();
    if (groups > 1)
        s.weights.push_back(groups);
    s.weights.push_back(p.nbOutputMaps / groups);
    s.weights.push_back(channelsPerGroup);
    for (int32_t i = 0; i < p.kernelSize.nbDims; ++i)
        s.weights.push_back(p.kernelSize.d[i]);
    s.userWeights = s.weights;
    s.bias = p.biasWeights.empty() ? memory::dims{} : memory::dims{p.nbOutputMaps};
}

//! The oneDNN shape for concrete input/output dims.
Status convShape(const layers::ConvolutionParams& p, const nvinfer1::Dims& in, const nvinfer1::Dims& out, ConvShape& s)
{
    int32_t channelsPerGroup = 0;
    KILN_RETURN_IF_ERROR(checkParams(p, channelsPerGroup));
    const int32_t sp = p.kernelSize.nbDims;
    const int32_t r = in.nbDims;
    if (r < sp + 1 || r > nvinfer1::Dims::MAX_DIMS || out.nbDims != r)
        return unsupported("input and output need the kernel's spatial axes and a channel axis");
    const int32_t c = in.d[r - sp - 1];
    if (c != static_cast<int64_t>(channelsPerGroup) * p.nbGroups || out.d[r - sp - 1] != p.nbOutputMaps)
        return unsupported("channel extents do not match the weights");
    const int64_t batch = volume(in, 0, r - sp - 1);
    if (batch <= 0 || batch != volume(out, 0, r - sp - 1))
        return unsupported("batch extents of input and output differ");
    weightDims(p, channelsPerGroup, s);
    s.src = {batch, c};
    s.dst = {batch, p.nbOutputMaps};
    s.strides.clear();
    s.dilates.clear();
    s.padL.clear();
    s.padR.clear();
    for (int32_t i = 0; i < sp; ++i)
    {
        const int32_t ie = in.d[r - sp + i];
        const int32_t oe = out.d[r - sp + i];
        if (ie <= 0 || oe <= 0)
            return unsupported("empty spatial extents");
        int32_t pre = 0, post = 0;
        layers::slidingPadding(p.paddingMode, ie, oe, p.kernelSize.d[i], p.stride.d[i], p.dilation.d[i],
            p.prePadding.d[i], p.postPadding.d[i], pre, post);
        const int64_t dk = dilatedWindow(p.kernelSize.d[i], p.dilation.d[i]);
        s.src.push_back(ie);
        s.dst.push_back(oe);
        s.strides.push_back(p.stride.d[i]);
        s.dilates.push_back(p.dilation.d[i] - 1);
        s.padL.push_back(pre);
        // Zeros outside the input contribute nothing, so any trailing padding giving the same
        // output extent computes the same values.
        s.padR.push_back(consistentPostPadding(ie, oe, dk, p.stride.d[i], pre, post));
    }
    return Status::ok();
}

//! A nominal shape for prepare(), which sees no input dims: batch 1, no padding, 14 output cells.
Status nominalShape(const layers::ConvolutionParams& p, ConvShape& s)
{
    int32_t channelsPerGroup = 0;
    KILN_RETURN_IF_ERROR(checkParams(p, channelsPerGroup));
    weightDims(p, channelsPerGroup, s);
    s.src = {1, static_cast<int64_t>(channelsPerGroup) * p.nbGroups};
    s.dst = {1, p.nbOutputMaps};
    s.strides.clear();
    s.dilates.clear();
    s.padL.clear();
    s.padR.clear();
    for (int32_t i = 0; i < p.kernelSize.nbDims; ++i)
    {
        const int64_t out = 14;
        s.src.push_back((out - 1) * p.stride.d[i] + dilatedWindow(p.kernelSize.d[i], p.dilation.d[i]));
        s.dst.push_back(out);
        s.strides.push_back(p.stride.d[i]);
        s.dilates.push_back(p.dilation.d[i] - 1);
        s.padL.push_back(0);
        s.padR.push_back(0);
    }
    return Status::ok();
}

memory::desc anyDesc(const memory::dims& dims)
{
    return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
}

//! The convolution's primitive descriptor (throws dnnl::error when oneDNN has no implementation).
ConvPd makeConvPd(const layers::ConvolutionParams& p, const ConvShape& s, bool blocked)
{
    const memory::desc src = blocked ? anyDesc(s.src) : plainDesc(s.src);
    const memory::desc dst = blocked ? anyDesc(s.dst) : plainDesc(s.dst);
    const memory::desc bias = s.bias.empty() ? memory::desc() : plainDesc(s.bias);
    const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
        dnnl::algorithm::convolution_direct, src, anyDesc(s.weights), bias, dst, s.strides, s.dilates, s.padL, s.padR);
    dnnl::post_ops ops;
    if (p.epilogue.hasResidual)
        ops.append_sum(1.f);
    // supports() has checked that the activation maps; a refusal here only leaves it out.
    (void)appendActivation(p.epilogue, ops);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    attr.set_post_ops(ops);
    return ConvPd(desc, attr, cpuEngine());
}

//! The layouts of the tensors the convolution reads and writes (TensorDesc::layout).
struct ConvLayouts
{
    ir::Layout src{ir::Layout::kLinear};
    ir::Layout dst{ir::Layout::kLinear};
    ir::Layout residual{ir::Layout::kLinear}; //!< of the fused residual, when there is one
};

ConvLayouts convLayouts(const layers::ConvolutionParams& p, const std::vector<ir::TensorDesc>& inputs,
    const std::vector<ir::TensorDesc>& outputs)
{
    ConvLayouts l;
    l.src = inputs[0].layout;
    l.dst = outputs[0].layout;
    if (p.epilogue.hasResidual && inputs.size() > static_cast<size_t>(layers::kResidualInput))
        l.residual = inputs[layers::kResidualInput].layout;
    return l;
}

//! Everything a run with given dims and layouts needs, without primitives: the descriptors and the
//! workspace layout (scratchpad at offset 0, shared by the primitives that run one after another).
struct ConvPlan
{
    ConvPd conv;
    memory::desc userSrc, userDst, userResidual; //!< the layer's tensors as they lie in memory
    bool srcReorder{false};
    bool dstReorder{false};
    //! The residual is reordered into the convolution's dst rather than copied into the output.
    bool residualReorder{false};
    dnnl::reorder::primitive_desc toSrc, toDst, fromDst;
    size_t scratchBytes{0};
    size_t srcOffset{0};
    size_t dstOffset{0};
    size_t workspaceBytes{0};
};

ConvPlan makePlan(const layers::ConvolutionParams& p, const ConvShape& shape, bool blocked, const ConvLayouts& layouts)
{
    ConvPlan plan;
    plan.conv = makeConvPd(p, shape, blocked);
    plan.userSrc = userDesc(shape.src, layouts.src);
    plan.userDst = userDesc(shape.dst, layouts.dst);
    plan.srcReorder = plan.conv.src_desc() != plan.userSrc;
    plan.dstReorder = plan.conv.dst_desc() != plan.userDst;
    size_t scratch = plan.conv.scratchpad_desc().get_size();
    if (plan.srcReorder)
    {
        plan.toSrc = makeReorderPd(plan.userSrc, plan.conv.src_desc());
        scratch = std::max(scratch, plan.toSrc.scratchpad_desc().get_size());
    }
    if (plan.dstReorder)
    {
        plan.fromDst = makeReorderPd(plan.conv.dst_desc(), plan.userDst);
        scratch = std::max(scratch, plan.fromDst.scratchpad_desc().get_size());
    }
    if (p.epilogue.hasResidual)
    {
        // The sum post-op adds what the convolution's dst holds: a byte copy of the residual into
        // the output only works when the convolution writes the output directly in its layout.
        plan.userResidual = userDesc(shape.dst, layouts.residual);
        plan.residualReorder = plan.dstReorder || layouts.residual != layouts.dst;
        if (plan.residualReorder)
        {
            plan.toDst = makeReorderPd(plan.userResidual, plan.conv.dst_desc());
            scratch = std::max(scratch, plan.toDst.scratchpad_desc().get_size());
        }
    }
    WorkspaceLayout layout;
    layout.reserve(scratch);
    plan.scratchBytes = scratch;
    plan.srcOffset = layout.reserve(plan.srcReorder ? plan.conv.src_desc().get_size() : 0);
    plan.dstOffset = layout.reserve(plan.dstReorder ? plan.conv.dst_desc().get_size() : 0);
    plan.workspaceBytes = layout.size();
    return plan;
}

class ConvBound final : public TacticState
{
public:
    int32_t threads{1};
    dnnl::stream stream;
    ConvPlan plan;
    memory src, dst, residual, innerSrc, innerDst, bias, scratch;
    WeightsBinding weights;
    Call toSrc, toDst, conv, fromDst;
    const void* workspace{nullptr}; //!< what innerSrc/innerDst/scratch point into
    size_t dstBytes{0};
};

class OnednnConvolution final : public NamedTactic
{
public:
    explicit OnednnConvolution(bool blocked)
        : NamedTactic(ir::LayerKind::kConvolution, blocked ? "convolution.cpu.onednn.blocked" : "convolution.cpu.onednn.nchw",
            "onednn")
        , mBlocked(blocked)
    {
    }

    //! The blocked variant reads and writes nChw8c / nChw16c tensors as they are, reordering only
    //! where its primitive prefers another format.
    ir::LayoutSet layouts() const override { return mBlocked ? ir::kAllLayouts : ir::kLinearOnly; }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kConvolution)
            return unsupported("not a convolution");
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        if (inputs.empty() || outputs.size() != 1)
            return unsupported("one input and one output");
        for (size_t i = 1; i < inputs.size() && i < 3; ++i)
            if (inputs[i].dims.nbDims >= 0)
                return unsupported("kernel or bias given as tensors");
        if (p.epilogue.hasResidual
            && (inputs.size() <= static_cast<size_t>(layers::kResidualInput)
                || !sameDims(inputs[layers::kResidualInput].dims, outputs[0].dims)))
            return unsupported("the fused residual must have the output's dims");
        KILN_RETURN_IF_ERROR(checkFloatTensors(inputs, name().c_str()));
        KILN_RETURN_IF_ERROR(checkFloatTensors(outputs, name().c_str()));
        KILN_RETURN_IF_ERROR(checkUserLayout(inputs[0], mBlocked, name()));
        KILN_RETURN_IF_ERROR(checkUserLayout(outputs[0], mBlocked, name()));
        if (p.epilogue.hasResidual)
            KILN_RETURN_IF_ERROR(checkUserLayout(inputs[layers::kResidualInput], mBlocked, name()));
        dnnl::post_ops unused;
        KILN_RETURN_IF_ERROR(appendActivation(p.epilogue, unused));
        ConvShape shape;
        KILN_RETURN_IF_ERROR(convShape(p, inputs[0].dims, outputs[0].dims, shape));
        const ConvLayouts layouts = convLayouts(p, inputs, outputs);
        const bool anyBlocked = layouts.src != ir::Layout::kLinear || layouts.dst != ir::Layout::kLinear
            || layouts.residual != ir::Layout::kLinear;
        // oneDNN's C is the axis before the kernel's; a blocked layout blocks the tensor's axis 1.
        if (anyBlocked && shape.src.size() != 4)
            return unsupported(name() + ": blocked layouts need a 2-D kernel over an NCHW tensor");
        return guarded(name(), [&] {
            const OmpThreadScope threads(kilnThreads());
            (void)makePlan(p, shape, mBlocked, layouts);
            return Status::ok();
        });
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        ConvShape shape;
        if (inputs.empty() || outputs.empty() || !convShape(p, inputs[0].dims, outputs[0].dims, shape))
            return 0;
        const ConvLayouts layouts = convLayouts(p, inputs, outputs);
        size_t bytes = 0;
        (void)guarded(name(), [&] {
            for (int32_t n : workspaceThreadCounts())
            {
                const OmpThreadScope threads(n);
                bytes = std::max(bytes, makePlan(p, shape, mBlocked, layouts).workspaceBytes);
            }
            return Status::ok();
        });
        return bytes;
    }

    Expected<std::shared_ptr<const TacticState>> prepare(
        const ir::LayerParams& params, const backends::Allocator& allocator) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        ConvShape shape;
        KILN_RETURN_IF_ERROR(nominalShape(p, shape));
        return guarded(name() + " prepare", [&]() -> Expected<std::shared_ptr<const TacticState>> {
            const OmpThreadScope threads(kilnThreads());
            const ConvPd pd = makeConvPd(p, shape, mBlocked);
            auto packed = PackedWeights::pack(allocator, p.kernelWeights.floats(), plainDesc(shape.userWeights), pd.weights_desc());
            if (!packed)
                return packed.status();
            return std::shared_ptr<const TacticState>(std::move(packed.value()));
        });
    }

    Expected<std::unique_ptr<TacticState>> bind(const ir::LayerParams& params, const TacticState* prepared,
        const std::vector<ir::TensorDesc>& inputs, const std::vector<ir::TensorDesc>& outputs) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        const auto* packed = dynamic_cast<const PackedWeights*>(prepared);
        if (!packed)
            return internalError(name() + ": bind without prepared weights");
        ConvShape shape;
        KILN_RETURN_IF_ERROR(convShape(p, inputs[0].dims, outputs[0].dims, shape));
        return guarded(name() + " bind", [&]() -> Expected<std::unique_ptr<TacticState>> {
            auto b = std::make_unique<ConvBound>();
            b->threads = kilnThreads();
            const OmpThreadScope threads(b->threads);
            b->stream = dnnl::stream(cpuEngine());
            b->plan = makePlan(p, shape, mBlocked, convLayouts(p, inputs, outputs));
            const ConvPlan& plan = b->plan;
            b->src = unboundMemory(plan.userSrc);
            b->dst = unboundMemory(plan.userDst);
            b->innerSrc = plan.srcReorder ? unboundMemory(plan.conv.src_desc()) : b->src;
            b->innerDst = plan.dstReorder ? unboundMemory(plan.conv.dst_desc()) : b->dst;
            if (plan.scratchBytes)
                b->scratch = unboundMemory(scratchDesc(plan.scratchBytes));
            b->dstBytes = b->dst.get_desc().get_size();
            KILN_RETURN_IF_ERROR(b->weights.bind(
                *packed, p.kernelWeights.floats(), plainDesc(shape.userWeights), plan.conv.weights_desc()));
            if (!shape.bias.empty())
                b->bias = unboundMemory(plainDesc(shape.bias));
            auto reorder = [&](const dnnl::reorder::primitive_desc& pd, const memory& from, const memory& to) {
                Call call{dnnl::reorder(pd)};
                call.add(DNNL_ARG_FROM, from);
                call.add(DNNL_ARG_TO, to);
                if (plan.scratchBytes)
                    call.add(DNNL_ARG_SCRATCHPAD, b->scratch);
                return call;
            };
            if (plan.srcReorder)
                b->toSrc = reorder(plan.toSrc, b->src, b->innerSrc);
            if (plan.dstReorder)
                b->fromDst = reorder(plan.fromDst, b->innerDst, b->dst);
            if (plan.residualReorder)
            {
                b->residual = unboundMemory(plan.userResidual);
                b->toDst = reorder(plan.toDst, b->residual, b->innerDst);
            }
            b->conv = Call{dnnl::convolution_forward(plan.conv)};
            b->conv.add(DNNL_ARG_SRC, b->innerSrc);
            b->conv.add(DNNL_ARG_WEIGHTS, b->weights.memory());
            if (!shape.bias.empty())
                b->conv.add(DNNL_ARG_BIAS, b->bias);
            b->conv.add(DNNL_ARG_DST, b->innerDst);
            if (plan.scratchBytes)
                b->conv.add(DNNL_ARG_SCRATCHPAD, b->scratch);
            return std::unique_ptr<TacticState>(std::move(b));
        });
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ConvolutionParams>();
        auto& b = args.boundAs<ConvBound>();
        const ConvPlan& plan = b.plan;
        if (plan.workspaceBytes > 0 && (!args.workspace || args.workspaceSize < plan.workspaceBytes))
            return internalError(name() + ": needs " + std::to_string(plan.workspaceBytes) + " workspace bytes");
        const OmpThreadScope threads(b.threads);
        auto* ws = static_cast<char*>(args.workspace);
        if (ws != b.workspace)
        {
            if (plan.scratchBytes)
                KILN_RETURN_IF_ERROR(setHandle(b.scratch, ws, b.stream));
            if (plan.srcReorder)
                KILN_RETURN_IF_ERROR(setHandle(b.innerSrc, ws + plan.srcOffset, b.stream));
            if (plan.dstReorder)
                KILN_RETURN_IF_ERROR(setHandle(b.innerDst, ws + plan.dstOffset, b.stream));
            b.workspace = ws;
        }
        KILN_RETURN_IF_ERROR(setHandle(b.src, args.inputs[0].data, b.stream));
        KILN_RETURN_IF_ERROR(setHandle(b.dst, args.outputs[0].data, b.stream));
        KILN_RETURN_IF_ERROR(b.weights.update(p.kernelWeights.values, b.stream));
        if (b.bias)
            KILN_RETURN_IF_ERROR(setHandle(b.bias, p.biasWeights.values, b.stream));
        if (p.epilogue.hasResidual)
        {
            // oneDNN's sum post-op adds what dst holds before the convolution writes it.
            const void* residual = args.inputs[layers::kResidualInput].data;
            if (plan.residualReorder)
            {
                KILN_RETURN_IF_ERROR(setHandle(b.residual, residual, b.stream));
                KILN_RETURN_IF_ERROR(b.toDst.execute(b.stream, "residual reorder"));
            }
            else
                parallelCopy(*args.pool, args.outputs[0].data, residual, b.dstBytes);
        }
        if (plan.srcReorder)
            KILN_RETURN_IF_ERROR(b.toSrc.execute(b.stream, "source reorder"));
        KILN_RETURN_IF_ERROR(b.conv.execute(b.stream, "convolution"));
        if (plan.dstReorder)
            KILN_RETURN_IF_ERROR(b.fromDst.execute(b.stream, "destination reorder"));
        return Status::ok();
    }

private:
    bool mBlocked;
};

} // namespace

std::unique_ptr<Tactic> makeConvolutionTactic(bool blocked)
{
    return std::make_unique<OnednnConvolution>(blocked);
}

} // namespace kiln::kernels::cpu::onednn
