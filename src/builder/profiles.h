// Optimization profiles as the builder uses them: the application's profiles checked against the
// network, or the implicit ones (implicit batch: batch 1..maxBatchSize; static networks: one
// profile at the network's dims).
#pragma once

#include "builder/builder.h"

#include <vector>

namespace kiln::builder
{

//! min/opt/max dims for every network input, in network input order.
struct ResolvedProfile
{
    std::vector<nvinfer1::Dims> min, opt, max; // per network input
};

//! Resolves and validates the profiles of \p graph (already lowered to explicit batch when
//! \p implicitBatch); errors name the profile, input and axis at fault.
Expected<std::vector<ResolvedProfile>> resolveProfiles(const ir::Graph& graph, const BuildOptions& options, bool implicitBatch);

} // namespace kiln::builder
