#include "layers/padding.h"

#include "common/dims.h"
#include "layers/checks.h"

#include <limits>

namespace kiln::layers
{

Status PaddingParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT, nvinfer1::DataType::kINT32}));
    const int32_t n = prePadding.nbDims;
    if (n < 1 || n > nvinfer1::Dims::MAX_DIMS || postPadding.nbDims != n)
        return ctx.error("pre-padding " + toString(prePadding) + " and post-padding " + toString(postPadding)
            + " must have the same number (1 to 8) of dimensions");
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, n));
    const nvinfer1::Dims& in = ctx.input(0)->dims;
    nvinfer1::Dims out = in;
    const int32_t offset = in.nbDims - n;
    for (int32_t i = 0; i < n; ++i)
    {
        const int32_t extent = in.d[offset + i];
        if (extent < 0)
        {
            out.d[offset + i] = -1;
            continue;
        }
        const int64_t o = static_cast<int64_t>(extent) + prePadding.d[i] + postPadding.d[i];
        if (o <= 0 || o > std::numeric_limits<int32_t>::max())
            return ctx.error("padding " + toString(prePadding) + " / " + toString(postPadding) + " of input "
                + toString(in) + " gives output extent " + std::to_string(o) + " on axis "
                + std::to_string(offset + i));
        out.d[offset + i] = static_cast<int32_t>(o);
    }
    ctx.output(0).type = ctx.input(0)->type;
    ctx.output(0).dims = out;
    return Status::ok();
}

} // namespace kiln::layers
