#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/concatenation.h"

#include <algorithm>
#include <cstring>

namespace kiln::kernels::reference
{

Status runConcatenation(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ConcatenationParams>();
    const TensorBuffer& out = args.outputs[0];
    const size_t size = elementSize(out.type);
    const int64_t outer = volume(out.dims, 0, p.axis);
    const int64_t inner = volume(out.dims, p.axis + 1, out.dims.nbDims) * static_cast<int64_t>(size);
    const int64_t outRow = out.dims.d[p.axis] * inner; // bytes of one outer slice of the output
    if (outRow == 0)
        return Status::ok();
    auto* y = static_cast<uint8_t*>(out.data);
    const int64_t grain = std::max<int64_t>(1, 65536 / outRow);
    args.pool->parallelFor(outer, grain, [&](int64_t begin, int64_t end) {
        for (int64_t o = begin; o < end; ++o)
        {
            int64_t offset = o * outRow;
            for (const TensorBuffer& in : args.inputs)
            {
                const int64_t row = in.dims.d[p.axis] * inner;
                if (row > 0)
                    std::memcpy(y + offset, static_cast<const uint8_t*>(in.data) + o * row, static_cast<size_t>(row));
                offset += row;
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
