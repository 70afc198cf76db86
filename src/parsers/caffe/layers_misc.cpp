// Caffe layers without weights: activations, Softmax, Power, Eltwise, Concat, Crop, Reduction,
// Reshape, Permute, Flatten, and the pass-through Dropout and Split.
#include "caffe_context.h"

#include <cmath>
#include <string>

namespace kiln
{
namespace caffeparser
{
namespace
{

using nvinfer1::Dims;
using nvinfer1::ITensor;

bool activation(LayerContext& ctx, nvinfer1::ActivationType type, float alpha = 0.f, float beta = 0.f)
{
    if (!ctx.expectInputs(1, 1))
        return false;
    nvinfer1::IActivationLayer* layer = ctx.network.addActivation(*ctx.inputs[0], type);
    if (!ctx.check(layer))
        return false;
    layer->setAlpha(alpha);
    layer->setBeta(beta);
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

KILN_CAFFE_LAYER("ReLU")
{
    const float slope = ctx.layer.relu_param().negative_slope();
    return slope == 0.f ? activation(ctx, nvinfer1::ActivationType::kRELU)
                        : activation(ctx, nvinfer1::ActivationType::kLEAKY_RELU, slope);
}

KILN_CAFFE_LAYER("Sigmoid")
{
    return activation(ctx, nvinfer1::ActivationType::kSIGMOID);
}

KILN_CAFFE_LAYER("TanH")
{
    return activation(ctx, nvinfer1::ActivationType::kTANH);
}

KILN_CAFFE_LAYER("ELU")
{
    return activation(ctx, nvinfer1::ActivationType::kELU, ctx.layer.elu_param().alpha());
}

//! BNLL: log(1 + e^x), the softplus with alpha = beta = 1.
KILN_CAFFE_LAYER("BNLL")
{
    return activation(ctx, nvinfer1::ActivationType::kSOFTPLUS, 1.f, 1.f);
}

KILN_CAFFE_LAYER("Clip")
{
    // BVLC numbers clip_param 148; NVCaffe-era files use 8787.
    const auto& p = ctx.layer.has_clip_param() ? ctx.layer.clip_param() : ctx.layer.clip_param_nv();
    if (!p.has_min() || !p.has_max())
        return ctx.fail("clip_param needs min and max");
    if (!(p.min() <= p.max()))
        return ctx.fail("clip_param min is above max");
    return activation(ctx, nvinfer1::ActivationType::kCLIP, p.min(), p.max());
}

KILN_CAFFE_LAYER("AbsVal")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    nvinfer1::IUnaryLayer* layer = ctx.network.addUnary(*ctx.inputs[0], nvinfer1::UnaryOperation::kABS);
    if (!ctx.check(layer))
        return false;
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

bool softmax(LayerContext& ctx, int64_t axis)
{
    int32_t a;
    if (!ctx.tensorAxis(*ctx.inputs[0], axis, a))
        return false;
    nvinfer1::ISoftMaxLayer* layer = ctx.network.addSoftMax(*ctx.inputs[0]);
    if (!ctx.check(layer))
        return false;
    layer->setAxes(1u << a);
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

KILN_CAFFE_LAYER("Softmax")
{
    return ctx.expectInputs(1, 1) && softmax(ctx, ctx.layer.softmax_param().axis());
}

//! At inference SoftmaxWithLoss is the softmax of its first bottom; the label bottom is unused.
KILN_CAFFE_LAYER("SoftmaxWithLoss")
{
    return ctx.expectInputs(1, 2) && softmax(ctx, ctx.layer.softmax_param().axis());
}

KILN_CAFFE_LAYER("Power")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.power_param();
    std::vector<float> shift{p.shift()}, scale{p.scale()}, power{p.power()};
    nvinfer1::IScaleLayer* layer = ctx.network.addScale(*ctx.inputs[0], nvinfer1::ScaleMode::kUNIFORM,
        ctx.weights.makeFloat(shift), ctx.weights.makeFloat(scale), ctx.weights.makeFloat(power));
    if (!ctx.check(layer))
        return false;
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

KILN_CAFFE_LAYER("Eltwise")
{
    if (!ctx.expectInputs(2, 1 << 16))
        return false;
    const auto& p = ctx.layer.eltwise_param();
    nvinfer1::ElementWiseOperation op;
    switch (p.operation())
    {
    case kiln::caffe::EltwiseParameter::PROD: op = nvinfer1::ElementWiseOperation::kPROD; break;
    case kiln::caffe::EltwiseParameter::SUM: op = nvinfer1::ElementWiseOperation::kSUM; break;
    case kiln::caffe::EltwiseParameter::MAX: op = nvinfer1::ElementWiseOperation::kMAX; break;
    default: return ctx.fail("unknown operation");
    }
    const int n = static_cast<int>(ctx.inputs.size());
    if (p.coeff_size() > 0 && (p.operation() != kiln::caffe::EltwiseParameter::SUM || p.coeff_size() != n))
        return ctx.fail("coeff needs the SUM operation and one value per bottom (" + std::to_string(n) + ")");
    std::vector<ITensor*> terms = ctx.inputs;
    for (int i = 0; i < p.coeff_size(); ++i)
    {
        if (p.coeff(i) == 1.f)
            continue;
        std::vector<float> scale{p.coeff(i)};
        auto* scaled = ctx.network.addScale(*terms[static_cast<size_t>(i)], nvinfer1::ScaleMode::kUNIFORM,
            nvinfer1::Weights{nvinfer1::DataType::kFLOAT, nullptr, 0}, ctx.weights.makeFloat(scale),
            nvinfer1::Weights{nvinfer1::DataType::kFLOAT, nullptr, 0});
        if (!ctx.check(scaled, "coeff" + std::to_string(i)))
            return false;
        terms[static_cast<size_t>(i)] = scaled->getOutput(0);
    }
    ITensor* sum = terms[0];
    for (int i = 1; i < n; ++i)
    {
        auto* layer = ctx.network.addElementWise(*sum, *terms[static_cast<size_t>(i)], op);
        if (!ctx.check(layer, i + 1 == n ? "" : "term" + std::to_string(i)))
            return false;
        sum = layer->getOutput(0);
    }
    ctx.outputs.push_back(sum);
    return true;
}

KILN_CAFFE_LAYER("Concat")
{
    if (!ctx.expectInputs(1, 1 << 16))
        return false;
    const auto& p = ctx.layer.concat_param();
    const int64_t caffeAxis = p.has_axis() ? p.axis() : static_cast<int64_t>(p.concat_dim());
    int32_t axis;
    if (!ctx.tensorAxis(*ctx.inputs[0], caffeAxis, axis))
        return false;
    nvinfer1::IConcatenationLayer* layer
        = ctx.network.addConcatenation(ctx.inputs.data(), static_cast<int32_t>(ctx.inputs.size()));
    if (!ctx.check(layer))
        return false;
    layer->setAxis(axis);
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

//! Crops bottom 0 to the shape of bottom 1 on every axis from `axis` on, at `offset` (one value
//! for all those axes, or one per axis).
KILN_CAFFE_LAYER("Crop")
{
    if (!ctx.expectInputs(2, 2))
        return false;
    const auto& p = ctx.layer.crop_param();
    const Dims in = ctx.inputs[0]->getDimensions();
    const Dims ref = ctx.inputs[1]->getDimensions();
    if (in.nbDims != ref.nbDims)
        return ctx.fail("the two bottoms have different ranks");
    int32_t start;
    if (!ctx.tensorAxis(*ctx.inputs[0], p.axis(), start))
        return false;
    const int32_t cropped = in.nbDims - start;
    if (p.offset_size() > 1 && p.offset_size() != cropped)
        return ctx.fail("has " + std::to_string(p.offset_size()) + " offsets for " + std::to_string(cropped)
            + " cropped axes");
    Dims begin{}, size{}, stride{};
    begin.nbDims = size.nbDims = stride.nbDims = in.nbDims;
    for (int32_t i = 0; i < in.nbDims; ++i)
    {
        stride.d[i] = 1;
        if (i < start)
        {
            begin.d[i] = 0;
            size.d[i] = in.d[i];
            continue;
        }
        const int64_t offset = p.offset_size() == 0 ? 0 : p.offset(p.offset_size() == 1 ? 0 : i - start);
        if (in.d[i] < 0 || ref.d[i] < 0 || offset + ref.d[i] > in.d[i])
            return ctx.fail("cannot crop axis " + std::to_string(i + (ctx.implicitBatch ? 1 : 0)) + " of extent "
                + std::to_string(in.d[i]) + " to " + std::to_string(ref.d[i]) + " at offset " + std::to_string(offset));
        begin.d[i] = static_cast<int32_t>(offset);
        size.d[i] = ref.d[i];
    }
    nvinfer1::ISliceLayer* layer = ctx.network.addSlice(*ctx.inputs[0], begin, size, stride);
    if (!ctx.check(layer))
        return false;
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

//! Reduces every axis from `axis` on (output shape = the leading axes), then multiplies by coeff.
KILN_CAFFE_LAYER("Reduction")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.reduction_param();
    ITensor* x = ctx.inputs[0];
    int32_t axis;
    if (!ctx.tensorAxis(*x, p.axis(), axis))
        return false;
    nvinfer1::ReduceOperation op = nvinfer1::ReduceOperation::kSUM;
    switch (p.operation())
    {
    case kiln::caffe::ReductionParameter::SUM: break;
    case kiln::caffe::ReductionParameter::MEAN: op = nvinfer1::ReduceOperation::kAVG; break;
    case kiln::caffe::ReductionParameter::ASUM:
    {
        auto* abs = ctx.network.addUnary(*x, nvinfer1::UnaryOperation::kABS);
        if (!ctx.check(abs, "abs"))
            return false;
        x = abs->getOutput(0);
        break;
    }
    case kiln::caffe::ReductionParameter::SUMSQ:
    {
        auto* square = ctx.network.addElementWise(*x, *x, nvinfer1::ElementWiseOperation::kPROD);
        if (!ctx.check(square, "square"))
            return false;
        x = square->getOutput(0);
        break;
    }
    default: return ctx.fail("unknown operation");
    }
    const int32_t rank = x->getDimensions().nbDims;
    uint32_t axes = 0;
    for (int32_t i = axis; i < rank; ++i)
        axes |= 1u << i;
    auto* reduce = ctx.network.addReduce(*x, op, axes, false);
    if (!ctx.check(reduce, p.coeff() == 1.f ? "" : "sum"))
        return false;
    ITensor* out = reduce->getOutput(0);
    if (p.coeff() != 1.f)
    {
        const int32_t outRank = out->getDimensions().nbDims;
        Dims one{};
        one.nbDims = outRank;
        for (int32_t i = 0; i < outRank; ++i)
            one.d[i] = 1;
        auto* coeff = ctx.network.addConstant(one, ctx.weights.makeFloat({p.coeff()}));
        if (!ctx.check(coeff, "coeff"))
            return false;
        auto* scaled = ctx.network.addElementWise(*out, *coeff->getOutput(0), nvinfer1::ElementWiseOperation::kPROD);
        if (!ctx.check(scaled))
            return false;
        out = scaled->getOutput(0);
    }
    ctx.outputs.push_back(out);
    return true;
}

//! Replaces axes [axis, axis + num_axes) by reshape_param.shape (0 copies the bottom's extent at
//! that position, one -1 is inferred).
KILN_CAFFE_LAYER("Reshape")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.reshape_param();
    const Dims in = ctx.inputs[0]->getDimensions();
    const int32_t offset = ctx.implicitBatch ? 1 : 0;
    const int32_t caffeRank = in.nbDims + offset;
    auto extent = [&](int32_t caffeAxis) { return caffeAxis < offset ? -2 : in.d[caffeAxis - offset]; };
    int32_t start = p.axis() < 0 ? caffeRank + 1 + p.axis() : p.axis();
    if (start < 0 || start > caffeRank)
        return ctx.fail("axis " + std::to_string(p.axis()) + " is out of range");
    const int32_t count = p.num_axes() == -1 ? caffeRank - start : p.num_axes();
    if (count < 0 || start + count > caffeRank)
        return ctx.fail("num_axes " + std::to_string(p.num_axes()) + " is out of range");
    std::vector<int64_t> shape; // over Caffe's axes, -2 = the implicit batch
    for (int32_t i = 0; i < start; ++i)
        shape.push_back(extent(i));
    for (int i = 0; i < p.shape().dim_size(); ++i)
    {
        const int64_t d = p.shape().dim(i);
        if (d == 0)
        {
            if (start + i >= caffeRank)
                return ctx.fail("shape dim " + std::to_string(i) + " is 0 but the bottom has no such axis");
            shape.push_back(extent(start + i));
        }
        else if (d < -1 || d > (1 << 30))
            return ctx.fail("shape dim " + std::to_string(i) + " is " + std::to_string(d));
        else
            shape.push_back(d);
    }
    for (int32_t i = start + count; i < caffeRank; ++i)
        shape.push_back(extent(i));
    if (offset)
    {
        if (shape.empty() || shape[0] != -2)
            return ctx.fail("the new shape must keep the batch axis (dim: 0 first) in an implicit-batch network");
        shape.erase(shape.begin());
    }
    if (static_cast<int32_t>(shape.size()) > Dims::MAX_DIMS)
        return ctx.fail("the new shape has too many axes");
    Dims dims{};
    dims.nbDims = static_cast<int32_t>(shape.size());
    for (size_t i = 0; i < shape.size(); ++i)
        dims.d[i] = static_cast<int32_t>(shape[i]);
    ITensor* out = ctx.reshape(*ctx.inputs[0], dims, "");
    if (!out)
        return false;
    ctx.outputs.push_back(out);
    return true;
}

KILN_CAFFE_LAYER("Permute")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& order = ctx.layer.permute_param().order();
    const Dims in = ctx.inputs[0]->getDimensions();
    const int32_t offset = ctx.implicitBatch ? 1 : 0;
    const int32_t caffeRank = in.nbDims + offset;
    // Caffe completes a partial order with the missing axes in increasing order.
    std::vector<int32_t> full;
    std::vector<bool> used(static_cast<size_t>(caffeRank), false);
    for (uint32_t a : order)
    {
        if (a >= static_cast<uint32_t>(caffeRank) || used[a])
            return ctx.fail("order repeats an axis or names one outside the blob's " + std::to_string(caffeRank) + " axes");
        used[a] = true;
        full.push_back(static_cast<int32_t>(a));
    }
    for (int32_t a = 0; a < caffeRank; ++a)
        if (!used[static_cast<size_t>(a)])
            full.push_back(a);
    if (offset && full[0] != 0)
        return ctx.fail("moves the batch axis, which an implicit-batch network does not expose");
    nvinfer1::Permutation permutation{};
    for (int32_t i = offset; i < caffeRank; ++i)
        permutation.order[i - offset] = full[static_cast<size_t>(i)] - offset;
    nvinfer1::IShuffleLayer* layer = ctx.network.addShuffle(*ctx.inputs[0]);
    if (!ctx.check(layer))
        return false;
    layer->setFirstTranspose(permutation);
    ctx.outputs.push_back(layer->getOutput(0));
    return true;
}

//! Flattens axes [axis, end_axis] into one. (TensorRT 7.2 ignored Flatten; a real reshape keeps
//! the blob shapes Caffe has, and InnerProduct flattens its input either way.)
KILN_CAFFE_LAYER("Flatten")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    const auto& p = ctx.layer.flatten_param();
    const Dims in = ctx.inputs[0]->getDimensions();
    int32_t first, last;
    if (!ctx.tensorAxis(*ctx.inputs[0], p.axis(), first) || !ctx.tensorAxis(*ctx.inputs[0], p.end_axis(), last))
        return false;
    if (last < first)
        return ctx.fail("end_axis comes before axis");
    Dims dims{};
    int64_t merged = 1;
    for (int32_t i = 0; i < in.nbDims; ++i)
    {
        if (i < first || i > last)
            dims.d[dims.nbDims++] = in.d[i];
        else
        {
            if (in.d[i] < 0)
                return ctx.fail("needs known extents on the flattened axes");
            merged *= in.d[i];
            if (merged > (int64_t{1} << 31))
                return ctx.fail("the flattened axis would exceed 2^31 values");
            if (i == last)
                dims.d[dims.nbDims++] = static_cast<int32_t>(merged);
        }
    }
    ITensor* out = ctx.reshape(*ctx.inputs[0], dims, "");
    if (!out)
        return false;
    ctx.outputs.push_back(out);
    return true;
}

//! Dropout is the identity at inference: every top is the bottom's tensor.
KILN_CAFFE_LAYER("Dropout")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    ctx.outputs.assign(static_cast<size_t>(ctx.layer.top_size()), ctx.inputs[0]);
    return true;
}

//! Split (inserted by Caffe when a blob feeds several layers) hands its bottom to every top.
KILN_CAFFE_LAYER("Split")
{
    if (!ctx.expectInputs(1, 1))
        return false;
    ctx.outputs.assign(static_cast<size_t>(ctx.layer.top_size()), ctx.inputs[0]);
    return true;
}

} // namespace
} // namespace caffeparser
} // namespace kiln
