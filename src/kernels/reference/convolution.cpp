#include "kernels/kernel.h"
#include "kernels/reference/spatial_utils.h"
#include "layers/convolution.h"

namespace kiln::kernels::reference
{

Status runConvolution(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ConvolutionParams>();
    const TensorBuffer& input = args.inputs[0];
    const TensorBuffer& output = args.outputs[0];
    const Window3 g = makeWindow3(input.dims, output.dims, p.kernelSize, p.stride, &p.dilation, p.prePadding,
        p.postPadding, p.paddingMode, false);
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
    const float* residual = p.epilogue.hasResidual ? args.inputs[layers::kResidualInput].as<const float>() : nullptr;

    // One item is one output map of one batch entry.
    args.pool->parallelFor(batch * maps, 1, [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item)
        {
            const int64_t n = item / maps;
            const int32_t k = static_cast<int32_t>(item % maps);
            const int32_t group = k / groupMaps;
            const float* xg = x + (n * channels + static_cast<int64_t>(group) * groupChannels) * inPlane;
            const float* wk = w + static_cast<int64_t>(k) * groupChannels * taps;
            float* yk = y + item * outPlane;
            for (int32_t od = 0; od < g.out[0]; ++od)
                for (int32_t oh = 0; oh < g.out[1]; ++oh)
                    for (int32_t ow = 0; ow < g.out[2]; ++ow)
                    {
                        int32_t lo[3];
                        int32_t hi[3];
                        g.taps(0, od, lo[0], hi[0]);
                        g.taps(1, oh, lo[1], hi[1]);
                        g.taps(2, ow, lo[2], hi[2]);
                        const int64_t d0 = static_cast<int64_t>(od) * g.stride[0] - g.pre[0];
                        const int64_t h0 = static_cast<int64_t>(oh) * g.stride[1] - g.pre[1];
                        const int64_t w0 = static_cast<int64_t>(ow) * g.stride[2] - g.pre[2];
                        double acc = bias ? bias[k] : 0.0;
                        for (int32_t c = 0; c < groupChannels; ++c)
                        {
                            const float* xc = xg + c * inPlane;
                            const float* wc = wk + c * taps;
                            for (int32_t fd = lo[0]; fd < hi[0]; ++fd)
                                for (int32_t fh = lo[1]; fh < hi[1]; ++fh)
                                {
                                    const int64_t row = ((d0 + int64_t{fd} * g.dilation[0]) * g.in[1] + h0
                                                            + int64_t{fh} * g.dilation[1])
                                        * g.in[2];
                                    const float* wrow = wc + (int64_t{fd} * g.window[1] + fh) * g.window[2];
                                    for (int32_t fw = lo[2]; fw < hi[2]; ++fw)
                                        acc += static_cast<double>(xc[row + w0 + int64_t{fw} * g.dilation[2]]) * wrow[fw];
                                }
                        }
                        const int64_t at = (int64_t{od} * g.out[1] + oh) * g.out[2] + ow;
                        float v = static_cast<float>(acc);
                        if (residual)
                            v += residual[item * outPlane + at];
                        yk[at] = p.epilogue.activate(v);
                    }
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
