// IGpuAllocator: every byte of engine and context memory goes through the allocator set on the
// builder or runtime, and all of it comes back; an allocator that fails gives clean errors.
#include "common/zoo.h"
#include "support/harness.h"

#include <map>
#include <mutex>

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::UniquePtr;

namespace
{

class CountingAllocator : public IGpuAllocator
{
public:
    void* allocate(uint64_t size, uint64_t alignment, uint32_t flags) override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        EXPECT_EQ(flags, 0u);
        EXPECT_TRUE(alignment == 0 || (alignment & (alignment - 1)) == 0);
        ++calls;
        if (failOnCall > 0 && calls == failOnCall)
            return nullptr;
        void* p = std::aligned_alloc(256, (size + 255) / 256 * 256);
        live[p] = size;
        ++allocations;
        bytes += size;
        return p;
    }
    void free(void* memory) override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        if (!memory)
            return;
        auto it = live.find(memory);
        if (it == live.end())
        {
            ++unknownFrees;
            return;
        }
        live.erase(it);
        std::free(memory);
    }
    std::map<void*, uint64_t> live;
    int64_t calls{0}, allocations{0}, bytes{0}, unknownFrees{0};
    int64_t failOnCall{0};

private:
    std::mutex mMutex;
};

//! Builds, serializes, deserializes and runs a random-weights LeNet with \p allocator on both the
//! builder and the runtime. Returns whether every step worked. With \p cache (holding this LeNet's
//! timings) every build chooses the same tactics, so makes the same allocation calls.
//! With \p refit the built engine is refittable and, after the runs, refit with a LeNet of other
//! random weights and run again (a failed refit must leave it running on the old weights).
bool lenetLifecycle(CountingAllocator& allocator, CapturingLogger& logger, const ITimingCache* cache = nullptr, bool refit = false)
{
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    builder->setGpuAllocator(&allocator);
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(0));
    kiln::tools::WeightStore store;
    kiln::tools::ZooOptions opt;
    opt.explicitBatch = false;
    std::string error;
    if (!kiln::tools::buildLeNet(*network, nullptr, store, opt, error))
        return false;
    builder->setMaxBatchSize(2);
    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    if (cache && !config->setTimingCache(*cache, false))
        return false;
    if (refit)
        config->setFlag(BuilderFlag::kREFIT);
    UniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
    if (!engine)
        return false;
    UniquePtr<IHostMemory> blob(engine->serialize());
    UniquePtr<IRuntime> runtime(createInferRuntime(logger));
    runtime->setGpuAllocator(&allocator);
    UniquePtr<ICudaEngine> loaded(runtime->deserializeCudaEngine(blob->data(), blob->size(), nullptr));
    if (!loaded)
        return false;
    std::vector<float> in(2 * 784, 0.5f), out(20);
    void* bindings[2] = {in.data(), out.data()};
    for (ICudaEngine* e : {engine.get(), loaded.get()})
    {
        UniquePtr<IExecutionContext> a(e->createExecutionContext());
        UniquePtr<IExecutionContext> b(e->createExecutionContext());
        if (!a || !b || !a->execute(2, bindings) || !b->execute(1, bindings))
            return false;
    }
    if (!refit)
        return true;
    UniquePtr<INetworkDefinition> other(builder->createNetworkV2(0));
    kiln::tools::WeightStore otherStore;
    opt.seed = 2;
    if (!kiln::tools::buildLeNet(*other, nullptr, otherStore, opt, error))
        return false;
    const std::vector<float> before = out;
    UniquePtr<IRefitter> refitter(createInferRefitter(*engine, logger));
    if (!refitter || kiln::tools::setWeightsFrom(*refitter, *other) != refitter->getAll(0, nullptr, nullptr))
        return false;
    const bool refitted = refitter->refitCudaEngine();
    UniquePtr<IExecutionContext> c(engine->createExecutionContext());
    if (!c || !c->execute(2, bindings))
        return false;
    // Refit changed the outputs, or failed and left them as they were (up to the rounding of
    // oneDNN kernels, which can vary with the threads they get on a busy machine).
    float change = 0.f;
    for (size_t i = 0; i < out.size(); ++i)
        change = std::max(change, std::fabs(out[i] - before[i]));
    EXPECT_EQ(change > 1e-3f, refitted) << "largest change " << change;
    return refitted;
}

TEST(Allocator, EveryAllocationGoesThroughItAndIsFreed)
{
    CountingAllocator allocator;
    CapturingLogger logger;
    ASSERT_TRUE(lenetLifecycle(allocator, logger)) << logger.errors();
    // Weights of two engines (built and loaded) and four contexts at least.
    EXPECT_GE(allocator.allocations, 6);
    EXPECT_GT(allocator.bytes, 4 * 431080);
    EXPECT_TRUE(allocator.live.empty()) << allocator.live.size() << " allocations leaked";
    EXPECT_EQ(allocator.unknownFrees, 0);
}

//! Runs the lifecycle once to count its allocator calls, then once per call with that call failing:
//! each run must fail with an allocation error and leak nothing. A timing cache filled by a first
//! lifecycle makes every later build choose the same tactics without timing, so the probe's calls
//! are the calls of every run.
void expectCleanFailureAtEveryCall(bool refit)
{
    CapturingLogger cacheLogger;
    UniquePtr<IBuilder> cacheBuilder(createInferBuilder(cacheLogger));
    UniquePtr<IBuilderConfig> cacheConfig(cacheBuilder->createBuilderConfig());
    UniquePtr<ITimingCache> cache(cacheConfig->createTimingCache(nullptr, 0));
    {
        CountingAllocator warm;
        ASSERT_TRUE(lenetLifecycle(warm, cacheLogger, cache.get(), refit)) << cacheLogger.errors();
    }
    CountingAllocator probe;
    CapturingLogger probeLogger;
    ASSERT_TRUE(lenetLifecycle(probe, probeLogger, cache.get(), refit)) << probeLogger.errors();
    EXPECT_TRUE(probe.live.empty());
    for (int64_t n = 1; n <= probe.calls; ++n)
    {
        CountingAllocator allocator;
        allocator.failOnCall = n;
        CapturingLogger logger;
        logger.expectErrors();
        EXPECT_FALSE(lenetLifecycle(allocator, logger, cache.get(), refit)) << "call " << n << " failed but everything worked";
        EXPECT_TRUE(logger.hasError("allocat")) << "call " << n << ": " << logger.errors();
        EXPECT_TRUE(allocator.live.empty()) << "call " << n << ": leaked " << allocator.live.size();
        EXPECT_EQ(allocator.unknownFrees, 0);
    }
}

TEST(Allocator, FailingAllocationIsACleanErrorForEveryCall)
{
    expectCleanFailureAtEveryCall(false);
}

TEST(Allocator, FailingAllocationDuringRefitIsACleanError)
{
    // Every call, the refit's included: the network copy it keeps and its packing go through the
    // engine's allocator.
    expectCleanFailureAtEveryCall(true);
}

TEST(Allocator, FailingAllocationWhileTimingTacticsIsACleanError)
{
    // Without a timing cache the builder times every candidate, packing weights through the
    // builder's allocator; the first calls of a build are those (the order of the candidates is
    // fixed, whatever they measure).
    for (int64_t n = 1; n <= 4; ++n)
    {
        CountingAllocator allocator;
        allocator.failOnCall = n;
        CapturingLogger logger;
        logger.expectErrors();
        EXPECT_FALSE(lenetLifecycle(allocator, logger)) << "call " << n << " failed but everything worked";
        EXPECT_TRUE(logger.hasError("allocat")) << "call " << n << ": " << logger.errors();
        EXPECT_TRUE(allocator.live.empty()) << "call " << n << ": leaked " << allocator.live.size();
        EXPECT_EQ(allocator.unknownFrees, 0);
    }
}

} // namespace
