#include "kernels/cpu/pooling_direct.h"

#include "layers/pooling.h"
#include "layers/spatial_utils.h"

#include <algorithm>
#include <string>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::PoolingType;

class PoolingDirectAvx2 final : public NamedTactic
{
public:
    PoolingDirectAvx2()
        : NamedTactic(
            ir::LayerKind::kPooling, "pooling.cpu.direct.avx2", "kiln", backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kPooling)
            return unsupported("not a pooling layer");
        const auto& p = static_cast<const layers::PoolingParams&>(params);
        if (p.type != PoolingType::kMAX && p.type != PoolingType::kAVERAGE && p.type != PoolingType::kMAX_AVERAGE_BLEND)
            return unsupported("unknown pooling type");
        if (p.windowSize.nbDims != 2)
            return unsupported("only 2-D pooling (the window has " + std::to_string(p.windowSize.nbDims) + " axes)");
        if (p.stride.nbDims != 2 || p.prePadding.nbDims != 2 || p.postPadding.nbDims != 2)
            return unsupported("stride and padding must have 2 extents");
        for (int32_t i = 0; i < 2; ++i)
            if (p.windowSize.d[i] <= 0 || p.stride.d[i] <= 0 || p.prePadding.d[i] < 0 || p.postPadding.d[i] < 0
                || p.windowSize.d[i] > layers::kMaxWindowParam || p.stride.d[i] > layers::kMaxWindowParam
                || p.prePadding.d[i] > layers::kMaxWindowParam || p.postPadding.d[i] > layers::kMaxWindowParam)
                return unsupported("invalid window parameters");
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("expects one input and one output");
        if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
            return unsupported("only FLOAT tensors");
        const nvinfer1::Dims& in = inputs[0].dims;
        const nvinfer1::Dims& out = outputs[0].dims;
        if (in.nbDims < 2 || in.nbDims > nvinfer1::Dims::MAX_DIMS || out.nbDims != in.nbDims)
            return unsupported("expects {..., H, W} input and output of the same rank");
        for (int32_t i = 0; i < in.nbDims; ++i)
            if (in.d[i] < 0 || out.d[i] < 0 || (i < in.nbDims - 2 && in.d[i] != out.d[i]))
                return unsupported("dims must be concrete and agree before the spatial axes");
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::PoolingParams>();
        const TensorBuffer& input = args.inputs[0];
        const TensorBuffer& output = args.outputs[0];
        PoolingJob job;
        job.g = reference::makeWindow3(input.dims, output.dims, p.windowSize, p.stride, nullptr, p.prePadding,
            p.postPadding, p.paddingMode, false);
        job.x = input.as<const float>();
        job.y = output.as<float>();
        job.needMax = p.type != PoolingType::kAVERAGE;
        job.needAverage = p.type != PoolingType::kMAX;
        job.blend = p.type == PoolingType::kMAX_AVERAGE_BLEND ? p.blendFactor : 1.f;
        job.excludePadding = p.averageCountExcludesPadding;
        const reference::Window3& g = job.g;
        const int64_t planes = g.lead;
        const int64_t rows = g.out[1];
        if (planes == 0 || g.outPlane() == 0)
            return Status::ok();
        // One output per plane whose window (from -pre) reaches past the plane's end on both axes.
        job.global = g.out[1] == 1 && g.out[2] == 1 && int64_t{g.window[1]} - g.pre[1] >= g.in[1]
            && int64_t{g.window[2]} - g.pre[2] >= g.in[2];
        const int64_t threads = std::max(args.pool->size(), 1);
        if (job.global)
        {
            const int64_t grain = std::max<int64_t>(
                1, std::min<int64_t>(4096 / std::max<int64_t>(g.inPlane(), 1), (planes + threads - 1) / threads));
            args.pool->parallelFor(
                planes, grain, [&job](int64_t begin, int64_t end) { avx2::runPooling(job, begin, end); });
            return Status::ok();
        }
        const int64_t blocks = std::clamp<int64_t>((4 * threads + planes - 1) / planes, 1, rows);
        job.rowsPerItem = (rows + blocks - 1) / blocks;
        job.itemsPerPlane = (rows + job.rowsPerItem - 1) / job.rowsPerItem;
        // One reference capture: std::function keeps the lambda inline (no allocation).
        args.pool->parallelFor(
            planes * job.itemsPerPlane, 1, [&job](int64_t begin, int64_t end) { avx2::runPooling(job, begin, end); });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makePoolingDirectAvx2()
{
    return std::make_unique<PoolingDirectAvx2>();
}

} // namespace kiln::kernels::cpu
