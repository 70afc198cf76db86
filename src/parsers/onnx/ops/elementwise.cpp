// Element-wise operators: arithmetic, comparison and logic with numpy broadcasting, unary math,
// activations, Cast, Identity and Dropout.
#include "helpers.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln::onnx
{
namespace
{

using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::UnaryOperation;

OnnxExpected<Outputs> binary(Node& node, ElementWiseOperation op)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1), kINVALID_NODE, "needs two inputs");
    ITensor* out = elementwise(node.ctx, node.tensor(0), node.tensor(1), op);
    return single(out);
}

//! Sum/Max/Min/Mean over any number of inputs.
OnnxExpected<Outputs> variadic(Node& node, ElementWiseOperation op)
{
    KILN_ONNX_CHECK(node.nbInputs() >= 1 && node.has(0), kINVALID_NODE, "needs at least one input");
    ITensor* acc = node.tensor(0);
    for (int32_t i = 1; i < node.nbInputs(); ++i)
        acc = elementwise(node.ctx, acc, node.tensor(i), op);
    KILN_ONNX_NOT_NULL(acc);
    if (node.nbInputs() == 1 && node.input(0).isTensor())
        acc = identity(node.ctx, acc);
    return Outputs{Value::of(acc)};
}

OnnxExpected<Outputs> unaryOp(Node& node, UnaryOperation op)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    ITensor* out = unary(node.ctx, node.tensor(0), op);
    return single(out);
}

OnnxExpected<Outputs> activationOp(Node& node, ActivationType type, float alpha = 0.f, float beta = 0.f)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    ITensor* out = activation(node.ctx, node.tensor(0), type, alpha, beta);
    return single(out);
}

ITensor* scalarLike(Node& node, ITensor* x, double value)
{
    return scalarConstant(node.ctx, x->getType(), value, x->getDimensions().nbDims);
}

} // namespace

KILN_ONNX_IMPORTER(Add) { return binary(node, ElementWiseOperation::kSUM); }
KILN_ONNX_IMPORTER(Sub) { return binary(node, ElementWiseOperation::kSUB); }
KILN_ONNX_IMPORTER(Mul) { return binary(node, ElementWiseOperation::kPROD); }
KILN_ONNX_IMPORTER(Div) { return binary(node, ElementWiseOperation::kDIV); }
KILN_ONNX_IMPORTER(Pow)
{
    // Since opset 12 the exponent may have another type than the base.
    ITensor* base = node.tensor(0);
    ITensor* exponent = node.tensor(1);
    KILN_ONNX_NOT_NULL(base && exponent ? base : nullptr);
    ITensor* out = elementwise(node.ctx, base, cast(node.ctx, exponent, base->getType()), ElementWiseOperation::kPOW);
    return single(out);
}
KILN_ONNX_IMPORTER(And) { return binary(node, ElementWiseOperation::kAND); }
KILN_ONNX_IMPORTER(Or) { return binary(node, ElementWiseOperation::kOR); }
KILN_ONNX_IMPORTER(Xor) { return binary(node, ElementWiseOperation::kXOR); }
KILN_ONNX_IMPORTER(Equal) { return binary(node, ElementWiseOperation::kEQUAL); }
KILN_ONNX_IMPORTER(Greater) { return binary(node, ElementWiseOperation::kGREATER); }
KILN_ONNX_IMPORTER(Less) { return binary(node, ElementWiseOperation::kLESS); }
KILN_ONNX_IMPORTER(Sum) { return variadic(node, ElementWiseOperation::kSUM); }
KILN_ONNX_IMPORTER(Max) { return variadic(node, ElementWiseOperation::kMAX); }
KILN_ONNX_IMPORTER(Min) { return variadic(node, ElementWiseOperation::kMIN); }

KILN_ONNX_IMPORTER(Mean)
{
    KILN_ONNX_ASSIGN(Outputs sum, variadic(node, ElementWiseOperation::kSUM));
    ITensor* s = sum[0].tensor();
    ITensor* out = elementwise(node.ctx, s, scalarLike(node, s, node.nbInputs()), ElementWiseOperation::kDIV);
    return single(out);
}

//! a >= b as not(a < b), a <= b as not(a > b).
static OnnxExpected<Outputs> negatedComparison(Node& node, ElementWiseOperation op)
{
    return single(unary(node.ctx, elementwise(node.ctx, node.tensor(0), node.tensor(1), op), UnaryOperation::kNOT));
}

KILN_ONNX_IMPORTER(GreaterOrEqual) { return negatedComparison(node, ElementWiseOperation::kLESS); }
KILN_ONNX_IMPORTER(LessOrEqual) { return negatedComparison(node, ElementWiseOperation::kGREATER); }

KILN_ONNX_IMPORTER(Mod)
{
    ITensor* a = node.tensor(0);
    ITensor* b = node.tensor(1);
    KILN_ONNX_NOT_NULL(a && b ? a : nullptr);
    const bool fmod = node.attrs.i("fmod", 0) != 0;
    KILN_ONNX_CHECK(fmod || a->getType() == DataType::kINT32, kUNSUPPORTED_NODE, "floating-point Mod needs fmod=1");
    ITensor* quotient = nullptr;
    if (!fmod)
        quotient = elementwise(node.ctx, a, b, ElementWiseOperation::kFLOOR_DIV);
    else if (a->getType() == DataType::kINT32)
    {
        // C fmod on integers: the quotient truncates toward zero.
        ITensor* absA = unary(node.ctx, a, UnaryOperation::kABS);
        ITensor* absB = unary(node.ctx, b, UnaryOperation::kABS);
        ITensor* q = elementwise(node.ctx, absA, absB, ElementWiseOperation::kFLOOR_DIV);
        ITensor* sign = elementwise(node.ctx, unary(node.ctx, a, UnaryOperation::kSIGN), unary(node.ctx, b, UnaryOperation::kSIGN),
            ElementWiseOperation::kPROD);
        quotient = elementwise(node.ctx, q, sign, ElementWiseOperation::kPROD);
    }
    else
    {
        ITensor* ratio = elementwise(node.ctx, a, b, ElementWiseOperation::kDIV);
        ITensor* truncated = elementwise(node.ctx, unary(node.ctx, ratio, UnaryOperation::kSIGN),
            unary(node.ctx, unary(node.ctx, ratio, UnaryOperation::kABS), UnaryOperation::kFLOOR), ElementWiseOperation::kPROD);
        quotient = truncated;
    }
    ITensor* out = elementwise(node.ctx, a, elementwise(node.ctx, quotient, b, ElementWiseOperation::kPROD), ElementWiseOperation::kSUB);
    return single(out);
}

KILN_ONNX_IMPORTER(BitShift)
{
    ITensor* x = node.tensor(0);
    ITensor* y = node.tensor(1);
    KILN_ONNX_NOT_NULL(x && y ? x : nullptr);
    const std::string direction = node.attrs.s("direction", "");
    KILN_ONNX_CHECK(direction == "LEFT" || direction == "RIGHT", kINVALID_NODE, "direction must be LEFT or RIGHT");
    ITensor* factor = elementwise(node.ctx, scalarLike(node, y, 2), y, ElementWiseOperation::kPOW);
    ITensor* out = elementwise(node.ctx, x, factor, direction == "LEFT" ? ElementWiseOperation::kPROD : ElementWiseOperation::kFLOOR_DIV);
    return single(out);
}

KILN_ONNX_IMPORTER(Where)
{
    ITensor* c = node.tensor(0);
    ITensor* a = node.tensor(1);
    ITensor* b = node.tensor(2);
    KILN_ONNX_NOT_NULL(c && a && b ? c : nullptr);
    const int32_t rank = std::max({c->getDimensions().nbDims, a->getDimensions().nbDims, b->getDimensions().nbDims});
    c = unsqueezeTo(node.ctx, c, rank);
    a = unsqueezeTo(node.ctx, a, rank);
    b = unsqueezeTo(node.ctx, b, rank);
    KILN_ONNX_NOT_NULL(c && a && b ? c : nullptr);
    nvinfer1::ISelectLayer* l = node.network().addSelect(*c, *a, *b);
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(Not) { return unaryOp(node, UnaryOperation::kNOT); }
KILN_ONNX_IMPORTER(Abs) { return unaryOp(node, UnaryOperation::kABS); }
KILN_ONNX_IMPORTER(Neg) { return unaryOp(node, UnaryOperation::kNEG); }
KILN_ONNX_IMPORTER(Exp) { return unaryOp(node, UnaryOperation::kEXP); }
KILN_ONNX_IMPORTER(Log) { return unaryOp(node, UnaryOperation::kLOG); }
KILN_ONNX_IMPORTER(Sqrt) { return unaryOp(node, UnaryOperation::kSQRT); }
KILN_ONNX_IMPORTER(Reciprocal) { return unaryOp(node, UnaryOperation::kRECIP); }
KILN_ONNX_IMPORTER(Sin) { return unaryOp(node, UnaryOperation::kSIN); }
KILN_ONNX_IMPORTER(Cos) { return unaryOp(node, UnaryOperation::kCOS); }
KILN_ONNX_IMPORTER(Tan) { return unaryOp(node, UnaryOperation::kTAN); }
KILN_ONNX_IMPORTER(Sinh) { return unaryOp(node, UnaryOperation::kSINH); }
KILN_ONNX_IMPORTER(Cosh) { return unaryOp(node, UnaryOperation::kCOSH); }
KILN_ONNX_IMPORTER(Asin) { return unaryOp(node, UnaryOperation::kASIN); }
KILN_ONNX_IMPORTER(Acos) { return unaryOp(node, UnaryOperation::kACOS); }
KILN_ONNX_IMPORTER(Atan) { return unaryOp(node, UnaryOperation::kATAN); }
KILN_ONNX_IMPORTER(Asinh) { return unaryOp(node, UnaryOperation::kASINH); }
KILN_ONNX_IMPORTER(Acosh) { return unaryOp(node, UnaryOperation::kACOSH); }
KILN_ONNX_IMPORTER(Atanh) { return unaryOp(node, UnaryOperation::kATANH); }
KILN_ONNX_IMPORTER(Ceil) { return unaryOp(node, UnaryOperation::kCEIL); }
KILN_ONNX_IMPORTER(Floor) { return unaryOp(node, UnaryOperation::kFLOOR); }
KILN_ONNX_IMPORTER(Erf) { return unaryOp(node, UnaryOperation::kERF); }
KILN_ONNX_IMPORTER(Sign) { return unaryOp(node, UnaryOperation::kSIGN); }
KILN_ONNX_IMPORTER(Round) { return unaryOp(node, UnaryOperation::kROUND); }
KILN_ONNX_IMPORTER(IsNaN) { return unaryOp(node, UnaryOperation::kISNAN); }

KILN_ONNX_IMPORTER(IsInf)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    ITensor* inf = unary(node.ctx, x, UnaryOperation::kISINF);
    const bool positive = node.attrs.i("detect_positive", 1) != 0;
    const bool negative = node.attrs.i("detect_negative", 1) != 0;
    if (!positive || !negative)
    {
        ITensor* side = elementwise(node.ctx, x, scalarLike(node, x, 0), positive ? ElementWiseOperation::kGREATER : ElementWiseOperation::kLESS);
        inf = positive || negative ? elementwise(node.ctx, inf, side, ElementWiseOperation::kAND)
                                   : elementwise(node.ctx, inf, unary(node.ctx, inf, UnaryOperation::kNOT), ElementWiseOperation::kAND);
    }
    return single(inf);
}

KILN_ONNX_IMPORTER(Relu) { return activationOp(node, ActivationType::kRELU); }
KILN_ONNX_IMPORTER(Sigmoid) { return activationOp(node, ActivationType::kSIGMOID); }
KILN_ONNX_IMPORTER(Tanh) { return activationOp(node, ActivationType::kTANH); }
KILN_ONNX_IMPORTER(Softsign) { return activationOp(node, ActivationType::kSOFTSIGN); }
KILN_ONNX_IMPORTER(Softplus) { return activationOp(node, ActivationType::kSOFTPLUS, 1.f, 1.f); }
KILN_ONNX_IMPORTER(LeakyRelu) { return activationOp(node, ActivationType::kLEAKY_RELU, node.attrs.f("alpha", 0.01f)); }
KILN_ONNX_IMPORTER(Elu) { return activationOp(node, ActivationType::kELU, node.attrs.f("alpha", 1.f)); }
KILN_ONNX_IMPORTER(ThresholdedRelu)
{
    return activationOp(node, ActivationType::kTHRESHOLDED_RELU, node.attrs.f("alpha", 1.f));
}
KILN_ONNX_IMPORTER(HardSigmoid)
{
    return activationOp(node, ActivationType::kHARD_SIGMOID, node.attrs.f("alpha", 0.2f), node.attrs.f("beta", 0.5f));
}
KILN_ONNX_IMPORTER(ScaledTanh)
{
    return activationOp(node, ActivationType::kSCALED_TANH, node.attrs.f("alpha", 1.f), node.attrs.f("beta", 1.f));
}
KILN_ONNX_IMPORTER(ParametricSoftplus)
{
    return activationOp(node, ActivationType::kSOFTPLUS, node.attrs.f("alpha", 1.f), node.attrs.f("beta", 1.f));
}
KILN_ONNX_IMPORTER(Selu)
{
    return activationOp(node, ActivationType::kSELU, node.attrs.f("alpha", 1.67326319217681884765625f),
        node.attrs.f("gamma", 1.05070102214813232421875f));
}

KILN_ONNX_IMPORTER(Celu)
{
    // alpha · elu(x / alpha)
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const float alpha = node.attrs.f("alpha", 1.f);
    ITensor* scaled = elementwise(node.ctx, x, scalarLike(node, x, alpha), ElementWiseOperation::kDIV);
    ITensor* out = elementwise(node.ctx, activation(node.ctx, scaled, ActivationType::kELU, 1.f), scalarLike(node, x, alpha),
        ElementWiseOperation::kPROD);
    return single(out);
}

KILN_ONNX_IMPORTER(HardSwish)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    ITensor* gate = activation(node.ctx, x, ActivationType::kHARD_SIGMOID, 1.f / 6.f, 0.5f);
    ITensor* out = elementwise(node.ctx, x, gate, ElementWiseOperation::kPROD);
    return single(out);
}

KILN_ONNX_IMPORTER(Mish)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    ITensor* sp = activation(node.ctx, x, ActivationType::kSOFTPLUS, 1.f, 1.f);
    ITensor* out = elementwise(node.ctx, x, activation(node.ctx, sp, ActivationType::kTANH), ElementWiseOperation::kPROD);
    return single(out);
}

KILN_ONNX_IMPORTER(Gelu)
{
    const std::string approximate = node.attrs.s("approximate", "none");
    KILN_ONNX_CHECK(approximate == "none" || approximate == "tanh", kINVALID_NODE,
        "approximate must be 'none' or 'tanh', not '" + approximate + "'");
    return activationOp(node, approximate == "tanh" ? ActivationType::kGELU_TANH : ActivationType::kGELU_ERF);
}

KILN_ONNX_IMPORTER(Shrink)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const float lambd = node.attrs.f("lambd", 0.5f);
    const float bias = node.attrs.f("bias", 0.f);
    ITensor* below = elementwise(node.ctx, x, scalarLike(node, x, -lambd), ElementWiseOperation::kLESS);
    ITensor* above = elementwise(node.ctx, x, scalarLike(node, x, lambd), ElementWiseOperation::kGREATER);
    ITensor* plus = elementwise(node.ctx, x, scalarLike(node, x, bias), ElementWiseOperation::kSUM);
    ITensor* minus = elementwise(node.ctx, x, scalarLike(node, x, bias), ElementWiseOperation::kSUB);
    ITensor* zero = elementwise(node.ctx, x, scalarLike(node, x, 0), ElementWiseOperation::kPROD);
    KILN_ONNX_NOT_NULL(below && above && plus && minus && zero ? x : nullptr);
    nvinfer1::ISelectLayer* inner = node.network().addSelect(*above, *minus, *zero);
    KILN_ONNX_NOT_NULL(inner);
    nvinfer1::ISelectLayer* outer = node.network().addSelect(*below, *plus, *inner->getOutput(0));
    KILN_ONNX_NOT_NULL(outer);
    return Outputs{Value::of(outer->getOutput(0))};
}

KILN_ONNX_IMPORTER(Clip)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    constexpr float kInf = std::numeric_limits<float>::infinity();
    if (node.opset < 11)
        return activationOp(node, ActivationType::kCLIP, node.attrs.f("min", -kInf), node.attrs.f("max", kInf));
    const bool constBounds = (!node.has(1) || node.input(1).isWeights()) && (!node.has(2) || node.input(2).isWeights());
    if (constBounds && x->getType() == DataType::kFLOAT)
    {
        const float lo = node.has(1) ? static_cast<float>(node.input(1).weights().at(0)) : -kInf;
        const float hi = node.has(2) ? static_cast<float>(node.input(2).weights().at(0)) : kInf;
        return activationOp(node, ActivationType::kCLIP, lo, hi);
    }
    ITensor* out = x;
    if (node.has(1))
        out = elementwise(node.ctx, out, node.tensor(1), ElementWiseOperation::kMAX);
    if (node.has(2))
        out = elementwise(node.ctx, out, node.tensor(2), ElementWiseOperation::kMIN);
    if (out == x)
        out = identity(node.ctx, x);
    return single(out);
}

KILN_ONNX_IMPORTER(PRelu)
{
    ITensor* x = node.tensor(0);
    ITensor* slope = node.tensor(1);
    KILN_ONNX_NOT_NULL(x && slope ? x : nullptr);
    const Dims xd = x->getDimensions();
    const Dims sd = slope->getDimensions();
    if (sd.nbDims == 1 && xd.nbDims >= 2 && sd.d[0] > 1 && sd.d[0] != xd.d[xd.nbDims - 1] && sd.d[0] == xd.d[1])
    {
        // Before opset 7 a 1-D slope is per channel (axis 1).
        std::vector<int64_t> shape(static_cast<size_t>(xd.nbDims), 1);
        shape[1] = sd.d[0];
        slope = reshape(node.ctx, slope, makeDims(shape));
    }
    slope = unsqueezeTo(node.ctx, slope, xd.nbDims);
    KILN_ONNX_NOT_NULL(slope);
    nvinfer1::IParametricReLULayer* l = node.network().addParametricReLU(*x, *slope);
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(Identity)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    return Outputs{node.input(0)};
}

KILN_ONNX_IMPORTER(Dropout)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    if (node.has(2))
    {
        KILN_ONNX_ASSIGN(std::vector<int64_t> training, node.constInts(2, "training_mode"));
        // Training mode drops values at random, except with ratio 0.
        bool zeroRatio = false;
        if (node.has(1) && node.input(1).isWeights())
            zeroRatio = node.input(1).weights().at(0) == 0.0;
        KILN_ONNX_CHECK(training.empty() || training[0] == 0 || zeroRatio, kUNSUPPORTED_NODE,
            "training mode (random dropout) is not supported; only ratio 0");
    }
    Outputs out{node.input(0)};
    if (node.proto.output_size() > 1 && !node.proto.output(1).empty())
    {
        const nvinfer1::Dims d = node.input(0).dims();
        KILN_ONNX_CHECK(isStatic(d), kUNSUPPORTED_NODE, "the mask output needs a static input shape");
        KILN_ONNX_ASSIGN(ShapedWeights mask, makeGeneratedWeights(node.arena(), DataType::kBOOL, dimsVector(d)));
        for (int64_t i = 0; i < mask.count(); ++i)
            mask.set(i, 1);
        out.push_back(Value::of(mask));
    }
    return out;
}

static OnnxExpected<DataType> castTarget(Node& node, int64_t onnxType)
{
    DataType type;
    KILN_ONNX_CHECK(kilnTypeOf(static_cast<int32_t>(onnxType), type), kUNSUPPORTED_NODE,
        std::string("casts to ") + onnxTypeName(static_cast<int32_t>(onnxType)) + " are not supported");
    return type;
}

KILN_ONNX_IMPORTER(Cast)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    KILN_ONNX_ASSIGN(DataType type, castTarget(node, node.attrs.i("to", 0)));
    if (node.input(0).type() == type)
        return Outputs{node.input(0)};
    ITensor* out = cast(node.ctx, node.tensor(0), type);
    return single(out);
}

KILN_ONNX_IMPORTER(CastLike)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1), kINVALID_NODE, "needs two inputs");
    const DataType type = node.input(1).type();
    if (node.input(0).type() == type)
        return Outputs{node.input(0)};
    ITensor* out = cast(node.ctx, node.tensor(0), type);
    return single(out);
}

} // namespace kiln::onnx
