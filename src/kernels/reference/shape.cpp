#include "kernels/kernel.h"
#include "layers/shape.h"

namespace kiln::kernels::reference
{

Status runShape(const KernelArgs& args)
{
    const nvinfer1::Dims& dims = args.inputs[0].dims;
    int32_t* y = args.outputs[0].as<int32_t>();
    for (int32_t i = 0; i < dims.nbDims; ++i)
        y[i] = dims.d[i];
    return Status::ok();
}

} // namespace kiln::kernels::reference
