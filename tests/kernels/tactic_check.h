// Runs one tactic and the reference kernel of its layer kind on the same seeded random inputs and
// compares the outputs: the check every CPU tactic's tests use (tests/kernels/*_test.cpp).
//
//   kiln::test::TacticCase c;
//   c.params = std::move(convParams);            // the layer's parameters (weights filled)
//   c.inputs = {{DataType::kFLOAT, dims({1, 8, 9, 9})}};
//   EXPECT_TRUE(kiln::test::checkTactic(*tactic, c)) ;   // prints the first mismatch
//
// The tactic goes through the runtime's whole life cycle: supports(), workspaceSize(), prepare()
// (with a counting allocator: every byte freed), bind() and run(), with guard bytes after each output
// and after the workspace, run twice to catch state carried between runs.
#pragma once

#include "backends/backend.h"
#include "backends/cpu/thread_pool.h"
#include "ir/graph.h"
#include "kernels/tactic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace kiln::test
{

inline nvinfer1::Dims dims(std::initializer_list<int32_t> extents)
{
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(extents.size());
    int32_t i = 0;
    for (int32_t e : extents)
        d.d[i++] = e;
    return d;
}

//! Seeded uniform values in [lo, hi).
inline std::vector<float> randomFloats(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(n);
    for (float& x : v)
        x = dist(rng);
    return v;
}

//! Where element (n, c, h, w) of a 4-D tensor lies in \p layout (ir/layout.h's definition, written
//! out independently of the kernels).
inline size_t offsetOf(ir::Layout layout, const nvinfer1::Dims& d, int64_t n, int64_t c, int64_t h, int64_t w)
{
    const int64_t C = d.d[1], H = d.d[2], W = d.d[3];
    if (layout == ir::Layout::kLinear)
        return static_cast<size_t>(((n * C + c) * H + h) * W + w);
    const int64_t B = ir::channelBlock(layout);
    return static_cast<size_t>((((n * (C / B) + c / B) * H + h) * W + w) * B + c % B);
}

//! \p values (dims \p d, laid out in \p from) laid out in \p to.
inline std::vector<float> relayout(const std::vector<float>& values, const nvinfer1::Dims& d, ir::Layout from, ir::Layout to)
{
    if (from == to)
        return values;
    std::vector<float> out(values.size(), std::nanf(""));
    for (int64_t n = 0; n < d.d[0]; ++n)
        for (int64_t c = 0; c < d.d[1]; ++c)
            for (int64_t h = 0; h < d.d[2]; ++h)
                for (int64_t w = 0; w < d.d[3]; ++w)
                    out[offsetOf(to, d, n, c, h, w)] = values[offsetOf(from, d, n, c, h, w)];
    return out;
}

struct TacticCase
{
    std::unique_ptr<ir::LayerParams> params;
    //! One descriptor per input (dims concrete; an absent optional input has nbDims -1).
    std::vector<ir::TensorDesc> inputs;
    //! Input values; empty entries are filled with seeded uniform values in [-1, 1).
    std::vector<std::vector<float>> values;
    uint32_t seed{1};
    float rtol{1e-4f};
    float atol{1e-5f};
};

namespace detail
{

//! An IGpuAllocator that counts live blocks; with fillByte >= 0 every block starts filled with it.
class CountingAllocator : public nvinfer1::IGpuAllocator
{
public:
    void* allocate(uint64_t size, uint64_t alignment, uint32_t) noexcept override
    {
        void* p = nullptr;
        if (size == 0 || posix_memalign(&p, alignment < 64 ? 64 : alignment, size) != 0)
            return nullptr;
        if (fillByte >= 0)
            std::memset(p, fillByte, size);
        ++live;
        return p;
    }
    void free(void* memory) noexcept override
    {
        if (memory)
        {
            --live;
            std::free(memory);
        }
    }
    int64_t live{0};
    int fillByte{-1};
};

} // namespace detail

//! Runs \p tactic and the reference kernel on \p c; success when every output element agrees within
//! |tactic - reference| <= atol + rtol·|reference| and no guard byte changed.
inline ::testing::AssertionResult checkTactic(const kernels::Tactic& tactic, const TacticCase& c)
{
    using nvinfer1::DataType;
    const ir::LayerParams& params = *c.params;
    std::vector<const ir::TensorDesc*> inPtrs;
    for (const auto& d : c.inputs)
        inPtrs.push_back(d.dims.nbDims < 0 ? nullptr : &d);
    ir::ShapeContext shapeCtx("case", params.kind(), inPtrs, params.nbOutputs());
    Status s = params.inferShapes(shapeCtx);
    if (!s)
        return ::testing::AssertionFailure() << "inferShapes: " << s.message();
    const std::vector<ir::TensorDesc> outs = shapeCtx.outputs();
    s = tactic.supports(params, c.inputs, outs);
    if (!s)
        return ::testing::AssertionFailure() << tactic.name() << " does not support the case: " << s.message();
    const uint32_t missing = tactic.requiredCpuFeatures() & ~backends::cpuDevice().fingerprint().features;
    if (missing)
        return ::testing::AssertionSuccess() << "skipped: this CPU lacks " << backends::cpuFeatureNames(missing);

    // Inputs.
    std::vector<std::vector<float>> inputs(c.inputs.size());
    for (size_t i = 0; i < c.inputs.size(); ++i)
    {
        if (c.inputs[i].dims.nbDims < 0)
            continue;
        const size_t n = static_cast<size_t>(volume(c.inputs[i].dims));
        inputs[i] = i < c.values.size() && !c.values[i].empty() ? c.values[i] : randomFloats(n, c.seed * 31 + static_cast<uint32_t>(i));
        if (inputs[i].size() != n)
            return ::testing::AssertionFailure() << "input " << i << " has " << inputs[i].size() << " values, expected " << n;
    }
    constexpr size_t kGuard = 64;
    constexpr uint8_t kGuardByte = 0xA5;
    auto& pool = backends::cpu::ThreadPool::global();

    auto runOnce = [&](const kernels::Tactic& t, std::vector<std::vector<uint8_t>>& outBytes, std::string& error) -> bool {
        detail::CountingAllocator counting;
        {
            const backends::Allocator allocator(&counting);
            auto prepared = t.prepare(params, allocator);
            if (!prepared)
            {
                error = "prepare: " + prepared.status().message();
                return false;
            }
            auto bound = t.bind(params, prepared.value().get(), c.inputs, outs);
            if (!bound)
            {
                error = "bind: " + bound.status().message();
                return false;
            }
            const size_t ws = t.workspaceSize(params, c.inputs, outs);
            std::vector<uint8_t> workspace(ws + kGuard, kGuardByte);
            kernels::KernelArgs a;
            a.params = &params;
            a.pool = &pool;
            a.prepared = prepared.value().get();
            a.bound = bound.value().get();
            a.workspace = ws ? workspace.data() : nullptr;
            a.workspaceSize = ws;
            for (size_t i = 0; i < c.inputs.size(); ++i)
            {
                kernels::TensorBuffer b;
                b.type = c.inputs[i].type;
                b.dims = c.inputs[i].dims;
                b.data = c.inputs[i].dims.nbDims < 0 ? nullptr : inputs[i].data();
                a.inputs.push_back(b);
            }
            outBytes.assign(outs.size(), {});
            for (int pass = 0; pass < 2; ++pass)
            {
                a.outputs.clear();
                for (size_t o = 0; o < outs.size(); ++o)
                {
                    const size_t bytes = static_cast<size_t>(volume(outs[o].dims)) * sizeof(float);
                    // First pass: NaN-filled outputs, so an element the tactic skips shows up.
                    outBytes[o].assign(bytes + kGuard, kGuardByte);
                    std::vector<float> nan(bytes / sizeof(float), std::nanf(""));
                    if (bytes)
                        std::memcpy(outBytes[o].data(), nan.data(), bytes);
                    kernels::TensorBuffer b;
                    b.type = outs[o].type;
                    b.dims = outs[o].dims;
                    b.data = outBytes[o].data();
                    a.outputs.push_back(b);
                }
                Status r = t.run(a);
                if (!r)
                {
                    error = "run: " + r.message();
                    return false;
                }
                for (size_t o = 0; o < outs.size(); ++o)
                    for (size_t g = outBytes[o].size() - kGuard; g < outBytes[o].size(); ++g)
                        if (outBytes[o][g] != kGuardByte)
                        {
                            error = "wrote past the end of output " + std::to_string(o);
                            return false;
                        }
                for (size_t g = ws; g < workspace.size(); ++g)
                    if (workspace[g] != kGuardByte)
                    {
                        error = "wrote past the end of its workspace of " + std::to_string(ws) + " bytes";
                        return false;
                    }
            }
            bound.value().reset();
            prepared.value().reset();
        }
        if (counting.live != 0)
        {
            error = "leaked " + std::to_string(counting.live) + " allocator blocks";
            return false;
        }
        return true;
    };

    const kernels::Tactic* reference = nullptr;
    for (const kernels::Tactic* t : kernels::cpuTactics(params.kind()))
        if (std::string(t->implementation()) == "reference")
            reference = t;
    if (!reference)
        return ::testing::AssertionFailure() << "no reference tactic for the kind";
    std::vector<std::vector<uint8_t>> expected, actual;
    std::string error;
    if (!runOnce(*reference, expected, error))
        return ::testing::AssertionFailure() << "reference: " << error;
    if (!runOnce(tactic, actual, error))
        return ::testing::AssertionFailure() << tactic.name() << ": " << error;
    for (size_t o = 0; o < outs.size(); ++o)
    {
        if (outs[o].type != DataType::kFLOAT)
        {
            if (std::memcmp(expected[o].data(), actual[o].data(), expected[o].size() - kGuard) != 0)
                return ::testing::AssertionFailure() << tactic.name() << ": output " << o << " differs";
            continue;
        }
        const auto* e = reinterpret_cast<const float*>(expected[o].data());
        const auto* g = reinterpret_cast<const float*>(actual[o].data());
        const int64_t n = volume(outs[o].dims);
        for (int64_t i = 0; i < n; ++i)
        {
            const bool bothNan = std::isnan(e[i]) && std::isnan(g[i]);
            if (!bothNan && !(std::fabs(g[i] - e[i]) <= c.atol + c.rtol * std::fabs(e[i])))
                return ::testing::AssertionFailure() << tactic.name() << ": output " << o << " element " << i << " of " << n
                                                     << " (dims " << toString(outs[o].dims) << ") is " << g[i]
                                                     << ", the reference kernel gives " << e[i];
        }
    }
    return ::testing::AssertionSuccess();
}

//! The registered tactics of \p kind from \p implementation ("kiln", "onednn"), e.g. to loop over.
inline std::vector<const kernels::Tactic*> tacticsOf(ir::LayerKind kind, const std::string& implementation)
{
    std::vector<const kernels::Tactic*> out;
    for (const kernels::Tactic* t : kernels::cpuTactics(kind))
        if (implementation == t->implementation())
            out.push_back(t);
    return out;
}

} // namespace kiln::test
