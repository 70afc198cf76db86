#include "layers/select.h"
#include "kernels/kernel.h"
#include "kernels/reference/broadcast.h"

namespace kiln::kernels::reference
{

namespace
{

template <typename T>
void select(const KernelArgs& args)
{
    const TensorBuffer& cond = args.inputs[0];
    const TensorBuffer& a = args.inputs[1];
    const TensorBuffer& b = args.inputs[2];
    const uint8_t* c = cond.as<const uint8_t>();
    const T* xa = a.as<const T>();
    const T* xb = b.as<const T>();
    T* y = args.outputs[0].as<T>();
    const BroadcastMap map(args.outputs[0].dims, {cond.dims, a.dims, b.dims});
    const int64_t stepC = map.colStep(0);
    const int64_t stepA = map.colStep(1);
    const int64_t stepB = map.colStep(2);
    map.forEachRow(*args.pool, [&](int64_t, int64_t outStart, const int64_t* starts) {
        for (int64_t j = 0; j < map.cols(); ++j)
            y[outStart + j] = c[starts[0] + j * stepC] ? xa[starts[1] + j * stepA] : xb[starts[2] + j * stepB];
    });
}

} // namespace

Status runSelect(const KernelArgs& args)
{
    if (args.inputs[1].type == nvinfer1::DataType::kINT32)
        select<int32_t>(args);
    else
        select<float>(args);
    return Status::ok();
}

} // namespace kiln::kernels::reference
