// Ops computed at parse time when all their inputs are constants. TF graphs compute shapes this
// way (Shape -> StridedSlice -> Stack -> Reshape) and prepare weights (Identity, Transpose, Mul of
// constants); folding them keeps such values usable as weights and Reshape targets. Values
// computed from the batch size (kBatchExtent) may be moved around but not used in arithmetic.
#include "uff_ops.h"
#include "uff_orders.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace kiln::uffparser
{

namespace
{

//! Appends element \p k of \p src to \p dst (converting between integers and floats).
void push(ConstTensor& dst, const ConstTensor& src, int64_t k)
{
    const auto i = static_cast<size_t>(k);
    if (dst.isInt)
        dst.i.push_back(src.isInt ? src.i[i] : saturatedInt(src.f[i]));
    else
        dst.f.push_back(src.isInt ? static_cast<float>(src.i[i]) : src.f[i]);
}

Status checkSize(NodeContext& ctx, const std::vector<int64_t>& shape)
{
    int64_t volume = 0;
    Status s = checkedVolume(shape, kMaxFoldedElements, volume);
    return s.isOk() ? s : ctx.fail("the folded result: " + s.message());
}

std::vector<int64_t> stridesOf(const std::vector<int64_t>& shape)
{
    std::vector<int64_t> s(shape.size(), 1);
    for (size_t k = shape.size(); k-- > 1;)
        s[k - 1] = s[k] * shape[k];
    return s;
}

//! Calls \p fn(outIndex, coords) for every element of \p shape in row-major order.
template <typename Fn> void forEach(const std::vector<int64_t>& shape, Fn fn)
{
    int64_t n = 1;
    for (int64_t e : shape)
        n *= e;
    std::vector<int64_t> coord(shape.size(), 0);
    for (int64_t o = 0; o < n; ++o)
    {
        fn(o, coord);
        for (size_t k = shape.size(); k-- > 0;)
        {
            if (++coord[k] < shape[k])
                break;
            coord[k] = 0;
        }
    }
}

int64_t floorDiv(int64_t a, int64_t b)
{
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

Status intBinary(NodeContext& ctx, nvinfer1::ElementWiseOperation op, int64_t a, int64_t b, int64_t& out)
{
    using E = nvinfer1::ElementWiseOperation;
    const auto ua = static_cast<uint64_t>(a);
    const auto ub = static_cast<uint64_t>(b);
    switch (op)
    {
    case E::kSUM: out = static_cast<int64_t>(ua + ub); break;
    case E::kSUB: out = static_cast<int64_t>(ua - ub); break;
    case E::kPROD: out = static_cast<int64_t>(ua * ub); break;
    case E::kMIN: out = std::min(a, b); break;
    case E::kMAX: out = std::max(a, b); break;
    case E::kDIV:
        if (b == 0 || (a == INT64_MIN && b == -1))
            return ctx.fail("integer division by zero (or overflow) in constants");
        out = floorDiv(a, b); // rounds down, as Kiln's kDIV on INT32 tensors does
        break;
    case E::kPOW:
    {
        if (b < 0)
            return ctx.fail("integer power with a negative exponent");
        uint64_t r = 1, base = ua;
        for (int64_t e = b; e > 0; e >>= 1, base *= base)
            if (e & 1)
                r *= base;
        out = static_cast<int64_t>(r);
        break;
    }
    default: return ctx.fail("internal error: operation");
    }
    return Status::ok();
}

float floatBinary(nvinfer1::ElementWiseOperation op, float a, float b)
{
    using E = nvinfer1::ElementWiseOperation;
    switch (op)
    {
    case E::kSUM: return a + b;
    case E::kSUB: return a - b;
    case E::kPROD: return a * b;
    case E::kMIN: return std::min(a, b);
    case E::kMAX: return std::max(a, b);
    case E::kDIV: return a / b;
    case E::kPOW: return std::pow(a, b);
    default: return 0.f;
    }
}

} // namespace

Status foldBinary(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 2));
    nvinfer1::ElementWiseOperation op{};
    KILN_UFF_RETURN_IF_ERROR(binaryOperation(ctx, op));
    const ConstTensor& a = *ctx.input(0).constant;
    const ConstTensor& b = *ctx.input(1).constant;
    if (a.hasBatchExtent() || b.hasBatchExtent())
        return ctx.unsupported(
            "arithmetic on a value computed from the batch size, which is only known when the engine runs");
    // NumPy/TF broadcasting, aligned from the last axis.
    const size_t rank = std::max(a.shape.size(), b.shape.size());
    std::vector<int64_t> sa(rank - a.shape.size(), 1), sb(rank - b.shape.size(), 1), shape(rank, 1);
    sa.insert(sa.end(), a.shape.begin(), a.shape.end());
    sb.insert(sb.end(), b.shape.begin(), b.shape.end());
    for (size_t k = 0; k < rank; ++k)
    {
        if (sa[k] != sb[k] && sa[k] != 1 && sb[k] != 1)
            return ctx.fail("constant shapes " + toString(a.shape) + " and " + toString(b.shape) + " do not broadcast");
        shape[k] = sa[k] == 1 ? sb[k] : sa[k];
    }
    KILN_UFF_RETURN_IF_ERROR(checkSize(ctx, shape));
    const std::vector<int64_t> stA = stridesOf(sa), stB = stridesOf(sb);
    ConstTensor out;
    out.isInt = a.isInt && b.isInt;
    out.shape = shape;
    Status status;
    forEach(shape, [&](int64_t, const std::vector<int64_t>& c) {
        int64_t ia = 0, ib = 0;
        for (size_t k = 0; k < rank; ++k)
        {
            ia += (sa[k] == 1 ? 0 : c[k]) * stA[k];
            ib += (sb[k] == 1 ? 0 : c[k]) * stB[k];
        }
        if (!status.isOk())
            return;
        if (out.isInt)
        {
            int64_t v = 0;
            status = intBinary(ctx, op, a.i[static_cast<size_t>(ia)], b.i[static_cast<size_t>(ib)], v);
            out.i.push_back(v);
        }
        else
            out.f.push_back(floatBinary(op, static_cast<float>(a.at(ia)), static_cast<float>(b.at(ib))));
    });
    KILN_UFF_RETURN_IF_ERROR(status);
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldUnary(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    using Fn = double (*)(double);
    static const std::unordered_map<std::string, Fn> fns{{"neg", [](double x) { return -x; }},
        {"exp", [](double x) { return std::exp(x); }}, {"log", [](double x) { return std::log(x); }},
        {"abs", [](double x) { return std::fabs(x); }}, {"sqrt", [](double x) { return std::sqrt(x); }},
        {"rsqrt", [](double x) { return 1.0 / std::sqrt(x); }}, {"square", [](double x) { return x * x; }},
        {"sin", [](double x) { return std::sin(x); }}, {"cos", [](double x) { return std::cos(x); }},
        {"tan", [](double x) { return std::tan(x); }}, {"sinh", [](double x) { return std::sinh(x); }},
        {"cosh", [](double x) { return std::cosh(x); }}, {"asin", [](double x) { return std::asin(x); }},
        {"acos", [](double x) { return std::acos(x); }}, {"atan", [](double x) { return std::atan(x); }},
        {"asinh", [](double x) { return std::asinh(x); }}, {"acosh", [](double x) { return std::acosh(x); }},
        {"atanh", [](double x) { return std::atanh(x); }}, {"ceil", [](double x) { return std::ceil(x); }},
        {"floor", [](double x) { return std::floor(x); }}};
    std::string func;
    KILN_UFF_RETURN_IF_ERROR(ctx.stringField("func", "", func));
    const auto it = fns.find(func);
    if (it == fns.end())
        return ctx.unsupported("unary function '" + func + "' is not supported");
    const ConstTensor& x = *ctx.input(0).constant;
    if (x.hasBatchExtent())
        return ctx.unsupported("arithmetic on a value computed from the batch size");
    ConstTensor out;
    out.shape = x.shape;
    out.isInt = x.isInt && (func == "neg" || func == "abs" || func == "square");
    for (int64_t k = 0; k < x.count(); ++k)
    {
        if (out.isInt)
        {
            const int64_t v = x.i[static_cast<size_t>(k)];
            const auto u = static_cast<uint64_t>(v);
            out.i.push_back(func == "square" ? static_cast<int64_t>(u * u)
                    : func == "neg"          ? static_cast<int64_t>(0 - u)
                    : v < 0                  ? static_cast<int64_t>(0 - u)
                                             : v);
        }
        else
            out.f.push_back(static_cast<float>(it->second(x.at(k))));
    }
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldReshape(NodeContext& ctx)
{
    const bool flatten = ctx.op() == "Flatten";
    KILN_UFF_RETURN_IF_ERROR(flatten ? ctx.expectInputs(1, 1) : ctx.expectInputs(2, 2));
    ConstTensor out = *ctx.input(0).constant;
    if (flatten)
    {
        if (out.shape.empty())
            return ctx.fail("a scalar cannot be flattened");
        int64_t rest = 1;
        for (size_t k = 1; k < out.shape.size(); ++k)
            rest *= out.shape[k];
        out.shape = {out.shape[0], rest};
    }
    else
        KILN_UFF_RETURN_IF_ERROR(reshapeTarget(ctx, *ctx.input(1).constant, out.shape, false, out.shape));
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldSqueeze(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    ConstTensor out = *ctx.input(0).constant;
    std::vector<int32_t> axes;
    KILN_UFF_RETURN_IF_ERROR(squeezeAxes(ctx, out.shape, false, axes));
    for (size_t k = axes.size(); k-- > 0;)
        out.shape.erase(out.shape.begin() + axes[k]);
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldExpandDims(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    ConstTensor out = *ctx.input(0).constant;
    int64_t axis = 0;
    if (!ctx.has("axis"))
        return ctx.fail("field 'axis' is missing");
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, static_cast<int32_t>(out.shape.size()) + 1, "axis", true, a));
    if (out.shape.size() >= static_cast<size_t>(nvinfer1::Dims::MAX_DIMS))
        return ctx.fail("the result would have more than " + std::to_string(nvinfer1::Dims::MAX_DIMS) + " axes");
    out.shape.insert(out.shape.begin() + a, 1);
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldTranspose(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 2));
    const ConstTensor& x = *ctx.input(0).constant;
    std::vector<int32_t> p;
    KILN_UFF_RETURN_IF_ERROR(transposePermutation(ctx, static_cast<int32_t>(x.shape.size()), p));
    ConstTensor out;
    out.isInt = x.isInt;
    if (x.isInt)
        out.i = permuteValues(x.i, x.shape, p, out.shape);
    else
        out.f = permuteValues(x.f, x.shape, p, out.shape);
    ctx.setOutput(std::move(out));
    return Status::ok();
}

namespace
{

//! Joins the constant inputs along \p axis; \p stack inserts the axis first.
Status join(NodeContext& ctx, int64_t axis, bool stack)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, -1));
    const std::vector<int64_t> first = ctx.input(0).constant->shape;
    const auto rank = static_cast<int32_t>(first.size()) + (stack ? 1 : 0);
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, rank, "axis", true, a));
    const auto ua = static_cast<size_t>(a);
    ConstTensor out;
    out.isInt = true;
    out.shape = first;
    if (stack)
        out.shape.insert(out.shape.begin() + a, 0);
    else
        out.shape[ua] = 0;
    for (int32_t k = 0; k < ctx.nbInputs(); ++k)
    {
        const ConstTensor& c = *ctx.input(k).constant;
        bool same = c.shape.size() == first.size();
        for (size_t d = 0; same && d < first.size(); ++d)
            same = c.shape[d] == first[d] || (!stack && d == ua);
        if (!same)
            return ctx.fail("input " + std::to_string(k) + " has shape " + toString(c.shape) + "; input 0 has "
                + toString(first) + (stack ? " (Stack needs equal shapes)" : ""));
        out.isInt = out.isInt && c.isInt;
        out.shape[ua] += stack ? 1 : c.shape[ua];
    }
    KILN_UFF_RETURN_IF_ERROR(checkSize(ctx, out.shape));
    int64_t outer = 1;
    for (size_t d = 0; d < ua; ++d)
        outer *= out.shape[d];
    for (int64_t o = 0; o < outer; ++o)
        for (int32_t k = 0; k < ctx.nbInputs(); ++k)
        {
            const ConstTensor& c = *ctx.input(k).constant;
            const int64_t block = c.count() / outer;
            for (int64_t e = 0; e < block; ++e)
                push(out, c, o * block + e);
        }
    ctx.setOutput(std::move(out));
    return Status::ok();
}

} // namespace

Status foldConcat(NodeContext& ctx)
{
    int64_t axis = 0;
    if (!ctx.has("axis"))
        return ctx.fail("field 'axis' is missing");
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    return join(ctx, axis, false);
}

Status foldStack(NodeContext& ctx)
{
    int64_t axis = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    return join(ctx, axis, true);
}

Status foldStridedSlice(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(3, 4));
    const ConstTensor& x = *ctx.input(0).constant;
    std::vector<SliceAxis> axes;
    KILN_UFF_RETURN_IF_ERROR(stridedSliceAxes(ctx, x.shape, axes));
    std::vector<int64_t> shape, kept;
    for (const SliceAxis& s : axes)
    {
        shape.push_back(s.size);
        if (!s.shrink)
            kept.push_back(s.size);
    }
    const std::vector<int64_t> st = stridesOf(x.shape);
    ConstTensor out;
    out.isInt = x.isInt;
    out.shape = kept;
    forEach(shape, [&](int64_t, const std::vector<int64_t>& c) {
        int64_t src = 0;
        for (size_t k = 0; k < c.size(); ++k)
            src += (axes[k].start + c[k] * axes[k].stride) * st[k];
        push(out, x, src);
    });
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldPad(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 3));
    const ConstTensor& x = *ctx.input(0).constant;
    std::vector<int64_t> pre, post;
    KILN_UFF_RETURN_IF_ERROR(padAmounts(ctx, static_cast<int32_t>(x.shape.size()), pre, post));
    double fill = 0;
    if (ctx.nbInputs() == 3)
    {
        if (ctx.input(2).constant->count() != 1)
            return ctx.fail("the pad value must be one number");
        fill = ctx.input(2).constant->at(0);
    }
    ConstTensor out;
    out.isInt = x.isInt;
    for (size_t k = 0; k < x.shape.size(); ++k)
        out.shape.push_back(x.shape[k] + pre[k] + post[k]);
    KILN_UFF_RETURN_IF_ERROR(checkSize(ctx, out.shape));
    const std::vector<int64_t> st = stridesOf(x.shape);
    forEach(out.shape, [&](int64_t, const std::vector<int64_t>& c) {
        int64_t src = 0;
        bool inside = true;
        for (size_t k = 0; k < c.size() && inside; ++k)
        {
            const int64_t p = c[k] - pre[k];
            inside = p >= 0 && p < x.shape[k];
            src += p * st[k];
        }
        if (inside)
            push(out, x, src);
        else if (out.isInt)
            out.i.push_back(saturatedInt(fill));
        else
            out.f.push_back(static_cast<float>(fill));
    });
    ctx.setOutput(std::move(out));
    return Status::ok();
}

Status foldGather(NodeContext& ctx)
{
    int64_t axis = 0;
    KILN_UFF_RETURN_IF_ERROR(gatherAxis(ctx, axis));
    const ConstTensor& params = *ctx.input(0).constant;
    const ConstTensor& indices = *ctx.input(1).constant;
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, static_cast<int32_t>(params.shape.size()), "axis", true, a));
    if (!indices.isInt)
        return ctx.fail("the indices must be integers");
    const int64_t extent = params.shape[static_cast<size_t>(a)];
    for (int64_t v : indices.i)
        if (v < 0 || v >= extent)
            return ctx.fail("index " + (v == kBatchExtent ? std::string("batch") : std::to_string(v))
                + " is outside the extent " + std::to_string(extent) + " of axis " + std::to_string(a));
    ConstTensor out;
    out.isInt = params.isInt;
    out.shape.assign(params.shape.begin(), params.shape.begin() + a);
    out.shape.insert(out.shape.end(), indices.shape.begin(), indices.shape.end());
    out.shape.insert(out.shape.end(), params.shape.begin() + a + 1, params.shape.end());
    KILN_UFF_RETURN_IF_ERROR(checkSize(ctx, out.shape));
    int64_t outer = 1, inner = 1;
    for (int32_t d = 0; d < a; ++d)
        outer *= params.shape[static_cast<size_t>(d)];
    for (size_t d = static_cast<size_t>(a) + 1; d < params.shape.size(); ++d)
        inner *= params.shape[d];
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t index : indices.i)
            for (int64_t e = 0; e < inner; ++e)
                push(out, params, (o * extent + index) * inner + e);
    ctx.setOutput(std::move(out));
    return Status::ok();
}

} // namespace kiln::uffparser
