// EnginePlan: everything an engine is, as plain data. The builder produces it, the engine file
// stores it (serialize/engine_format.h), the runtime executes it. Tensors and layers refer to each
// other by index; weights live in one block the plan owns.
#pragma once

#include "backends/backend.h"
#include "ir/graph.h"
#include "ir/params.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln::plan
{

constexpr int32_t kNoTensor = -1;

struct PlanTensor
{
    std::string name;
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    //! Byte offset in the activation arena, or -1 for tensors that live elsewhere (I/O bindings).
    int64_t arenaOffset{-1};
    //! Largest size in bytes over every profile (what the arena reserves).
    int64_t maxBytes{0};
    //! INT32 tensor whose values are needed at shape time.
    bool isShapeTensor{false};
    //! How its elements lie in memory (builder/layout_choice.cpp); kLinear for bindings.
    ir::Layout layout{ir::Layout::kLinear};
};

//! One candidate tactic the builder considered for a layer (kept with ProfilingVerbosity::kVERBOSE).
struct PlanCandidate
{
    int32_t profile{0};
    std::string tactic;
    float ms{0.f};            //!< measured time at the profile's opt dims; -1 when not timed
    uint64_t workspace{0};    //!< bytes at the profile's max dims
};

struct PlanLayer
{
    std::string name;
    std::unique_ptr<ir::LayerParams> params;
    std::vector<int32_t> inputs;  //!< tensor indices; kNoTensor for an absent optional input
    std::vector<int32_t> outputs; //!< tensor indices
    std::string tactic;           //!< tactic name of profile 0, e.g. "convolution.cpu.reference"
    //! With several profiles whose choices differ: the tactic of every profile (else empty).
    std::vector<std::string> profileTactics;
    uint64_t workspaceSize{0};    //!< the largest over the profiles' chosen tactics
    std::vector<std::string> sourceLayers; //!< network layers this engine layer implements
    std::vector<PlanCandidate> candidates; //!< every candidate per profile (verbose builds only)

    //! The tactic that runs this layer in \p profile.
    const std::string& tacticFor(int32_t profile) const
    {
        return profileTactics.empty() ? tactic : profileTactics[static_cast<size_t>(profile)];
    }
};

//! One network input or output.
struct PlanIO
{
    int32_t tensor{kNoTensor};
    bool isInput{true};
    //! Dims as declared in the network, with the batch as axis 0 even for implicit-batch engines;
    //! -1 for dynamic extents.
    nvinfer1::Dims dims{};
};

//! min/opt/max dims of every input (indexed like EnginePlan::io, outputs left empty).
struct PlanProfile
{
    std::vector<nvinfer1::Dims> min, opt, max;
};

//! Engine-owned weights memory (allocated through the engine's allocator).
class WeightsBlock
{
public:
    WeightsBlock() = default;
    WeightsBlock(const backends::Allocator& allocator, uint64_t size);
    ~WeightsBlock();
    WeightsBlock(const WeightsBlock&) = delete;
    WeightsBlock& operator=(const WeightsBlock&) = delete;
    uint8_t* data() const { return mData; }
    uint64_t size() const { return mSize; }
    bool ok() const { return mSize == 0 || mData != nullptr; }

private:
    backends::Allocator mAllocator;
    uint8_t* mData{nullptr};
    uint64_t mSize{0};
};

//! What refit needs (engines built with BuilderFlag::kREFIT only): the network as built, with its
//! weights (owned by the graph), and the optimizer options the build used, so that the optimizer can
//! run again on new weights and must reach the same engine layers.
class WeightsBlock;

struct RefitRecipe
{
    std::shared_ptr<ir::Graph> network;
    //! The network's weights, in memory from the engine's allocator (ownNetworkWeights()).
    std::shared_ptr<WeightsBlock> weights;
    bool optimizerDisabled{false};
    std::vector<std::string> disabledPasses;
    int32_t stopAfterPass{-1};
};

//! New bytes for one weights slot of one engine layer (what refit writes into an engine).
struct WeightsUpdate
{
    size_t layer{0};
    int32_t slot{0};          //!< in LayerParams::visitWeights order
    const uint8_t* data{nullptr}; //!< the bytes: \p owned's, or memory the refit recipe keeps
    size_t size{0};
    std::vector<uint8_t> owned;   //!< converted bytes (HALF weights become FLOAT), when needed
};

struct EnginePlan
{
    std::string name;
    bool implicitBatch{false};
    int32_t maxBatchSize{1};
    backends::DeviceFingerprint device;
    std::vector<PlanTensor> tensors;
    std::vector<PlanLayer> layers; //!< in execution order
    std::vector<PlanIO> io;        //!< inputs (network order), then outputs (marking order)
    std::vector<PlanProfile> profiles;
    std::unique_ptr<WeightsBlock> weights;
    uint64_t arenaSize{0};       //!< bytes of activations
    uint64_t maxWorkspaceSize{0}; //!< largest workspace of any layer's tactic
    bool refittable{false};
    //! Set exactly when refittable.
    std::shared_ptr<RefitRecipe> refit;

    int32_t nbInputs() const;
    int32_t nbOutputs() const { return static_cast<int32_t>(io.size()) - nbInputs(); }
    //! Bytes a context needs besides the bindings: arena plus workspace, 256-byte aligned.
    uint64_t deviceMemorySize() const;
};

//! Copies every weights slot of \p network into one block from \p allocator and points the slots
//! at the copies (what a refittable engine keeps). Fails when the allocator does.
Expected<std::shared_ptr<WeightsBlock>> ownNetworkWeights(ir::Graph& network, const backends::Allocator& allocator);

//! Byte offset of each layer's weights inside the block; the order is layer order, then each
//! layer's visitWeights order. Used by the builder and by the engine file.
struct WeightsSlot
{
    int32_t layer{0};
    int32_t slot{0};
    uint64_t offset{0};
};

//! Rounds \p value up to a multiple of 256.
inline uint64_t alignUp(uint64_t value, uint64_t alignment = 256)
{
    return (value + alignment - 1) / alignment * alignment;
}

} // namespace kiln::plan
