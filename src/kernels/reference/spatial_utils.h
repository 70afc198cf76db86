// Geometry of a 2-D or 3-D window for the reference kernels of convolution, deconvolution and
// pooling, always seen as 3-D: a 2-D window gets a leading depth axis of extent 1 (window 1,
// stride 1, no padding), so one loop nest serves both.
#pragma once

#include "common/dims.h"
#include "layers/spatial_utils.h"

#include <algorithm>
#include <cstdint>

namespace kiln::kernels::reference
{

struct Window3
{
    int64_t lead{1}; //!< product of the input axes before the spatial ones (batch and channel)
    int32_t in[3]{1, 1, 1};
    int32_t out[3]{1, 1, 1};
    int32_t window[3]{1, 1, 1};
    int32_t stride[3]{1, 1, 1};
    int32_t dilation[3]{1, 1, 1};
    int32_t pre[3]{0, 0, 0};  //!< leading padding (sliding) or leading crop (transposed)
    int32_t post[3]{0, 0, 0}; //!< trailing padding or crop

    int64_t inPlane() const { return static_cast<int64_t>(in[0]) * in[1] * in[2]; }
    int64_t outPlane() const { return static_cast<int64_t>(out[0]) * out[1] * out[2]; }
    int64_t windowVolume() const { return static_cast<int64_t>(window[0]) * window[1] * window[2]; }

    //! Sliding window: the taps [lo, hi) of axis \p a whose input index o·stride - pre + f·dilation
    //! falls inside the input, for output index \p o.
    void taps(int32_t a, int32_t o, int32_t& lo, int32_t& hi) const
    {
        const int64_t start = static_cast<int64_t>(o) * stride[a] - pre[a];
        lo = static_cast<int32_t>(std::max<int64_t>(0, ceilDiv(-start, dilation[a])));
        hi = static_cast<int32_t>(std::min<int64_t>(window[a], ceilDiv(in[a] - start, dilation[a])));
        hi = std::max(hi, lo);
    }

    static int64_t ceilDiv(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
};

//! The geometry for concrete input/output dims. \p dilation may be nullptr (ones). \p transposed
//! selects the deconvolution padding rule.
inline Window3 makeWindow3(const nvinfer1::Dims& inDims, const nvinfer1::Dims& outDims, const nvinfer1::Dims& window,
    const nvinfer1::Dims& stride, const nvinfer1::Dims* dilation, const nvinfer1::Dims& prePadding,
    const nvinfer1::Dims& postPadding, nvinfer1::PaddingMode mode, bool transposed)
{
    Window3 g;
    const int32_t n = window.nbDims;
    const int32_t inOffset = inDims.nbDims - n;
    const int32_t outOffset = outDims.nbDims - n;
    g.lead = volume(inDims, 0, inOffset);
    for (int32_t i = 0; i < n; ++i)
    {
        const int32_t a = 3 - n + i;
        g.in[a] = inDims.d[inOffset + i];
        g.out[a] = outDims.d[outOffset + i];
        g.window[a] = window.d[i];
        g.stride[a] = stride.d[i];
        g.dilation[a] = dilation ? dilation->d[i] : 1;
        if (transposed)
            layers::transposedPadding(
                mode, g.window[a], g.stride[a], g.dilation[a], prePadding.d[i], postPadding.d[i], g.pre[a], g.post[a]);
        else
            layers::slidingPadding(mode, g.in[a], g.out[a], g.window[a], g.stride[a], g.dilation[a], prePadding.d[i],
                postPadding.d[i], g.pre[a], g.post[a]);
    }
    return g;
}

} // namespace kiln::kernels::reference
