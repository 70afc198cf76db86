#include "kernels/kernel.h"
#include "layers/fill.h"

#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::FillOperation;

double readNumber(const TensorBuffer& b, int64_t i)
{
    return b.type == DataType::kINT32 ? static_cast<double>(b.as<const int32_t>()[i])
                                      : static_cast<double>(b.as<const float>()[i]);
}

bool present(const KernelArgs& args, size_t index)
{
    return index < args.inputs.size() && args.inputs[index].data != nullptr;
}

//! splitmix64: a well-mixed 64-bit value for each counter.
uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

//! Uniform in [0, 1) from stream \p stream of element \p index.
double uniformAt(int64_t index, uint64_t stream)
{
    const uint64_t bits = mix(mix(layers::kFillSeed ^ (stream << 56)) ^ static_cast<uint64_t>(index));
    return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
}

} // namespace

Status runFill(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::FillParams>();
    const TensorBuffer& out = args.outputs[0];
    const int64_t n = out.elementCount();
    const nvinfer1::Dims dims = out.dims;
    const bool asInt = out.type == DataType::kINT32;
    const double alpha = present(args, 1) ? readNumber(args.inputs[1], 0) : p.alpha();
    const double beta = present(args, 2) && p.operation != FillOperation::kLINSPACE ? readNumber(args.inputs[2], 0) : p.beta();

    double delta[nvinfer1::Dims::MAX_DIMS] = {};
    for (int32_t i = 0; i < dims.nbDims; ++i)
        delta[i] = present(args, 2) ? readNumber(args.inputs[2], i) : (i == dims.nbDims - 1 ? p.beta() : 0.0);

    auto valueAt = [&](int64_t i) {
        switch (p.operation)
        {
        case FillOperation::kLINSPACE: return layers::linspaceAt(dims, alpha, delta, i);
        case FillOperation::kRANDOM_UNIFORM: return alpha + (beta - alpha) * uniformAt(i, 0);
        case FillOperation::kRANDOM_NORMAL:
        {
            // Box-Muller from two independent uniforms; 1 - u lies in (0, 1].
            const double u1 = 1.0 - uniformAt(i, 1);
            const double u2 = uniformAt(i, 2);
            return alpha + beta * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
        }
        }
        return 0.0;
    };
    args.pool->parallelFor(n, 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
        {
            if (asInt)
                out.as<int32_t>()[i] = layers::saturateToInt32(valueAt(i));
            else
                out.as<float>()[i] = static_cast<float>(valueAt(i));
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
