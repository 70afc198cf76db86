#include "kernels/kernel.h"
#include "kernels/reference/spatial_utils.h"
#include "layers/pooling.h"

#include <algorithm>
#include <limits>

namespace kiln::kernels::reference
{

namespace
{

struct WindowStats
{
    double max{-std::numeric_limits<double>::infinity()};
    double sum{0.0};
    int64_t inside{0}; //!< window cells inside the input
    int64_t padded{1}; //!< window cells inside the padded input [-pre, in + post)
};

WindowStats poolWindow(const Window3& g, const float* plane, const int32_t o[3])
{
    WindowStats s;
    int32_t lo[3];
    int32_t hi[3];
    for (int32_t a = 0; a < 3; ++a)
    {
        g.taps(a, o[a], lo[a], hi[a]);
        const int64_t start = static_cast<int64_t>(o[a]) * g.stride[a] - g.pre[a];
        const int64_t first = std::max<int64_t>(start, -g.pre[a]);
        const int64_t last = std::min<int64_t>(start + g.window[a], int64_t{g.in[a]} + g.post[a]);
        s.padded *= std::max<int64_t>(last - first, 0);
    }
    for (int32_t fd = lo[0]; fd < hi[0]; ++fd)
        for (int32_t fh = lo[1]; fh < hi[1]; ++fh)
        {
            const int64_t id = int64_t{o[0]} * g.stride[0] - g.pre[0] + fd;
            const int64_t ih = int64_t{o[1]} * g.stride[1] - g.pre[1] + fh;
            const int64_t row = (id * g.in[1] + ih) * g.in[2] + (int64_t{o[2]} * g.stride[2] - g.pre[2]);
            for (int32_t fw = lo[2]; fw < hi[2]; ++fw)
            {
                const double v = plane[row + fw];
                s.max = std::max(s.max, v);
                s.sum += v;
                ++s.inside;
            }
        }
    return s;
}

} // namespace

Status runPooling(const KernelArgs& args)
{
    using nvinfer1::PoolingType;
    const auto& p = args.paramsAs<layers::PoolingParams>();
    const TensorBuffer& input = args.inputs[0];
    const TensorBuffer& output = args.outputs[0];
    const Window3 g = makeWindow3(input.dims, output.dims, p.windowSize, p.stride, nullptr, p.prePadding,
        p.postPadding, p.paddingMode, false);
    const int64_t inPlane = g.inPlane();
    const int64_t outPlane = g.outPlane();
    const float* x = input.as<const float>();
    float* y = output.as<float>();

    args.pool->parallelFor(g.lead, 1, [&](int64_t begin, int64_t end) {
        for (int64_t plane = begin; plane < end; ++plane)
        {
            float* yp = y + plane * outPlane;
            int32_t o[3];
            for (o[0] = 0; o[0] < g.out[0]; ++o[0])
                for (o[1] = 0; o[1] < g.out[1]; ++o[1])
                    for (o[2] = 0; o[2] < g.out[2]; ++o[2])
                    {
                        const WindowStats s = poolWindow(g, x + plane * inPlane, o);
                        double value = 0.0;
                        if (s.inside > 0)
                        {
                            const int64_t count = p.averageCountExcludesPadding ? s.inside : s.padded;
                            const double average = s.sum / static_cast<double>(count);
                            if (p.type == PoolingType::kMAX)
                                value = s.max;
                            else if (p.type == PoolingType::kAVERAGE)
                                value = average;
                            else
                                value = p.blendFactor * s.max + (1.0 - p.blendFactor) * average;
                        }
                        yp[(int64_t{o[0]} * g.out[1] + o[1]) * g.out[2] + o[2]] = static_cast<float>(value);
                    }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
