// What a kernel sees: its layer's parameters, contiguous row-major buffers, scratch memory and the
// thread pool. Kernels validate nothing the layer's inferShapes already validated: the runtime only
// calls a kernel with inputs that passed shape inference for these parameters.
#pragma once

#include "backends/cpu/thread_pool.h"
#include "common/status.h"
#include "ir/params.h"

#include <vector>

namespace kiln::kernels
{

//! A tensor in memory: contiguous, row-major, of the given type and concrete dims.
struct TensorBuffer
{
    void* data{nullptr};
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    nvinfer1::Dims dims{};

    template <typename T>
    T* as() const
    {
        return static_cast<T*>(data);
    }
    int64_t elementCount() const { return volume(dims); }
    bool present() const { return data != nullptr || (dims.nbDims >= 0 && volume(dims) == 0); }
};

//! What a tactic keeps between runs: packed weights (per engine, from Tactic::prepare) or
//! shape-specific state (per context, from Tactic::bind).
class TacticState
{
public:
    virtual ~TacticState() = default;
};

struct KernelArgs
{
    const ir::LayerParams* params{nullptr};
    std::vector<TensorBuffer> inputs;  //!< an absent optional input has data == nullptr, nbDims -1
    std::vector<TensorBuffer> outputs;
    void* workspace{nullptr};
    size_t workspaceSize{0};
    backends::cpu::ThreadPool* pool{nullptr};
    const TacticState* prepared{nullptr}; //!< Tactic::prepare()'s result for this engine layer
    TacticState* bound{nullptr};          //!< Tactic::bind()'s result for this context and these dims

    template <typename P>
    const P& paramsAs() const
    {
        return static_cast<const P&>(*params);
    }
    template <typename S>
    const S& preparedAs() const
    {
        return static_cast<const S&>(*prepared);
    }
    template <typename S>
    S& boundAs() const
    {
        return static_cast<S&>(*bound);
    }
};

using KernelFn = Status (*)(const KernelArgs&);

namespace reference
{
#define KILN_LAYER_KIND(Name, Type) Status run##Name(const KernelArgs& args);
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND

//! The reference kernel of \p kind (every kind has one).
KernelFn kernelFor(ir::LayerKind kind);
} // namespace reference

} // namespace kiln::kernels
