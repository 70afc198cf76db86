// The tactics that read and write channel-blocked layouts (ir/layout.h): the blocked oneDNN
// convolution (with and without a fused residual) and pooling, and the position-wise vector
// activation and element-wise tactics. Each case lays its inputs out here, by the layout's
// definition written as index loops, runs the tactic through its life cycle with those layouts in
// the descriptors, lays the output back out row-major and compares it with the layer's reference
// kernel run on the row-major inputs. Also what supports() refuses.
#include "kernels/tactic_check.h"
#include "layers/activation.h"
#include "layers/convolution.h"
#include "layers/element_wise.h"
#include "layers/pooling.h"

#include <deque>
#include <optional>

namespace kiln::test
{
namespace
{

using ir::Layout;
using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::PoolingType;

constexpr Layout kBlockedLayouts[] = {Layout::kChannels8, Layout::kChannels16};

ir::TensorDesc desc(const nvinfer1::Dims& d, Layout layout = Layout::kLinear)
{
    return ir::TensorDesc{DataType::kFLOAT, d, std::nullopt, layout};
}

const ir::TensorDesc kAbsent{DataType::kFLOAT, invalidDims(), std::nullopt};

//! Weights that outlive the cases built from them.
const float* keep(std::vector<float> values)
{
    static std::deque<std::vector<float>> store;
    store.push_back(std::move(values));
    return store.back().data();
}

//! One layer with row-major input values, run with the inputs and the output in given layouts.
struct LayoutCase
{
    std::unique_ptr<ir::LayerParams> params;
    std::vector<ir::TensorDesc> inputs; //!< with the layouts the tactic gets (nbDims -1: absent)
    Layout outputLayout{Layout::kLinear};
    std::vector<std::vector<float>> values; //!< row-major, one per present input
    std::string what;
};

//! The single output's dims from shape inference, which sees row-major tensors only.
nvinfer1::Dims outputDims(const LayoutCase& c)
{
    std::vector<ir::TensorDesc> linear;
    for (const ir::TensorDesc& d : c.inputs)
        linear.push_back(desc(d.dims));
    std::vector<const ir::TensorDesc*> ptrs;
    for (const ir::TensorDesc& d : linear)
        ptrs.push_back(d.dims.nbDims < 0 ? nullptr : &d);
    ir::ShapeContext ctx("case", c.params->kind(), ptrs, c.params->nbOutputs());
    const Status s = c.params->inferShapes(ctx);
    EXPECT_TRUE(s) << c.what << ": " << s.message();
    return s ? ctx.outputs()[0].dims : invalidDims();
}

//! Fills the values of the present inputs (seeded) and returns the case.
LayoutCase withValues(LayoutCase c, uint32_t seed)
{
    c.values.assign(c.inputs.size(), {});
    for (size_t i = 0; i < c.inputs.size(); ++i)
        if (c.inputs[i].dims.nbDims >= 0)
            c.values[i] =
                randomFloats(static_cast<size_t>(volume(c.inputs[i].dims)), seed * 31 + static_cast<uint32_t>(i));
    return c;
}

std::vector<kernels::TensorBuffer> buffers(
    const std::vector<ir::TensorDesc>& descs, std::vector<std::vector<float>>& data)
{
    std::vector<kernels::TensorBuffer> out;
    for (size_t i = 0; i < descs.size(); ++i)
        out.push_back(
            kernels::TensorBuffer{descs[i].dims.nbDims < 0 ? nullptr : data[i].data(), descs[i].type, descs[i].dims});
    return out;
}

//! Runs \p tactic (supports, workspaceSize, prepare, bind, run) on \p c's inputs laid out in their
//! layouts; \p result: its output laid back out row-major.
::testing::AssertionResult runInLayouts(const kernels::Tactic& tactic, const LayoutCase& c, std::vector<float>& result)
{
    const ir::LayerParams& params = *c.params;
    const std::vector<ir::TensorDesc> outs{desc(outputDims(c), c.outputLayout)};
    Status s = tactic.supports(params, c.inputs, outs);
    if (!s)
        return ::testing::AssertionFailure() << tactic.name() << " refuses " << c.what << ": " << s.message();
    std::vector<std::vector<float>> inputs(c.inputs.size());
    for (size_t i = 0; i < c.inputs.size(); ++i)
        if (c.inputs[i].dims.nbDims >= 0)
            inputs[i] = relayout(c.values[i], c.inputs[i].dims, Layout::kLinear, c.inputs[i].layout);
    std::vector<std::vector<float>> outputs{
        std::vector<float>(static_cast<size_t>(volume(outs[0].dims)), std::nanf(""))};
    detail::CountingAllocator counting;
    {
        const backends::Allocator allocator(&counting);
        auto prepared = tactic.prepare(params, allocator);
        if (!prepared)
            return ::testing::AssertionFailure() << tactic.name() << " prepare: " << prepared.status().message();
        auto bound = tactic.bind(params, prepared.value().get(), c.inputs, outs);
        if (!bound)
            return ::testing::AssertionFailure() << tactic.name() << " bind: " << bound.status().message();
        std::vector<uint8_t> workspace(tactic.workspaceSize(params, c.inputs, outs));
        kernels::KernelArgs a;
        a.params = &params;
        a.pool = &backends::cpu::ThreadPool::global();
        a.prepared = prepared.value().get();
        a.bound = bound.value().get();
        a.workspace = workspace.empty() ? nullptr : workspace.data();
        a.workspaceSize = workspace.size();
        a.inputs = buffers(c.inputs, inputs);
        a.outputs = buffers(outs, outputs);
        s = tactic.run(a);
        if (!s)
            return ::testing::AssertionFailure() << tactic.name() << " run: " << s.message();
    }
    if (counting.live != 0)
        return ::testing::AssertionFailure() << tactic.name() << " leaked " << counting.live << " allocator blocks";
    for (size_t i = 0; i < outputs[0].size(); ++i)
        if (std::isnan(outputs[0][i]))
            return ::testing::AssertionFailure()
                << tactic.name() << " left element " << i << " of its output unwritten";
    result = relayout(outputs[0], outs[0].dims, c.outputLayout, Layout::kLinear);
    return ::testing::AssertionSuccess();
}

//! The layer's reference kernel on \p c's row-major inputs.
std::vector<float> runReference(const LayoutCase& c)
{
    std::vector<ir::TensorDesc> linearInputs;
    for (const ir::TensorDesc& d : c.inputs)
        linearInputs.push_back(d.dims.nbDims < 0 ? kAbsent : desc(d.dims));
    const std::vector<ir::TensorDesc> outs{desc(outputDims(c))};
    std::vector<std::vector<float>> inputs = c.values;
    std::vector<std::vector<float>> outputs{
        std::vector<float>(static_cast<size_t>(volume(outs[0].dims)), std::nanf(""))};
    kernels::KernelArgs a;
    a.params = c.params.get();
    a.pool = &backends::cpu::ThreadPool::global();
    a.inputs = buffers(linearInputs, inputs);
    a.outputs = buffers(outs, outputs);
    const Status s = kernels::reference::kernelFor(c.params->kind())(a);
    EXPECT_TRUE(s) << c.what << ": reference: " << s.message();
    return outputs[0];
}

//! \p tactic in \p c's layouts agrees with the reference kernel on row-major data.
::testing::AssertionResult matchesReference(const kernels::Tactic& tactic, const LayoutCase& c)
{
    std::vector<float> got;
    ::testing::AssertionResult ran = runInLayouts(tactic, c, got);
    if (!ran)
        return ran << " (" << c.what << ")";
    const std::vector<float> want = runReference(c);
    constexpr float kRtol = 1e-4f, kAtol = 1e-5f;
    for (size_t i = 0; i < want.size(); ++i)
        if (!(std::fabs(got[i] - want[i]) <= kAtol + kRtol * std::fabs(want[i])))
            return ::testing::AssertionFailure()
                << tactic.name() << " (" << c.what << "): element " << i << " of " << want.size() << " is " << got[i]
                << ", the reference kernel gives " << want[i];
    return ::testing::AssertionSuccess();
}

const kernels::Tactic& tactic(const char* name)
{
    const kernels::Tactic* t = kernels::findTactic(name);
    EXPECT_NE(t, nullptr) << name;
    return *t;
}

//! Whether this CPU runs \p t (the vector tactics need AVX2 and FMA).
bool runsHere(const kernels::Tactic& t)
{
    return (t.requiredCpuFeatures() & ~backends::cpuDevice().fingerprint().features) == 0;
}

std::string layoutText(Layout layout)
{
    return ir::layoutName(layout);
}

// ---------------------------------------------------------------------------------------------
// Convolution

//! A 3×3 convolution with padding 1 and bias of \p input to \p maps maps, in \p src and \p dst
//! layouts, adding a residual in \p residual when given.
LayoutCase convCase(const nvinfer1::Dims& input, int32_t maps, Layout src, Layout dst, std::optional<Layout> residual,
    uint32_t seed = 1)
{
    auto p = std::make_unique<layers::ConvolutionParams>();
    p->nbOutputMaps = maps;
    p->kernelSize = dims({3, 3});
    p->stride = dims({1, 1});
    p->prePadding = dims({1, 1});
    p->postPadding = dims({1, 1});
    p->dilation = dims({1, 1});
    const int64_t count = int64_t{maps} * input.d[1] * 9;
    p->kernelWeights =
        ir::WeightsRef{DataType::kFLOAT, keep(randomFloats(static_cast<size_t>(count), seed + 7)), count};
    p->biasWeights = ir::WeightsRef{DataType::kFLOAT, keep(randomFloats(static_cast<size_t>(maps), seed + 9)), maps};
    LayoutCase c;
    c.what = "conv " + toString(input) + " -> " + std::to_string(maps) + " maps, src " + layoutText(src) + ", dst "
        + layoutText(dst);
    c.inputs = {desc(input, src)};
    c.outputLayout = dst;
    if (residual)
    {
        p->epilogue.hasResidual = true;
        const nvinfer1::Dims out = dims({input.d[0], maps, input.d[2], input.d[3]});
        c.inputs = {desc(input, src), kAbsent, kAbsent, desc(out, *residual)};
        c.what += ", residual " + layoutText(*residual);
    }
    c.params = std::move(p);
    return withValues(std::move(c), seed);
}

TEST(LayoutTactics, BlockedConvolutionInEveryLayoutCombination)
{
    const kernels::Tactic& conv = tactic("convolution.cpu.onednn.blocked");
    EXPECT_EQ(conv.layouts(), ir::kAllLayouts);
    const nvinfer1::Dims input = dims({2, 16, 7, 9});
    for (Layout blocked : kBlockedLayouts)
        for (Layout src : {Layout::kLinear, blocked})
            for (Layout dst : {Layout::kLinear, blocked})
                for (std::optional<Layout> residual :
                    {std::optional<Layout>(), std::optional<Layout>(Layout::kLinear), std::optional<Layout>(blocked)})
                    EXPECT_TRUE(matchesReference(conv, convCase(input, 32, src, dst, residual)));
}

TEST(LayoutTactics, BlockedConvolutionBetweenBlockSizes)
{
    const kernels::Tactic& conv = tactic("convolution.cpu.onednn.blocked");
    const nvinfer1::Dims input = dims({1, 32, 6, 5});
    EXPECT_TRUE(
        matchesReference(conv, convCase(input, 16, Layout::kChannels8, Layout::kChannels16, Layout::kChannels8)));
    EXPECT_TRUE(
        matchesReference(conv, convCase(input, 16, Layout::kChannels16, Layout::kChannels8, Layout::kChannels16)));
    LayoutCase relu = convCase(input, 48, Layout::kChannels16, Layout::kChannels16, Layout::kLinear, 3);
    auto& p = static_cast<layers::ConvolutionParams&>(*relu.params);
    p.epilogue.hasActivation = true;
    p.epilogue.activation = ActivationType::kRELU;
    relu.what += ", ReLU";
    EXPECT_TRUE(matchesReference(conv, relu));
}

TEST(LayoutTactics, RowMajorConvolutionStaysRowMajor)
{
    const kernels::Tactic& nchw = tactic("convolution.cpu.onednn.nchw");
    EXPECT_EQ(nchw.layouts(), ir::kLinearOnly);
    const LayoutCase c = convCase(dims({1, 16, 5, 5}), 16, Layout::kChannels8, Layout::kLinear, std::nullopt);
    const Status s = nchw.supports(*c.params, c.inputs, {desc(dims({1, 16, 5, 5}))});
    EXPECT_FALSE(s);
    EXPECT_NE(s.message().find("row-major"), std::string::npos) << s.message();
    EXPECT_TRUE(
        matchesReference(nchw, convCase(dims({1, 16, 5, 5}), 16, Layout::kLinear, Layout::kLinear, Layout::kLinear)));
}

// ---------------------------------------------------------------------------------------------
// Pooling

//! A 3×3 window with stride 2 and padding 1 over \p input (every window holds input cells).
LayoutCase poolCase(const nvinfer1::Dims& input, PoolingType type, bool excludePadding, Layout src, Layout dst)
{
    auto p = std::make_unique<layers::PoolingParams>();
    p->type = type;
    p->windowSize = dims({3, 3});
    p->stride = dims({2, 2});
    p->prePadding = dims({1, 1});
    p->postPadding = dims({1, 1});
    p->averageCountExcludesPadding = excludePadding;
    LayoutCase c;
    const char* kind = type == PoolingType::kMAX ? "max" : excludePadding ? "average" : "average-with-padding";
    c.what =
        std::string(kind) + " pooling " + toString(input) + ", src " + layoutText(src) + ", dst " + layoutText(dst);
    c.inputs = {desc(input, src)};
    c.outputLayout = dst;
    c.params = std::move(p);
    return withValues(std::move(c), 2);
}

TEST(LayoutTactics, BlockedPooling)
{
    const kernels::Tactic& pool = tactic("pooling.cpu.onednn.blocked");
    EXPECT_EQ(pool.layouts(), ir::kAllLayouts);
    EXPECT_EQ(tactic("pooling.cpu.onednn.nchw").layouts(), ir::kLinearOnly);
    const nvinfer1::Dims input = dims({2, 32, 9, 10});
    for (Layout blocked : kBlockedLayouts)
        for (const auto& [src, dst] : {std::pair{blocked, blocked}, std::pair{Layout::kLinear, blocked},
                 std::pair{blocked, Layout::kLinear}, std::pair{Layout::kLinear, Layout::kLinear}})
        {
            EXPECT_TRUE(matchesReference(pool, poolCase(input, PoolingType::kMAX, true, src, dst)));
            EXPECT_TRUE(matchesReference(pool, poolCase(input, PoolingType::kAVERAGE, true, src, dst)));
            EXPECT_TRUE(matchesReference(pool, poolCase(input, PoolingType::kAVERAGE, false, src, dst)));
        }
}

// ---------------------------------------------------------------------------------------------
// Position-wise vector tactics

LayoutCase activationCase(ActivationType type, const nvinfer1::Dims& d, Layout layout)
{
    auto p = std::make_unique<layers::ActivationParams>();
    p->type = type;
    LayoutCase c;
    c.what = "activation " + std::to_string(static_cast<int>(type)) + " " + toString(d) + " " + layoutText(layout);
    c.inputs = {desc(d, layout)};
    c.outputLayout = layout;
    c.params = std::move(p);
    return withValues(std::move(c), 4);
}

LayoutCase elementWiseCase(ElementWiseOperation op, const nvinfer1::Dims& d, Layout layout)
{
    auto p = std::make_unique<layers::ElementWiseParams>();
    p->operation = op;
    LayoutCase c;
    c.what = "element-wise " + std::to_string(static_cast<int>(op)) + " " + toString(d) + " " + layoutText(layout);
    c.inputs = {desc(d, layout), desc(d, layout)};
    c.outputLayout = layout;
    c.params = std::move(p);
    return withValues(std::move(c), 5);
}

TEST(LayoutTactics, VectorActivationInBlockedLayouts)
{
    const kernels::Tactic& vector = tactic("activation.cpu.vector.avx2");
    EXPECT_EQ(vector.layouts(), ir::kAllLayouts);
    if (!runsHere(vector))
        GTEST_SKIP() << "this CPU lacks AVX2 or FMA";
    for (Layout layout : kBlockedLayouts)
        for (ActivationType type : {ActivationType::kRELU, ActivationType::kSIGMOID})
            EXPECT_TRUE(matchesReference(vector, activationCase(type, dims({2, 16, 5, 7}), layout)));
}

TEST(LayoutTactics, VectorElementWiseInBlockedLayouts)
{
    const kernels::Tactic& vector = tactic("elementwise.cpu.vector.avx2");
    EXPECT_EQ(vector.layouts(), ir::kAllLayouts);
    if (!runsHere(vector))
        GTEST_SKIP() << "this CPU lacks AVX2 or FMA";
    for (Layout layout : kBlockedLayouts)
        for (ElementWiseOperation op : {ElementWiseOperation::kSUM, ElementWiseOperation::kPROD})
            EXPECT_TRUE(matchesReference(vector, elementWiseCase(op, dims({2, 32, 5, 7}), layout)));
}

// ---------------------------------------------------------------------------------------------
// Refusals

//! \p t's supports() for \p c with an output in \p c.outputLayout; a refusal must say why.
Status supportsCase(const kernels::Tactic& t, const LayoutCase& c)
{
    const Status s = t.supports(*c.params, c.inputs, {desc(outputDims(c), c.outputLayout)});
    EXPECT_TRUE(s || !s.message().empty()) << t.name() << " refused " << c.what << " without a reason";
    return s;
}

TEST(LayoutTactics, OnednnRefusesLayoutsTheDimsCannotHold)
{
    const kernels::Tactic& conv = tactic("convolution.cpu.onednn.blocked");
    const Layout k8 = Layout::kChannels8;
    const Layout k16 = Layout::kChannels16;
    const Layout kL = Layout::kLinear;
    // Channels that do not fill blocks of 8 (or 16), on the input, the output or the residual.
    EXPECT_FALSE(supportsCase(conv, convCase(dims({1, 12, 6, 6}), 16, k8, kL, std::nullopt)));
    EXPECT_TRUE(supportsCase(conv, convCase(dims({1, 24, 6, 6}), 16, k8, kL, std::nullopt)));
    EXPECT_FALSE(supportsCase(conv, convCase(dims({1, 24, 6, 6}), 16, k16, kL, std::nullopt)));
    EXPECT_FALSE(supportsCase(conv, convCase(dims({1, 16, 6, 6}), 12, kL, k8, std::nullopt)));
    EXPECT_FALSE(supportsCase(conv, convCase(dims({1, 16, 6, 6}), 12, kL, kL, k8)));
    EXPECT_TRUE(supportsCase(conv, convCase(dims({1, 16, 6, 6}), 24, kL, kL, k8)));
    // A 3-D tensor has no blocked form.
    {
        LayoutCase c = convCase(dims({1, 16, 6, 6}), 16, kL, kL, std::nullopt);
        c.inputs = {desc(dims({16, 6, 6}), k8)};
        c.what = "3-D input in nChw8c";
        EXPECT_FALSE(supportsCase(conv, c));
    }
    // A 3-D kernel over a 4-D tensor: oneDNN's channels are the tensor's axis 0, not the blocked axis 1.
    {
        auto p = std::make_unique<layers::ConvolutionParams>();
        p->nbOutputMaps = 8;
        p->kernelSize = dims({1, 1, 1});
        p->stride = p->dilation = dims({1, 1, 1});
        p->prePadding = p->postPadding = dims({0, 0, 0});
        p->kernelWeights = ir::WeightsRef{DataType::kFLOAT, keep(randomFloats(16 * 8, 3)), 16 * 8};
        LayoutCase c;
        c.params = std::move(p);
        c.inputs = {desc(dims({16, 8, 6, 6}), k8)};
        c.what = "3-D kernel over nChw8c";
        const Status s = supportsCase(conv, c);
        EXPECT_FALSE(s);
        EXPECT_NE(s.message().find("2-D kernel"), std::string::npos) << s.message();
    }

    const kernels::Tactic& pool = tactic("pooling.cpu.onednn.blocked");
    EXPECT_FALSE(supportsCase(pool, poolCase(dims({1, 12, 9, 9}), PoolingType::kMAX, true, k8, k8)));
    EXPECT_TRUE(supportsCase(pool, poolCase(dims({1, 24, 9, 9}), PoolingType::kMAX, true, k8, k8)));
    EXPECT_FALSE(supportsCase(pool, poolCase(dims({1, 24, 9, 9}), PoolingType::kMAX, true, k16, kL)));
    EXPECT_FALSE(supportsCase(pool, poolCase(dims({16, 9, 9}), PoolingType::kMAX, true, k8, k8)));
    EXPECT_FALSE(supportsCase(
        tactic("pooling.cpu.onednn.nchw"), poolCase(dims({1, 16, 9, 9}), PoolingType::kMAX, true, k8, k8)));
}

TEST(LayoutTactics, VectorTacticsRefuseMixedLayoutsAndBlockedBroadcasts)
{
    const Layout k8 = Layout::kChannels8;
    const kernels::Tactic& activation = tactic("activation.cpu.vector.avx2");
    LayoutCase a = activationCase(ActivationType::kRELU, dims({1, 16, 4, 4}), k8);
    EXPECT_TRUE(supportsCase(activation, a));
    a.outputLayout = Layout::kLinear;
    EXPECT_FALSE(supportsCase(activation, a));
    a.outputLayout = Layout::kChannels16;
    EXPECT_FALSE(supportsCase(activation, a));

    const kernels::Tactic& elementWise = tactic("elementwise.cpu.vector.avx2");
    LayoutCase e = elementWiseCase(ElementWiseOperation::kSUM, dims({1, 16, 4, 4}), k8);
    EXPECT_TRUE(supportsCase(elementWise, e));
    e.inputs[1].layout = Layout::kLinear;
    EXPECT_FALSE(supportsCase(elementWise, e));
    e.inputs[1].layout = k8;
    e.outputLayout = Layout::kLinear;
    EXPECT_FALSE(supportsCase(elementWise, e));
    // Broadcasting walks row-major positions: refused in a blocked layout, accepted row-major.
    e.outputLayout = k8;
    e.inputs[1] = desc(dims({1, 16, 1, 1}), k8);
    const Status s = supportsCase(elementWise, e);
    EXPECT_FALSE(s);
    EXPECT_NE(s.message().find("broadcast"), std::string::npos) << s.message();
    e.inputs = {desc(dims({1, 16, 4, 4})), desc(dims({1, 16, 1, 1}))};
    e.outputLayout = Layout::kLinear;
    EXPECT_TRUE(supportsCase(elementWise, e));
}

} // namespace
} // namespace kiln::test
