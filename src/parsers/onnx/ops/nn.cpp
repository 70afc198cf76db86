// Neural-network operators: convolution, pooling, normalization, matrix products and softmax.
// Resize/Upsample are in resize.cpp, QuantizeLinear/DequantizeLinear in quantize.cpp.
#include "helpers.h"
#include "shape_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;

//! Spatial attributes shared by Conv, ConvTranspose and the pools.
struct Window
{
    std::vector<int64_t> kernel, strides, dilations, pre, post;
    nvinfer1::PaddingMode mode{nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN};
};

OnnxExpected<Window> readWindow(Node& node, int32_t spatial, std::vector<int64_t> kernel)
{
    Window w;
    w.kernel = node.attrs.ints("kernel_shape", kernel);
    KILN_ONNX_CHECK(static_cast<int32_t>(w.kernel.size()) == spatial, kINVALID_NODE,
        "kernel_shape has " + std::to_string(w.kernel.size()) + " entries for " + std::to_string(spatial) + " spatial axes");
    w.strides = node.attrs.ints("strides", std::vector<int64_t>(static_cast<size_t>(spatial), 1));
    w.dilations = node.attrs.ints("dilations", std::vector<int64_t>(static_cast<size_t>(spatial), 1));
    std::vector<int64_t> pads = node.attrs.ints("pads", std::vector<int64_t>(static_cast<size_t>(2 * spatial), 0));
    KILN_ONNX_CHECK(static_cast<int32_t>(w.strides.size()) == spatial && static_cast<int32_t>(w.dilations.size()) == spatial
            && static_cast<int32_t>(pads.size()) == 2 * spatial,
        kINVALID_NODE, "strides, dilations or pads do not match the spatial rank");
    w.pre.assign(pads.begin(), pads.begin() + spatial);
    w.post.assign(pads.begin() + spatial, pads.end());
    const std::string autoPad = node.attrs.s("auto_pad", "NOTSET");
    if (autoPad == "SAME_UPPER")
        w.mode = nvinfer1::PaddingMode::kSAME_UPPER;
    else if (autoPad == "SAME_LOWER")
        w.mode = nvinfer1::PaddingMode::kSAME_LOWER;
    else if (autoPad == "VALID")
    {
        std::fill(w.pre.begin(), w.pre.end(), 0);
        std::fill(w.post.begin(), w.post.end(), 0);
    }
    else if (autoPad != "NOTSET")
        return KILN_ONNX_ERROR(kINVALID_NODE, "unknown auto_pad '" + autoPad + "'");
    if (node.attrs.i("ceil_mode", 0) != 0 && w.mode == nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN)
        w.mode = nvinfer1::PaddingMode::kEXPLICIT_ROUND_UP;
    return w;
}

//! 1-D spatial inputs run as 2-D with a trailing extent-1 axis.
ITensor* to2d(Node& node, ITensor* x) { return unsqueeze(node.ctx, x, {x->getDimensions().nbDims}); }
ITensor* from2d(Node& node, ITensor* x) { return squeeze(node.ctx, x, {x->getDimensions().nbDims - 1}); }

void extend1d(Window& w)
{
    w.kernel.push_back(1);
    w.strides.push_back(1);
    w.dilations.push_back(1);
    w.pre.push_back(0);
    w.post.push_back(0);
}

ITensor* reduceAxes(Node& node, ITensor* x, nvinfer1::ReduceOperation op, uint32_t axes, bool keep)
{
    if (!x)
        return nullptr;
    nvinfer1::IReduceLayer* l = node.network().addReduce(*x, op, axes, keep);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* scalarLike(Node& node, ITensor* x, double v)
{
    return scalarConstant(node.ctx, x->getType(), v, x->getDimensions().nbDims);
}

ShapedWeights zerosWeights(Node& node, int64_t n)
{
    return makeWeights(node.arena(), DataType::kFLOAT, {n});
}

} // namespace

KILN_ONNX_IMPORTER(Conv)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(node.has(1) && node.input(1).isWeights(), kUNSUPPORTED_NODE, "the weights W must be a constant");
    const ShapedWeights& w = node.input(1).weights();
    const int32_t rank = x->getDimensions().nbDims;
    KILN_ONNX_CHECK(rank >= 3 && rank <= 5 && static_cast<int32_t>(w.shape.size()) == rank, kUNSUPPORTED_NODE,
        "1-D, 2-D and 3-D convolutions are supported (input rank " + std::to_string(rank) + ")");
    const int32_t spatial = rank - 2;
    KILN_ONNX_ASSIGN(Window win, readWindow(node, spatial, std::vector<int64_t>(w.shape.begin() + 2, w.shape.end())));
    nvinfer1::Weights bias{DataType::kFLOAT, nullptr, 0};
    if (node.has(2))
    {
        KILN_ONNX_CHECK(node.input(2).isWeights(), kUNSUPPORTED_NODE, "the bias B must be a constant");
        bias = node.input(2).weights().trt();
    }
    nvinfer1::Weights kernel = w.trt();
    const bool oneD = spatial == 1;
    if (oneD)
    {
        x = to2d(node, x);
        extend1d(win);
    }
    KILN_ONNX_NOT_NULL(x);
    nvinfer1::IConvolutionLayer* l = node.network().addConvolutionNd(*x, static_cast<int32_t>(w.shape[0]), makeDims(win.kernel), kernel, bias);
    KILN_ONNX_NOT_NULL(l);
    l->setStrideNd(makeDims(win.strides));
    l->setDilationNd(makeDims(win.dilations));
    l->setPrePadding(makeDims(win.pre));
    l->setPostPadding(makeDims(win.post));
    l->setPaddingMode(win.mode);
    l->setNbGroups(static_cast<int32_t>(node.attrs.i("group", 1)));
    ITensor* out = l->getOutput(0);
    if (oneD)
        out = from2d(node, out);
    return single(out);
}

KILN_ONNX_IMPORTER(ConvTranspose)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(node.has(1) && node.input(1).isWeights(), kUNSUPPORTED_NODE, "the weights W must be a constant");
    const ShapedWeights& w = node.input(1).weights();
    const Dims d = x->getDimensions();
    const int32_t rank = d.nbDims;
    KILN_ONNX_CHECK(rank >= 3 && rank <= 5 && static_cast<int32_t>(w.shape.size()) == rank, kUNSUPPORTED_NODE,
        "1-D, 2-D and 3-D transposed convolutions are supported");
    const int32_t spatial = rank - 2;
    const int64_t group = node.attrs.i("group", 1);
    KILN_ONNX_ASSIGN(Window win, readWindow(node, spatial, std::vector<int64_t>(w.shape.begin() + 2, w.shape.end())));
    std::vector<int64_t> outputPadding = node.attrs.ints("output_padding", std::vector<int64_t>(static_cast<size_t>(spatial), 0));
    const std::vector<int64_t> outputShape = node.attrs.ints("output_shape");
    KILN_ONNX_CHECK(static_cast<int32_t>(outputPadding.size()) == spatial, kINVALID_NODE, "output_padding does not match the spatial rank");
    const bool same = win.mode == nvinfer1::PaddingMode::kSAME_UPPER || win.mode == nvinfer1::PaddingMode::kSAME_LOWER;
    if (!outputShape.empty() || same)
    {
        // Explicit pads from the requested output size (ONNX's formula).
        for (int32_t i = 0; i < spatial; ++i)
        {
            const int64_t in = d.d[2 + i];
            KILN_ONNX_CHECK(in >= 0, kUNSUPPORTED_NODE, "output_shape/auto_pad need static spatial extents");
            const int64_t want = !outputShape.empty() ? outputShape[outputShape.size() - static_cast<size_t>(spatial) + static_cast<size_t>(i)]
                                                      : in * win.strides[static_cast<size_t>(i)];
            const int64_t total = win.strides[static_cast<size_t>(i)] * (in - 1) + outputPadding[static_cast<size_t>(i)]
                + (win.kernel[static_cast<size_t>(i)] - 1) * win.dilations[static_cast<size_t>(i)] + 1 - want;
            if (total < 0)
            {
                outputPadding[static_cast<size_t>(i)] -= total;
                win.pre[static_cast<size_t>(i)] = win.post[static_cast<size_t>(i)] = 0;
                continue;
            }
            const bool upper = win.mode == nvinfer1::PaddingMode::kSAME_UPPER;
            win.pre[static_cast<size_t>(i)] = upper ? total / 2 : total - total / 2;
            win.post[static_cast<size_t>(i)] = upper ? total - total / 2 : total / 2;
        }
        win.mode = nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN;
    }
    // output_padding: shrink the end padding; what is left is appended (zeros, then the bias).
    std::vector<int64_t> extra(static_cast<size_t>(spatial), 0);
    for (int32_t i = 0; i < spatial; ++i)
    {
        const size_t k = static_cast<size_t>(i);
        const int64_t take = std::min(outputPadding[k], win.post[k]);
        win.post[k] -= take;
        extra[k] = outputPadding[k] - take;
    }
    const bool needExtra = std::any_of(extra.begin(), extra.end(), [](int64_t e) { return e > 0; });
    nvinfer1::Weights bias{DataType::kFLOAT, nullptr, 0};
    if (node.has(2))
    {
        KILN_ONNX_CHECK(node.input(2).isWeights(), kUNSUPPORTED_NODE, "the bias B must be a constant");
        if (!needExtra)
            bias = node.input(2).weights().trt();
    }
    const bool oneD = spatial == 1;
    if (oneD)
    {
        x = to2d(node, x);
        extend1d(win);
        extra.push_back(0);
    }
    KILN_ONNX_NOT_NULL(x);
    nvinfer1::IDeconvolutionLayer* l = node.network().addDeconvolutionNd(
        *x, static_cast<int32_t>(w.shape[1] * group), makeDims(win.kernel), w.trt(), bias);
    KILN_ONNX_NOT_NULL(l);
    l->setStrideNd(makeDims(win.strides));
    l->setDilationNd(makeDims(win.dilations));
    l->setPrePadding(makeDims(win.pre));
    l->setPostPadding(makeDims(win.post));
    l->setPaddingMode(win.mode);
    l->setNbGroups(static_cast<int32_t>(group));
    ITensor* out = l->getOutput(0);
    if (needExtra)
    {
        const Dims od = out->getDimensions();
        KILN_ONNX_CHECK(od.nbDims == rank, kINVALID_NODE, "the transposed convolution's output shape cannot be inferred");
        ShapeMath m(node.ctx, out);
        std::vector<ShapeMath::Scalar> start, size;
        std::vector<int64_t> stride;
        for (int32_t i = 0; i < od.nbDims; ++i)
        {
            start.push_back(ShapeMath::c(0));
            size.push_back(i >= 2 ? m.add(m.dim(i), ShapeMath::c(extra[static_cast<size_t>(i - 2)])) : m.dim(i));
            stride.push_back(1);
        }
        nvinfer1::ISliceLayer* pad = node.network().addSlice(*out, makeDims(std::vector<int64_t>(static_cast<size_t>(od.nbDims), 0)),
            ShapeMath::allConst(size) ? ShapeMath::constDims(size) : od, makeDims(stride));
        KILN_ONNX_NOT_NULL(pad);
        pad->setMode(nvinfer1::SliceMode::kFILL);
        if (!ShapeMath::allConst(size))
        {
            ITensor* sizeTensor = m.vector(size);
            KILN_ONNX_NOT_NULL(sizeTensor);
            pad->setInput(2, *sizeTensor);
        }
        out = pad->getOutput(0);
        if (node.has(2))
        {
            const ShapedWeights& b = node.input(2).weights();
            ITensor* bt = reshape(node.ctx, node.ctx.constant(b), makeDims(oneD ? std::vector<int64_t>{1, b.count(), 1, 1}
                                                                               : [&] {
                                                                                     std::vector<int64_t> s(static_cast<size_t>(rank), 1);
                                                                                     s[1] = b.count();
                                                                                     return s;
                                                                                 }()));
            out = elementwise(node.ctx, out, bt, ElementWiseOperation::kSUM);
        }
    }
    if (oneD)
        out = from2d(node, out);
    return single(out);
}

static OnnxExpected<Outputs> pool(Node& node, nvinfer1::PoolingType type)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    KILN_ONNX_CHECK(rank >= 3 && rank <= 5, kUNSUPPORTED_NODE, "1-D, 2-D and 3-D pooling is supported");
    KILN_ONNX_CHECK(node.proto.output_size() < 2 || node.proto.output(1).empty(), kUNSUPPORTED_NODE,
        "the Indices output of MaxPool is not supported");
    const int32_t spatial = rank - 2;
    KILN_ONNX_ASSIGN(Window win, readWindow(node, spatial, {}));
    for (int64_t dl : win.dilations)
        KILN_ONNX_CHECK(dl == 1, kUNSUPPORTED_NODE, "dilated pooling is not supported");
    const bool oneD = spatial == 1;
    if (oneD)
    {
        x = to2d(node, x);
        extend1d(win);
    }
    // Integer tensors (MaxPool of INT8/UINT8 data) pool in FLOAT, exact below 2^24.
    const DataType type0 = x ? x->getType() : DataType::kFLOAT;
    if (type0 == DataType::kINT32)
        x = cast(node.ctx, x, DataType::kFLOAT);
    KILN_ONNX_NOT_NULL(x);
    nvinfer1::IPoolingLayer* l = node.network().addPoolingNd(*x, type, makeDims(win.kernel));
    KILN_ONNX_NOT_NULL(l);
    l->setStrideNd(makeDims(win.strides));
    l->setPrePadding(makeDims(win.pre));
    l->setPostPadding(makeDims(win.post));
    l->setPaddingMode(win.mode);
    if (type == nvinfer1::PoolingType::kAVERAGE)
        l->setAverageCountExcludesPadding(node.attrs.i("count_include_pad", 0) == 0);
    ITensor* out = l->getOutput(0);
    if (type0 == DataType::kINT32)
        out = cast(node.ctx, out, DataType::kINT32);
    if (oneD)
        out = from2d(node, out);
    return single(out);
}

KILN_ONNX_IMPORTER(MaxPool) { return pool(node, nvinfer1::PoolingType::kMAX); }
KILN_ONNX_IMPORTER(AveragePool) { return pool(node, nvinfer1::PoolingType::kAVERAGE); }

static uint32_t spatialMask(int32_t rank)
{
    uint32_t mask = 0;
    for (int32_t i = 2; i < rank; ++i)
        mask |= 1u << i;
    return mask;
}

KILN_ONNX_IMPORTER(GlobalAveragePool)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    ITensor* out = reduceAxes(node, x, nvinfer1::ReduceOperation::kAVG, spatialMask(x->getDimensions().nbDims), true);
    return single(out);
}

KILN_ONNX_IMPORTER(GlobalMaxPool)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    ITensor* out = reduceAxes(node, x, nvinfer1::ReduceOperation::kMAX, spatialMask(x->getDimensions().nbDims), true);
    return single(out);
}

//! (sum |x|^p)^(1/p) over \p axes.
static ITensor* lpReduce(Node& node, ITensor* x, float p, uint32_t axes)
{
    ITensor* a = unary(node.ctx, x, nvinfer1::UnaryOperation::kABS);
    if (p == 1.f)
        return reduceAxes(node, a, nvinfer1::ReduceOperation::kSUM, axes, true);
    ITensor* powered = elementwise(node.ctx, a, scalarLike(node, x, p), ElementWiseOperation::kPOW);
    ITensor* sum = reduceAxes(node, powered, nvinfer1::ReduceOperation::kSUM, axes, true);
    return elementwise(node.ctx, sum, scalarLike(node, x, 1.0 / p), ElementWiseOperation::kPOW);
}

KILN_ONNX_IMPORTER(GlobalLpPool)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    ITensor* out = lpReduce(node, x, static_cast<float>(node.attrs.i("p", 2)), spatialMask(x->getDimensions().nbDims));
    return single(out);
}

KILN_ONNX_IMPORTER(LpPool)
{
    // (sum over the window of |x|^p)^(1/p) = (avgpool(|x|^p, padding counted) · window)^(1/p)
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const float p = static_cast<float>(node.attrs.i("p", 2));
    const int32_t rank = x->getDimensions().nbDims;
    KILN_ONNX_CHECK(rank == 4 || rank == 5, kUNSUPPORTED_NODE, "2-D and 3-D LpPool is supported");
    KILN_ONNX_ASSIGN(Window win, readWindow(node, rank - 2, {}));
    ITensor* powered = elementwise(node.ctx, unary(node.ctx, x, nvinfer1::UnaryOperation::kABS), scalarLike(node, x, p), ElementWiseOperation::kPOW);
    KILN_ONNX_NOT_NULL(powered);
    nvinfer1::IPoolingLayer* l = node.network().addPoolingNd(*powered, nvinfer1::PoolingType::kAVERAGE, makeDims(win.kernel));
    KILN_ONNX_NOT_NULL(l);
    l->setStrideNd(makeDims(win.strides));
    l->setPrePadding(makeDims(win.pre));
    l->setPostPadding(makeDims(win.post));
    l->setPaddingMode(win.mode);
    l->setAverageCountExcludesPadding(false);
    int64_t windowSize = 1;
    for (int64_t k : win.kernel)
        windowSize *= k;
    ITensor* sum = elementwise(node.ctx, l->getOutput(0), scalarLike(node, x, static_cast<double>(windowSize)), ElementWiseOperation::kPROD);
    ITensor* out = elementwise(node.ctx, sum, scalarLike(node, x, 1.0 / p), ElementWiseOperation::kPOW);
    return single(out);
}

//! Training-mode BatchNormalization (opset 14+): normalizes with the batch statistics and outputs
//! the updated running mean and variance (population variance, as the ONNX reference computes).
static OnnxExpected<Outputs> batchNormTraining(Node& node, ITensor* x, float eps)
{
    const int32_t rank = x->getDimensions().nbDims;
    KILN_ONNX_CHECK(rank >= 2, kINVALID_NODE, "needs an input of rank 2 or more");
    uint32_t axes = 1u;
    for (int32_t i = 2; i < rank; ++i)
        axes |= 1u << i;
    const auto channel = [&](int32_t i) {
        std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
        shape[1] = -1;
        return reshape(node.ctx, node.tensor(i), makeDims(shape));
    };
    ITensor* mean = reduceAxes(node, x, nvinfer1::ReduceOperation::kAVG, axes, true);
    ITensor* centered = elementwise(node.ctx, x, mean, ElementWiseOperation::kSUB);
    ITensor* var = reduceAxes(node, elementwise(node.ctx, centered, centered, ElementWiseOperation::kPROD), nvinfer1::ReduceOperation::kAVG, axes, true);
    KILN_ONNX_NOT_NULL(var);
    ITensor* denom = unary(node.ctx, elementwise(node.ctx, var, scalarLike(node, var, eps), ElementWiseOperation::kSUM), nvinfer1::UnaryOperation::kSQRT);
    ITensor* y = elementwise(node.ctx, elementwise(node.ctx, elementwise(node.ctx, centered, denom, ElementWiseOperation::kDIV), channel(1),
                                           ElementWiseOperation::kPROD),
        channel(2), ElementWiseOperation::kSUM);
    const float momentum = node.attrs.f("momentum", 0.9f);
    const auto running = [&](int32_t input, ITensor* current) {
        ITensor* flat = reshape(node.ctx, current, Dims{1, {-1}, {}});
        ITensor* kept = elementwise(node.ctx, node.tensor(input), scalarConstant(node.ctx, DataType::kFLOAT, momentum, 1), ElementWiseOperation::kPROD);
        ITensor* added = elementwise(node.ctx, flat, scalarConstant(node.ctx, DataType::kFLOAT, 1.0 - momentum, 1), ElementWiseOperation::kPROD);
        return elementwise(node.ctx, kept, added, ElementWiseOperation::kSUM);
    };
    ITensor* runningMean = running(3, mean);
    ITensor* runningVar = running(4, var);
    KILN_ONNX_NOT_NULL(y && runningMean && runningVar ? y : nullptr);
    return Outputs{Value::of(y), Value::of(runningMean), Value::of(runningVar)};
}

KILN_ONNX_IMPORTER(BatchNormalization)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(node.nbInputs() >= 5, kINVALID_NODE, "needs X, scale, B, mean and var");
    const float eps = node.attrs.f("epsilon", 1e-5f);
    const int32_t rank = x->getDimensions().nbDims;
    if (node.attrs.i("training_mode", 0) != 0)
        return batchNormTraining(node, x, eps);
    const bool constant = node.input(1).isWeights() && node.input(2).isWeights() && node.input(3).isWeights() && node.input(4).isWeights();
    if (constant && rank >= 2)
    {
        const auto scale = node.input(1).weights().floats(), bias = node.input(2).weights().floats();
        const auto mean = node.input(3).weights().floats(), var = node.input(4).weights().floats();
        const size_t c = scale.size();
        KILN_ONNX_CHECK(bias.size() == c && mean.size() == c && var.size() == c, kINVALID_NODE, "parameters differ in length");
        ShapedWeights s = zerosWeights(node, static_cast<int64_t>(c));
        ShapedWeights b = zerosWeights(node, static_cast<int64_t>(c));
        for (size_t i = 0; i < c; ++i)
        {
            const double k = scale[i] / std::sqrt(static_cast<double>(var[i]) + eps);
            s.set(static_cast<int64_t>(i), k);
            b.set(static_cast<int64_t>(i), bias[i] - mean[i] * k);
        }
        ITensor* in = rank < 3 ? unsqueeze(node.ctx, x, {rank}) : x;
        KILN_ONNX_NOT_NULL(in);
        nvinfer1::IScaleLayer* l = node.network().addScaleNd(*in, nvinfer1::ScaleMode::kCHANNEL, b.trt(), s.trt(),
            nvinfer1::Weights{DataType::kFLOAT, nullptr, 0}, 1);
        KILN_ONNX_NOT_NULL(l);
        ITensor* out = l->getOutput(0);
        if (rank < 3)
            out = squeeze(node.ctx, out, {rank});
        return single(out);
    }
    // General form with tensors: (x - mean) / sqrt(var + eps) · scale + B, parameters along axis 1.
    const auto channel = [&](int32_t i) {
        ITensor* t = node.tensor(i);
        std::vector<int64_t> axes;
        for (int32_t a = 2; a < rank; ++a)
            axes.push_back(a - 1);
        ITensor* u = axes.empty() ? t : unsqueeze(node.ctx, t, axes);
        return unsqueezeTo(node.ctx, u, rank);
    };
    ITensor* centered = elementwise(node.ctx, x, channel(3), ElementWiseOperation::kSUB);
    ITensor* denom = unary(node.ctx, elementwise(node.ctx, channel(4), scalarLike(node, x, eps), ElementWiseOperation::kSUM),
        nvinfer1::UnaryOperation::kSQRT);
    ITensor* out = elementwise(node.ctx, elementwise(node.ctx, elementwise(node.ctx, centered, denom, ElementWiseOperation::kDIV), channel(1),
                                             ElementWiseOperation::kPROD),
        channel(2), ElementWiseOperation::kSUM);
    return single(out);
}

//! A per-channel tensor [C] as [1, C, 1, ...] of \p rank.
static ITensor* perChannel(Node& node, ITensor* t, int32_t rank)
{
    std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    shape[1] = -1;
    return reshape(node.ctx, t, makeDims(shape));
}

static OnnxExpected<ITensor*> normalization(Node& node, ITensor* x, ITensor* scale, ITensor* bias, uint32_t axes, float eps, int32_t groups)
{
    KILN_ONNX_NOT_NULL(x && scale && bias ? x : nullptr);
    nvinfer1::INormalizationLayer* l = node.network().addNormalization(*x, *scale, *bias, axes);
    KILN_ONNX_NOT_NULL(l);
    l->setEpsilon(eps);
    l->setNbGroups(groups);
    return l->getOutput(0);
}

KILN_ONNX_IMPORTER(InstanceNormalization)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    KILN_ONNX_CHECK(rank >= 3, kINVALID_NODE, "needs an input of rank 3 or more");
    KILN_ONNX_ASSIGN(ITensor * out, normalization(node, x, perChannel(node, node.tensor(1), rank), perChannel(node, node.tensor(2), rank),
                                        spatialMask(rank), node.attrs.f("epsilon", 1e-5f), 1));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(GroupNormalization)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    const int32_t rank = d.nbDims;
    KILN_ONNX_CHECK(rank >= 3 && d.d[1] > 0, kUNSUPPORTED_NODE, "needs an input of rank 3 or more with static channels");
    const int64_t groups = node.attrs.i("num_groups", 0);
    KILN_ONNX_CHECK(groups > 0 && d.d[1] % groups == 0, kINVALID_NODE, "num_groups must divide the channels");
    ITensor* scale = node.tensor(1);
    ITensor* bias = node.tensor(2);
    KILN_ONNX_NOT_NULL(scale && bias ? scale : nullptr);
    if (node.opset < 21 && groups != d.d[1])
    {
        // Opset 18: one scale and bias per group; repeat them for the channels of each group.
        KILN_ONNX_ASSIGN(std::vector<float> s, node.constFloats(1, "scale"));
        KILN_ONNX_ASSIGN(std::vector<float> b, node.constFloats(2, "bias"));
        KILN_ONNX_CHECK(static_cast<int64_t>(s.size()) == groups && static_cast<int64_t>(b.size()) == groups, kINVALID_NODE,
            "scale and bias must hold one value per group");
        ShapedWeights sc = zerosWeights(node, d.d[1]), bc = zerosWeights(node, d.d[1]);
        for (int64_t c = 0; c < d.d[1]; ++c)
        {
            sc.set(c, s[static_cast<size_t>(c / (d.d[1] / groups))]);
            bc.set(c, b[static_cast<size_t>(c / (d.d[1] / groups))]);
        }
        scale = node.ctx.constant(sc);
        bias = node.ctx.constant(bc);
    }
    KILN_ONNX_ASSIGN(ITensor * out, normalization(node, x, perChannel(node, scale, rank), perChannel(node, bias, rank), spatialMask(rank),
                                        node.attrs.f("epsilon", 1e-5f), static_cast<int32_t>(groups)));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(LayerNormalization)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    int64_t axis = node.attrs.i("axis", -1);
    KILN_ONNX_CHECK(normalizeAxis(axis, rank), kINVALID_NODE, "axis is out of range");
    const float eps = node.attrs.f("epsilon", 1e-5f);
    uint32_t axes = 0;
    for (int32_t i = static_cast<int32_t>(axis); i < rank; ++i)
        axes |= 1u << i;
    ITensor* scale = unsqueezeTo(node.ctx, node.tensor(1), rank);
    ITensor* bias = node.has(2) ? unsqueezeTo(node.ctx, node.tensor(2), rank) : nullptr;
    KILN_ONNX_NOT_NULL(scale);
    bool statistics = false;
    for (int32_t j = 1; j < node.proto.output_size(); ++j)
        statistics = statistics || !node.proto.output(j).empty();
    if (!statistics)
    {
        if (!bias)
            bias = elementwise(node.ctx, scale, scalarLike(node, scale, 0), ElementWiseOperation::kPROD);
        KILN_ONNX_ASSIGN(ITensor * out, normalization(node, x, scale, bias, axes, eps, 1));
        return Outputs{Value::of(out)};
    }
    // The Mean and InvStdDev outputs are wanted too: compose the normalization.
    ITensor* mean = reduceAxes(node, x, nvinfer1::ReduceOperation::kAVG, axes, true);
    ITensor* centered = elementwise(node.ctx, x, mean, ElementWiseOperation::kSUB);
    ITensor* var = reduceAxes(node, elementwise(node.ctx, centered, centered, ElementWiseOperation::kPROD), nvinfer1::ReduceOperation::kAVG, axes, true);
    KILN_ONNX_NOT_NULL(var);
    ITensor* invStd = unary(node.ctx, unary(node.ctx, elementwise(node.ctx, var, scalarLike(node, var, eps), ElementWiseOperation::kSUM),
        nvinfer1::UnaryOperation::kSQRT), nvinfer1::UnaryOperation::kRECIP);
    ITensor* out = elementwise(node.ctx, elementwise(node.ctx, centered, invStd, ElementWiseOperation::kPROD), scale, ElementWiseOperation::kPROD);
    if (bias)
        out = elementwise(node.ctx, out, bias, ElementWiseOperation::kSUM);
    KILN_ONNX_NOT_NULL(out && mean && invStd ? out : nullptr);
    return Outputs{Value::of(out), Value::of(mean), Value::of(invStd)};
}

KILN_ONNX_IMPORTER(MeanVarianceNormalization)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    std::vector<int64_t> axes = node.attrs.ints("axes", {0, 2, 3});
    uint32_t mask = 0;
    for (int64_t a : axes)
    {
        KILN_ONNX_CHECK(normalizeAxis(a, rank), kINVALID_NODE, "axis is out of range");
        mask |= 1u << a;
    }
    ITensor* one = scalarConstant(node.ctx, DataType::kFLOAT, 1.0, rank);
    ITensor* zero = scalarConstant(node.ctx, DataType::kFLOAT, 0.0, rank);
    KILN_ONNX_ASSIGN(ITensor * out, normalization(node, x, one, zero, mask, 1e-9f, 1));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(LRN)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    nvinfer1::ILRNLayer* l = node.network().addLRN(*x, static_cast<int32_t>(node.attrs.i("size", 0)), node.attrs.f("alpha", 1e-4f),
        node.attrs.f("beta", 0.75f), node.attrs.f("bias", 1.f));
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(LpNormalization)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    int64_t axis = node.attrs.i("axis", -1);
    KILN_ONNX_CHECK(normalizeAxis(axis, x->getDimensions().nbDims), kINVALID_NODE, "axis is out of range");
    const int64_t p = node.attrs.i("p", 2);
    KILN_ONNX_CHECK(p == 1 || p == 2, kINVALID_NODE, "p must be 1 or 2");
    ITensor* norm = lpReduce(node, x, static_cast<float>(p), 1u << axis);
    ITensor* out = elementwise(node.ctx, x, norm, ElementWiseOperation::kDIV);
    return single(out);
}

KILN_ONNX_IMPORTER(ImageScaler)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const std::vector<float> bias = node.attrs.floats("bias");
    const float scale = node.attrs.f("scale", 1.f);
    ShapedWeights s = zerosWeights(node, static_cast<int64_t>(bias.size()));
    ShapedWeights b = zerosWeights(node, static_cast<int64_t>(bias.size()));
    for (size_t i = 0; i < bias.size(); ++i)
    {
        s.set(static_cast<int64_t>(i), scale);
        b.set(static_cast<int64_t>(i), bias[i]);
    }
    nvinfer1::IScaleLayer* l = node.network().addScaleNd(*x, nvinfer1::ScaleMode::kCHANNEL, b.trt(), s.trt(),
        nvinfer1::Weights{DataType::kFLOAT, nullptr, 0}, 1);
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

static OnnxExpected<ITensor*> matmul(Node& node, ITensor* a, ITensor* b, bool ta, bool tb)
{
    KILN_ONNX_NOT_NULL(a && b ? a : nullptr);
    const int32_t ra = a->getDimensions().nbDims, rb = b->getDimensions().nbDims;
    using Op = nvinfer1::MatrixOperation;
    Op opA = ra == 1 ? Op::kVECTOR : (ta ? Op::kTRANSPOSE : Op::kNONE);
    Op opB = rb == 1 ? Op::kVECTOR : (tb ? Op::kTRANSPOSE : Op::kNONE);
    if (ra > 1 && rb > 1 && ra != rb)
    {
        const int32_t r = std::max(ra, rb);
        a = unsqueezeTo(node.ctx, a, r);
        b = unsqueezeTo(node.ctx, b, r);
    }
    else if (ra == 1 && rb > 2)
        a = unsqueezeTo(node.ctx, a, 1);
    KILN_ONNX_NOT_NULL(a && b ? a : nullptr);
    nvinfer1::IMatrixMultiplyLayer* l = node.network().addMatrixMultiply(*a, opA, *b, opB);
    KILN_ONNX_NOT_NULL(l);
    return l->getOutput(0);
}

KILN_ONNX_IMPORTER(MatMul)
{
    KILN_ONNX_ASSIGN(ITensor * out, matmul(node, node.tensor(0), node.tensor(1), false, false));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(Gemm)
{
    const float alpha = node.attrs.f("alpha", 1.f);
    const float beta = node.attrs.f("beta", 1.f);
    KILN_ONNX_ASSIGN(ITensor * out, matmul(node, node.tensor(0), node.tensor(1), node.attrs.i("transA", 0) != 0, node.attrs.i("transB", 0) != 0));
    if (alpha != 1.f)
        out = elementwise(node.ctx, out, scalarLike(node, out, alpha), ElementWiseOperation::kPROD);
    if (node.has(2) && beta != 0.f)
    {
        ITensor* c = node.tensor(2);
        if (beta != 1.f)
            c = elementwise(node.ctx, c, scalarLike(node, c, beta), ElementWiseOperation::kPROD);
        out = elementwise(node.ctx, out, c, ElementWiseOperation::kSUM);
    }
    return single(out);
}

KILN_ONNX_IMPORTER(Einsum)
{
    std::vector<ITensor*> inputs;
    for (int32_t i = 0; i < node.nbInputs(); ++i)
    {
        inputs.push_back(node.tensor(i));
        KILN_ONNX_NOT_NULL(inputs.back());
    }
    const std::string equation = node.attrs.s("equation", "");
    nvinfer1::IEinsumLayer* l = node.network().addEinsum(inputs.data(), static_cast<int32_t>(inputs.size()), equation.c_str());
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

//! Softmax-family operators: before opset 13 over the input flattened to 2-D at `axis`.
static OnnxExpected<Outputs> softmaxFamily(Node& node, int kind)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    const bool legacy = node.opset < 13;
    int64_t axis = node.attrs.i("axis", legacy ? 1 : -1);
    if (d.nbDims == 0)
        axis = 0;
    else
        KILN_ONNX_CHECK(normalizeAxis(axis, d.nbDims), kINVALID_NODE, "axis is out of range");
    ITensor* in = x;
    int32_t softAxis = static_cast<int32_t>(axis);
    if (legacy && d.nbDims > 0)
    {
        ShapeMath m(node.ctx, x);
        ShapeMath::Scalar outer = ShapeMath::c(1), inner = ShapeMath::c(1);
        for (int32_t i = 0; i < d.nbDims; ++i)
            (i < axis ? outer : inner) = m.mul(i < axis ? outer : inner, m.dim(i));
        in = ShapeMath::allConst({outer, inner}) ? reshape(node.ctx, x, ShapeMath::constDims({outer, inner}))
                                                 : reshapeTo(node.ctx, x, m.vector({outer, inner}));
        softAxis = 1;
    }
    KILN_ONNX_NOT_NULL(in);
    ITensor* out = nullptr;
    if (kind == 2)
    {
        // Hardmax: one-hot of the first maximum.
        const Dims id = in->getDimensions();
        KILN_ONNX_CHECK(id.d[softAxis] > 0, kUNSUPPORTED_NODE, "Hardmax needs a static extent along its axis");
        nvinfer1::ITopKLayer* top = node.network().addTopK(*in, nvinfer1::TopKOperation::kMAX, 1, 1u << softAxis);
        KILN_ONNX_NOT_NULL(top);
        ITensor* idx = squeeze(node.ctx, top->getOutput(1), {softAxis});
        ShapedWeights values = makeWeights(node.arena(), DataType::kFLOAT, {2});
        values.set(1, 1.0);
        ITensor* depth = node.ctx.constant(makeScalarWeights(node.arena(), DataType::kINT32, id.d[softAxis]));
        ITensor* onOff = node.ctx.constant(values);
        KILN_ONNX_NOT_NULL(idx && depth && onOff ? idx : nullptr);
        nvinfer1::IOneHotLayer* oh = node.network().addOneHot(*idx, *onOff, *depth, softAxis);
        KILN_ONNX_NOT_NULL(oh);
        out = oh->getOutput(0);
    }
    else
    {
        nvinfer1::ISoftMaxLayer* l = node.network().addSoftMax(*in);
        KILN_ONNX_NOT_NULL(l);
        l->setAxes(1u << softAxis);
        out = l->getOutput(0);
        if (kind == 1)
            out = unary(node.ctx, out, nvinfer1::UnaryOperation::kLOG);
    }
    if (legacy && d.nbDims > 0)
        out = isStatic(d) ? reshape(node.ctx, out, d) : reshapeTo(node.ctx, out, shapeOf(node.ctx, x));
    return single(out);
}

KILN_ONNX_IMPORTER(Softmax) { return softmaxFamily(node, 0); }
KILN_ONNX_IMPORTER(LogSoftmax) { return softmaxFamily(node, 1); }
KILN_ONNX_IMPORTER(Hardmax) { return softmaxFamily(node, 2); }

} // namespace kiln::onnx
