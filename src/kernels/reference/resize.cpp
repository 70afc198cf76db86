#include "kernels/kernel.h"
#include "layers/resize.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

//! Where one output index reads along one axis: index i0, and for linear axes i1 with weight w1.
struct Sample
{
    int64_t i0{0};
    int64_t i1{0};
    double w1{0.0};
};

//! The sample of output index \p o (coordinate formulas in layers/resize.h).
Sample sampleAt(int64_t o, int64_t in, int64_t out, bool alignCorners, bool linear)
{
    double src = 0.0;
    if (alignCorners)
        src = out == 1 ? 0.0 : static_cast<double>(o * (in - 1)) / static_cast<double>(out - 1);
    else
        src = static_cast<double>(o * in) / static_cast<double>(out);
    src = std::min(std::max(src, 0.0), static_cast<double>(in - 1));
    Sample s;
    s.i0 = static_cast<int64_t>(std::floor(src));
    s.i1 = linear ? std::min<int64_t>(s.i0 + 1, in - 1) : s.i0;
    s.w1 = linear ? src - static_cast<double>(s.i0) : 0.0;
    return s;
}

} // namespace

// Nearest on every axis, linear on the (up to) 3 innermost ones: each output cell mixes the 2^n
// corners of its source cell, n the number of interpolated axes.
Status runResize(const KernelArgs& args)
{
    constexpr int32_t kMaxDims = nvinfer1::Dims::MAX_DIMS;
    const auto& p = args.paramsAs<layers::ResizeParams>();
    const TensorBuffer& input = args.inputs[0];
    const TensorBuffer& output = args.outputs[0];
    const nvinfer1::Dims& in = input.dims;
    const nvinfer1::Dims& out = output.dims;
    const int32_t rank = in.nbDims;
    const bool linear = p.resizeMode == nvinfer1::ResizeMode::kLINEAR;
    const int32_t firstLinear = linear ? std::max(0, rank - 3) : rank;
    const int32_t corners = 1 << (rank - firstLinear);
    int64_t strides[kMaxDims] = {};
    int64_t stride = 1;
    for (int32_t a = rank - 1; a >= 0; --a)
    {
        strides[a] = stride;
        stride *= in.d[a];
    }
    const float* x = input.as<const float>();
    float* y = output.as<float>();
    const int64_t width = out.d[rank - 1];
    const int64_t rows = volume(out, 0, rank - 1);

    args.pool->parallelFor(rows, 16, [&](int64_t begin, int64_t end) {
        Sample samples[kMaxDims];
        for (int64_t r = begin; r < end; ++r)
        {
            int64_t rest = r;
            for (int32_t a = rank - 2; a >= 0; --a)
            {
                samples[a] = sampleAt(rest % out.d[a], in.d[a], out.d[a], p.alignCorners, a >= firstLinear);
                rest /= out.d[a];
            }
            for (int64_t ow = 0; ow < width; ++ow)
            {
                samples[rank - 1] = sampleAt(ow, in.d[rank - 1], width, p.alignCorners, rank - 1 >= firstLinear);
                double acc = 0.0;
                for (int32_t corner = 0; corner < corners; ++corner)
                {
                    double weight = 1.0;
                    int64_t offset = 0;
                    for (int32_t a = 0; a < rank; ++a)
                    {
                        const Sample& s = samples[a];
                        const bool second = a >= firstLinear && ((corner >> (a - firstLinear)) & 1);
                        if (a >= firstLinear)
                            weight *= second ? s.w1 : 1.0 - s.w1;
                        offset += (second ? s.i1 : s.i0) * strides[a];
                    }
                    if (weight != 0.0)
                        acc += weight * x[offset];
                }
                y[r * width + ow] = static_cast<float>(acc);
            }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
