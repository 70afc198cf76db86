// Pooling over the trailing 2 or 3 axes of an input {..., (D,) H, W} (every leading axis pools
// independently). For each output cell the window covers input cells o·S - B + f, f in [0, F),
// with the stride S, window F and leading padding B of the PaddingMode (layers/spatial_utils.h):
//   kMAX                 maximum over the window cells inside the input (padding never wins);
//   kAVERAGE             sum over the cells inside the input / count, where count is the number of
//                        cells inside the input (averageCountExcludesPadding, the default) or else
//                        the number of window cells inside the padded input [-B, I + A);
//   kMAX_AVERAGE_BLEND   blendFactor·max + (1 - blendFactor)·average.
// A window holding no input cell (possible with the ROUND_UP modes and strides larger than the
// window) yields 0. Defaults: stride 1, padding 0, kEXPLICIT_ROUND_DOWN, blend 0. Explicit padding
// must be smaller than the window, and blendFactor in [0, 1].
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class PoolingParams final : public ir::LayerParams
{
public:
    nvinfer1::PoolingType type{nvinfer1::PoolingType::kMAX};
    nvinfer1::Dims windowSize{}; //!< 2 or 3 spatial extents
    nvinfer1::Dims stride{};
    nvinfer1::Dims prePadding{};
    nvinfer1::Dims postPadding{};
    nvinfer1::PaddingMode paddingMode{nvinfer1::PaddingMode::kEXPLICIT_ROUND_DOWN};
    float blendFactor{0.f};
    bool averageCountExcludesPadding{true};

    ir::LayerKind kind() const override { return ir::LayerKind::kPooling; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<PoolingParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visitEnum("type", type);
        v.visit("windowSize", windowSize);
        v.visit("stride", stride);
        v.visit("prePadding", prePadding);
        v.visit("postPadding", postPadding);
        v.visitEnum("paddingMode", paddingMode);
        v.visit("blendFactor", blendFactor);
        v.visit("averageCountExcludesPadding", averageCountExcludesPadding);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
