#include "layers/unary.h"
#include "kernels/kernel.h"

#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::UnaryOperation;

template <typename T, typename U = T, typename Fn>
void unary(const KernelArgs& args, Fn f)
{
    const T* x = args.inputs[0].as<const T>();
    U* y = args.outputs[0].as<U>();
    args.pool->parallelFor(args.outputs[0].elementCount(), 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            y[i] = f(x[i]);
    });
}

} // namespace

Status runUnary(const KernelArgs& args)
{
    const UnaryOperation op = args.paramsAs<layers::UnaryParams>().operation;
    if (op == UnaryOperation::kISINF)
    {
        unary<float, uint8_t>(args, [](float x) { return static_cast<uint8_t>(std::isinf(x)); });
        return Status::ok();
    }
    if (op == UnaryOperation::kISNAN)
    {
        unary<float, uint8_t>(args, [](float x) { return static_cast<uint8_t>(std::isnan(x)); });
        return Status::ok();
    }
    switch (args.inputs[0].type)
    {
    case DataType::kBOOL: unary<uint8_t>(args, [](uint8_t x) { return static_cast<uint8_t>(x == 0); }); break;
    case DataType::kINT32: unary<int32_t>(args, [op](int32_t x) { return layers::applyIntUnary(op, x); }); break;
    default: unary<float>(args, [op](float x) { return layers::applyUnaryFloat(op, x); }); break;
    }
    return Status::ok();
}

} // namespace kiln::kernels::reference
