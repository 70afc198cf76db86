#include "kernels/kernel.h"
#include "layers/resize.h"

#include <algorithm>
#include <vector>

namespace kiln::kernels::reference
{

// Every output point is the sum over the product of its per-axis taps (layers/resize.h); the taps
// of each axis are computed once per output index.
Status runResize(const KernelArgs& args)
{
    constexpr int32_t kMaxDims = nvinfer1::Dims::MAX_DIMS;
    const auto& p = args.paramsAs<layers::ResizeParams>();
    const TensorBuffer& input = args.inputs[0];
    const TensorBuffer& output = args.outputs[0];
    const nvinfer1::Dims& in = input.dims;
    const nvinfer1::Dims& out = output.dims;
    const int32_t rank = in.nbDims;
    const bool shapeInput = args.inputs.size() > 1 && args.inputs[1].data;
    const float* roi = args.inputs.size() > 2 ? args.inputs[2].as<const float>() : nullptr;
    if (rank == 0 || volume(out) == 0)
        return Status::ok();

    std::vector<layers::ResizeTaps> taps[kMaxDims];
    int64_t strides[kMaxDims] = {};
    int64_t stride = 1;
    for (int32_t a = rank - 1; a >= 0; --a)
    {
        strides[a] = stride;
        stride *= in.d[a];
        const layers::ResizeAxis axis = layers::resizeAxis(p, in, out, a, roi, shapeInput);
        taps[a].resize(static_cast<size_t>(out.d[a]));
        for (int64_t o = 0; o < out.d[a]; ++o)
            taps[a][static_cast<size_t>(o)] = layers::resizeTaps(p, axis, o);
    }
    const float* x = input.as<const float>();
    float* y = output.as<float>();
    const int64_t width = out.d[rank - 1];
    const int64_t rows = volume(out, 0, rank - 1);

    args.pool->parallelFor(rows, 16, [&](int64_t begin, int64_t end) {
        const layers::ResizeTaps* at[kMaxDims] = {};
        for (int64_t r = begin; r < end; ++r)
        {
            int64_t rest = r;
            for (int32_t a = rank - 2; a >= 0; --a)
            {
                at[a] = &taps[a][static_cast<size_t>(rest % out.d[a])];
                rest /= out.d[a];
            }
            for (int64_t ow = 0; ow < width; ++ow)
            {
                at[rank - 1] = &taps[rank - 1][static_cast<size_t>(ow)];
                bool outside = false;
                for (int32_t a = 0; a < rank; ++a)
                    outside = outside || at[a]->outside;
                if (outside)
                {
                    y[r * width + ow] = p.extrapolationValue;
                    continue;
                }
                // Odometer over one tap per axis, the last axis fastest.
                int32_t pick[kMaxDims] = {};
                double acc = 0.0;
                bool done = false;
                for (int32_t a = 0; a < rank; ++a)
                    done = done || at[a]->count == 0;
                while (!done)
                {
                    double weight = 1.0;
                    int64_t offset = 0;
                    for (int32_t a = 0; a < rank; ++a)
                    {
                        weight *= at[a]->weight[pick[a]];
                        offset += at[a]->index[pick[a]] * strides[a];
                    }
                    acc += weight * static_cast<double>(x[offset]);
                    int32_t a = rank - 1;
                    while (a >= 0 && ++pick[a] == at[a]->count)
                        pick[a--] = 0;
                    done = a < 0;
                }
                y[r * width + ow] = static_cast<float>(acc);
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
