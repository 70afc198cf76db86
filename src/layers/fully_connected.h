// FullyConnected: Y = X·Wᵀ + b over the last three input dims {C, H, W} flattened to V = C·H·W.
// Input rank >= 3 (implicit batch: {C, H, W}; explicit: {N, C, H, W} or more leading dims); C must
// be known. Kernel weights K×V row-major (K = nbOutputs), optional bias of K. Output
// {..., K, 1, 1}: the leading dims followed by K, 1, 1. The optimizer may fuse an activation
// epilogue (layers/epilogue.h; no residual).
#pragma once

#include "layers/epilogue.h"

namespace kiln::layers
{

class FullyConnectedParams final : public ir::LayerParams
{
public:
    int32_t nbOutputs{0};
    ir::WeightsRef kernel;
    ir::WeightsRef bias;
    Epilogue epilogue;

    ir::LayerKind kind() const override { return ir::LayerKind::kFullyConnected; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<FullyConnectedParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("nbOutputs", nbOutputs);
        epilogue.visit(v);
    }
    void visitWeights(ir::WeightsVisitor& v) override
    {
        v.visit("kernel", static_cast<int32_t>(nvinfer1::WeightsRole::kKERNEL), kernel);
        v.visit("bias", static_cast<int32_t>(nvinfer1::WeightsRole::kBIAS), bias);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
