#include "kernels/kernel.h"
#include "layers/activation.h"
#include "layers/epilogue.h"

namespace kiln::kernels::reference
{

Status runActivation(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ActivationParams>();
    const float* x = args.inputs[0].as<const float>();
    float* y = args.outputs[0].as<float>();
    const int64_t n = args.outputs[0].elementCount();
    args.pool->parallelFor(n, 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            y[i] = layers::Epilogue::applyActivation(p.type, x[i], p.alpha, p.beta);
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
