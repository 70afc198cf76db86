// Padding of the trailing prePadding.nbDims axes (TensorRT 7.2 uses 2; Kiln accepts 1 to rank):
// axis i of those grows by prePadding[i] zeros before the data and postPadding[i] zeros after it;
// a negative amount crops that many cells instead. out[i] = in[i] + pre[i] + post[i] must stay
// positive. FLOAT and INT32 inputs; the output has the input's type.
#pragma once

#include "ir/params.h"

namespace kiln::layers
{

class PaddingParams final : public ir::LayerParams
{
public:
    nvinfer1::Dims prePadding{};
    nvinfer1::Dims postPadding{};

    ir::LayerKind kind() const override { return ir::LayerKind::kPadding; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<PaddingParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("prePadding", prePadding);
        v.visit("postPadding", postPadding);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
};

} // namespace kiln::layers
