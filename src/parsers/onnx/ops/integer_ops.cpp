// Integer and quantized products computed exactly in FLOAT (MatMulInteger, ConvInteger,
// QLinearMatMul, QLinearConv) and DynamicQuantizeLinear.
#include "op_utils.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::ReduceOperation;
using nvinfer1::UnaryOperation;
using TP = ::onnx::TensorProto;

// ---- Integer products ----

//! \p x (integer values) minus the zero point input \p zpInput, in FLOAT. \p rowZeroPoint: a 1-D
//! zero point of more than one element applies per row of a matrix (it is made [M, 1]).
OnnxExpected<ITensor*> centered(Node& node, ITensor* x, int32_t zpInput, bool rowZeroPoint)
{
    ITensor* xf = cast(node.ctx, x, DataType::kFLOAT);
    KILN_ONNX_NOT_NULL(xf);
    if (!node.has(zpInput))
        return xf;
    ITensor* zp = cast(node.ctx, node.tensor(zpInput), DataType::kFLOAT);
    KILN_ONNX_NOT_NULL(zp);
    const Dims zd = zp->getDimensions();
    if (rowZeroPoint && zd.nbDims == 1 && zd.d[0] != 1)
        zp = unsqueeze(node.ctx, zp, {1});
    ITensor* out = elementwise(node.ctx, xf, zp, ElementWiseOperation::kSUB);
    KILN_ONNX_NOT_NULL(out);
    return out;
}

/*!
 * f(x) in INT32, exactly, for a linear map f whose outputs each sum \p terms products of an
 * element of \p x (integers of magnitude <= 255) with factors of magnitude <= \p factorMax. FLOAT
 * arithmetic is exact below 2^24; above that x is split into 16·h + l (|h| <= 16, 0 <= l < 16).
 */
OnnxExpected<ITensor*> exactLinear(Node& node, ITensor* x, int64_t terms, double factorMax, const std::function<ITensor*(ITensor*)>& f)
{
    ImporterContext& ctx = node.ctx;
    KILN_ONNX_CHECK(terms >= 0, kUNSUPPORTED_NODE, "the reduction length of the integer product must be static");
    const double worst = static_cast<double>(terms) * factorMax;
    if (worst * 255.0 < kFloatExact)
    {
        ITensor* out = cast(ctx, f(x), DataType::kINT32);
        KILN_ONNX_NOT_NULL(out);
        return out;
    }
    KILN_ONNX_CHECK(worst * 16.0 < kFloatExact, kUNSUPPORTED_NODE,
        "the integer product sums " + std::to_string(terms) + " terms: too many to compute exactly");
    const int32_t rank = x->getDimensions().nbDims;
    ITensor* high = unary(ctx, elementwise(ctx, x, floatConst(ctx, 16.0, rank), ElementWiseOperation::kDIV), UnaryOperation::kFLOOR);
    ITensor* low = elementwise(ctx, x, elementwise(ctx, high, floatConst(ctx, 16.0, rank), ElementWiseOperation::kPROD), ElementWiseOperation::kSUB);
    KILN_ONNX_NOT_NULL(high && low ? high : nullptr);
    ITensor* fh = cast(ctx, f(high), DataType::kINT32);
    ITensor* fl = cast(ctx, f(low), DataType::kINT32);
    KILN_ONNX_NOT_NULL(fh && fl ? fh : nullptr);
    ITensor* out = elementwise(ctx,
        elementwise(ctx, fh, scalarConstant(ctx, DataType::kINT32, 16.0, fh->getDimensions().nbDims), ElementWiseOperation::kPROD), fl,
        ElementWiseOperation::kSUM);
    KILN_ONNX_NOT_NULL(out);
    return out;
}


//! (A - a_zero_point) @ (B - b_zero_point) in INT32; the zero points are inputs \p azp and \p bzp.
OnnxExpected<ITensor*> integerMatmul(Node& node, int32_t a, int32_t azp, int32_t b, int32_t bzp)
{
    KILN_ONNX_CHECK(node.has(a) && node.has(b), kINVALID_NODE, "needs both matrices");
    ITensor* at = node.tensor(a);
    ITensor* bt = node.tensor(b);
    KILN_ONNX_NOT_NULL(at && bt ? at : nullptr);
    KILN_ONNX_CHECK(at->getType() == DataType::kINT32 && bt->getType() == DataType::kINT32, kUNSUPPORTED_NODE,
        "the matrices must hold integers");
    KILN_ONNX_ASSIGN(ITensor * af, centered(node, at, azp, at->getDimensions().nbDims >= 2));
    KILN_ONNX_ASSIGN(ITensor * bf, centered(node, bt, bzp, false));
    const Dims ad = at->getDimensions(), bd = bt->getDimensions();
    int64_t k = ad.d[ad.nbDims - 1];
    if (k < 0 && bd.nbDims >= 1)
        k = bd.d[std::max(bd.nbDims - 2, 0)];
    // B's values: known exactly when it is a constant, else anything of 8 bits minus a zero point.
    double bMax = 255.0;
    if (node.input(b).isWeights() && (!node.has(bzp) || node.input(bzp).isWeights()))
    {
        const ShapedWeights& bw = node.input(b).weights();
        std::vector<double> zp{0.0};
        if (node.has(bzp))
        {
            zp.clear();
            for (int64_t i = 0; i < node.input(bzp).weights().count(); ++i)
                zp.push_back(node.input(bzp).weights().at(i));
        }
        bMax = 0.0;
        for (int64_t i = 0; i < bw.count(); ++i)
            for (double z : zp)
                bMax = std::max(bMax, std::abs(bw.at(i) - z));
    }
    return exactLinear(node, af, k, bMax, [&](ITensor* x) { return matmul(node.ctx, x, bf); });
}

//! Convolution attributes and the FLOAT kernel (W minus its zero point) of ConvInteger/QLinearConv.
struct IntegerConv
{
    ShapedWeights kernel;
    double kernelMax{0.0};
    int64_t terms{0};
};

OnnxExpected<IntegerConv> integerKernel(Node& node, int32_t wInput, int32_t zpInput)
{
    KILN_ONNX_CHECK(node.has(wInput) && node.input(wInput).isWeights(), kUNSUPPORTED_NODE, "the weights W must be a constant");
    const ShapedWeights& w = node.input(wInput).weights();
    KILN_ONNX_CHECK(w.shape.size() >= 3, kINVALID_NODE, "W must have rank 3 or more");
    std::vector<double> zp{0.0};
    if (node.has(zpInput))
    {
        KILN_ONNX_CHECK(node.input(zpInput).isWeights(), kUNSUPPORTED_NODE, "the weights' zero point must be a constant");
        const ShapedWeights& z = node.input(zpInput).weights();
        KILN_ONNX_CHECK(z.count() == 1 || z.count() == w.shape[0], kINVALID_NODE,
            "the weights' zero point must hold 1 or M values");
        zp.clear();
        for (int64_t i = 0; i < z.count(); ++i)
            zp.push_back(z.at(i));
    }
    IntegerConv c;
    c.kernel = makeWeights(node.arena(), DataType::kFLOAT, w.shape);
    const int64_t perMap = w.count() / std::max<int64_t>(w.shape[0], 1);
    for (int64_t i = 0; i < w.count(); ++i)
    {
        const double v = w.at(i) - zp[zp.size() == 1 ? 0 : static_cast<size_t>(i / perMap)];
        c.kernel.set(i, v);
        c.kernelMax = std::max(c.kernelMax, std::abs(v));
    }
    c.terms = perMap;
    return c;
}

//! A convolution of the FLOAT input \p x with \p kernel and the node's spatial attributes.
OnnxExpected<ITensor*> convolve(Node& node, ITensor* x, const ShapedWeights& kernel)
{
    const int32_t rank = x->getDimensions().nbDims;
    const int32_t spatial = rank - 2;
    KILN_ONNX_CHECK(rank >= 3 && rank <= 5 && static_cast<int32_t>(kernel.shape.size()) == rank, kUNSUPPORTED_NODE,
        "1-D, 2-D and 3-D convolutions are supported (input rank " + std::to_string(rank) + ")");
    const std::vector<int64_t> kernelShape = node.attrs.ints("kernel_shape", std::vector<int64_t>(kernel.shape.begin() + 2, kernel.shape.end()));
    std::vector<int64_t> strides = node.attrs.ints("strides", std::vector<int64_t>(static_cast<size_t>(spatial), 1));
    std::vector<int64_t> dilations = node.attrs.ints("dilations", std::vector<int64_t>(static_cast<size_t>(spatial), 1));
    std::vector<int64_t> pads = node.attrs.ints("pads", std::vector<int64_t>(static_cast<size_t>(2 * spatial), 0));
    KILN_ONNX_CHECK(static_cast<int32_t>(kernelShape.size()) == spatial && static_cast<int32_t>(strides.size()) == spatial
            && static_cast<int32_t>(dilations.size()) == spatial && static_cast<int32_t>(pads.size()) == 2 * spatial,
        kINVALID_NODE, "kernel_shape, strides, dilations or pads do not match the spatial rank");
    std::vector<int64_t> pre(pads.begin(), pads.begin() + spatial), post(pads.begin() + spatial, pads.end());
    nvinfer1::PaddingMode mode = nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN;
    const std::string autoPad = node.attrs.s("auto_pad", "NOTSET");
    if (autoPad == "SAME_UPPER")
        mode = nvinfer1::PaddingMode::kSAME_UPPER;
    else if (autoPad == "SAME_LOWER")
        mode = nvinfer1::PaddingMode::kSAME_LOWER;
    else if (autoPad == "VALID")
    {
        std::fill(pre.begin(), pre.end(), 0);
        std::fill(post.begin(), post.end(), 0);
    }
    else
        KILN_ONNX_CHECK(autoPad == "NOTSET", kINVALID_NODE, "unknown auto_pad '" + autoPad + "'");
    std::vector<int64_t> kshape = kernelShape;
    const bool oneD = spatial == 1;
    if (oneD)
    {
        // 1-D runs as 2-D with a trailing extent-1 axis.
        x = unsqueeze(node.ctx, x, {rank});
        for (auto* v : {&kshape, &strides, &dilations})
            v->push_back(1);
        pre.push_back(0);
        post.push_back(0);
    }
    KILN_ONNX_NOT_NULL(x);
    nvinfer1::Weights bias{DataType::kFLOAT, nullptr, 0};
    nvinfer1::IConvolutionLayer* l = node.network().addConvolutionNd(*x, static_cast<int32_t>(kernel.shape[0]), makeDims(kshape), kernel.trt(), bias);
    KILN_ONNX_NOT_NULL(l);
    l->setStrideNd(makeDims(strides));
    l->setDilationNd(makeDims(dilations));
    l->setPrePadding(makeDims(pre));
    l->setPostPadding(makeDims(post));
    l->setPaddingMode(mode);
    l->setNbGroups(static_cast<int32_t>(node.attrs.i("group", 1)));
    ITensor* out = l->getOutput(0);
    if (oneD)
        out = squeeze(node.ctx, out, {rank});
    KILN_ONNX_NOT_NULL(out);
    return out;
}

//! The INT32 product of a quantized convolution: conv(x - x_zero_point, W - w_zero_point).
OnnxExpected<ITensor*> integerConvolution(Node& node, int32_t xInput, int32_t xzp, int32_t wInput, int32_t wzp)
{
    ITensor* x = node.tensor(xInput);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(x->getType() == DataType::kINT32, kUNSUPPORTED_NODE, "the input must hold integers");
    if (node.has(xzp))
        KILN_ONNX_CHECK(node.input(xzp).rank() == 0 || volume(node.input(xzp).dims()) == 1, kUNSUPPORTED_NODE,
            "the input's zero point must be a scalar");
    KILN_ONNX_ASSIGN(ITensor * xf, centered(node, x, xzp, false));
    KILN_ONNX_ASSIGN(IntegerConv conv, integerKernel(node, wInput, wzp));
    OnnxStatus failure;
    auto f = [&](ITensor* in) -> ITensor* {
        OnnxExpected<ITensor*> r = convolve(node, in, conv.kernel);
        if (!r.isOk())
        {
            failure = r.status();
            return nullptr;
        }
        return r.take();
    };
    OnnxExpected<ITensor*> out = exactLinear(node, xf, conv.terms, conv.kernelMax, f);
    if (!failure.isOk())
        return failure;
    return out;
}

//! The scale input \p i, FLOAT, shaped to broadcast per output channel (axis 1 of rank \p rank)
//! when it holds more than one value.
ITensor* channelScale(Node& node, int32_t i, int32_t rank)
{
    ITensor* s = node.tensor(i);
    if (!s)
        return nullptr;
    const Dims d = s->getDimensions();
    if (d.nbDims == 1 && d.d[0] != 1 && rank >= 3)
    {
        std::vector<int64_t> axes;
        for (int32_t k = 2; k < rank; ++k)
            axes.push_back(k - 1);
        s = unsqueeze(node.ctx, s, axes);
    }
    return s;
}

/*!
 * Requantizes the INT32 accumulator \p acc: round(acc · multiplier + y_zero_point) saturated to
 * the output's type: that of y_zero_point (input \p yzp), or of the quantized input \p x without
 * one. Kiln holds both as INT32, so the type is known only from a constant.
 */
OnnxExpected<ITensor*> requantize(Node& node, ITensor* acc, ITensor* multiplier, int32_t yzp, int32_t x)
{
    ImporterContext& ctx = node.ctx;
    const int32_t typed = node.has(yzp) ? yzp : x;
    KILN_ONNX_CHECK(node.input(typed).isWeights() && node.input(typed).weights().onnxType != 0, kUNSUPPORTED_NODE,
        std::string(typed == yzp ? "y_zero_point" : "the quantized input") + " (input " + std::to_string(typed)
            + ") must be a constant: its type (UINT8 or INT8) sets the output's range");
    const int32_t onnxType = node.input(typed).weights().onnxType;
    KILN_ONNX_CHECK(onnxType == TP::UINT8 || onnxType == TP::INT8, kUNSUPPORTED_NODE,
        std::string("quantized outputs of type ") + onnxTypeName(onnxType) + " are not supported");
    ITensor* r = elementwise(ctx, cast(ctx, acc, DataType::kFLOAT), multiplier, ElementWiseOperation::kPROD);
    if (node.has(yzp))
        r = elementwise(ctx, r, cast(ctx, node.tensor(yzp), DataType::kFLOAT), ElementWiseOperation::kSUM);
    KILN_ONNX_NOT_NULL(r);
    const auto [lo, hi] = quantizedRange(onnxType);
    r = cast(ctx, unary(ctx, clampTo(ctx, r, lo, hi), UnaryOperation::kROUND), DataType::kINT32);
    KILN_ONNX_NOT_NULL(r);
    return r;
}

} // namespace

KILN_ONNX_IMPORTER(DynamicQuantizeLinear)
{
    ImporterContext& ctx = node.ctx;
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(x->getType() == DataType::kFLOAT, kINVALID_NODE, "the input must be FLOAT");
    // The range [min(0, min x), max(0, max x)] maps onto [0, 255].
    ITensor* hi = elementwise(ctx, reduceAll(ctx, x, ReduceOperation::kMAX), floatConst(ctx, 0.0), ElementWiseOperation::kMAX);
    ITensor* lo = elementwise(ctx, reduceAll(ctx, x, ReduceOperation::kMIN), floatConst(ctx, 0.0), ElementWiseOperation::kMIN);
    ITensor* span = elementwise(ctx, hi, lo, ElementWiseOperation::kSUB);
    KILN_ONNX_NOT_NULL(span);
    // An all-zero input gets the scale 1/255.
    ITensor* empty = elementwise(ctx, span, floatConst(ctx, 0.0), ElementWiseOperation::kEQUAL);
    span = select(ctx, empty, floatConst(ctx, 1.0), span);
    ITensor* scale = elementwise(ctx, span, floatConst(ctx, 255.0), ElementWiseOperation::kDIV);
    KILN_ONNX_NOT_NULL(scale);
    ITensor* zp = elementwise(ctx, floatConst(ctx, 0.0), elementwise(ctx, lo, scale, ElementWiseOperation::kDIV), ElementWiseOperation::kSUB);
    zp = unary(ctx, clampTo(ctx, zp, 0.0, 255.0), UnaryOperation::kROUND);
    KILN_ONNX_NOT_NULL(zp);
    ITensor* y = unary(ctx, elementwise(ctx, x, scale, ElementWiseOperation::kDIV), UnaryOperation::kROUND);
    y = clampTo(ctx, elementwise(ctx, y, zp, ElementWiseOperation::kSUM), 0.0, 255.0);
    y = cast(ctx, y, DataType::kINT32);
    ITensor* zpInt = cast(ctx, zp, DataType::kINT32);
    KILN_ONNX_NOT_NULL(y && zpInt ? y : nullptr);
    return Outputs{Value::of(y), Value::of(scale), Value::of(zpInt)};
}

KILN_ONNX_IMPORTER(MatMulInteger)
{
    KILN_ONNX_ASSIGN(ITensor * out, integerMatmul(node, 0, 2, 1, 3));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(ConvInteger)
{
    KILN_ONNX_ASSIGN(ITensor * out, integerConvolution(node, 0, 2, 1, 3));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(QLinearMatMul)
{
    // Inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
    KILN_ONNX_CHECK(node.has(1) && node.has(4) && node.has(6), kINVALID_NODE, "needs a_scale, b_scale and y_scale");
    KILN_ONNX_ASSIGN(ITensor * acc, integerMatmul(node, 0, 2, 3, 5));
    ImporterContext& ctx = node.ctx;
    ITensor* aScale = node.tensor(1);
    KILN_ONNX_NOT_NULL(aScale);
    if (aScale->getDimensions().nbDims == 1 && aScale->getDimensions().d[0] != 1)
        aScale = unsqueeze(ctx, aScale, {1});
    ITensor* multiplier = elementwise(ctx, elementwise(ctx, aScale, node.tensor(4), ElementWiseOperation::kPROD), node.tensor(6),
        ElementWiseOperation::kDIV);
    KILN_ONNX_NOT_NULL(multiplier);
    KILN_ONNX_ASSIGN(ITensor * out, requantize(node, acc, multiplier, 7, 0));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(QLinearConv)
{
    // Inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
    KILN_ONNX_CHECK(node.has(1) && node.has(4) && node.has(6), kINVALID_NODE, "needs x_scale, w_scale and y_scale");
    KILN_ONNX_ASSIGN(ITensor * acc, integerConvolution(node, 0, 2, 3, 5));
    ImporterContext& ctx = node.ctx;
    const int32_t rank = acc->getDimensions().nbDims;
    if (node.has(8))
    {
        // The bias is INT32 in units of x_scale · w_scale: added to the accumulator.
        ITensor* bias = cast(ctx, node.tensor(8), DataType::kINT32);
        KILN_ONNX_NOT_NULL(bias);
        std::vector<int64_t> axes;
        for (int32_t k = 2; k < rank; ++k)
            axes.push_back(k - 1);
        acc = elementwise(ctx, acc, unsqueeze(ctx, bias, axes), ElementWiseOperation::kSUM);
        KILN_ONNX_NOT_NULL(acc);
    }
    ITensor* multiplier = elementwise(ctx, elementwise(ctx, node.tensor(1), channelScale(node, 4, rank), ElementWiseOperation::kPROD),
        node.tensor(6), ElementWiseOperation::kDIV);
    KILN_ONNX_NOT_NULL(multiplier);
    KILN_ONNX_ASSIGN(ITensor * out, requantize(node, acc, multiplier, 7, 0));
    return Outputs{Value::of(out)};
}

} // namespace kiln::onnx
