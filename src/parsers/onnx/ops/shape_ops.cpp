// Data-movement operators: Reshape, Flatten, Transpose, (Un)Squeeze, Concat, Split, Slice, Shape,
// Size, Expand, Tile, Pad, DepthToSpace, SpaceToDepth.
#include "helpers.h"
#include "shape_math.h"

#include <algorithm>
#include <numeric>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ITensor;
using Scalar = ShapeMath::Scalar;

OnnxStatus normalizeAxes(std::vector<int64_t>& axes, int32_t rank)
{
    for (int64_t& a : axes)
        KILN_ONNX_CHECK(normalizeAxis(a, rank), kINVALID_NODE,
            "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    std::sort(axes.begin(), axes.end());
    KILN_ONNX_CHECK(std::adjacent_find(axes.begin(), axes.end()) == axes.end(), kINVALID_NODE, "axes repeat");
    return OnnxStatus::ok();
}

//! Axes from the attribute (before \p inputSince) or from input \p input.
OnnxExpected<std::vector<int64_t>> axesOf(Node& node, int64_t inputSince, int32_t input, bool& given)
{
    given = false;
    if (node.opset < inputSince)
    {
        given = node.attrs.has("axes");
        return node.attrs.ints("axes");
    }
    if (!node.has(input))
        return std::vector<int64_t>{};
    given = true;
    return node.constInts(input, "axes");
}

//! Slices \p x along every axis with per-axis start/size/stride scalars (sizes may be dynamic).
OnnxExpected<ITensor*> sliceWith(Node& node, ITensor* x, ShapeMath& m, const std::vector<Scalar>& start,
    const std::vector<Scalar>& size, const std::vector<int64_t>& stride, nvinfer1::SliceMode mode = nvinfer1::SliceMode::kDEFAULT,
    ITensor* fill = nullptr)
{
    std::vector<int64_t> one(stride.size(), 1);
    const bool staticStart = ShapeMath::allConst(start);
    const bool staticSize = ShapeMath::allConst(size);
    nvinfer1::ISliceLayer* l = node.network().addSlice(*x, staticStart ? ShapeMath::constDims(start) : makeDims(std::vector<int64_t>(start.size(), 0)),
        staticSize ? ShapeMath::constDims(size) : makeDims(one), makeDims(stride));
    KILN_ONNX_NOT_NULL(l);
    l->setMode(mode);
    if (fill)
        l->setInput(4, *fill);
    if (!staticStart)
    {
        ITensor* s = m.vector(start);
        KILN_ONNX_NOT_NULL(s);
        l->setInput(1, *s);
    }
    if (!staticSize)
    {
        ITensor* s = m.vector(size);
        KILN_ONNX_NOT_NULL(s);
        l->setInput(2, *s);
    }
    return l->getOutput(0);
}

} // namespace

KILN_ONNX_IMPORTER(Reshape)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const bool allowZero = node.attrs.i("allowzero", 0) != 0;
    if (node.opset < 5)
        return Outputs{Value::of(reshape(node.ctx, x, makeDims(node.attrs.ints("shape")), true))};
    KILN_ONNX_CHECK(node.has(1), kINVALID_NODE, "needs the shape input");
    if (node.input(1).isWeights())
    {
        const std::vector<int64_t> shape = node.input(1).weights().ints();
        KILN_ONNX_CHECK(shape.size() <= static_cast<size_t>(Dims::MAX_DIMS), kUNSUPPORTED_NODE, "the target rank exceeds 8");
        ITensor* out = reshape(node.ctx, x, makeDims(shape), !allowZero);
        return single(out);
    }
    ITensor* out = reshapeTo(node.ctx, x, cast(node.ctx, node.tensor(1), DataType::kINT32), !allowZero);
    return single(out);
}

KILN_ONNX_IMPORTER(Flatten)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    int64_t axis = node.attrs.i("axis", 1);
    if (axis < 0)
        axis += d.nbDims;
    KILN_ONNX_CHECK(axis >= 0 && axis <= d.nbDims, kINVALID_NODE, "axis is out of range");
    ShapeMath m(node.ctx, x);
    Scalar outer = ShapeMath::c(1);
    Scalar inner = ShapeMath::c(1);
    for (int32_t i = 0; i < d.nbDims; ++i)
        (i < axis ? outer : inner) = m.mul(i < axis ? outer : inner, m.dim(i));
    ITensor* out = ShapeMath::allConst({outer, inner}) ? reshape(node.ctx, x, ShapeMath::constDims({outer, inner}))
                                                      : reshapeTo(node.ctx, x, m.vector({outer, inner}));
    return single(out);
}

KILN_ONNX_IMPORTER(Transpose)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    std::vector<int64_t> perm = node.attrs.ints("perm");
    if (perm.empty())
        for (int32_t i = rank - 1; i >= 0; --i)
            perm.push_back(i);
    KILN_ONNX_CHECK(static_cast<int32_t>(perm.size()) == rank, kINVALID_NODE, "perm does not match the input rank");
    std::vector<int32_t> p;
    for (int64_t v : perm)
    {
        KILN_ONNX_CHECK(normalizeAxis(v, rank), kINVALID_NODE, "perm holds an invalid axis");
        p.push_back(static_cast<int32_t>(v));
    }
    ITensor* out = transpose(node.ctx, x, p);
    return single(out);
}

KILN_ONNX_IMPORTER(Squeeze)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    bool given = false;
    KILN_ONNX_ASSIGN(std::vector<int64_t> axes, axesOf(node, 13, 1, given));
    if (!given)
    {
        for (int32_t i = 0; i < d.nbDims; ++i)
        {
            KILN_ONNX_CHECK(d.d[i] >= 0, kUNSUPPORTED_NODE, "Squeeze without axes needs a static input shape");
            if (d.d[i] == 1)
                axes.push_back(i);
        }
    }
    KILN_ONNX_RETURN_IF_ERROR(normalizeAxes(axes, d.nbDims));
    for (int64_t a : axes)
        KILN_ONNX_CHECK(d.d[a] == 1 || d.d[a] == -1, kINVALID_NODE,
            "cannot squeeze axis " + std::to_string(a) + " of extent " + std::to_string(d.d[a]));
    ITensor* out = squeeze(node.ctx, x, axes);
    return single(out);
}

KILN_ONNX_IMPORTER(Unsqueeze)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    bool given = false;
    KILN_ONNX_ASSIGN(std::vector<int64_t> axes, axesOf(node, 13, 1, given));
    KILN_ONNX_CHECK(given, kINVALID_NODE, "needs axes");
    const int32_t rank = x->getDimensions().nbDims + static_cast<int32_t>(axes.size());
    KILN_ONNX_CHECK(rank <= Dims::MAX_DIMS, kUNSUPPORTED_NODE, "the output rank exceeds 8");
    KILN_ONNX_RETURN_IF_ERROR(normalizeAxes(axes, rank));
    ITensor* out = unsqueeze(node.ctx, x, axes);
    return single(out);
}

KILN_ONNX_IMPORTER(Concat)
{
    std::vector<ITensor*> parts;
    for (int32_t i = 0; i < node.nbInputs(); ++i)
        if (node.has(i))
            parts.push_back(node.tensor(i));
    KILN_ONNX_CHECK(!parts.empty(), kINVALID_NODE, "needs at least one input");
    for (ITensor* p : parts)
        KILN_ONNX_NOT_NULL(p);
    int64_t axis = node.attrs.i("axis", node.opset < 4 ? 1 : 0);
    KILN_ONNX_CHECK(normalizeAxis(axis, parts[0]->getDimensions().nbDims), kINVALID_NODE, "axis is out of range");
    if (parts.size() == 1)
        return Outputs{Value::of(identity(node.ctx, parts[0]))};
    ITensor* out = concat(node.ctx, parts, static_cast<int32_t>(axis));
    return single(out);
}

KILN_ONNX_IMPORTER(Split)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    int64_t axis = node.attrs.i("axis", 0);
    KILN_ONNX_CHECK(normalizeAxis(axis, d.nbDims), kINVALID_NODE, "axis is out of range");
    const int32_t n = node.proto.output_size();
    std::vector<int64_t> split;
    if (node.opset < 13)
        split = node.attrs.ints("split");
    else if (node.has(1))
    {
        KILN_ONNX_ASSIGN(split, node.constInts(1, "split"));
    }
    KILN_ONNX_CHECK(d.d[axis] >= 0, kUNSUPPORTED_NODE, "the split axis must have a static extent");
    const int64_t extent = d.d[axis];
    if (split.empty())
    {
        // Equal parts; since opset 18 the last one may be smaller.
        const int64_t parts = node.opset >= 18 && node.attrs.has("num_outputs") ? node.attrs.i("num_outputs", n) : n;
        KILN_ONNX_CHECK(parts > 0, kINVALID_NODE, "needs at least one output");
        const int64_t chunk = (extent + parts - 1) / parts;
        KILN_ONNX_CHECK(node.opset >= 18 || extent % parts == 0, kINVALID_NODE, "the axis does not split evenly");
        for (int64_t i = 0, left = extent; i < parts; ++i, left -= chunk)
            split.push_back(std::max<int64_t>(0, std::min(chunk, left)));
    }
    KILN_ONNX_CHECK(static_cast<int32_t>(split.size()) == n, kINVALID_NODE, "split sizes do not match the outputs");
    KILN_ONNX_CHECK(std::accumulate(split.begin(), split.end(), int64_t{0}) == extent, kINVALID_NODE,
        "split sizes do not add up to the axis extent");
    ShapeMath m(node.ctx, x);
    Outputs outs;
    int64_t offset = 0;
    for (int64_t s : split)
    {
        std::vector<Scalar> start, size;
        for (int32_t i = 0; i < d.nbDims; ++i)
        {
            start.push_back(ShapeMath::c(i == axis ? offset : 0));
            size.push_back(i == axis ? ShapeMath::c(s) : m.dim(i));
        }
        KILN_ONNX_ASSIGN(ITensor * out, sliceWith(node, x, m, start, size, std::vector<int64_t>(static_cast<size_t>(d.nbDims), 1)));
        outs.push_back(Value::of(out));
        offset += s;
    }
    return outs;
}

KILN_ONNX_IMPORTER(Slice)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    std::vector<int64_t> starts, ends, axes, steps;
    if (node.opset < 10)
    {
        starts = node.attrs.ints("starts");
        ends = node.attrs.ints("ends");
        axes = node.attrs.ints("axes");
    }
    else
    {
        KILN_ONNX_ASSIGN(starts, node.constInts(1, "starts"));
        KILN_ONNX_ASSIGN(ends, node.constInts(2, "ends"));
        if (node.has(3))
        {
            KILN_ONNX_ASSIGN(axes, node.constInts(3, "axes"));
        }
        if (node.has(4))
        {
            KILN_ONNX_ASSIGN(steps, node.constInts(4, "steps"));
        }
    }
    if (axes.empty())
        for (size_t i = 0; i < starts.size(); ++i)
            axes.push_back(static_cast<int64_t>(i));
    if (steps.empty())
        steps.assign(starts.size(), 1);
    KILN_ONNX_CHECK(starts.size() == ends.size() && starts.size() == axes.size() && starts.size() == steps.size(),
        kINVALID_NODE, "starts, ends, axes and steps differ in length");
    ShapeMath m(node.ctx, x);
    std::vector<Scalar> start, size;
    std::vector<int64_t> stride(static_cast<size_t>(d.nbDims), 1);
    for (int32_t i = 0; i < d.nbDims; ++i)
    {
        start.push_back(ShapeMath::c(0));
        size.push_back(m.dim(i));
    }
    for (size_t k = 0; k < axes.size(); ++k)
    {
        int64_t a = axes[k];
        KILN_ONNX_CHECK(normalizeAxis(a, d.nbDims), kINVALID_NODE, "axis " + std::to_string(axes[k]) + " is out of range");
        const int64_t st = steps[k];
        KILN_ONNX_CHECK(st != 0, kINVALID_NODE, "steps must not be 0");
        const Scalar dim = m.dim(static_cast<int32_t>(a));
        // numpy rules: negative bounds count from the end, then clamp to the valid range.
        const auto resolve = [&](int64_t v, int64_t lo, int64_t hiOffset) {
            Scalar s = v < 0 ? m.add(dim, ShapeMath::c(v)) : ShapeMath::c(v);
            return m.min(m.max(s, ShapeMath::c(lo)), m.add(dim, ShapeMath::c(hiOffset)));
        };
        Scalar s, e, n;
        if (st > 0)
        {
            s = resolve(starts[k], 0, 0);
            e = resolve(ends[k], 0, 0);
            n = m.floorDiv(m.add(m.sub(e, s), ShapeMath::c(st - 1)), ShapeMath::c(st));
        }
        else
        {
            s = resolve(starts[k], 0, -1);
            e = resolve(ends[k], -1, -1);
            n = m.floorDiv(m.add(m.sub(s, e), ShapeMath::c(-st - 1)), ShapeMath::c(-st));
        }
        start[static_cast<size_t>(a)] = s;
        size[static_cast<size_t>(a)] = m.max(n, ShapeMath::c(0));
        stride[static_cast<size_t>(a)] = st;
    }
    KILN_ONNX_ASSIGN(ITensor * out, sliceWith(node, x, m, start, size, stride));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(Shape)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    const Dims d = node.input(0).dims();
    int64_t begin = node.attrs.i("start", 0);
    int64_t end = node.attrs.i("end", d.nbDims);
    begin = std::clamp<int64_t>(begin < 0 ? begin + d.nbDims : begin, 0, d.nbDims);
    end = std::clamp<int64_t>(end < 0 ? end + d.nbDims : end, 0, d.nbDims);
    end = std::max(begin, end);
    bool known = true;
    std::vector<int64_t> values;
    for (int64_t i = begin; i < end; ++i)
    {
        known = known && d.d[i] >= 0;
        values.push_back(d.d[i]);
    }
    if (known)
        return Outputs{Value::of(makeIntVector(node.arena(), values))};
    ITensor* shape = shapeOf(node.ctx, node.tensor(0));
    if (begin != 0 || end != d.nbDims)
        shape = slice1d(node.ctx, shape, static_cast<int32_t>(begin), static_cast<int32_t>(end));
    return single(shape);
}

KILN_ONNX_IMPORTER(Size)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    const Dims d = node.input(0).dims();
    if (isStatic(d))
        return Outputs{Value::of(makeScalarWeights(node.arena(), DataType::kINT32, static_cast<double>(volume(d))))};
    ITensor* x = node.tensor(0);
    ShapeMath m(node.ctx, x);
    Scalar n = ShapeMath::c(1);
    for (int32_t i = 0; i < d.nbDims; ++i)
        n = m.mul(n, m.dim(i));
    ITensor* out = reshape(node.ctx, m.tensor(n), Dims{0, {}, {}});
    return single(out);
}

KILN_ONNX_IMPORTER(Expand)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_ASSIGN(std::vector<int64_t> shape, node.constInts(1, "shape"));
    const int32_t rank = std::max<int32_t>(x->getDimensions().nbDims, static_cast<int32_t>(shape.size()));
    KILN_ONNX_CHECK(rank <= Dims::MAX_DIMS, kUNSUPPORTED_NODE, "the output rank exceeds 8");
    x = unsqueezeTo(node.ctx, x, rank);
    KILN_ONNX_NOT_NULL(x);
    shape.insert(shape.begin(), static_cast<size_t>(rank) - shape.size(), 1);
    const Dims d = x->getDimensions();
    // Broadcast with a strided slice: stride 0 repeats an extent-1 axis.
    ShapeMath m(node.ctx, x);
    std::vector<Scalar> start, size;
    std::vector<int64_t> stride;
    for (int32_t i = 0; i < rank; ++i)
    {
        start.push_back(ShapeMath::c(0));
        const int64_t want = shape[static_cast<size_t>(i)];
        if (d.d[i] == 1 && want != 1)
        {
            size.push_back(ShapeMath::c(want));
            stride.push_back(0);
        }
        else
        {
            KILN_ONNX_CHECK(want == 1 || d.d[i] < 0 || d.d[i] == want, kINVALID_NODE,
                "cannot expand extent " + std::to_string(d.d[i]) + " to " + std::to_string(want));
            size.push_back(m.dim(i));
            stride.push_back(1);
        }
    }
    KILN_ONNX_ASSIGN(ITensor * out, sliceWith(node, x, m, start, size, stride));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(Tile)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_ASSIGN(std::vector<int64_t> repeats, node.constInts(1, "repeats"));
    const Dims d = x->getDimensions();
    KILN_ONNX_CHECK(static_cast<int32_t>(repeats.size()) == d.nbDims, kINVALID_NODE, "repeats must have one entry per axis");
    ShapeMath m(node.ctx, x);
    std::vector<Scalar> start, size;
    for (int32_t i = 0; i < d.nbDims; ++i)
    {
        KILN_ONNX_CHECK(repeats[static_cast<size_t>(i)] >= 0, kINVALID_NODE, "repeats must not be negative");
        start.push_back(ShapeMath::c(0));
        size.push_back(m.mul(m.dim(i), ShapeMath::c(repeats[static_cast<size_t>(i)])));
    }
    KILN_ONNX_ASSIGN(ITensor * out,
        sliceWith(node, x, m, start, size, std::vector<int64_t>(static_cast<size_t>(d.nbDims), 1), nvinfer1::SliceMode::kWRAP));
    return Outputs{Value::of(out)};
}

KILN_ONNX_IMPORTER(Pad)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    const std::string mode = node.attrs.s("mode", "constant");
    std::vector<int64_t> pads;
    std::vector<int64_t> axes;
    ITensor* fill = nullptr;
    if (node.opset < 11)
    {
        pads = node.attrs.ints(node.opset < 2 ? "paddings" : "pads");
        const float value = node.attrs.f("value", 0.f);
        if (value != 0.f)
            fill = scalarConstant(node.ctx, x->getType(), value);
    }
    else
    {
        KILN_ONNX_ASSIGN(pads, node.constInts(1, "pads"));
        if (node.has(2))
            fill = reshape(node.ctx, node.tensor(2), Dims{0, {}, {}});
        if (node.has(3))
        {
            KILN_ONNX_ASSIGN(axes, node.constInts(3, "axes"));
        }
    }
    if (axes.empty())
        for (int32_t i = 0; i < d.nbDims; ++i)
            axes.push_back(i);
    KILN_ONNX_CHECK(pads.size() == 2 * axes.size(), kINVALID_NODE, "pads must hold two entries per padded axis");
    nvinfer1::SliceMode sliceMode;
    if (mode == "constant")
        sliceMode = nvinfer1::SliceMode::kFILL;
    else if (mode == "reflect")
        sliceMode = nvinfer1::SliceMode::kREFLECT;
    else if (mode == "edge")
        sliceMode = nvinfer1::SliceMode::kCLAMP;
    else if (mode == "wrap")
        sliceMode = nvinfer1::SliceMode::kWRAP;
    else
        return KILN_ONNX_ERROR(kINVALID_NODE, "unknown mode '" + mode + "'");
    ShapeMath m(node.ctx, x);
    std::vector<Scalar> start, size;
    for (int32_t i = 0; i < d.nbDims; ++i)
    {
        start.push_back(ShapeMath::c(0));
        size.push_back(m.dim(i));
    }
    const size_t n = axes.size();
    for (size_t k = 0; k < n; ++k)
    {
        int64_t a = axes[k];
        KILN_ONNX_CHECK(normalizeAxis(a, d.nbDims), kINVALID_NODE, "pad axis is out of range");
        start[static_cast<size_t>(a)] = ShapeMath::c(-pads[k]);
        size[static_cast<size_t>(a)] = m.add(m.dim(static_cast<int32_t>(a)), ShapeMath::c(pads[k] + pads[k + n]));
    }
    const bool wantsFill = (fill || (node.opset >= 11 && node.has(2))) && sliceMode == nvinfer1::SliceMode::kFILL;
    fill = wantsFill ? cast(node.ctx, fill, x->getType()) : nullptr;
    KILN_ONNX_CHECK(!wantsFill || fill, kINVALID_NODE, "the constant_value could not be used (see the log)");
    KILN_ONNX_ASSIGN(ITensor * out,
        sliceWith(node, x, m, start, size, std::vector<int64_t>(static_cast<size_t>(d.nbDims), 1), sliceMode, fill));
    return Outputs{Value::of(out)};
}

static OnnxExpected<Outputs> depthSpace(Node& node, bool toSpace)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    KILN_ONNX_CHECK(d.nbDims == 4, kINVALID_NODE, "needs a 4-D input");
    KILN_ONNX_CHECK(d.d[1] >= 0 && d.d[2] >= 0 && d.d[3] >= 0, kUNSUPPORTED_NODE, "needs static C, H and W");
    const int32_t b = static_cast<int32_t>(node.attrs.i("blocksize", 0));
    KILN_ONNX_CHECK(b > 0, kINVALID_NODE, "blocksize must be positive");
    const int32_t c = d.d[1], h = d.d[2], w = d.d[3];
    ITensor* out;
    if (toSpace)
    {
        KILN_ONNX_CHECK(c % (b * b) == 0, kINVALID_NODE, "channels are not divisible by blocksize²");
        const bool crd = node.attrs.s("mode", "DCR") == "CRD";
        const Dims split = crd ? Dims{6, {0, c / (b * b), b, b, h, w}, {}} : Dims{6, {0, b, b, c / (b * b), h, w}, {}};
        const std::vector<int32_t> perm = crd ? std::vector<int32_t>{0, 1, 4, 2, 5, 3} : std::vector<int32_t>{0, 3, 4, 1, 5, 2};
        out = reshape(node.ctx, transpose(node.ctx, reshape(node.ctx, x, split, true), perm), Dims{4, {0, c / (b * b), h * b, w * b}, {}}, true);
    }
    else
    {
        KILN_ONNX_CHECK(h % b == 0 && w % b == 0, kINVALID_NODE, "H and W are not divisible by blocksize");
        out = reshape(node.ctx,
            transpose(node.ctx, reshape(node.ctx, x, Dims{6, {0, c, h / b, b, w / b, b}, {}}, true), {0, 3, 5, 1, 2, 4}),
            Dims{4, {0, c * b * b, h / b, w / b}, {}}, true);
    }
    return single(out);
}

KILN_ONNX_IMPORTER(DepthToSpace) { return depthSpace(node, true); }
KILN_ONNX_IMPORTER(SpaceToDepth) { return depthSpace(node, false); }

} // namespace kiln::onnx
