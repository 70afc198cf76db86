#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/constant.h"

#include <cstring>

namespace kiln::kernels::reference
{

Status runConstant(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ConstantParams>();
    const TensorBuffer& out = args.outputs[0];
    const int64_t n = out.elementCount();
    if (n != p.weights.count)
        return internalError(
            "Constant: output has " + std::to_string(n) + " elements, weights " + std::to_string(p.weights.count));
    if (n == 0)
        return Status::ok();
    if (p.weights.type == nvinfer1::DataType::kHALF)
    {
        // Normally converted by the builder; kept so the kernel is correct on its own.
        const auto* h = static_cast<const uint16_t*>(p.weights.values);
        float* y = out.as<float>();
        for (int64_t i = 0; i < n; ++i)
            y[i] = halfToFloat(h[i]);
        return Status::ok();
    }
    std::memcpy(out.data, p.weights.values, static_cast<size_t>(n) * elementSize(out.type));
    return Status::ok();
}

} // namespace kiln::kernels::reference
