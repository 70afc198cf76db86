#include "kernels/kernel.h"
#include "layers/reformat.h"

#include <cstring>

namespace kiln::kernels::reference
{

namespace
{

//! Copies one (n, channel block) slab: \p blocked holds hw cells of \p block channels each,
//! \p linear holds \p block planes of hw values (channel stride hw).
void toBlocked(float* blocked, const float* linear, int64_t hw, int32_t block)
{
    for (int64_t i = 0; i < hw; ++i)
        for (int32_t c = 0; c < block; ++c)
            blocked[i * block + c] = linear[c * hw + i];
}

void fromBlocked(float* linear, const float* blocked, int64_t hw, int32_t block)
{
    for (int32_t c = 0; c < block; ++c)
        for (int64_t i = 0; i < hw; ++i)
            linear[c * hw + i] = blocked[i * block + c];
}

//! Where element (n, c, cell i of hw) lies in a blocked layout.
int64_t blockedOffset(ir::Layout layout, int64_t channels, int64_t hw, int64_t n, int64_t c, int64_t i)
{
    const int64_t block = ir::channelBlock(layout);
    return ((n * (channels / block) + c / block) * hw + i) * block + c % block;
}

} // namespace

Status runReformat(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ReformatParams>();
    const TensorBuffer& in = args.inputs[0];
    const TensorBuffer& out = args.outputs[0];
    KILN_RETURN_IF_ERROR(ir::checkLayout(p.from, in.dims));
    KILN_RETURN_IF_ERROR(ir::checkLayout(p.to, in.dims));
    const auto* src = in.as<const float>();
    auto* dst = out.as<float>();
    if (p.from == p.to)
    {
        std::memcpy(dst, src, static_cast<size_t>(in.elementCount()) * sizeof(float));
        return Status::ok();
    }
    if (p.from != ir::Layout::kLinear && p.to != ir::Layout::kLinear)
    {
        // Between two blocked layouts (the builder never makes one): element by element.
        const int64_t channels = in.dims.d[1];
        const int64_t hw = int64_t{in.dims.d[2]} * in.dims.d[3];
        for (int64_t n = 0; n < in.dims.d[0]; ++n)
            for (int64_t c = 0; c < channels; ++c)
                for (int64_t i = 0; i < hw; ++i)
                    dst[blockedOffset(p.to, channels, hw, n, c, i)] = src[blockedOffset(p.from, channels, hw, n, c, i)];
        return Status::ok();
    }
    const ir::Layout blockedLayout = p.from == ir::Layout::kLinear ? p.to : p.from;
    const int32_t block = ir::channelBlock(blockedLayout);
    const int64_t slabs = int64_t{in.dims.d[0]} * (in.dims.d[1] / block);
    const int64_t hw = int64_t{in.dims.d[2]} * in.dims.d[3];
    const int64_t slab = hw * block;
    for (int64_t s = 0; s < slabs; ++s)
    {
        if (p.to == blockedLayout)
            toBlocked(dst + s * slab, src + s * slab, hw, block);
        else
            fromBlocked(dst + s * slab, src + s * slab, hw, block);
    }
    return Status::ok();
}

} // namespace kiln::kernels::reference
