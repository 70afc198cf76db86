#include "layers/top_k.h"
#include "common/dims.h"
#include "kernels/kernel.h"
#include "layers/pointwise_utils.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace kiln::kernels::reference
{

namespace
{

//! Strict total order "a comes before b" for kMAX: larger first (NaN largest), then lower index.
bool beforeForMax(float a, int32_t ia, float b, int32_t ib)
{
    const bool nanA = std::isnan(a);
    const bool nanB = std::isnan(b);
    if (nanA != nanB)
        return nanA;
    if (!nanA && a != b)
        return a > b;
    return ia < ib;
}

//! The same for kMIN: smaller first (NaN last), then lower index.
bool beforeForMin(float a, int32_t ia, float b, int32_t ib)
{
    const bool nanA = std::isnan(a);
    const bool nanB = std::isnan(b);
    if (nanA != nanB)
        return nanB;
    if (!nanA && a != b)
        return a < b;
    return ia < ib;
}

} // namespace

Status runTopK(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::TopKParams>();
    const nvinfer1::Dims& dims = args.inputs[0].dims;
    const int32_t axis = layers::lowestAxis(p.axes);
    const int64_t n = dims.d[axis];
    const int64_t k = p.k;
    const int64_t inner = volume(dims, axis + 1, dims.nbDims);
    const int64_t outer = volume(dims, 0, axis);
    const float* x = args.inputs[0].as<const float>();
    float* values = args.outputs[0].as<float>();
    int32_t* indices = args.outputs[1].as<int32_t>();
    const bool isMax = p.operation == nvinfer1::TopKOperation::kMAX;

    const int64_t grain = std::max<int64_t>(1, 1024 / std::max<int64_t>(n, 1));
    args.pool->parallelFor(outer * inner, grain, [&](int64_t begin, int64_t end) {
        std::vector<int32_t> order(static_cast<size_t>(n));
        for (int64_t line = begin; line < end; ++line)
        {
            const int64_t o = line / inner;
            const int64_t i = line % inner;
            const float* in = x + o * n * inner + i;
            for (int64_t j = 0; j < n; ++j)
                order[static_cast<size_t>(j)] = static_cast<int32_t>(j);
            std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int32_t a, int32_t b) {
                return isMax ? beforeForMax(in[a * inner], a, in[b * inner], b)
                             : beforeForMin(in[a * inner], a, in[b * inner], b);
            });
            const int64_t outBase = o * k * inner + i;
            for (int64_t j = 0; j < k; ++j)
            {
                const int32_t index = order[static_cast<size_t>(j)];
                values[outBase + j * inner] = in[index * inner];
                indices[outBase + j * inner] = index;
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
