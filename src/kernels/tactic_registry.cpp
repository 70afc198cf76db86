#include "kernels/tactic.h"

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
class ReferenceTactic final : public Tactic
{
public:
    explicit ReferenceTactic(ir::LayerKind kind)
        : mKind(kind)
        , mName(lowerName(ir::layerKindName(kind)) + ".cpu.reference")
        , mId(tacticIdFromName(mName))
        , mFn(reference::kernelFor(kind))
    {
    }
    const std::string& name() const override { return mName; }
    int64_t id() const override { return mId; }
    ir::LayerKind kind() const override { return mKind; }
    Status supports(const ir::LayerParams&, const std::vector<ir::TensorDesc>&) const override { return Status::ok(); }
    Status run(const KernelArgs& args) const override { return mFn(args); }

private:
    ir::LayerKind mKind;
    std::string mName;
    int64_t mId;
    KernelFn mFn;
};

struct Registry
{
    std::vector<std::unique_ptr<Tactic>> owned;
    std::vector<std::vector<const Tactic*>> byKind;
    std::unordered_map<std::string, const Tactic*> byName;

    Registry()
    {
        byKind.resize(static_cast<size_t>(ir::kLayerKindCount));
        for (int32_t k = 0; k < ir::kLayerKindCount; ++k)
            add(std::make_unique<ReferenceTactic>(static_cast<ir::LayerKind>(k)));
    }
    void add(std::unique_ptr<Tactic> t)
    {
        byKind[static_cast<size_t>(t->kind())].push_back(t.get());
        byName[t->name()] = t.get();
        owned.push_back(std::move(t));
    }
};

const Registry& registry()
{
    static const Registry r;
    return r;
}

} // namespace

const std::vector<const Tactic*>& cpuTactics(ir::LayerKind kind)
{
    static const std::vector<const Tactic*> kNone;
    const auto index = static_cast<int32_t>(kind);
    return index >= 0 && index < ir::kLayerKindCount ? registry().byKind[static_cast<size_t>(index)] : kNone;
}

const Tactic* findTactic(const std::string& name)
{
    const auto& m = registry().byName;
    auto it = m.find(name);
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

} // namespace kiln::kernels
