// Constants and generators (Constant, ConstantOfShape, Range, EyeLike, NonZero, Trilu, random
// fills) and index-driven operators (Gather*, Scatter*, OneHot, CumSum).
#include "helpers.h"
#include "shape_math.h"

#include <algorithm>
#include <cmath>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ITensor;

OnnxExpected<ITensor*> int32Tensor(Node& node, int32_t i)
{
    ITensor* t = node.tensor(i);
    KILN_ONNX_NOT_NULL(t);
    t = cast(node.ctx, t, DataType::kINT32);
    KILN_ONNX_NOT_NULL(t);
    return t;
}

//! A Fill layer of \p op whose output shape is the 1-D INT32 tensor \p shape.
ITensor* fillLike(Node& node, ITensor* shape, nvinfer1::FillOperation op, double alpha, double beta)
{
    if (!shape || shape->getDimensions().nbDims != 1)
        return nullptr;
    const int32_t rank = shape->getDimensions().d[0];
    nvinfer1::IFillLayer* l = node.network().addFill(Dims{1, {std::max(rank, 0)}, {}}, op);
    if (!l)
        return nullptr;
    l->setInput(0, *shape);
    l->setAlpha(alpha);
    l->setBeta(beta);
    return l->getOutput(0);
}

} // namespace

KILN_ONNX_IMPORTER(Constant)
{
    if (const ::onnx::TensorProto* t = node.attrs.tensor("value"))
    {
        KILN_ONNX_ASSIGN(ShapedWeights w, convertTensor(*t, node.arena(), node.ctx.source()));
        return Outputs{Value::of(w)};
    }
    if (node.attrs.has("value_float"))
        return Outputs{Value::of(makeScalarWeights(node.arena(), DataType::kFLOAT, node.attrs.f("value_float", 0.f)))};
    if (node.attrs.has("value_int"))
        return Outputs{Value::of(makeScalarWeights(node.arena(), DataType::kINT32, static_cast<double>(node.attrs.i("value_int", 0))))};
    if (node.attrs.has("value_ints"))
        return Outputs{Value::of(makeIntVector(node.arena(), node.attrs.ints("value_ints")))};
    if (node.attrs.has("value_floats"))
    {
        const std::vector<float> v = node.attrs.floats("value_floats");
        ShapedWeights w = makeWeights(node.arena(), DataType::kFLOAT, {static_cast<int64_t>(v.size())});
        for (size_t i = 0; i < v.size(); ++i)
            w.set(static_cast<int64_t>(i), v[i]);
        return Outputs{Value::of(w)};
    }
    return KILN_ONNX_ERROR(kUNSUPPORTED_NODE, "only tensor, float and int constants are supported (not sparse or string)");
}

KILN_ONNX_IMPORTER(ConstantOfShape)
{
    double value = 0.0;
    DataType type = DataType::kFLOAT;
    if (const ::onnx::TensorProto* t = node.attrs.tensor("value"))
    {
        KILN_ONNX_ASSIGN(ShapedWeights w, convertTensor(*t, node.arena(), node.ctx.source()));
        KILN_ONNX_CHECK(w.count() == 1, kINVALID_NODE, "value must hold one element");
        value = w.at(0);
        type = w.type;
    }
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs the shape input");
    if (node.input(0).isWeights())
    {
        const std::vector<int64_t> shape = node.input(0).weights().ints();
        for (int64_t d : shape)
            KILN_ONNX_CHECK(d >= 0, kINVALID_NODE, "the shape holds a negative extent");
        KILN_ONNX_CHECK(shape.size() <= static_cast<size_t>(Dims::MAX_DIMS), kUNSUPPORTED_NODE, "the output rank exceeds 8");
        KILN_ONNX_ASSIGN(ShapedWeights w, makeGeneratedWeights(node.arena(), type, shape));
        for (int64_t i = 0; i < w.count(); ++i)
            w.set(i, value);
        return Outputs{Value::of(w)};
    }
    KILN_ONNX_ASSIGN(ITensor * shape, int32Tensor(node, 0));
    ITensor* out = fillLike(node, shape, nvinfer1::FillOperation::kLINSPACE, value, 0.0);
    KILN_ONNX_NOT_NULL(out);
    if (type != DataType::kFLOAT)
        out = cast(node.ctx, out, type);
    return single(out);
}

KILN_ONNX_IMPORTER(Range)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1) && node.has(2), kINVALID_NODE, "needs start, limit and delta");
    const bool constant = node.input(0).isWeights() && node.input(1).isWeights() && node.input(2).isWeights();
    const DataType type = node.input(0).type();
    if (constant)
    {
        const double start = node.input(0).weights().at(0);
        const double limit = node.input(1).weights().at(0);
        const double delta = node.input(2).weights().at(0);
        KILN_ONNX_CHECK(delta != 0.0, kINVALID_NODE, "delta must not be 0");
        const double count = std::ceil((limit - start) / delta);
        KILN_ONNX_CHECK(std::isfinite(count), kINVALID_NODE, "start, limit and delta must be finite");
        const int64_t n = static_cast<int64_t>(std::clamp(count, 0.0, static_cast<double>(kMaxGeneratedElements) + 1));
        KILN_ONNX_ASSIGN(ShapedWeights w, makeGeneratedWeights(node.arena(), type, {n}));
        for (int64_t i = 0; i < n; ++i)
            w.set(i, start + static_cast<double>(i) * delta);
        return Outputs{Value::of(w)};
    }
    KILN_ONNX_CHECK(type == DataType::kINT32 && node.input(2).isWeights(), kUNSUPPORTED_NODE,
        "a Range computed at run time needs integer inputs, and delta must be a constant");
    const int64_t delta = static_cast<int64_t>(node.input(2).weights().at(0));
    KILN_ONNX_CHECK(delta != 0, kINVALID_NODE, "delta must not be 0");
    ITensor* start = reshape(node.ctx, node.tensor(0), Dims{1, {1}, {}});
    ITensor* limit = reshape(node.ctx, node.tensor(1), Dims{1, {1}, {}});
    KILN_ONNX_NOT_NULL(start && limit ? start : nullptr);
    ShapeMath m(node.ctx, start);
    const ShapeMath::Scalar s{false, 0, start}, l{false, 0, limit};
    const ShapeMath::Scalar span = delta > 0 ? m.add(m.sub(l, s), ShapeMath::c(delta - 1)) : m.add(m.sub(l, s), ShapeMath::c(delta + 1));
    ITensor* count = m.tensor(m.max(m.floorDiv(span, ShapeMath::c(delta)), ShapeMath::c(0)));
    nvinfer1::IFillLayer* f = node.network().addFill(Dims{1, {0}, {}}, nvinfer1::FillOperation::kLINSPACE);
    KILN_ONNX_NOT_NULL(f && count ? f : nullptr);
    f->setInput(0, *count);
    ITensor* startScalar = reshape(node.ctx, start, Dims{0, {}, {}});
    ITensor* deltaVector = intConstant(node.ctx, {delta});
    KILN_ONNX_NOT_NULL(startScalar && deltaVector ? startScalar : nullptr);
    f->setInput(1, *startScalar);
    f->setInput(2, *deltaVector);
    return Outputs{Value::of(f->getOutput(0))};
}

KILN_ONNX_IMPORTER(EyeLike)
{
    KILN_ONNX_CHECK(node.has(0), kINVALID_NODE, "needs an input");
    const Dims d = node.input(0).dims();
    KILN_ONNX_CHECK(d.nbDims == 2 && isStatic(d), kUNSUPPORTED_NODE, "needs a 2-D input of static shape");
    DataType type = node.input(0).type();
    if (node.attrs.has("dtype"))
        KILN_ONNX_CHECK(kilnTypeOf(static_cast<int32_t>(node.attrs.i("dtype", 1)), type), kUNSUPPORTED_NODE, "unsupported dtype");
    const int64_t k = node.attrs.i("k", 0);
    KILN_ONNX_ASSIGN(ShapedWeights w, makeGeneratedWeights(node.arena(), type, {d.d[0], d.d[1]}));
    for (int64_t r = 0; r < d.d[0]; ++r)
        for (int64_t c = 0; c < d.d[1]; ++c)
            w.set(r * d.d[1] + c, c - r == k ? 1 : 0);
    return Outputs{Value::of(w)};
}

KILN_ONNX_IMPORTER(NonZero)
{
    KILN_ONNX_CHECK(node.has(0) && node.input(0).isWeights(), kUNSUPPORTED_NODE,
        "the input must be a constant: NonZero's output shape depends on the data");
    const ShapedWeights& x = node.input(0).weights();
    const int64_t rank = static_cast<int64_t>(x.shape.size());
    std::vector<int64_t> hits;
    for (int64_t i = 0; i < x.count(); ++i)
        if (x.at(i) != 0.0)
            hits.push_back(i);
    const int64_t n = static_cast<int64_t>(hits.size());
    ShapedWeights w = makeWeights(node.arena(), DataType::kINT32, {std::max<int64_t>(rank, 1), n});
    for (int64_t j = 0; j < n; ++j)
    {
        int64_t flat = hits[static_cast<size_t>(j)];
        for (int64_t a = rank - 1; a >= 0; --a)
        {
            const int64_t extent = x.shape[static_cast<size_t>(a)];
            w.set(a * n + j, static_cast<double>(flat % extent));
            flat /= extent;
        }
    }
    return Outputs{Value::of(w)};
}

KILN_ONNX_IMPORTER(Trilu)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    KILN_ONNX_CHECK(d.nbDims >= 2 && d.d[d.nbDims - 1] >= 0 && d.d[d.nbDims - 2] >= 0, kUNSUPPORTED_NODE,
        "needs at least 2 dimensions, the last two static");
    int64_t k = 0;
    if (node.has(1))
    {
        KILN_ONNX_ASSIGN(std::vector<int64_t> kv, node.constInts(1, "k"));
        KILN_ONNX_CHECK(kv.size() == 1, kINVALID_NODE, "k must be a scalar");
        k = kv[0];
    }
    const bool upper = node.attrs.i("upper", 1) != 0;
    const int64_t rows = d.d[d.nbDims - 2], cols = d.d[d.nbDims - 1];
    KILN_ONNX_ASSIGN(ShapedWeights mask, makeGeneratedWeights(node.arena(), DataType::kBOOL, {rows, cols}));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            mask.set(r * cols + c, upper ? c - r >= k : c - r <= k);
    ITensor* m = unsqueezeTo(node.ctx, node.ctx.constant(mask), d.nbDims);
    ITensor* zero = scalarConstant(node.ctx, x->getType() == DataType::kBOOL ? DataType::kINT32 : x->getType(), 0, d.nbDims);
    if (x->getType() == DataType::kBOOL)
        zero = cast(node.ctx, zero, DataType::kBOOL);
    KILN_ONNX_NOT_NULL(m && zero ? m : nullptr);
    nvinfer1::ISelectLayer* l = node.network().addSelect(*m, *x, *zero);
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

static OnnxExpected<Outputs> randomFill(Node& node, const Dims& dims, bool normal)
{
    DataType type = DataType::kFLOAT;
    if (node.attrs.has("dtype"))
        KILN_ONNX_CHECK(kilnTypeOf(static_cast<int32_t>(node.attrs.i("dtype", 1)), type) && type == DataType::kFLOAT,
            kUNSUPPORTED_NODE, "random values must be floating point");
    const double a = normal ? node.attrs.f("mean", 0.f) : node.attrs.f("low", 0.f);
    const double b = normal ? node.attrs.f("scale", 1.f) : node.attrs.f("high", 1.f);
    nvinfer1::IFillLayer* l = node.network().addFill(dims, normal ? nvinfer1::FillOperation::kRANDOM_NORMAL : nvinfer1::FillOperation::kRANDOM_UNIFORM);
    KILN_ONNX_NOT_NULL(l);
    l->setAlpha(a);
    l->setBeta(b);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(RandomUniform) { return randomFill(node, makeDims(node.attrs.ints("shape")), false); }
KILN_ONNX_IMPORTER(RandomNormal) { return randomFill(node, makeDims(node.attrs.ints("shape")), true); }
KILN_ONNX_IMPORTER(RandomUniformLike)
{
    KILN_ONNX_CHECK(node.has(0) && isStatic(node.input(0).dims()), kUNSUPPORTED_NODE, "needs an input of static shape");
    return randomFill(node, node.input(0).dims(), false);
}
KILN_ONNX_IMPORTER(RandomNormalLike)
{
    KILN_ONNX_CHECK(node.has(0) && isStatic(node.input(0).dims()), kUNSUPPORTED_NODE, "needs an input of static shape");
    return randomFill(node, node.input(0).dims(), true);
}

KILN_ONNX_IMPORTER(Gather)
{
    ITensor* data = node.tensor(0);
    KILN_ONNX_NOT_NULL(data);
    KILN_ONNX_ASSIGN(ITensor * indices, int32Tensor(node, 1));
    int64_t axis = node.attrs.i("axis", 0);
    KILN_ONNX_CHECK(normalizeAxis(axis, data->getDimensions().nbDims), kINVALID_NODE, "axis is out of range");
    nvinfer1::IGatherLayer* l = node.network().addGather(*data, *indices, static_cast<int32_t>(axis));
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(GatherElements)
{
    ITensor* data = node.tensor(0);
    KILN_ONNX_NOT_NULL(data);
    KILN_ONNX_ASSIGN(ITensor * indices, int32Tensor(node, 1));
    int64_t axis = node.attrs.i("axis", 0);
    KILN_ONNX_CHECK(normalizeAxis(axis, data->getDimensions().nbDims), kINVALID_NODE, "axis is out of range");
    nvinfer1::IGatherLayer* l = node.network().addGatherV2(*data, *indices, nvinfer1::GatherMode::kELEMENT);
    KILN_ONNX_NOT_NULL(l);
    l->setGatherAxis(static_cast<int32_t>(axis));
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(GatherND)
{
    ITensor* data = node.tensor(0);
    KILN_ONNX_NOT_NULL(data);
    KILN_ONNX_ASSIGN(ITensor * indices, int32Tensor(node, 1));
    nvinfer1::IGatherLayer* l = node.network().addGatherV2(*data, *indices, nvinfer1::GatherMode::kND);
    KILN_ONNX_NOT_NULL(l);
    l->setNbElementWiseDims(static_cast<int32_t>(node.attrs.i("batch_dims", 0)));
    return Outputs{Value::of(l->getOutput(0))};
}

static OnnxExpected<Outputs> scatter(Node& node, nvinfer1::ScatterMode mode)
{
    const std::string reduction = node.attrs.s("reduction", "none");
    KILN_ONNX_CHECK(reduction == "none", kUNSUPPORTED_NODE, "reduction '" + reduction + "' is not supported");
    ITensor* data = node.tensor(0);
    ITensor* updates = node.tensor(2);
    KILN_ONNX_NOT_NULL(data && updates ? data : nullptr);
    KILN_ONNX_ASSIGN(ITensor * indices, int32Tensor(node, 1));
    nvinfer1::IScatterLayer* l = node.network().addScatter(*data, *indices, *updates, mode);
    KILN_ONNX_NOT_NULL(l);
    if (mode == nvinfer1::ScatterMode::kELEMENT)
    {
        int64_t axis = node.attrs.i("axis", 0);
        KILN_ONNX_CHECK(normalizeAxis(axis, data->getDimensions().nbDims), kINVALID_NODE, "axis is out of range");
        l->setAxis(static_cast<int32_t>(axis));
    }
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(ScatterND) { return scatter(node, nvinfer1::ScatterMode::kND); }
KILN_ONNX_IMPORTER(ScatterElements) { return scatter(node, nvinfer1::ScatterMode::kELEMENT); }
KILN_ONNX_IMPORTER(Scatter) { return scatter(node, nvinfer1::ScatterMode::kELEMENT); }

KILN_ONNX_IMPORTER(OneHot)
{
    KILN_ONNX_ASSIGN(ITensor * indices, int32Tensor(node, 0));
    KILN_ONNX_ASSIGN(std::vector<float> depthValue, node.constFloats(1, "depth"));
    KILN_ONNX_CHECK(depthValue.size() == 1 && depthValue[0] >= 1, kINVALID_NODE, "depth must be a positive scalar");
    ITensor* depth = node.ctx.constant(makeScalarWeights(node.arena(), DataType::kINT32, std::floor(depthValue[0])));
    ITensor* values = node.tensor(2);
    KILN_ONNX_NOT_NULL(depth && values ? depth : nullptr);
    nvinfer1::IOneHotLayer* l = node.network().addOneHot(*indices, *values, *depth, static_cast<int32_t>(node.attrs.i("axis", -1)));
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(CumSum)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_ASSIGN(std::vector<int64_t> axis, node.constInts(1, "axis"));
    KILN_ONNX_CHECK(axis.size() == 1, kINVALID_NODE, "axis must be a scalar");
    ITensor* a = node.ctx.constant(makeScalarWeights(node.arena(), DataType::kINT32, static_cast<double>(axis[0])));
    KILN_ONNX_NOT_NULL(a);
    nvinfer1::ICumulativeLayer* l = node.network().addCumulative(*x, *a, nvinfer1::CumulativeOperation::kSUM,
        node.attrs.i("exclusive", 0) != 0, node.attrs.i("reverse", 0) != 0);
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

} // namespace kiln::onnx
