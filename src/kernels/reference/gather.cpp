#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/gather.h"
#include "layers/movement_utils.h"

#include <algorithm>
#include <cstring>

namespace kiln::kernels::reference
{

namespace
{

Status gatherDefault(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::GatherParams>();
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const TensorBuffer& out = args.outputs[0];
    const layers::GatherLoops l = layers::gatherLoops(p, data.dims, indices.dims, out.dims);
    const int32_t* idx = indices.as<const int32_t>();
    KILN_RETURN_IF_ERROR(layers::checkIndices(idx, indices.elementCount(), l.extent, p.axis));
    const int64_t rows = l.lead * l.outer * l.count;
    if (rows == 0 || l.inner == 0)
        return Status::ok();
    const size_t size = elementSize(data.type);
    const size_t rowBytes = static_cast<size_t>(l.inner) * size;
    const auto* x = static_cast<const uint8_t*>(data.data);
    auto* y = static_cast<uint8_t*>(out.data);
    args.pool->parallelFor(rows, std::max<int64_t>(1, 4096 / l.inner), [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row)
        {
            const int64_t j = row % l.count;
            const int64_t o = row / l.count % l.outer;
            const int64_t lead = row / l.count / l.outer;
            const int64_t index = layers::resolveGatherIndex(
                idx[(l.indicesLeadBroadcast ? 0 : lead) * l.count + j], l.extent);
            const int64_t src = (((l.dataLeadBroadcast ? 0 : lead) * l.outer + o) * l.extent + index) * l.inner;
            std::memcpy(y + static_cast<size_t>(row) * rowBytes, x + static_cast<size_t>(src) * size, rowBytes);
        }
    });
    return Status::ok();
}

// out[c] = data[c with c[axis] replaced by indices[c]].
Status gatherElement(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::GatherParams>();
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const int64_t count = indices.elementCount();
    const int32_t* idx = indices.as<const int32_t>();
    const int64_t extent = data.dims.d[p.axis];
    KILN_RETURN_IF_ERROR(layers::checkIndices(idx, count, extent, p.axis));
    int64_t dataStrides[nvinfer1::Dims::MAX_DIMS];
    layers::rowMajorStrides(data.dims, dataStrides);
    const size_t size = elementSize(data.type);
    const auto* x = static_cast<const uint8_t*>(data.data);
    auto* y = static_cast<uint8_t*>(args.outputs[0].data);
    args.pool->parallelFor(count, 4096, [&](int64_t begin, int64_t end) {
        int64_t c[nvinfer1::Dims::MAX_DIMS];
        for (int64_t i = begin; i < end; ++i)
        {
            layers::unravelIndex(i, indices.dims, c);
            c[p.axis] = layers::resolveGatherIndex(idx[i], extent);
            int64_t src = 0;
            for (int32_t a = 0; a < data.dims.nbDims; ++a)
                src += c[a] * dataStrides[a];
            std::memcpy(y + static_cast<size_t>(i) * size, x + static_cast<size_t>(src) * size, size);
        }
    });
    return Status::ok();
}

// Each index tuple (the last axis of indices, k values) picks a slice data[b..., t0, .., tk-1, :].
Status gatherNd(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::GatherParams>();
    const TensorBuffer& data = args.inputs[0];
    const TensorBuffer& indices = args.inputs[1];
    const int32_t b = p.nbElementWiseDims;
    const int32_t k = indices.dims.d[indices.dims.nbDims - 1];
    const int32_t* idx = indices.as<const int32_t>();
    const int64_t count = indices.elementCount();
    for (int64_t i = 0; i < count; ++i)
    {
        const int32_t axis = b + static_cast<int32_t>(i % k);
        if (layers::resolveGatherIndex(idx[i], data.dims.d[axis]) < 0)
            return layers::indexOutOfRange(idx[i], data.dims.d[axis], axis);
    }
    const int64_t batches = volume(data.dims, 0, b);
    const int64_t tuples = batches == 0 ? 0 : count / k / batches; // index tuples per batch element
    const int64_t batchStride = volume(data.dims, b, data.dims.nbDims);
    const int64_t slice = volume(data.dims, b + k, data.dims.nbDims);
    if (batches * tuples == 0 || slice == 0)
        return Status::ok();
    const size_t size = elementSize(data.type);
    const size_t sliceBytes = static_cast<size_t>(slice) * size;
    const auto* x = static_cast<const uint8_t*>(data.data);
    auto* y = static_cast<uint8_t*>(args.outputs[0].data);
    args.pool->parallelFor(batches * tuples, std::max<int64_t>(1, 4096 / slice), [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t)
        {
            int64_t src = t / tuples * batchStride;
            int64_t stride = batchStride;
            for (int32_t j = 0; j < k; ++j)
            {
                const int64_t extent = data.dims.d[b + j];
                stride /= extent;
                src += layers::resolveGatherIndex(idx[t * k + j], extent) * stride;
            }
            std::memcpy(y + static_cast<size_t>(t) * sliceBytes, x + static_cast<size_t>(src) * size, sliceBytes);
        }
    });
    return Status::ok();
}

} // namespace

Status runGather(const KernelArgs& args)
{
    switch (args.paramsAs<layers::GatherParams>().mode)
    {
    case nvinfer1::GatherMode::kDEFAULT: return gatherDefault(args);
    case nvinfer1::GatherMode::kELEMENT: return gatherElement(args);
    case nvinfer1::GatherMode::kND: return gatherNd(args);
    }
    return invalidArgument("invalid gather mode");
}

} // namespace kiln::kernels::reference
