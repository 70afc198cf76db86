#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/gather.h"

#include <algorithm>
#include <cstring>

namespace kiln::kernels::reference
{

Status runGather(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::GatherParams>();
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const TensorBuffer& out = args.outputs[0];
    const layers::GatherLoops l = layers::gatherLoops(p, data.dims, indices.dims, out.dims);
    const int64_t rows = l.lead * l.outer * l.count;
    if (rows == 0 || l.inner == 0)
        return Status::ok();
    const size_t size = elementSize(data.type);
    const size_t rowBytes = static_cast<size_t>(l.inner) * size;
    const auto* x = static_cast<const uint8_t*>(data.data);
    const int32_t* idx = indices.as<const int32_t>();
    auto* y = static_cast<uint8_t*>(out.data);
    args.pool->parallelFor(rows, std::max<int64_t>(1, 4096 / l.inner), [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row)
        {
            const int64_t j = row % l.count;
            const int64_t o = row / l.count % l.outer;
            const int64_t lead = row / l.count / l.outer;
            const int64_t index = layers::resolveGatherIndex(
                idx[(l.indicesLeadBroadcast ? 0 : lead) * l.count + j], l.extent);
            uint8_t* dst = y + static_cast<size_t>(row) * rowBytes;
            if (index < 0)
            {
                std::memset(dst, 0, rowBytes);
                continue;
            }
            const int64_t src = (((l.dataLeadBroadcast ? 0 : lead) * l.outer + o) * l.extent + index) * l.inner;
            std::memcpy(dst, x + static_cast<size_t>(src) * size, rowBytes);
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
