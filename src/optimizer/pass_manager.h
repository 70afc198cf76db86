// PassManager: runs an ordered table of passes over a graph with the debugging aids of
// OptimizerOptions (verify after each pass, dump before/after, disable, stop after N) and logs
// each pass at kVERBOSE. defaultPasses() is the pass table the builder uses.
#pragma once

#include "optimizer/optimizer.h"
#include "optimizer/pass.h"

#include <memory>
#include <vector>

namespace kiln::optimizer
{

//! The pass table, in the order the passes run (docs/optimizer.md explains the order).
std::vector<std::unique_ptr<Pass>> defaultPasses();

class PassManager
{
public:
    explicit PassManager(std::vector<std::unique_ptr<Pass>> passes);

    //! Runs the table on \p graph. \p options is used as given (no environment). Fails when a
    //! pass fails or, with verification on, leaves a graph the verifier rejects (naming it).
    Status run(ir::Graph& graph, const OptimizerOptions& options, const Reporter& reporter,
        std::vector<PassRecord>* records = nullptr) const;

    const std::vector<std::unique_ptr<Pass>>& passes() const { return mPasses; }

private:
    std::vector<std::unique_ptr<Pass>> mPasses;
};

} // namespace kiln::optimizer
