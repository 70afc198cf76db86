// Tactic selection: for every engine layer and optimization profile, the candidate tactics that
// support the layer at the profile's min/opt/max dims and fit the workspace limit are timed at the
// opt dims (or their times taken from the timing cache), offered to the application's
// IAlgorithmSelector, and the fastest allowed one is chosen (ties: lower tactic id). After each
// profile the selector's reportAlgorithms() hears every choice.
#pragma once

#include "builder/builder.h"
#include "builder/timing_cache.h"
#include "serialize/engine_plan.h"

#include <array>
#include <vector>

namespace kiln::builder
{

//! Descriptors of one layer's inputs and outputs at one profile's min, opt and max dims.
struct LayerCorners
{
    std::array<std::vector<ir::TensorDesc>, 3> inputs;  //!< [kMIN, kOPT, kMAX][input]; absent inputs nbDims -1
    std::array<std::vector<ir::TensorDesc>, 3> outputs; //!< [kMIN, kOPT, kMAX][output]
};

//! What selection did, for tests and logs.
struct SelectionStats
{
    int32_t timedSignatures{0}; //!< layer signatures measured in this build
    int32_t cacheHits{0};       //!< layer signatures whose times came from the cache
    int32_t tacticRuns{0};      //!< timed runs of tactics (warm-ups included)
    int32_t stoppedEarly{0};    //!< candidates whose warm-up run alone ruled them out
};

//! Chooses a tactic per layer and profile: sets PlanLayer::tactic, profileTactics, workspaceSize,
//! candidates, and plan.device.features. \p corners is indexed [layer][profile]. \p cache receives the
//! measurements of signatures it did not hold (unless the options disable the timing cache).
//! Timing runs take their memory (packed weights) from \p allocator; an allocation failure there
//! fails the build.
Status selectTactics(plan::EnginePlan& plan, const std::vector<std::vector<LayerCorners>>& corners,
    const BuildOptions& options, const backends::Allocator& allocator, TimingCache& cache, const Reporter& reporter,
    SelectionStats& stats);

} // namespace kiln::builder
