// convolution.cpu.im2col_gemm.avx2: a 2-D convolution as one GEMM per image and group,
//   Y_g[K/G × OH·OW] = W_g[K/G × (C/G)·kh·kw] · im2col(X_g)[(C/G)·kh·kw × OH·OW],
// with the weights packed at prepare and the im2col matrix never built: its packed panels are
// written straight from the image by the GEMM's B packer (a 1×1/stride-1/unpadded convolution reads
// the image as B as it is). Bias per row, residual and activation are fused into the GEMM's output.
#include "kernels/cpu/conv_common.h"
#include "kernels/cpu/gemm_tactics.h"
#include "kernels/cpu/gemm.h"
#include "kernels/cpu/gemm_packed.h"
#include "kernels/tactic.h"

#include <algorithm>

namespace kiln::kernels::cpu
{

namespace
{

//! Packs im2col rows [k0, k0 + kc) × output positions [j0, j0 + nc) of one image and group
//! (\p data: its first channel) as GEMM B panels.
void packIm2col(const void* context, const float* data, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst)
{
    const auto& g = *static_cast<const Conv2dGeometry*>(context);
    const int64_t taps = g.taps();
    const int64_t columns = g.outPlane();
    for (int64_t p = 0; p < nc; p += kGemmNR)
    {
        float* panel = dst + p * kc;
        const int64_t width = std::min<int64_t>(kGemmNR, nc - p);
        const int64_t jStart = j0 + p;
        const int64_t ohStart = jStart / g.outW;
        const int64_t owStart = jStart % g.outW;
        int64_t c = k0 / taps;
        int64_t fh = (k0 % taps) / g.kernelW;
        int64_t fw = k0 % g.kernelW;
        for (int64_t k = 0; k < kc; ++k)
        {
            float* row = panel + k * kGemmNR;
            const float* plane = data + c * g.inPlane();
            int64_t filled = 0;
            int64_t oh = ohStart;
            int64_t ow = owStart;
            while (filled < width && jStart + filled < columns)
            {
                const int64_t seg = std::min(width - filled, g.outW - ow);
                float* d = row + filled;
                const int64_t ih = oh * g.strideH - g.padTop + fh * g.dilationH;
                if (ih < 0 || ih >= g.inH)
                    std::fill(d, d + seg, 0.f);
                else
                {
                    const float* src = plane + ih * g.inW;
                    const int64_t iw0 = ow * g.strideW - g.padLeft + fw * g.dilationW;
                    const int64_t sw = g.strideW;
                    // Columns [lo, hi) of the segment read inside the row; the rest is padding.
                    const int64_t lo = std::min(seg, iw0 >= 0 ? 0 : (-iw0 + sw - 1) / sw);
                    const int64_t hi = std::max(lo, std::min(seg, iw0 >= g.inW ? 0 : (g.inW - iw0 + sw - 1) / sw));
                    // Segments are at most NR long: plain loops beat memcpy/fill calls here.
                    for (int64_t t = 0; t < lo; ++t)
                        d[t] = 0.f;
                    if (sw == 1)
                        for (int64_t t = lo; t < hi; ++t)
                            d[t] = src[iw0 + t];
                    else
                        for (int64_t t = lo; t < hi; ++t)
                            d[t] = src[iw0 + t * sw];
                    for (int64_t t = hi; t < seg; ++t)
                        d[t] = 0.f;
                }
                filled += seg;
                ow = 0;
                ++oh;
            }
            std::fill(row + filled, row + kGemmNR, 0.f);
            if (++fw == g.kernelW)
            {
                fw = 0;
                if (++fh == g.kernelH)
                {
                    fh = 0;
                    ++c;
                }
            }
        }
    }
}

//! What one run's GEMM batch entries are computed from.
struct RunContext
{
    Conv2dGeometry g;
    const float* x{nullptr};
    float* y{nullptr};
    const float* residual{nullptr};
    const float* bias{nullptr};
    const float* packed{nullptr};
    int64_t groupPacked{0};
    bool pointwise{false};
};

GemmMatrices entryAt(const void* context, int64_t b)
{
    const auto& r = *static_cast<const RunContext*>(context);
    const Conv2dGeometry& g = r.g;
    const int64_t n = b / g.groups;
    const int64_t group = b % g.groups;
    GemmMatrices m;
    m.a.packed = r.packed + group * r.groupPacked;
    m.b.data = r.x + (n * g.channels + group * g.groupChannels) * g.inPlane();
    if (r.pointwise)
        m.b.ld = g.inPlane();
    else
    {
        m.b.pack = &packIm2col;
        m.b.packContext = &r.g;
    }
    const int64_t outOffset = (n * g.maps + group * g.groupMaps) * g.outPlane();
    m.c = r.y + outOffset;
    m.ldc = g.outPlane();
    m.bias = r.bias ? r.bias + group * g.groupMaps : nullptr;
    m.residual = r.residual ? r.residual + outOffset : nullptr;
    m.ldr = g.outPlane();
    return m;
}

class ConvIm2colGemm final : public NamedTactic
{
public:
    ConvIm2colGemm()
        : NamedTactic(ir::LayerKind::kConvolution, "convolution.cpu.im2col_gemm.avx2", "kiln",
            backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        return checkConvolution2d(params, inputs, outputs);
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        const Conv2dGeometry g = Conv2dGeometry::make(p, inputs[0].dims, outputs[0].dims);
        return gemmWorkspaceSize(g.groupMaps, g.outPlane(), g.groupChannels * g.taps(), false, true,
            backends::cpu::ThreadPool::global().size());
    }

    Expected<std::shared_ptr<const TacticState>> prepare(
        const ir::LayerParams& params, const backends::Allocator& allocator) const override
    {
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        const int64_t groupMaps = p.nbOutputMaps / p.nbGroups;
        const int64_t depth = p.kernelWeights.count / p.nbOutputMaps; // (C/G)·kh·kw
        const int64_t groupPacked = gemmPackedASize(groupMaps, depth);
        auto packed = PackedWeights::allocate(allocator, groupPacked * p.nbGroups);
        if (!packed)
            return packed.status();
        for (int64_t group = 0; group < p.nbGroups; ++group)
            gemmPackA(p.kernelWeights.floats() + group * groupMaps * depth, depth, false, groupMaps, depth,
                packed.value()->data() + group * groupPacked);
        return std::shared_ptr<const TacticState>(std::move(packed.value()));
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ConvolutionParams>();
        RunContext r;
        r.g = Conv2dGeometry::make(p, args.inputs[0].dims, args.outputs[0].dims);
        r.x = args.inputs[0].as<const float>();
        r.y = args.outputs[0].as<float>();
        r.residual = p.epilogue.hasResidual ? args.inputs[layers::kResidualInput].as<const float>() : nullptr;
        r.bias = p.biasWeights.empty() ? nullptr : p.biasWeights.floats();
        r.packed = args.preparedAs<PackedWeights>().data();
        r.groupPacked = gemmPackedASize(r.g.groupMaps, r.g.groupChannels * r.g.taps());
        r.pointwise = r.g.isPointwise();
        GemmDesc d;
        d.m = r.g.groupMaps;
        d.n = r.g.outPlane();
        d.k = r.g.groupChannels * r.g.taps();
        d.batch = r.g.batch * r.g.groups;
        d.biasKind = GemmBias::kPerRow;
        d.epilogue = p.epilogue;
        d.at = &entryAt;
        d.atContext = &r;
        return gemm(d, *args.pool, args.workspace, args.workspaceSize);
    }
};

} // namespace

std::unique_ptr<Tactic> makeConvIm2colGemmTactic()
{
    return std::make_unique<ConvIm2colGemm>();
}

} // namespace kiln::kernels::cpu
