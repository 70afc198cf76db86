#include "kernels/cpu/depthwise_conv.h"

#include "layers/convolution.h"
#include "layers/spatial_utils.h"

#include <algorithm>
#include <string>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::DataType;

bool isFloatWeights(const ir::WeightsRef& w, int64_t count)
{
    return w.type == DataType::kFLOAT && w.count == count && (count == 0 || w.values != nullptr);
}

class DepthwiseConvolutionAvx2 final : public NamedTactic
{
public:
    DepthwiseConvolutionAvx2()
        : NamedTactic(ir::LayerKind::kConvolution, "convolution.cpu.depthwise.avx2", "kiln",
            backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kConvolution)
            return unsupported("not a convolution");
        const auto& p = static_cast<const layers::ConvolutionParams&>(params);
        if (p.kernelSize.nbDims != 2)
            return unsupported(
                "only 2-D convolutions (the kernel has " + std::to_string(p.kernelSize.nbDims) + " axes)");
        const nvinfer1::Dims* window[] = {&p.stride, &p.dilation, &p.prePadding, &p.postPadding};
        for (const nvinfer1::Dims* d : window)
            if (d->nbDims != 2)
                return unsupported("stride, dilation and padding must have 2 extents");
        for (int32_t i = 0; i < 2; ++i)
        {
            if (p.kernelSize.d[i] <= 0 || p.stride.d[i] <= 0 || p.dilation.d[i] <= 0 || p.prePadding.d[i] < 0
                || p.postPadding.d[i] < 0)
                return unsupported("invalid window parameters");
            if (p.kernelSize.d[i] > layers::kMaxWindowParam || p.stride.d[i] > layers::kMaxWindowParam
                || p.dilation.d[i] > layers::kMaxWindowParam || p.prePadding.d[i] > layers::kMaxWindowParam
                || p.postPadding.d[i] > layers::kMaxWindowParam)
                return unsupported("window parameters too large");
        }
        if (inputs.empty() || outputs.size() != 1)
            return unsupported("expects one data input and one output");
        const nvinfer1::Dims& in = inputs[0].dims;
        const nvinfer1::Dims& out = outputs[0].dims;
        if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
            return unsupported("only FLOAT tensors");
        if (in.nbDims < 3 || in.nbDims > nvinfer1::Dims::MAX_DIMS || out.nbDims != in.nbDims)
            return unsupported("expects {..., C, H, W} input and output of the same rank");
        for (int32_t i = 0; i < in.nbDims; ++i)
            if (in.d[i] < 0 || out.d[i] < 0)
                return unsupported("dims must be concrete");
        for (int32_t i = 0; i < in.nbDims - 3; ++i)
            if (in.d[i] != out.d[i])
                return unsupported("leading dims of input and output differ");
        const int64_t channels = in.d[in.nbDims - 3];
        const int64_t maps = p.nbOutputMaps;
        if (channels <= 0 || p.nbGroups != channels)
            return unsupported("not a depthwise convolution: " + std::to_string(p.nbGroups) + " groups over "
                + std::to_string(channels) + " channels (needs one group per input channel)");
        if (maps <= 0 || maps % channels != 0 || out.d[out.nbDims - 3] != maps)
            return unsupported("the output maps must be a multiple of the channels");
        if (inputs.size() > 1 && inputs[1].dims.nbDims >= 0)
            return unsupported("kernel weights given as a tensor");
        if (inputs.size() > 2 && inputs[2].dims.nbDims >= 0)
            return unsupported("bias given as a tensor");
        const int64_t taps = layers::saturatingProduct(maps, int64_t{p.kernelSize.d[0]} * p.kernelSize.d[1]);
        if (!isFloatWeights(p.kernelWeights, taps) || p.kernelWeights.count == 0)
            return unsupported("kernel weights must be " + std::to_string(maps) + "·KH·KW FLOAT values");
        if (!p.biasWeights.empty() && !isFloatWeights(p.biasWeights, maps))
            return unsupported("bias weights must be " + std::to_string(maps) + " FLOAT values or none");
        if (p.epilogue.hasResidual)
        {
            if (inputs.size() <= static_cast<size_t>(layers::kResidualInput))
                return unsupported("the fused residual input is missing");
            const ir::TensorDesc& r = inputs[layers::kResidualInput];
            if (r.type != DataType::kFLOAT || !sameDims(r.dims, out))
                return unsupported("the fused residual must be FLOAT with the output's dims");
        }
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ConvolutionParams>();
        const TensorBuffer& input = args.inputs[0];
        const TensorBuffer& output = args.outputs[0];
        DepthwiseJob job;
        job.g = reference::makeWindow3(input.dims, output.dims, p.kernelSize, p.stride, &p.dilation, p.prePadding,
            p.postPadding, p.paddingMode, false);
        job.x = input.as<const float>();
        job.w = p.kernelWeights.floats();
        job.bias = p.biasWeights.empty() ? nullptr : p.biasWeights.floats();
        job.residual = p.epilogue.hasResidual ? args.inputs[layers::kResidualInput].as<const float>() : nullptr;
        job.y = output.as<float>();
        job.channels = input.dims.d[input.dims.nbDims - 3];
        job.maps = p.nbOutputMaps;
        job.multiplier = job.maps / job.channels;
        job.epilogue = &p.epilogue;
        const int64_t planes = job.g.lead / job.channels * job.maps;
        const int64_t rows = job.g.out[1];
        if (planes == 0 || rows == 0 || job.g.out[2] == 0)
            return Status::ok();
        // Enough items for every thread when there are few planes: split the planes into row blocks.
        const int64_t wanted = 4 * static_cast<int64_t>(std::max(args.pool->size(), 1));
        const int64_t blocks = std::clamp<int64_t>((wanted + planes - 1) / planes, 1, rows);
        job.rowsPerItem = (rows + blocks - 1) / blocks;
        job.itemsPerPlane = (rows + job.rowsPerItem - 1) / job.rowsPerItem;
        // The lambda captures one reference, so std::function keeps it inline (no allocation).
        args.pool->parallelFor(
            planes * job.itemsPerPlane, 1, [&job](int64_t begin, int64_t end) { avx2::runDepthwise(job, begin, end); });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeDepthwiseConvolutionAvx2()
{
    return std::make_unique<DepthwiseConvolutionAvx2>();
}

} // namespace kiln::kernels::cpu
