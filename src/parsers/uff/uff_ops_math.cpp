// Binary, Unary, Activation, LeakyRelu, Softmax, Reduce, ArgMax and ArgMin. Element-wise ops keep
// their input's layout; axis fields (TF order, batch = 0) are mapped to the network axes that hold
// them, so none of these ops needs a transpose.
#include "uff_ops.h"
#include "uff_orders.h"

#include <algorithm>
#include <unordered_map>

namespace kiln::uffparser
{

namespace
{

using nvinfer1::ActivationType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::UnaryOperation;

//! The TF axes of field \p name, normalized and sorted (never the batch).
Status axesField(NodeContext& ctx, const char* name, int32_t rank, std::vector<int32_t>& axes, bool& present)
{
    std::vector<int64_t> values;
    KILN_UFF_RETURN_IF_ERROR(ctx.intsField(name, values, present));
    axes.clear();
    for (int64_t v : values)
    {
        int32_t a = 0;
        KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, v, rank, name, false, a));
        axes.push_back(a);
    }
    std::sort(axes.begin(), axes.end());
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
    return Status::ok();
}

//! The layout left when the TF axes \p removed (sorted) are taken out of \p perm.
std::vector<int32_t> permWithout(const std::vector<int32_t>& perm, const std::vector<int32_t>& removed)
{
    std::vector<int32_t> out;
    for (int32_t p : perm)
    {
        if (std::binary_search(removed.begin(), removed.end(), p + 1))
            continue;
        const auto below = std::lower_bound(removed.begin(), removed.end(), p + 1) - removed.begin();
        out.push_back(p - static_cast<int32_t>(below));
    }
    return out;
}

} // namespace

Status binaryOperation(NodeContext& ctx, ElementWiseOperation& op)
{
    static const std::unordered_map<std::string, ElementWiseOperation> ops{{"add", ElementWiseOperation::kSUM},
        {"sub", ElementWiseOperation::kSUB}, {"mul", ElementWiseOperation::kPROD}, {"div", ElementWiseOperation::kDIV},
        {"min", ElementWiseOperation::kMIN}, {"max", ElementWiseOperation::kMAX}, {"pow", ElementWiseOperation::kPOW}};
    std::string func;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("func", "", func));
    const auto it = ops.find(func);
    if (it == ops.end())
        return ctx.unsupported("binary function '" + func + "' is not supported (min, max, mul, sub, div, add, pow)");
    op = it->second;
    return Status::ok();
}

Status convertBinary(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 2));
    ElementWiseOperation op{};
    KILN_UFF_RETURN_IF_ERROR(binaryOperation(ctx, op));
    const Value& a = ctx.input(0);
    const Value& b = ctx.input(1);
    Value ta, tb;
    if (a.isConst())
    {
        tb = b;
        KILN_UFF_RETURN_IF_ERROR(broadcastOperand(ctx, *a.constant, b, ta));
    }
    else if (b.isConst())
    {
        ta = a;
        KILN_UFF_RETURN_IF_ERROR(broadcastOperand(ctx, *b.constant, a, tb));
    }
    else
    {
        if (a.tfRank() != b.tfRank())
            return ctx.unsupported("the inputs have ranks " + std::to_string(a.tfRank()) + " and "
                + std::to_string(b.tfRank())
                + "; tensors that both carry the batch must have the same rank in an implicit-batch network");
        if (a.tensor->getType() != b.tensor->getType())
            return ctx.fail("the inputs have different element types");
        ta = a;
        KILN_UFF_RETURN_IF_ERROR(toLayout(ctx, b, a.perm, tb));
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addElementWise(*ta.tensor, *tb.tensor, op), nullptr, t));
    ctx.setOutput(t, ta.perm);
    return Status::ok();
}

Status convertUnary(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    static const std::unordered_map<std::string, UnaryOperation> ops{{"neg", UnaryOperation::kNEG},
        {"exp", UnaryOperation::kEXP}, {"log", UnaryOperation::kLOG}, {"abs", UnaryOperation::kABS},
        {"sqrt", UnaryOperation::kSQRT}, {"sin", UnaryOperation::kSIN}, {"cos", UnaryOperation::kCOS},
        {"tan", UnaryOperation::kTAN}, {"sinh", UnaryOperation::kSINH}, {"cosh", UnaryOperation::kCOSH},
        {"asin", UnaryOperation::kASIN}, {"acos", UnaryOperation::kACOS}, {"atan", UnaryOperation::kATAN},
        {"asinh", UnaryOperation::kASINH}, {"acosh", UnaryOperation::kACOSH}, {"atanh", UnaryOperation::kATANH},
        {"ceil", UnaryOperation::kCEIL}, {"floor", UnaryOperation::kFLOOR}};
    std::string func;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("func", "", func));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    nvinfer1::ITensor* t = nullptr;
    if (func == "square")
        KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(
            ctx.network().addElementWise(*x.tensor, *x.tensor, ElementWiseOperation::kPROD), nullptr, t));
    else if (func == "rsqrt")
    {
        nvinfer1::ITensor* root = nullptr;
        KILN_UFF_RETURN_IF_ERROR(
            ctx.layerOutput(ctx.network().addUnary(*x.tensor, UnaryOperation::kSQRT), "sqrt", root));
        KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addUnary(*root, UnaryOperation::kRECIP), nullptr, t));
    }
    else
    {
        const auto it = ops.find(func);
        if (it == ops.end())
            return ctx.unsupported("unary function '" + func + "' is not supported");
        KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addUnary(*x.tensor, it->second), nullptr, t));
    }
    ctx.setOutput(t, x.perm);
    return Status::ok();
}

namespace
{
Status addActivation(NodeContext& ctx, ActivationType type, float alpha, float beta)
{
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    nvinfer1::IActivationLayer* layer = ctx.network().addActivation(*x.tensor, type);
    if (layer)
    {
        layer->setAlpha(alpha);
        layer->setBeta(beta);
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(layer, nullptr, t));
    ctx.setOutput(t, x.perm);
    return Status::ok();
}
} // namespace

Status convertActivation(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    std::string func;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("func", "", func));
    if (func == "relu")
        return addActivation(ctx, ActivationType::kRELU, 0.f, 0.f);
    if (func == "relu6")
        return addActivation(ctx, ActivationType::kCLIP, 0.f, 6.f);
    if (func == "sigmoid")
        return addActivation(ctx, ActivationType::kSIGMOID, 0.f, 0.f);
    if (func == "tanh")
        return addActivation(ctx, ActivationType::kTANH, 0.f, 0.f);
    if (func == "elu")
        return addActivation(ctx, ActivationType::kELU, 1.f, 0.f);
    if (func == "selu") // TF's constants
        return addActivation(ctx, ActivationType::kSELU, 1.6732632423543772f, 1.0507009873554805f);
    if (func == "softsign")
        return addActivation(ctx, ActivationType::kSOFTSIGN, 0.f, 0.f);
    if (func == "softplus")
        return addActivation(ctx, ActivationType::kSOFTPLUS, 1.f, 1.f);
    return ctx.unsupported("activation '" + func + "' is not supported");
}

Status convertLeakyRelu(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    double alpha = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.doubleField("alpha", 0.2, alpha));
    return addActivation(ctx, ActivationType::kLEAKY_RELU, static_cast<float>(alpha), 0.f);
}

Status convertSoftmax(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    int64_t axis = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", -1, axis));
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, x.tfRank(), "axis", false, a));
    nvinfer1::ISoftMaxLayer* layer = ctx.network().addSoftMax(*x.tensor);
    if (layer)
        layer->setAxes(1u << x.netAxis(a));
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(layer, nullptr, t));
    ctx.setOutput(t, x.perm);
    return Status::ok();
}

Status convertReduce(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    static const std::unordered_map<std::string, nvinfer1::ReduceOperation> ops{
        {"sum", nvinfer1::ReduceOperation::kSUM}, {"prod", nvinfer1::ReduceOperation::kPROD},
        {"max", nvinfer1::ReduceOperation::kMAX}, {"min", nvinfer1::ReduceOperation::kMIN},
        {"mean", nvinfer1::ReduceOperation::kAVG}};
    std::string func;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("func", "", func));
    const auto op = ops.find(func);
    if (op == ops.end())
        return ctx.unsupported("reduce function '" + func + "' is not supported (sum, prod, max, min, mean)");
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    std::vector<int32_t> axes;
    bool present = false;
    KILN_UFF_RETURN_IF_ERROR(axesField(ctx, "axes", x.tfRank(), axes, present));
    bool keep = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.boolField("keepdims", false, keep));
    if (axes.empty())
    {
        // Reducing over no axes leaves the tensor as it is.
        ctx.setOutput(x);
        return Status::ok();
    }
    uint32_t mask = 0;
    for (int32_t a : axes)
        mask |= 1u << x.netAxis(a);
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addReduce(*x.tensor, op->second, mask, keep), nullptr, t));
    ctx.setOutput(t, keep ? x.perm : permWithout(x.perm, axes));
    return Status::ok();
}

Status convertArgMinMax(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    if (!ctx.has("axis"))
        return ctx.fail("field 'axis' is missing");
    int64_t axis = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, x.tfRank(), "axis", false, a));
    const auto op = ctx.op() == "ArgMax" ? nvinfer1::TopKOperation::kMAX : nvinfer1::TopKOperation::kMIN;
    nvinfer1::ITensor* indices = nullptr;
    KILN_UFF_RETURN_IF_ERROR(
        ctx.layerOutput(ctx.network().addTopK(*x.tensor, op, 1, 1u << x.netAxis(a)), nullptr, indices, 1));
    Value kept;
    kept.tensor = indices;
    kept.perm = x.perm;
    Value out;
    KILN_UFF_RETURN_IF_ERROR(dropAxes(ctx, kept, {a}, out));
    ctx.setOutput(out);
    return Status::ok();
}

} // namespace kiln::uffparser
