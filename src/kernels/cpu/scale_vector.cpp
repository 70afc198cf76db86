#include "kernels/cpu/scale_vector.h"

#include "layers/scale.h"

#include <string>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::ScaleMode;

class ScaleVectorAvx2 final : public NamedTactic
{
public:
    ScaleVectorAvx2()
        : NamedTactic(ir::LayerKind::kScale, "scale.cpu.vector.avx2", "kiln", backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kScale)
            return unsupported("not a scale layer");
        const auto& p = static_cast<const layers::ScaleParams&>(params);
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("expects one input and one output");
        if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
            return unsupported("only FLOAT tensors");
        const nvinfer1::Dims& dims = inputs[0].dims;
        if (dims.nbDims < 0 || dims.nbDims > nvinfer1::Dims::MAX_DIMS || !sameDims(dims, outputs[0].dims))
            return unsupported("the output must have the input's dims");
        for (int32_t i = 0; i < dims.nbDims; ++i)
            if (dims.d[i] < 0)
                return unsupported("dims must be concrete");
        int64_t count = 1;
        if (p.mode == ScaleMode::kCHANNEL || p.mode == ScaleMode::kELEMENTWISE)
        {
            if (p.channelAxis < 0 || p.channelAxis >= dims.nbDims)
                return unsupported("channel axis " + std::to_string(p.channelAxis) + " is outside the input");
            count = p.mode == ScaleMode::kCHANNEL ? dims.d[p.channelAxis] : volume(dims, p.channelAxis, dims.nbDims);
        }
        else if (p.mode != ScaleMode::kUNIFORM)
            return unsupported("unknown scale mode");
        for (const ir::WeightsRef* w : {&p.scale, &p.shift, &p.power})
            if (!w->empty() && (w->type != DataType::kFLOAT || w->count != count || w->values == nullptr))
                return unsupported("weights must be " + std::to_string(count) + " FLOAT values or none");
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::ScaleParams>();
        const nvinfer1::Dims& dims = args.inputs[0].dims;
        const int64_t total = args.outputs[0].elementCount();
        if (total == 0)
            return Status::ok();
        ScaleJob job;
        job.x = args.inputs[0].as<const float>();
        job.y = args.outputs[0].as<float>();
        job.scale = p.scale.empty() ? nullptr : p.scale.floats();
        job.shift = p.shift.empty() ? nullptr : p.shift.floats();
        job.power = p.power.empty() ? nullptr : p.power.floats();
        if (p.mode == ScaleMode::kCHANNEL)
        {
            job.inner = volume(dims, p.channelAxis + 1, dims.nbDims);
            job.channels = dims.d[p.channelAxis];
        }
        else if (p.mode == ScaleMode::kELEMENTWISE)
        {
            job.perElement = true;
            job.channels = volume(dims, p.channelAxis, dims.nbDims);
        }
        else
            job.inner = total;
        // One reference capture: std::function keeps the lambda inline (no allocation).
        args.pool->parallelFor(total, 16384, [&job](int64_t begin, int64_t end) { avx2::runScale(job, begin, end); });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeScaleVectorAvx2()
{
    return std::make_unique<ScaleVectorAvx2>();
}

} // namespace kiln::kernels::cpu
