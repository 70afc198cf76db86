#include "layers/lrn.h"

#include "layers/checks.h"

namespace kiln::layers
{

namespace
{

constexpr int32_t kMaxWindow = 15;

bool inRange(float v, float lo, float hi)
{
    return v >= lo && v <= hi; // false for NaN
}

} // namespace

std::string LRNParams::checkParameters(int32_t windowSize, float alpha, float beta, float k)
{
    if (windowSize < 1 || windowSize > kMaxWindow || windowSize % 2 == 0)
        return "window size " + std::to_string(windowSize) + " must be odd and in [1, 15]";
    if (!inRange(alpha, -1e20f, 1e20f))
        return "alpha " + std::to_string(alpha) + " must be in [-1e20, 1e20]";
    if (!inRange(beta, 0.01f, 1e5f))
        return "beta " + std::to_string(beta) + " must be in [0.01, 1e5]";
    if (!inRange(k, 1e-5f, 1e10f))
        return "k " + std::to_string(k) + " must be in [1e-5, 1e10]";
    return {};
}

Status LRNParams::inferShapes(ir::ShapeContext& ctx) const
{
    const std::string problem = checkParameters(windowSize, alpha, beta, k);
    if (!problem.empty())
        return ctx.error(problem);
    KILN_RETURN_IF_ERROR(checkInputType(ctx, 0, {nvinfer1::DataType::kFLOAT}));
    KILN_RETURN_IF_ERROR(checkInputRank(ctx, 0, 3));
    ctx.output(0).type = nvinfer1::DataType::kFLOAT;
    ctx.output(0).dims = ctx.input(0)->dims;
    return Status::ok();
}

} // namespace kiln::layers
