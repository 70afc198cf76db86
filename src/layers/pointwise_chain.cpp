#include "layers/pointwise_chain.h"

#include "layers/checks.h"
#include "layers/element_wise.h"
#include "layers/epilogue.h"
#include "layers/pointwise_utils.h"
#include "layers/unary.h"

#include <cmath>

namespace kiln::layers
{

using nvinfer1::ElementWiseOperation;
using nvinfer1::UnaryOperation;

int32_t PointwiseChainParams::nbSteps() const
{
    const size_t n = program.size() / 3;
    return program.size() % 3 == 0 && constants.size() == 2 * n ? static_cast<int32_t>(n) : 0;
}

PointwiseStep PointwiseChainParams::step(int32_t i) const
{
    const auto k = static_cast<size_t>(i);
    PointwiseStep s;
    s.kind = static_cast<PointwiseStepKind>(program[3 * k]);
    s.code = program[3 * k + 1];
    s.operand = program[3 * k + 2];
    s.alpha = constants[2 * k];
    s.beta = constants[2 * k + 1];
    return s;
}

void PointwiseChainParams::append(const PointwiseStep& s)
{
    program.push_back(static_cast<int32_t>(s.kind));
    program.push_back(s.code);
    program.push_back(s.operand);
    constants.push_back(s.alpha);
    constants.push_back(s.beta);
}

bool isPointwiseUnary(UnaryOperation op)
{
    const auto v = static_cast<int32_t>(op);
    return v >= 0 && v < nvinfer1::EnumMax<UnaryOperation>() && op != UnaryOperation::kNOT && op != UnaryOperation::kISINF
        && op != UnaryOperation::kISNAN;
}

bool isPointwiseBinary(ElementWiseOperation op)
{
    return isArithmeticOp(op);
}

float applyPointwiseStep(const PointwiseStep& s, float v, float operand)
{
    switch (s.kind)
    {
    case PointwiseStepKind::kActivation:
        return Epilogue::applyActivation(static_cast<nvinfer1::ActivationType>(s.code), v, s.alpha, s.beta);
    case PointwiseStepKind::kUnary: return applyUnaryFloat(static_cast<UnaryOperation>(s.code), v);
    case PointwiseStepKind::kBinary: return applyBinaryFloat(static_cast<ElementWiseOperation>(s.code), v, operand);
    case PointwiseStepKind::kBinaryReversed: return applyBinaryFloat(static_cast<ElementWiseOperation>(s.code), operand, v);
    }
    return v;
}

Status PointwiseChainParams::inferShapes(ir::ShapeContext& ctx) const
{
    const int32_t n = nbSteps();
    if (n < 1 || n > kMaxPointwiseSteps)
        return ctx.error("the program must hold 1 to " + std::to_string(kMaxPointwiseSteps) + " steps (3 ints and 2 floats each); it has "
            + std::to_string(program.size()) + " ints and " + std::to_string(constants.size()) + " floats");
    const int32_t nbIn = ctx.nbInputs();
    for (int32_t i = 0; i < n; ++i)
    {
        const PointwiseStep s = step(i);
        const std::string at = "step " + std::to_string(i) + ": ";
        switch (s.kind)
        {
        case PointwiseStepKind::kActivation:
            if (s.code < 0 || s.code >= nvinfer1::EnumMax<nvinfer1::ActivationType>())
                return ctx.error(at + "invalid activation type " + std::to_string(s.code));
            break;
        case PointwiseStepKind::kUnary:
            if (!isPointwiseUnary(static_cast<UnaryOperation>(s.code)))
                return ctx.error(at + "unary operation " + std::to_string(s.code) + " is not a FLOAT operation");
            break;
        case PointwiseStepKind::kBinary:
        case PointwiseStepKind::kBinaryReversed:
            if (!isPointwiseBinary(static_cast<ElementWiseOperation>(s.code)))
                return ctx.error(at + "element-wise operation " + std::to_string(s.code) + " is not a FLOAT arithmetic operation");
            if (s.operand < 0 || s.operand >= nbIn)
                return ctx.error(at + "operand " + std::to_string(s.operand) + " is not an input (the layer has "
                    + std::to_string(nbIn) + ")");
            break;
        default: return ctx.error(at + "invalid step kind " + std::to_string(static_cast<int32_t>(s.kind)));
        }
    }
    for (int32_t i = 0; i < nbIn; ++i)
        KILN_RETURN_IF_ERROR(checkInputType(ctx, i, {nvinfer1::DataType::kFLOAT}));
    nvinfer1::Dims dims;
    switch (nbIn)
    {
    case 1: dims = ctx.input(0)->dims; break;
    default:
    {
        // broadcastInputs takes a fixed list; fold the inputs pairwise into the broadcast.
        KILN_RETURN_IF_ERROR(broadcastInputs(ctx, {0, 1}, dims));
        for (int32_t i = 2; i < nbIn; ++i)
        {
            ir::TensorDesc acc;
            acc.dims = dims;
            ir::ShapeContext pair(ctx.layerName(), ir::LayerKind::kPointwiseChain, {&acc, ctx.input(i)}, 1);
            Status s = broadcastInputs(pair, {0, 1}, dims);
            if (!s)
                return ctx.error("input " + std::to_string(i) + " does not broadcast with the others: " + s.message());
        }
    }
    }
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = dims;
    return Status::ok();
}

} // namespace kiln::layers
