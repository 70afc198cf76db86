// The IR verifier: checks that a Graph is well formed. The pass manager runs it after every pass
// in Debug builds and when KILN_VERIFY_PASSES=1 (docs/optimizer.md), so a pass that breaks the
// graph is named at once instead of failing later in the builder or the runtime.
//
// Checked, in this order (the first failure is returned, naming the layer or tensor):
//   - every tensor pointer a layer or the graph refers to is owned by the graph (no dangling ones)
//   - every layer input is a graph tensor, or null only for an optional input (index >= minInputs)
//   - input counts lie within [minInputs, maxInputs]; output counts equal nbOutputs()
//   - producer links: each layer output names that layer and its index as producer; a tensor with
//     a producer is among that producer's outputs; network inputs have no producer
//   - graph inputs/outputs carry the isInput/isOutput flags and vice versa; every output is a
//     network input or produced by a layer
//   - layer names are unique and non-empty; the graph has no cycle
//   - shape inference succeeds with the declared input dims (-1 extents allowed), when
//     VerifyOptions::shapes is set
#pragma once

#include "ir/graph.h"

namespace kiln::ir
{

struct VerifyOptions
{
    bool shapes{true}; //!< also run shape inference with the declared input dims
};

Status verifyGraph(const Graph& graph, const VerifyOptions& options = {});

} // namespace kiln::ir
