// Local response normalization across channels. The channel axis is rank - 3 (input {..., C, H, W},
// rank >= 3); for a window w (odd, 1 to 15):
//   y[c] = x[c] / (k + alpha/w · Σ_{j = c - (w-1)/2 .. c + (w-1)/2, 0 <= j < C} x[j]²)^beta
// at every other index. TensorRT's ranges: alpha in [-1e20, 1e20], beta in [0.01, 1e5],
// k in [1e-5, 1e10].
#pragma once

#include "ir/params.h"

#include <string>

namespace kiln::layers
{

class LRNParams final : public ir::LayerParams
{
public:
    int32_t windowSize{1};
    float alpha{1.f};
    float beta{1.f};
    float k{1.f};

    ir::LayerKind kind() const override { return ir::LayerKind::kLRN; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<LRNParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("windowSize", windowSize);
        v.visit("alpha", alpha);
        v.visit("beta", beta);
        v.visit("k", k);
    }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    //! Checks the window and coefficients alone (shared with addLRN's argument checks); empty when
    //! they are valid, else what is wrong.
    static std::string checkParameters(int32_t windowSize, float alpha, float beta, float k);
};

} // namespace kiln::layers
