#include "layers/fully_connected.h"

#include "layers/checks.h"
#include "layers/movement_utils.h"

namespace kiln::layers
{

Status FullyConnectedParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 3));
    const nvinfer1::Dims& in = ctx.input(0)->dims;
    int64_t unused = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "input 0", in, unused));
    if (nbOutputs <= 0)
        return ctx.error("the number of outputs is " + std::to_string(nbOutputs) + "; it must be positive");
    const int32_t r = in.nbDims;
    if (in.d[r - 3] < 0)
        return ctx.error(
            "input " + toString(in) + " has an unknown channel extent (dimension " + std::to_string(r - 3) + ")");
    const int64_t v = volume(in, r - 3, r); // -1 while H or W is unknown
    int64_t expected = -1;
    if (v >= 0)
    {
        if (v > 0 && nbOutputs > kMaxTensorElements / v)
            return ctx.error("the kernel would need too many weights");
        expected = v * nbOutputs;
    }
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "kernel", kernel, expected, false));
    KILN_RETURN_IF_ERROR(checkWeights(ctx, "bias", bias, nbOutputs, true));
    if (epilogue.hasResidual)
        return ctx.error("a fused residual is not supported on fully connected layers");
    nvinfer1::Dims out = in;
    out.d[r - 3] = nbOutputs;
    out.d[r - 2] = 1;
    out.d[r - 1] = 1;
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = out;
    return Status::ok();
}

} // namespace kiln::layers
