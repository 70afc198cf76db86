#include "kernels/kernel.h"
#include "layers/einsum.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kiln::kernels::reference
{

namespace
{

//! The loops of one einsum: output axes (row-major over the output), summed axes, and for each
//! input the element stride of every axis (diagonals add strides; broadcast extents stride 0).
struct EinsumLoops
{
    std::vector<int64_t> outExtents;
    std::vector<std::vector<int64_t>> outStrides; //!< per input, per output axis
    std::vector<int64_t> sumExtents;
    std::vector<std::vector<int64_t>> sumStrides; //!< per input, per summed axis
    int64_t sumVolume{1};
};

EinsumLoops makeLoops(const layers::EinsumAxes& axes, const std::vector<TensorBuffer>& inputs)
{
    const size_t nbAxes = axes.extents.size();
    std::vector<std::vector<int64_t>> strides(inputs.size(), std::vector<int64_t>(nbAxes, 0));
    for (size_t i = 0; i < inputs.size(); ++i)
    {
        const nvinfer1::Dims& dims = inputs[i].dims;
        int64_t stride = 1;
        for (int32_t d = dims.nbDims - 1; d >= 0; --d)
        {
            const auto axis = static_cast<size_t>(axes.inputAxes[i][static_cast<size_t>(d)]);
            if (dims.d[d] != 1 || axes.extents[axis] == 1)
                strides[i][axis] += stride;
            stride *= dims.d[d];
        }
    }

    EinsumLoops loops;
    std::vector<bool> isOutput(nbAxes, false);
    loops.outStrides.resize(inputs.size());
    loops.sumStrides.resize(inputs.size());
    for (int32_t axis : axes.outputAxes)
    {
        isOutput[static_cast<size_t>(axis)] = true;
        loops.outExtents.push_back(axes.extents[static_cast<size_t>(axis)]);
        for (size_t i = 0; i < inputs.size(); ++i)
            loops.outStrides[i].push_back(strides[i][static_cast<size_t>(axis)]);
    }
    for (size_t axis = 0; axis < nbAxes; ++axis)
    {
        if (isOutput[axis])
            continue;
        loops.sumExtents.push_back(axes.extents[axis]);
        loops.sumVolume *= axes.extents[axis];
        for (size_t i = 0; i < inputs.size(); ++i)
            loops.sumStrides[i].push_back(strides[i][axis]);
    }
    return loops;
}

//! FLOAT: float64 products and sums. INT32: products and sums modulo 2^32 (two's complement).
template <typename T>
struct Arithmetic;
template <>
struct Arithmetic<float>
{
    using Acc = double;
    static Acc one() { return 1.0; }
    static Acc mul(Acc a, float x) { return a * x; }
    static float result(Acc a) { return static_cast<float>(a); }
};
template <>
struct Arithmetic<int32_t>
{
    using Acc = uint32_t;
    static Acc one() { return 1u; }
    static Acc mul(Acc a, int32_t x) { return a * static_cast<uint32_t>(x); }
    static int32_t result(Acc a) { return static_cast<int32_t>(a); }
};

template <typename T>
void einsum(const KernelArgs& args, const EinsumLoops& loops)
{
    using Ar = Arithmetic<T>;
    const size_t nbInputs = args.inputs.size();
    std::vector<const T*> in;
    for (const TensorBuffer& b : args.inputs)
        in.push_back(b.as<const T>());
    T* out = args.outputs[0].as<T>();
    const size_t nbOut = loops.outExtents.size();
    const size_t nbSum = loops.sumExtents.size();

    args.pool->parallelFor(args.outputs[0].elementCount(), 64, [&](int64_t begin, int64_t end) {
        std::vector<int64_t> base(nbInputs);
        std::vector<int64_t> offset(nbInputs);
        std::vector<int64_t> counter(nbSum);
        for (int64_t o = begin; o < end; ++o)
        {
            // Offsets of this output element's axes in every input.
            std::fill(base.begin(), base.end(), 0);
            int64_t rest = o;
            for (size_t a = nbOut; a-- > 0;)
            {
                const int64_t index = rest % loops.outExtents[a];
                rest /= loops.outExtents[a];
                for (size_t i = 0; i < nbInputs; ++i)
                    base[i] += index * loops.outStrides[i][a];
            }

            typename Ar::Acc sum{};
            offset = base;
            std::fill(counter.begin(), counter.end(), 0);
            for (int64_t s = 0; s < loops.sumVolume; ++s)
            {
                typename Ar::Acc product = Ar::one();
                for (size_t i = 0; i < nbInputs; ++i)
                    product = Ar::mul(product, in[i][offset[i]]);
                sum += product;
                // Odometer step over the summed axes, the last one fastest.
                for (size_t a = nbSum; a-- > 0;)
                {
                    for (size_t i = 0; i < nbInputs; ++i)
                        offset[i] += loops.sumStrides[i][a];
                    if (++counter[a] < loops.sumExtents[a])
                        break;
                    counter[a] = 0;
                    for (size_t i = 0; i < nbInputs; ++i)
                        offset[i] -= loops.sumStrides[i][a] * loops.sumExtents[a];
                }
            }
            out[o] = Ar::result(sum);
        }
    });
}

} // namespace

Status runEinsum(const KernelArgs& args)
{
    const auto& params = args.paramsAs<layers::EinsumParams>();
    std::vector<nvinfer1::Dims> dims;
    for (const TensorBuffer& b : args.inputs)
        dims.push_back(b.dims);
    Expected<layers::EinsumAxes> axes = layers::bindEinsum(params, dims);
    if (!axes)
        return axes.status();
    const EinsumLoops loops = makeLoops(*axes, args.inputs);
    if (args.outputs[0].type == nvinfer1::DataType::kINT32)
        einsum<int32_t>(args, loops);
    else
        einsum<float>(args, loops);
    return Status::ok();
}

} // namespace kiln::kernels::reference
