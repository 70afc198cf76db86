#include "layers/element_wise.h"
#include "kernels/kernel.h"
#include "kernels/reference/broadcast.h"

#include <algorithm>
#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;

template <typename T>
uint8_t compare(ElementWiseOperation op, T a, T b)
{
    switch (op)
    {
    case ElementWiseOperation::kEQUAL: return a == b;
    case ElementWiseOperation::kGREATER: return a > b;
    case ElementWiseOperation::kLESS: return a < b;
    default: return 0;
    }
}

uint8_t applyLogicalOp(ElementWiseOperation op, bool a, bool b)
{
    switch (op)
    {
    case ElementWiseOperation::kAND: return a && b;
    case ElementWiseOperation::kOR: return a || b;
    case ElementWiseOperation::kXOR: return a != b;
    default: return 0;
    }
}

//! y = f(a, b) over the broadcast of a and b.
template <typename In, typename Out, typename Fn>
void binary(const KernelArgs& args, Fn f)
{
    const TensorBuffer& a = args.inputs[0];
    const TensorBuffer& b = args.inputs[1];
    const In* x0 = a.as<const In>();
    const In* x1 = b.as<const In>();
    Out* y = args.outputs[0].as<Out>();
    const BroadcastMap map(args.outputs[0].dims, {a.dims, b.dims});
    const int64_t step0 = map.colStep(0);
    const int64_t step1 = map.colStep(1);
    map.forEachRow(*args.pool, [&](int64_t, int64_t outStart, const int64_t* starts) {
        for (int64_t j = 0; j < map.cols(); ++j)
            y[outStart + j] = f(x0[starts[0] + j * step0], x1[starts[1] + j * step1]);
    });
}

} // namespace

Status runElementWise(const KernelArgs& args)
{
    const ElementWiseOperation op = args.paramsAs<layers::ElementWiseParams>().operation;
    const DataType type = args.inputs[0].type;
    if (layers::isLogicalOp(op))
        binary<uint8_t, uint8_t>(args, [op](uint8_t a, uint8_t b) { return applyLogicalOp(op, a != 0, b != 0); });
    else if (layers::isComparisonOp(op) && type == DataType::kINT32)
        binary<int32_t, uint8_t>(args, [op](int32_t a, int32_t b) { return compare(op, a, b); });
    else if (layers::isComparisonOp(op))
        binary<float, uint8_t>(args, [op](float a, float b) { return compare(op, a, b); });
    else if (type == DataType::kINT32)
        binary<int32_t, int32_t>(args, [op](int32_t a, int32_t b) { return layers::applyIntOp(op, a, b); });
    else
        binary<float, float>(args, [op](float a, float b) { return layers::applyBinaryFloat(op, a, b); });
    return Status::ok();
}

} // namespace kiln::kernels::reference
