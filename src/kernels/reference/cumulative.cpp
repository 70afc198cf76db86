#include "kernels/kernel.h"
#include "layers/cumulative.h"

#include <algorithm>

namespace kiln::kernels::reference
{

// One task per line along the axis; FLOAT sums accumulate in float64.
Status runCumulative(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::CumulativeParams>();
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& out = args.outputs[0];
    const int32_t rank = in.dims.nbDims;
    const int32_t axis = p.resolveAxis(*args.inputs[1].as<const int32_t>(), rank);
    if (axis < 0)
        return invalidArgument("cumulative axis is out of range");
    const int64_t n = in.dims.d[axis];
    const int64_t inner = volume(in.dims, axis + 1, rank);
    const int64_t lines = n == 0 ? 0 : in.elementCount() / n;
    const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(n, 1));
    args.pool->parallelFor(lines, grain, [&](int64_t begin, int64_t end) {
        for (int64_t l = begin; l < end; ++l)
        {
            const int64_t base = (l / inner) * n * inner + l % inner;
            if (in.type == nvinfer1::DataType::kINT32)
                p.scanLine<int32_t, uint32_t>(in.as<const int32_t>() + base, out.as<int32_t>() + base, n, inner);
            else
                p.scanLine<float, double>(in.as<const float>() + base, out.as<float>() + base, n, inner);
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
