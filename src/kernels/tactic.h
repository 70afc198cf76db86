// Tactics: the implementations the builder chooses among for a layer (STYLE rules 9, 10, 12).
//
// A tactic has
//   - a name following <layer>.<backend>.<algorithm>[.<variant>], e.g. "convolution.cpu.im2col_gemm.avx2";
//   - a stable id (FNV-1a of the name) and an implementation (its tactic source: "kiln", "onednn",
//     "reference"), which are IAlgorithmVariant's tactic and implementation;
//   - the CPU features it needs (the engine records them; a machine without them refuses the engine);
//   - a support check that says why not, and a workspace size for given dims;
//   - prepare(): once per engine layer, packs weights into memory from the engine's allocator; the
//     result is immutable and shared by every execution context;
//   - bind(): once per context and input shape, builds what a run with these dims needs (for
//     example a oneDNN primitive); may allocate;
//   - run(): computes the layer and never allocates.
// Families register their tactics in kernels/cpu/families.h; the reference kernel of each layer kind
// is always the last candidate.
#pragma once

#include "backends/backend.h"
#include "kernels/kernel.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln::kernels
{

class Tactic
{
public:
    virtual ~Tactic() = default;
    //! "convolution.cpu.reference"
    virtual const std::string& name() const = 0;
    //! Stable across builds and Kiln versions for the same name.
    virtual int64_t id() const = 0;
    virtual ir::LayerKind kind() const = 0;
    //! The tactic source: "reference", "kiln" or "onednn".
    virtual const char* implementation() const = 0;
    //! backends::CpuFeature bits the tactic's code needs.
    virtual uint32_t requiredCpuFeatures() const { return 0; }
    //! The layouts its supports() may accept for inputs and outputs (TensorDesc::layout): the
    //! builder's layout choice offers a tactic only these, and an engine whose plan gives a tactic a
    //! tensor in another layout is refused at load. Row-major only unless a tactic says more.
    virtual ir::LayoutSet layouts() const { return ir::kLinearOnly; }
    //! Ok, or why this tactic cannot run the layer with these input and output descriptors
    //! (including their layouts).
    virtual Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const = 0;
    //! Scratch bytes run() needs for these dims (the builder passes each profile's largest dims).
    virtual size_t workspaceSize(const ir::LayerParams& /*params*/, const std::vector<ir::TensorDesc>& /*inputs*/,
        const std::vector<ir::TensorDesc>& /*outputs*/) const
    {
        return 0;
    }
    //! Once per engine layer, after the weights are in the engine: packed weights and anything else
    //! that depends only on the parameters. nullptr when the tactic needs nothing. Memory comes from
    //! \p allocator (the engine's).
    virtual Expected<std::shared_ptr<const TacticState>> prepare(
        const ir::LayerParams& /*params*/, const backends::Allocator& /*allocator*/) const
    {
        return std::shared_ptr<const TacticState>();
    }
    //! Once per execution context whenever the input dims change: state for runs with these dims.
    //! nullptr when the tactic needs nothing.
    virtual Expected<std::unique_ptr<TacticState>> bind(const ir::LayerParams& /*params*/, const TacticState* /*prepared*/,
        const std::vector<ir::TensorDesc>& /*inputs*/, const std::vector<ir::TensorDesc>& /*outputs*/) const
    {
        return std::unique_ptr<TacticState>();
    }
    //! Computes the layer. args.prepared / args.bound carry what prepare() and bind() returned.
    virtual Status run(const KernelArgs& args) const = 0;
};

//! The CPU tactics that can implement \p kind: Kiln's and oneDNN's in registration order, the
//! reference kernel last.
const std::vector<const Tactic*>& cpuTactics(ir::LayerKind kind);
//! Every registered tactic, in registration order.
const std::vector<const Tactic*>& allTactics();
//! The tactic with this name, or nullptr.
const Tactic* findTactic(const std::string& name);
//! The tactic with this id, or nullptr.
const Tactic* findTacticById(int64_t id);
//! A stable 64-bit id for a name (FNV-1a, top bit cleared).
int64_t tacticIdFromName(const std::string& name);
//! IAlgorithmVariant::getImplementation() of a tactic: the id of "cpu.<implementation>".
int64_t implementationId(const Tactic& tactic);
//! Changes whenever a tactic is added, removed or renamed: a hash of every tactic name in order.
//! Timing caches record it and are refused (unless told otherwise) when it differs.
uint64_t tacticListVersion();

//! Ok when a Reformat layer's input and output descriptors have the layouts its parameters convert
//! between, and dims those layouts can hold (every Reformat tactic's support check).
Status checkReformatLayouts(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
    const std::vector<ir::TensorDesc>& outputs);

//! A tactic described by a name, kind, implementation and required features. Families derive from
//! it and implement supports() and run() (and prepare()/bind()/workspaceSize() when they need them).
class NamedTactic : public Tactic
{
public:
    NamedTactic(ir::LayerKind kind, std::string name, const char* implementation, uint32_t cpuFeatures = 0)
        : mKind(kind)
        , mName(std::move(name))
        , mId(tacticIdFromName(mName))
        , mImplementation(implementation)
        , mFeatures(cpuFeatures)
    {
    }
    const std::string& name() const override { return mName; }
    int64_t id() const override { return mId; }
    ir::LayerKind kind() const override { return mKind; }
    const char* implementation() const override { return mImplementation; }
    uint32_t requiredCpuFeatures() const override { return mFeatures; }

private:
    ir::LayerKind mKind;
    std::string mName;
    int64_t mId;
    const char* mImplementation;
    uint32_t mFeatures;
};

//! What a family's register function adds tactics to.
class TacticRegistrar
{
public:
    virtual ~TacticRegistrar() = default;
    virtual void add(std::unique_ptr<Tactic> tactic) = 0;
};

} // namespace kiln::kernels
