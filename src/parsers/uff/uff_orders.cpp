#include "uff_orders.h"

#include <algorithm>
#include <climits>

namespace kiln::uffparser
{

Status expandOrder(const ::kiln::uff::DimensionOrders& orders, int32_t rank, std::vector<int32_t>& canon)
{
    const auto& map = orders.orders();
    const ::kiln::uff::ListInt64* list = nullptr;
    auto special = map.find(kOrderSpecialKey);
    if (special != map.end())
        list = &special->second;
    else if (map.size() == 1)
        list = &map.begin()->second;
    else
        return Status::error("an order needs exactly one list (key OE_SPECIAL); it has " + std::to_string(map.size()));
    const int32_t n = list->val_size();
    int32_t markers = 0;
    for (int32_t k = 0; k < n; ++k)
        if (list->val(k) == kOrderIncrement || list->val(k) == kOrderDecrement)
            ++markers;
    if (markers > 1)
        return Status::error("an order may have one spatial run; it has " + std::to_string(markers));
    std::vector<int64_t> values(list->val().begin(), list->val().end());
    canon.clear();
    if (markers == 0)
    {
        if (n != rank)
            return Status::error("order " + toString(values) + " has " + std::to_string(n)
                + " axes for a tensor of rank " + std::to_string(rank));
        for (int64_t v : values)
            canon.push_back(v >= 0 && v < rank ? static_cast<int32_t>(v) : -1);
    }
    else
    {
        // The run stands for the axes the other entries leave: rank - (n - 2) of them.
        const int32_t run = rank - (n - 2);
        if (run < 0)
            return Status::error(
                "order " + toString(values) + " has too many axes for a tensor of rank " + std::to_string(rank));
        for (int32_t k = 0; k < n; ++k)
        {
            const int64_t v = values[static_cast<size_t>(k)];
            const bool marker = v == kOrderIncrement || v == kOrderDecrement;
            const bool nextIsMarker = k + 1 < n
                && (values[static_cast<size_t>(k) + 1] == kOrderIncrement
                    || values[static_cast<size_t>(k) + 1] == kOrderDecrement);
            if (marker)
            {
                if (k == 0)
                    return Status::error("order " + toString(values) + " starts with a spatial-run marker");
                continue;
            }
            if (!nextIsMarker)
            {
                canon.push_back(v >= 0 && v < rank ? static_cast<int32_t>(v) : -1);
                continue;
            }
            const int64_t step = values[static_cast<size_t>(k) + 1] == kOrderIncrement ? 1 : -1;
            for (int32_t r = 0; r < run; ++r)
            {
                const int64_t c = v + step * r;
                canon.push_back(c >= 0 && c < rank ? static_cast<int32_t>(c) : -1);
            }
        }
    }
    std::vector<bool> seen(static_cast<size_t>(std::max(rank, 0)), false);
    bool valid = static_cast<int32_t>(canon.size()) == rank;
    for (int32_t c : canon)
    {
        if (c < 0 || seen[static_cast<size_t>(c)])
            valid = false;
        else
            seen[static_cast<size_t>(c)] = true;
    }
    if (!valid)
        return Status::error("order " + toString(values) + " is not a permutation of the axes of a rank-"
            + std::to_string(rank) + " tensor");
    return Status::ok();
}

std::vector<int32_t> axesByCanon(const std::vector<int32_t>& canon)
{
    std::vector<int32_t> axes(canon.size(), 0);
    for (size_t a = 0; a < canon.size(); ++a)
        axes[static_cast<size_t>(canon[a])] = static_cast<int32_t>(a);
    return axes;
}

std::vector<int32_t> nhwcCanon(int32_t rank)
{
    std::vector<int32_t> canon{0};
    for (int32_t a = 1; a + 1 < rank; ++a)
        canon.push_back(a + 1);
    if (rank > 1)
        canon.push_back(1);
    return canon;
}

std::vector<int32_t> spatialCkCanon(int32_t rank)
{
    std::vector<int32_t> canon;
    for (int32_t a = 0; a + 2 < rank; ++a)
        canon.push_back(a + 2);
    canon.push_back(1);
    canon.push_back(0);
    return canon;
}

std::vector<int32_t> spatialKcCanon(int32_t rank)
{
    std::vector<int32_t> canon;
    for (int32_t a = 0; a + 2 < rank; ++a)
        canon.push_back(a + 2);
    canon.push_back(0);
    canon.push_back(1);
    return canon;
}

Status channelsFirstPerm(const std::vector<int32_t>& canon, std::vector<int32_t>& perm)
{
    if (canon.empty() || canon[0] != 0)
        return Status::error("the data order must keep the batch (N) as the first axis");
    const std::vector<int32_t> axes = axesByCanon(canon);
    perm.clear();
    for (size_t c = 1; c < axes.size(); ++c)
        perm.push_back(axes[c] - 1);
    return Status::ok();
}

Status toDims(NodeContext& ctx, const std::vector<int64_t>& extents, nvinfer1::Dims& out)
{
    if (extents.size() > static_cast<size_t>(nvinfer1::Dims::MAX_DIMS))
        return ctx.fail("a tensor of rank " + std::to_string(extents.size()) + " is above the limit of "
            + std::to_string(nvinfer1::Dims::MAX_DIMS));
    out = nvinfer1::Dims{};
    out.nbDims = static_cast<int32_t>(extents.size());
    for (size_t k = 0; k < extents.size(); ++k)
    {
        if (extents[k] < INT32_MIN || extents[k] > INT32_MAX)
            return ctx.fail("extent " + std::to_string(extents[k]) + " does not fit in 32 bits");
        out.d[k] = static_cast<int32_t>(extents[k]);
    }
    return Status::ok();
}

Status toLayout(NodeContext& ctx, const Value& in, const std::vector<int32_t>& perm, Value& out)
{
    if (!in.isTensor() || perm.size() != in.perm.size())
        return ctx.fail("internal error: layout change of a value of another rank");
    if (perm == in.perm)
    {
        out = in;
        return Status::ok();
    }
    // Output axis i holds TF axis perm[i], which the input holds at the axis where in.perm has it.
    nvinfer1::Permutation order{};
    for (size_t i = 0; i < perm.size(); ++i)
    {
        const auto it = std::find(in.perm.begin(), in.perm.end(), perm[i]);
        if (it == in.perm.end())
            return ctx.fail("internal error: layouts of different axes");
        order.order[i] = static_cast<int32_t>(it - in.perm.begin());
    }
    nvinfer1::IShuffleLayer* shuffle = ctx.network().addShuffle(*in.tensor);
    if (shuffle)
        shuffle->setFirstTranspose(order);
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(shuffle, "layout", t));
    out = Value{};
    out.tensor = t;
    out.perm = perm;
    return Status::ok();
}

Status toNatural(NodeContext& ctx, const Value& in, Value& out)
{
    return toLayout(ctx, in, identityPerm(static_cast<int32_t>(in.perm.size())), out);
}

Status reshapeTo(NodeContext& ctx, const Value& in, const std::vector<int64_t>& dims, Value& out)
{
    nvinfer1::Dims d{};
    KILN_UFF_RETURN_IF_ERROR(toDims(ctx, dims, d));
    nvinfer1::IShuffleLayer* shuffle = ctx.network().addShuffle(*in.tensor);
    if (shuffle)
        shuffle->setReshapeDimensions(d);
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(shuffle, "reshape", t));
    out = Value{};
    out.tensor = t;
    out.perm = identityPerm(static_cast<int32_t>(dims.size()));
    return Status::ok();
}

Status dropAxes(NodeContext& ctx, const Value& in, std::vector<int32_t> tfAxes, Value& out)
{
    std::sort(tfAxes.begin(), tfAxes.end());
    tfAxes.erase(std::unique(tfAxes.begin(), tfAxes.end()), tfAxes.end());
    if (tfAxes.empty())
    {
        out = in;
        return Status::ok();
    }
    const nvinfer1::Dims d = in.tensor->getDimensions();
    std::vector<int64_t> dims;
    std::vector<int32_t> perm;
    for (size_t i = 0; i < in.perm.size(); ++i)
    {
        const int32_t tf = in.perm[i] + 1;
        if (std::binary_search(tfAxes.begin(), tfAxes.end(), tf))
        {
            if (d.d[i] != 1)
                return ctx.fail("axis " + std::to_string(tf) + " has extent " + std::to_string(d.d[i]) + ", not 1");
            continue;
        }
        // TF axes after removed ones move down.
        const auto below = std::lower_bound(tfAxes.begin(), tfAxes.end(), tf) - tfAxes.begin();
        dims.push_back(d.d[i]);
        perm.push_back(in.perm[i] - static_cast<int32_t>(below));
    }
    nvinfer1::Dims nd{};
    KILN_UFF_RETURN_IF_ERROR(toDims(ctx, dims, nd));
    nvinfer1::IShuffleLayer* shuffle = ctx.network().addShuffle(*in.tensor);
    if (shuffle)
        shuffle->setReshapeDimensions(nd);
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(shuffle, "squeeze", t));
    out = Value{};
    out.tensor = t;
    out.perm = perm;
    return Status::ok();
}

Status insertUnitAxis(NodeContext& ctx, const Value& in, int32_t tfAxis, Value& out)
{
    const nvinfer1::Dims d = in.tensor->getDimensions();
    std::vector<int64_t> dims(d.d, d.d + d.nbDims);
    std::vector<int32_t> perm;
    for (int32_t p : in.perm)
        perm.push_back(p + 1 >= tfAxis ? p + 1 : p);
    // The new axis goes last in the network; with extent 1 this moves no data.
    dims.push_back(1);
    perm.push_back(tfAxis - 1);
    nvinfer1::Dims nd{};
    KILN_UFF_RETURN_IF_ERROR(toDims(ctx, dims, nd));
    nvinfer1::IShuffleLayer* shuffle = ctx.network().addShuffle(*in.tensor);
    if (shuffle)
        shuffle->setReshapeDimensions(nd);
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.layerOutput(shuffle, "expand", t));
    out = Value{};
    out.tensor = t;
    out.perm = perm;
    return Status::ok();
}

template <typename T>
std::vector<T> permuteValues(const std::vector<T>& values, const std::vector<int64_t>& shape,
    const std::vector<int32_t>& perm, std::vector<int64_t>& outShape)
{
    const size_t rank = shape.size();
    outShape.assign(rank, 0);
    for (size_t i = 0; i < rank; ++i)
        outShape[i] = shape[static_cast<size_t>(perm[i])];
    std::vector<int64_t> inStrides(rank, 1);
    for (size_t i = rank; i-- > 1;)
        inStrides[i - 1] = inStrides[i] * shape[i];
    std::vector<T> out(values.size());
    std::vector<int64_t> coord(rank, 0);
    for (size_t o = 0; o < out.size(); ++o)
    {
        int64_t src = 0;
        for (size_t i = 0; i < rank; ++i)
            src += coord[i] * inStrides[static_cast<size_t>(perm[i])];
        out[o] = values[static_cast<size_t>(src)];
        for (size_t i = rank; i-- > 0;)
        {
            if (++coord[i] < outShape[i])
                break;
            coord[i] = 0;
        }
    }
    return out;
}

template std::vector<float> permuteValues(
    const std::vector<float>&, const std::vector<int64_t>&, const std::vector<int32_t>&, std::vector<int64_t>&);
template std::vector<int64_t> permuteValues(
    const std::vector<int64_t>&, const std::vector<int64_t>&, const std::vector<int32_t>&, std::vector<int64_t>&);

Status constantLayer(NodeContext& ctx, const ConstTensor& constant, const std::vector<int64_t>& dims,
    const char* suffix, nvinfer1::ITensor*& out)
{
    nvinfer1::Dims d{};
    KILN_UFF_RETURN_IF_ERROR(toDims(ctx, dims, d));
    nvinfer1::Weights w{};
    if (constant.isInt)
    {
        std::vector<int32_t> ints(constant.i.size());
        for (size_t k = 0; k < ints.size(); ++k)
        {
            if (constant.i[k] == kBatchExtent)
                return ctx.fail("a value computed from the batch size cannot become a network tensor: the batch size "
                                "of an implicit-batch network is only known when the engine runs");
            if (constant.i[k] < INT32_MIN || constant.i[k] > INT32_MAX)
                return ctx.fail("integer constant " + std::to_string(constant.i[k]) + " does not fit in INT32");
            ints[k] = static_cast<int32_t>(constant.i[k]);
        }
        w = ctx.weights().ints(ints);
    }
    else
        w = ctx.weights().floats(constant.f);
    nvinfer1::IConstantLayer* layer = ctx.network().addConstant(d, w);
    return ctx.layerOutput(layer, suffix, out);
}

Status broadcastOperand(NodeContext& ctx, const ConstTensor& constant, const Value& other, Value& out)
{
    const int32_t rank = other.tfRank();
    std::vector<int64_t> shape = constant.shape;
    if (static_cast<int32_t>(shape.size()) > rank)
        return ctx.fail("constant operand of shape " + toString(shape) + " has more axes than the other operand (rank "
            + std::to_string(rank) + ")");
    if (static_cast<int32_t>(shape.size()) == rank)
    {
        if (shape[0] != 1)
            return ctx.fail("constant operand of shape " + toString(shape) + " has extent " + std::to_string(shape[0])
                + " on the batch axis; only 1 can broadcast over the implicit batch");
        shape.erase(shape.begin());
    }
    while (static_cast<int32_t>(shape.size()) < rank - 1)
        shape.insert(shape.begin(), 1);
    const std::vector<int64_t> otherShape = other.tfShape();
    for (size_t a = 0; a < shape.size(); ++a)
    {
        const int64_t e = otherShape[a + 1];
        if (shape[a] != e && shape[a] != 1 && e != 1)
            return ctx.fail("constant operand of shape " + toString(constant.shape) + " does not broadcast with shape "
                + toString(otherShape));
    }
    // Match the other operand's element type: TF operands have one type.
    ConstTensor c;
    c.shape = shape;
    const bool wantInt = other.tensor->getType() == nvinfer1::DataType::kINT32;
    std::vector<int64_t> netShape;
    if (wantInt)
    {
        c.isInt = true;
        std::vector<int64_t> ints(static_cast<size_t>(constant.count()));
        for (size_t k = 0; k < ints.size(); ++k)
        {
            const double v = constant.at(static_cast<int64_t>(k));
            if (!constant.isInt && v != static_cast<double>(saturatedInt(v)))
                return ctx.fail("constant operand has the non-integer " + std::to_string(v) + " for an INT32 tensor");
            ints[k] = constant.isInt ? constant.i[k] : saturatedInt(v);
        }
        c.i = permuteValues(ints, shape, other.perm, netShape);
    }
    else
    {
        std::vector<float> floats(static_cast<size_t>(constant.count()));
        for (size_t k = 0; k < floats.size(); ++k)
        {
            if (constant.isInt && constant.i[k] == kBatchExtent)
                return ctx.fail("a value computed from the batch size cannot become a network tensor");
            floats[k] = static_cast<float>(constant.at(static_cast<int64_t>(k)));
        }
        c.f = permuteValues(floats, shape, other.perm, netShape);
    }
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(constantLayer(ctx, c, netShape, "constant", t));
    out = Value{};
    out.tensor = t;
    out.perm = other.perm;
    return Status::ok();
}

Status normalizeAxis(NodeContext& ctx, int64_t axis, int32_t rank, const char* what, bool allowBatch, int32_t& out)
{
    const int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
        return ctx.fail(
            std::string(what) + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    if (a == 0 && !allowBatch)
        return ctx.fail(std::string(what) + " " + std::to_string(axis)
            + " is the batch axis, which an implicit-batch network does not hold");
    out = static_cast<int32_t>(a);
    return Status::ok();
}

} // namespace kiln::uffparser
