#include "kernels/cpu/reformat_parallel.h"

#include "layers/reformat.h"

#include <algorithm>

namespace kiln::kernels::cpu
{

namespace
{

//! Cells per tile: a tile's 16 channel planes and its blocked run both stay in L1.
constexpr int64_t kTileCells = 64;

template <int32_t Block>
void toBlocked(float* blocked, const float* linear, int64_t hw)
{
    for (int64_t i0 = 0; i0 < hw; i0 += kTileCells)
    {
        const int64_t i1 = std::min(hw, i0 + kTileCells);
        for (int32_t c = 0; c < Block; ++c)
        {
            const float* from = linear + c * hw;
            for (int64_t i = i0; i < i1; ++i)
                blocked[i * Block + c] = from[i];
        }
    }
}

template <int32_t Block>
void fromBlocked(float* linear, const float* blocked, int64_t hw)
{
    for (int64_t i0 = 0; i0 < hw; i0 += kTileCells)
    {
        const int64_t i1 = std::min(hw, i0 + kTileCells);
        for (int32_t c = 0; c < Block; ++c)
        {
            float* to = linear + c * hw;
            for (int64_t i = i0; i < i1; ++i)
                to[i] = blocked[i * Block + c];
        }
    }
}

class ReformatParallel final : public NamedTactic
{
public:
    ReformatParallel()
        : NamedTactic(ir::LayerKind::kReformat, "reformat.cpu.parallel", "kiln")
    {
    }

    ir::LayoutSet layouts() const override { return ir::kAllLayouts; }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        KILN_RETURN_IF_ERROR(checkReformatLayouts(params, inputs, outputs));
        const auto& p = static_cast<const layers::ReformatParams&>(params);
        if (inputs[0].type != nvinfer1::DataType::kFLOAT)
            return unsupported("only FLOAT tensors");
        if ((p.from == ir::Layout::kLinear) == (p.to == ir::Layout::kLinear))
            return unsupported("converts between row-major and one blocked layout only");
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ReformatParams>();
        const nvinfer1::Dims& d = args.inputs[0].dims;
        const bool toBlockedLayout = p.from == ir::Layout::kLinear;
        const int32_t block = ir::channelBlock(toBlockedLayout ? p.to : p.from);
        const int64_t slabs = int64_t{d.d[0]} * (d.d[1] / block);
        const int64_t hw = int64_t{d.d[2]} * d.d[3];
        const auto* src = args.inputs[0].as<const float>();
        auto* dst = args.outputs[0].as<float>();
        const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, hw * block));
        args.pool->parallelFor(slabs, grain, [&](int64_t begin, int64_t end) {
            for (int64_t s = begin; s < end; ++s)
            {
                const int64_t at = s * hw * block;
                if (toBlockedLayout)
                    block == 8 ? toBlocked<8>(dst + at, src + at, hw) : toBlocked<16>(dst + at, src + at, hw);
                else
                    block == 8 ? fromBlocked<8>(dst + at, src + at, hw) : fromBlocked<16>(dst + at, src + at, hw);
            }
        });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeReformatParallel()
{
    return std::make_unique<ReformatParallel>();
}

} // namespace kiln::kernels::cpu
