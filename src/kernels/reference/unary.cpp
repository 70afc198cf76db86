#include "layers/unary.h"
#include "kernels/kernel.h"

#include <cmath>

namespace kiln::kernels::reference
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::UnaryOperation;

float roundHalfToEven(float x)
{
    if (!std::isfinite(x))
        return x;
    const float lower = std::floor(x);
    const float diff = x - lower; // exact for floats
    if (diff < 0.5f)
        return lower;
    if (diff > 0.5f)
        return lower + 1.f;
    return std::fmod(lower, 2.f) == 0.f ? lower : lower + 1.f;
}

float applyFloatUnary(UnaryOperation op, float x)
{
    switch (op)
    {
    case UnaryOperation::kEXP: return std::exp(x);
    case UnaryOperation::kLOG: return std::log(x);
    case UnaryOperation::kSQRT: return std::sqrt(x);
    case UnaryOperation::kRECIP: return 1.f / x;
    case UnaryOperation::kABS: return std::fabs(x);
    case UnaryOperation::kNEG: return -x;
    case UnaryOperation::kSIN: return std::sin(x);
    case UnaryOperation::kCOS: return std::cos(x);
    case UnaryOperation::kTAN: return std::tan(x);
    case UnaryOperation::kSINH: return std::sinh(x);
    case UnaryOperation::kCOSH: return std::cosh(x);
    case UnaryOperation::kASIN: return std::asin(x);
    case UnaryOperation::kACOS: return std::acos(x);
    case UnaryOperation::kATAN: return std::atan(x);
    case UnaryOperation::kASINH: return std::asinh(x);
    case UnaryOperation::kACOSH: return std::acosh(x);
    case UnaryOperation::kATANH: return std::atanh(x);
    case UnaryOperation::kCEIL: return std::ceil(x);
    case UnaryOperation::kFLOOR: return std::floor(x);
    case UnaryOperation::kERF: return std::erf(x);
    case UnaryOperation::kSIGN: return x > 0.f ? 1.f : x < 0.f ? -1.f : x;
    case UnaryOperation::kROUND: return roundHalfToEven(x);
    case UnaryOperation::kNOT:
    case UnaryOperation::kISINF:
    case UnaryOperation::kISNAN: break;
    }
    return x;
}

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
    default: unary<float>(args, [op](float x) { return applyFloatUnary(op, x); }); break;
    }
    return Status::ok();
}

} // namespace kiln::kernels::reference
