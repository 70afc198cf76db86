// matrixmultiply.cpu.gemm.avx2: C = op0(A) · op1(B) as a batch of packed GEMMs, one per output batch
// entry, both operands packed into the workspace during the run; transposes are read by the packing,
// a kVECTOR operand is a 1-row A or a 1-column B, broadcast batch axes get stride 0.
#include "kernels/cpu/gemm.h"
#include "kernels/cpu/gemm_tactics.h"
#include "layers/matrix_multiply.h"

namespace kiln::kernels::cpu
{

namespace
{

using nvinfer1::MatrixOperation;

int32_t matrixRank(MatrixOperation op)
{
    return op == MatrixOperation::kVECTOR ? 1 : 2;
}

struct RunContext
{
    layers::MatrixShape s;
    nvinfer1::Dims batch{};
    int64_t aStride[nvinfer1::Dims::MAX_DIMS]{};
    int64_t bStride[nvinfer1::Dims::MAX_DIMS]{};
    const float* a{nullptr};
    const float* b{nullptr};
    float* c{nullptr};
    GemmA opA;
    GemmB opB;
};

GemmMatrices entryAt(const void* context, int64_t index)
{
    const auto& r = *static_cast<const RunContext*>(context);
    int64_t aOff = 0, bOff = 0;
    int64_t rest = index;
    for (int32_t d = r.batch.nbDims - 1; d >= 0; --d)
    {
        const int64_t coord = rest % r.batch.d[d];
        rest /= r.batch.d[d];
        aOff += coord * r.aStride[d];
        bOff += coord * r.bStride[d];
    }
    GemmMatrices m;
    m.a = r.opA;
    m.a.data = r.a + aOff;
    m.b = r.opB;
    m.b.data = r.b + bOff;
    m.c = r.c + index * r.s.m * r.s.n;
    m.ldc = r.s.n;
    return m;
}

class MatrixMultiplyGemm final : public NamedTactic
{
public:
    MatrixMultiplyGemm()
        : NamedTactic(ir::LayerKind::kMatrixMultiply, "matrixmultiply.cpu.gemm.avx2", "kiln",
            backends::kCpuAVX2 | backends::kCpuFMA)
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        using nvinfer1::DataType;
        if (params.kind() != ir::LayerKind::kMatrixMultiply)
            return unsupported("not a matrix multiply layer");
        const auto& p = static_cast<const layers::MatrixMultiplyParams&>(params);
        for (MatrixOperation op : {p.op0, p.op1})
            if (op != MatrixOperation::kNONE && op != MatrixOperation::kTRANSPOSE && op != MatrixOperation::kVECTOR)
                return unsupported("unknown matrix operation " + std::to_string(static_cast<int32_t>(op)));
        if (inputs.size() != 2 || outputs.size() != 1)
            return unsupported("expects two inputs and one output");
        for (const auto* t : {&inputs[0], &inputs[1], &outputs[0]})
        {
            if (t->type != DataType::kFLOAT)
                return unsupported("only FLOAT tensors are supported");
            if (t->dims.nbDims < 0 || t->dims.nbDims > nvinfer1::Dims::MAX_DIMS)
                return unsupported("bad tensor rank");
            for (int32_t i = 0; i < t->dims.nbDims; ++i)
                if (t->dims.d[i] < 0)
                    return unsupported("dims must be concrete");
        }
        const nvinfer1::Dims& a = inputs[0].dims;
        const nvinfer1::Dims& b = inputs[1].dims;
        const nvinfer1::Dims& c = outputs[0].dims;
        const int32_t batchRank = a.nbDims - matrixRank(p.op0);
        if (batchRank < 0 || b.nbDims - matrixRank(p.op1) != batchRank)
            return unsupported("operand ranks do not match their operations");
        const layers::MatrixShape s = layers::matrixShape(p, a, b);
        const int32_t kb = p.op1 == MatrixOperation::kVECTOR ? b.d[b.nbDims - 1]
            : p.op1 == MatrixOperation::kNONE                ? b.d[b.nbDims - 2]
                                                              : b.d[b.nbDims - 1];
        if (kb != s.k)
            return unsupported("the operands' reduction extents differ");
        const int32_t outRank = batchRank + (p.op0 == MatrixOperation::kVECTOR ? 0 : 1)
            + (p.op1 == MatrixOperation::kVECTOR ? 0 : 1);
        if (c.nbDims != outRank)
            return unsupported("the output rank does not match the operations");
        for (int32_t i = 0; i < batchRank; ++i)
        {
            const bool ok = (a.d[i] == c.d[i] || a.d[i] == 1) && (b.d[i] == c.d[i] || b.d[i] == 1);
            if (!ok)
                return unsupported("batch dims do not broadcast to the output's");
        }
        int32_t at = batchRank;
        if (p.op0 != MatrixOperation::kVECTOR && c.d[at++] != s.m)
            return unsupported("the output's row extent differs from the product's");
        if (p.op1 != MatrixOperation::kVECTOR && c.d[at] != s.n)
            return unsupported("the output's column extent differs from the product's");
        return Status::ok();
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& /*outputs*/) const override
    {
        const auto& p = static_cast<const layers::MatrixMultiplyParams&>(params);
        const layers::MatrixShape s = layers::matrixShape(p, inputs[0].dims, inputs[1].dims);
        return gemmWorkspaceSize(s.m, s.n, s.k, true, true, backends::cpu::ThreadPool::global().size());
    }

    Status run(const KernelArgs& args) const override
    {
        const auto& p = args.paramsAs<layers::MatrixMultiplyParams>();
        const TensorBuffer& a = args.inputs[0];
        const TensorBuffer& b = args.inputs[1];
        const TensorBuffer& out = args.outputs[0];
        RunContext r;
        r.s = layers::matrixShape(p, a.dims, b.dims);
        r.batch.nbDims = r.s.batchRank;
        int64_t aMatrix = r.s.m * r.s.k;
        int64_t bMatrix = r.s.k * r.s.n;
        for (int32_t i = r.s.batchRank - 1; i >= 0; --i)
        {
            r.batch.d[i] = out.dims.d[i];
            r.aStride[i] = a.dims.d[i] == 1 ? 0 : aMatrix;
            r.bStride[i] = b.dims.d[i] == 1 ? 0 : bMatrix;
            aMatrix *= a.dims.d[i];
            bMatrix *= b.dims.d[i];
        }
        r.a = a.as<const float>();
        r.b = b.as<const float>();
        r.c = out.as<float>();
        const bool transA = p.op0 == MatrixOperation::kTRANSPOSE;
        r.opA.transposed = transA;
        r.opA.ld = transA ? r.s.m : r.s.k;
        const bool transB = p.op1 == MatrixOperation::kTRANSPOSE;
        r.opB.transposed = transB;
        r.opB.ld = transB ? r.s.k : r.s.n;
        GemmDesc d;
        d.m = r.s.m;
        d.n = r.s.n;
        d.k = r.s.k;
        d.batch = volume(r.batch);
        d.at = &entryAt;
        d.atContext = &r;
        return gemm(d, *args.pool, args.workspace, args.workspaceSize);
    }
};

} // namespace

std::unique_ptr<Tactic> makeMatrixMultiplyGemmTactic()
{
    return std::make_unique<MatrixMultiplyGemm>();
}

} // namespace kiln::kernels::cpu
