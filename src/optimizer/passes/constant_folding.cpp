// constant_folding: a layer whose inputs are all Constant-layer outputs is run once at build time
// with its reference kernel and replaced by Constant layers holding its results. The output
// tensors keep their identity (name, flags, consumers), so INT32 results stay shape tensors with
// known values. Skipped: layers without inputs (Fill: nothing to gain), BOOL or HALF results,
// results over kMaxFoldedBytes, weights that are neither FLOAT, HALF nor INT32.
#include "backends/cpu/thread_pool.h"
#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/constant.h"
#include "optimizer/passes/passes.h"

#include <cstring>

namespace kiln::optimizer::passes
{

namespace
{

using nvinfer1::DataType;

constexpr int64_t kMaxFoldedBytes = int64_t(16) << 20;

//! HALF weights become FLOAT copies (the reference kernels read floats, as in an engine).
class HalfToFloat final : public ir::WeightsVisitor
{
public:
    std::vector<std::vector<float>> storage;
    bool ok{true};
    void visit(const char*, int32_t, ir::WeightsRef& w) override
    {
        if (w.empty() || w.type == DataType::kFLOAT || w.type == DataType::kINT32)
        {
            ok = ok && (w.empty() || w.values);
            return;
        }
        std::vector<float> f;
        if (!readFloats(w, f))
        {
            ok = false;
            return;
        }
        storage.push_back(std::move(f));
        w = ir::WeightsRef{DataType::kFLOAT, storage.back().data(), w.count};
    }
};

bool isStatic(const ir::TensorDesc* d)
{
    return d && isValidRank(d->dims) && !hasDynamicExtent(d->dims);
}

class ConstantFolding final : public Pass
{
public:
    const char* name() const override { return "constant_folding"; }
    PassLevel level() const override { return PassLevel::kBasic; }

    Expected<bool> run(PassContext& ctx) override
    {
        auto order = ctx.graph().topologicalOrder();
        if (!order)
            return order.status();
        bool any = false;
        for (ir::Layer* layer : order.value())
            if (match(ctx, *layer) && fold(ctx, *layer))
                any = true;
        return any;
    }

private:
    bool match(PassContext& ctx, const ir::Layer& layer) const
    {
        if (layer.kind() == ir::LayerKind::kConstant || layer.kind() == ir::LayerKind::kFill)
            return false;
        bool anyInput = false;
        for (const ir::Tensor* t : layer.inputs)
        {
            if (!t)
                continue;
            if (!ctx.producerOfKind(t, ir::LayerKind::kConstant))
                return false;
            anyInput = true;
        }
        return anyInput;
    }

    bool fold(PassContext& ctx, ir::Layer& layer)
    {
        auto params = layer.params->clone();
        HalfToFloat convert;
        params->visitWeights(convert);
        if (!convert.ok)
            return false;

        std::vector<std::vector<uint8_t>> inData;
        std::vector<kernels::TensorBuffer> ins;
        for (const ir::Tensor* t : layer.inputs)
        {
            if (!t)
            {
                kernels::TensorBuffer absent;
                absent.dims.nbDims = -1;
                ins.push_back(absent);
                continue;
            }
            const ir::TensorDesc* d = ctx.desc(t);
            const auto& cp = static_cast<const layers::ConstantParams&>(*t->producer->params);
            if (!isStatic(d) || volume(d->dims) != cp.weights.count)
                return false;
            std::vector<uint8_t> bytes;
            if (cp.weights.type == DataType::kINT32)
            {
                bytes.resize(static_cast<size_t>(cp.weights.count) * 4);
                if (!bytes.empty())
                    std::memcpy(bytes.data(), cp.weights.values, bytes.size());
            }
            else
            {
                std::vector<float> f;
                if (!readFloats(cp.weights, f))
                    return false;
                bytes.resize(f.size() * 4);
                if (!bytes.empty())
                    std::memcpy(bytes.data(), f.data(), bytes.size());
            }
            inData.push_back(std::move(bytes));
            ins.push_back(kernels::TensorBuffer{inData.back().empty() ? nullptr : inData.back().data(), d->type, d->dims});
        }

        std::vector<std::vector<uint8_t>> outData;
        std::vector<kernels::TensorBuffer> outs;
        int64_t total = 0;
        for (const ir::Tensor* t : layer.outputs)
        {
            const ir::TensorDesc* d = ctx.desc(t);
            if (!isStatic(d) || (d->type != DataType::kFLOAT && d->type != DataType::kINT32))
                return false;
            total += volume(d->dims) * 4;
            if (total > kMaxFoldedBytes)
            {
                ctx.note("not folding '" + layer.name + "': its result would take " + std::to_string(total) + " bytes or more");
                return false;
            }
            outData.emplace_back(static_cast<size_t>(volume(d->dims)) * 4);
            outs.push_back(kernels::TensorBuffer{outData.back().empty() ? nullptr : outData.back().data(), d->type, d->dims});
        }
        // inData / outData no longer grow: the buffers above stay valid.
        kernels::KernelArgs args;
        args.params = params.get();
        args.inputs = ins;
        args.outputs = outs;
        backends::cpu::ThreadPool pool(1);
        args.pool = &pool;
        kernels::KernelFn kernel = kernels::reference::kernelFor(layer.kind());
        if (!kernel)
            return false;
        Status s = kernel(args);
        if (!s)
        {
            ctx.note("not folding '" + layer.name + "': " + s.message());
            return false;
        }

        const std::vector<ir::Tensor*> outputs = layer.outputs;
        // The folded values come from this layer and the constants it read (refit groups them).
        std::vector<std::string> sources = layer.sources();
        for (const ir::Tensor* t : layer.inputs)
            if (t && t->producer)
                for (const std::string& s : t->producer->sources())
                    sources.push_back(s);
        ctx.erase(&layer);
        for (size_t k = 0; k < outputs.size(); ++k)
        {
            auto c = std::make_unique<layers::ConstantParams>();
            c->dims = outs[k].dims;
            const auto n = static_cast<size_t>(volume(c->dims));
            if (outs[k].type == DataType::kINT32)
            {
                std::vector<int32_t> v(n);
                if (n)
                    std::memcpy(v.data(), outData[k].data(), n * 4);
                c->weights = ctx.graph().ownWeights(std::move(v));
            }
            else
            {
                std::vector<float> v(n);
                if (n)
                    std::memcpy(v.data(), outData[k].data(), n * 4);
                c->weights = ctx.graph().ownWeights(std::move(v));
            }
            const std::string name = k == 0 ? layer.name : ctx.uniqueLayerName(layer.name + " [" + std::to_string(k) + "]");
            ir::Layer* folded = addLayerOnto(ctx.graph(), name, std::move(c), {}, {outputs[k]});
            folded->precision = layer.precision;
            folded->sourceLayers = sources;
        }
        ctx.changed();
        ctx.note("folded '" + layer.name + "' (" + ir::layerKindName(layer.kind()) + ") into a Constant");
        return true;
    }
};

} // namespace

std::unique_ptr<Pass> makeConstantFolding()
{
    return std::make_unique<ConstantFolding>();
}

} // namespace kiln::optimizer::passes
