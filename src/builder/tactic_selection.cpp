#include "builder/tactic_selection.h"

#include "backends/cpu/thread_pool.h"
#include "common/dtype.h"
#include "kernels/tactic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <unordered_map>

namespace kiln::builder
{

namespace
{

using nvinfer1::BuilderFlag;
using nvinfer1::DataType;
using nvinfer1::Dims;

constexpr int kMin = 0;
constexpr int kOpt = 1;
constexpr int kMax = 2;
// 8.x BuilderFlag::kREJECT_EMPTY_ALGORITHMS.
constexpr uint32_t kRejectEmptyAlgorithmsBit = 13;

bool hasFlag(const BuildOptions& o, BuilderFlag f)
{
    return (o.flags >> static_cast<uint32_t>(f)) & 1u;
}

//! FNV-1a over the bytes of everything that identifies a layer configuration.
class SignatureHasher final : public ir::FieldVisitor, public ir::WeightsVisitor
{
public:
    void bytes(const void* p, size_t n)
    {
        const auto* b = static_cast<const uint8_t*>(p);
        for (size_t i = 0; i < n; ++i)
        {
            mHash ^= b[i];
            mHash *= 1099511628211ull;
        }
    }
    template <typename T>
    void value(T v)
    {
        bytes(&v, sizeof v);
    }
    void text(const char* s) { bytes(s, std::strlen(s) + 1); }
    void dims(const Dims& d)
    {
        value(d.nbDims);
        for (int32_t i = 0; i < d.nbDims && i < Dims::MAX_DIMS; ++i)
            value(d.d[i]);
    }
    void visit(const char* name, int32_t& v) override { text(name), value(v); }
    void visit(const char* name, float& v) override { text(name), value(v); }
    void visit(const char* name, bool& v) override { text(name), value(static_cast<uint8_t>(v)); }
    void visit(const char* name, Dims& v) override { text(name), dims(v); }
    void visit(const char* name, std::vector<int32_t>& v) override
    {
        text(name), value(v.size());
        for (int32_t x : v)
            value(x);
    }
    void visit(const char* name, std::vector<float>& v) override
    {
        text(name), value(v.size());
        for (float x : v)
            value(x);
    }
    void visit(const char* name, int32_t role, ir::WeightsRef& w) override
    {
        text(name), value(role), value(static_cast<int32_t>(w.type)), value(w.count);
    }
    uint64_t hash() const { return mHash; }

private:
    uint64_t mHash{1469598103934665603ull};
};

uint64_t signatureKey(const ir::LayerParams& params, const std::vector<ir::TensorDesc>& ins, const std::vector<ir::TensorDesc>& outs)
{
    SignatureHasher h;
    h.value(static_cast<int32_t>(params.kind()));
    params.visitFieldsConst(h);
    const_cast<ir::LayerParams&>(params).visitWeights(h);
    for (const auto* list : {&ins, &outs})
    {
        h.value(list->size());
        for (const ir::TensorDesc& d : *list)
        {
            h.value(static_cast<int32_t>(d.type));
            h.dims(d.dims);
        }
    }
    return h.hash();
}

std::string formatMs(float ms)
{
    char b[32];
    std::snprintf(b, sizeof b, "%.4f", static_cast<double>(ms));
    return b;
}

//! Row-major strides of \p d (the only layout the CPU tactics use).
Dims linearStrides(const Dims& d)
{
    Dims s{};
    s.nbDims = std::max(d.nbDims, 0);
    int64_t stride = 1;
    for (int32_t i = s.nbDims - 1; i >= 0; --i)
    {
        s.d[i] = static_cast<int32_t>(std::min<int64_t>(stride, std::numeric_limits<int32_t>::max()));
        stride *= std::max(d.d[i], 1);
    }
    return s;
}

class IOInfo final : public nvinfer1::IAlgorithmIOInfo
{
public:
    IOInfo(DataType type, const Dims& strides)
        : mType(type)
        , mStrides(strides)
    {
    }
    nvinfer1::TensorFormat getTensorFormat() const TRTNOEXCEPT override { return nvinfer1::TensorFormat::kLINEAR; }
    DataType getDataType() const TRTNOEXCEPT override { return mType; }
    Dims getStrides() const TRTNOEXCEPT override { return mStrides; }

private:
    DataType mType;
    Dims mStrides;
};

class Variant final : public nvinfer1::IAlgorithmVariant
{
public:
    Variant(int64_t implementation, int64_t tactic)
        : mImplementation(implementation)
        , mTactic(tactic)
    {
    }
    int64_t getImplementation() const TRTNOEXCEPT override { return mImplementation; }
    int64_t getTactic() const TRTNOEXCEPT override { return mTactic; }

private:
    int64_t mImplementation;
    int64_t mTactic;
};

//! A candidate offered to the IAlgorithmSelector.
class Algorithm final : public nvinfer1::IAlgorithm
{
public:
    Algorithm(const kernels::Tactic& tactic, std::vector<IOInfo> io, float ms, uint64_t workspace)
        : mVariant(kernels::implementationId(tactic), tactic.id())
        , mIO(std::move(io))
        , mMs(ms)
        , mWorkspace(workspace)
    {
    }
    const nvinfer1::IAlgorithmIOInfo& getAlgorithmIOInfo(int32_t index) const TRTNOEXCEPT override
    {
        // 7.x returns a reference; an index out of range gets the last entry's (never a crash).
        return mIO[static_cast<size_t>(std::clamp<int32_t>(index, 0, static_cast<int32_t>(mIO.size()) - 1))];
    }
    const nvinfer1::IAlgorithmIOInfo* getAlgorithmIOInfoByIndex(int32_t index) const TRTNOEXCEPT override
    {
        return index >= 0 && index < static_cast<int32_t>(mIO.size()) ? &mIO[static_cast<size_t>(index)] : nullptr;
    }
    const nvinfer1::IAlgorithmVariant& getAlgorithmVariant() const TRTNOEXCEPT override { return mVariant; }
    float getTimingMSec() const TRTNOEXCEPT override { return mMs; }
    std::size_t getWorkspaceSize() const TRTNOEXCEPT override { return static_cast<std::size_t>(mWorkspace); }

private:
    Variant mVariant;
    std::vector<IOInfo> mIO;
    float mMs;
    uint64_t mWorkspace;
};

class Context final : public nvinfer1::IAlgorithmContext
{
public:
    Context(std::string name, const LayerCorners& corners)
        : mName(std::move(name))
    {
        for (int c = 0; c < 3; ++c)
        {
            for (const ir::TensorDesc& d : corners.inputs[static_cast<size_t>(c)])
                if (d.dims.nbDims >= 0)
                    mDims[c].push_back(d.dims);
            if (c == 0)
                mNbInputs = static_cast<int32_t>(mDims[c].size());
            for (const ir::TensorDesc& d : corners.outputs[static_cast<size_t>(c)])
                mDims[c].push_back(d.dims);
        }
    }
    const char* getName() const TRTNOEXCEPT override { return mName.c_str(); }
    Dims getDimensions(int32_t index, nvinfer1::OptProfileSelector select) const TRTNOEXCEPT override
    {
        const int s = static_cast<int>(select);
        if (s < 0 || s > 2 || index < 0 || index >= static_cast<int32_t>(mDims[s].size()))
        {
            Dims bad{};
            bad.nbDims = -1;
            return bad;
        }
        return mDims[s][static_cast<size_t>(index)];
    }
    int32_t getNbInputs() const TRTNOEXCEPT override { return mNbInputs; }
    int32_t getNbOutputs() const TRTNOEXCEPT override { return static_cast<int32_t>(mDims[0].size()) - mNbInputs; }

private:
    std::string mName;
    std::vector<Dims> mDims[3];
    int32_t mNbInputs{0};
};

//! One candidate of one layer in one profile.
struct Candidate
{
    const kernels::Tactic* tactic{nullptr};
    float ms{-1.f}; //!< -1: not timed
    uint64_t workspace{0};
};

//! Times tactics on seeded random data at given dims.
class TacticTimer
{
public:
    TacticTimer(const BuildOptions& options, const backends::Allocator& allocator, SelectionStats& stats)
        : mMinIterations(std::max(options.minTimingIterations, 1))
        , mAvgIterations(std::max(options.avgTimingIterations, 1))
        , mAllocator(allocator)
        , mStats(stats)
    {
    }

    //! True when every input and output is FLOAT: other types may carry indices or shape values
    //! that random data would make invalid, so those layers are not timed.
    static bool timeable(const std::vector<ir::TensorDesc>& ins, const std::vector<ir::TensorDesc>& outs)
    {
        for (const auto* list : {&ins, &outs})
            for (const ir::TensorDesc& d : *list)
                if (d.dims.nbDims >= 0 && d.type != DataType::kFLOAT)
                    return false;
        return true;
    }

    //! A candidate whose warm-up run takes this many times the best time so far is not timed further.
    static constexpr double kEarlyStopFactor = 3.0;

    //! Milliseconds per run (the minimum over minTimingIterations of the average of
    //! avgTimingIterations runs, after one warm-up run), or an error from the tactic. When the
    //! warm-up run alone takes kEarlyStopFactor × \p bestSoFar or longer, the tactic cannot win:
    //! its warm-up time is the result and \p stoppedEarly is set.
    Expected<float> time(const kernels::Tactic& tactic, const ir::LayerParams& params, const std::vector<ir::TensorDesc>& ins,
        const std::vector<ir::TensorDesc>& outs, uint64_t workspace, double bestSoFar, bool& stoppedEarly)
    {
        stoppedEarly = false;
        KILN_RETURN_IF_ERROR(fillBuffers(ins, outs, workspace));
        auto prepared = tactic.prepare(params, mAllocator);
        if (!prepared)
            return prepared.status();
        auto bound = tactic.bind(params, prepared.value().get(), ins, outs);
        if (!bound)
            return bound.status();
        kernels::KernelArgs a;
        a.params = &params;
        a.pool = &backends::cpu::ThreadPool::global();
        a.prepared = prepared.value().get();
        a.bound = bound.value().get();
        a.workspace = workspace ? mWorkspace->data() : nullptr;
        a.workspaceSize = workspace;
        for (size_t i = 0; i < ins.size(); ++i)
            a.inputs.push_back({ins[i].dims.nbDims < 0 ? nullptr : mInputs[i]->data(), ins[i].type, ins[i].dims});
        for (size_t o = 0; o < outs.size(); ++o)
            a.outputs.push_back({mOutputs[o]->data(), outs[o].type, outs[o].dims});
        backends::Timer warmUp;
        KILN_RETURN_IF_ERROR(tactic.run(a));
        ++mStats.tacticRuns;
        const double warmUpMs = warmUp.elapsedMs();
        if (bestSoFar > 0.0 && warmUpMs >= kEarlyStopFactor * bestSoFar)
        {
            stoppedEarly = true;
            return static_cast<float>(warmUpMs);
        }
        double best = std::numeric_limits<double>::infinity();
        for (int32_t m = 0; m < mMinIterations; ++m)
        {
            backends::Timer timer;
            for (int32_t i = 0; i < mAvgIterations; ++i)
                KILN_RETURN_IF_ERROR(tactic.run(a));
            mStats.tacticRuns += mAvgIterations;
            best = std::min(best, timer.elapsedMs() / mAvgIterations);
        }
        return static_cast<float>(best);
    }

private:
    using Buffer = std::unique_ptr<plan::WeightsBlock>;

    //! \p buffer holding at least \p bytes (zeroed when new), from the builder's allocator.
    Status reserve(Buffer& buffer, uint64_t bytes)
    {
        if (buffer && buffer->size() >= bytes)
            return Status::ok();
        buffer.reset();
        buffer = std::make_unique<plan::WeightsBlock>(mAllocator, bytes);
        if (!buffer->ok())
        {
            buffer.reset();
            return allocationFailed("timing tactics: the allocator could not provide " + std::to_string(bytes) + " bytes");
        }
        return Status::ok();
    }

    //! Seeded random inputs, outputs and workspace, in memory from the builder's allocator.
    Status fillBuffers(const std::vector<ir::TensorDesc>& ins, const std::vector<ir::TensorDesc>& outs, uint64_t workspace)
    {
        std::mt19937 rng(12345);
        std::uniform_real_distribution<float> dist(-1.f, 1.f);
        mInputs.resize(ins.size());
        for (size_t i = 0; i < ins.size(); ++i)
        {
            if (ins[i].dims.nbDims < 0)
                continue;
            const auto n = static_cast<uint64_t>(volume(ins[i].dims));
            KILN_RETURN_IF_ERROR(reserve(mInputs[i], std::max<uint64_t>(n, 1) * sizeof(float)));
            auto* v = reinterpret_cast<float*>(mInputs[i]->data());
            for (uint64_t k = 0; k < n; ++k)
                v[k] = dist(rng);
        }
        mOutputs.resize(outs.size());
        for (size_t o = 0; o < outs.size(); ++o)
            KILN_RETURN_IF_ERROR(reserve(mOutputs[o], std::max<uint64_t>(static_cast<uint64_t>(volume(outs[o].dims)), 1) * sizeof(float)));
        if (workspace)
            KILN_RETURN_IF_ERROR(reserve(mWorkspace, workspace));
        return Status::ok();
    }

    int32_t mMinIterations;
    int32_t mAvgIterations;
    const backends::Allocator& mAllocator;
    SelectionStats& mStats;
    std::vector<Buffer> mInputs, mOutputs;
    Buffer mWorkspace;
};

//! KILN_TACTICS=<part>[,<part>...]: for a layer kind with at least one tactic whose name contains
//! one of the parts, only those tactics are candidates ("reference" builds a reference-only engine;
//! "im2col_gemm" restricts convolutions to im2col + GEMM and leaves other kinds alone).
class TacticFilter
{
public:
    TacticFilter()
    {
        if (const char* env = std::getenv("KILN_TACTICS"))
        {
            std::string list(env);
            size_t start = 0;
            while (start <= list.size())
            {
                const size_t comma = std::min(list.find(',', start), list.size());
                if (comma > start)
                    mParts.push_back(list.substr(start, comma - start));
                start = comma + 1;
            }
        }
    }
    bool active() const { return !mParts.empty(); }
    bool matches(const kernels::Tactic& t) const
    {
        for (const std::string& p : mParts)
            if (t.name().find(p) != std::string::npos)
                return true;
        return false;
    }
    //! Whether \p t stays a candidate for its kind.
    bool keeps(const kernels::Tactic& t) const
    {
        if (!active() || matches(t))
            return true;
        for (const kernels::Tactic* other : kernels::cpuTactics(t.kind()))
            if (matches(*other))
                return false;
        return true;
    }
    std::string describe() const
    {
        std::string s;
        for (const std::string& p : mParts)
            s += (s.empty() ? "" : ",") + p;
        return s;
    }

private:
    std::vector<std::string> mParts;
};

//! Unique, stable node names: the engine layer name, with " [k]" added to the k-th repeat.
std::vector<std::string> contextNames(const plan::EnginePlan& plan)
{
    std::unordered_map<std::string, int32_t> seen;
    std::vector<std::string> names;
    for (const plan::PlanLayer& l : plan.layers)
    {
        const int32_t n = ++seen[l.name];
        names.push_back(n == 1 ? l.name : l.name + " [" + std::to_string(n) + "]");
    }
    return names;
}

} // namespace

Status selectTactics(plan::EnginePlan& plan, const std::vector<std::vector<LayerCorners>>& corners,
    const BuildOptions& options, const backends::Allocator& allocator, TimingCache& cache, const Reporter& reporter,
    SelectionStats& stats)
{
    const uint32_t machineFeatures = backends::cpuDevice().fingerprint().features;
    const bool useCache = !hasFlag(options, BuilderFlag::kDISABLE_TIMING_CACHE);
    const bool rejectEmpty
        = hasFlag(options, BuilderFlag::kSTRICT_TYPES) || ((options.flags >> kRejectEmptyAlgorithmsBit) & 1u);
    const bool keepCandidates = options.profilingVerbosity == nvinfer1::ProfilingVerbosity::kVERBOSE;
    nvinfer1::IAlgorithmSelector* selector = options.algorithmSelector;
    const std::vector<std::string> names = contextNames(plan);
    const size_t nbProfiles = plan.profiles.size();
    TacticTimer timer(options, allocator, stats);
    const TacticFilter filter;
    if (filter.active())
        reporter.info("KILN_TACTICS=" + filter.describe() + " restricts the candidate tactics");
    uint32_t features = 0;

    std::vector<std::vector<std::string>> chosenNames(plan.layers.size(), std::vector<std::string>(nbProfiles));
    for (auto& pl : plan.layers)
    {
        pl.workspaceSize = 0;
        pl.candidates.clear();
    }
    for (size_t k = 0; k < nbProfiles; ++k)
    {
        // Kept alive until reportAlgorithms() for this profile.
        std::vector<std::unique_ptr<Context>> contexts;
        std::vector<std::unique_ptr<Algorithm>> chosenAlgorithms;
        for (size_t l = 0; l < plan.layers.size(); ++l)
        {
            plan::PlanLayer& pl = plan.layers[l];
            const LayerCorners& lc = corners[l][k];
            const std::string where = "layer '" + pl.name + "' (" + ir::layerKindName(pl.params->kind()) + ")"
                + (nbProfiles > 1 ? ", optimization profile " + std::to_string(k) : "");

            // Candidates: supported at every corner, runnable here, within the workspace limit.
            std::vector<Candidate> candidates;
            const kernels::Tactic* smallestTactic = nullptr;
            uint64_t smallestWorkspace = std::numeric_limits<uint64_t>::max();
            for (const kernels::Tactic* t : kernels::cpuTactics(pl.params->kind()))
            {
                if (!filter.keeps(*t))
                    continue;
                if (const uint32_t missing = t->requiredCpuFeatures() & ~machineFeatures)
                {
                    reporter.verbose(where + ": " + t->name() + " skipped: needs " + backends::cpuFeatureNames(missing));
                    continue;
                }
                Status s;
                for (int c = kMin; c <= kMax && s; ++c)
                    s = t->supports(*pl.params, lc.inputs[static_cast<size_t>(c)], lc.outputs[static_cast<size_t>(c)]);
                if (!s)
                {
                    reporter.verbose(where + ": " + t->name() + " not supported: " + s.message());
                    continue;
                }
                const uint64_t ws = t->workspaceSize(*pl.params, lc.inputs[kMax], lc.outputs[kMax]);
                if (ws < smallestWorkspace)
                {
                    smallestWorkspace = ws;
                    smallestTactic = t;
                }
                if (ws > options.maxWorkspaceSize)
                {
                    reporter.verbose(where + ": " + t->name() + " skipped: needs " + std::to_string(ws)
                        + " bytes of workspace, the limit is " + std::to_string(options.maxWorkspaceSize));
                    continue;
                }
                candidates.push_back(Candidate{t, -1.f, ws});
            }
            if (candidates.empty())
            {
                if (smallestTactic)
                    return unsupported(where + ": no implementation fits the workspace limit of "
                        + std::to_string(options.maxWorkspaceSize) + " bytes; the smallest workspace that would work is "
                        + std::to_string(smallestWorkspace) + " bytes (" + smallestTactic->name()
                        + "): raise setMaxWorkspaceSize() or setMemoryPoolLimit(MemoryPoolType::kWORKSPACE)");
                return unsupported(where + ": no implementation supports this layer (see the kVERBOSE log for each tactic's reason)");
            }

            // Times: from the cache, or measured at the opt dims when there is a choice to make.
            const auto& ins = lc.inputs[kOpt];
            const auto& outs = lc.outputs[kOpt];
            if (candidates.size() > 1 && TacticTimer::timeable(ins, outs))
            {
                const uint64_t key = signatureKey(*pl.params, ins, outs);
                std::vector<TacticTiming> timings;
                const bool hit = useCache && cache.lookup(key, timings);
                if (hit)
                    ++stats.cacheHits;
                else
                    ++stats.timedSignatures;
                std::vector<TacticTiming> measured;
                double best = 0.0;
                for (const Candidate& c : candidates)
                    for (const TacticTiming& t : timings)
                        if (t.tacticId == c.tactic->id() && (best == 0.0 || t.ms < best))
                            best = t.ms;
                for (Candidate& c : candidates)
                {
                    auto it = std::find_if(timings.begin(), timings.end(),
                        [&](const TacticTiming& t) { return t.tacticId == c.tactic->id(); });
                    if (it != timings.end())
                    {
                        c.ms = it->ms;
                        continue;
                    }
                    const uint64_t ws = c.tactic->workspaceSize(*pl.params, ins, outs);
                    bool stoppedEarly = false;
                    auto ms = timer.time(*c.tactic, *pl.params, ins, outs, ws, best, stoppedEarly);
                    if (!ms && ms.status().code() == nvinfer1::ErrorCode::kFAILED_ALLOCATION)
                        return ms.status().withContext(where + ": timing " + c.tactic->name());
                    if (!ms)
                    {
                        reporter.verbose(where + ": " + c.tactic->name() + " failed while timing: " + ms.status().message());
                        c.ms = std::numeric_limits<float>::infinity();
                    }
                    else
                    {
                        c.ms = ms.value();
                        if (best == 0.0 || c.ms < best)
                            best = c.ms;
                        if (stoppedEarly)
                        {
                            ++stats.stoppedEarly;
                            reporter.verbose(where + ": " + c.tactic->name() + " stopped early: its warm-up run took "
                                + formatMs(c.ms) + " ms, more than " + std::to_string(static_cast<int>(TacticTimer::kEarlyStopFactor))
                                + "x the best time");
                        }
                    }
                    measured.push_back(TacticTiming{c.tactic->id(), c.ms, ws});
                }
                if (useCache && !measured.empty())
                {
                    timings.insert(timings.end(), measured.begin(), measured.end());
                    std::sort(timings.begin(), timings.end(),
                        [](const TacticTiming& a, const TacticTiming& b) { return a.tacticId < b.tacticId; });
                    cache.store(key, std::move(timings));
                }
                // A tactic that failed while timing is never chosen.
                candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                     [](const Candidate& c) { return std::isinf(c.ms); }),
                    candidates.end());
                if (candidates.empty())
                    return internalError(where + ": every tactic failed while timing (see the kVERBOSE log)");
            }
            for (const Candidate& c : candidates)
                reporter.verbose(where + ": candidate " + c.tactic->name() + " "
                    + (c.ms < 0.f ? std::string("not timed") : formatMs(c.ms) + " ms") + ", workspace "
                    + std::to_string(c.workspace) + " bytes");

            // The application's selector narrows the choice.
            std::vector<size_t> allowed(candidates.size());
            for (size_t i = 0; i < allowed.size(); ++i)
                allowed[i] = i;
            std::vector<std::unique_ptr<Algorithm>> algorithms;
            auto makeAlgorithm = [&](const Candidate& c) {
                std::vector<IOInfo> io;
                for (const ir::TensorDesc& d : ins)
                    if (d.dims.nbDims >= 0)
                        io.emplace_back(d.type, linearStrides(d.dims));
                for (const ir::TensorDesc& d : outs)
                    io.emplace_back(d.type, linearStrides(d.dims));
                return std::make_unique<Algorithm>(*c.tactic, std::move(io), std::max(c.ms, 0.f), c.workspace);
            };
            auto context = std::make_unique<Context>(names[l], lc);
            if (selector)
            {
                std::vector<const nvinfer1::IAlgorithm*> choices;
                for (const Candidate& c : candidates)
                {
                    algorithms.push_back(makeAlgorithm(c));
                    choices.push_back(algorithms.back().get());
                }
                std::vector<int32_t> selection(candidates.size(), -1);
                const int32_t n = selector->selectAlgorithms(
                    *context, choices.data(), static_cast<int32_t>(choices.size()), selection.data());
                if (n < 0 || n > static_cast<int32_t>(choices.size()))
                    return invalidArgument(where + ": IAlgorithmSelector::selectAlgorithms returned " + std::to_string(n)
                        + " for " + std::to_string(choices.size()) + " choices");
                if (n == 0 && rejectEmpty)
                    return invalidArgument(where + ": IAlgorithmSelector::selectAlgorithms selected no algorithm, which "
                        + "kSTRICT_TYPES / kREJECT_EMPTY_ALGORITHMS does not allow");
                if (n > 0)
                {
                    allowed.clear();
                    for (int32_t i = 0; i < n; ++i)
                    {
                        const int32_t s = selection[static_cast<size_t>(i)];
                        if (s < 0 || s >= static_cast<int32_t>(choices.size()))
                            return invalidArgument(where + ": IAlgorithmSelector::selectAlgorithms selected index "
                                + std::to_string(s) + ", outside [0, " + std::to_string(choices.size()) + ")");
                        if (std::find(allowed.begin(), allowed.end(), static_cast<size_t>(s)) == allowed.end())
                            allowed.push_back(static_cast<size_t>(s));
                    }
                }
                else
                    reporter.verbose(where + ": the algorithm selector selected nothing: default selection");
            }

            // The fastest allowed; untimed candidates keep their registration order; ties go to the
            // lower tactic id.
            size_t best = allowed.front();
            for (size_t i : allowed)
            {
                const Candidate& c = candidates[i];
                const Candidate& b = candidates[best];
                if (c.ms >= 0.f && b.ms >= 0.f
                    && (c.ms < b.ms || (c.ms == b.ms && c.tactic->id() < b.tactic->id())))
                    best = i;
            }
            const Candidate& chosen = candidates[best];
            reporter.verbose(where + ": chose " + chosen.tactic->name());
            chosenNames[l][k] = chosen.tactic->name();
            pl.workspaceSize = std::max(pl.workspaceSize, chosen.workspace);
            features |= chosen.tactic->requiredCpuFeatures();
            if (keepCandidates)
                for (const Candidate& c : candidates)
                    pl.candidates.push_back(plan::PlanCandidate{static_cast<int32_t>(k), c.tactic->name(), c.ms, c.workspace});
            if (selector)
            {
                chosenAlgorithms.push_back(algorithms.empty() ? makeAlgorithm(chosen) : std::move(algorithms[best]));
                contexts.push_back(std::move(context));
            }
        }
        if (selector)
        {
            std::vector<const nvinfer1::IAlgorithmContext*> ctx;
            std::vector<const nvinfer1::IAlgorithm*> alg;
            for (size_t i = 0; i < contexts.size(); ++i)
            {
                ctx.push_back(contexts[i].get());
                alg.push_back(chosenAlgorithms[i].get());
            }
            selector->reportAlgorithms(ctx.data(), alg.data(), static_cast<int32_t>(ctx.size()));
        }
    }

    plan.maxWorkspaceSize = 0;
    for (size_t l = 0; l < plan.layers.size(); ++l)
    {
        plan::PlanLayer& pl = plan.layers[l];
        pl.tactic = chosenNames[l][0];
        pl.profileTactics.clear();
        if (std::any_of(chosenNames[l].begin(), chosenNames[l].end(), [&](const std::string& n) { return n != pl.tactic; }))
            pl.profileTactics = chosenNames[l];
        plan.maxWorkspaceSize = std::max(plan.maxWorkspaceSize, pl.workspaceSize);
    }
    plan.device.features = features;
    return Status::ok();
}

} // namespace kiln::builder
