#include "helpers.h"

#include <algorithm>

namespace kiln::onnx
{
namespace
{

//! False for a missing tensor or one whose shape could not be inferred (the layer that made it
//! was refused by shape inference): helpers then return nullptr instead of building on it.
bool usable(nvinfer1::ITensor* t)
{
    return t && t->getDimensions().nbDims >= 0;
}

} // namespace

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ITensor;

Dims makeDims(const std::vector<int64_t>& values)
{
    Dims d{};
    d.nbDims = static_cast<int32_t>(std::min<size_t>(values.size(), Dims::MAX_DIMS));
    for (int32_t i = 0; i < d.nbDims; ++i)
        d.d[i] = static_cast<int32_t>(values[static_cast<size_t>(i)]);
    return d;
}

std::vector<int64_t> dimsVector(const Dims& dims)
{
    return std::vector<int64_t>(dims.d, dims.d + std::max(dims.nbDims, 0));
}

bool isStatic(const Dims& dims)
{
    if (dims.nbDims < 0)
        return false;
    for (int32_t i = 0; i < dims.nbDims; ++i)
        if (dims.d[i] < 0)
            return false;
    return true;
}

int64_t volume(const Dims& dims)
{
    int64_t v = 1;
    for (int32_t i = 0; i < dims.nbDims; ++i)
        v *= dims.d[i];
    return v;
}

std::string dimsString(const Dims& dims)
{
    std::string s = "[";
    for (int32_t i = 0; i < dims.nbDims; ++i)
        s += (i ? "," : "") + std::to_string(dims.d[i]);
    return s + "]";
}

bool normalizeAxis(int64_t& axis, int32_t rank)
{
    if (axis < -rank || axis >= rank)
        return false;
    if (axis < 0)
        axis += rank;
    return true;
}

ITensor* intConstant(ImporterContext& ctx, const std::vector<int64_t>& values)
{
    return ctx.constant(makeIntVector(ctx.arena(), values));
}

ITensor* scalarConstant(ImporterContext& ctx, DataType type, double value, int32_t rank)
{
    if (rank < 0 || rank > Dims::MAX_DIMS)
        return nullptr;
    ShapedWeights w = makeWeights(ctx.arena(), type, std::vector<int64_t>(static_cast<size_t>(rank), 1));
    w.set(0, value);
    return ctx.constant(w);
}

ITensor* reshape(ImporterContext& ctx, ITensor* x, const Dims& dims, bool zeroIsPlaceholder)
{
    if (!usable(x))
        return nullptr;
    nvinfer1::IShuffleLayer* s = ctx.network().addShuffle(*x);
    if (!s)
        return nullptr;
    s->setZeroIsPlaceholder(zeroIsPlaceholder);
    s->setReshapeDimensions(dims);
    return s->getOutput(0);
}

ITensor* reshapeTo(ImporterContext& ctx, ITensor* x, ITensor* shape, bool zeroIsPlaceholder)
{
    if (!usable(x) || !usable(shape))
        return nullptr;
    nvinfer1::IShuffleLayer* s = ctx.network().addShuffle(*x);
    if (!s)
        return nullptr;
    s->setZeroIsPlaceholder(zeroIsPlaceholder);
    s->setInput(1, *shape);
    return s->getOutput(0);
}

ITensor* transpose(ImporterContext& ctx, ITensor* x, const std::vector<int32_t>& perm)
{
    if (!usable(x))
        return nullptr;
    nvinfer1::IShuffleLayer* s = ctx.network().addShuffle(*x);
    if (!s)
        return nullptr;
    nvinfer1::Permutation p{};
    for (size_t i = 0; i < perm.size() && i < static_cast<size_t>(Dims::MAX_DIMS); ++i)
        p.order[i] = perm[i];
    s->setFirstTranspose(p);
    return s->getOutput(0);
}

ITensor* unsqueezeTo(ImporterContext& ctx, ITensor* x, int32_t rank)
{
    if (!usable(x))
        return nullptr;
    const Dims d = x->getDimensions();
    if (d.nbDims >= rank)
        return x;
    std::vector<int64_t> axes;
    for (int32_t i = 0; i < rank - d.nbDims; ++i)
        axes.push_back(i);
    return unsqueeze(ctx, x, axes);
}

ITensor* unsqueeze(ImporterContext& ctx, ITensor* x, const std::vector<int64_t>& axes)
{
    if (!usable(x))
        return nullptr;
    const Dims d = x->getDimensions();
    const int32_t rank = d.nbDims + static_cast<int32_t>(axes.size());
    if (rank > Dims::MAX_DIMS)
        return nullptr;
    if (isStatic(d))
    {
        std::vector<int64_t> out;
        int32_t k = 0;
        for (int32_t i = 0; i < rank; ++i)
            out.push_back(std::count(axes.begin(), axes.end(), i) ? 1 : d.d[k++]);
        return reshape(ctx, x, makeDims(out));
    }
    // Dynamic extents: build the new shape from the input's shape tensor.
    ITensor* shape = shapeOf(ctx, x);
    std::vector<ITensor*> parts;
    int32_t k = 0;
    for (int32_t i = 0; i < rank; ++i)
    {
        if (std::count(axes.begin(), axes.end(), i))
            parts.push_back(intConstant(ctx, {1}));
        else
        {
            parts.push_back(slice1d(ctx, shape, k, k + 1));
            ++k;
        }
    }
    return reshapeTo(ctx, x, concat(ctx, parts));
}

ITensor* squeeze(ImporterContext& ctx, ITensor* x, const std::vector<int64_t>& axes)
{
    if (!usable(x))
        return nullptr;
    const Dims d = x->getDimensions();
    if (isStatic(d))
    {
        std::vector<int64_t> out;
        for (int32_t i = 0; i < d.nbDims; ++i)
            if (!std::count(axes.begin(), axes.end(), i))
                out.push_back(d.d[i]);
        return reshape(ctx, x, makeDims(out));
    }
    std::vector<int32_t> keep;
    for (int32_t i = 0; i < d.nbDims; ++i)
        if (!std::count(axes.begin(), axes.end(), i))
            keep.push_back(i);
    if (keep.empty())
        return reshape(ctx, x, Dims{0, {}, {}});
    return reshapeTo(ctx, x, gather1d(ctx, shapeOf(ctx, x), keep));
}

ITensor* identity(ImporterContext& ctx, ITensor* x)
{
    if (!usable(x))
        return nullptr;
    nvinfer1::IIdentityLayer* l = ctx.network().addIdentity(*x);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* cast(ImporterContext& ctx, ITensor* x, DataType type)
{
    if (!usable(x))
        return nullptr;
    if (x->getType() == type)
        return x;
    nvinfer1::IIdentityLayer* l = ctx.network().addIdentity(*x);
    if (!l)
        return nullptr;
    l->setOutputType(0, type);
    l->getOutput(0)->setType(type);
    return l->getOutput(0);
}

ITensor* elementwise(ImporterContext& ctx, ITensor* a, ITensor* b, nvinfer1::ElementWiseOperation op)
{
    if (!usable(a) || !usable(b))
        return nullptr;
    const int32_t rank = std::max(a->getDimensions().nbDims, b->getDimensions().nbDims);
    a = unsqueezeTo(ctx, a, rank);
    b = unsqueezeTo(ctx, b, rank);
    if (!usable(a) || !usable(b))
        return nullptr;
    nvinfer1::IElementWiseLayer* l = ctx.network().addElementWise(*a, *b, op);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* unary(ImporterContext& ctx, ITensor* x, nvinfer1::UnaryOperation op)
{
    if (!usable(x))
        return nullptr;
    nvinfer1::IUnaryLayer* l = ctx.network().addUnary(*x, op);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* activation(ImporterContext& ctx, ITensor* x, nvinfer1::ActivationType type, float alpha, float beta)
{
    if (!usable(x))
        return nullptr;
    nvinfer1::IActivationLayer* l = ctx.network().addActivation(*x, type);
    if (!l)
        return nullptr;
    l->setAlpha(alpha);
    l->setBeta(beta);
    return l->getOutput(0);
}

ITensor* shapeOf(ImporterContext& ctx, ITensor* x)
{
    if (!usable(x))
        return nullptr;
    nvinfer1::IShapeLayer* l = ctx.network().addShape(*x);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* slice1d(ImporterContext& ctx, ITensor* v, int32_t begin, int32_t end)
{
    if (!usable(v))
        return nullptr;
    nvinfer1::ISliceLayer* l = ctx.network().addSlice(*v, Dims{1, {begin}, {}}, Dims{1, {end - begin}, {}}, Dims{1, {1}, {}});
    return l ? l->getOutput(0) : nullptr;
}

ITensor* concat(ImporterContext& ctx, const std::vector<ITensor*>& parts, int32_t axis)
{
    for (ITensor* p : parts)
        if (!usable(p))
            return nullptr;
    if (parts.size() == 1)
        return parts[0];
    nvinfer1::IConcatenationLayer* l = ctx.network().addConcatenation(parts.data(), static_cast<int32_t>(parts.size()));
    if (!l)
        return nullptr;
    l->setAxis(axis);
    return l->getOutput(0);
}

ITensor* gather1d(ImporterContext& ctx, ITensor* v, const std::vector<int32_t>& indices)
{
    if (!usable(v))
        return nullptr;
    std::vector<int64_t> idx(indices.begin(), indices.end());
    ITensor* i = intConstant(ctx, idx);
    if (!i)
        return nullptr;
    nvinfer1::IGatherLayer* l = ctx.network().addGather(*v, *i, 0);
    return l ? l->getOutput(0) : nullptr;
}

OnnxExpected<Outputs> single(ITensor* out)
{
    KILN_ONNX_NOT_NULL(usable(out) ? out : nullptr);
    return Outputs{Value::of(out)};
}

} // namespace kiln::onnx
