// Layout choice (builder/layout_choice.cpp): tensors between layers whose tactics read and write a
// channel-blocked layout stay blocked, Reformat layers appear only where a blocked tensor meets a
// row-major reader, and the engine computes what the same engine with every tensor row-major
// computes (and what the reference kernels compute).
#include "builder/layout_choice.h"
#include "layers/pooling.h"
#include "layers/reformat.h"
#include "optimizer_test_util.h"

#include <cstdlib>

namespace kiln::optimizer::test
{
namespace
{

//! Restricts the candidate tactics (KILN_TACTICS) for one scope.
class TacticsScope
{
public:
    explicit TacticsScope(const char* filter) { setenv("KILN_TACTICS", filter, 1); }
    ~TacticsScope() { unsetenv("KILN_TACTICS"); }
};

constexpr const char* kBlockedTactics = "convolution.cpu.onednn.blocked,pooling.cpu.direct,reformat";

ir::Tensor* maxPool(TestGraph& t, ir::Tensor* x)
{
    auto p = std::make_unique<layers::PoolingParams>();
    p->type = nvinfer1::PoolingType::kMAX;
    p->windowSize = dims({2, 2});
    p->stride = dims({2, 2});
    p->prePadding = dims({0, 0});
    p->postPadding = dims({0, 0});
    return t.add(std::move(p), {x}, "pool");
}

OptimizerOptions withoutLayoutChoice()
{
    OptimizerOptions o;
    o.disabledPasses = {"layout_choice"};
    return o;
}

//! Builds \p g, checks the plan with \p inspect, runs it.
template <typename Inspect>
std::vector<std::vector<float>> buildInspectRun(const ir::Graph& g, const OptimizerOptions& options, const std::vector<Feed>& feeds,
    Inspect&& inspect, const std::vector<builder::ProfileSpec>& profiles = {})
{
    auto plan = buildTestPlan(g, options, 0, profiles);
    EXPECT_TRUE(plan.isOk()) << plan.status().message();
    if (!plan)
        return {};
    inspect(*plan.value());
    auto run = runEnginePlan(std::move(plan.value()), feeds);
    EXPECT_TRUE(run.isOk()) << run.status().message();
    return run ? run.value().outputs : std::vector<std::vector<float>>{};
}

int countKind(const plan::EnginePlan& plan, ir::LayerKind kind)
{
    int n = 0;
    for (const auto& l : plan.layers)
        n += l.params->kind() == kind;
    return n;
}

int blockedTensors(const plan::EnginePlan& plan)
{
    int n = 0;
    for (const auto& t : plan.tensors)
        n += t.layout != ir::Layout::kLinear;
    return n;
}

void expectAllNear(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b, double rtol, const std::string& what)
{
    ASSERT_EQ(a.size(), b.size()) << what;
    for (size_t i = 0; i < a.size(); ++i)
        expectNear(a[i], b[i], rtol, 1e-5, what + ", output " + std::to_string(i));
}

//! The reference kernels' outputs (no optimizer, reference tactics only).
std::vector<std::vector<float>> referenceOutputs(const ir::Graph& g, const std::vector<Feed>& feeds)
{
    TacticsScope scope("reference");
    OptimizerOptions off;
    off.disabled = true;
    auto run = runPlan(g, off, feeds);
    EXPECT_TRUE(run.isOk()) << run.status().message();
    return run ? run.value().outputs : std::vector<std::vector<float>>{};
}

TEST(LayoutChoice, ConvolutionChainStaysBlockedWithoutReformats)
{
    TestGraph t;
    ir::Tensor* x = t.input("x", dims({2, 3, 12, 12}));
    ir::Tensor* a = t.conv(x, 3, 16);
    ir::Tensor* b = t.conv(t.act(a), 16, 16);
    ir::Tensor* c = t.conv(t.act(b), 16, 24);
    t.output(c);
    const std::vector<Feed> feeds{feed("x", dims({2, 3, 12, 12}))};
    const ir::Layout blocked = builder::preferredBlockedLayout();
    std::vector<std::vector<float>> chosen, rowMajor;
    {
        TacticsScope scope(kBlockedTactics);
        chosen = buildInspectRun(t.g, {}, feeds, [&](const plan::EnginePlan& plan) {
            // conv+relu, conv+relu, conv: the two inner tensors blocked, the output row-major.
            EXPECT_EQ(countKind(plan, ir::LayerKind::kConvolution), 3);
            EXPECT_EQ(countKind(plan, ir::LayerKind::kReformat), 0);
            EXPECT_EQ(blockedTensors(plan), 2);
            for (const auto& l : plan.layers)
                for (int32_t out : l.outputs)
                {
                    const auto& pt = plan.tensors[static_cast<size_t>(out)];
                    const bool isOutput = pt.name == c->name;
                    EXPECT_EQ(pt.layout, isOutput ? ir::Layout::kLinear : blocked) << pt.name;
                }
        });
        rowMajor = buildInspectRun(t.g, withoutLayoutChoice(), feeds, [](const plan::EnginePlan& plan) {
            EXPECT_EQ(blockedTensors(plan), 0);
            EXPECT_EQ(countKind(plan, ir::LayerKind::kReformat), 0);
        });
    }
    expectAllNear(chosen, rowMajor, 1e-5, "blocked vs row-major");
    expectAllNear(chosen, referenceOutputs(t.g, feeds), 1e-4, "blocked vs reference");
}

TEST(LayoutChoice, ReformatOnlyWhereABlockedTensorMeetsARowMajorReader)
{
    TestGraph t;
    ir::Tensor* x = t.input("x", dims({1, 3, 16, 16}));
    ir::Tensor* a = t.act(t.conv(x, 3, 16));
    ir::Tensor* b = t.conv(a, 16, 8);
    ir::Tensor* p = maxPool(t, a); // pooling.cpu.direct reads row-major only
    ir::Tensor* c = t.conv(p, 16, 8);
    t.output(b);
    t.output(c);
    const std::vector<Feed> feeds{feed("x", dims({1, 3, 16, 16}))};
    TestLogger log;
    std::vector<std::vector<float>> chosen, rowMajor;
    {
        TacticsScope scope(kBlockedTactics);
        auto plan = buildTestPlan(t.g, {}, 0, {}, &log);
        ASSERT_TRUE(plan.isOk()) << plan.status().message();
        const plan::EnginePlan& ep = *plan.value();
        ASSERT_EQ(countKind(ep, ir::LayerKind::kReformat), 1) << log.all();
        // a is blocked; the pooling reads its row-major copy, made just before the pooling runs.
        EXPECT_EQ(blockedTensors(ep), 1);
        size_t reformat = 0, pool = 0;
        for (size_t l = 0; l < ep.layers.size(); ++l)
        {
            if (ep.layers[l].params->kind() == ir::LayerKind::kReformat)
                reformat = l;
            if (ep.layers[l].params->kind() == ir::LayerKind::kPooling)
                pool = l;
        }
        EXPECT_EQ(reformat + 1, pool);
        const plan::PlanLayer& r = ep.layers[reformat];
        EXPECT_EQ(ep.tensors[static_cast<size_t>(r.inputs[0])].layout, builder::preferredBlockedLayout());
        EXPECT_EQ(ep.tensors[static_cast<size_t>(r.outputs[0])].layout, ir::Layout::kLinear);
        EXPECT_EQ(ep.layers[pool].inputs[0], r.outputs[0]);
        EXPECT_EQ(r.tactic, "reformat.cpu.parallel");
        const auto& rp = static_cast<const layers::ReformatParams&>(*r.params);
        EXPECT_EQ(rp.from, builder::preferredBlockedLayout());
        EXPECT_EQ(rp.to, ir::Layout::kLinear);
        EXPECT_TRUE(log.has("layout choice: 1 tensors in")) << log.all();
        auto run = runEnginePlan(std::move(plan.value()), feeds);
        ASSERT_TRUE(run.isOk()) << run.status().message();
        chosen = run.value().outputs;
        rowMajor = buildInspectRun(t.g, withoutLayoutChoice(), feeds, [](const plan::EnginePlan&) {});
    }
    expectAllNear(chosen, rowMajor, 1e-5, "blocked vs row-major");
    expectAllNear(chosen, referenceOutputs(t.g, feeds), 1e-4, "blocked vs reference");
}

TEST(LayoutChoice, ResidualAddsAndDynamicBatchStayBlocked)
{
    // conv -> conv -> add(., first) -> relu: the fusion makes the add a residual of the second
    // convolution, which then reads both of its inputs blocked.
    TestGraph t;
    ir::Tensor* x = t.input("x", dims({-1, 8, 10, 10}));
    ir::Tensor* a = t.act(t.conv(x, 8, 16));
    ir::Tensor* b = t.conv(a, 16, 16);
    ir::Tensor* s = t.act(t.ew(b, a, ElementWiseOperation::kSUM));
    t.output(t.conv(s, 16, 8));
    builder::ProfileSpec profile;
    profile.entries.push_back({"x", dims({1, 8, 10, 10}), dims({2, 8, 10, 10}), dims({3, 8, 10, 10})});
    const std::vector<Feed> feeds{feed("x", dims({3, 8, 10, 10}))};
    std::vector<std::vector<float>> chosen, rowMajor;
    {
        TacticsScope scope(kBlockedTactics);
        chosen = buildInspectRun(t.g, {}, feeds, [](const plan::EnginePlan& plan) {
            EXPECT_EQ(countKind(plan, ir::LayerKind::kConvolution), 3);
            EXPECT_EQ(countKind(plan, ir::LayerKind::kReformat), 0);
            EXPECT_EQ(blockedTensors(plan), 2);
            const plan::PlanLayer& second = plan.layers[1];
            for (int32_t in : second.inputs)
            {
                if (in == plan::kNoTensor)
                    continue;
                EXPECT_NE(plan.tensors[static_cast<size_t>(in)].layout, ir::Layout::kLinear);
            }
        }, {profile});
        rowMajor = buildInspectRun(t.g, withoutLayoutChoice(), feeds, [](const plan::EnginePlan&) {}, {profile});
    }
    expectAllNear(chosen, rowMajor, 1e-5, "blocked vs row-major");
}

TEST(LayoutChoice, ChannelsThatDoNotFillBlocksStayRowMajor)
{
    TestGraph t;
    ir::Tensor* x = t.input("x", dims({1, 3, 9, 9}));
    ir::Tensor* a = t.conv(x, 3, 12); // 12 is no multiple of 8 (or 16)
    t.output(t.conv(a, 12, 8));
    TacticsScope scope(kBlockedTactics);
    buildInspectRun(t.g, {}, {feed("x", dims({1, 3, 9, 9}))}, [](const plan::EnginePlan& plan) {
        EXPECT_EQ(blockedTensors(plan), 0);
        EXPECT_EQ(countKind(plan, ir::LayerKind::kReformat), 0);
    });
}

TEST(LayoutChoice, RowMajorTacticsKeepEverythingRowMajor)
{
    TestGraph t;
    ir::Tensor* x = t.input("x", dims({1, 8, 9, 9}));
    t.output(t.conv(t.conv(x, 8, 16), 16, 8));
    TacticsScope scope("im2col_gemm");
    buildInspectRun(t.g, {}, {feed("x", dims({1, 8, 9, 9}))}, [](const plan::EnginePlan& plan) {
        EXPECT_EQ(blockedTensors(plan), 0);
        EXPECT_EQ(countKind(plan, ir::LayerKind::kReformat), 0);
    });
}

TEST(LayoutChoice, EngineRefusesALayoutItsTacticCannotRead)
{
    TestGraph t;
    ir::Tensor* x = t.input("x", dims({1, 8, 8, 8}));
    ir::Tensor* a = t.conv(x, 8, 8);
    t.output(maxPool(t, a));
    TacticsScope scope(kBlockedTactics);
    auto plan = buildTestPlan(t.g, {}, 0, {});
    ASSERT_TRUE(plan.isOk()) << plan.status().message();
    // The pooling's tactic reads row-major: an engine saying otherwise is refused at load.
    plan::EnginePlan& ep = *plan.value();
    ASSERT_EQ(blockedTensors(ep), 0);
    const plan::PlanLayer& pool = ep.layers.back();
    ASSERT_EQ(pool.params->kind(), ir::LayerKind::kPooling);
    ep.tensors[static_cast<size_t>(pool.inputs[0])].layout = ir::Layout::kChannels8;
    auto engine = runtime::Engine::create(std::move(plan.value()), backends::Allocator());
    ASSERT_FALSE(engine.isOk());
    EXPECT_NE(engine.status().message().find("cannot access tensor"), std::string::npos) << engine.status().message();
    EXPECT_NE(engine.status().message().find("'pool'"), std::string::npos) << engine.status().message();
}

} // namespace
} // namespace kiln::optimizer::test
