#include "kernels/cpu/softmax_vector.h"

#include "layers/pointwise_utils.h"
#include "layers/softmax.h"

#include <algorithm>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::DataType;

class SoftMaxVectorAvx2 final : public NamedTactic
{
public:
    SoftMaxVectorAvx2()
        : NamedTactic(
            ir::LayerKind::kSoftMax, "softmax.cpu.vector.avx2", "kiln", backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kSoftMax)
            return unsupported("not a softmax layer");
        const uint32_t axes = static_cast<const layers::SoftMaxParams&>(params).axes;
        if (inputs.size() != 1 || outputs.size() != 1)
            return unsupported("expects one input and one output");
        if (inputs[0].type != DataType::kFLOAT || outputs[0].type != DataType::kFLOAT)
            return unsupported("only FLOAT tensors");
        const nvinfer1::Dims& dims = inputs[0].dims;
        if (dims.nbDims < 1 || dims.nbDims > nvinfer1::Dims::MAX_DIMS || !sameDims(dims, outputs[0].dims))
            return unsupported("the output must have the input's dims");
        for (int32_t i = 0; i < dims.nbDims; ++i)
            if (dims.d[i] < 0)
                return unsupported("dims must be concrete");
        int32_t axis = 0;
        while (axis < dims.nbDims && axes != 1u << axis)
            ++axis;
        if (axis == dims.nbDims)
            return unsupported("the axes must name exactly one axis of the input");
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const nvinfer1::Dims& dims = args.inputs[0].dims;
        SoftMaxJob job;
        job.x = args.inputs[0].as<const float>();
        job.y = args.outputs[0].as<float>();
        const int32_t axis = layers::lowestAxis(args.paramsAs<layers::SoftMaxParams>().axes);
        job.length = dims.d[axis];
        job.inner = volume(dims, axis + 1, dims.nbDims);
        const int64_t outer = volume(dims, 0, axis);
        if (job.length == 0 || job.inner == 0 || outer == 0)
            return Status::ok();
        const int64_t lines = job.inner == 1 ? outer : outer * ((job.inner + 7) / 8);
        const int64_t grain = std::max<int64_t>(1, 4096 / (job.length * std::min<int64_t>(job.inner, 8)));
        // One reference capture: std::function keeps the lambda inline (no allocation).
        args.pool->parallelFor(lines, grain, [&job](int64_t begin, int64_t end) { avx2::runSoftMax(job, begin, end); });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeSoftMaxVectorAvx2()
{
    return std::make_unique<SoftMaxVectorAvx2>();
}

} // namespace kiln::kernels::cpu
