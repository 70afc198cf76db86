#include "layers/shape.h"

#include "common/dtype.h"

namespace kiln::layers
{

Status ShapeParams::inferShapes(ir::ShapeContext& ctx) const
{
    const ir::TensorDesc* in = ctx.input(0);
    if (!in)
        return ctx.error("input 0 is missing");
    if (!isValidRank(in->dims))
        return ctx.error("input 0 has invalid rank " + std::to_string(in->dims.nbDims));
    ir::TensorDesc& out = ctx.output(0);
    out.type = nvinfer1::DataType::kINT32;
    out.dims = makeDims({in->dims.nbDims});
    if (!hasDynamicExtent(in->dims))
        out.values = toVector(in->dims);
    return Status::ok();
}

Status ShapeParams::addBatchAxis()
{
    return invalidArgument("Shape layers need an explicit-batch network");
}

} // namespace kiln::layers
