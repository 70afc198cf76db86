// Tactics: the implementations the builder chooses among for a layer (STYLE rules 9, 10, 12).
// A tactic has a name following <layer>.<backend>.<algorithm>[.<dtype>], a stable id, a support
// check that says why not, a workspace size, and a run() that never allocates. Today every layer
// kind has one tactic on the CPU, its reference kernel; faster tactics are added as rows of
// tactic_registry.cpp.
#pragma once

#include "kernels/kernel.h"

#include <string>
#include <vector>

namespace kiln::kernels
{

class Tactic
{
public:
    virtual ~Tactic() = default;
    //! "convolution.cpu.reference.f32"
    virtual const std::string& name() const = 0;
    //! Stable across builds and Kiln versions for the same name.
    virtual int64_t id() const = 0;
    virtual ir::LayerKind kind() const = 0;
    //! Ok, or why this tactic cannot run the layer with these inputs.
    virtual Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs) const = 0;
    //! Scratch bytes needed for these input and output dims.
    virtual size_t workspaceSize(const ir::LayerParams& /*params*/, const std::vector<ir::TensorDesc>& /*inputs*/,
        const std::vector<ir::TensorDesc>& /*outputs*/) const
    {
        return 0;
    }
    virtual Status run(const KernelArgs& args) const = 0;
};

//! The CPU tactics that can implement \p kind, most preferred first (the reference kernel last).
const std::vector<const Tactic*>& cpuTactics(ir::LayerKind kind);
//! The tactic with this name, or nullptr.
const Tactic* findTactic(const std::string& name);
//! A stable 64-bit id for a tactic name (FNV-1a).
int64_t tacticIdFromName(const std::string& name);

} // namespace kiln::kernels
