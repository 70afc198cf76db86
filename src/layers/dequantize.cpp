#include "layers/dequantize.h"

#include "layers/checks.h"
#include "layers/quantization_utils.h"

namespace kiln::layers
{

using nvinfer1::DataType;

Status DequantizeParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kINT8, DataType::kINT32}));
    if (toType != DataType::kFLOAT)
        return ctx.error(std::string("cannot dequantize to ") + dataTypeName(toType) + " (FLOAT only)");
    KILN_RETURN_IF_ERROR(checkQuantizationOperands(ctx, axis));
    ir::TensorDesc& out = ctx.output(0);
    out.type = DataType::kFLOAT;
    out.dims = ctx.input(0)->dims;
    return Status::ok();
}

} // namespace kiln::layers
