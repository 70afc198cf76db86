#include "kernels/kernel.h"
#include "layers/one_hot.h"

#include <algorithm>
#include <cstring>

namespace kiln::kernels::reference
{

Status runOneHot(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::OneHotParams>();
    const TensorBuffer& indices = args.inputs[0];
    const TensorBuffer& out = args.outputs[0];
    const int32_t axis = p.axis < 0 ? p.axis + out.dims.nbDims : p.axis;
    const int64_t outer = volume(out.dims, 0, axis);
    const int64_t depth = out.dims.d[axis];
    const int64_t inner = volume(out.dims, axis + 1, out.dims.nbDims);
    if (outer * depth * inner == 0)
        return Status::ok();
    // FLOAT and INT32 are both 4 bytes: the values are copied as bit patterns.
    uint32_t off = 0;
    uint32_t on = 0;
    const auto* values = static_cast<const uint8_t*>(args.inputs[1].data);
    std::memcpy(&off, values, sizeof(off));
    std::memcpy(&on, values + sizeof(off), sizeof(on));
    const int32_t* idx = indices.as<const int32_t>();
    auto* y = out.as<uint32_t>();
    args.pool->parallelFor(outer * depth, std::max<int64_t>(1, 4096 / inner), [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row)
        {
            const int64_t o = row / depth;
            const int64_t d = row % depth;
            const int32_t* src = idx + o * inner;
            uint32_t* dst = y + row * inner;
            for (int64_t i = 0; i < inner; ++i)
            {
                const int64_t index = src[i] < 0 ? int64_t{src[i]} + depth : src[i];
                dst[i] = index == d ? on : off;
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
