// shuffle_simplification: removes Shuffle layers that change nothing (identity permutations, no
// reshape or a reshape to provably the same dims) and merges a Shuffle into the Shuffle that
// feeds it when one Shuffle can express both:
//   first has no reshape  → its permutation joins the second's first transpose
//   second has no reshape → its permutations join the first's second transpose
//   both reshape          → when the transposes between the reshapes cancel out and the second
//                           reshape has no placeholder 0: the first's transpose, the second's
//                           reshape and second transpose
// Shuffles of constants are left to constant_folding (which runs first). Shuffles with a
// shape-tensor reshape (input 1) are left alone.
#include "layers/shuffle.h"
#include "optimizer/passes/passes.h"

namespace kiln::optimizer::passes
{

namespace
{

using layers::ShuffleParams;

bool isIdentityOrder(const std::vector<int32_t>& order, int32_t rank)
{
    if (static_cast<int32_t>(order.size()) < rank)
        return false;
    for (int32_t i = 0; i < rank; ++i)
        if (order[static_cast<size_t>(i)] != i)
            return false;
    return true;
}

//! Apply \p a, then \p b (both over \p rank axes): result[j] = a[b[j]].
std::vector<int32_t> compose(const std::vector<int32_t>& a, const std::vector<int32_t>& b, int32_t rank)
{
    std::vector<int32_t> r = layers::identityPermutation();
    for (int32_t j = 0; j < rank; ++j)
        r[static_cast<size_t>(j)] = a[static_cast<size_t>(b[static_cast<size_t>(j)])];
    return r;
}

bool copiesAxis(const ShuffleParams& p, int32_t i)
{
    return (p.implicitBatch && i == 0) || (p.zeroIsPlaceholder && p.reshapeDims.d[i] == 0);
}

//! The reshape gives back \p in's dims for every value of its dynamic extents.
bool reshapeKeepsDims(const ShuffleParams& p, const nvinfer1::Dims& in)
{
    const nvinfer1::Dims& spec = p.reshapeDims;
    if (spec.nbDims != in.nbDims)
        return false;
    int32_t inferred = -1;
    for (int32_t i = 0; i < spec.nbDims; ++i)
    {
        if (copiesAxis(p, i))
            continue;
        if (spec.d[i] == -1 && inferred < 0)
            inferred = i; // equal when every other axis is: the volume is the same
        else if (spec.d[i] < 0 || in.d[i] < 0 || spec.d[i] != in.d[i])
            return false;
    }
    return true;
}

bool isIdentityShuffle(PassContext& ctx, const ir::Layer& s)
{
    const auto& p = static_cast<const ShuffleParams&>(*s.params);
    const ir::TensorDesc* in = ctx.desc(s.inputs[0]);
    if (!in || (s.inputs.size() > 1 && s.inputs[1]))
        return false;
    const int32_t rank = in->dims.nbDims;
    if (!isIdentityOrder(p.firstTranspose, rank) || !isIdentityOrder(p.secondTranspose, rank))
        return false;
    return !p.reshapeSet || reshapeKeepsDims(p, in->dims);
}

bool hasShapeInput(const ir::Layer& s)
{
    return s.inputs.size() > 1 && s.inputs[1];
}

//! One Shuffle doing \p first then \p second, or nothing.
std::unique_ptr<ShuffleParams> merge(const ShuffleParams& first, const ShuffleParams& second, int32_t r0, int32_t r1)
{
    if (first.implicitBatch != second.implicitBatch)
        return nullptr;
    auto m = std::make_unique<ShuffleParams>();
    m->implicitBatch = first.implicitBatch;
    if (!first.reshapeSet)
    {
        m->firstTranspose = compose(compose(first.firstTranspose, first.secondTranspose, r0), second.firstTranspose, r0);
        m->reshapeSet = second.reshapeSet;
        m->reshapeDims = second.reshapeDims;
        m->zeroIsPlaceholder = second.zeroIsPlaceholder;
        m->secondTranspose = second.secondTranspose;
        return m;
    }
    if (!second.reshapeSet)
    {
        m->firstTranspose = first.firstTranspose;
        m->reshapeSet = true;
        m->reshapeDims = first.reshapeDims;
        m->zeroIsPlaceholder = first.zeroIsPlaceholder;
        m->secondTranspose = compose(compose(first.secondTranspose, second.firstTranspose, r1), second.secondTranspose, r1);
        return m;
    }
    // Reshapes are row-major regroupings: two of them are one when no transpose sits between.
    if (!isIdentityOrder(compose(first.secondTranspose, second.firstTranspose, r1), r1))
        return nullptr;
    for (int32_t i = 0; i < second.reshapeDims.nbDims; ++i)
        if (second.zeroIsPlaceholder && second.reshapeDims.d[i] == 0 && !(second.implicitBatch && i == 0))
            return nullptr;
    m->firstTranspose = first.firstTranspose;
    m->reshapeSet = true;
    m->reshapeDims = second.reshapeDims;
    m->zeroIsPlaceholder = second.zeroIsPlaceholder;
    m->secondTranspose = second.secondTranspose;
    return m;
}

class ShuffleSimplification final : public LayerPass
{
public:
    const char* name() const override { return "shuffle_simplification"; }
    PassLevel level() const override { return PassLevel::kBasic; }
    std::vector<ir::LayerKind> targetKinds() const override { return {ir::LayerKind::kShuffle}; }
    bool match(PassContext&, const ir::Layer& layer) const override { return !hasShapeInput(layer); }

    Expected<bool> rewrite(PassContext& ctx, ir::Layer& s) override
    {
        const bool merged = mergeWithProducer(ctx, s);
        const bool removed = isIdentityShuffle(ctx, s) && bypass(ctx, s);
        return merged || removed;
    }

private:
    bool mergeWithProducer(PassContext& ctx, ir::Layer& s)
    {
        ir::Layer* prev = ctx.producerOfKind(s.inputs[0], ir::LayerKind::kShuffle);
        if (!prev || hasShapeInput(*prev) || !ctx.hasSingleUse(s.inputs[0]))
            return false;
        const ir::TensorDesc* in = ctx.desc(prev->inputs[0]);
        const ir::TensorDesc* mid = ctx.desc(s.inputs[0]);
        const ir::TensorDesc* out = ctx.desc(s.outputs[0]);
        if (!in || !mid || !out)
            return false;
        auto m = merge(static_cast<const ShuffleParams&>(*prev->params), static_cast<const ShuffleParams&>(*s.params),
            in->dims.nbDims, mid->dims.nbDims);
        if (!m)
            return false;
        // Belt and braces: the merged Shuffle must infer the same dims as the pair did.
        ir::ShapeContext check(s.name, ir::LayerKind::kShuffle, {in}, 1);
        if (!m->inferShapes(check) || !sameDims(check.output(0).dims, out->dims))
            return false;
        s.params = std::move(m);
        s.inputs[0] = prev->inputs[0];
        ctx.erase(prev);
        ctx.changed();
        ctx.note("merged Shuffle '" + prev->name + "' into Shuffle '" + s.name + "'");
        return true;
    }

    //! Removes an identity Shuffle, keeping its output tensor when it is a network output.
    bool bypass(PassContext& ctx, ir::Layer& s)
    {
        ir::Tensor* in = s.inputs[0];
        ir::Tensor* out = s.outputs[0];
        if (!out->isOutput)
        {
            for (const Use& u : std::vector<Use>(ctx.uses(out)))
                u.layer->inputs[static_cast<size_t>(u.index)] = in;
        }
        else if (in->producer && !ctx.isErased(in->producer) && ctx.hasSingleUse(in))
            adoptOutput(*in->producer, in->producerOutput, out);
        else
            return false;
        ctx.erase(&s);
        ctx.changed();
        ctx.note("removed identity Shuffle '" + s.name + "'");
        return true;
    }
};

} // namespace

std::unique_ptr<Pass> makeShuffleSimplification()
{
    return std::make_unique<ShuffleSimplification>();
}

} // namespace kiln::optimizer::passes
