#include "layers/reformat.h"

namespace kiln::layers
{

Status ReformatParams::inferShapes(ir::ShapeContext& ctx) const
{
    const ir::TensorDesc* in = ctx.input(0);
    if (!in)
        return ctx.error("input 0 is missing");
    if (in->type != nvinfer1::DataType::kFLOAT)
        return ctx.error("only FLOAT tensors are reformatted");
    for (ir::Layout layout : {from, to})
    {
        if (!ir::isLayout(static_cast<int32_t>(layout)))
            return ctx.error("unknown layout " + std::to_string(static_cast<int32_t>(layout)));
        // Dims may still be unknown at build time; the runtime checks concrete ones.
        if (!hasDynamicExtent(in->dims))
        {
            Status s = ir::checkLayout(layout, in->dims);
            if (!s)
                return ctx.error(s.message());
        }
    }
    ir::TensorDesc& out = ctx.output(0);
    out.type = in->type;
    out.dims = in->dims;
    return Status::ok();
}

} // namespace kiln::layers
