#include "builder/memory_planner.h"

#include <algorithm>

namespace kiln::builder
{

Status planMemory(plan::EnginePlan& plan, const std::vector<bool>& isBinding)
{
    const size_t nbTensors = plan.tensors.size();
    std::vector<int32_t> first(nbTensors, -1), last(nbTensors, -1);
    for (int32_t l = 0; l < static_cast<int32_t>(plan.layers.size()); ++l)
    {
        const auto& layer = plan.layers[static_cast<size_t>(l)];
        for (int32_t t : layer.outputs)
            if (first[static_cast<size_t>(t)] < 0)
                first[static_cast<size_t>(t)] = l;
        for (int32_t t : layer.inputs)
            if (t >= 0)
                last[static_cast<size_t>(t)] = std::max(last[static_cast<size_t>(t)], l);
        for (int32_t t : layer.outputs)
            last[static_cast<size_t>(t)] = std::max(last[static_cast<size_t>(t)], l);
    }
    std::vector<size_t> order;
    for (size_t t = 0; t < nbTensors; ++t)
        if (!isBinding[t] && first[t] >= 0)
            order.push_back(t);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return plan.tensors[a].maxBytes > plan.tensors[b].maxBytes;
    });
    struct Placed
    {
        uint64_t offset, size;
        int32_t first, last;
    };
    std::vector<Placed> placed;
    uint64_t arena = 0;
    for (size_t t : order)
    {
        const uint64_t size = plan::alignUp(static_cast<uint64_t>(std::max<int64_t>(plan.tensors[t].maxBytes, 0)), 64);
        // Intervals of the arena used by tensors whose lifetime overlaps this one.
        std::vector<std::pair<uint64_t, uint64_t>> busy;
        for (const Placed& p : placed)
            if (!(p.last < first[t] || last[t] < p.first))
                busy.emplace_back(p.offset, p.offset + p.size);
        std::sort(busy.begin(), busy.end());
        uint64_t best = UINT64_MAX, bestGap = UINT64_MAX, cursor = 0;
        for (const auto& [lo, hi] : busy)
        {
            if (lo >= cursor && lo - cursor >= size && lo - cursor < bestGap)
            {
                best = cursor;
                bestGap = lo - cursor;
            }
            cursor = std::max(cursor, hi);
        }
        if (best == UINT64_MAX)
            best = cursor;
        plan.tensors[t].arenaOffset = static_cast<int64_t>(best);
        placed.push_back({best, size, first[t], last[t]});
        arena = std::max(arena, best + size);
    }
    plan.arenaSize = arena;
    return Status::ok();
}

} // namespace kiln::builder
