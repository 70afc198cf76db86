#include "layers/quantize.h"

#include "layers/checks.h"
#include "layers/quantization_utils.h"

namespace kiln::layers
{

using nvinfer1::DataType;

Status QuantizeParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT}));
    if (toType != DataType::kINT8 && toType != DataType::kINT32)
        return ctx.error(std::string("cannot quantize to ") + dataTypeName(toType) + " (INT8 or INT32)");
    KILN_RETURN_IF_ERROR(checkQuantizationOperands(ctx, axis));
    ir::TensorDesc& out = ctx.output(0);
    out.type = toType;
    out.dims = ctx.input(0)->dims;
    return Status::ok();
}

} // namespace kiln::layers
