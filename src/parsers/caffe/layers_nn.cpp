// Caffe layers with weights: Convolution, Deconvolution, InnerProduct, BatchNorm, Scale, Bias,
// PReLU; and the windowed ones: Pooling, LRN. Weight layouts are Caffe's (FORMATS.md, Caffe 3.2).
#include "caffe_context.h"

#include <cmath>
#include <cstdint>
#include <string>

namespace kiln
{
namespace caffeparser
{
namespace
{

using nvinfer1::Dims;
using nvinfer1::DimsHW;
using nvinfer1::ITensor;

//! Deterministic stand-in weights for a parse without a caffemodel: uniform in ±scale, seeded by
//! the layer name and blob index so that the same deploy file always builds the same network.
std::function<float(int64_t)> generated(const LayerContext& ctx, int blobIndex, float scale, float offset = 0.f)
{
    uint32_t seed = 2166136261u;
    for (char c : ctx.name())
        seed = (seed ^ static_cast<uint8_t>(c)) * 16777619u;
    seed ^= static_cast<uint32_t>(blobIndex + 1) * 0x9E3779B9u;
    return [seed, scale, offset](int64_t i) {
        uint32_t x = seed ^ static_cast<uint32_t>(i * 2654435761u);
        x ^= x >> 16, x *= 0x7FEB352Du, x ^= x >> 15, x *= 0x846CA68Bu, x ^= x >> 16;
        return offset + scale * (static_cast<float>(x) / 4294967295.f * 2.f - 1.f);
    };
}

struct Geometry
{
    int32_t kh{0}, kw{0}, sh{1}, sw{1}, ph{0}, pw{0}, dh{1}, dw{1};
};

//! Kernel, stride, pad and dilation of a Convolution/Deconvolution: the _h/_w fields win over the
//! repeated ones; a single repeated value applies to both axes.
bool convGeometry(const LayerContext& ctx, const kiln::caffe::ConvolutionParameter& p, Geometry& g)
{
    auto pick = [&](const google::protobuf::RepeatedField<uint32_t>& list, bool hasH, uint32_t h, bool hasW,
                    uint32_t w, int32_t fallback, int32_t& outH, int32_t& outW, const char* what) {
        if (hasH || hasW)
        {
            if (!(hasH && hasW) || list.size() > 0)
                return ctx.fail(std::string("give both ") + what + "_h and " + what + "_w, and no " + what);
            outH = static_cast<int32_t>(h), outW = static_cast<int32_t>(w);
            return true;
        }
        if (list.size() == 0)
            outH = outW = fallback;
        else if (list.size() == 1)
            outH = outW = static_cast<int32_t>(list.Get(0));
        else if (list.size() == 2)
            outH = static_cast<int32_t>(list.Get(0)), outW = static_cast<int32_t>(list.Get(1));
        else
            return ctx.fail(std::string(what) + " has " + std::to_string(list.size())
                + " values; Kiln's Caffe parser supports 2-D convolutions");
        return true;
    };
    if (!pick(p.kernel_size(), p.has_kernel_h(), p.kernel_h(), p.has_kernel_w(), p.kernel_w(), 0, g.kh, g.kw, "kernel"))
        return false;
    if (!pick(p.stride(), p.has_stride_h(), p.stride_h(), p.has_stride_w(), p.stride_w(), 1, g.sh, g.sw, "stride"))
        return false;
    if (!pick(p.pad(), p.has_pad_h(), p.pad_h(), p.has_pad_w(), p.pad_w(), 0, g.ph, g.pw, "pad"))
        return false;
    if (!pick(p.dilation(), false, 0, false, 0, 1, g.dh, g.dw, "dilation"))
        return false;
    const int32_t limit = 1 << 16;
    if (g.kh <= 0 || g.kw <= 0 || g.kh > limit || g.kw > limit)
        return ctx.fail("the kernel size must be positive (kernel_size or kernel_h/kernel_w)");
    if (g.sh <= 0 || g.sw <= 0 || g.dh <= 0 || g.dw <= 0 || g.sh > limit || g.sw > limit || g.dh > limit
        || g.dw > limit || g.ph > limit || g.pw > limit)
        return ctx.fail("stride and dilation must be positive and every value below 65536");
    if (p.axis() != 1)
        return ctx.fail("axis " + std::to_string(p.axis()) + " is not supported; the channel axis must be 1");
    return true;
}

//! Channels of \p t (Caffe axis 1), or -1 with an error when the tensor has too few axes.
int32_t channels(const LayerContext& ctx, const ITensor& t, int32_t minRank)
{
    const Dims d = t.getDimensions();
    const int32_t axis = ctx.implicitBatch ? 0 : 1;
    if (d.nbDims < minRank || d.d[axis] <= 0)
    {
        ctx.fail("the bottom has dimensions of rank " + std::to_string(d.nbDims) + "; expected a blob with "
            + std::to_string(minRank + (ctx.implicitBatch ? 1 : 0)) + " axes and a known channel count");
        return -1;
    }
    return d.d[axis];
}

bool convolutionLike(LayerContext& ctx, bool deconvolution)
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.convolution_param();
    Geometry g;
    if (!convGeometry(ctx, p, g))
        return false;
    const int32_t spatialRank = ctx.implicitBatch ? 3 : 4;
    const int32_t c = channels(ctx, *ctx.inputs[0], spatialRank);
    if (c < 0)
        return false;
    if (ctx.inputs[0]->getDimensions().nbDims != spatialRank)
        return ctx.fail("expects a 4-D blob (N, C, H, W)");
    const int64_t k = p.num_output();
    const int64_t groups = p.group();
    if (k <= 0 || groups <= 0 || c % groups != 0 || k % groups != 0)
        return ctx.fail("num_output " + std::to_string(k) + ", group " + std::to_string(groups) + " and "
            + std::to_string(c) + " input channels do not fit: both counts must be positive multiples of group");
    const int64_t kernelCount = deconvolution ? int64_t{c} * (k / groups) * g.kh * g.kw
                                              : k * (c / groups) * g.kh * g.kw;
    if (kernelCount > (int64_t{1} << 31))
        return ctx.fail("the kernel would hold more than 2^31 weights");
    std::vector<float> kernel, bias;
    const float fanIn = static_cast<float>((deconvolution ? k / groups : c / groups) * g.kh * g.kw);
    if (!ctx.blob(0, kernelCount, kernel, generated(ctx, 0, 1.f / std::sqrt(fanIn))))
        return false;
    if (p.bias_term() && !ctx.blob(1, k, bias, generated(ctx, 1, 0.1f)))
        return false;
    if (ctx.blobs && ctx.blobCount() > (p.bias_term() ? 2 : 1))
        return ctx.fail("the caffemodel has " + std::to_string(ctx.blobCount()) + " blobs for this layer; bias_term "
            + (p.bias_term() ? "true expects 2" : "false expects 1"));
    const nvinfer1::Weights kernelWeights = ctx.weights.make(kernel);
    const nvinfer1::Weights biasWeights = p.bias_term() ? ctx.weights.make(bias) : nvinfer1::Weights{ctx.weights.type(), nullptr, 0};
    const Dims kernelSize = DimsHW{g.kh, g.kw};
    nvinfer1::ILayer* created;
    if (deconvolution)
    {
        auto* layer = ctx.network.addDeconvolutionNd(*ctx.inputs[0], static_cast<int32_t>(k), kernelSize, kernelWeights,
            biasWeights);
        if (!ctx.check(layer))
            return false;
        layer->setStrideNd(DimsHW{g.sh, g.sw});
        layer->setPaddingNd(DimsHW{g.ph, g.pw});
        layer->setDilationNd(DimsHW{g.dh, g.dw});
        layer->setNbGroups(static_cast<int32_t>(groups));
        created = layer;
    }
    else
    {
        auto* layer = ctx.network.addConvolutionNd(*ctx.inputs[0], static_cast<int32_t>(k), kernelSize, kernelWeights,
            biasWeights);
        if (!ctx.check(layer))
            return false;
        layer->setStrideNd(DimsHW{g.sh, g.sw});
        layer->setPaddingNd(DimsHW{g.ph, g.pw});
        layer->setDilationNd(DimsHW{g.dh, g.dw});
        layer->setNbGroups(static_cast<int32_t>(groups));
        created = layer;
    }
    ctx.outputs.push_back(created->getOutput(0));
    return ctx.outputs.back() != nullptr || ctx.fail("the layer has no output");
}

KILN_CAFFE_LAYER("Convolution")
{
    return convolutionLike(ctx, false);
}

KILN_CAFFE_LAYER("Deconvolution")
{
    return convolutionLike(ctx, true);
}

KILN_CAFFE_LAYER("Pooling")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.pooling_param();
    ITensor& input = *ctx.inputs[0];
    const Dims d = input.getDimensions();
    const int32_t spatialRank = ctx.implicitBatch ? 3 : 4;
    if (d.nbDims != spatialRank)
        return ctx.fail("expects a 4-D blob (N, C, H, W)");
    nvinfer1::PoolingType type;
    switch (p.pool())
    {
    case kiln::caffe::PoolingParameter::MAX: type = nvinfer1::PoolingType::kMAX; break;
    case kiln::caffe::PoolingParameter::AVE: type = nvinfer1::PoolingType::kAVERAGE; break;
    default: return ctx.fail("STOCHASTIC pooling is a training-time method and is not supported");
    }
    int32_t kh, kw, sh, sw, ph, pw;
    if (p.global_pooling())
    {
        if (p.has_kernel_size() || p.has_kernel_h() || p.has_kernel_w())
            return ctx.fail("global_pooling takes no kernel size");
        kh = d.d[d.nbDims - 2], kw = d.d[d.nbDims - 1];
        sh = sw = 1, ph = pw = 0;
        if (kh <= 0 || kw <= 0)
            return ctx.fail("global pooling needs known H and W");
    }
    else
    {
        if (p.has_kernel_size() == (p.has_kernel_h() || p.has_kernel_w()) || p.has_kernel_h() != p.has_kernel_w())
            return ctx.fail("give either kernel_size or both kernel_h and kernel_w");
        kh = static_cast<int32_t>(p.has_kernel_size() ? p.kernel_size() : p.kernel_h());
        kw = static_cast<int32_t>(p.has_kernel_size() ? p.kernel_size() : p.kernel_w());
        sh = static_cast<int32_t>(p.has_stride_h() ? p.stride_h() : p.stride());
        sw = static_cast<int32_t>(p.has_stride_w() ? p.stride_w() : p.stride());
        ph = static_cast<int32_t>(p.has_pad_h() ? p.pad_h() : p.pad());
        pw = static_cast<int32_t>(p.has_pad_w() ? p.pad_w() : p.pad());
    }
    const int32_t limit = 1 << 16;
    if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || kh > limit || kw > limit || sh > limit || sw > limit || ph < 0
        || pw < 0 || ph > limit || pw > limit)
        return ctx.fail("kernel and stride must be positive and below 65536");
    if (ph >= kh || pw >= kw)
        return ctx.fail("the padding must be smaller than the kernel");
    nvinfer1::IPoolingLayer* layer = ctx.network.addPoolingNd(input, type, DimsHW{kh, kw});
    if (!ctx.check(layer))
        return false;
    layer->setStrideNd(DimsHW{sh, sw});
    layer->setPaddingNd(DimsHW{ph, pw});
    // Caffe rounds the output size up (unless round_mode is FLOOR), drops a last window that would
    // start in the padding, and divides averages by the window clipped to the padded input.
    layer->setPaddingMode(p.round_mode() == kiln::caffe::PoolingParameter::FLOOR ? nvinfer1::PaddingMode::kCAFFE_ROUND_DOWN
                                                                               : nvinfer1::PaddingMode::kCAFFE_ROUND_UP);
    layer->setAverageCountExcludesPadding(false);
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

//! Caffe's InnerProduct flattens every axis from `axis` on; Kiln's FullyConnected flattens the
//! last three, so other ranks are reshaped to {..., K, 1, 1} first.
KILN_CAFFE_LAYER("InnerProduct")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.inner_product_param();
    ITensor* input = ctx.inputs[0];
    int32_t axis;
    if (!ctx.tensorAxis(*input, p.axis(), axis))
        return false;
    const Dims d = input->getDimensions();
    int64_t kIn = 1;
    for (int32_t i = axis; i < d.nbDims; ++i)
    {
        if (d.d[i] <= 0)
            return ctx.fail("needs known dimensions after the axis");
        kIn *= d.d[i];
    }
    if (kIn > (int64_t{1} << 31))
        return ctx.fail("the input has too many values per item");
    if (d.nbDims - axis != 3)
    {
        if (axis + 3 > Dims::MAX_DIMS)
            return ctx.fail("the input has too many axes");
        Dims flat{};
        flat.nbDims = axis + 3;
        for (int32_t i = 0; i < axis; ++i)
            flat.d[i] = d.d[i];
        flat.d[axis] = static_cast<int32_t>(kIn);
        flat.d[axis + 1] = flat.d[axis + 2] = 1;
        input = ctx.reshape(*input, flat, "flatten");
        if (!input)
            return false;
    }
    const int64_t n = p.num_output();
    if (n <= 0 || n * kIn > (int64_t{1} << 31))
        return ctx.fail("num_output must be positive (and the kernel below 2^31 weights)");
    std::vector<float> kernel, bias;
    if (!ctx.blob(0, n * kIn, kernel, generated(ctx, 0, 1.f / std::sqrt(static_cast<float>(kIn)))))
        return false;
    if (p.transpose())
    {
        // Stored {K, num_output}: Kiln wants {num_output, K}.
        std::vector<float> t(kernel.size());
        for (int64_t i = 0; i < kIn; ++i)
            for (int64_t o = 0; o < n; ++o)
                t[static_cast<size_t>(o * kIn + i)] = kernel[static_cast<size_t>(i * n + o)];
        kernel.swap(t);
    }
    if (p.bias_term() && !ctx.blob(1, n, bias, generated(ctx, 1, 0.1f)))
        return false;
    nvinfer1::IFullyConnectedLayer* layer = ctx.network.addFullyConnected(*input, static_cast<int32_t>(n),
        ctx.weights.make(kernel), p.bias_term() ? ctx.weights.make(bias) : nvinfer1::Weights{ctx.weights.type(), nullptr, 0});
    if (!ctx.check(layer))
        return false;
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

KILN_CAFFE_LAYER("LRN")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.lrn_param();
    const int32_t size = static_cast<int32_t>(p.local_size());
    if (size <= 0 || size % 2 == 0 || size > 15)
        return ctx.fail("local_size " + std::to_string(size) + " must be odd and between 1 and 15");
    ITensor& input = *ctx.inputs[0];
    if (p.norm_region() == kiln::caffe::LRNParameter::ACROSS_CHANNELS)
    {
        nvinfer1::ILRNLayer* layer = ctx.network.addLRN(input, size, p.alpha(), p.beta(), p.k());
        if (!ctx.check(layer))
            return false;
        ctx.outputs.push_back(layer->getOutput(0));
        return true;
    }
    // WITHIN_CHANNEL, as Caffe computes it: x · (1 + alpha · avgpool_{size×size}(x²))^(−beta), the
    // average over a zero-padded window that counts the padding (k is not used).
    auto* square = ctx.network.addElementWise(input, input, nvinfer1::ElementWiseOperation::kPROD);
    if (!ctx.check(square, "square"))
        return false;
    auto* pool = ctx.network.addPoolingNd(*square->getOutput(0), nvinfer1::PoolingType::kAVERAGE, DimsHW{size, size});
    if (!ctx.check(pool, "window"))
        return false;
    pool->setPaddingNd(DimsHW{(size - 1) / 2, (size - 1) / 2});
    pool->setAverageCountExcludesPadding(false);
    std::vector<float> shift{1.f}, scale{p.alpha()}, power{-p.beta()};
    auto* denominator = ctx.network.addScale(*pool->getOutput(0), nvinfer1::ScaleMode::kUNIFORM,
        ctx.weights.makeFloat(shift), ctx.weights.makeFloat(scale), ctx.weights.makeFloat(power));
    if (!ctx.check(denominator, "scale"))
        return false;
    auto* product = ctx.network.addElementWise(input, *denominator->getOutput(0), nvinfer1::ElementWiseOperation::kPROD);
    if (!ctx.check(product))
        return false;
    ctx.outputs.push_back(product->getOutput(0));
    return true;
}

//! y = x·scale + shift per channel (Caffe axis 1), through IScaleLayer on the channel axis.
bool channelAffine(LayerContext& ctx, ITensor& input, const std::vector<float>& scale, const std::vector<float>& shift,
    const std::string& suffix = "")
{
    int32_t axis;
    if (!ctx.tensorAxis(input, 1, axis))
        return false;
    const bool uniform = scale.size() == 1 && shift.size() <= 1;
    nvinfer1::IScaleLayer* layer = ctx.network.addScaleNd(input,
        uniform ? nvinfer1::ScaleMode::kUNIFORM : nvinfer1::ScaleMode::kCHANNEL,
        shift.empty() ? nvinfer1::Weights{ctx.weights.type(), nullptr, 0} : ctx.weights.make(shift),
        scale.empty() ? nvinfer1::Weights{ctx.weights.type(), nullptr, 0} : ctx.weights.make(scale),
        nvinfer1::Weights{ctx.weights.type(), nullptr, 0}, axis);
    if (!ctx.check(layer, suffix))
        return false;
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

KILN_CAFFE_LAYER("BatchNorm")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const int32_t c = channels(ctx, *ctx.inputs[0], ctx.implicitBatch ? 1 : 2);
    if (c < 0)
        return false;
    std::vector<float> mean, variance, factor;
    if (!ctx.blob(0, c, mean, generated(ctx, 0, 0.1f)) || !ctx.blob(1, c, variance, generated(ctx, 1, 0.25f, 1.f))
        || !ctx.blob(2, 1, factor, [](int64_t) { return 1.f; }))
        return false;
    // Caffe stores running sums; the statistics are sum / factor, and 0 when the factor is 0.
    const float f = factor[0] == 0.f ? 0.f : 1.f / factor[0];
    const float eps = ctx.layer.batch_norm_param().eps();
    std::vector<float> scale(static_cast<size_t>(c)), shift(static_cast<size_t>(c));
    for (size_t i = 0; i < scale.size(); ++i)
    {
        const double var = static_cast<double>(variance[i]) * f;
        if (var + eps <= 0.0)
            return ctx.fail("channel " + std::to_string(i) + " has variance + eps <= 0");
        const double s = 1.0 / std::sqrt(var + eps);
        scale[i] = static_cast<float>(s);
        shift[i] = static_cast<float>(-static_cast<double>(mean[i]) * f * s);
    }
    return channelAffine(ctx, *ctx.inputs[0], scale, shift);
}

KILN_CAFFE_LAYER("Scale")
{
    if (!ctx.expectInputs(1, 1))
        return ctx.inputs.size() == 2 ? ctx.fail("a Scale with the factor as a second bottom is not supported")
                                      : false;
    const auto& p = ctx.layer.scale_param();
    if (p.axis() != 1 && !(p.axis() == -3 && ctx.inputs[0]->getDimensions().nbDims + (ctx.implicitBatch ? 1 : 0) == 4))
        return ctx.fail("axis " + std::to_string(p.axis()) + " is not supported; Kiln scales along axis 1");
    if (p.num_axes() != 1 && p.num_axes() != 0)
        return ctx.fail("num_axes " + std::to_string(p.num_axes()) + " is not supported (0 or 1)");
    const int32_t c = p.num_axes() == 0 ? 1 : channels(ctx, *ctx.inputs[0], ctx.implicitBatch ? 1 : 2);
    if (c < 0)
        return false;
    std::vector<float> scale, shift;
    if (!ctx.blob(0, c, scale, generated(ctx, 0, 0.25f, 1.f)))
        return false;
    if (p.bias_term() && !ctx.blob(1, c, shift, generated(ctx, 1, 0.1f)))
        return false;
    return channelAffine(ctx, *ctx.inputs[0], scale, shift);
}

KILN_CAFFE_LAYER("Bias")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.bias_param();
    if (p.axis() != 1 || p.num_axes() != 1)
        return ctx.fail("only axis 1 with num_axes 1 is supported");
    const int32_t c = channels(ctx, *ctx.inputs[0], ctx.implicitBatch ? 1 : 2);
    if (c < 0)
        return false;
    std::vector<float> shift;
    if (!ctx.blob(0, c, shift, generated(ctx, 0, 0.1f)))
        return false;
    return channelAffine(ctx, *ctx.inputs[0], std::vector<float>(static_cast<size_t>(c), 1.f), shift);
}

KILN_CAFFE_LAYER("PReLU")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    ITensor& input = *ctx.inputs[0];
    const bool shared = ctx.layer.prelu_param().channel_shared();
    const int32_t c = shared ? 1 : channels(ctx, input, ctx.implicitBatch ? 1 : 2);
    if (c < 0)
        return false;
    std::vector<float> slope;
    if (!ctx.blob(0, c, slope, [](int64_t) { return 0.25f; }))
        return false;
    int32_t axis = 0;
    if (!shared && !ctx.tensorAxis(input, 1, axis))
        return false;
    ITensor* slopes = ctx.channelConstant(slope, input.getDimensions().nbDims, shared ? -1 : axis, "slope");
    if (!slopes)
        return false;
    nvinfer1::IParametricReLULayer* layer = ctx.network.addParametricReLU(input, *slopes);
    if (!ctx.check(layer))
        return false;
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

} // namespace
} // namespace caffeparser
} // namespace kiln
