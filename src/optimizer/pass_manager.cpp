#include "optimizer/pass_manager.h"

#include "ir/printer.h"
#include "ir/verifier.h"
#include "optimizer/passes/passes.h"

#include <algorithm>
#include <unordered_set>

namespace kiln::optimizer
{

const char* passLevelName(PassLevel level)
{
    switch (level)
    {
    case PassLevel::kRequired: return "required";
    case PassLevel::kBasic: return "basic";
    case PassLevel::kExtended: return "extended";
    }
    return "unknown";
}

std::vector<std::unique_ptr<Pass>> defaultPasses()
{
    std::vector<std::unique_ptr<Pass>> table;
    // Remove what no output needs before spending time on it.
    table.push_back(passes::makeDeadLayers());
    // Constants first, so that the shuffles and fusions below see folded weights and shapes.
    table.push_back(passes::makeConstantFolding());
    table.push_back(passes::makeShuffleSimplification());
    // Conv/FC fusion before chains: a BatchNorm Scale or ReLU after a convolution belongs in its
    // weights and epilogue, not in a PointwiseChain.
    table.push_back(passes::makeConvFcFusion());
    table.push_back(passes::makeElementwiseChainFusion());
    // Constants and layers the rewrites left without consumers.
    table.push_back(passes::makeDeadLayers());
    return table;
}

Expected<bool> LayerPass::run(PassContext& ctx)
{
    const std::vector<ir::LayerKind> kinds = targetKinds();
    auto order = ctx.graph().topologicalOrder();
    if (!order)
        return order.status();
    bool any = false;
    for (ir::Layer* layer : order.value())
    {
        if (ctx.isErased(layer) || std::find(kinds.begin(), kinds.end(), layer->kind()) == kinds.end())
            continue;
        if (!match(ctx, *layer))
            continue;
        auto r = rewrite(ctx, *layer);
        if (!r)
            return r.status().withContext(std::string("pass ") + name() + ", layer '" + layer->name + "'");
        any = any || r.value();
    }
    return any;
}

PassManager::PassManager(std::vector<std::unique_ptr<Pass>> passes)
    : mPasses(std::move(passes))
{
}

namespace
{

bool listed(const std::vector<std::string>& list, const std::string& name)
{
    return std::find(list.begin(), list.end(), name) != list.end()
        || std::find(list.begin(), list.end(), "all") != list.end();
}

bool hasTarget(const ir::Graph& graph, const std::vector<ir::LayerKind>& kinds)
{
    if (kinds.empty())
        return true;
    for (const auto& l : graph.layers)
        if (std::find(kinds.begin(), kinds.end(), l->kind()) != kinds.end())
            return true;
    return false;
}

} // namespace

Status PassManager::run(ir::Graph& graph, const OptimizerOptions& options, const Reporter& reporter,
    std::vector<PassRecord>* records) const
{
    if (records)
        records->clear();
    // The builder's layout_choice runs after tactic selection, on the plan, but is disabled through
    // the same list.
    std::unordered_set<std::string> known{"all", "layout_choice"};
    for (const auto& p : mPasses)
        known.insert(p->name());
    for (const auto* list : {&options.disabledPasses, &options.dumpPasses})
        for (const std::string& n : *list)
            if (!known.count(n))
                reporter.warning("optimizer: no pass is named '" + n + "' (ignored)");

    // Passes are only answerable for keeping a valid graph valid: when the network as given
    // already fails the verifier, say so once and verify no further.
    bool verify = options.verifyPasses;
    bool verifyShapes = true;
    if (verify)
    {
        Status s = ir::verifyGraph(graph);
        if (!s)
        {
            Status structural = ir::verifyGraph(graph, ir::VerifyOptions{false});
            if (!structural)
            {
                reporter.verbose("optimizer: the input graph fails the verifier (" + structural.message()
                    + "); passes are not verified");
                verify = false;
            }
            else
            {
                reporter.verbose("optimizer: shape inference with the declared input dims fails on the input graph ("
                    + s.message() + "); passes are verified without it");
                verifyShapes = false;
            }
        }
    }

    for (size_t i = 0; i < mPasses.size(); ++i)
    {
        Pass& pass = *mPasses[i];
        PassRecord record;
        record.name = pass.name();
        const std::string label = "pass " + std::to_string(i + 1) + " '" + record.name + "' (" + passLevelName(pass.level()) + ")";
        const bool stopped = options.stopAfterPass >= 0 && static_cast<int64_t>(i) >= options.stopAfterPass;
        if (stopped || options.disabled || listed(options.disabledPasses, record.name))
        {
            reporter.verbose("optimizer: " + label + " skipped (" + (stopped ? "after the stop point" : "disabled") + ")");
            if (records)
                records->push_back(record);
            continue;
        }
        const bool dump = listed(options.dumpPasses, record.name);
        if (dump)
            reporter.info("optimizer: graph before " + label + ":\n" + ir::printGraph(graph));
        record.ran = true;
        if (hasTarget(graph, pass.targetKinds()))
        {
            PassContext ctx(graph, reporter, record.name);
            auto changed = pass.run(ctx);
            ctx.finish();
            if (!changed)
                return changed.status().withContext("optimizer " + label);
            record.changed = changed.value();
        }
        reporter.verbose("optimizer: " + label + (record.changed ? " changed the graph" : " left the graph unchanged"));
        if (dump)
            reporter.info("optimizer: graph after " + label + ":\n" + ir::printGraph(graph));
        if (verify)
        {
            Status s = ir::verifyGraph(graph, ir::VerifyOptions{verifyShapes});
            if (!s)
                return internalError("optimizer " + label + " left a broken graph: " + s.message());
        }
        if (records)
            records->push_back(record);
    }
    return Status::ok();
}

} // namespace kiln::optimizer
