// elementwise_chain_fusion: a chain of two or more point-wise layers — Activation, FLOAT Unary,
// FLOAT arithmetic ElementWise (the other operand any FLOAT tensor of the same rank: it becomes
// an extra input, broadcast as ElementWise does), Scale (lowered to kPROD/kSUM/kPOW with broadcast
// Constants) — whose intermediate tensors each have one consumer and are not network outputs,
// becomes one PointwiseChain layer (layers/pointwise_chain.h). Runs after conv_fc_fusion, so
// what could fold into a convolution or fully connected layer already has.
#include "layers/activation.h"
#include "layers/constant.h"
#include "layers/element_wise.h"
#include "layers/pointwise_chain.h"
#include "layers/scale.h"
#include "layers/unary.h"
#include "optimizer/passes/passes.h"

#include <algorithm>
#include <unordered_set>

namespace kiln::optimizer::passes
{

namespace
{

using layers::PointwiseStep;
using layers::PointwiseStepKind;
using nvinfer1::ElementWiseOperation;

bool isFloat(PassContext& ctx, const ir::Tensor* t)
{
    const ir::TensorDesc* d = ctx.desc(t);
    return d && d->type == nvinfer1::DataType::kFLOAT;
}

//! A Scale's weights as broadcast operands: (operation, dims, values) per non-empty term.
struct ScaleTerm
{
    ElementWiseOperation op;
    nvinfer1::Dims dims;
    std::vector<float> values;
};

bool scaleTerms(PassContext& ctx, const ir::Layer& layer, std::vector<ScaleTerm>& terms)
{
    const auto& p = static_cast<const layers::ScaleParams&>(*layer.params);
    const ir::TensorDesc* in = ctx.desc(layer.inputs[0]);
    if (!in || p.channelAxis < 0 || p.channelAxis >= in->dims.nbDims)
        return false;
    nvinfer1::Dims dims = in->dims;
    for (int32_t i = 0; i < dims.nbDims; ++i)
    {
        const bool kept = (p.mode == nvinfer1::ScaleMode::kCHANNEL && i == p.channelAxis)
            || (p.mode == nvinfer1::ScaleMode::kELEMENTWISE && i >= p.channelAxis);
        if (!kept)
            dims.d[i] = 1;
        else if (dims.d[i] < 0)
            return false;
    }
    const std::pair<ElementWiseOperation, const ir::WeightsRef*> parts[] = {
        {ElementWiseOperation::kPROD, &p.scale}, {ElementWiseOperation::kSUM, &p.shift}, {ElementWiseOperation::kPOW, &p.power}};
    for (const auto& [op, w] : parts)
    {
        if (w->empty())
            continue;
        ScaleTerm t{op, dims, {}};
        if (!readFloats(*w, t.values) || static_cast<int64_t>(t.values.size()) != volume(dims))
            return false;
        terms.push_back(std::move(t));
    }
    return true;
}

//! Whether \p layer can join a chain whose value arrives at input \p valueInput.
bool isStep(PassContext& ctx, const ir::Layer& layer, int32_t valueInput)
{
    if (layer.outputs.size() != 1 || !isFloat(ctx, layer.outputs[0]))
        return false;
    switch (layer.kind())
    {
    case ir::LayerKind::kActivation: return valueInput == 0 && isFloat(ctx, layer.inputs[0]);
    case ir::LayerKind::kUnary:
        return valueInput == 0 && isFloat(ctx, layer.inputs[0])
            && layers::isPointwiseUnary(static_cast<const layers::UnaryParams&>(*layer.params).operation);
    case ir::LayerKind::kElementWise:
        return layer.inputs.size() == 2 && layer.inputs[0] != layer.inputs[1] && isFloat(ctx, layer.inputs[0])
            && isFloat(ctx, layer.inputs[1])
            && layers::isPointwiseBinary(static_cast<const layers::ElementWiseParams&>(*layer.params).operation);
    case ir::LayerKind::kScale:
    {
        std::vector<ScaleTerm> terms;
        return valueInput == 0 && isFloat(ctx, layer.inputs[0]) && scaleTerms(ctx, layer, terms);
    }
    default: return false;
    }
}

//! Extra inputs of the chain a layer would add.
int32_t operandCount(const ir::Layer& layer)
{
    if (layer.kind() == ir::LayerKind::kElementWise)
        return 1;
    if (layer.kind() == ir::LayerKind::kScale)
    {
        const auto& p = static_cast<const layers::ScaleParams&>(*layer.params);
        return static_cast<int32_t>(!p.scale.empty()) + static_cast<int32_t>(!p.shift.empty()) + static_cast<int32_t>(!p.power.empty());
    }
    return 0;
}

struct Link
{
    ir::Layer* layer;
    int32_t valueInput;
};

class ElementwiseChainFusion final : public Pass
{
public:
    const char* name() const override { return "elementwise_chain_fusion"; }
    PassLevel level() const override { return PassLevel::kExtended; }
    std::vector<ir::LayerKind> targetKinds() const override
    {
        return {ir::LayerKind::kActivation, ir::LayerKind::kUnary, ir::LayerKind::kElementWise, ir::LayerKind::kScale};
    }

    Expected<bool> run(PassContext& ctx) override
    {
        auto order = ctx.graph().topologicalOrder();
        if (!order)
            return order.status();
        std::unordered_set<const ir::Layer*> taken;
        bool any = false;
        for (ir::Layer* head : order.value())
        {
            if (taken.count(head) || ctx.isErased(head) || !isStep(ctx, *head, 0))
                continue;
            std::vector<Link> chain{{head, 0}};
            int32_t operands = operandCount(*head);
            while (true)
            {
                ir::Tensor* out = chain.back().layer->outputs[0];
                if (!ctx.hasSingleUse(out))
                    break;
                const Use use = ctx.uses(out).front();
                const int32_t more = operandCount(*use.layer);
                if (taken.count(use.layer) || !isStep(ctx, *use.layer, use.index) || operands + more > layers::kMaxPointwiseInputs - 1)
                    break;
                operands += more;
                chain.push_back({use.layer, use.index});
            }
            for (const Link& l : chain)
                taken.insert(l.layer);
            if (chain.size() >= 2 && fuse(ctx, chain))
                any = true;
        }
        return any;
    }

private:
    bool fuse(PassContext& ctx, const std::vector<Link>& chain)
    {
        ir::Graph& g = ctx.graph();
        auto params = std::make_unique<layers::PointwiseChainParams>();
        std::vector<ir::Tensor*> inputs{chain.front().layer->inputs[static_cast<size_t>(chain.front().valueInput)]};
        auto operandIndex = [&](ir::Tensor* t) {
            auto it = std::find(inputs.begin(), inputs.end(), t);
            if (it != inputs.end())
                return static_cast<int32_t>(it - inputs.begin());
            inputs.push_back(t);
            return static_cast<int32_t>(inputs.size() - 1);
        };
        std::string names;
        for (const Link& link : chain)
        {
            const ir::Layer& l = *link.layer;
            names += (names.empty() ? "" : " + ") + l.name;
            PointwiseStep s;
            switch (l.kind())
            {
            case ir::LayerKind::kActivation:
            {
                const auto& p = static_cast<const layers::ActivationParams&>(*l.params);
                s.kind = PointwiseStepKind::kActivation;
                s.code = static_cast<int32_t>(p.type);
                s.alpha = p.alpha;
                s.beta = p.beta;
                params->append(s);
                break;
            }
            case ir::LayerKind::kUnary:
                s.kind = PointwiseStepKind::kUnary;
                s.code = static_cast<int32_t>(static_cast<const layers::UnaryParams&>(*l.params).operation);
                params->append(s);
                break;
            case ir::LayerKind::kElementWise:
                s.kind = link.valueInput == 0 ? PointwiseStepKind::kBinary : PointwiseStepKind::kBinaryReversed;
                s.code = static_cast<int32_t>(static_cast<const layers::ElementWiseParams&>(*l.params).operation);
                s.operand = operandIndex(l.inputs[static_cast<size_t>(1 - link.valueInput)]);
                params->append(s);
                break;
            case ir::LayerKind::kScale:
            {
                std::vector<ScaleTerm> terms;
                if (!scaleTerms(ctx, l, terms))
                    return false;
                for (ScaleTerm& t : terms)
                {
                    auto c = std::make_unique<layers::ConstantParams>();
                    c->dims = t.dims;
                    c->weights = g.ownWeights(std::move(t.values));
                    ir::Layer* constant = g.addLayer(ctx.uniqueLayerName(l.name + " " + (t.op == ElementWiseOperation::kPROD ? "scale"
                                                                                        : t.op == ElementWiseOperation::kSUM ? "shift"
                                                                                                                              : "power")),
                        std::move(c), {});
                    constant->sourceLayers = l.sources(); // the Scale's weights, for refit
                    s.kind = PointwiseStepKind::kBinary;
                    s.code = static_cast<int32_t>(t.op);
                    s.operand = operandIndex(constant->outputs[0]);
                    params->append(s);
                }
                break;
            }
            default: return false;
            }
        }
        if (params->nbSteps() < 1)
            return false;
        ir::Tensor* result = chain.back().layer->outputs[0];
        std::vector<std::string> sources;
        for (const Link& link : chain)
            for (const std::string& s : link.layer->sources())
                sources.push_back(s);
        for (const Link& link : chain)
            ctx.erase(link.layer);
        ir::Layer* fused = addLayerOnto(g, ctx.uniqueLayerName(names), std::move(params), inputs, {result});
        fused->sourceLayers = std::move(sources);
        ctx.changed();
        ctx.note("fused " + std::to_string(chain.size()) + " point-wise layers into PointwiseChain '" + names + "'");
        return true;
    }
};

} // namespace

std::unique_ptr<Pass> makeElementwiseChainFusion()
{
    return std::make_unique<ElementwiseChainFusion>();
}

} // namespace kiln::optimizer::passes
