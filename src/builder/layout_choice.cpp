#include "builder/layout_choice.h"

#include "kernels/tactic.h"
#include "layers/reformat.h"
#include "optimizer/optimizer.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace kiln::builder
{

namespace
{

constexpr size_t kMin = 0, kMax = 2;

struct Use
{
    int32_t layer;
    int32_t slot;
};

bool listed(const std::vector<std::string>& names)
{
    return std::any_of(names.begin(), names.end(), [](const std::string& p) { return p == "all" || p == "layout_choice"; });
}

//! The plan's layers with their tensors' layouts (KILN_DUMP_PASSES=layout_choice).
std::string describeLayouts(const plan::EnginePlan& plan)
{
    std::string s;
    auto tensors = [&](const std::vector<int32_t>& list) {
        std::string t;
        for (int32_t i : list)
            if (i != plan::kNoTensor)
                t += (t.empty() ? "'" : ", '") + plan.tensors[static_cast<size_t>(i)].name + "' "
                    + ir::layoutName(plan.tensors[static_cast<size_t>(i)].layout);
        return t;
    };
    for (const plan::PlanLayer& layer : plan.layers)
        s += "\n  " + layer.name + " [" + ir::layerKindName(layer.params->kind()) + ", " + layer.tactic + "] in: "
            + tensors(layer.inputs) + "; out: " + tensors(layer.outputs);
    return s;
}

class LayoutChooser
{
public:
    LayoutChooser(plan::EnginePlan& plan, const std::vector<std::vector<LayerCorners>>& corners, const BuildOptions& options,
        ir::Layout blocked)
        : mPlan(plan)
        , mCorners(corners)
        , mOptions(options)
        , mBlocked(blocked)
        , mNbProfiles(plan.profiles.size())
    {
        for (const plan::PlanLayer& layer : plan.layers)
        {
            std::vector<const kernels::Tactic*> perProfile;
            for (size_t p = 0; p < mNbProfiles; ++p)
                perProfile.push_back(kernels::findTactic(layer.tacticFor(static_cast<int32_t>(p))));
            mTactics.push_back(std::move(perProfile));
            mIn.emplace_back(layer.inputs.size(), ir::Layout::kLinear);
            mOut.emplace_back(layer.outputs.size(), ir::Layout::kLinear);
        }
        mProducer.assign(plan.tensors.size(), Use{-1, -1});
        mUses.resize(plan.tensors.size());
        for (size_t l = 0; l < plan.layers.size(); ++l)
        {
            const plan::PlanLayer& layer = plan.layers[l];
            for (size_t o = 0; o < layer.outputs.size(); ++o)
                mProducer[static_cast<size_t>(layer.outputs[o])] = Use{static_cast<int32_t>(l), static_cast<int32_t>(o)};
            for (size_t i = 0; i < layer.inputs.size(); ++i)
                if (layer.inputs[i] != plan::kNoTensor)
                    mUses[static_cast<size_t>(layer.inputs[i])].push_back(Use{static_cast<int32_t>(l), static_cast<int32_t>(i)});
        }
        for (const plan::PlanIO& io : plan.io)
            mBinding.insert(io.tensor);
    }

    Status run(const Reporter& reporter, LayoutStats& stats)
    {
        for (size_t l = 0; l < mPlan.layers.size(); ++l)
            for (int32_t t : mPlan.layers[l].outputs)
                decide(t, reporter);
        KILN_RETURN_IF_ERROR(updateWorkspaces());
        return insertReformats(reporter, stats);
    }

private:
    //! Layer \p l's descriptors at profile \p p, corner \p c, with the layouts decided so far.
    void descs(size_t l, size_t p, size_t c, std::vector<ir::TensorDesc>& ins, std::vector<ir::TensorDesc>& outs) const
    {
        ins = mCorners[l][p].inputs[c];
        outs = mCorners[l][p].outputs[c];
        for (size_t i = 0; i < ins.size(); ++i)
            ins[i].layout = mIn[l][i];
        for (size_t o = 0; o < outs.size(); ++o)
            outs[o].layout = mOut[l][o];
    }

    //! Why layer \p l's tactics cannot run with the current layouts, or ok.
    Status check(size_t l) const
    {
        ir::LayoutSet used = 0;
        for (ir::Layout layout : mIn[l])
            used |= ir::layoutBit(layout);
        for (ir::Layout layout : mOut[l])
            used |= ir::layoutBit(layout);
        std::vector<ir::TensorDesc> ins, outs;
        for (size_t p = 0; p < mNbProfiles; ++p)
        {
            const kernels::Tactic* tactic = mTactics[l][p];
            if (!tactic)
                return internalError("layer '" + mPlan.layers[l].name + "' has no tactic");
            if ((tactic->layouts() & used) != used)
                return unsupported(tactic->name() + " reads and writes row-major tensors only");
            for (size_t c = kMin; c <= kMax; ++c)
            {
                descs(l, p, c, ins, outs);
                KILN_RETURN_IF_ERROR(tactic->supports(*mPlan.layers[l].params, ins, outs));
            }
            descs(l, p, kMax, ins, outs);
            if (tactic->workspaceSize(*mPlan.layers[l].params, ins, outs) > mOptions.maxWorkspaceSize)
                return unsupported(tactic->name() + " would need more workspace than the limit");
        }
        return Status::ok();
    }

    //! True when tensor \p t may be blocked at all: FLOAT, internal, 4-D with one fitting channel extent.
    bool candidate(int32_t t) const
    {
        const plan::PlanTensor& pt = mPlan.tensors[static_cast<size_t>(t)];
        const Use producer = mProducer[static_cast<size_t>(t)];
        if (mBinding.count(t) || pt.isShapeTensor || pt.type != nvinfer1::DataType::kFLOAT || producer.layer < 0
            || mUses[static_cast<size_t>(t)].empty())
            return false;
        const auto l = static_cast<size_t>(producer.layer);
        const auto o = static_cast<size_t>(producer.slot);
        const int32_t channels = mCorners[l][0].outputs[kMin][o].dims.d[1];
        for (size_t p = 0; p < mNbProfiles; ++p)
            for (size_t c = kMin; c <= kMax; ++c)
            {
                const nvinfer1::Dims& d = mCorners[l][p].outputs[c][o].dims;
                if (d.nbDims != 4 || d.d[1] != channels || !ir::checkLayout(mBlocked, d))
                    return false;
            }
        return true;
    }

    void setUses(int32_t t, int32_t layer, ir::Layout layout)
    {
        for (const Use& u : mUses[static_cast<size_t>(t)])
            if (u.layer == layer)
                mIn[static_cast<size_t>(layer)][static_cast<size_t>(u.slot)] = layout;
    }

    void decide(int32_t t, const Reporter& reporter)
    {
        if (!candidate(t))
            return;
        const std::string& name = mPlan.tensors[static_cast<size_t>(t)].name;
        const Use producer = mProducer[static_cast<size_t>(t)];
        const auto pl = static_cast<size_t>(producer.layer);
        mOut[pl][static_cast<size_t>(producer.slot)] = mBlocked;
        if (Status s = check(pl); !s)
        {
            mOut[pl][static_cast<size_t>(producer.slot)] = ir::Layout::kLinear;
            return;
        }
        std::vector<int32_t> accepted, refused;
        std::unordered_set<int32_t> seen;
        for (const Use& u : mUses[static_cast<size_t>(t)])
        {
            if (!seen.insert(u.layer).second)
                continue;
            setUses(t, u.layer, mBlocked);
            if (check(static_cast<size_t>(u.layer)))
                accepted.push_back(u.layer);
            else
            {
                setUses(t, u.layer, ir::Layout::kLinear);
                refused.push_back(u.layer);
            }
        }
        if (accepted.empty())
        {
            mOut[pl][static_cast<size_t>(producer.slot)] = ir::Layout::kLinear;
            return;
        }
        mPlan.tensors[static_cast<size_t>(t)].layout = mBlocked;
        mChanged.insert(pl);
        mChanged.insert(accepted.begin(), accepted.end());
        if (!refused.empty())
            mReformats[t] = refused;
        std::string line = "layout choice: tensor '" + name + "' is " + ir::layoutName(mBlocked) + " from '"
            + mPlan.layers[pl].name + "' to";
        for (int32_t l : accepted)
            line += " '" + mPlan.layers[static_cast<size_t>(l)].name + "'";
        if (!refused.empty())
        {
            line += "; row-major through a Reformat for";
            for (int32_t l : refused)
                line += " '" + mPlan.layers[static_cast<size_t>(l)].name + "'";
        }
        reporter.verbose(line);
    }

    //! Workspace sizes of the layers whose layouts changed, checked again as a whole.
    Status updateWorkspaces()
    {
        std::vector<ir::TensorDesc> ins, outs;
        for (size_t l : mChanged)
        {
            if (Status s = check(l); !s)
                return internalError("layout choice left layer '" + mPlan.layers[l].name + "' with layouts its tactic refuses: "
                    + s.message());
            uint64_t workspace = 0;
            for (size_t p = 0; p < mNbProfiles; ++p)
            {
                descs(l, p, kMax, ins, outs);
                workspace = std::max<uint64_t>(workspace, mTactics[l][p]->workspaceSize(*mPlan.layers[l].params, ins, outs));
            }
            mPlan.layers[l].workspaceSize = workspace;
        }
        return Status::ok();
    }

    //! A layer name not used yet, from \p base.
    std::string uniqueLayerName(const std::string& base)
    {
        if (mLayerNames.empty())
            for (const plan::PlanLayer& layer : mPlan.layers)
                mLayerNames.insert(layer.name);
        std::string name = base;
        for (int32_t k = 2; mLayerNames.count(name); ++k)
            name = base + " " + std::to_string(k);
        mLayerNames.insert(name);
        return name;
    }

    Status insertReformats(const Reporter& reporter, LayoutStats& stats)
    {
        std::multimap<int32_t, plan::PlanLayer> inserted; // before which layer
        std::vector<ir::TensorDesc> ins(1), outs(1);
        for (const auto& [t, consumers] : mReformats)
        {
            const plan::PlanTensor source = mPlan.tensors[static_cast<size_t>(t)];
            const Use producer = mProducer[static_cast<size_t>(t)];
            plan::PlanTensor copy;
            copy.name = source.name + " (row-major)";
            copy.type = source.type;
            copy.maxBytes = source.maxBytes;
            const auto copyIndex = static_cast<int32_t>(mPlan.tensors.size());
            mPlan.tensors.push_back(copy);
            for (int32_t l : consumers)
                for (int32_t& in : mPlan.layers[static_cast<size_t>(l)].inputs)
                    if (in == t)
                        in = copyIndex;

            plan::PlanLayer layer;
            layer.name = uniqueLayerName("reformat " + source.name);
            auto params = std::make_unique<layers::ReformatParams>();
            params->from = source.layout;
            params->to = ir::Layout::kLinear;
            layer.params = std::move(params);
            layer.inputs = {t};
            layer.outputs = {copyIndex};
            const kernels::Tactic* chosen = nullptr;
            for (const kernels::Tactic* tactic : kernels::cpuTactics(ir::LayerKind::kReformat))
            {
                bool ok = true;
                for (size_t p = 0; p < mNbProfiles && ok; ++p)
                    for (size_t c = kMin; c <= kMax && ok; ++c)
                    {
                        ins[0] = mCorners[static_cast<size_t>(producer.layer)][p].outputs[c][static_cast<size_t>(producer.slot)];
                        ins[0].layout = source.layout;
                        outs[0] = ins[0];
                        outs[0].layout = ir::Layout::kLinear;
                        ok = static_cast<bool>(tactic->supports(*layer.params, ins, outs))
                            && tactic->workspaceSize(*layer.params, ins, outs) == 0;
                    }
                if (ok)
                {
                    chosen = tactic;
                    break;
                }
            }
            if (!chosen)
                return internalError("no tactic can reformat tensor '" + source.name + "'");
            layer.tactic = chosen->name();
            reporter.verbose("layout choice: layer '" + layer.name + "' (" + chosen->name() + ") converts '" + source.name + "' from "
                + ir::layoutName(source.layout) + " to row-major");
            inserted.emplace(*std::min_element(consumers.begin(), consumers.end()), std::move(layer));
        }
        stats.reformats = static_cast<int32_t>(inserted.size());
        stats.blockedTensors = static_cast<int32_t>(std::count_if(mPlan.tensors.begin(), mPlan.tensors.end(),
            [](const plan::PlanTensor& t) { return t.layout != ir::Layout::kLinear; }));
        if (!inserted.empty())
        {
            std::vector<plan::PlanLayer> layers;
            layers.reserve(mPlan.layers.size() + inserted.size());
            for (size_t l = 0; l < mPlan.layers.size(); ++l)
            {
                auto [first, last] = inserted.equal_range(static_cast<int32_t>(l));
                for (auto it = first; it != last; ++it)
                    layers.push_back(std::move(it->second));
                layers.push_back(std::move(mPlan.layers[l]));
            }
            mPlan.layers = std::move(layers);
        }
        mPlan.maxWorkspaceSize = 0;
        for (const plan::PlanLayer& layer : mPlan.layers)
            mPlan.maxWorkspaceSize = std::max(mPlan.maxWorkspaceSize, layer.workspaceSize);
        return Status::ok();
    }

    plan::EnginePlan& mPlan;
    const std::vector<std::vector<LayerCorners>>& mCorners;
    const BuildOptions& mOptions;
    ir::Layout mBlocked;
    size_t mNbProfiles;
    std::vector<std::vector<const kernels::Tactic*>> mTactics; //!< [layer][profile]
    std::vector<std::vector<ir::Layout>> mIn, mOut;           //!< [layer][slot]: the layout it reads / writes
    std::vector<Use> mProducer;                                //!< [tensor]
    std::vector<std::vector<Use>> mUses;                       //!< [tensor]
    std::unordered_set<int32_t> mBinding;
    std::set<size_t> mChanged;
    std::map<int32_t, std::vector<int32_t>> mReformats; //!< blocked tensor -> layers reading it row-major
    std::unordered_set<std::string> mLayerNames;
};

} // namespace

ir::Layout preferredBlockedLayout()
{
    return (backends::cpuDevice().fingerprint().features & backends::kCpuAVX512F) ? ir::Layout::kChannels16
                                                                                 : ir::Layout::kChannels8;
}

Status chooseLayouts(plan::EnginePlan& plan, const std::vector<std::vector<LayerCorners>>& corners,
    const BuildOptions& options, const Reporter& reporter, LayoutStats& stats)
{
    stats = LayoutStats{};
    const optimizer::OptimizerOptions o = optimizer::withEnvironment(options.optimizer);
    if (o.disabled || listed(o.disabledPasses))
    {
        reporter.verbose("layout choice: skipped (every tensor row-major)");
        return Status::ok();
    }
    const bool dump = listed(o.dumpPasses);
    if (dump)
        reporter.info("layout choice: before" + describeLayouts(plan));
    LayoutChooser chooser(plan, corners, options, preferredBlockedLayout());
    KILN_RETURN_IF_ERROR(chooser.run(reporter, stats));
    if (dump)
        reporter.info("layout choice: after" + describeLayouts(plan));
    reporter.verbose("layout choice: " + std::to_string(stats.blockedTensors) + " tensors in " + ir::layoutName(preferredBlockedLayout())
        + ", " + std::to_string(stats.reformats) + " Reformat layers");
    return Status::ok();
}

} // namespace kiln::builder
