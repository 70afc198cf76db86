// Helpers for the optimizer tests: TestGraph builds ir::Graphs layer by layer (weights owned by
// the graph, seeded random values), runPlan() builds an engine through builder::buildPlan with
// given OptimizerOptions and runs it on given inputs, and expectSameOutputs() compares an
// optimized engine with the unoptimized one (OptimizerOptions::disabled) on seeded inputs.
#pragma once

#include "backends/backend.h"
#include "builder/builder.h"
#include "ir/printer.h"
#include "ir/verifier.h"
#include "layers/activation.h"
#include "layers/constant.h"
#include "layers/convolution.h"
#include "layers/element_wise.h"
#include "layers/fully_connected.h"
#include "layers/pointwise_chain.h"
#include "layers/scale.h"
#include "layers/shuffle.h"
#include "layers/unary.h"
#include "optimizer/optimizer.h"
#include "runtime/engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace kiln::optimizer::test
{

using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ScaleMode;
using nvinfer1::UnaryOperation;

inline Dims dims(std::initializer_list<int32_t> e)
{
    Dims d{};
    d.nbDims = static_cast<int32_t>(e.size());
    int32_t i = 0;
    for (int32_t x : e)
        d.d[i++] = x;
    return d;
}

//! Records every message; tests look for pass notes and dumps in all().
class TestLogger final : public nvinfer1::ILogger
{
public:
    void log(Severity, const char* msg) noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mText += msg;
        mText += '\n';
    }
    std::string all() const
    {
        std::lock_guard<std::mutex> lock(mMutex);
        return mText;
    }
    bool has(const std::string& needle) const { return all().find(needle) != std::string::npos; }

private:
    mutable std::mutex mMutex;
    std::string mText;
};

class TestGraph
{
public:
    explicit TestGraph(uint32_t seed = 7)
        : mRng(seed)
    {
    }
    ir::Graph g;

    float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(mRng); }
    std::vector<float> randoms(int64_t n, float lo = -1.f, float hi = 1.f)
    {
        std::vector<float> v(static_cast<size_t>(n));
        for (float& x : v)
            x = uniform(lo, hi);
        return v;
    }
    ir::WeightsRef weights(int64_t n, float lo = -1.f, float hi = 1.f) { return g.ownWeights(randoms(n, lo, hi)); }

    ir::Tensor* input(const std::string& name, Dims d) { return g.addInput(name, DataType::kFLOAT, d); }
    ir::Tensor* add(std::unique_ptr<ir::LayerParams> p, std::vector<ir::Tensor*> ins, const std::string& name = "")
    {
        const std::string n = name.empty() ? std::string(ir::layerKindName(p->kind())) + std::to_string(++mCount) : name;
        return g.addLayer(n, std::move(p), std::move(ins))->outputs[0];
    }
    void output(ir::Tensor* t) { g.markOutput(t); }

    ir::Tensor* conv(ir::Tensor* x, int32_t c, int32_t k, int32_t kernel = 3, int32_t pad = 1, bool bias = true, int32_t groups = 1,
        int32_t stride = 1)
    {
        auto p = std::make_unique<layers::ConvolutionParams>();
        p->nbOutputMaps = k;
        p->kernelSize = dims({kernel, kernel});
        p->stride = dims({stride, stride});
        p->dilation = dims({1, 1});
        p->prePadding = dims({pad, pad});
        p->postPadding = dims({pad, pad});
        p->nbGroups = groups;
        p->kernelWeights = weights(int64_t{k} * (c / groups) * kernel * kernel, -0.5f, 0.5f);
        if (bias)
            p->biasWeights = weights(k);
        return add(std::move(p), {x});
    }
    ir::Tensor* fc(ir::Tensor* x, int32_t v, int32_t k)
    {
        auto p = std::make_unique<layers::FullyConnectedParams>();
        p->nbOutputs = k;
        p->kernel = weights(int64_t{k} * v, -0.5f, 0.5f);
        p->bias = weights(k);
        return add(std::move(p), {x});
    }
    //! BatchNorm as parsers lower it: Scale kCHANNEL with scale and shift (power empty or \p power).
    ir::Tensor* scale(ir::Tensor* x, ScaleMode mode, int32_t axis, int64_t count, float power = 0.f)
    {
        auto p = std::make_unique<layers::ScaleParams>();
        p->mode = mode;
        p->channelAxis = axis;
        p->scale = weights(count, 0.5f, 1.5f);
        p->shift = weights(count);
        if (power != 0.f)
            p->power = g.ownWeights(std::vector<float>(static_cast<size_t>(count), power));
        return add(std::move(p), {x});
    }
    ir::Tensor* act(ir::Tensor* x, ActivationType type = ActivationType::kRELU, float alpha = 0.f, float beta = 0.f)
    {
        auto p = std::make_unique<layers::ActivationParams>();
        p->type = type;
        p->alpha = alpha;
        p->beta = beta;
        return add(std::move(p), {x});
    }
    ir::Tensor* ew(ir::Tensor* a, ir::Tensor* b, ElementWiseOperation op)
    {
        auto p = std::make_unique<layers::ElementWiseParams>();
        p->operation = op;
        return add(std::move(p), {a, b});
    }
    ir::Tensor* unary(ir::Tensor* x, UnaryOperation op)
    {
        auto p = std::make_unique<layers::UnaryParams>();
        p->operation = op;
        return add(std::move(p), {x});
    }
    ir::Tensor* constant(Dims d, float lo = -1.f, float hi = 1.f)
    {
        auto p = std::make_unique<layers::ConstantParams>();
        p->dims = d;
        int64_t n = 1;
        for (int32_t i = 0; i < d.nbDims; ++i)
            n *= d.d[i];
        p->weights = weights(n, lo, hi);
        return add(std::move(p), {});
    }
    ir::Tensor* intConstant(Dims d, std::vector<int32_t> values)
    {
        auto p = std::make_unique<layers::ConstantParams>();
        p->dims = d;
        p->weights = g.ownWeights(std::move(values));
        return add(std::move(p), {});
    }
    ir::Tensor* shuffle(ir::Tensor* x, std::vector<int32_t> first, const Dims* reshape, std::vector<int32_t> second)
    {
        auto p = std::make_unique<layers::ShuffleParams>();
        for (size_t i = 0; i < first.size(); ++i)
            p->firstTranspose[i] = first[i];
        for (size_t i = 0; i < second.size(); ++i)
            p->secondTranspose[i] = second[i];
        if (reshape)
        {
            p->reshapeSet = true;
            p->reshapeDims = *reshape;
        }
        return add(std::move(p), {x});
    }

    //! How many layers of \p kind the graph has.
    int count(ir::LayerKind kind) const
    {
        int n = 0;
        for (const auto& l : g.layers)
            n += l->kind() == kind;
        return n;
    }

private:
    std::mt19937 mRng;
    int mCount{0};
};

//! Runs optimize() on a clone of \p g (explicit-batch graphs) and returns it after verifying it.
inline std::unique_ptr<ir::Graph> optimized(const ir::Graph& g, OptimizerOptions options = {}, TestLogger* logger = nullptr,
    std::vector<PassRecord>* records = nullptr)
{
    auto copy = g.clone();
    TestLogger local;
    Reporter reporter(logger ? logger : &local);
    options.verifyPasses = true;
    Status s = optimize(*copy, options, reporter, records);
    EXPECT_TRUE(s.isOk()) << s.message();
    Status v = ir::verifyGraph(*copy);
    EXPECT_TRUE(v.isOk()) << v.message() << "\n" << ir::printGraph(*copy);
    return copy;
}

struct Feed
{
    std::string name;
    Dims dims;
    std::vector<float> values;
};

struct RunResult
{
    std::vector<std::vector<float>> outputs;
    std::vector<std::string> layerKinds; //!< the engine's layers, "<name>:<Kind>"
    int count(const std::string& kind) const
    {
        int n = 0;
        for (const auto& l : layerKinds)
            n += l.size() > kind.size() && l.compare(l.size() - kind.size() - 1, std::string::npos, ":" + kind) == 0;
        return n;
    }
};

//! Builds \p g into an engine plan with \p options (passes verified).
inline Expected<std::unique_ptr<plan::EnginePlan>> buildTestPlan(const ir::Graph& g, const OptimizerOptions& options,
    int32_t batch = 0, const std::vector<builder::ProfileSpec>& profiles = {}, TestLogger* log = nullptr)
{
    builder::BuildOptions bo;
    bo.optimizer = options;
    bo.optimizer.verifyPasses = true;
    bo.maxBatchSize = std::max(batch, 1);
    bo.profiles = profiles;
    TestLogger local;
    Reporter reporter(log ? log : &local);
    return builder::buildPlan(g, bo, backends::Allocator(), reporter);
}

inline Expected<RunResult> runEnginePlan(std::unique_ptr<plan::EnginePlan> plan, const std::vector<Feed>& feeds, int32_t batch = 0);

//! Builds \p g with \p options and runs it. \p batch > 0 for implicit-batch graphs (feeds hold
//! that many items, dims with the batch as axis 0). \p profile optional for dynamic inputs.
inline Expected<RunResult> runPlan(const ir::Graph& g, const OptimizerOptions& options, const std::vector<Feed>& feeds,
    int32_t batch = 0, const std::vector<builder::ProfileSpec>& profiles = {}, TestLogger* log = nullptr)
{
    auto plan = buildTestPlan(g, options, batch, profiles, log);
    if (!plan)
        return plan.status();
    return runEnginePlan(std::move(plan.value()), feeds, batch);
}

//! Creates an engine from \p plan and runs it once on \p feeds.
inline Expected<RunResult> runEnginePlan(std::unique_ptr<plan::EnginePlan> plan, const std::vector<Feed>& feeds, int32_t batch)
{
    RunResult result;
    for (const auto& l : plan->layers)
        result.layerKinds.push_back(l.name + ":" + ir::layerKindName(l.params->kind()));
    std::vector<plan::PlanIO> io = plan->io;
    std::vector<std::string> ioNames;
    for (const auto& x : io)
        ioNames.push_back(plan->tensors[static_cast<size_t>(x.tensor)].name);
    auto engine = runtime::Engine::create(std::move(plan), backends::Allocator());
    if (!engine)
        return engine.status();
    auto ctx = runtime::ExecutionContext::create(engine.value(), 0, true);
    if (!ctx)
        return ctx.status();
    std::vector<void*> bindings(io.size(), nullptr);
    for (size_t i = 0; i < io.size(); ++i)
    {
        if (!io[i].isInput)
            continue;
        const Feed* f = nullptr;
        for (const Feed& x : feeds)
            if (x.name == ioNames[i])
                f = &x;
        if (!f)
            return invalidArgument("no feed for input '" + ioNames[i] + "'");
        KILN_RETURN_IF_ERROR(ctx.value()->setInputDims(static_cast<int32_t>(i), f->dims));
        bindings[i] = const_cast<float*>(f->values.data());
    }
    result.outputs.resize(io.size());
    for (size_t i = 0; i < io.size(); ++i)
    {
        if (io[i].isInput)
            continue;
        const Dims d = ctx.value()->ioDims(static_cast<int32_t>(i));
        int64_t n = 1;
        for (int32_t k = 0; k < d.nbDims; ++k)
            n *= d.d[k];
        if (n < 0)
            return internalError("output dims unknown");
        result.outputs[i].assign(static_cast<size_t>(n), std::nanf(""));
        bindings[i] = result.outputs[i].data();
    }
    auto stream = backends::cpuDevice().createStream(nullptr);
    KILN_RETURN_IF_ERROR(ctx.value()->enqueue(bindings.data(), batch, *stream, nullptr));
    KILN_RETURN_IF_ERROR(stream->synchronize());
    std::vector<std::vector<float>> outs;
    for (size_t i = 0; i < io.size(); ++i)
        if (!io[i].isInput)
            outs.push_back(std::move(result.outputs[i]));
    result.outputs = std::move(outs);
    return result;
}

inline void expectNear(const std::vector<float>& actual, const std::vector<float>& expected, double rtol, double atol,
    const std::string& what)
{
    ASSERT_EQ(actual.size(), expected.size()) << what;
    int bad = 0;
    for (size_t i = 0; i < actual.size() && bad < 5; ++i)
    {
        const double a = actual[i], e = expected[i];
        const bool same = (std::isnan(a) && std::isnan(e)) || std::fabs(a - e) <= atol + rtol * std::fabs(e);
        if (!same)
        {
            ADD_FAILURE() << what << ": element " << i << " is " << a << ", expected " << e;
            ++bad;
        }
    }
}

//! Optimized vs unoptimized engine on the same feeds; returns the optimized run (engine layers).
inline RunResult expectSameOutputs(const ir::Graph& g, const std::vector<Feed>& feeds, double rtol = 1e-5, double atol = 1e-5,
    int32_t batch = 0, const std::vector<builder::ProfileSpec>& profiles = {}, OptimizerOptions options = {},
    TestLogger* log = nullptr)
{
    OptimizerOptions off;
    off.disabled = true;
    auto ref = runPlan(g, off, feeds, batch, profiles);
    auto opt = runPlan(g, options, feeds, batch, profiles, log);
    EXPECT_TRUE(ref.isOk()) << ref.status().message();
    EXPECT_TRUE(opt.isOk()) << opt.status().message();
    if (!ref || !opt)
        return {};
    EXPECT_EQ(ref->outputs.size(), opt->outputs.size());
    for (size_t i = 0; i < ref->outputs.size() && i < opt->outputs.size(); ++i)
        expectNear(opt->outputs[i], ref->outputs[i], rtol, atol, "output " + std::to_string(i));
    return opt.value();
}

inline Feed feed(const std::string& name, Dims d, uint32_t seed = 11, float lo = -1.f, float hi = 1.f)
{
    std::mt19937 rng(seed);
    int64_t n = 1;
    for (int32_t i = 0; i < d.nbDims; ++i)
        n *= d.d[i];
    Feed f{name, d, std::vector<float>(static_cast<size_t>(n))};
    for (float& x : f.values)
        x = std::uniform_real_distribution<float>(lo, hi)(rng);
    return f;
}

} // namespace kiln::optimizer::test
