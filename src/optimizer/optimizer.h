// The graph optimizer: an ordered table of passes (optimizer/pass_manager.cpp, one pass per file
// in optimizer/passes/) that the builder runs on its copy of the network after implicit-batch
// lowering and before tactic choice. docs/optimizer.md lists the passes and how to add one.
//
// Debugging (STYLE rule 15). Each option can be set here (tests) or from the environment (the
// environment adds to what is set here):
//   KILN_VERIFY_PASSES=1            run the IR verifier (ir/verifier.h) after every pass (always
//                                   on in Debug builds; =0 turns it off there)
//   KILN_DUMP_PASSES=<p>[,<p>]|all  print the graph (ir/printer.h) before and after those passes,
//                                   to the Reporter at kINFO
//   KILN_DISABLE_PASSES=<p>[,..]|all skip those passes
//   KILN_STOP_AFTER_PASS=N          run only the first N entries of the pass table (1-based;
//                                   skipped entries count too, so numbers stay stable)
// The passes run, and whether each changed the graph, are logged at kVERBOSE, with one line per
// rewrite saying what fired on which layers.
#pragma once

#include "common/reporter.h"
#include "ir/graph.h"

#include <string>
#include <vector>

namespace kiln::optimizer
{

struct OptimizerOptions
{
    //! Run no pass at all (the engine then computes exactly what the network says, layer by layer).
    bool disabled{false};
    //! Pass names to skip ("all" skips every pass, like disabled but still verified and logged).
    std::vector<std::string> disabledPasses;
    //! Pass names whose graph is printed before and after ("all" for every pass).
    std::vector<std::string> dumpPasses;
    //! Run only the first N entries of the pass table; -1 runs them all.
    int32_t stopAfterPass{-1};
#ifdef NDEBUG
    bool verifyPasses{false}; //!< run the IR verifier after every pass
#else
    bool verifyPasses{true};
#endif
};

//! One entry of the pass table as it ran.
struct PassRecord
{
    std::string name;
    bool ran{false};     //!< false when disabled or after the stop point
    bool changed{false}; //!< the pass reported a change
};

//! Rewrites \p graph in place; the result computes what \p graph computed. Honours the KILN_*
//! environment variables above on top of \p options. \p records (optional) receives one entry
//! per pass-table entry.
Status optimize(ir::Graph& graph, const OptimizerOptions& options, const Reporter& reporter,
    std::vector<PassRecord>* records = nullptr);

//! \p options with the KILN_* environment variables applied (what optimize() uses).
OptimizerOptions withEnvironment(OptimizerOptions options);

} // namespace kiln::optimizer
