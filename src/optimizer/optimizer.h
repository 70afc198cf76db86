// The graph optimizer: an ordered list of passes (optimizer/passes/, one pass per file) that the
// builder runs on its copy of the network after implicit-batch lowering and before tactic choice.
#pragma once

#include "common/reporter.h"
#include "ir/graph.h"

namespace kiln::optimizer
{

struct OptimizerOptions
{
    //! Run no pass at all (the engine then computes exactly what the network says, layer by layer).
    bool disabled{false};
};

//! Rewrites \p graph in place; the result computes what \p graph computed.
Status optimize(ir::Graph& graph, const OptimizerOptions& options, const Reporter& reporter);

} // namespace kiln::optimizer
