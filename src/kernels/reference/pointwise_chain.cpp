#include "kernels/pointwise_chain_rows.h"

namespace kiln::kernels::reference
{

namespace
{

//! One step over \p n values; the frequent steps get loops of their own.
void applyStep(const layers::PointwiseStep& st, float* acc, const float* operand, int64_t n)
{
    using nvinfer1::ElementWiseOperation;
    using Kind = layers::PointwiseStepKind;
    const auto op = static_cast<ElementWiseOperation>(st.code);
    if (st.kind == Kind::kActivation && st.code == static_cast<int32_t>(nvinfer1::ActivationType::kRELU))
    {
        for (int64_t j = 0; j < n; ++j)
            acc[j] = acc[j] > 0.f ? acc[j] : 0.f;
        return;
    }
    if (st.kind == Kind::kBinary || st.kind == Kind::kBinaryReversed)
    {
        const bool reversed = st.kind == Kind::kBinaryReversed;
        switch (op)
        {
        case ElementWiseOperation::kSUM:
            for (int64_t j = 0; j < n; ++j)
                acc[j] = reversed ? operand[j] + acc[j] : acc[j] + operand[j];
            return;
        case ElementWiseOperation::kPROD:
            for (int64_t j = 0; j < n; ++j)
                acc[j] = reversed ? operand[j] * acc[j] : acc[j] * operand[j];
            return;
        case ElementWiseOperation::kSUB:
            for (int64_t j = 0; j < n; ++j)
                acc[j] = reversed ? operand[j] - acc[j] : acc[j] - operand[j];
            return;
        default: break;
        }
    }
    const bool hasOperand = st.kind == Kind::kBinary || st.kind == Kind::kBinaryReversed;
    for (int64_t j = 0; j < n; ++j)
        acc[j] = layers::applyPointwiseStep(st, acc[j], hasOperand ? operand[j] : 0.f);
}

} // namespace

Status runPointwiseChain(const KernelArgs& args)
{
    runPointwiseChainRows(args, applyStep);
    return Status::ok();
}

} // namespace kiln::kernels::reference
