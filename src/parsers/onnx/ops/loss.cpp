// Loss operators: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, composed from gathers,
// selects and reductions.
#include "helpers.h"

#include <string>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::ReduceOperation;

//! Bit mask of every axis of a rank-\p rank tensor.
uint32_t allAxes(int32_t rank)
{
    return rank >= 32 ? ~0u : (1u << rank) - 1u;
}

//! The sum of every element of \p x as a rank-0 tensor.
ITensor* sumAll(ImporterContext& ctx, ITensor* x)
{
    if (!x)
        return nullptr;
    const int32_t rank = x->getDimensions().nbDims;
    if (rank == 0)
        return identity(ctx, x);
    nvinfer1::IReduceLayer* l = ctx.network().addReduce(*x, ReduceOperation::kSUM, allAxes(rank), false);
    return l ? l->getOutput(0) : nullptr;
}

ITensor* select(ImporterContext& ctx, ITensor* cond, ITensor* a, ITensor* b)
{
    if (!cond || !a || !b)
        return nullptr;
    nvinfer1::ISelectLayer* l = ctx.network().addSelect(*cond, *a, *b);
    return l ? l->getOutput(0) : nullptr;
}

/*!
 * The ONNX negative log-likelihood of \p input ([N,C,d1..dk], log-probabilities) at the classes
 * \p target ([N,d1..dk]) with optional class weights \p weight ([C]). Elements whose target is
 * the node's ignore_index contribute 0 to the loss and to the weight total of 'mean'.
 */
OnnxExpected<ITensor*> negativeLogLikelihood(Node& node, ITensor* input, ITensor* target, ITensor* weight)
{
    ImporterContext& ctx = node.ctx;
    const std::string reduction = node.attrs.s("reduction", "mean");
    KILN_ONNX_CHECK(reduction == "none" || reduction == "sum" || reduction == "mean", kINVALID_NODE,
        "reduction must be 'none', 'sum' or 'mean', not '" + reduction + "'");
    KILN_ONNX_CHECK(input->getType() == DataType::kFLOAT, kUNSUPPORTED_NODE, "the scores must be floating point");
    const int32_t rank = input->getDimensions().nbDims;
    KILN_ONNX_CHECK(rank >= 2, kINVALID_NODE, "the input must have shape [N, C] or [N, C, d1, ..., dk]");
    KILN_ONNX_CHECK(target->getDimensions().nbDims == rank - 1, kINVALID_NODE,
        "the target must have shape [N] or [N, d1, ..., dk] (rank " + std::to_string(rank - 1) + "), not "
            + dimsString(target->getDimensions()));
    target = cast(ctx, target, DataType::kINT32);
    KILN_ONNX_NOT_NULL(target);
    if (weight)
    {
        KILN_ONNX_CHECK(weight->getDimensions().nbDims == 1, kINVALID_NODE, "the weights must have shape [C]");
        KILN_ONNX_CHECK(weight->getType() == DataType::kFLOAT, kUNSUPPORTED_NODE, "the weights must be floating point");
    }
    const int32_t targetRank = rank - 1;

    // mask: the elements whose target is not ignore_index; ignored targets read class 0 instead.
    ITensor* mask = nullptr;
    ITensor* safeTarget = target;
    if (node.attrs.has("ignore_index"))
    {
        const int64_t ignore = node.attrs.i("ignore_index", 0);
        ITensor* ignored = elementwise(ctx, target,
            scalarConstant(ctx, DataType::kINT32, static_cast<double>(ignore), targetRank), ElementWiseOperation::kEQUAL);
        mask = unary(ctx, ignored, nvinfer1::UnaryOperation::kNOT);
        KILN_ONNX_NOT_NULL(mask);
        safeTarget = select(ctx, mask, target, scalarConstant(ctx, DataType::kINT32, 0, targetRank));
        KILN_ONNX_NOT_NULL(safeTarget);
    }

    // The input at each element's class: GatherElements along axis 1.
    ITensor* index = unsqueeze(ctx, safeTarget, {1});
    KILN_ONNX_NOT_NULL(index);
    nvinfer1::IGatherLayer* g = ctx.network().addGatherV2(*input, *index, nvinfer1::GatherMode::kELEMENT);
    KILN_ONNX_NOT_NULL(g);
    g->setGatherAxis(1);
    ITensor* picked = squeeze(ctx, g->getOutput(0), {1});
    KILN_ONNX_NOT_NULL(picked);

    // Per-element weights: weight[target], 0 where ignored; nullptr means all ones.
    ITensor* w = nullptr;
    if (weight)
    {
        nvinfer1::IGatherLayer* wg = ctx.network().addGather(*weight, *safeTarget, 0);
        KILN_ONNX_NOT_NULL(wg);
        w = wg->getOutput(0);
    }
    ITensor* zero = scalarConstant(ctx, DataType::kFLOAT, 0.0, targetRank);
    if (mask)
    {
        ITensor* one = w ? w : scalarConstant(ctx, DataType::kFLOAT, 1.0, targetRank);
        KILN_ONNX_NOT_NULL(one && zero ? one : nullptr);
        // Select broadcasts its inputs: the constants take the target's shape.
        w = select(ctx, mask, one, zero);
        KILN_ONNX_NOT_NULL(w);
    }

    ITensor* loss = unary(ctx, picked, nvinfer1::UnaryOperation::kNEG);
    if (w)
        loss = elementwise(ctx, loss, w, ElementWiseOperation::kPROD);
    if (mask)
        loss = select(ctx, mask, loss, zero);
    KILN_ONNX_NOT_NULL(loss);

    if (reduction == "none")
        return loss;
    if (reduction == "mean" && !w)
    {
        // Without weights or ignored elements the mean is over every element.
        nvinfer1::IReduceLayer* avg = ctx.network().addReduce(*loss, ReduceOperation::kAVG, allAxes(targetRank), false);
        KILN_ONNX_NOT_NULL(avg);
        return avg->getOutput(0);
    }
    ITensor* total = sumAll(ctx, loss);
    KILN_ONNX_NOT_NULL(total);
    if (reduction == "sum")
        return total;
    // mean: the loss total over the weight total (ignored elements weigh 0).
    ITensor* mean = elementwise(ctx, total, sumAll(ctx, w), ElementWiseOperation::kDIV);
    KILN_ONNX_NOT_NULL(mean);
    return mean;
}

//! log(softmax(x)) over axis 1, computed as x - max - log(sum(exp(x - max))).
ITensor* logSoftmaxAxis1(ImporterContext& ctx, ITensor* x)
{
    nvinfer1::IReduceLayer* max = ctx.network().addReduce(*x, ReduceOperation::kMAX, 1u << 1, true);
    if (!max)
        return nullptr;
    ITensor* shifted = elementwise(ctx, x, max->getOutput(0), ElementWiseOperation::kSUB);
    ITensor* e = unary(ctx, shifted, nvinfer1::UnaryOperation::kEXP);
    if (!e)
        return nullptr;
    nvinfer1::IReduceLayer* sum = ctx.network().addReduce(*e, ReduceOperation::kSUM, 1u << 1, true);
    if (!sum)
        return nullptr;
    ITensor* lse = unary(ctx, sum->getOutput(0), nvinfer1::UnaryOperation::kLOG);
    return elementwise(ctx, shifted, lse, ElementWiseOperation::kSUB);
}

} // namespace

KILN_ONNX_IMPORTER(NegativeLogLikelihoodLoss)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1), kINVALID_NODE, "needs the input and the target");
    ITensor* input = node.tensor(0);
    ITensor* target = node.tensor(1);
    ITensor* weight = node.has(2) ? node.tensor(2) : nullptr;
    KILN_ONNX_NOT_NULL(input && target && (weight || !node.has(2)) ? input : nullptr);
    KILN_ONNX_ASSIGN(ITensor * loss, negativeLogLikelihood(node, input, target, weight));
    return Outputs{Value::of(loss)};
}

KILN_ONNX_IMPORTER(SoftmaxCrossEntropyLoss)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1), kINVALID_NODE, "needs the scores and the labels");
    ITensor* scores = node.tensor(0);
    ITensor* labels = node.tensor(1);
    ITensor* weight = node.has(2) ? node.tensor(2) : nullptr;
    KILN_ONNX_NOT_NULL(scores && labels && (weight || !node.has(2)) ? scores : nullptr);
    KILN_ONNX_CHECK(scores->getType() == DataType::kFLOAT, kUNSUPPORTED_NODE, "the scores must be floating point");
    KILN_ONNX_CHECK(scores->getDimensions().nbDims >= 2, kINVALID_NODE,
        "the scores must have shape [N, C] or [N, C, d1, ..., dk]");
    ITensor* logProb = logSoftmaxAxis1(node.ctx, scores);
    KILN_ONNX_NOT_NULL(logProb);
    KILN_ONNX_ASSIGN(ITensor * loss, negativeLogLikelihood(node, logProb, labels, weight));
    return Outputs{Value::of(loss), Value::of(logProb)};
}

} // namespace kiln::onnx
