// dead_layers: drops every layer no network output depends on (tensors that are not marked as
// outputs are transient), and the tensors only those layers used. Network inputs stay.
#include "optimizer/passes/passes.h"

namespace kiln::optimizer::passes
{

namespace
{

class DeadLayers final : public Pass
{
public:
    const char* name() const override { return "dead_layers"; }
    PassLevel level() const override { return PassLevel::kRequired; }
    Expected<bool> run(PassContext& ctx) override
    {
        ir::Graph& g = ctx.graph();
        const size_t before = g.layers.size();
        std::vector<std::string> names;
        for (const auto& l : g.layers)
            names.push_back(l->name);
        g.removeDeadLayers();
        if (g.layers.size() == before)
            return false;
        std::string removed;
        size_t kept = 0;
        for (const std::string& n : names)
        {
            if (kept < g.layers.size() && g.layers[kept]->name == n)
            {
                ++kept;
                continue;
            }
            removed += (removed.empty() ? "'" : ", '") + n + "'";
        }
        ctx.note("removed " + std::to_string(before - g.layers.size()) + " layer(s): " + removed);
        ctx.changed();
        return true;
    }
};

} // namespace

std::unique_ptr<Pass> makeDeadLayers()
{
    return std::make_unique<DeadLayers>();
}

} // namespace kiln::optimizer::passes
