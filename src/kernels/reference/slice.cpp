#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/movement_utils.h"
#include "layers/slice.h"

#include <algorithm>

namespace kiln::kernels::reference
{

namespace
{

const int32_t* shapeInput(const KernelArgs& args, size_t index)
{
    return index < args.inputs.size() && args.inputs[index].data ? args.inputs[index].as<const int32_t>() : nullptr;
}

template <typename T>
void sliceRows(const KernelArgs& args, nvinfer1::SliceMode mode, const layers::SliceWindow& w)
{
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& out = args.outputs[0];
    const T* x = in.as<const T>();
    T* y = out.as<T>();
    T fill{};
    if (args.inputs.size() > 4 && args.inputs[4].data)
        fill = *args.inputs[4].as<const T>();
    const int32_t rank = out.dims.nbDims;
    const int64_t cols = rank > 0 ? out.dims.d[rank - 1] : 1;
    const int64_t rows = cols > 0 ? out.elementCount() / cols : 0;
    int64_t inStrides[nvinfer1::Dims::MAX_DIMS];
    layers::rowMajorStrides(in.dims, inStrides);
    nvinfer1::Dims rowDims = out.dims;
    rowDims.nbDims = std::max(rank - 1, 0);
    args.pool->parallelFor(
        rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(cols, 1)), [&](int64_t begin, int64_t end) {
            int64_t coords[nvinfer1::Dims::MAX_DIMS];
            for (int64_t r = begin; r < end; ++r)
            {
                layers::unravelIndex(r, rowDims, coords);
                int64_t base = 0;
                for (int32_t i = 0; i + 1 < rank && base >= 0; ++i)
                {
                    const int64_t c = layers::sliceCoordinate(mode, w.start[i], w.stride[i], coords[i], in.dims.d[i]);
                    base = c < 0 ? -1 : base + c * inStrides[i];
                }
                T* row = y + r * cols;
                if (rank == 0)
                {
                    row[0] = x[0];
                    continue;
                }
                if (base < 0)
                {
                    std::fill(row, row + cols, fill);
                    continue;
                }
                const int32_t last = rank - 1;
                for (int64_t j = 0; j < cols; ++j)
                {
                    const int64_t c = layers::sliceCoordinate(mode, w.start[last], w.stride[last], j, in.dims.d[last]);
                    row[j] = c < 0 ? fill : x[base + c];
                }
            }
        });
}

} // namespace

Status runSlice(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::SliceParams>();
    const layers::SliceWindow w = layers::sliceWindow(
        p, args.inputs[0].dims.nbDims, shapeInput(args, 1), shapeInput(args, 3));
    switch (elementSize(args.inputs[0].type))
    {
    case 1: sliceRows<uint8_t>(args, p.mode, w); break;
    case 2: sliceRows<uint16_t>(args, p.mode, w); break;
    case 4: sliceRows<uint32_t>(args, p.mode, w); break;
    default: return unsupported("Slice: unsupported element type");
    }
    return Status::ok();
}

} // namespace kiln::kernels::reference
