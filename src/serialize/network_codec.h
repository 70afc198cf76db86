// The "network" section of a refittable engine (serialize/engine_format.h): the network as it was
// built and the optimizer options of the build (plan::RefitRecipe), so that refit can run the
// optimizer again on new weights. Empty for engines built without BuilderFlag::kREFIT.
//
//   name str, implicitBatch bool, maxBatchSize i32,
//   optimizerDisabled bool, list<str> disabledPasses, stopAfterPass i32,
//   list<tensor>:  name str, type i32, dims, isInput bool, isOutput bool, isShapeOutput bool,
//                  typeSet bool, broadcastAcrossBatch bool
//   list<i32> inputs, list<i32> outputs          (tensor indices, network order)
//   list<layer>:   name str, kind i32 (never an engine-only kind), list<i32> inputs (-1: absent),
//                  list<i32> outputs, fields (params_codec), list<weights>: type i32, count i64, then
//                  count × elementSize bytes, in visitWeights order
//
// The reader rebuilds an ir::Graph whose weights it owns and refuses anything the IR verifier
// (ir/verifier.h, shape inference included) refuses, so refit only ever optimizes a valid network.
#pragma once

#include "serialize/byte_io.h"
#include "serialize/engine_plan.h"

namespace kiln::serialize
{

void writeNetwork(ByteWriter& w, const plan::RefitRecipe& recipe);
//! Reads a non-empty network section into a new recipe whose weights come from \p allocator;
//! failures go to \p r.
std::shared_ptr<plan::RefitRecipe> readNetwork(ByteReader& r, const backends::Allocator& allocator);

} // namespace kiln::serialize
