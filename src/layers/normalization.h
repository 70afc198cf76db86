// Normalization: y = (x - mean) / sqrt(variance + epsilon) * scale + bias, where mean and the
// population variance are taken, for each position of the other axes, over the axes of the `axes`
// bitmask (LayerNormalization: the trailing axes; InstanceNormalization: the spatial axes 2..r-1).
//
//  - nbGroups > 1 (group normalization): the channel axis (channelAxis, C divisible by nbGroups)
//    is split into nbGroups groups of C / nbGroups channels; the statistics of each group are
//    taken over its channels and every axis after the channel axis, which `axes` must then name
//    exactly (no other bits).
//  - scale and bias are FLOAT tensors of the input's rank whose extents equal the input's or are
//    1 (broadcast): [1,..,1,D..] for layer normalization, [1,C,1,..] per channel.
//  - An empty bitmask normalizes every element on its own (the output is the bias).
//  - computePrecision is kept for the API; only FLOAT is accepted.
//  - Implicit batch: the bitmask and channelAxis leave the batch out (addNormalization sets
//    channelAxis to 0 in implicit-batch networks, 1 otherwise); addBatchAxis shifts both by one.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class NormalizationParams final : public ir::LayerParams
{
public:
    uint32_t axes{0};
    float epsilon{1e-5f};
    int32_t nbGroups{1};
    int32_t channelAxis{1};
    nvinfer1::DataType computePrecision{nvinfer1::DataType::kFLOAT};

    ir::LayerKind kind() const override { return ir::LayerKind::kNormalization; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<NormalizationParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        auto bits = static_cast<int32_t>(axes);
        v.visit("axes", bits);
        if (static_cast<uint32_t>(bits) != axes) // readers must not store (see FieldVisitor::visitEnum)
            axes = static_cast<uint32_t>(bits);
        v.visit("epsilon", epsilon);
        v.visit("nbGroups", nbGroups);
        v.visit("channelAxis", channelAxis);
        v.visitEnum("computePrecision", computePrecision);
    }
    int32_t minInputs() const override { return 3; }
    int32_t maxInputs() const override { return 3; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;

    //! The dims and bitmask the statistics are taken over: the input's own for nbGroups == 1,
    //! else [outer, nbGroups, C / nbGroups * inner] with bit 2. Valid after inferShapes succeeded
    //! on concrete \p dims.
    void statisticsView(const nvinfer1::Dims& dims, nvinfer1::Dims& view, uint32_t& viewAxes) const;
};

} // namespace kiln::layers
