#include "layers/identity.h"

#include "common/dtype.h"

namespace kiln::layers
{

bool isConvertibleType(nvinfer1::DataType type)
{
    using nvinfer1::DataType;
    return type == DataType::kFLOAT || type == DataType::kHALF || type == DataType::kINT32 || type == DataType::kBOOL;
}

Status IdentityParams::inferShapes(ir::ShapeContext& ctx) const
{
    const ir::TensorDesc* in = ctx.input(0);
    if (!in)
        return ctx.error("input 0 is missing");
    if (!isValidDataType(in->type))
        return ctx.error("input 0 has an invalid type");
    if (!isValidRank(in->dims))
        return ctx.error("input 0 has invalid rank " + std::to_string(in->dims.nbDims));
    nvinfer1::DataType type = in->type;
    if (outputType != kSameType)
    {
        type = static_cast<nvinfer1::DataType>(outputType);
        if (!isValidDataType(type))
            return ctx.error("invalid output type " + std::to_string(outputType));
        if (type != in->type && (!isConvertibleType(in->type) || !isConvertibleType(type)))
            return ctx.error(std::string("cannot convert ") + dataTypeName(in->type) + " to " + dataTypeName(type));
    }
    ir::TensorDesc& out = ctx.output(0);
    out.type = type;
    out.dims = in->dims;
    if (type == in->type && in->values && static_cast<int64_t>(in->values->size()) == volume(in->dims))
        out.values = in->values;
    return Status::ok();
}

} // namespace kiln::layers
