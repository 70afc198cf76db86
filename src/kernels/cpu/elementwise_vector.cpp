#include "kernels/cpu/elementwise_vector.h"

#include "layers/element_wise.h"

#include <algorithm>
#include <string>

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;

//! Collapses the broadcast of a and b to out (see the header) into \p job.
void collapse(const nvinfer1::Dims& out, const nvinfer1::Dims& a, const nvinfer1::Dims& b, ElementWiseJob& job)
{
    // Per kept axis: its extent and whether a / b have it (else they broadcast it).
    int64_t extent[nvinfer1::Dims::MAX_DIMS];
    bool fullA[nvinfer1::Dims::MAX_DIMS];
    bool fullB[nvinfer1::Dims::MAX_DIMS];
    int32_t rank = 0;
    for (int32_t i = 0; i < out.nbDims; ++i)
    {
        if (out.d[i] == 1)
            continue;
        const bool fa = a.d[i] != 1;
        const bool fb = b.d[i] != 1;
        if (rank > 0 && fullA[rank - 1] == fa && fullB[rank - 1] == fb)
            extent[rank - 1] *= out.d[i];
        else
        {
            extent[rank] = out.d[i];
            fullA[rank] = fa;
            fullB[rank] = fb;
            ++rank;
        }
    }
    if (rank == 0)
    {
        extent[0] = 1;
        fullA[0] = fullB[0] = true;
        rank = 1;
    }
    job.rank = rank;
    int64_t sa = 1;
    int64_t sb = 1;
    for (int32_t i = rank - 1; i >= 0; --i)
    {
        job.extent[i] = extent[i];
        job.strideA[i] = fullA[i] ? sa : 0;
        job.strideB[i] = fullB[i] ? sb : 0;
        sa *= fullA[i] ? extent[i] : 1;
        sb *= fullB[i] ? extent[i] : 1;
    }
    job.mode = !fullA[rank - 1] ? RunMode::kScalarA : !fullB[rank - 1] ? RunMode::kScalarB : RunMode::kBoth;
}

class ElementWiseVectorAvx2 final : public NamedTactic
{
public:
    ElementWiseVectorAvx2()
        : NamedTactic(
            ir::LayerKind::kElementWise, "elementwise.cpu.vector.avx2", "kiln", backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    //! Position-wise: any layout, as long as every tensor has the same one and the same dims.
    ir::LayoutSet layouts() const override { return ir::kAllLayouts; }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kElementWise)
            return unsupported("not an element-wise layer");
        const ElementWiseOperation op = static_cast<const layers::ElementWiseParams&>(params).operation;
        if (inputs.size() != 2 || outputs.size() != 1)
            return unsupported("expects two inputs and one output");
        const DataType type = inputs[0].type;
        if (inputs[1].type != type)
            return unsupported("the inputs' types differ");
        if (layers::isLogicalOp(op))
        {
            if (type != DataType::kBOOL || outputs[0].type != DataType::kBOOL)
                return unsupported("logical operations take and give BOOL");
        }
        else if (layers::isComparisonOp(op) || layers::isArithmeticOp(op))
        {
            if (type != DataType::kFLOAT)
                return unsupported(
                    "only FLOAT inputs for arithmetic and comparisons (INT32 runs on the reference kernel)");
            const DataType outType = layers::isComparisonOp(op) ? DataType::kBOOL : DataType::kFLOAT;
            if (outputs[0].type != outType)
                return unsupported("unexpected output type");
        }
        else
            return unsupported("unknown element-wise operation " + std::to_string(static_cast<int32_t>(op)));
        const nvinfer1::Dims& out = outputs[0].dims;
        if (out.nbDims < 0 || out.nbDims > nvinfer1::Dims::MAX_DIMS)
            return unsupported("invalid output rank");
        for (const ir::TensorDesc& in : inputs)
        {
            if (in.dims.nbDims != out.nbDims)
                return unsupported("inputs must have the output's rank");
            for (int32_t i = 0; i < out.nbDims; ++i)
                if (out.d[i] < 0 || (in.dims.d[i] != out.d[i] && in.dims.d[i] != 1))
                    return unsupported("input " + toString(in.dims) + " does not broadcast to " + toString(out));
            if (in.layout != outputs[0].layout)
                return unsupported(std::string("every input must have the output's layout, not ")
                    + ir::layoutName(in.layout) + " for " + ir::layoutName(outputs[0].layout));
            // Broadcasting walks row-major positions; in a blocked layout they are other elements.
            if (in.layout != ir::Layout::kLinear && !sameDims(in.dims, out))
                return unsupported(std::string("broadcasting in layout ") + ir::layoutName(in.layout));
        }
        return Status::ok();
    }

    Status run(const KernelArgs& args) const override
    {
        const ElementWiseOperation op = args.paramsAs<layers::ElementWiseParams>().operation;
        const TensorBuffer& a = args.inputs[0];
        const TensorBuffer& b = args.inputs[1];
        const TensorBuffer& y = args.outputs[0];
        const int64_t total = y.elementCount();
        if (total == 0)
            return Status::ok();
        ElementWiseJob job;
        collapse(y.dims, a.dims, b.dims, job);
        job.inSize = a.type == DataType::kBOOL ? 1 : 4;
        job.outSize = y.type == DataType::kBOOL ? 1 : 4;
        job.a = static_cast<const uint8_t*>(a.data);
        job.b = static_cast<const uint8_t*>(b.data);
        job.y = static_cast<uint8_t*>(y.data);
        job.row = avx2::elementWiseRow(op, a.type);
        if (!job.row)
            return internalError("elementwise.cpu.vector.avx2 has no kernel for this operation");
        // Ranges of 16 Ki elements: large enough to amortize the walk, small enough to share out.
        args.pool->parallelFor(
            total, 16384, [&job](int64_t begin, int64_t end) { avx2::runElementWise(job, begin, end); });
        return Status::ok();
    }
};

} // namespace

std::unique_ptr<Tactic> makeElementWiseVectorAvx2()
{
    return std::make_unique<ElementWiseVectorAvx2>();
}

} // namespace kiln::kernels::cpu
