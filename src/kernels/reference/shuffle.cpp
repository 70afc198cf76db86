#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/shuffle.h"

#include <cstring>

namespace kiln::kernels::reference
{

namespace
{

template <typename T>
void gatherElements(const KernelArgs& args, const layers::ShuffleIndexer& indexer)
{
    const T* x = args.inputs[0].as<const T>();
    T* y = args.outputs[0].as<T>();
    args.pool->parallelFor(args.outputs[0].elementCount(), 4096, [&](int64_t begin, int64_t end) {
        for (int64_t o = begin; o < end; ++o)
            y[o] = x[indexer.source(o)];
    });
}

bool isIdentity(const std::vector<int32_t>& order, int32_t rank)
{
    for (int32_t i = 0; i < rank; ++i)
        if (order[static_cast<size_t>(i)] != i)
            return false;
    return true;
}

} // namespace

Status runShuffle(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ShuffleParams>();
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& out = args.outputs[0];
    const size_t size = elementSize(in.type);
    if (isIdentity(p.firstTranspose, in.dims.nbDims) && isIdentity(p.secondTranspose, out.dims.nbDims))
    {
        if (out.elementCount() > 0)
            std::memcpy(out.data, in.data, static_cast<size_t>(out.elementCount()) * size);
        return Status::ok();
    }
    const layers::ShuffleIndexer indexer(in.dims, out.dims, p.firstTranspose, p.secondTranspose);
    switch (size)
    {
    case 1: gatherElements<uint8_t>(args, indexer); break;
    case 2: gatherElements<uint16_t>(args, indexer); break;
    case 4: gatherElements<uint32_t>(args, indexer); break;
    default: return unsupported("Shuffle: unsupported element type");
    }
    return Status::ok();
}

} // namespace kiln::kernels::reference
