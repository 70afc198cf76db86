// Constant: outputs its weights with the given dims. FLOAT or HALF weights give a FLOAT output
// (the builder converts HALF weights to FLOAT), INT32 weights an INT32 output whose values are
// known at shape time when small (shape tensors). The weight count must equal the volume of dims
// (static extents, 0 allowed). In implicit-batch networks the output has no batch axis:
// addBatchAxis prepends an extent of 1, which consumers broadcast across the batch.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ConstantParams final : public ir::LayerParams
{
public:
    nvinfer1::Dims dims{};
    ir::WeightsRef weights;

    ir::LayerKind kind() const override { return ir::LayerKind::kConstant; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ConstantParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override { v.visit("dims", dims); }
    void visitWeights(ir::WeightsVisitor& v) override
    {
        v.visit("weights", static_cast<int32_t>(nvinfer1::WeightsRole::kCONSTANT), weights);
    }
    int32_t minInputs() const override { return 0; }
    int32_t maxInputs() const override { return 0; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
