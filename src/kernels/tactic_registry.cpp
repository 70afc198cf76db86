#include "kernels/cpu/families.h"
#include "kernels/tactic.h"
#include "layers/reformat.h"

#include <cctype>
#include <memory>
#include <unordered_map>

namespace kiln::kernels
{

namespace
{

std::string lowerName(const char* name)
{
    std::string s(name);
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

//! A layer kind's reference kernel as a tactic.
class ReferenceTactic final : public NamedTactic
{
public:
    explicit ReferenceTactic(ir::LayerKind kind)
        : NamedTactic(kind, lowerName(ir::layerKindName(kind)) + ".cpu.reference", "reference")
        , mFn(reference::kernelFor(kind))
    {
    }
    //! Reference kernels read and write row-major tensors; Reformat converts between layouts.
    ir::LayoutSet layouts() const override
    {
        return kind() == ir::LayerKind::kReformat ? ir::kAllLayouts : ir::kLinearOnly;
    }
    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (kind() == ir::LayerKind::kReformat)
            return checkReformatLayouts(params, inputs, outputs);
        for (const std::vector<ir::TensorDesc>* descs : {&inputs, &outputs})
            for (const ir::TensorDesc& d : *descs)
                if (d.layout != ir::Layout::kLinear)
                    return unsupported("reference kernels read and write row-major tensors only");
        return Status::ok();
    }
    Status run(const KernelArgs& args) const override { return mFn(args); }

private:
    KernelFn mFn;
};

struct Registry final : TacticRegistrar
{
    std::vector<std::unique_ptr<Tactic>> owned;
    std::vector<const Tactic*> all;
    std::vector<std::vector<const Tactic*>> byKind;
    std::unordered_map<std::string, const Tactic*> byName;
    std::unordered_map<int64_t, const Tactic*> byId;
    uint64_t listVersion{0};

    Registry()
    {
        byKind.resize(static_cast<size_t>(ir::kLayerKindCount));
        cpu::registerGemmTactics(*this);
        cpu::registerOnednnTactics(*this);
        cpu::registerPointwiseTactics(*this);
        for (int32_t k = 0; k < ir::kLayerKindCount; ++k)
            add(std::make_unique<ReferenceTactic>(static_cast<ir::LayerKind>(k)));
        std::string names;
        for (const Tactic* t : all)
            names += t->name() + "\n";
        listVersion = static_cast<uint64_t>(tacticIdFromName(names));
    }
    void add(std::unique_ptr<Tactic> t) override
    {
        const auto kind = static_cast<int32_t>(t->kind());
        // A duplicate name or id is a programming error in a family; keep the first.
        if (kind < 0 || kind >= ir::kLayerKindCount || byName.count(t->name()) || byId.count(t->id()))
            return;
        byKind[static_cast<size_t>(kind)].push_back(t.get());
        byName[t->name()] = t.get();
        byId[t->id()] = t.get();
        all.push_back(t.get());
        owned.push_back(std::move(t));
    }
};

const Registry& registry()
{
    static const Registry r;
    return r;
}

} // namespace

Status checkReformatLayouts(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
    const std::vector<ir::TensorDesc>& outputs)
{
    if (params.kind() != ir::LayerKind::kReformat || inputs.size() != 1 || outputs.size() != 1)
        return unsupported("not a Reformat layer with one input and one output");
    const auto& p = static_cast<const layers::ReformatParams&>(params);
    if (inputs[0].layout != p.from || outputs[0].layout != p.to)
        return unsupported(std::string("the Reformat converts ") + ir::layoutName(p.from) + " to " + ir::layoutName(p.to)
            + ", its tensors are " + ir::layoutName(inputs[0].layout) + " and " + ir::layoutName(outputs[0].layout));
    if (inputs[0].dims.nbDims >= 0 && !hasDynamicExtent(inputs[0].dims))
    {
        KILN_RETURN_IF_ERROR(ir::checkLayout(p.from, inputs[0].dims));
        KILN_RETURN_IF_ERROR(ir::checkLayout(p.to, inputs[0].dims));
    }
    return Status::ok();
}

const std::vector<const Tactic*>& cpuTactics(ir::LayerKind kind)
{
    static const std::vector<const Tactic*> kNone;
    const auto index = static_cast<int32_t>(kind);
    return index >= 0 && index < ir::kLayerKindCount ? registry().byKind[static_cast<size_t>(index)] : kNone;
}

const std::vector<const Tactic*>& allTactics()
{
    return registry().all;
}

const Tactic* findTactic(const std::string& name)
{
    const auto& m = registry().byName;
    auto it = m.find(name);
    return it == m.end() ? nullptr : it->second;
}

const Tactic* findTacticById(int64_t id)
{
    const auto& m = registry().byId;
    auto it = m.find(id);
    return it == m.end() ? nullptr : it->second;
}

int64_t tacticIdFromName(const std::string& name)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name)
    {
        h ^= c;
        h *= 1099511628211ull;
    }
    return static_cast<int64_t>(h & 0x7FFFFFFFFFFFFFFFull);
}

int64_t implementationId(const Tactic& tactic)
{
    return tacticIdFromName(std::string("cpu.") + tactic.implementation());
}

uint64_t tacticListVersion()
{
    return registry().listVersion;
}

} // namespace kiln::kernels
