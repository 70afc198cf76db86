// Pass: one graph rewrite (STYLE rule 14). A pass names itself, says which layer kinds it looks
// at (the manager skips it when the graph has none), and rewrites the graph through a
// PassContext, returning whether anything changed. Most passes derive from LayerPass: a cheap
// match() on one layer, then rewrite() on the layers that matched, in topological order.
//
// Writing a pass well:
//   - match() must be cheap and must not change the graph; rewrite() may still decline (return
//     false) after a closer look.
//   - Never delete a layer directly: ctx.erase(layer) defers it, so the manager's iteration and
//     the consumer lists stay valid; tensors no live layer refers to are dropped at the end.
//   - Keep tensor identity: the tensor a consumer reads, or a network output, must stay the same
//     object (adoptOutput() hands a tensor to its new producer).
//   - Call ctx.changed() after every rewrite (it refreshes the consumer lists) and ctx.note() to
//     log what fired, e.g. "folded 'bn1' (Scale) into 'conv1'".
//   - A pass never fails on a network it does not understand: it leaves it alone. Errors are for
//     broken invariants only.
#pragma once

#include "optimizer/pass_context.h"

#include <vector>

namespace kiln::optimizer
{

//! Levels group the pass table (ORT-style): required passes keep the engine buildable, basic ones
//! only simplify, extended ones fuse into engine-only features (epilogues, PointwiseChain).
enum class PassLevel : int32_t
{
    kRequired,
    kBasic,
    kExtended,
};

const char* passLevelName(PassLevel level);

class Pass
{
public:
    virtual ~Pass() = default;
    //! snake_case, the file's name: "conv_fc_fusion".
    virtual const char* name() const = 0;
    virtual PassLevel level() const = 0;
    //! Layer kinds the pass may rewrite; empty means the whole graph (e.g. dead_layers).
    virtual std::vector<ir::LayerKind> targetKinds() const { return {}; }
    //! Rewrites the graph; the value says whether it changed.
    virtual Expected<bool> run(PassContext& ctx) = 0;
};

//! A pass that visits the layers of its target kinds in topological order.
class LayerPass : public Pass
{
public:
    //! Cheap checks on one layer of a target kind (fields, consumer counts); no rewriting.
    virtual bool match(PassContext& ctx, const ir::Layer& layer) const = 0;
    //! Rewrites around a matched layer; returns false when a closer look declines.
    virtual Expected<bool> rewrite(PassContext& ctx, ir::Layer& layer) = 0;

    Expected<bool> run(PassContext& ctx) override;
};

} // namespace kiln::optimizer
