// Activation memory planning: every non-binding tensor gets an offset in one arena so that tensors
// alive at the same time never overlap.
#pragma once

#include "serialize/engine_plan.h"

#include <vector>

namespace kiln::builder
{

//! Sets PlanTensor::arenaOffset for every tensor that is not a binding and EnginePlan::arenaSize.
//! Lifetimes follow the execution order of plan.layers. Greedy best fit, largest tensors first.
Status planMemory(plan::EnginePlan& plan, const std::vector<bool>& isBinding);

} // namespace kiln::builder
