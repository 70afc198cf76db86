// One Google Benchmark case per (tactic, layer configuration): the same tactic table the builder
// times, on ResNet-50 / MobileNet-like configurations. A tactic that does not support a case (or
// needs a CPU feature this machine lacks) is skipped with the reason. Counters: GFLOP/s where the
// layer's work is well defined, bytes/s for memory-bound layers.
//
//   build/bench/kiln_tactics_bench [--benchmark_filter=convolution]
#include "backends/backend.h"
#include "backends/cpu/thread_pool.h"
#include "kernels/tactic.h"
#include "layers/convolution.h"
#include "layers/element_wise.h"
#include "layers/fully_connected.h"
#include "layers/pooling.h"

#include <benchmark/benchmark.h>

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace
{

using namespace kiln;
using nvinfer1::DataType;
using nvinfer1::Dims;

Dims dims(std::initializer_list<int32_t> e)
{
    Dims d{};
    d.nbDims = static_cast<int32_t>(e.size());
    int32_t i = 0;
    for (int32_t x : e)
        d.d[i++] = x;
    return d;
}

//! A layer configuration: parameters (owning their weights), input descriptors, work per run.
struct Case
{
    std::string name;
    std::shared_ptr<ir::LayerParams> params;
    std::vector<ir::TensorDesc> inputs;
    double flops{0};  //!< floating-point operations per run (0: count bytes instead)
    std::shared_ptr<std::vector<float>> weights, bias;
};

Case conv(const std::string& name, int32_t n, int32_t c, int32_t hw, int32_t k, int32_t kernel, int32_t stride, int32_t groups,
    bool relu)
{
    Case cs;
    cs.name = name;
    auto p = std::make_shared<layers::ConvolutionParams>();
    const int32_t pad = kernel / 2;
    p->nbOutputMaps = k;
    p->kernelSize = dims({kernel, kernel});
    p->stride = dims({stride, stride});
    p->prePadding = dims({pad, pad});
    p->postPadding = dims({pad, pad});
    p->dilation = dims({1, 1});
    p->nbGroups = groups;
    cs.weights = std::make_shared<std::vector<float>>(static_cast<size_t>(k) * (c / groups) * kernel * kernel, 0.01f);
    cs.bias = std::make_shared<std::vector<float>>(static_cast<size_t>(k), 0.1f);
    p->kernelWeights = ir::WeightsRef{DataType::kFLOAT, cs.weights->data(), static_cast<int64_t>(cs.weights->size())};
    p->biasWeights = ir::WeightsRef{DataType::kFLOAT, cs.bias->data(), k};
    p->epilogue.hasActivation = relu;
    cs.params = p;
    cs.inputs = {{DataType::kFLOAT, dims({n, c, hw, hw}), std::nullopt}};
    const int32_t out = (hw + 2 * pad - kernel) / stride + 1;
    cs.flops = 2.0 * n * k * out * out * (c / groups) * kernel * kernel;
    return cs;
}

Case fc(const std::string& name, int32_t n, int32_t c, int32_t k)
{
    Case cs;
    cs.name = name;
    auto p = std::make_shared<layers::FullyConnectedParams>();
    p->nbOutputs = k;
    cs.weights = std::make_shared<std::vector<float>>(static_cast<size_t>(k) * c, 0.01f);
    cs.bias = std::make_shared<std::vector<float>>(static_cast<size_t>(k), 0.1f);
    p->kernel = ir::WeightsRef{DataType::kFLOAT, cs.weights->data(), static_cast<int64_t>(cs.weights->size())};
    p->bias = ir::WeightsRef{DataType::kFLOAT, cs.bias->data(), k};
    cs.params = p;
    cs.inputs = {{DataType::kFLOAT, dims({n, c, 1, 1}), std::nullopt}};
    cs.flops = 2.0 * n * c * k;
    return cs;
}

Case pool(const std::string& name, int32_t c, int32_t hw, int32_t window, int32_t stride, nvinfer1::PoolingType type)
{
    Case cs;
    cs.name = name;
    auto p = std::make_shared<layers::PoolingParams>();
    p->type = type;
    p->windowSize = dims({window, window});
    p->stride = dims({stride, stride});
    const int32_t pad = window == hw ? 0 : window / 2;
    p->prePadding = dims({pad, pad});
    p->postPadding = dims({pad, pad});
    cs.params = p;
    cs.inputs = {{DataType::kFLOAT, dims({1, c, hw, hw}), std::nullopt}};
    return cs;
}

Case sum(const std::string& name, int32_t c, int32_t hw)
{
    Case cs;
    cs.name = name;
    cs.params = std::make_shared<layers::ElementWiseParams>();
    cs.inputs = {{DataType::kFLOAT, dims({1, c, hw, hw}), std::nullopt}, {DataType::kFLOAT, dims({1, c, hw, hw}), std::nullopt}};
    return cs;
}

const std::vector<Case>& cases()
{
    using nvinfer1::PoolingType;
    static const std::vector<Case> all{
        conv("resnet50.conv1 7x7/2 3->64 @224", 1, 3, 224, 64, 7, 2, 1, true),
        conv("resnet50 3x3 64->64 @56", 1, 64, 56, 64, 3, 1, 1, true),
        conv("resnet50 1x1 256->64 @56", 1, 256, 56, 64, 1, 1, 1, true),
        conv("resnet50 1x1 64->256 @56", 1, 64, 56, 256, 1, 1, 1, false),
        conv("resnet50 3x3 256->256 @14", 1, 256, 14, 256, 3, 1, 1, true),
        conv("resnet50 1x1 2048->512 @7", 1, 2048, 7, 512, 1, 1, 1, true),
        conv("mobilenet dw 3x3 32 @112", 1, 32, 112, 32, 3, 1, 32, true),
        conv("mobilenet dw 3x3/2 96 @112", 1, 96, 112, 96, 3, 2, 96, true),
        fc("fc 2048->1000", 1, 2048, 1000),
        fc("fc batch 8 2048->1000", 8, 2048, 1000),
        pool("maxpool 3x3/2 64 @112", 64, 112, 3, 2, PoolingType::kMAX),
        pool("global avgpool 2048 @7", 2048, 7, 7, 1, PoolingType::kAVERAGE),
        sum("sum 256 @56", 256, 56),
    };
    return all;
}

//! Runs \p tactic on \p c through prepare/bind/run, timing run() only.
void runCase(benchmark::State& state, const kernels::Tactic* tactic, const Case* c)
{
    const uint32_t missing = tactic->requiredCpuFeatures() & ~backends::cpuDevice().fingerprint().features;
    if (missing)
        return state.SkipWithError(("needs " + backends::cpuFeatureNames(missing)).c_str());
    std::vector<const ir::TensorDesc*> ins;
    for (const auto& d : c->inputs)
        ins.push_back(&d);
    ir::ShapeContext shapes(c->name, c->params->kind(), ins, c->params->nbOutputs());
    if (Status s = c->params->inferShapes(shapes); !s)
        return state.SkipWithError(s.message().c_str());
    const std::vector<ir::TensorDesc> outs = shapes.outputs();
    if (Status s = tactic->supports(*c->params, c->inputs, outs); !s)
        return state.SkipWithError(("not supported: " + s.message()).c_str());
    const backends::Allocator allocator;
    auto prepared = tactic->prepare(*c->params, allocator);
    if (!prepared)
        return state.SkipWithError(prepared.status().message().c_str());
    auto bound = tactic->bind(*c->params, prepared.value().get(), c->inputs, outs);
    if (!bound)
        return state.SkipWithError(bound.status().message().c_str());
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> dist(-1.f, 1.f);
    std::vector<std::vector<float>> inData, outData;
    double bytes = 0;
    kernels::KernelArgs a;
    a.params = c->params.get();
    a.pool = &backends::cpu::ThreadPool::global();
    a.prepared = prepared.value().get();
    a.bound = bound.value().get();
    for (const auto& d : c->inputs)
    {
        inData.emplace_back(static_cast<size_t>(volume(d.dims)));
        for (float& v : inData.back())
            v = dist(rng);
        bytes += static_cast<double>(inData.back().size()) * sizeof(float);
        a.inputs.push_back({inData.back().data(), d.type, d.dims});
    }
    for (const auto& d : outs)
    {
        outData.emplace_back(static_cast<size_t>(volume(d.dims)));
        bytes += static_cast<double>(outData.back().size()) * sizeof(float);
        a.outputs.push_back({outData.back().data(), d.type, d.dims});
    }
    std::vector<uint8_t> workspace(tactic->workspaceSize(*c->params, c->inputs, outs));
    a.workspace = workspace.empty() ? nullptr : workspace.data();
    a.workspaceSize = workspace.size();
    for (auto _ : state)
    {
        if (Status s = tactic->run(a); !s)
            return state.SkipWithError(s.message().c_str());
    }
    if (c->flops > 0)
        state.counters["GFLOP/s"] = benchmark::Counter(c->flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    else
        state.counters["GB/s"] = benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

const bool kRegistered = [] {
    for (const Case& c : cases())
        for (const kernels::Tactic* t : kernels::cpuTactics(c.params->kind()))
            benchmark::RegisterBenchmark((c.name + " | " + t->name()).c_str(), runCase, t, &c)->Unit(benchmark::kMillisecond)->UseRealTime();
    return true;
}();

} // namespace

BENCHMARK_MAIN();
