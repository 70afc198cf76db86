// Refit (TRT_API.md §7.1) on the builder's side: which network weights can be refit, which of them
// the optimizer fused into the same engine weights (and so must be set together), and the engine
// weights that new network weights give. The new engine weights come from running the build's
// optimizer again on the network with the new weights: every fusion the optimizer performs (batch
// norm and scales folded into kernels and biases, constants folded into biases, constant folding,
// scales lowered into point-wise chains) is recomputed by the same code that made it, and the result
// must have the same engine layers with the same fields, or refit fails naming the first layer that
// differs.
#pragma once

#include "common/reporter.h"
#include "serialize/engine_plan.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kiln::builder
{

//! One refittable weights slot of a network layer.
struct RefitSlot
{
    std::string layer;
    nvinfer1::WeightsRole role{nvinfer1::WeightsRole::kKERNEL};
    ir::WeightsRef weights;
};

//! Every (layer, role) of \p network that refit can change: the weights with a WeightsRole of
//! convolution, deconvolution, fully connected, scale (not power) and constant layers, when they are
//! FLOAT or HALF (INT32 constants may decide shapes and are not refittable).
std::vector<RefitSlot> refittableSlots(const ir::Graph& network);

//! A group id per slot: slots whose weights the optimizer combined into one engine layer (the engine
//! layer's sourceLayers name more than one network layer, or another kind of layer) share a group;
//! the weights of a layer the optimizer left alone are each their own group.
std::vector<int32_t> refitGroups(const plan::EnginePlan& plan, const std::vector<RefitSlot>& slots);

//! Replacement weights by (layer, role).
using NewWeights = std::map<std::pair<std::string, nvinfer1::WeightsRole>, ir::WeightsRef>;

struct RefitResult
{
    std::vector<plan::WeightsUpdate> updates;  //!< engine weights that change
    std::shared_ptr<plan::RefitRecipe> recipe; //!< the network with the new weights
    //! The optimized network: the updates point into its weights (folded kernels and biases), so
    //! it must live until they are written.
    std::unique_ptr<ir::Graph> optimized;
};

//! What refitting \p plan with \p weights changes in the engine. The new recipe's weights come
//! from \p allocator (the engine's).
Expected<RefitResult> computeRefit(const plan::EnginePlan& plan, const NewWeights& weights, const backends::Allocator& allocator,
    const Reporter& reporter);

} // namespace kiln::builder
