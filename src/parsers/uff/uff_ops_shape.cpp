// Reshape, Flatten, Squeeze, ExpandDims, Transpose, Concat, Stack, StridedSlice, Pad and Gather on
// network tensors. Ops that regroup elements (reshapes, gathers) work in TF order; the others map
// their axes to the network layout and keep it (Transpose only relabels the layout).
#include "uff_ops.h"
#include "uff_orders.h"

#include <algorithm>
#include <climits>

namespace kiln::uffparser
{

namespace
{

nvinfer1::Dims dimsOf(const std::vector<int64_t>& v)
{
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(v.size());
    for (size_t k = 0; k < v.size(); ++k)
        d.d[k] = static_cast<int32_t>(v[k]);
    return d;
}

int64_t product(const std::vector<int64_t>& v, size_t from)
{
    int64_t p = 1;
    for (size_t k = from; k < v.size(); ++k)
        p *= v[k];
    return p;
}

//! A constant list of integers from input \p index (1-D or scalar).
Status intList(NodeContext& ctx, int32_t index, const char* what, std::vector<int64_t>& out)
{
    ConstPtr c;
    KILN_UFF_RETURN_IF_ERROR(ctx.constInput(index, what, c));
    if (!c->isInt || c->shape.size() > 1)
        return ctx.fail(std::string(what) + " must be a list of integers; it has shape " + toString(c->shape));
    out = c->i;
    return Status::ok();
}

} // namespace

Status reshapeTarget(NodeContext& ctx, const ConstTensor& target, const std::vector<int64_t>& shape, bool batched,
    std::vector<int64_t>& out)
{
    if (!target.isInt || target.shape.size() > 1)
        return ctx.fail("the target shape must be a list of integers; it has shape " + toString(target.shape));
    std::vector<int64_t> values = target.i;
    if (batched)
    {
        if (values.empty())
            return ctx.fail("the target shape [] drops the batch axis");
        const int64_t b = values[0];
        if (b > 0)
            ctx.converter().warn(ctx.describe() + ": target shape " + toString(values) + " has the fixed batch extent "
                + std::to_string(b) + "; it is taken as the implicit batch");
        else if (b != -1 && b != kBatchExtent)
            return ctx.fail(
                "the target shape " + toString(values) + " must keep the batch as entry 0 (-1 or the batch size)");
        values.erase(values.begin());
    }
    const int64_t volume = product(shape, batched ? 1 : 0);
    int64_t known = 1;
    int32_t unknown = -1;
    for (size_t k = 0; k < values.size(); ++k)
    {
        const int64_t v = values[k];
        if (v == -1 && unknown < 0)
            unknown = static_cast<int32_t>(k);
        else if (v < 0 || v > (int64_t{1} << 31))
            return ctx.fail("the target shape " + toString(target.i) + " has the entry "
                + (v == kBatchExtent ? "batch" : std::to_string(v))
                + (batched && v == -1 ? " besides the batch entry" : "") + " (one -1 at most; the batch only first)");
        else
            known *= v;
        if (known > (int64_t{1} << 40))
            return ctx.fail("the target shape " + toString(target.i) + " is too large");
    }
    if (unknown >= 0)
    {
        if (known == 0 || volume % known != 0)
            return ctx.fail(
                "the target shape " + toString(target.i) + " does not fit " + std::to_string(volume) + " elements");
        values[static_cast<size_t>(unknown)] = volume / known;
    }
    else if (known != volume)
        return ctx.fail("the target shape " + toString(target.i) + " holds " + std::to_string(known)
            + " elements; the input has " + std::to_string(volume) + (batched ? " per batch item" : ""));
    out = values;
    return Status::ok();
}

Status squeezeAxes(NodeContext& ctx, const std::vector<int64_t>& shape, bool batched, std::vector<int32_t>& axes)
{
    std::vector<int64_t> values;
    bool present = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.intsField("axes", values, present));
    const auto rank = static_cast<int32_t>(shape.size());
    axes.clear();
    for (int64_t v : values)
    {
        int32_t a = 0;
        KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, v, rank, "axis", !batched, a));
        if (shape[static_cast<size_t>(a)] != 1)
            return ctx.fail("axis " + std::to_string(v) + " has extent " + std::to_string(shape[static_cast<size_t>(a)])
                + ", not 1");
        axes.push_back(a);
    }
    if (values.empty())
        for (int32_t a = batched ? 1 : 0; a < rank; ++a)
            if (shape[static_cast<size_t>(a)] == 1)
                axes.push_back(a);
    std::sort(axes.begin(), axes.end());
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
    return Status::ok();
}

Status stridedSliceAxes(NodeContext& ctx, const std::vector<int64_t>& shape, std::vector<SliceAxis>& axes)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(3, 4));
    std::vector<int64_t> begin, end, strides;
    KILN_UFF_RETURN_IF_ERROR(intList(ctx, 1, "begin", begin));
    KILN_UFF_RETURN_IF_ERROR(intList(ctx, 2, "end", end));
    if (ctx.nbInputs() == 4)
        KILN_UFF_RETURN_IF_ERROR(intList(ctx, 3, "strides", strides));
    else
        strides.assign(begin.size(), 1);
    const auto rank = static_cast<int64_t>(shape.size());
    if (begin.size() != end.size() || begin.size() != strides.size() || static_cast<int64_t>(begin.size()) > rank)
        return ctx.fail("begin " + toString(begin) + ", end " + toString(end) + " and strides " + toString(strides)
            + " must have one entry per sliced axis (at most " + std::to_string(rank) + ")");
    int64_t beginMask = 0, endMask = 0, shrinkMask = 0, ellipsisMask = 0, newAxisMask = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("begin_mask", 0, beginMask));
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("end_mask", 0, endMask));
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("shrink_axis_mask", 0, shrinkMask));
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("ellipsis_mask", 0, ellipsisMask));
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("new_axis_mask", 0, newAxisMask));
    if (ellipsisMask != 0 || newAxisMask != 0)
        return ctx.unsupported("ellipsis_mask and new_axis_mask are not supported");
    axes.assign(static_cast<size_t>(rank), SliceAxis{});
    constexpr int64_t kFar = int64_t{1} << 40; // beyond any extent; keeps the arithmetic in range
    for (int64_t d = 0; d < rank; ++d)
    {
        SliceAxis& s = axes[static_cast<size_t>(d)];
        const int64_t n = shape[static_cast<size_t>(d)];
        const auto k = static_cast<size_t>(d);
        const bool bit = d < 63;
        const bool bm = bit && ((beginMask >> d) & 1);
        const bool em = bit && ((endMask >> d) & 1);
        const bool shrink = bit && ((shrinkMask >> d) & 1);
        if (d >= static_cast<int64_t>(begin.size()))
        {
            s = SliceAxis{0, n, 1, false, true};
            continue;
        }
        const int64_t step = strides[k];
        if (step == 0)
            return ctx.fail("strides " + toString(strides) + " has a zero step");
        if (n < 0)
        {
            // The batch axis of a network tensor: only all of it can be taken.
            const bool fromStart = bm || begin[k] == 0;
            const bool toEnd = em || end[k] >= INT32_MAX || end[k] == kBatchExtent;
            if (shrink || step != 1 || !fromStart || !toEnd)
                return ctx.unsupported("the slice restricts the batch axis (begin " + toString(begin) + ", end "
                    + toString(end) + "); an implicit-batch network keeps it whole");
            s = SliceAxis{0, n, 1, false, true};
            continue;
        }
        auto clampIndex = [&](int64_t v) {
            v = std::max(-kFar, std::min(kFar, v));
            return v < 0 ? v + n : v;
        };
        if (shrink)
        {
            const int64_t b = clampIndex(begin[k]);
            if (b < 0 || b >= n)
                return ctx.fail("shrinks axis " + std::to_string(d) + " at index " + std::to_string(begin[k])
                    + ", outside its extent " + std::to_string(n));
            s = SliceAxis{b, 1, 1, true, n == 1};
            continue;
        }
        const int64_t lo = step > 0 ? 0 : -1;
        const int64_t hi = step > 0 ? n : n - 1;
        const int64_t b = bm ? (step > 0 ? lo : hi) : std::max(lo, std::min(hi, clampIndex(begin[k])));
        const int64_t e = em ? (step > 0 ? hi : lo) : std::max(lo, std::min(hi, clampIndex(end[k])));
        const int64_t size = step > 0 ? std::max<int64_t>(0, (e - b + step - 1) / step)
                                      : std::max<int64_t>(0, (b - e - step - 1) / -step);
        s = SliceAxis{size > 0 ? b : 0, size, step, false, b == 0 && step == 1 && size == n};
    }
    return Status::ok();
}

Status padAmounts(NodeContext& ctx, int32_t rank, std::vector<int64_t>& pre, std::vector<int64_t>& post)
{
    ConstPtr c;
    KILN_UFF_RETURN_IF_ERROR(ctx.constInput(1, "the paddings", c));
    if (!c->isInt || c->count() != 2 * static_cast<int64_t>(rank))
        return ctx.fail(
            "the paddings must be [" + std::to_string(rank) + ", 2] integers; they have shape " + toString(c->shape));
    pre.clear();
    post.clear();
    for (int32_t a = 0; a < rank; ++a)
    {
        const int64_t p0 = c->i[static_cast<size_t>(2 * a)];
        const int64_t p1 = c->i[static_cast<size_t>(2 * a + 1)];
        if (p0 < 0 || p1 < 0 || p0 > (int64_t{1} << 24) || p1 > (int64_t{1} << 24))
            return ctx.fail("the paddings " + toString(c->i) + " must be non-negative");
        pre.push_back(p0);
        post.push_back(p1);
    }
    return Status::ok();
}

Status convertReshape(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 2));
    Value x, natural, out;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    ConstPtr target;
    KILN_UFF_RETURN_IF_ERROR(ctx.constInput(1, "the target shape", target));
    std::vector<int64_t> dims;
    KILN_UFF_RETURN_IF_ERROR(reshapeTarget(ctx, *target, x.tfShape(), true, dims));
    KILN_UFF_RETURN_IF_ERROR(toNatural(ctx, x, natural));
    KILN_UFF_RETURN_IF_ERROR(reshapeTo(ctx, natural, dims, out));
    ctx.setOutput(out);
    return Status::ok();
}

Status convertFlatten(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    Value x, natural, out;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    KILN_UFF_RETURN_IF_ERROR(toNatural(ctx, x, natural));
    KILN_UFF_RETURN_IF_ERROR(reshapeTo(ctx, natural, {product(x.tfShape(), 1)}, out));
    ctx.setOutput(out);
    return Status::ok();
}

Status convertSqueeze(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    Value x, out;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    std::vector<int32_t> axes;
    KILN_UFF_RETURN_IF_ERROR(squeezeAxes(ctx, x.tfShape(), true, axes));
    KILN_UFF_RETURN_IF_ERROR(dropAxes(ctx, x, axes, out));
    ctx.setOutput(out);
    return Status::ok();
}

Status convertExpandDims(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    Value x, out;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    int64_t axis = 0;
    if (!ctx.has("axis"))
        return ctx.fail("field 'axis' is missing");
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, x.tfRank() + 1, "axis", false, a));
    KILN_UFF_RETURN_IF_ERROR(insertUnitAxis(ctx, x, a, out));
    ctx.setOutput(out);
    return Status::ok();
}

Status transposePermutation(NodeContext& ctx, int32_t rank, std::vector<int32_t>& perm)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 2));
    std::vector<int64_t> values;
    bool present = false;
    if (ctx.nbInputs() == 2)
        KILN_UFF_RETURN_IF_ERROR(intList(ctx, 1, "the permutation", values));
    else
    {
        KILN_UFF_RETURN_IF_ERROR(ctx.intsField("permutation", values, present));
        if (!present)
            return ctx.fail("field 'permutation' is missing");
    }
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    bool valid = static_cast<int32_t>(values.size()) == rank;
    perm.clear();
    for (size_t k = 0; valid && k < values.size(); ++k)
    {
        const int64_t v = values[k];
        valid = v >= 0 && v < rank && !seen[static_cast<size_t>(v)];
        if (valid)
            seen[static_cast<size_t>(v)] = true;
        perm.push_back(static_cast<int32_t>(v));
    }
    if (!valid)
        return ctx.fail(
            "permutation " + toString(values) + " is not a permutation of " + std::to_string(rank) + " axes");
    return Status::ok();
}

Status convertTranspose(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 2));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    std::vector<int32_t> p;
    KILN_UFF_RETURN_IF_ERROR(transposePermutation(ctx, x.tfRank(), p));
    if (p[0] != 0)
        return ctx.unsupported(
            "permutation " + toString(p) + " moves the batch axis; an implicit-batch network keeps it first");
    // New TF axis j is old axis p[j]: only the layout's labels change, no data moves here.
    std::vector<int32_t> inverse(p.size());
    for (size_t j = 0; j < p.size(); ++j)
        inverse[static_cast<size_t>(p[j])] = static_cast<int32_t>(j);
    Value out = x;
    for (int32_t& q : out.perm)
        q = inverse[static_cast<size_t>(q) + 1] - 1;
    ctx.setOutput(out);
    return Status::ok();
}

namespace
{

//! The inputs of a Concat or Stack as network tensors in the first one's layout.
Status sameLayoutInputs(NodeContext& ctx, std::vector<Value>& values)
{
    values.clear();
    for (int32_t k = 0; k < ctx.nbInputs(); ++k)
    {
        const Value& v = ctx.input(k);
        if (v.isConst())
            return ctx.unsupported("input " + std::to_string(k)
                + " is a constant and others are network tensors; constants carry no batch axis to join along");
        if (k > 0)
        {
            if (v.tfRank() != values[0].tfRank() || v.tensor->getType() != values[0].tensor->getType())
                return ctx.fail("input " + std::to_string(k) + " has TF shape " + toString(v.tfShape())
                    + "; input 0 has " + toString(values[0].tfShape()) + " (same rank and type needed)");
            Value converted;
            KILN_UFF_RETURN_IF_ERROR(toLayout(ctx, v, values[0].perm, converted));
            values.push_back(converted);
        }
        else
            values.push_back(v);
    }
    return Status::ok();
}

Status concatenate(NodeContext& ctx, const std::vector<Value>& values, int32_t tfAxis)
{
    if (values.size() == 1)
    {
        ctx.setOutput(values[0]);
        return Status::ok();
    }
    std::vector<nvinfer1::ITensor*> tensors;
    for (const Value& v : values)
        tensors.push_back(v.tensor);
    nvinfer1::IConcatenationLayer* layer =
        ctx.network().addConcatenation(tensors.data(), static_cast<int32_t>(tensors.size()));
    if (layer)
        layer->setAxis(values[0].netAxis(tfAxis));
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(layer, nullptr, t));
    ctx.setOutput(t, values[0].perm);
    return Status::ok();
}

} // namespace

Status convertConcat(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, -1));
    std::vector<Value> values;
    KILN_UFF_RETURN_IF_ERROR(sameLayoutInputs(ctx, values));
    int64_t axis = 0;
    if (!ctx.has("axis"))
        return ctx.fail("field 'axis' is missing");
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, values[0].tfRank(), "axis", false, a));
    return concatenate(ctx, values, a);
}

Status convertStack(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, -1));
    std::vector<Value> values;
    KILN_UFF_RETURN_IF_ERROR(sameLayoutInputs(ctx, values));
    for (size_t k = 1; k < values.size(); ++k)
        if (values[k].tfShape() != values[0].tfShape())
            return ctx.fail("input " + std::to_string(k) + " has TF shape " + toString(values[k].tfShape())
                + "; Stack needs equal shapes (input 0 has " + toString(values[0].tfShape()) + ")");
    int64_t axis = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.intField("axis", 0, axis));
    int32_t a = 0;
    KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, values[0].tfRank() + 1, "axis", false, a));
    for (Value& v : values)
    {
        Value expanded;
        KILN_UFF_RETURN_IF_ERROR(insertUnitAxis(ctx, v, a, expanded));
        v = expanded;
    }
    return concatenate(ctx, values, a);
}

Status convertStridedSlice(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(3, 4));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    std::vector<SliceAxis> axes;
    KILN_UFF_RETURN_IF_ERROR(stridedSliceAxes(ctx, x.tfShape(), axes));
    std::vector<int64_t> start, size, stride;
    std::vector<int32_t> shrink;
    bool whole = true;
    for (size_t i = 0; i < x.perm.size(); ++i)
    {
        const SliceAxis& s = axes[static_cast<size_t>(x.perm[i]) + 1];
        start.push_back(s.start);
        size.push_back(s.size);
        stride.push_back(s.stride);
        whole = whole && s.whole;
    }
    for (size_t t = 1; t < axes.size(); ++t)
        if (axes[t].shrink)
            shrink.push_back(static_cast<int32_t>(t));
    Value sliced = x;
    if (!whole)
    {
        nvinfer1::ITensor* t = nullptr;
        KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(
            ctx.network().addSlice(*x.tensor, dimsOf(start), dimsOf(size), dimsOf(stride)), nullptr, t));
        sliced.tensor = t;
    }
    Value out;
    KILN_UFF_RETURN_IF_ERROR(dropAxes(ctx, sliced, shrink, out));
    ctx.setOutput(out);
    return Status::ok();
}

Status convertPad(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, 3));
    Value x;
    KILN_UFF_RETURN_IF_ERROR(ctx.tensorInput(0, x));
    std::vector<int64_t> pre, post;
    KILN_UFF_RETURN_IF_ERROR(padAmounts(ctx, x.tfRank(), pre, post));
    if (pre[0] != 0 || post[0] != 0)
        return ctx.unsupported("the paddings pad the batch axis, which an implicit-batch network does not hold");
    // A kFILL slice that starts before the data and ends after it pads any axis of any layout.
    const nvinfer1::Dims d = x.tensor->getDimensions();
    std::vector<int64_t> start, size, stride;
    for (size_t i = 0; i < x.perm.size(); ++i)
    {
        const auto t = static_cast<size_t>(x.perm[i]) + 1;
        start.push_back(-pre[t]);
        size.push_back(d.d[i] + pre[t] + post[t]);
        stride.push_back(1);
    }
    nvinfer1::ISliceLayer* slice = ctx.network().addSlice(*x.tensor, dimsOf(start), dimsOf(size), dimsOf(stride));
    if (slice)
        slice->setMode(nvinfer1::SliceMode::kFILL);
    if (slice && ctx.nbInputs() == 3)
    {
        ConstPtr fill;
        KILN_UFF_RETURN_IF_ERROR(ctx.constInput(2, "the pad value", fill));
        if (fill->count() != 1)
            return ctx.fail("the pad value must be one number");
        ConstTensor value;
        value.isInt = x.tensor->getType() == nvinfer1::DataType::kINT32;
        if (value.isInt)
            value.i = {saturatedInt(fill->at(0))};
        else
            value.f = {static_cast<float>(fill->at(0))};
        nvinfer1::ITensor* fillTensor = nullptr;
        KILN_UFF_RETURN_IF_ERROR(constantLayer(ctx, value, {}, "value", fillTensor));
        slice->setInput(4, *fillTensor);
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(slice, nullptr, t));
    ctx.setOutput(t, x.perm);
    return Status::ok();
}

Status gatherAxis(NodeContext& ctx, int64_t& axis)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(2, ctx.op() == "GatherV2" ? 3 : 2));
    axis = 0;
    if (ctx.op() != "GatherV2")
        return Status::ok();
    if (ctx.nbInputs() == 3)
    {
        std::vector<int64_t> values;
        KILN_UFF_RETURN_IF_ERROR(intList(ctx, 2, "the axis", values));
        if (values.size() != 1)
            return ctx.fail("the axis input must be one integer");
        axis = values[0];
        return Status::ok();
    }
    return ctx.intField("axis", 0, axis);
}

Status convertGather(NodeContext& ctx)
{
    int64_t axis = 0;
    KILN_UFF_RETURN_IF_ERROR(gatherAxis(ctx, axis));
    const Value& params = ctx.input(0);
    const Value& indices = ctx.input(1);
    nvinfer1::ITensor* data = nullptr;
    nvinfer1::ITensor* index = nullptr;
    int32_t netAxis = 0;
    if (params.isConst() && indices.isTensor())
    {
        // A lookup table indexed by the network (embedding): the batch comes from the indices.
        const ConstTensor& table = *params.constant;
        int32_t a = 0;
        KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, static_cast<int32_t>(table.shape.size()), "axis", true, a));
        if (a != 0)
            return ctx.unsupported("gathering axis " + std::to_string(axis)
                + " of a constant with network indices puts the "
                + "batch inside the result; only axis 0 is supported");
        Value natural;
        KILN_UFF_RETURN_IF_ERROR(toNatural(ctx, indices, natural));
        KILN_UFF_RETURN_IF_ERROR(constantLayer(ctx, table, table.shape, "params", data));
        index = natural.tensor;
    }
    else if (params.isTensor() && indices.isConst())
    {
        const ConstTensor& idx = *indices.constant;
        int32_t a = 0;
        KILN_UFF_RETURN_IF_ERROR(normalizeAxis(ctx, axis, params.tfRank(), "axis", false, a));
        const int64_t extent = params.tfShape()[static_cast<size_t>(a)];
        if (!idx.isInt)
            return ctx.fail("the indices must be integers");
        for (int64_t v : idx.i)
            if (v < 0 || v >= extent)
                return ctx.fail("index " + (v == kBatchExtent ? std::string("batch") : std::to_string(v))
                    + " is outside the extent " + std::to_string(extent) + " of axis " + std::to_string(a));
        Value natural;
        KILN_UFF_RETURN_IF_ERROR(toNatural(ctx, params, natural));
        KILN_UFF_RETURN_IF_ERROR(constantLayer(ctx, idx, idx.shape, "indices", index));
        data = natural.tensor;
        netAxis = a - 1;
    }
    else
        return ctx.unsupported("either the params or the indices must be a constant (both are network tensors)");
    if (index->getType() != nvinfer1::DataType::kINT32)
        return ctx.fail("the indices must be INT32");
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(ctx.network().addGather(*data, *index, netAxis), nullptr, t));
    ctx.setOutput(t, identityPerm(t->getDimensions().nbDims));
    return Status::ok();
}

} // namespace kiln::uffparser
