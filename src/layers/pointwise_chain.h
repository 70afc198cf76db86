// PointwiseChain (engine-only; the network API never makes one): a chain of point-wise layers run
// as one small program per element. The optimizer's elementwise_chain_fusion pass builds it from
// Activation, Unary, ElementWise and Scale layers (optimizer/passes/elementwise_chain_fusion.cpp).
//
//   v = x[i]                     input 0, read with broadcasting
//   for each step s:  v = s(v)   kActivation: IActivationLayer's formula (code = ActivationType)
//                                kUnary: a FLOAT UnaryOperation (code), as IUnaryLayer
//                                kBinary: v <op> operand, kBinaryReversed: operand <op> v, for the
//                                FLOAT ElementWiseOperations kSUM..kFLOOR_DIV (code); the operand
//                                is input `operand` (0..nbInputs-1; 0 is x itself, as in
//                                x·gelu-like chains) read with broadcasting
//   y[i] = v
//
// Inputs are FLOAT with equal ranks; the output dims are their broadcast (extents of 1 stretch,
// as ElementWise), so the result equals the original layers even where they broadcast: every
// step is point-wise. The program is stored as plain vectors (visitFields): `program` holds 3
// int32 per step (kind, code, operand; operand 0 for the unary kinds), `constants` 2 floats per
// step (alpha, beta; 0 unless kActivation).
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

enum class PointwiseStepKind : int32_t
{
    kActivation = 0,
    kUnary = 1,
    kBinary = 2,
    kBinaryReversed = 3,
};

struct PointwiseStep
{
    PointwiseStepKind kind{PointwiseStepKind::kActivation};
    int32_t code{0};
    int32_t operand{0};
    float alpha{0.f};
    float beta{0.f};
};

constexpr int32_t kMaxPointwiseSteps = 64;
constexpr int32_t kMaxPointwiseInputs = 9; //!< x and up to 8 operands

class PointwiseChainParams final : public ir::LayerParams
{
public:
    std::vector<int32_t> program;
    std::vector<float> constants;

    ir::LayerKind kind() const override { return ir::LayerKind::kPointwiseChain; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<PointwiseChainParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("program", program);
        v.visit("constants", constants);
    }
    int32_t maxInputs() const override { return kMaxPointwiseInputs; }
    Status inferShapes(ir::ShapeContext& ctx) const override;

    //! Steps in the stored program (0 when its vectors disagree; inferShapes rejects that).
    int32_t nbSteps() const;
    //! Step \p i (0 <= i < nbSteps()).
    PointwiseStep step(int32_t i) const;
    void append(const PointwiseStep& s);
};

//! Unary operations a chain can hold: those taking and giving FLOAT.
bool isPointwiseUnary(nvinfer1::UnaryOperation op);
//! ElementWise operations a chain can hold: the FLOAT arithmetic ones (kSUM .. kFLOOR_DIV).
bool isPointwiseBinary(nvinfer1::ElementWiseOperation op);

//! One validated step on \p v; \p operand is the operand's value (ignored by unary kinds).
float applyPointwiseStep(const PointwiseStep& s, float v, float operand);

} // namespace kiln::layers
