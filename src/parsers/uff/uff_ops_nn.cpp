// Conv, ConvTranspose, Pool, FullyConnected, LRN and BatchNorm. The spatial layers run channels
// first: their input is brought into the layout (C, spatial...) that the data order names, and
// their result keeps that layout (tagged with the output order), so a chain of them needs no
// transposes in between.
#include "uff_ops.h"
#include "uff_orders.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace kiln::uffparser
{

namespace
{

//! Data and (optionally) kernel orders of a spatial op: field 'inputs_orders', else the TF
//! converter's N+C data and \p kernelDefault kernels; the output order from 'outputs_orders', else
//! the data order.
struct SpatialOrders
{
    std::vector<int32_t> data;
    std::vector<int32_t> kernel;
    std::vector<int32_t> output;
};

Status spatialOrders(
    NodeContext& ctx, int32_t rank, bool withKernel, std::vector<int32_t> kernelDefault, SpatialOrders& o)
{
    std::vector<std::vector<int32_t>> orders;
    bool present = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.ordersField(
        "inputs_orders", withKernel ? std::vector<int32_t>{rank, rank} : std::vector<int32_t>{rank}, orders, present));
    o.data = present ? orders[0] : nhwcCanon(rank);
    if (withKernel)
        o.kernel = present ? orders[1] : std::move(kernelDefault);
    KILN_UFF_RETURN_IF_ERROR(ctx.ordersField("outputs_orders", {rank}, orders, present));
    o.output = present ? orders[0] : o.data;
    if (o.data[0] != 0 || o.output[0] != 0)
        return ctx.unsupported("the data order must keep the batch (N) as axis 0");
    return Status::ok();
}

//! A per-spatial-axis list (kernel, strides, dilation): \p ns entries, or one per axis of the
//! rank-\p rank data (then the N and C entries are ignored).
Status spatialList(NodeContext& ctx, const char* name, const std::vector<int32_t>& dataCanon, int32_t ns,
    int64_t fallback, std::vector<int64_t>& out)
{
    bool present = false;
    std::vector<int64_t> values;
    KILN_UFF_RETURN_IF_ERROR(ctx.intsField(name, values, present));
    if (!present)
    {
        if (fallback <= 0)
            return ctx.fail(std::string("field '") + name + "' is missing");
        out.assign(static_cast<size_t>(ns), fallback);
        return Status::ok();
    }
    const auto rank = static_cast<int32_t>(dataCanon.size());
    out.clear();
    if (static_cast<int32_t>(values.size()) == ns)
        out = values;
    else if (static_cast<int32_t>(values.size()) == rank)
    {
        const std::vector<int32_t> axes = axesByCanon(dataCanon);
        for (int32_t j = 0; j < ns; ++j)
            out.push_back(values[static_cast<size_t>(axes[static_cast<size_t>(j) + 2])]);
    }
    else
        return ctx.fail(std::string("field '") + name + "' " + toString(values) + " needs " + std::to_string(ns)
            + " entries (one per spatial axis)");
    for (int64_t v : out)
        if (v < 1 || v > (int64_t{1} << 20))
            return ctx.fail(std::string("field '") + name + "' " + toString(values) + " must hold positive values");
    return Status::ok();
}

//! Pre/post padding of a sliding window: implicit_padding "same" (TF SAME: the extra cell goes at
//! the end), "valid", or the field 'padding' (one value per spatial axis for both sides, or all
//! pre values then all post values).
Status spatialPadding(NodeContext& ctx, const std::vector<int64_t>& in, const std::vector<int64_t>& window,
    const std::vector<int64_t>& strides, std::vector<int64_t>& pre, std::vector<int64_t>& post, bool& same)
{
    const size_t ns = in.size();
    pre.assign(ns, 0);
    post.assign(ns, 0);
    std::string mode;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("implicit_padding", "", mode));
    std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::tolower(c); });
    std::vector<int64_t> explicitPad;
    bool hasExplicit = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.intsField("padding", explicitPad, hasExplicit));
    same = mode == "same";
    if (!mode.empty() && mode != "same" && mode != "valid")
        return ctx.unsupported("implicit_padding '" + mode + "' is not supported (same or valid)");
    if (!mode.empty() && hasExplicit)
        return ctx.fail("has both implicit_padding and padding");
    if (same)
    {
        for (size_t j = 0; j < ns; ++j)
        {
            const int64_t out = (in[j] + strides[j] - 1) / strides[j];
            const int64_t total = std::max<int64_t>((out - 1) * strides[j] + window[j] - in[j], 0);
            pre[j] = total / 2;
            post[j] = total - pre[j];
        }
        return Status::ok();
    }
    if (!hasExplicit)
        return Status::ok();
    if (explicitPad.size() == ns)
        pre = post = explicitPad;
    else if (explicitPad.size() == 2 * ns)
    {
        pre.assign(explicitPad.begin(), explicitPad.begin() + static_cast<std::ptrdiff_t>(ns));
        post.assign(explicitPad.begin() + static_cast<std::ptrdiff_t>(ns), explicitPad.end());
    }
    else
        return ctx.fail("field 'padding' " + toString(explicitPad) + " needs " + std::to_string(ns) + " or "
            + std::to_string(2 * ns) + " entries");
    for (size_t j = 0; j < ns; ++j)
        if (pre[j] < 0 || post[j] < 0 || pre[j] > (int64_t{1} << 20) || post[j] > (int64_t{1} << 20))
            return ctx.fail("field 'padding' " + toString(explicitPad) + " must hold non-negative values");
    return Status::ok();
}

//! The data input of a spatial op in channels-first layout, its spatial extents and channels.
Status spatialInput(
    NodeContext& ctx, const SpatialOrders& o, Value& x, std::vector<int64_t>& spatial, int64_t& channels)
{
    Value in;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, in));
    std::vector<int32_t> perm;
    KILN_UFF_RETURN_IF_ERROR(channelsFirstPerm(o.data, perm));
    KILN_UFF_RETURN_IF_ERROR(toLayout(ctx, in, perm, x));
    const nvinfer1::Dims d = x.tensor->getDimensions();
    channels = d.d[0];
    spatial.assign(d.d + 1, d.d + d.nbDims);
    return Status::ok();
}

Status checkSpatialRank(NodeContext& ctx, int32_t rank)
{
    if (rank != 4 && rank != 5)
        return ctx.unsupported("the data has rank " + std::to_string(rank)
            + "; Kiln's UFF parser handles 2 or 3 spatial axes (rank 4 or 5 with the batch)");
    return Status::ok();
}

nvinfer1::Dims dimsOf(const std::vector<int64_t>& v)
{
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(v.size());
    for (size_t k = 0; k < v.size(); ++k)
        d.d[k] = static_cast<int32_t>(v[k]);
    return d;
}

//! Row-major strides of \p shape.
std::vector<int64_t> stridesOf(const std::vector<int64_t>& shape)
{
    std::vector<int64_t> s(shape.size(), 1);
    for (size_t k = shape.size(); k-- > 1;)
        s[k - 1] = s[k] * shape[k];
    return s;
}

//! The kernel rearranged as {outer, inner, spatial...}: element (o, i, s) comes from the TF kernel
//! at axis \p outerAxis = source(o, i).first, \p innerAxis = source(o, i).second.
template <typename Source>
std::vector<float> rearrangeKernel(const ConstTensor& kernel, const std::vector<int32_t>& kaxes, int64_t outer,
    int64_t inner, const std::vector<int64_t>& ksize, Source source)
{
    const std::vector<int64_t> kstr = stridesOf(kernel.shape);
    int64_t taps = 1;
    for (int64_t k : ksize)
        taps *= k;
    std::vector<float> out(static_cast<size_t>(outer * inner * taps));
    std::vector<int64_t> coord(ksize.size(), 0);
    for (int64_t t = 0; t < taps; ++t)
    {
        int64_t spatialOffset = 0;
        int64_t rest = t;
        for (size_t j = ksize.size(); j-- > 0;)
        {
            coord[j] = rest % ksize[j];
            rest /= ksize[j];
            spatialOffset += coord[j] * kstr[static_cast<size_t>(kaxes[j + 2])];
        }
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i = 0; i < inner; ++i)
            {
                const auto [a0, a1] = source(o, i);
                const int64_t src =
                    spatialOffset + a0 * kstr[static_cast<size_t>(kaxes[0])] + a1 * kstr[static_cast<size_t>(kaxes[1])];
                out[static_cast<size_t>((o * inner + i) * taps + t)] = kernel.f[static_cast<size_t>(src)];
            }
    }
    return out;
}

Status floatKernel(NodeContext& ctx, int32_t index, int32_t rank, ConstPtr& kernel)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.constInput(index, "the kernel", kernel));
    if (kernel->isInt)
        return ctx.unsupported("integer kernels are not supported");
    if (static_cast<int32_t>(kernel->shape.size()) != rank)
        return ctx.fail("the kernel has shape " + toString(kernel->shape) + "; a rank-" + std::to_string(rank)
            + " kernel is needed for rank-" + std::to_string(rank) + " data");
    return Status::ok();
}

} // namespace

Status convertConv(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 2));
    const int32_t rank = ctx.input(0).tfRank();
    KILN_UFF_RETURN_IF_ERROR(checkSpatialRank(ctx, rank));
    ConstPtr kernel;
    KILN_UFF_RETURN_IF_ERROR(floatKernel(ctx, 1, rank, kernel));
    SpatialOrders o;
    KILN_UFF_RETURN_IF_ERROR(spatialOrders(ctx, rank, true, spatialCkCanon(rank), o));
    Value x;
    std::vector<int64_t> in;
    int64_t cin = 0;
    KILN_UFF_RETURN_IF_ERROR(spatialInput(ctx, o, x, in, cin));
    const auto ns = static_cast<int32_t>(in.size());

    const std::vector<int32_t> kaxes = axesByCanon(o.kernel); // K, C, spatial...
    const int64_t kk = kernel->shape[static_cast<size_t>(kaxes[0])];
    const int64_t ck = kernel->shape[static_cast<size_t>(kaxes[1])];
    std::vector<int64_t> ksize;
    for (int32_t j = 0; j < ns; ++j)
        ksize.push_back(kernel->shape[static_cast<size_t>(kaxes[static_cast<size_t>(j) + 2])]);
    int64_t groups = 1;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("number_groups", 1, groups));
    if (groups < 1 || cin % groups != 0)
        return ctx.fail("number_groups " + std::to_string(groups) + " does not divide the " + std::to_string(cin)
            + " input channels");
    int64_t outputs = 0;
    std::vector<float> w;
    if (ck * groups == cin)
    {
        if (kk % groups != 0)
            return ctx.fail("the kernel's " + std::to_string(kk) + " output channels do not split into "
                + std::to_string(groups) + " groups");
        outputs = kk;
        w = rearrangeKernel(*kernel, kaxes, kk, ck, ksize, [](int64_t k, int64_t c) { return std::pair{k, c}; });
    }
    else if (groups > 1 && groups == cin && ck == cin)
    {
        // Depthwise (TF DepthwiseConv2dNative): the kernel is [.., C, multiplier]; output channel
        // c * multiplier + m filters input channel c with kernel (c, m).
        outputs = cin * kk;
        w = rearrangeKernel(*kernel, kaxes, outputs, 1, ksize, [kk](int64_t k, int64_t) {
            return std::pair{k % kk, k / kk};
        });
    }
    else
        return ctx.fail("the kernel " + toString(kernel->shape) + " has " + std::to_string(ck)
            + " input channels; the data has " + std::to_string(cin) + " and number_groups is "
            + std::to_string(groups));

    std::vector<int64_t> strides, dilation;
    KILN_UFF_RETURN_IF_ERROR(spatialList(ctx, "strides", o.data, ns, 1, strides));
    KILN_UFF_RETURN_IF_ERROR(spatialList(ctx, "dilation", o.data, ns, 1, dilation));
    std::vector<int64_t> effective(ksize.size());
    for (size_t j = 0; j < ksize.size(); ++j)
        effective[j] = (ksize[j] - 1) * dilation[j] + 1;
    std::vector<int64_t> pre, post;
    bool same = false;
    KILN_UFF_RETURN_IF_ERROR(spatialPadding(ctx, in, effective, strides, pre, post, same));

    nvinfer1::IConvolutionLayer* conv = ctx.network().addConvolutionNd(
        *x.tensor, static_cast<int32_t>(outputs), dimsOf(ksize), ctx.weights().floats(w), ctx.weights().empty());
    if (conv)
    {
        conv->setStrideNd(dimsOf(strides));
        conv->setDilationNd(dimsOf(dilation));
        conv->setPrePadding(dimsOf(pre));
        conv->setPostPadding(dimsOf(post));
        conv->setNbGroups(static_cast<int32_t>(groups));
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(conv, nullptr, t));
    std::vector<int32_t> perm;
    KILN_UFF_RETURN_IF_ERROR(channelsFirstPerm(o.output, perm));
    ctx.setOutput(t, perm);
    return Status::ok();
}

Status convertConvTranspose(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 3));
    const int32_t rank = ctx.input(0).tfRank();
    KILN_UFF_RETURN_IF_ERROR(checkSpatialRank(ctx, rank));
    ConstPtr kernel;
    KILN_UFF_RETURN_IF_ERROR(floatKernel(ctx, 1, rank, kernel));
    SpatialOrders o;
    KILN_UFF_RETURN_IF_ERROR(spatialOrders(ctx, rank, true, spatialKcCanon(rank), o));
    Value x;
    std::vector<int64_t> in;
    int64_t cin = 0;
    KILN_UFF_RETURN_IF_ERROR(spatialInput(ctx, o, x, in, cin));
    const auto ns = static_cast<int32_t>(in.size());

    const std::vector<int32_t> kaxes = axesByCanon(o.kernel); // K (outputs), C (inputs), spatial...
    const int64_t kk = kernel->shape[static_cast<size_t>(kaxes[0])];
    const int64_t ck = kernel->shape[static_cast<size_t>(kaxes[1])];
    std::vector<int64_t> ksize;
    for (int32_t j = 0; j < ns; ++j)
        ksize.push_back(kernel->shape[static_cast<size_t>(kaxes[static_cast<size_t>(j) + 2])]);
    int64_t groups = 1;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("number_groups", 1, groups));
    if (groups < 1 || cin % groups != 0 || ck != cin)
        return ctx.fail("the kernel " + toString(kernel->shape) + " has " + std::to_string(ck)
            + " input channels; the data has " + std::to_string(cin) + " (number_groups " + std::to_string(groups)
            + ")");
    const int64_t outputs = kk * groups;
    // Kiln's deconvolution kernel is {C, K / groups, spatial...}.
    const std::vector<float> w = rearrangeKernel(*kernel, kaxes, cin, kk, ksize, [](int64_t c, int64_t k) {
        return std::pair{k, c};
    });

    std::vector<int64_t> strides, dilation;
    KILN_UFF_RETURN_IF_ERROR(spatialList(ctx, "strides", o.data, ns, 1, strides));
    KILN_UFF_RETURN_IF_ERROR(spatialList(ctx, "dilation", o.data, ns, 1, dilation));
    std::vector<int64_t> effective(ksize.size()), full(ksize.size());
    for (size_t j = 0; j < ksize.size(); ++j)
    {
        effective[j] = (ksize[j] - 1) * dilation[j] + 1;
        full[j] = (in[j] - 1) * strides[j] + effective[j];
    }
    std::vector<int64_t> pre, post;
    bool same = false;
    KILN_UFF_RETURN_IF_ERROR(spatialPadding(ctx, in, effective, strides, pre, post, same));

    // The output extents: from the output-shape input (full TF shape in the output order, or the
    // spatial extents alone), else what the padding mode gives.
    std::vector<int64_t> size(ksize.size());
    for (size_t j = 0; j < size.size(); ++j)
        size[j] = same ? in[j] * strides[j] : full[j] - pre[j] - post[j];
    if (ctx.nbInputs() == 3)
    {
        ConstPtr shape;
        KILN_UFF_RETURN_IF_ERROR(ctx.constInput(2, "the output shape", shape));
        const std::vector<int32_t> oaxes = axesByCanon(o.output);
        const int64_t n = shape->count();
        if (!shape->isInt || (n != rank && n != ns))
            return ctx.fail("the output shape " + toString(shape->isInt ? shape->i : std::vector<int64_t>{})
                + " must be integers: the TF output shape or its spatial extents");
        for (int32_t j = 0; j < ns; ++j)
            size[static_cast<size_t>(j)] = n == rank ? shape->i[static_cast<size_t>(oaxes[static_cast<size_t>(j) + 2])]
                                                     : shape->i[static_cast<size_t>(j)];
        const int64_t channelEntry = n == rank ? shape->i[static_cast<size_t>(oaxes[1])] : outputs;
        if (channelEntry != outputs && channelEntry != -1)
            return ctx.fail("the output shape " + toString(shape->i) + " has " + std::to_string(channelEntry)
                + " channels; the kernel makes " + std::to_string(outputs));
        for (int32_t j = 0; j < ns; ++j)
        {
            const auto a = static_cast<size_t>(j);
            if (size[a] < 1 || size[a] > (int64_t{1} << 24))
                return ctx.fail("the output shape " + toString(shape->i) + " has a bad spatial extent");
            // The forward convolution of an output of this size must give the input's size.
            const int64_t forward = same ? (size[a] + strides[a] - 1) / strides[a]
                                         : (size[a] + pre[a] + post[a] - effective[a]) / strides[a] + 1;
            if ((!same && size[a] + pre[a] + post[a] < effective[a]) || forward != in[a])
                return ctx.fail("the output shape " + toString(shape->i) + " does not match the input's extent "
                    + std::to_string(in[a]) + " on spatial axis " + std::to_string(j));
        }
    }
    // TF SAME for the transposed convolution: the padding of the forward convolution that maps
    // the output back to the input, extra cell at the end.
    for (size_t j = 0; same && j < size.size(); ++j)
        pre[j] = std::max<int64_t>((in[j] - 1) * strides[j] + effective[j] - size[j], 0) / 2;

    nvinfer1::IDeconvolutionLayer* deconv = ctx.network().addDeconvolutionNd(
        *x.tensor, static_cast<int32_t>(outputs), dimsOf(ksize), ctx.weights().floats(w), ctx.weights().empty());
    if (deconv)
    {
        deconv->setStrideNd(dimsOf(strides));
        deconv->setDilationNd(dimsOf(dilation));
        deconv->setNbGroups(static_cast<int32_t>(groups));
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(deconv, nullptr, t));
    // The full result is cropped (or extended with zeros) to the output extents.
    if (pre != std::vector<int64_t>(pre.size(), 0) || size != full)
    {
        std::vector<int64_t> start{0}, extent{outputs}, step(static_cast<size_t>(ns) + 1, 1);
        start.insert(start.end(), pre.begin(), pre.end());
        extent.insert(extent.end(), size.begin(), size.end());
        nvinfer1::ISliceLayer* slice = ctx.network().addSlice(*t, dimsOf(start), dimsOf(extent), dimsOf(step));
        if (slice)
            slice->setMode(nvinfer1::SliceMode::kFILL);
        KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(slice, "crop", t));
    }
    std::vector<int32_t> perm;
    KILN_UFF_RETURN_IF_ERROR(channelsFirstPerm(o.output, perm));
    ctx.setOutput(t, perm);
    return Status::ok();
}

Status convertPool(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    const int32_t rank = ctx.input(0).tfRank();
    KILN_UFF_RETURN_IF_ERROR(checkSpatialRank(ctx, rank));
    SpatialOrders o;
    KILN_UFF_RETURN_IF_ERROR(spatialOrders(ctx, rank, false, {}, o));
    std::string func;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("func", "", func));
    nvinfer1::PoolingType type = nvinfer1::PoolingType::kMAX;
    if (func == "avg")
        type = nvinfer1::PoolingType::kAVERAGE;
    else if (func != "max")
        return ctx.unsupported("pooling function '" + func + "' is not supported (max or avg)");
    Value x;
    std::vector<int64_t> in;
    int64_t channels = 0;
    KILN_UFF_RETURN_IF_ERROR(spatialInput(ctx, o, x, in, channels));
    const auto ns = static_cast<int32_t>(in.size());
    std::vector<int64_t> window, strides, pre, post;
    KILN_UFF_RETURN_IF_ERROR(spatialList(ctx, "kernel", o.data, ns, 0, window));
    KILN_UFF_RETURN_IF_ERROR(spatialList(ctx, "strides", o.data, ns, 1, strides));
    bool same = false;
    KILN_UFF_RETURN_IF_ERROR(spatialPadding(ctx, in, window, strides, pre, post, same));
    nvinfer1::IPoolingLayer* pool = ctx.network().addPoolingNd(*x.tensor, type, dimsOf(window));
    if (pool)
    {
        pool->setStrideNd(dimsOf(strides));
        pool->setPrePadding(dimsOf(pre));
        pool->setPostPadding(dimsOf(post));
        // TF averages over the cells inside the input only.
        pool->setAverageCountExcludesPadding(true);
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(pool, nullptr, t));
    std::vector<int32_t> perm;
    KILN_UFF_RETURN_IF_ERROR(channelsFirstPerm(o.output, perm));
    ctx.setOutput(t, perm);
    return Status::ok();
}

Status convertFullyConnected(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 2));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    if (x.tfRank() != 2)
        return ctx.unsupported(
            "the data has TF shape " + toString(x.tfShape()) + "; FullyConnected takes [N, C] (flatten first)");
    ConstPtr kernel;
    KILN_UFF_RETURN_IF_ERROR(floatKernel(ctx, 1, 2, kernel));
    std::vector<std::vector<int32_t>> orders;
    bool present = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.ordersField("inputs_orders", {2, 2}, orders, present));
    const std::vector<int32_t> dataCanon = present ? orders[0] : std::vector<int32_t>{0, 1};
    const std::vector<int32_t> kernelCanon = present ? orders[1] : std::vector<int32_t>{1, 0}; // CK
    if (dataCanon != std::vector<int32_t>{0, 1})
        return ctx.unsupported("the data order must be NC");
    const std::vector<int32_t> kaxes = axesByCanon(kernelCanon); // K, C
    const int64_t channels = x.tensor->getDimensions().d[0];
    const int64_t outputs = kernel->shape[static_cast<size_t>(kaxes[0])];
    if (kernel->shape[static_cast<size_t>(kaxes[1])] != channels)
        return ctx.fail("the kernel " + toString(kernel->shape) + " takes "
            + std::to_string(kernel->shape[static_cast<size_t>(kaxes[1])]) + " inputs; the data has "
            + std::to_string(channels));
    // Kiln's kernel is {K, C}.
    const std::vector<float> w = rearrangeKernel(*kernel, kaxes, outputs, channels, {}, [](int64_t k, int64_t c) {
        return std::pair{k, c};
    });
    Value col;
    KILN_UFF_RETURN_IF_ERROR(reshapeTo(ctx, x, {channels, 1, 1}, col));
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addFullyConnected(*col.tensor, static_cast<int32_t>(outputs),
                                                 ctx.weights().floats(w), ctx.weights().empty()),
        nullptr, t));
    Value fc;
    fc.tensor = t;
    fc.perm = {0, 1, 2};
    Value out;
    KILN_UFF_RETURN_IF_ERROR(reshapeTo(ctx, fc, {outputs}, out));
    ctx.setOutput(out);
    return Status::ok();
}

Status convertLRN(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    const int32_t rank = ctx.input(0).tfRank();
    if (rank != 4)
        return ctx.unsupported("LRN takes rank-4 data; this has rank " + std::to_string(rank));
    SpatialOrders o;
    KILN_UFF_RETURN_IF_ERROR(spatialOrders(ctx, rank, false, {}, o));
    int64_t radius = 0;
    double alpha = 0, beta = 0, k = 0;
    // TF's LRN: window_size is TF's depth_radius; y = x / (k + alpha * sum over 2r+1 channels)^beta.
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("window_size", 5, radius));
    KILN_UFF_RETURN_IF_ERROR(ctx.doubleField("alpha", 1.0, alpha));
    KILN_UFF_RETURN_IF_ERROR(ctx.doubleField("beta", 0.5, beta));
    KILN_UFF_RETURN_IF_ERROR(ctx.doubleField("k", 1.0, k));
    if (radius < 0 || radius > 7)
        return ctx.unsupported("window_size (depth radius) " + std::to_string(radius) + " is outside [0, 7]");
    const auto window = static_cast<int32_t>(2 * radius + 1);
    Value x;
    std::vector<int64_t> in;
    int64_t channels = 0;
    KILN_UFF_RETURN_IF_ERROR(spatialInput(ctx, o, x, in, channels));
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addLRN(*x.tensor, window, static_cast<float>(alpha * window),
                                                 static_cast<float>(beta), static_cast<float>(k)),
        nullptr, t));
    ctx.setOutput(t, x.perm);
    return Status::ok();
}

Status convertBatchNorm(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(5, 5));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    const int32_t rank = x.tfRank();
    if (rank < 2)
        return ctx.fail("the data has no channel axis");
    std::vector<std::vector<int32_t>> orders;
    bool present = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.ordersField("inputs_orders", {rank}, orders, present));
    const std::vector<int32_t> canon = present ? orders[0] : nhwcCanon(rank);
    if (canon[0] != 0)
        return ctx.unsupported("the data order must keep the batch (N) as axis 0");
    const int32_t channelAxis = axesByCanon(canon)[1];
    const int64_t channels = x.tfShape()[static_cast<size_t>(channelAxis)];
    double epsilon = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.doubleField("epsilon", 1e-4, epsilon));
    const char* names[] = {"gamma", "beta", "moving_mean", "moving_variance"};
    std::vector<ConstPtr> params(4);
    for (int32_t k = 0; k < 4; ++k)
    {
        KILN_UFF_RETURN_IF_ERROR(ctx.constInput(k + 1, names[k], params[static_cast<size_t>(k)]));
        const int64_t n = params[static_cast<size_t>(k)]->count();
        if (n != channels && n != 1)
            return ctx.fail(std::string(names[k]) + " has " + std::to_string(n) + " values for "
                + std::to_string(channels) + " channels");
    }
    std::vector<float> scale(static_cast<size_t>(channels)), shift(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c)
    {
        auto at = [&](int32_t k) {
            const ConstTensor& p = *params[static_cast<size_t>(k)];
            return p.at(p.count() == 1 ? 0 : c);
        };
        const double s = at(0) / std::sqrt(at(3) + epsilon);
        scale[static_cast<size_t>(c)] = static_cast<float>(s);
        shift[static_cast<size_t>(c)] = static_cast<float>(at(1) - at(2) * s);
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(
        ctx.layerOutput(ctx.network().addScaleNd(*x.tensor, nvinfer1::ScaleMode::kCHANNEL, ctx.weights().floats(shift),
                            ctx.weights().floats(scale), ctx.weights().empty(), x.netAxis(channelAxis)),
            nullptr, t));
    ctx.setOutput(t, x.perm);
    return Status::ok();
}

} // namespace kiln::uffparser
