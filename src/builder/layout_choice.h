// Layout choice: after tactic selection, keeps tensors that flow between layers whose chosen tactics
// read and write a channel-blocked layout (ir/layout.h) in that layout, so that a chain of oneDNN
// convolutions, poolings and position-wise layers passes blocked tensors from one to the next
// instead of reordering to row-major and back inside every layer. Reformat layers
// (layers/reformat.h) appear only at the boundaries of such regions: where a blocked tensor is also
// read by a layer whose tactic reads row-major only.
//
// A tensor becomes blocked when
//   - it is FLOAT, neither a binding nor a shape tensor, 4-D at every profile corner with one
//     channel extent, a multiple of the block;
//   - its producer's tactic (in every profile) lists the layout in Tactic::layouts() and its
//     supports() accepts writing it, at every corner, with the layouts decided so far;
//   - at least one consumer's tactic accepts reading it the same way.
// Consumers that do not accept it read a row-major copy made by one Reformat layer, placed just
// before the first of them. Tensors are decided in execution order. The block is 16 channels on a
// CPU with AVX-512F, else 8 (what oneDNN's kernels use there).
//
// The pass runs on the plan because it depends on the chosen tactics; it is the last optimizer
// step, and KILN_DISABLE_PASSES=layout_choice (or all) skips it like the graph passes.
#pragma once

#include "builder/tactic_selection.h"

namespace kiln::builder
{

struct LayoutStats
{
    int32_t blockedTensors{0}; //!< tensors kept in the blocked layout
    int32_t reformats{0};      //!< Reformat layers inserted
};

//! The blocked layout layout choice uses on this machine.
ir::Layout preferredBlockedLayout();

//! Chooses tensor layouts and inserts Reformat layers (see above). \p corners is indexed
//! [layer][profile] as for selectTactics() and must match plan.layers on entry. Updates the
//! workspace sizes of layers whose layouts changed; fails (naming the layer) when a changed layer
//! would exceed the workspace limit, which cannot happen for Kiln's tactics.
Status chooseLayouts(plan::EnginePlan& plan, const std::vector<std::vector<LayerCorners>>& corners,
    const BuildOptions& options, const Reporter& reporter, LayoutStats& stats);

} // namespace kiln::builder
