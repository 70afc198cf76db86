#include "kernels/cpu/onednn/onednn_common.h"
#include "kernels/cpu/onednn/onednn_tactics.h"
#include "layers/pooling.h"
#include "layers/spatial_utils.h"

#include <algorithm>

namespace kiln::kernels::cpu::onednn
{

namespace
{

using dnnl::memory;
using nvinfer1::PoolingType;
using PoolingPd = dnnl::pooling_forward::primitive_desc;

struct PoolShape
{
    memory::dims src, dst, kernel, strides, padL, padR;
    dnnl::algorithm algorithm{dnnl::algorithm::pooling_max};
};

//! oneDNN's pooling for concrete dims, or why its results would differ from the reference's.
Status poolShape(const layers::PoolingParams& p, const nvinfer1::Dims& in, const nvinfer1::Dims& out, PoolShape& s)
{
    if (p.type == PoolingType::kMAX)
        s.algorithm = dnnl::algorithm::pooling_max;
    else if (p.type == PoolingType::kAVERAGE)
        s.algorithm = p.averageCountExcludesPadding ? dnnl::algorithm::pooling_avg_exclude_padding
                                                    : dnnl::algorithm::pooling_avg_include_padding;
    else
        return unsupported("only max and average pooling (oneDNN has no max-average blend)");
    const int32_t sp = p.windowSize.nbDims;
    if (sp != 2 && sp != 3)
        return unsupported("only 2-D and 3-D windows");
    for (const nvinfer1::Dims* d : {&p.stride, &p.prePadding, &p.postPadding})
        if (d->nbDims != sp)
            return unsupported("stride and padding need one extent per window axis");
    const int32_t r = in.nbDims;
    if (r < sp || r > nvinfer1::Dims::MAX_DIMS || out.nbDims != r)
        return unsupported("input and output need the window's spatial axes");
    // Leading axes pool independently: the one before the window is oneDNN's C, the rest its N.
    const int64_t channels = r > sp ? in.d[r - sp - 1] : 1;
    const int64_t batch = r > sp ? volume(in, 0, r - sp - 1) : 1;
    if (channels <= 0 || batch <= 0 || volume(in, 0, r - sp) != volume(out, 0, r - sp))
        return unsupported("leading axes of input and output differ");
    s.src = {batch, channels};
    s.dst = {batch, channels};
    s.kernel.clear();
    s.strides.clear();
    s.padL.clear();
    s.padR.clear();
    for (int32_t i = 0; i < sp; ++i)
    {
        const int32_t window = p.windowSize.d[i];
        const int32_t stride = p.stride.d[i];
        const int32_t ie = in.d[r - sp + i];
        const int32_t oe = out.d[r - sp + i];
        if (window <= 0 || stride <= 0 || p.prePadding.d[i] < 0 || p.postPadding.d[i] < 0 || ie <= 0 || oe <= 0
            || window > layers::kMaxWindowParam || stride > layers::kMaxWindowParam)
            return unsupported("invalid window, stride, padding or extents");
        int32_t pre = 0, post = 0;
        layers::slidingPadding(p.paddingMode, ie, oe, window, stride, 1, p.prePadding.d[i], p.postPadding.d[i], pre, post);
        // The reference yields 0 for a window holding no input cell; oneDNN does not.
        if (pre >= window || int64_t{oe - 1} * stride - pre > ie - 1)
            return unsupported("a window holds padding only");
        // The reference's include-padding count stops at the end of the padded input; oneDNN
        // always divides by the window volume.
        if (s.algorithm == dnnl::algorithm::pooling_avg_include_padding
            && int64_t{oe - 1} * stride - pre + window > int64_t{ie} + post)
            return unsupported("a window reaches past the padded input (ROUND_UP): the include-padding counts differ");
        s.src.push_back(ie);
        s.dst.push_back(oe);
        s.kernel.push_back(window);
        s.strides.push_back(stride);
        s.padL.push_back(pre);
        s.padR.push_back(consistentPostPadding(ie, oe, window, stride, pre, post));
    }
    return Status::ok();
}

//! \p blocked: src and dst in oneDNN's 8-channel blocked format (its JIT pooling), else plain.
PoolingPd makePd(const PoolShape& s, bool blocked)
{
    const memory::format_tag tag = s.src.size() == 5 ? memory::format_tag::nCdhw8c : memory::format_tag::nChw8c;
    const memory::desc src = blocked ? memory::desc(s.src, memory::data_type::f32, tag) : plainDesc(s.src);
    const memory::desc dst = blocked ? memory::desc(s.dst, memory::data_type::f32, tag) : plainDesc(s.dst);
    const dnnl::pooling_forward::desc desc(
        dnnl::prop_kind::forward_inference, s.algorithm, src, dst, s.strides, s.kernel, s.padL, s.padR);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return PoolingPd(desc, attr, cpuEngine());
}

//! The descriptors and workspace layout of one run with given layouts of the layer's input
//! (\p src) and output (\p dst): scratchpad at 0 (shared by the primitives, which run one after
//! another), then the pooling's src and dst where they need reorders from and to the layer's.
struct PoolPlan
{
    PoolingPd pool;
    memory::desc userSrc, userDst; //!< the layer's tensors as they lie in memory
    bool srcReorder{false};
    bool dstReorder{false};
    dnnl::reorder::primitive_desc toSrc, fromDst;
    size_t scratchBytes{0};
    size_t srcOffset{0};
    size_t dstOffset{0};
    size_t workspaceBytes{0};
};

PoolPlan makePlan(const PoolShape& s, bool blocked, ir::Layout src, ir::Layout dst)
{
    PoolPlan plan;
    plan.pool = makePd(s, blocked);
    plan.userSrc = userDesc(s.src, src);
    plan.userDst = userDesc(s.dst, dst);
    plan.srcReorder = plan.pool.src_desc() != plan.userSrc;
    plan.dstReorder = plan.pool.dst_desc() != plan.userDst;
    size_t scratch = plan.pool.scratchpad_desc().get_size();
    if (plan.srcReorder)
    {
        plan.toSrc = makeReorderPd(plan.userSrc, plan.pool.src_desc());
        scratch = std::max(scratch, plan.toSrc.scratchpad_desc().get_size());
    }
    if (plan.dstReorder)
    {
        plan.fromDst = makeReorderPd(plan.pool.dst_desc(), plan.userDst);
        scratch = std::max(scratch, plan.fromDst.scratchpad_desc().get_size());
    }
    WorkspaceLayout layout;
    layout.reserve(scratch);
    plan.scratchBytes = scratch;
    plan.srcOffset = layout.reserve(plan.srcReorder ? plan.pool.src_desc().get_size() : 0);
    plan.dstOffset = layout.reserve(plan.dstReorder ? plan.pool.dst_desc().get_size() : 0);
    plan.workspaceBytes = layout.size();
    return plan;
}

class PoolBound final : public TacticState
{
public:
    int32_t threads{1};
    dnnl::stream stream;
    PoolPlan plan;
    memory src, dst, innerSrc, innerDst, scratch;
    Call toSrc, pool, fromDst;
    const void* workspace{nullptr}; //!< what innerSrc/innerDst/scratch point into
};

class OnednnPooling final : public NamedTactic
{
public:
    explicit OnednnPooling(bool blocked)
        : NamedTactic(ir::LayerKind::kPooling, blocked ? "pooling.cpu.onednn.blocked" : "pooling.cpu.onednn.nchw", "onednn")
        , mBlocked(blocked)
    {
    }

    //! The blocked variant reads and writes nChw8c / nChw16c tensors as they are, reordering only
    //! where its primitive's format differs.
    ir::LayoutSet layouts() const override { return mBlocked ? ir::kAllLayouts : ir::kLinearOnly; }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kPooling)
            return unsupported("not a pooling layer");
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("one input and one output");
        KILN_RETURN_IF_ERROR(checkFloatTensors(inputs, name().c_str()));
        KILN_RETURN_IF_ERROR(checkFloatTensors(outputs, name().c_str()));
        KILN_RETURN_IF_ERROR(checkUserLayout(inputs[0], mBlocked, name()));
        KILN_RETURN_IF_ERROR(checkUserLayout(outputs[0], mBlocked, name()));
        PoolShape s;
        KILN_RETURN_IF_ERROR(
            poolShape(static_cast<const layers::PoolingParams&>(params), inputs[0].dims, outputs[0].dims, s));
        // oneDNN's C is the axis before the window's; a blocked layout blocks the tensor's axis 1.
        if ((inputs[0].layout != ir::Layout::kLinear || outputs[0].layout != ir::Layout::kLinear) && s.src.size() != 4)
            return unsupported(name() + ": blocked layouts need a 2-D window over an NCHW tensor");
        return guarded(name(), [&] {
            const OmpThreadScope threads(kilnThreads());
            (void)makePlan(s, mBlocked, inputs[0].layout, outputs[0].layout);
            return Status::ok();
        });
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        PoolShape s;
        if (inputs.empty() || outputs.empty()
            || !poolShape(static_cast<const layers::PoolingParams&>(params), inputs[0].dims, outputs[0].dims, s))
            return 0;
        size_t bytes = 0;
        (void)guarded(name(), [&] {
            for (int32_t n : workspaceThreadCounts())
            {
                const OmpThreadScope threads(n);
                bytes = std::max(bytes, makePlan(s, mBlocked, inputs[0].layout, outputs[0].layout).workspaceBytes);
            }
            return Status::ok();
        });
        return bytes;
    }

    Expected<std::unique_ptr<TacticState>> bind(const ir::LayerParams& params, const TacticState* /*prepared*/,
        const std::vector<ir::TensorDesc>& inputs, const std::vector<ir::TensorDesc>& outputs) const override
    {
        PoolShape s;
        KILN_RETURN_IF_ERROR(
            poolShape(static_cast<const layers::PoolingParams&>(params), inputs[0].dims, outputs[0].dims, s));
        return guarded(name() + " bind", [&]() -> Expected<std::unique_ptr<TacticState>> {
            auto b = std::make_unique<PoolBound>();
            b->threads = kilnThreads();
            const OmpThreadScope threads(b->threads);
            b->stream = dnnl::stream(cpuEngine());
            b->plan = makePlan(s, mBlocked, inputs[0].layout, outputs[0].layout);
            const PoolPlan& plan = b->plan;
            b->src = unboundMemory(plan.userSrc);
            b->dst = unboundMemory(plan.userDst);
            b->innerSrc = plan.srcReorder ? unboundMemory(plan.pool.src_desc()) : b->src;
            b->innerDst = plan.dstReorder ? unboundMemory(plan.pool.dst_desc()) : b->dst;
            if (plan.scratchBytes)
                b->scratch = unboundMemory(scratchDesc(plan.scratchBytes));
            auto call = [&](dnnl::primitive primitive, int fromArg, const memory& from, int toArg, const memory& to) {
                Call c{std::move(primitive)};
                c.add(fromArg, from);
                c.add(toArg, to);
                if (plan.scratchBytes)
                    c.add(DNNL_ARG_SCRATCHPAD, b->scratch);
                return c;
            };
            if (plan.srcReorder)
                b->toSrc = call(dnnl::reorder(plan.toSrc), DNNL_ARG_FROM, b->src, DNNL_ARG_TO, b->innerSrc);
            if (plan.dstReorder)
                b->fromDst = call(dnnl::reorder(plan.fromDst), DNNL_ARG_FROM, b->innerDst, DNNL_ARG_TO, b->dst);
            b->pool = call(dnnl::pooling_forward(plan.pool), DNNL_ARG_SRC, b->innerSrc, DNNL_ARG_DST, b->innerDst);
            return std::unique_ptr<TacticState>(std::move(b));
        });
    }

    Status run(const KernelArgs& args) const override
    {
        auto& b = args.boundAs<PoolBound>();
        const PoolPlan& plan = b.plan;
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
        if (plan.srcReorder)
            KILN_RETURN_IF_ERROR(b.toSrc.execute(b.stream, "source reorder"));
        KILN_RETURN_IF_ERROR(b.pool.execute(b.stream, "pooling"));
        if (plan.dstReorder)
            KILN_RETURN_IF_ERROR(b.fromDst.execute(b.stream, "destination reorder"));
        return Status::ok();
    }

private:
    bool mBlocked;
};

} // namespace

std::unique_ptr<Tactic> makePoolingTactic(bool blocked)
{
    return std::make_unique<OnednnPooling>(blocked);
}

} // namespace kiln::kernels::cpu::onednn
