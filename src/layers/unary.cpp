#include "layers/unary.h"

#include "layers/checks.h"
#include "layers/pointwise_utils.h"

#include <cmath>

namespace kiln::layers
{

using nvinfer1::DataType;
using nvinfer1::UnaryOperation;

int32_t applyIntUnary(UnaryOperation op, int32_t x)
{
    if (op == UnaryOperation::kSIGN)
        return x > 0 ? 1 : x < 0 ? -1 : 0;
    if (op == UnaryOperation::kNEG || (op == UnaryOperation::kABS && x < 0))
        return wrapSub(0, x);
    return x;
}

Status UnaryParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "unary operation", operation));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 0));
    const bool boolOutput = operation == UnaryOperation::kISINF || operation == UnaryOperation::kISNAN;
    if (operation == UnaryOperation::kNOT)
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kBOOL}));
    else if (operation == UnaryOperation::kABS || operation == UnaryOperation::kNEG || operation == UnaryOperation::kSIGN)
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT, DataType::kINT32}));
    else
        KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {DataType::kFLOAT}));

    const ir::TensorDesc& in = *ctx.input(0);
    ir::TensorDesc& out = ctx.output(0);
    out.type = boolOutput ? DataType::kBOOL : in.type;
    out.dims = in.dims;
    out.values.reset();
    if (const std::vector<int32_t>* values = knownInts(&in))
    {
        std::vector<int32_t> result(values->size());
        for (size_t i = 0; i < values->size(); ++i)
            result[i] = applyIntUnary(operation, (*values)[i]);
        out.values = std::move(result);
    }
    return Status::ok();
}

namespace
{

float roundHalfToEven(float x)
{
    if (!std::isfinite(x))
        return x;
    const float lower = std::floor(x);
    const float diff = x - lower;
    if (diff < 0.5f)
        return lower;
    if (diff > 0.5f)
        return lower + 1.f;
    return std::fmod(lower, 2.f) == 0.f ? lower : lower + 1.f;
}

} // namespace

float applyUnaryFloat(nvinfer1::UnaryOperation op, float x)
{
    switch (op)
    {
    case nvinfer1::UnaryOperation::kEXP: return std::exp(x);
    case nvinfer1::UnaryOperation::kLOG: return std::log(x);
    case nvinfer1::UnaryOperation::kSQRT: return std::sqrt(x);
    case nvinfer1::UnaryOperation::kRECIP: return 1.f / x;
    case nvinfer1::UnaryOperation::kABS: return std::fabs(x);
    case nvinfer1::UnaryOperation::kNEG: return -x;
    case nvinfer1::UnaryOperation::kSIN: return std::sin(x);
    case nvinfer1::UnaryOperation::kCOS: return std::cos(x);
    case nvinfer1::UnaryOperation::kTAN: return std::tan(x);
    case nvinfer1::UnaryOperation::kSINH: return std::sinh(x);
    case nvinfer1::UnaryOperation::kCOSH: return std::cosh(x);
    case nvinfer1::UnaryOperation::kASIN: return std::asin(x);
    case nvinfer1::UnaryOperation::kACOS: return std::acos(x);
    case nvinfer1::UnaryOperation::kATAN: return std::atan(x);
    case nvinfer1::UnaryOperation::kASINH: return std::asinh(x);
    case nvinfer1::UnaryOperation::kACOSH: return std::acosh(x);
    case nvinfer1::UnaryOperation::kATANH: return std::atanh(x);
    case nvinfer1::UnaryOperation::kCEIL: return std::ceil(x);
    case nvinfer1::UnaryOperation::kFLOOR: return std::floor(x);
    case nvinfer1::UnaryOperation::kERF: return std::erf(x);
    case nvinfer1::UnaryOperation::kSIGN: return x > 0.f ? 1.f : x < 0.f ? -1.f : x;
    case nvinfer1::UnaryOperation::kROUND: return roundHalfToEven(x);
    case nvinfer1::UnaryOperation::kNOT:
    case nvinfer1::UnaryOperation::kISINF:
    case nvinfer1::UnaryOperation::kISNAN: break;
    }
    return x;
}


} // namespace kiln::layers
