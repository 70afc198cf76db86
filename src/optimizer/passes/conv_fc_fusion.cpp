// conv_fc_fusion: folds what follows a Convolution or FullyConnected layer into it, repeatedly:
//   Scale (kUNIFORM, or kCHANNEL on the output's channel axis; power empty or 1) → weights and bias
//   ElementWise kSUM/kSUB/kPROD with a per-channel Constant (conv/FC output on the left for kSUB) → bias
//     (and weights for kPROD)
//   ElementWise kSUM with a tensor of the output's dims (convolution only) → epilogue residual
//   Activation → epilogue activation
// Weight folds need an empty epilogue (they do not commute with the activation or the residual);
// the residual needs no activation yet. The tensor in between must have one consumer and must
// not be a network output. Folded weights are owned by the graph (Graph::ownWeights).
#include "layers/activation.h"
#include "layers/constant.h"
#include "layers/convolution.h"
#include "layers/element_wise.h"
#include "layers/fully_connected.h"
#include "layers/scale.h"
#include "optimizer/passes/passes.h"

namespace kiln::optimizer::passes
{

namespace
{

using nvinfer1::ElementWiseOperation;
using nvinfer1::ScaleMode;

//! The fields conv and FC share, seen through one interface.
struct Target
{
    ir::Layer* layer{nullptr};
    layers::Epilogue* epilogue{nullptr};
    ir::WeightsRef* kernel{nullptr};
    ir::WeightsRef* bias{nullptr};
    int32_t maps{0};
    int32_t channelAxis{-1}; //!< of the output; -1 when its rank is not known
    bool isConvolution{false};
};

Target targetOf(PassContext& ctx, ir::Layer& layer)
{
    Target t;
    t.layer = &layer;
    const ir::TensorDesc* out = ctx.desc(layer.outputs[0]);
    if (layer.kind() == ir::LayerKind::kConvolution)
    {
        auto& p = static_cast<layers::ConvolutionParams&>(*layer.params);
        t.epilogue = &p.epilogue;
        t.kernel = &p.kernelWeights;
        t.bias = &p.biasWeights;
        t.maps = p.nbOutputMaps;
        t.isConvolution = true;
        if (out)
            t.channelAxis = out->dims.nbDims - p.kernelSize.nbDims - 1;
    }
    else
    {
        auto& p = static_cast<layers::FullyConnectedParams&>(*layer.params);
        t.epilogue = &p.epilogue;
        t.kernel = &p.kernel;
        t.bias = &p.bias;
        t.maps = p.nbOutputs;
        if (out)
            t.channelAxis = out->dims.nbDims - 3;
    }
    if (out && (t.channelAxis < 0 || out->dims.d[t.channelAxis] != t.maps))
        t.channelAxis = -1;
    return t;
}

//! Per-output-map factors: w[k] *= scale[k]; b[k] = b[k] * scale[k] + shift[k]. Empty vectors
//! mean 1 and 0; a single value applies to every map.
bool foldAffine(PassContext& ctx, Target& t, const std::vector<float>& scale, const std::vector<float>& shift)
{
    const auto maps = static_cast<size_t>(t.maps);
    std::vector<float> kernel;
    std::vector<float> bias;
    if (maps == 0 || !readFloats(*t.kernel, kernel) || kernel.size() % maps != 0 || !readFloats(*t.bias, bias))
        return false;
    if (bias.empty())
        bias.assign(maps, 0.f);
    if (bias.size() != maps)
        return false;
    auto at = [](const std::vector<float>& v, size_t k, float none) { return v.empty() ? none : v[v.size() == 1 ? 0 : k]; };
    const size_t block = kernel.size() / maps;
    if (!scale.empty())
        for (size_t k = 0; k < maps; ++k)
        {
            const float s = at(scale, k, 1.f);
            for (size_t j = 0; j < block; ++j)
                kernel[k * block + j] *= s;
            bias[k] *= s;
        }
    for (size_t k = 0; k < maps; ++k)
        bias[k] += at(shift, k, 0.f);
    if (!scale.empty())
        *t.kernel = ctx.graph().ownWeights(std::move(kernel));
    *t.bias = ctx.graph().ownWeights(std::move(bias));
    return true;
}

bool absorbScale(PassContext& ctx, Target& t, const ir::Layer& scaleLayer)
{
    const auto& p = static_cast<const layers::ScaleParams&>(*scaleLayer.params);
    if (!t.epilogue->empty())
        return false;
    int64_t count = 1;
    if (p.mode == ScaleMode::kCHANNEL)
    {
        if (t.channelAxis < 0 || p.channelAxis != t.channelAxis)
            return false;
        count = t.maps;
    }
    else if (p.mode == ScaleMode::kELEMENTWISE)
    {
        // Per element of dims[channelAxis..]: per channel only when the trailing extents are 1.
        const ir::TensorDesc* out = ctx.desc(t.layer->outputs[0]);
        if (!out || t.channelAxis < 0 || p.channelAxis != t.channelAxis)
            return false;
        for (int32_t i = t.channelAxis + 1; i < out->dims.nbDims; ++i)
            if (out->dims.d[i] != 1)
                return false;
        count = t.maps;
    }
    else if (p.mode != ScaleMode::kUNIFORM)
        return false;
    std::vector<float> scale, shift, power;
    if (!readFloats(p.scale, scale) || !readFloats(p.shift, shift) || !readFloats(p.power, power))
        return false;
    for (const auto* v : {&scale, &shift, &power})
        if (!v->empty() && static_cast<int64_t>(v->size()) != count)
            return false;
    for (float x : power)
        if (x != 1.f)
            return false;
    return foldAffine(ctx, t, scale, shift);
}

//! \p constant receives the Constant layer folded in (its weights now shape the layer's).
bool absorbConstant(PassContext& ctx, Target& t, const ir::Layer& ew, int32_t side, const ir::Layer*& constant)
{
    const auto op = static_cast<const layers::ElementWiseParams&>(*ew.params).operation;
    if (!t.epilogue->empty() || t.channelAxis < 0)
        return false;
    if (op != ElementWiseOperation::kSUM && op != ElementWiseOperation::kPROD && !(op == ElementWiseOperation::kSUB && side == 0))
        return false;
    const ir::Layer* c = ctx.producerOfKind(ew.inputs[static_cast<size_t>(1 - side)], ir::LayerKind::kConstant);
    const ir::TensorDesc* out = ctx.desc(t.layer->outputs[0]);
    if (!c || !out)
        return false;
    const auto& cp = static_cast<const layers::ConstantParams&>(*c->params);
    if (cp.dims.nbDims != out->dims.nbDims)
        return false;
    for (int32_t i = 0; i < cp.dims.nbDims; ++i)
        if (cp.dims.d[i] != 1 && !(i == t.channelAxis && cp.dims.d[i] == t.maps))
            return false;
    std::vector<float> values;
    if (!readFloats(cp.weights, values) || values.empty() || static_cast<int64_t>(values.size()) != volume(cp.dims))
        return false;
    constant = c;
    if (op == ElementWiseOperation::kPROD)
        return foldAffine(ctx, t, values, {});
    if (op == ElementWiseOperation::kSUB)
        for (float& v : values)
            v = -v;
    return foldAffine(ctx, t, {}, values);
}

bool absorbResidual(PassContext& ctx, Target& t, ir::Layer& ew, int32_t side)
{
    const auto op = static_cast<const layers::ElementWiseParams&>(*ew.params).operation;
    if (!t.isConvolution || op != ElementWiseOperation::kSUM || t.epilogue->hasResidual || t.epilogue->hasActivation)
        return false;
    ir::Tensor* other = ew.inputs[static_cast<size_t>(1 - side)];
    ir::Tensor* out = t.layer->outputs[0];
    const ir::TensorDesc* d = ctx.desc(other);
    if (!other || other == out || !d || d->type != nvinfer1::DataType::kFLOAT || !ctx.provablySameDims(other, out)
        || !ctx.provablySameDims(ew.outputs[0], out))
        return false;
    t.epilogue->hasResidual = true;
    t.layer->inputs.resize(static_cast<size_t>(layers::kResidualInput), nullptr);
    t.layer->inputs.push_back(other);
    return true;
}

bool absorbActivation(Target& t, const ir::Layer& act)
{
    if (t.epilogue->hasActivation)
        return false;
    const auto& p = static_cast<const layers::ActivationParams&>(*act.params);
    t.epilogue->hasActivation = true;
    t.epilogue->activation = p.type;
    t.epilogue->alpha = p.alpha;
    t.epilogue->beta = p.beta;
    return true;
}

class ConvFcFusion final : public LayerPass
{
public:
    const char* name() const override { return "conv_fc_fusion"; }
    PassLevel level() const override { return PassLevel::kExtended; }
    std::vector<ir::LayerKind> targetKinds() const override
    {
        return {ir::LayerKind::kConvolution, ir::LayerKind::kFullyConnected};
    }
    bool match(PassContext& ctx, const ir::Layer& layer) const override
    {
        return layer.outputs.size() == 1 && ctx.hasSingleUse(layer.outputs[0]);
    }
    Expected<bool> rewrite(PassContext& ctx, ir::Layer& layer) override
    {
        bool any = false;
        while (ctx.hasSingleUse(layer.outputs[0]))
        {
            Target t = targetOf(ctx, layer);
            const Use use = ctx.uses(layer.outputs[0]).front();
            ir::Layer& next = *use.layer;
            if (next.outputs.size() != 1)
                break;
            bool absorbed = false;
            const char* what = "";
            const ir::Layer* constant = nullptr;
            switch (next.kind())
            {
            case ir::LayerKind::kScale:
                absorbed = absorbScale(ctx, t, next);
                what = "into the weights";
                break;
            case ir::LayerKind::kElementWise:
                absorbed = absorbConstant(ctx, t, next, use.index, constant);
                what = "into the weights";
                if (!absorbed)
                {
                    absorbed = absorbResidual(ctx, t, next, use.index);
                    what = "as the epilogue residual";
                }
                break;
            case ir::LayerKind::kActivation:
                absorbed = absorbActivation(t, next);
                what = "as the epilogue activation";
                break;
            default: break;
            }
            if (!absorbed)
                break;
            // The layer now produces what `next` produced; its old output disappears.
            ir::Tensor* result = next.outputs[0];
            layer.absorbSources(next);
            // A folded Constant's weights now live in this layer's (refit treats them as one group).
            if (constant)
                layer.absorbSources(*constant);
            ctx.erase(&next);
            adoptOutput(layer, 0, result);
            ctx.changed();
            ctx.note("fused '" + next.name + "' (" + ir::layerKindName(next.kind()) + ") " + what + " of '" + layer.name + "' ("
                + ir::layerKindName(layer.kind()) + ")");
            any = true;
        }
        return any;
    }
};

} // namespace

std::unique_ptr<Pass> makeConvFcFusion()
{
    return std::make_unique<ConvFcFusion>();
}

} // namespace kiln::optimizer::passes
