#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/gather.h"
#include "layers/movement_utils.h"
#include "layers/scatter.h"

#include <cstring>

namespace kiln::kernels::reference
{

namespace
{

// out[c with c[axis] = indices[c]] = updates[c]; serial so that repeated indices resolve the
// same way (last wins) whatever the thread count.
void scatterElement(const KernelArgs& args, int32_t axis, uint8_t* y, size_t size)
{
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const int32_t* idx = indices.as<const int32_t>();
    const auto* u = static_cast<const uint8_t*>(args.inputs[2].data);
    int64_t strides[nvinfer1::Dims::MAX_DIMS];
    layers::rowMajorStrides(data.dims, strides);
    int64_t c[nvinfer1::Dims::MAX_DIMS];
    const int64_t count = indices.elementCount();
    for (int64_t i = 0; i < count; ++i)
    {
        layers::unravelIndex(i, indices.dims, c);
        c[axis] = layers::resolveGatherIndex(idx[i], data.dims.d[axis]);
        int64_t dst = 0;
        for (int32_t a = 0; a < data.dims.nbDims; ++a)
            dst += c[a] * strides[a];
        std::memcpy(y + static_cast<size_t>(dst) * size, u + static_cast<size_t>(i) * size, size);
    }
}

// Each index tuple (the last axis of indices, k values) names a slice data[t0, .., tk-1, :].
void scatterNd(const KernelArgs& args, uint8_t* y, size_t size)
{
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const int32_t* idx = indices.as<const int32_t>();
    const auto* u = static_cast<const uint8_t*>(args.inputs[2].data);
    const int32_t k = indices.dims.d[indices.dims.nbDims - 1];
    const int64_t tuples = indices.elementCount() / k;
    const size_t sliceBytes = static_cast<size_t>(volume(data.dims, k, data.dims.nbDims)) * size;
    for (int64_t t = 0; t < tuples; ++t)
    {
        int64_t dst = 0;
        for (int32_t j = 0; j < k; ++j)
            dst = dst * data.dims.d[j] + layers::resolveGatherIndex(idx[t * k + j], data.dims.d[j]);
        std::memcpy(y + static_cast<size_t>(dst) * sliceBytes, u + static_cast<size_t>(t) * sliceBytes, sliceBytes);
    }
}

} // namespace

Status runScatter(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ScatterParams>();
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const int32_t* idx = indices.as<const int32_t>();
    const int64_t count = indices.elementCount();
    const int32_t rank = data.dims.nbDims;
    const int32_t axis = p.axis < 0 ? p.axis + rank : p.axis;
    if (p.mode == nvinfer1::ScatterMode::kELEMENT)
        KILN_RETURN_IF_ERROR(layers::checkIndices(idx, count, data.dims.d[axis], axis));
    else
    {
        const int32_t k = indices.dims.d[indices.dims.nbDims - 1];
        for (int64_t i = 0; i < count; ++i)
        {
            const int32_t a = static_cast<int32_t>(i % k);
            if (layers::resolveGatherIndex(idx[i], data.dims.d[a]) < 0)
                return layers::indexOutOfRange(idx[i], data.dims.d[a], a);
        }
    }

    const size_t size = elementSize(data.type);
    const int64_t total = data.elementCount();
    const auto* x = static_cast<const uint8_t*>(data.data);
    auto* y = static_cast<uint8_t*>(args.outputs[0].data);
    if (total == 0)
        return Status::ok();
    if (x != y)
        args.pool->parallelFor(total, 1 << 16, [&](int64_t begin, int64_t end) {
            std::memcpy(y + static_cast<size_t>(begin) * size, x + static_cast<size_t>(begin) * size,
                static_cast<size_t>(end - begin) * size);
        });
    if (p.mode == nvinfer1::ScatterMode::kELEMENT)
        scatterElement(args, axis, y, size);
    else
        scatterNd(args, y, size);
    return Status::ok();
}

} // namespace kiln::kernels::reference
