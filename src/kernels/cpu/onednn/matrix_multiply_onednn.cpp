#include "kernels/cpu/onednn/onednn_common.h"
#include "kernels/cpu/onednn/onednn_tactics.h"
#include "layers/matrix_multiply.h"

#include <algorithm>

namespace kiln::kernels::cpu::onednn
{

namespace
{

using dnnl::memory;
using nvinfer1::MatrixOperation;
using MatmulPd = dnnl::matmul::primitive_desc;

//! oneDNN's view: src {batch, M, K}, weights {batch, K, N}, dst {batch, M, N}; the operations
//! become strides over the row-major inputs (a vector is a 1×K row or a K×1 column).
struct MatmulShape
{
    memory::dims srcDims, srcStrides, weightsDims, weightsStrides, dstDims;
};

bool validOp(MatrixOperation op)
{
    return op == MatrixOperation::kNONE || op == MatrixOperation::kTRANSPOSE || op == MatrixOperation::kVECTOR;
}

//! Row-major strides of \p d's batch axes, the innermost one stepping over \p matrixVolume values.
void batchStrides(const nvinfer1::Dims& d, int32_t batchRank, int64_t matrixVolume, memory::dims& strides)
{
    strides.assign(static_cast<size_t>(batchRank), 0);
    int64_t step = matrixVolume;
    for (int32_t i = batchRank - 1; i >= 0; --i)
    {
        strides[static_cast<size_t>(i)] = step;
        step *= d.d[i];
    }
}

Status matmulShape(const layers::MatrixMultiplyParams& p, const nvinfer1::Dims& a, const nvinfer1::Dims& b,
    const nvinfer1::Dims& out, MatmulShape& s)
{
    if (!validOp(p.op0) || !validOp(p.op1))
        return unsupported("unknown matrix operation");
    const int32_t rankA = p.op0 == MatrixOperation::kVECTOR ? 1 : 2;
    const int32_t rankB = p.op1 == MatrixOperation::kVECTOR ? 1 : 2;
    const int32_t batchRank = a.nbDims - rankA;
    if (batchRank < 0 || b.nbDims - rankB != batchRank || a.nbDims > nvinfer1::Dims::MAX_DIMS
        || b.nbDims > nvinfer1::Dims::MAX_DIMS || out.nbDims < batchRank)
        return unsupported("inputs " + toString(a) + " and " + toString(b) + " do not fit the operations");
    const layers::MatrixShape m = layers::matrixShape(p, a, b);
    s.srcDims.clear();
    s.weightsDims.clear();
    s.dstDims.clear();
    for (int32_t i = 0; i < batchRank; ++i)
    {
        if (a.d[i] != out.d[i] && a.d[i] != 1)
            return unsupported("batch axis " + std::to_string(i) + " of input 0 does not broadcast");
        if (b.d[i] != out.d[i] && b.d[i] != 1)
            return unsupported("batch axis " + std::to_string(i) + " of input 1 does not broadcast");
        s.srcDims.push_back(a.d[i]);
        s.weightsDims.push_back(b.d[i]);
        s.dstDims.push_back(out.d[i]);
    }
    batchStrides(a, batchRank, m.m * m.k, s.srcStrides);
    batchStrides(b, batchRank, m.k * m.n, s.weightsStrides);
    s.srcDims.insert(s.srcDims.end(), {m.m, m.k});
    s.weightsDims.insert(s.weightsDims.end(), {m.k, m.n});
    s.dstDims.insert(s.dstDims.end(), {m.m, m.n});
    // Element (i, t) of op0(A) and (t, j) of op1(B).
    if (p.op0 == MatrixOperation::kTRANSPOSE)
        s.srcStrides.insert(s.srcStrides.end(), {1, m.m});
    else
        s.srcStrides.insert(s.srcStrides.end(), {m.k, 1});
    if (p.op1 == MatrixOperation::kTRANSPOSE)
        s.weightsStrides.insert(s.weightsStrides.end(), {1, m.k});
    else
        s.weightsStrides.insert(s.weightsStrides.end(), {m.n, 1});
    int64_t product = 1;
    for (memory::dim e : s.dstDims)
        product *= e;
    if (volume(out) != product)
        return unsupported("the output " + toString(out) + " does not match the product");
    return Status::ok();
}

MatmulPd makePd(const MatmulShape& s)
{
    const memory::desc src(s.srcDims, memory::data_type::f32, s.srcStrides);
    const memory::desc weights(s.weightsDims, memory::data_type::f32, s.weightsStrides);
    const dnnl::matmul::desc desc(src, weights, plainDesc(s.dstDims));
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return MatmulPd(desc, attr, cpuEngine());
}

class MatmulBound final : public TacticState
{
public:
    int32_t threads{1};
    dnnl::stream stream;
    size_t scratchBytes{0};
    memory src, weights, dst, scratch;
    Call call;
};

class OnednnMatrixMultiply final : public NamedTactic
{
public:
    OnednnMatrixMultiply()
        : NamedTactic(ir::LayerKind::kMatrixMultiply, "matrixmultiply.cpu.onednn", "onednn")
    {
    }

    Status supports(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        if (params.kind() != ir::LayerKind::kMatrixMultiply)
            return unsupported("not a matrix multiply");
        const auto& p = static_cast<const layers::MatrixMultiplyParams&>(params);
        if (inputs.size() != 2 || outputs.size() != 1)
            return unsupported("two inputs and one output");
        KILN_RETURN_IF_ERROR(checkFloatTensors(inputs, name().c_str()));
        KILN_RETURN_IF_ERROR(checkFloatTensors(outputs, name().c_str()));
        MatmulShape s;
        KILN_RETURN_IF_ERROR(matmulShape(p, inputs[0].dims, inputs[1].dims, outputs[0].dims, s));
        return guarded(name(), [&] {
            const OmpThreadScope threads(kilnThreads());
            (void)makePd(s);
            return Status::ok();
        });
    }

    size_t workspaceSize(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs,
        const std::vector<ir::TensorDesc>& outputs) const override
    {
        MatmulShape s;
        if (inputs.size() != 2 || outputs.empty()
            || !matmulShape(static_cast<const layers::MatrixMultiplyParams&>(params), inputs[0].dims, inputs[1].dims,
                outputs[0].dims, s))
            return 0;
        size_t bytes = 0;
        (void)guarded(name(), [&] {
            for (int32_t n : workspaceThreadCounts())
            {
                const OmpThreadScope threads(n);
                bytes = std::max(bytes, alignedBytes(makePd(s).scratchpad_desc().get_size()));
            }
            return Status::ok();
        });
        return bytes;
    }

    Expected<std::unique_ptr<TacticState>> bind(const ir::LayerParams& params, const TacticState* /*prepared*/,
        const std::vector<ir::TensorDesc>& inputs, const std::vector<ir::TensorDesc>& outputs) const override
    {
        MatmulShape s;
        KILN_RETURN_IF_ERROR(matmulShape(static_cast<const layers::MatrixMultiplyParams&>(params), inputs[0].dims,
            inputs[1].dims, outputs[0].dims, s));
        return guarded(name() + " bind", [&]() -> Expected<std::unique_ptr<TacticState>> {
            auto b = std::make_unique<MatmulBound>();
            b->threads = kilnThreads();
            const OmpThreadScope threads(b->threads);
            b->stream = dnnl::stream(cpuEngine());
            const MatmulPd pd = makePd(s);
            b->src = unboundMemory(pd.src_desc());
            b->weights = unboundMemory(pd.weights_desc());
            b->dst = unboundMemory(pd.dst_desc());
            b->call = Call{dnnl::matmul(pd)};
            b->call.add(DNNL_ARG_SRC, b->src);
            b->call.add(DNNL_ARG_WEIGHTS, b->weights);
            b->call.add(DNNL_ARG_DST, b->dst);
            b->scratchBytes = pd.scratchpad_desc().get_size();
            if (b->scratchBytes)
            {
                b->scratch = unboundMemory(scratchDesc(b->scratchBytes));
                b->call.add(DNNL_ARG_SCRATCHPAD, b->scratch);
            }
            return std::unique_ptr<TacticState>(std::move(b));
        });
    }

    Status run(const KernelArgs& args) const override
    {
        auto& b = args.boundAs<MatmulBound>();
        if (b.scratchBytes > 0 && (!args.workspace || args.workspaceSize < b.scratchBytes))
            return internalError(name() + ": needs " + std::to_string(b.scratchBytes) + " workspace bytes");
        const OmpThreadScope threads(b.threads);
        KILN_RETURN_IF_ERROR(setHandle(b.src, args.inputs[0].data, b.stream));
        KILN_RETURN_IF_ERROR(setHandle(b.weights, args.inputs[1].data, b.stream));
        KILN_RETURN_IF_ERROR(setHandle(b.dst, args.outputs[0].data, b.stream));
        if (b.scratch)
            KILN_RETURN_IF_ERROR(setHandle(b.scratch, args.workspace, b.stream));
        return b.call.execute(b.stream, "matmul");
    }
};

} // namespace

std::unique_ptr<Tactic> makeMatrixMultiplyTactic()
{
    return std::make_unique<OnednnMatrixMultiply>();
}

} // namespace kiln::kernels::cpu::onednn
