#include "layers/cumulative.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

namespace kiln::layers
{

using nvinfer1::DataType;

int32_t CumulativeParams::resolveAxis(int32_t value, int32_t rank) const
{
    int64_t axis = value;
    if (axis < 0)
        axis += rank;
    else if (implicitBatch)
        axis += 1;
    return axis >= 0 && axis < rank ? static_cast<int32_t>(axis) : -1;
}

Status CumulativeParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "cumulative operation", operation));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT, DataType::kINT32}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 1));
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 1, {DataType::kINT32}));
    const ir::TensorDesc& in = *ctx.input(0);
    const ir::TensorDesc& axisDesc = *ctx.input(1);
    const std::vector<int32_t>* axisValues = knownInts(&axisDesc);
    if (volume(axisDesc.dims) != 1)
        return ctx.error("the axis (input 1) must hold one value, not dimensions " + toString(axisDesc.dims));
    if (!axisValues)
        return ctx.error("the value of the axis (input 1) must be known at build time (a constant)");
    const int32_t rank = in.dims.nbDims;
    const int32_t axis = resolveAxis((*axisValues)[0], rank);
    if (axis < 0)
        return ctx.error("axis " + std::to_string((*axisValues)[0]) + " is out of range for rank " + std::to_string(rank));

    ir::TensorDesc& out = ctx.output(0);
    out.type = in.type;
    out.dims = in.dims;
    out.values.reset();
    if (const std::vector<int32_t>* values = knownInts(&in))
    {
        std::vector<int32_t> result(values->size());
        const int64_t n = in.dims.d[axis];
        const int64_t inner = volume(in.dims, axis + 1, rank);
        const int64_t lines = n == 0 ? 0 : volume(in.dims) / n;
        for (int64_t l = 0; l < lines; ++l)
        {
            const int64_t base = (l / inner) * n * inner + l % inner;
            scanLine<int32_t, uint32_t>(values->data() + base, result.data() + base, n, inner);
        }
        out.values = std::move(result);
    }
    return Status::ok();
}

} // namespace kiln::layers
