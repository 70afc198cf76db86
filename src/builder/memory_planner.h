// Activation memory planning: every non-binding tensor gets an offset in one arena so that tensors
// alive at the same time never overlap, except where a position-wise layer writes its output over
// an input that dies at that layer (in-place; docs/memory.md).
#pragma once

#include "serialize/engine_plan.h"

#include <vector>

namespace kiln::builder
{

//! The one in-place predicate: whether every tactic of \p params' kind may run with output 0 at
//! the address of input \p input (the runtime then passes the same pointer for both). \p inputs are
//! the layer's input descriptors and \p output its output's, with dims from shape inference over
//! the engine's declared input dims (-1 where an extent depends on the input dims), so "same dims"
//! must hold for every runtime shape, not just one. Only kinds whose every tactic reads element i
//! before writing element i, with no temporaries spanning elements that a write could clobber,
//! answer true:
//!   Activation; Unary FLOAT -> FLOAT; Scale; Identity without a type change; ElementWise whose
//!   output has that input's type and (for every shape) dims; PointwiseChain input 0 with the
//!   output's dims. Never Reformat (it moves elements between positions).
bool canRunInPlace(const ir::LayerParams& params, size_t input, const std::vector<const ir::TensorDesc*>& inputs,
    const ir::TensorDesc& output);

//! Sets PlanTensor::arenaOffset for every tensor that is not a binding and EnginePlan::arenaSize.
//! Lifetimes follow the execution order of plan.layers. A layer's output takes its input's place
//! when canRunInPlace() allows it and that input is an arena tensor read by no later layer, with
//! the output's byte size, element size and layout; such chains share one slot. Slots are placed
//! greedily, best fit, largest first.
Status planMemory(plan::EnginePlan& plan, const std::vector<bool>& isBinding);

} // namespace kiln::builder
