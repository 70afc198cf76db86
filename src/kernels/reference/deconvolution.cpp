#include "kernels/kernel.h"
#include "kernels/reference/spatial_utils.h"
#include "layers/deconvolution.h"

namespace kiln::kernels::reference
{

namespace
{

//! The input index that tap \p f of axis \p a sends to full-output position \p q, or -1.
int64_t sourceIndex(const Window3& g, int32_t a, int64_t q, int32_t f)
{
    const int64_t t = q - static_cast<int64_t>(f) * g.dilation[a];
    if (t < 0 || t % g.stride[a] != 0)
        return -1;
    const int64_t i = t / g.stride[a];
    return i < g.in[a] ? i : -1;
}

} // namespace

// Computed as a gather: each output cell sums the input cells whose kernel footprint covers it, so
// every output map is written by one task and the result does not depend on the thread count.
Status runDeconvolution(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::DeconvolutionParams>();
    const TensorBuffer& input = args.inputs[0];
    const TensorBuffer& output = args.outputs[0];
    const Window3 g = makeWindow3(input.dims, output.dims, p.kernelSize, p.stride, &p.dilation, p.prePadding,
        p.postPadding, p.paddingMode, true);
    const int32_t channels = input.dims.d[input.dims.nbDims - p.kernelSize.nbDims - 1];
    const int32_t maps = p.nbOutputMaps;
    const int32_t groupChannels = channels / p.nbGroups;
    const int32_t groupMaps = maps / p.nbGroups;
    const int64_t batch = g.lead / channels;
    const int64_t inPlane = g.inPlane();
    const int64_t outPlane = g.outPlane();
    const int64_t taps = g.windowVolume();
    const float* x = input.as<const float>();
    const float* w = p.kernelWeights.floats();
    const float* bias = p.biasWeights.empty() ? nullptr : p.biasWeights.floats();
    float* y = output.as<float>();

    args.pool->parallelFor(batch * maps, 1, [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item)
        {
            const int64_t n = item / maps;
            const int32_t k = static_cast<int32_t>(item % maps);
            const int32_t group = k / groupMaps;
            const int32_t kInGroup = k % groupMaps;
            float* yk = y + item * outPlane;
            for (int32_t od = 0; od < g.out[0]; ++od)
                for (int32_t oh = 0; oh < g.out[1]; ++oh)
                    for (int32_t ow = 0; ow < g.out[2]; ++ow)
                    {
                        double acc = bias ? bias[k] : 0.0;
                        for (int32_t cg = 0; cg < groupChannels; ++cg)
                        {
                            const int64_t c = static_cast<int64_t>(group) * groupChannels + cg;
                            const float* xc = x + (n * channels + c) * inPlane;
                            const float* wc = w + (c * groupMaps + kInGroup) * taps;
                            for (int32_t fd = 0; fd < g.window[0]; ++fd)
                            {
                                const int64_t id = sourceIndex(g, 0, int64_t{od} + g.pre[0], fd);
                                if (id < 0)
                                    continue;
                                for (int32_t fh = 0; fh < g.window[1]; ++fh)
                                {
                                    const int64_t ih = sourceIndex(g, 1, int64_t{oh} + g.pre[1], fh);
                                    if (ih < 0)
                                        continue;
                                    const float* xrow = xc + (id * g.in[1] + ih) * g.in[2];
                                    const float* wrow = wc + (int64_t{fd} * g.window[1] + fh) * g.window[2];
                                    for (int32_t fw = 0; fw < g.window[2]; ++fw)
                                    {
                                        const int64_t iw = sourceIndex(g, 2, int64_t{ow} + g.pre[2], fw);
                                        if (iw >= 0)
                                            acc += static_cast<double>(xrow[iw]) * wrow[fw];
                                    }
                                }
                            }
                        }
                        yk[(int64_t{od} * g.out[1] + oh) * g.out[2] + ow] = static_cast<float>(acc);
                    }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
