#include "builder/memory_planner.h"

#include "common/dtype.h"

#include <algorithm>

namespace kiln::builder
{

namespace
{

using nvinfer1::DataType;

//! Whether \p in equals the output dims for every runtime shape, given that \p in and \p others
//! broadcast to the output (extents equal or 1). Axis by axis: a concrete extent other than 1
//! cannot be stretched, so the output has it; an extent of 1 or a dynamic one (-1, which may be 1
//! at run time) is the output's only when every other input has a concrete 1 there.
bool keepsOutputDims(const ir::TensorDesc& in, const std::vector<const ir::TensorDesc*>& others, const ir::TensorDesc& out)
{
    if (in.dims.nbDims < 0 || in.dims.nbDims != out.dims.nbDims)
        return false;
    for (int32_t i = 0; i < in.dims.nbDims; ++i)
    {
        if (in.dims.d[i] >= 0 && in.dims.d[i] != 1)
        {
            if (out.dims.d[i] != in.dims.d[i])
                return false;
            continue;
        }
        for (const ir::TensorDesc* o : others)
            if (!o || o->dims.nbDims != in.dims.nbDims || o->dims.d[i] != 1)
                return false;
    }
    return true;
}

//! Shape inference over the plan with the engine's declared input dims (-1 for dynamic extents).
//! A tensor whose dims cannot be inferred that way keeps nbDims = -1.
std::vector<ir::TensorDesc> symbolicShapes(const plan::EnginePlan& plan)
{
    std::vector<ir::TensorDesc> desc(plan.tensors.size());
    std::vector<bool> known(plan.tensors.size(), false);
    for (size_t t = 0; t < plan.tensors.size(); ++t)
    {
        desc[t].type = plan.tensors[t].type;
        desc[t].dims.nbDims = -1;
    }
    size_t input = 0;
    for (const auto& io : plan.io)
        if (io.isInput && io.tensor >= 0 && static_cast<size_t>(io.tensor) < desc.size() && ++input > 0)
        {
            // plan.profiles' min/max are indexed by input (input - 1 here).
            // A dynamic extent that every profile fixes to one value (min = max) is that value.
            nvinfer1::Dims dims = io.dims;
            for (int32_t a = 0; a < dims.nbDims && !plan.profiles.empty(); ++a)
            {
                if (dims.d[a] >= 0)
                    continue;
                int32_t fixed = -2;
                const size_t k = input - 1;
                for (const auto& p : plan.profiles)
                {
                    if (k >= p.min.size() || k >= p.max.size() || a >= p.min[k].nbDims || a >= p.max[k].nbDims
                        || p.min[k].d[a] != p.max[k].d[a] || (fixed != -2 && fixed != p.min[k].d[a]))
                    {
                        fixed = -1;
                        break;
                    }
                    fixed = p.min[k].d[a];
                }
                dims.d[a] = fixed >= 0 ? fixed : -1;
            }
            desc[static_cast<size_t>(io.tensor)].dims = dims;
            known[static_cast<size_t>(io.tensor)] = true;
        }
    for (const auto& layer : plan.layers)
    {
        std::vector<const ir::TensorDesc*> ins;
        bool ok = true;
        for (int32_t t : layer.inputs)
        {
            if (t == plan::kNoTensor)
                ins.push_back(nullptr);
            else if (t < 0 || static_cast<size_t>(t) >= desc.size() || !known[static_cast<size_t>(t)])
                ok = false;
            else
                ins.push_back(&desc[static_cast<size_t>(t)]);
        }
        ir::ShapeContext ctx(layer.name, layer.params->kind(), std::move(ins), layer.params->nbOutputs());
        if (ok && static_cast<int32_t>(layer.outputs.size()) == layer.params->nbOutputs())
            ok = static_cast<bool>(layer.params->inferShapes(ctx));
        for (size_t o = 0; o < layer.outputs.size(); ++o)
        {
            const int32_t t = layer.outputs[o];
            if (t < 0 || static_cast<size_t>(t) >= desc.size())
                continue;
            if (ok)
            {
                desc[static_cast<size_t>(t)].dims = ctx.output(static_cast<int32_t>(o)).dims;
                desc[static_cast<size_t>(t)].values = ctx.output(static_cast<int32_t>(o)).values;
            }
            desc[static_cast<size_t>(t)].type = plan.tensors[static_cast<size_t>(t)].type;
            known[static_cast<size_t>(t)] = ok;
        }
    }
    return desc;
}

} // namespace

bool canRunInPlace(const ir::LayerParams& params, size_t input, const std::vector<const ir::TensorDesc*>& inputs,
    const ir::TensorDesc& output)
{
    if (input >= inputs.size() || !inputs[input])
        return false;
    const ir::TensorDesc& in = *inputs[input];
    if (in.type != output.type)
        return false;
    std::vector<const ir::TensorDesc*> others;
    for (size_t k = 0; k < inputs.size(); ++k)
        if (k != input)
            others.push_back(inputs[k]);
    switch (params.kind())
    {
    // One input, the output has its dims (shape inference says so for every shape). Reference and
    // AVX2 tactics: y[i] = f(x[i]) in one pass (activation_vector_avx2, scale_vector_avx2 load a
    // vector before storing it; scale's power is applied to y itself afterwards).
    case ir::LayerKind::kActivation:
    case ir::LayerKind::kScale: return input == 0;
    // The reference kernel only: FLOAT to FLOAT (kISINF / kISNAN give BOOL, the type check above).
    case ir::LayerKind::kUnary: return input == 0 && in.type == DataType::kFLOAT;
    // The reference kernel skips the copy when the pointers are equal; a type change is a
    // conversion that reads 4 bytes and writes 1 or 2 at other offsets.
    case ir::LayerKind::kIdentity: return input == 0;
    // elementwise.cpu.vector.avx2 and the reference walk output rows, reading both operands at the
    // output position before storing it; an input with the output's dims is read exactly there.
    // Comparisons change the type (FLOAT -> BOOL) and are refused above.
    case ir::LayerKind::kElementWise: return input < 2 && keepsOutputDims(in, others, output);
    // The reference kernel reads a tile of input 0 (and the operands) before it writes that tile.
    case ir::LayerKind::kPointwiseChain: return input == 0 && keepsOutputDims(in, others, output);
    default: return false;
    }
}

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

    // In-place: slot[t] is the tensor whose memory t takes (itself when it has a slot of its own).
    std::vector<size_t> slot(nbTensors);
    for (size_t t = 0; t < nbTensors; ++t)
        slot[t] = t;
    const std::vector<ir::TensorDesc> shapes = symbolicShapes(plan);
    auto inArena = [&](int32_t t) {
        return t >= 0 && static_cast<size_t>(t) < nbTensors && !isBinding[static_cast<size_t>(t)] && first[static_cast<size_t>(t)] >= 0
            && !plan.tensors[static_cast<size_t>(t)].isShapeTensor;
    };
    std::vector<bool> taken(nbTensors, false);
    for (int32_t l = 0; l < static_cast<int32_t>(plan.layers.size()); ++l)
    {
        const auto& layer = plan.layers[static_cast<size_t>(l)];
        if (layer.outputs.size() != 1 || !inArena(layer.outputs[0]) || first[static_cast<size_t>(layer.outputs[0])] != l)
            continue;
        const auto out = static_cast<size_t>(layer.outputs[0]);
        const plan::PlanTensor& po = plan.tensors[out];
        std::vector<const ir::TensorDesc*> ins;
        for (int32_t t : layer.inputs)
            ins.push_back(t >= 0 && static_cast<size_t>(t) < nbTensors ? &shapes[static_cast<size_t>(t)] : nullptr);
        for (size_t k = 0; k < layer.inputs.size(); ++k)
        {
            const int32_t t = layer.inputs[k];
            if (!inArena(t) || taken[static_cast<size_t>(t)] || last[static_cast<size_t>(t)] != l)
                continue;
            const plan::PlanTensor& pi = plan.tensors[static_cast<size_t>(t)];
            if (pi.maxBytes <= 0 || pi.maxBytes != po.maxBytes || pi.layout != po.layout || pi.type != po.type)
                continue;
            if (!canRunInPlace(*layer.params, k, ins, shapes[out]))
                continue;
            taken[static_cast<size_t>(t)] = true;
            slot[out] = slot[static_cast<size_t>(t)];
            break;
        }
    }

    // One slot per chain: its lifetime spans every member's.
    std::vector<int32_t> slotFirst(first), slotLast(last);
    std::vector<size_t> order;
    for (size_t t = 0; t < nbTensors; ++t)
    {
        if (isBinding[t] || first[t] < 0)
            continue;
        if (slot[t] == t)
            order.push_back(t);
        else
        {
            slotFirst[slot[t]] = std::min(slotFirst[slot[t]], first[t]);
            slotLast[slot[t]] = std::max(slotLast[slot[t]], last[t]);
        }
    }
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
        // Intervals of the arena used by slots whose lifetime overlaps this one.
        std::vector<std::pair<uint64_t, uint64_t>> busy;
        for (const Placed& p : placed)
            if (!(p.last < slotFirst[t] || slotLast[t] < p.first))
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
        placed.push_back({best, size, slotFirst[t], slotLast[t]});
        arena = std::max(arena, best + size);
    }
    for (size_t t = 0; t < nbTensors; ++t)
        if (slot[t] != t)
            plan.tensors[t].arenaOffset = plan.tensors[slot[t]].arenaOffset;
    plan.arenaSize = arena;
    return Status::ok();
}

} // namespace kiln::builder
