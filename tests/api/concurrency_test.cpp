// Concurrency: several threads, each with several execution contexts of one engine, run their own
// inputs many times; every result equals serial execution bit for bit and the engine never changes
// (its serialized bytes before and after are equal). Built as its own program (ctest labels `api`
// and `threads`) so that scripts/test.sh --tsan can build and run it alone under ThreadSanitizer.
// Kiln's own tactics only (oneDNN's OpenMP runtime is not instrumented, and its reductions may
// split differently when calls overlap).
#include "support/harness.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::UniquePtr;

namespace
{

constexpr uint32_t kExplicit = 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
constexpr const char* kOwnTactics = "im2col_gemm,gemm.avx2,pooling.cpu.direct,vector";
constexpr int kThreads = 4;
constexpr int kContextsPerThread = 2;
constexpr int kRounds = 20;
constexpr int32_t kSize = 12;

//! conv 3x3 (8) -> relu -> max pool 2 -> conv 3x3 (16) -> FC 10 -> softmax on 3 x 12 x 12 inputs;
//! batch fixed at 2, or dynamic (1..4) with \p dynamic.
struct SmallCnn
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder{createInferBuilder(logger)};
    UniquePtr<INetworkDefinition> network{builder->createNetworkV2(kExplicit)};
    UniquePtr<IBuilderConfig> config{builder->createBuilderConfig()};
    UniquePtr<ICudaEngine> engine;
    std::vector<std::vector<float>> weights;

    Weights random(int64_t n, uint32_t seed)
    {
        kiln::test::Rng rng(seed);
        weights.push_back(kiln::test::randomFloats(n, rng, -0.3f, 0.3f));
        return Weights{DataType::kFLOAT, weights.back().data(), n};
    }

    //! With \p refittable the engine is built with kREFIT; its layers are named conv1, conv2, fc.
    explicit SmallCnn(bool dynamic, bool refittable = false)
    {
        const char* old = std::getenv("KILN_TACTICS");
        const std::string saved = old ? old : "";
        setenv("KILN_TACTICS", kOwnTactics, 1);
        ITensor* x = network->addInput("x", DataType::kFLOAT, Dims4{dynamic ? -1 : 2, 3, kSize, kSize});
        IConvolutionLayer* c1 = network->addConvolutionNd(*x, 8, DimsHW{3, 3}, random(8 * 3 * 9, 1), random(8, 2));
        c1->setPaddingNd(DimsHW{1, 1});
        c1->setName("conv1");
        ITensor* t = network->addActivation(*c1->getOutput(0), ActivationType::kRELU)->getOutput(0);
        IPoolingLayer* pool = network->addPoolingNd(*t, PoolingType::kMAX, DimsHW{2, 2});
        pool->setStrideNd(DimsHW{2, 2});
        t = pool->getOutput(0);
        IConvolutionLayer* c2 = network->addConvolutionNd(*t, 16, DimsHW{3, 3}, random(16 * 8 * 9, 3), random(16, 4));
        c2->setName("conv2");
        IFullyConnectedLayer* fc = network->addFullyConnected(*c2->getOutput(0), 10, random(10 * 16 * 4 * 4, 5), random(10, 6));
        fc->setName("fc");
        t = fc->getOutput(0);
        ISoftMaxLayer* sm = network->addSoftMax(*t);
        sm->setAxes(1U << 1);
        sm->getOutput(0)->setName("prob");
        network->markOutput(*sm->getOutput(0));
        if (dynamic)
        {
            IOptimizationProfile* p = builder->createOptimizationProfile();
            p->setDimensions("x", OptProfileSelector::kMIN, Dims4{1, 3, kSize, kSize});
            p->setDimensions("x", OptProfileSelector::kOPT, Dims4{2, 3, kSize, kSize});
            p->setDimensions("x", OptProfileSelector::kMAX, Dims4{4, 3, kSize, kSize});
            config->addOptimizationProfile(p);
        }
        if (refittable)
            config->setFlag(BuilderFlag::kREFIT);
        engine.reset(builder->buildEngineWithConfig(*network, *config));
        if (old)
            setenv("KILN_TACTICS", saved.c_str(), 1);
        else
            unsetenv("KILN_TACTICS");
    }

    //! One inference of \p batch items on \p ctx; empty on failure.
    std::vector<float> run(IExecutionContext& ctx, const std::vector<float>& x, int32_t batch) const
    {
        if (engine->getBindingDimensions(0).d[0] == -1 && !ctx.setBindingDimensions(0, Dims4{batch, 3, kSize, kSize}))
            return {};
        std::vector<float> y(static_cast<size_t>(batch) * 10, -1.f);
        void* bindings[2] = {const_cast<float*>(x.data()), y.data()};
        if (!ctx.executeV2(bindings))
            return {};
        return y;
    }

    std::vector<uint8_t> serialized() const
    {
        UniquePtr<IHostMemory> m(engine->serialize());
        const auto* p = static_cast<const uint8_t*>(m->data());
        return std::vector<uint8_t>(p, p + m->size());
    }
};

//! The batch and input of work item \p k (thread t, context c, round r → its own inputs).
struct Work
{
    int32_t batch;
    std::vector<float> x;
};

std::vector<Work> makeWork(bool dynamic)
{
    std::vector<Work> work;
    kiln::test::Rng rng(2024);
    for (int k = 0; k < kThreads * kContextsPerThread * 3; ++k)
    {
        const int32_t batch = dynamic ? 1 + k % 4 : 2;
        work.push_back({batch, kiln::test::randomFloats(int64_t(batch) * 3 * kSize * kSize, rng)});
    }
    return work;
}

void runConcurrently(bool dynamic)
{
    SmallCnn net(dynamic);
    ASSERT_NE(net.engine, nullptr) << net.logger.errors();
    const std::vector<uint8_t> before = net.serialized();
    const std::vector<Work> work = makeWork(dynamic);

    // Serial results, one context.
    std::vector<std::vector<float>> expected;
    {
        UniquePtr<IExecutionContext> ctx(net.engine->createExecutionContext());
        for (const Work& w : work)
        {
            expected.push_back(net.run(*ctx, w.x, w.batch));
            ASSERT_FALSE(expected.back().empty()) << net.logger.errors();
        }
    }

    // Thread t owns contexts (t, 0..kContextsPerThread-1); context c of thread t runs the items
    // k ≡ t·kContextsPerThread + c (mod kThreads·kContextsPerThread), round after round.
    std::vector<int> mismatches(kThreads, 0), failures(kThreads, 0), runs(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            std::vector<UniquePtr<IExecutionContext>> contexts;
            for (int c = 0; c < kContextsPerThread; ++c)
                contexts.emplace_back(net.engine->createExecutionContext());
            const size_t stride = kThreads * kContextsPerThread;
            for (int r = 0; r < kRounds; ++r)
                for (int c = 0; c < kContextsPerThread; ++c)
                    for (size_t k = static_cast<size_t>(t * kContextsPerThread + c); k < work.size(); k += stride)
                    {
                        const std::vector<float> y = net.run(*contexts[static_cast<size_t>(c)], work[k].x, work[k].batch);
                        ++runs[static_cast<size_t>(t)];
                        if (y.empty())
                            ++failures[static_cast<size_t>(t)];
                        else if (y.size() != expected[k].size()
                            || std::memcmp(y.data(), expected[k].data(), y.size() * sizeof(float)) != 0)
                            ++mismatches[static_cast<size_t>(t)];
                    }
        });
    for (auto& th : threads)
        th.join();
    for (int t = 0; t < kThreads; ++t)
    {
        EXPECT_EQ(failures[static_cast<size_t>(t)], 0) << "thread " << t << ": " << net.logger.errors();
        EXPECT_EQ(mismatches[static_cast<size_t>(t)], 0) << "thread " << t;
        EXPECT_EQ(runs[static_cast<size_t>(t)], kRounds * 3 * kContextsPerThread) << "thread " << t;
    }
    EXPECT_TRUE(net.serialized() == before) << "execution changed the engine";
}

TEST(Concurrency, StaticShapeContextsInThreadsMatchSerialExecution)
{
    runConcurrently(false);
}

TEST(Concurrency, DynamicShapeContextsInThreadsMatchSerialExecution)
{
    runConcurrently(true);
}

// Contexts created and destroyed concurrently while others run, all on one engine.
TEST(Concurrency, ContextsComeAndGoWhileOthersRun)
{
    SmallCnn net(true);
    ASSERT_NE(net.engine, nullptr) << net.logger.errors();
    const std::vector<Work> work = makeWork(true);
    UniquePtr<IExecutionContext> ref(net.engine->createExecutionContext());
    const std::vector<float> expected = net.run(*ref, work[3].x, work[3].batch);
    ASSERT_FALSE(expected.empty());
    std::vector<int> bad(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int r = 0; r < 4; ++r)
            {
                UniquePtr<IExecutionContext> ctx(net.engine->createExecutionContext());
                if (net.run(*ctx, work[3].x, work[3].batch) != expected)
                    ++bad[static_cast<size_t>(t)];
            }
        });
    for (auto& th : threads)
        th.join();
    for (int t = 0; t < kThreads; ++t)
        EXPECT_EQ(bad[static_cast<size_t>(t)], 0) << "thread " << t;
}

// Refit while other threads execute: refit waits for running executions and they for it, so every
// result is exactly the engine's output before or after a refit, never a mix (and, under
// ThreadSanitizer, no race between the weights refit writes and the kernels that read them).
TEST(Concurrency, RefitWhileContextsRun)
{
    SmallCnn net(false, true);
    ASSERT_NE(net.engine, nullptr) << net.logger.errors();
    const std::vector<Work> work = makeWork(false);
    UniquePtr<IExecutionContext> ref(net.engine->createExecutionContext());
    const std::vector<float> first = net.run(*ref, work[0].x, work[0].batch);
    UniquePtr<IRefitter> refitter(createInferRefitter(*net.engine, net.logger));
    ASSERT_NE(refitter, nullptr) << net.logger.errors();
    std::vector<std::vector<float>> values;
    // Weights of one of two generations for every layer, then refit.
    auto refitTo = [&](uint32_t generation) {
        const struct
        {
            const char* layer;
            WeightsRole role;
            int64_t count;
        } slots[] = {{"conv1", WeightsRole::kKERNEL, 8 * 3 * 9}, {"conv1", WeightsRole::kBIAS, 8}, {"conv2", WeightsRole::kKERNEL, 16 * 8 * 9},
            {"conv2", WeightsRole::kBIAS, 16}, {"fc", WeightsRole::kKERNEL, 10 * 16 * 4 * 4}, {"fc", WeightsRole::kBIAS, 10}};
        uint32_t seed = 1;
        for (const auto& s : slots)
        {
            kiln::test::Rng rng(generation == 0 ? seed : seed + 100);
            values.push_back(kiln::test::randomFloats(s.count, rng, -0.3f, 0.3f));
            ASSERT_TRUE(refitter->setWeights(s.layer, s.role, Weights{DataType::kFLOAT, values.back().data(), s.count}));
            ++seed;
        }
        ASSERT_TRUE(refitter->refitCudaEngine()) << net.logger.errors();
    };
    refitTo(1);
    const std::vector<float> second = net.run(*ref, work[0].x, work[0].batch);
    refitTo(0);
    ASSERT_EQ(net.run(*ref, work[0].x, work[0].batch), first) << "refit back to the build's weights differs";
    ASSERT_NE(first, second);

    std::atomic<bool> stop{false};
    std::vector<int> mixed(kThreads, 0), runs(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            UniquePtr<IExecutionContext> ctx(net.engine->createExecutionContext());
            while (!stop.load() || runs[static_cast<size_t>(t)] < 3)
            {
                const std::vector<float> y = net.run(*ctx, work[0].x, work[0].batch);
                ++runs[static_cast<size_t>(t)];
                if (y != first && y != second)
                    ++mixed[static_cast<size_t>(t)];
            }
        });
    for (int i = 0; i < 8; ++i)
        refitTo(static_cast<uint32_t>(1 - i % 2));
    stop = true;
    for (auto& th : threads)
        th.join();
    for (int t = 0; t < kThreads; ++t)
        EXPECT_EQ(mixed[static_cast<size_t>(t)], 0) << "thread " << t << " saw a result of neither weight set";
}

} // namespace
