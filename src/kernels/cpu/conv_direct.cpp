// convolution.cpu.direct.avx2: 2-D convolution with one group, computed directly (no im2col) by the
// register-blocked kernel of conv_direct_avx2.cpp, over a zero-padded copy of each image in the
// workspace (skipped when no padding is needed). Good for small and medium channel counts.
#include "kernels/cpu/conv_direct.h"

#include "kernels/cpu/conv_common.h"
#include "kernels/cpu/gemm_packed.h"
#include "kernels/cpu/gemm_tactics.h"
#include "layers/spatial_utils.h"

#include <algorithm>
#include <cstring>

namespace kiln::kernels::cpu
{

namespace
{

constexpr size_t kAlignment = 64;
//! Largest zero-padded image copy (elements), far beyond any real layer; keeps sizes in range.
constexpr int64_t kMaxPaddedElements = int64_t{1} << 36;

struct Padded
{
    int64_t h{0};
    int64_t w{0};
};

Padded paddedExtents(const Conv2dGeometry& g)
{
    if (g.outH <= 0 || g.outW <= 0)
        return {};
    return {(g.outH - 1) * g.strideH + (g.kernelH - 1) * g.dilationH + 1,
        (g.outW - 1) * g.strideW + (g.kernelW - 1) * g.dilationW + 1};
}

bool needsCopy(const Conv2dGeometry& g, const Padded& pd)
{
    return !(g.padTop == 0 && g.padLeft == 0 && pd.w == g.inW && pd.h <= g.inH);
}

struct PadJob
{
    const Conv2dGeometry* g;
    Padded pd;
    const float* x;
    float* dst;
};

void padChannels(const PadJob& j, int64_t begin, int64_t end)
{
    const Conv2dGeometry& g = *j.g;
    for (int64_t c = begin; c < end; ++c)
        for (int64_t ph = 0; ph < j.pd.h; ++ph)
        {
            float* d = j.dst + (c * j.pd.h + ph) * j.pd.w;
            const int64_t ih = ph - g.padTop;
            if (ih < 0 || ih >= g.inH)
            {
                std::fill(d, d + j.pd.w, 0.f);
                continue;
            }
            const float* src = j.x + (c * g.inH + ih) * g.inW;
            const int64_t lo = std::min(j.pd.w, g.padLeft);
            const int64_t hi = std::min(j.pd.w, g.padLeft + g.inW);
            std::fill(d, d + lo, 0.f);
            if (hi > lo)
                std::memcpy(d + lo, src, static_cast<size_t>(hi - lo) * sizeof(float));
            std::fill(d + std::max(lo, hi), d + j.pd.w, 0.f);
        }
}

class ConvDirect final : public NamedTactic
{
public:
    ConvDirect()
        : NamedTactic(ir::LayerKind::kConvolution, "convolution.cpu.direct.avx2", "kiln",
            backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        KILN_RETURN_IF_ERROR(checkConvolution2d(params, inputs, outputs));
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        if (p.nbGroups != 1)
            return unsupported("grouped convolutions are left to im2col_gemm (direct needs groups == 1)");
        const Padded pd = paddedExtents(Conv2dGeometry::make(p, inputs[0].dims, outputs[0].dims));
        const int64_t channels = inputs[0].dims.d[inputs[0].dims.nbDims - 3];
        if (layers::saturatingProduct(layers::saturatingProduct(channels, pd.h), pd.w) > kMaxPaddedElements)
            return unsupported("the zero-padded image would be too large");
        return Status::ok();
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        const Conv2dGeometry g = Conv2dGeometry::make(p, inputs[0].dims, outputs[0].dims);
        const Padded pd = paddedExtents(g);
        if (!needsCopy(g, pd) || pd.h == 0)
            return 0;
        return static_cast<size_t>(g.channels * pd.h * pd.w) * sizeof(float) + kAlignment;
    }

    Expected<std::shared_ptr<const TacticState>> prepare(
        const ir::LayerParams& params, const backends::Allocator& allocator) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        const int64_t maps = p.nbOutputMaps;
        const int64_t depth = p.kernelWeights.count / maps; // C·kh·kw
        const int64_t blocks = (maps + kDirectMaps - 1) / kDirectMaps;
        auto packed = PackedWeights::allocate(allocator, blocks * depth * kDirectMaps);
        if (!packed)
            return packed.status();
        float* dst = packed.value()->data();
        const float* w = p.kernelWeights.floats();
        for (int64_t m = 0; m < maps; ++m)
            for (int64_t t = 0; t < depth; ++t)
                dst[((m / kDirectMaps) * depth + t) * kDirectMaps + m % kDirectMaps] = w[m * depth + t];
        return std::shared_ptr<const TacticState>(std::move(packed.value()));
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ConvolutionParams>();
        const Conv2dGeometry g = Conv2dGeometry::make(p, args.inputs[0].dims, args.outputs[0].dims);
        const Padded pd = paddedExtents(g);
        if (pd.h == 0 || g.batch == 0)
            return Status::ok();
        const bool copy = needsCopy(g, pd);
        float* padded = nullptr;
        if (copy)
        {
            const auto addr = reinterpret_cast<uintptr_t>(args.workspace);
            const size_t skip = (kAlignment - addr % kAlignment) % kAlignment;
            const size_t need = static_cast<size_t>(g.channels * pd.h * pd.w) * sizeof(float);
            if (!args.workspace || args.workspaceSize < skip + need)
                return internalError("convolution.cpu.direct: workspace too small");
            padded = reinterpret_cast<float*>(static_cast<uint8_t*>(args.workspace) + skip);
        }
        const float* x = args.inputs[0].as<const float>();
        float* y = args.outputs[0].as<float>();
        const float* residual = p.epilogue.hasResidual ? args.inputs[layers::kResidualInput].as<const float>() : nullptr;
        DirectConvRows r;
        r.paddedH = pd.h;
        r.paddedW = copy ? pd.w : g.inW;
        r.weights = args.preparedAs<PackedWeights>().data();
        r.channels = g.channels;
        r.kernelH = g.kernelH;
        r.kernelW = g.kernelW;
        r.strideH = g.strideH;
        r.strideW = g.strideW;
        r.dilationH = g.dilationH;
        r.dilationW = g.dilationW;
        r.maps = g.maps;
        r.outH = g.outH;
        r.outW = g.outW;
        r.bias = p.biasWeights.empty() ? nullptr : p.biasWeights.floats();
        r.epilogue = &p.epilogue;
        if (!copy)
            r.paddedH = g.inH;
        const int64_t blocks = (g.maps + kDirectMaps - 1) / kDirectMaps;
        for (int64_t n = 0; n < g.batch; ++n)
        {
            const float* xn = x + n * g.channels * g.inPlane();
            if (copy)
            {
                const PadJob job{&g, pd, xn, padded};
                args.pool->parallelFor(g.channels, 4, [&job](int64_t b, int64_t e) { padChannels(job, b, e); });
                r.padded = padded;
            }
            else
                r.padded = xn;
            r.y = y + n * g.maps * g.outPlane();
            r.residual = residual ? residual + n * g.maps * g.outPlane() : nullptr;
            args.pool->parallelFor(blocks * g.outH, 1, [&r](int64_t b, int64_t e) {
                for (int64_t item = b; item < e; ++item)
                    directConvRowAvx2(r, item / r.outH, item % r.outH);
            });
        }
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeConvDirectTactic()
{
    return std::make_unique<ConvDirect>();
}

} // namespace kiln::kernels::cpu
