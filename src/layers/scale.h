// Scale: out = (in * scale + shift) ^ power, with the weights chosen per element by the mode:
//   kUNIFORM      one value for the whole tensor (count 1)
//   kCHANNEL      one value per channel (count C = extent at channelAxis)
//   kELEMENTWISE  one value per element of dims[channelAxis..] (count = their product), the
//                 same for every index of the axes before channelAxis
// Empty weights leave that term out (scale 1, shift 0, power 1). The input is FLOAT with rank of
// at least channelAxis + 1 (TensorRT documents 3 dims from the channel axis for the 2D case; Kiln
// also accepts fewer), and the extents the weights depend on must be known at build time.
// addScale uses channel axis 0 in implicit-batch networks and 1 with an explicit batch;
// addScaleNd takes it. Implicit batch lowering moves the channel axis up by one.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class ScaleParams final : public ir::LayerParams
{
public:
    nvinfer1::ScaleMode mode{nvinfer1::ScaleMode::kUNIFORM};
    int32_t channelAxis{0};
    ir::WeightsRef shift;
    ir::WeightsRef scale;
    ir::WeightsRef power;

    ir::LayerKind kind() const override { return ir::LayerKind::kScale; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<ScaleParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("mode", mode);
        v.visit("channelAxis", channelAxis);
    }
    void visitWeights(ir::WeightsVisitor& v) override
    {
        v.visit("shift", static_cast<int32_t>(nvinfer1::WeightsRole::kSHIFT), shift);
        v.visit("scale", static_cast<int32_t>(nvinfer1::WeightsRole::kSCALE), scale);
        v.visit("power", ir::kNoWeightsRole, power);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;
};

} // namespace kiln::layers
