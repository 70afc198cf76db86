// Timed tactic selection through the public API: every candidate is logged with its time at
// kVERBOSE, the timing iterations are honoured, the workspace limit excludes tactics (and a layer
// nothing fits fails naming the smallest workspace that would work), identical layers are timed once
// unless kDISABLE_TIMING_CACHE, the persistent ITimingCache (8.x) is read, updated, verified and
// combined, and two builds with the same cache give byte-identical engine files.
#include "support/harness.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::UniquePtr;

namespace
{

//! Three convolutions on 1×16×20×20: conv_a and conv_b have the same configuration (so the same
//! timing signature), conv_c another stride.
struct ConvChain
{
    explicit ConvChain(NetworkHarness& h, uint32_t seed = 7)
    {
        Rng rng(seed);
        weights.push_back(kiln::test::randomFloats(16 * 16 * 9, rng, -0.1f, 0.1f));
        weights.push_back(kiln::test::randomFloats(16 * 16 * 9, rng, -0.1f, 0.1f));
        weights.push_back(kiln::test::randomFloats(16 * 16 * 9, rng, -0.1f, 0.1f));
        weights.push_back(kiln::test::randomFloats(16, rng));
        ITensor* x = h.input("x", kiln::test::randomTensor({1, 16, 20, 20}, rng));
        const char* names[3] = {"conv_a", "conv_b", "conv_c"};
        for (int i = 0; i < 3; ++i)
        {
            IConvolutionLayer* c = h.network().addConvolutionNd(*x, 16, Dims2{3, 3},
                Weights{DataType::kFLOAT, weights[static_cast<size_t>(i)].data(), 16 * 16 * 9},
                Weights{DataType::kFLOAT, weights[3].data(), 16});
            c->setPaddingNd(Dims2{1, 1});
            if (i == 2)
                c->setStrideNd(Dims2{2, 2});
            c->setName(names[i]);
            x = c->getOutput(0);
        }
        h.markOutput(x);
    }
    std::vector<std::vector<float>> weights;
};

//! The numbers of the builder's "tactic selection: ..." summary line.
struct Summary
{
    int timed{-1};
    int cached{-1};
    int runs{-1};
    int stopped{-1};
};

Summary summary(const kiln::test::CapturingLogger& logger)
{
    static const std::regex re("tactic selection: (\\d+) layer signatures timed, (\\d+) taken from the timing cache, (\\d+) tactic "
                               "runs, (\\d+) candidates stopped after their warm-up run");
    Summary s;
    std::smatch m;
    const std::string all = logger.all();
    if (std::regex_search(all, m, re))
    {
        s.timed = std::stoi(m[1]);
        s.cached = std::stoi(m[2]);
        s.runs = std::stoi(m[3]);
        s.stopped = std::stoi(m[4]);
    }
    return s;
}

//! "layer 'conv_a' (Convolution): candidate <tactic> <t> ms" lines of one layer.
std::vector<std::string> timedCandidates(const kiln::test::CapturingLogger& logger, const std::string& layer)
{
    const std::regex re("layer '" + layer + "' \\(Convolution\\): candidate (\\S+) [0-9.]+ ms");
    std::vector<std::string> out;
    const std::string all = logger.all();
    for (auto it = std::sregex_iterator(all.begin(), all.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

std::vector<uint8_t> serialized(ICudaEngine& engine)
{
    UniquePtr<IHostMemory> blob(engine.serialize());
    const auto* p = static_cast<const uint8_t*>(blob->data());
    return std::vector<uint8_t>(p, p + blob->size());
}

std::vector<uint8_t> bytesOf(const ITimingCache& cache)
{
    UniquePtr<IHostMemory> blob(cache.serialize());
    const auto* p = static_cast<const uint8_t*>(blob->data());
    return std::vector<uint8_t>(p, p + blob->size());
}

//! The engine's tactic for \p layer, from the inspector's JSON.
std::string chosenTactic(ICudaEngine& engine, const std::string& layer)
{
    std::unique_ptr<IEngineInspector> inspector(engine.createEngineInspector());
    const std::string json = inspector->getEngineInformation(LayerInformationFormat::kJSON);
    const std::regex re("\\{\"Name\":\"" + layer + "\",\"LayerType\":\"[A-Za-z]+\",\"TacticName\":\"([^\"]+)\"");
    std::smatch m;
    return std::regex_search(json, m, re) ? std::string(m[1]) : std::string();
}

TEST(TacticSelection, EveryCandidateIsTimedAndLoggedAndTheOutputMatches)
{
    NetworkHarness h;
    ConvChain net(h);
    NetworkHarness reference;
    ConvChain same(reference);
    setenv("KILN_TACTICS", "reference", 1);
    auto expected = reference.run();
    unsetenv("KILN_TACTICS");
    auto actual = h.run();
    ASSERT_EQ(actual.size(), 1u);
    ASSERT_EQ(expected.size(), 1u);
    std::vector<double> e(expected[0].f.begin(), expected[0].f.end());
    kiln::test::expectClose(actual[0], {1, 16, 10, 10}, e, 1e-4, 1e-5);
    const auto candidates = timedCandidates(h.logger(), "conv_a");
    EXPECT_GE(candidates.size(), 3u) << h.logger().all();
    EXPECT_NE(h.logger().all().find("layer 'conv_a' (Convolution): chose "), std::string::npos);
}

TEST(TacticSelection, TimingIterationsAreHonoured)
{
    for (const auto& [minIt, avgIt] : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}})
    {
        NetworkHarness h;
        ConvChain net(h);
        h.config().setMinTimingIterations(minIt);
        h.config().setAvgTimingIterations(avgIt);
        ASSERT_NE(h.build(), nullptr);
        // Every timed candidate runs once to warm up, then min × avg times, unless its warm-up
        // run already ruled it out.
        const size_t timed = timedCandidates(h.logger(), "conv_a").size() + timedCandidates(h.logger(), "conv_c").size();
        const Summary s = summary(h.logger());
        EXPECT_EQ(s.timed, 2); // conv_a (= conv_b) and conv_c
        ASSERT_GE(s.stopped, 0);
        EXPECT_EQ(static_cast<size_t>(s.runs), (timed - static_cast<size_t>(s.stopped)) * static_cast<size_t>(1 + minIt * avgIt)
                + static_cast<size_t>(s.stopped))
            << h.logger().all();
        // The reference convolution is far slower than the rest: ruled out after one run.
        EXPECT_GE(s.stopped, 2) << h.logger().all();
    }
}

TEST(TacticSelection, IdenticalLayersAreTimedOnceUnlessTheCacheIsDisabled)
{
    {
        NetworkHarness h;
        ConvChain net(h);
        ASSERT_NE(h.build(), nullptr);
        const Summary s = summary(h.logger());
        EXPECT_EQ(s.timed, 2);
        EXPECT_EQ(s.cached, 1); // conv_b reuses conv_a's times
    }
    {
        NetworkHarness h;
        ConvChain net(h);
        h.config().setFlag(BuilderFlag::kDISABLE_TIMING_CACHE);
        ASSERT_NE(h.build(), nullptr);
        const Summary s = summary(h.logger());
        EXPECT_EQ(s.timed, 3);
        EXPECT_EQ(s.cached, 0);
    }
}

TEST(TacticSelection, WorkspaceLimitExcludesTacticsAndNamesTheSmallestThatWorks)
{
    // With no workspace, only tactics that need none remain.
    {
        NetworkHarness h;
        ConvChain net(h);
        h.config().setMaxWorkspaceSize(0);
        ICudaEngine* engine = h.build();
        ASSERT_NE(engine, nullptr);
        std::unique_ptr<IEngineInspector> inspector(engine->createEngineInspector());
        const std::string json = inspector->getEngineInformation(LayerInformationFormat::kJSON);
        const std::regex nonzero("\"TacticName\":\"[^\"]+\",\"WorkspaceBytes\":[1-9]");
        EXPECT_FALSE(std::regex_search(json, nonzero)) << json;
    }
    // Only im2col + GEMM (which needs a workspace) for convolutions, and a limit below its need.
    {
        NetworkHarness h;
        ConvChain net(h);
        h.config().setMemoryPoolLimit(MemoryPoolType::kWORKSPACE, 16);
        h.logger().expectErrors();
        setenv("KILN_TACTICS", "im2col_gemm", 1);
        ICudaEngine* engine = h.build();
        unsetenv("KILN_TACTICS");
        EXPECT_EQ(engine, nullptr);
        const std::regex re("layer 'conv_a' \\(Convolution\\): no implementation fits the workspace limit of 16 bytes; "
                            "the smallest workspace that would work is (\\d+) bytes");
        std::smatch m;
        const std::string errors = h.logger().errors();
        ASSERT_TRUE(std::regex_search(errors, m, re)) << errors;
        const long needed = std::stol(m[1]);
        EXPECT_GT(needed, 16);
        // That much is enough.
        NetworkHarness ok;
        ConvChain again(ok);
        ok.config().setMemoryPoolLimit(MemoryPoolType::kWORKSPACE, static_cast<size_t>(needed));
        setenv("KILN_TACTICS", "im2col_gemm", 1);
        ICudaEngine* built = ok.build();
        unsetenv("KILN_TACTICS");
        ASSERT_NE(built, nullptr);
        EXPECT_NE(chosenTactic(*built, "conv_a").find("im2col_gemm"), std::string::npos);
    }
}

TEST(TimingCache, PersistentCacheIsUpdatedAndReused)
{
    NetworkHarness first;
    ConvChain net1(first);
    UniquePtr<ITimingCache> cache(first.config().createTimingCache(nullptr, 0));
    ASSERT_NE(cache, nullptr);
    const size_t emptySize = bytesOf(*cache).size();
    ASSERT_TRUE(first.config().setTimingCache(*cache, false));
    EXPECT_EQ(first.config().getTimingCache(), cache.get());
    ASSERT_NE(first.build(), nullptr);
    EXPECT_EQ(summary(first.logger()).timed, 2);
    const std::vector<uint8_t> bytes = bytesOf(*cache);
    EXPECT_GT(bytes.size(), emptySize);

    // A second builder with the cache loaded from bytes times nothing and builds the same engine.
    NetworkHarness second;
    ConvChain net2(second);
    UniquePtr<ITimingCache> loaded(second.config().createTimingCache(bytes.data(), bytes.size()));
    ASSERT_NE(loaded, nullptr);
    ASSERT_TRUE(second.config().setTimingCache(*loaded, false));
    second.setSerializeRoundTrip(false);
    first.setSerializeRoundTrip(false);
    ASSERT_NE(second.build(), nullptr);
    const Summary s = summary(second.logger());
    EXPECT_EQ(s.timed, 0);
    EXPECT_EQ(s.cached, 3);
    EXPECT_EQ(s.runs, 0);
    EXPECT_EQ(bytesOf(*loaded), bytes); // nothing new to store

    // reset() empties; combine() merges.
    UniquePtr<ITimingCache> other(second.config().createTimingCache(nullptr, 0));
    EXPECT_TRUE(other->combine(*loaded, false));
    EXPECT_EQ(bytesOf(*other), bytes);
    EXPECT_TRUE(other->reset());
    EXPECT_EQ(bytesOf(*other).size(), emptySize);
}

TEST(TimingCache, SameCacheGivesByteIdenticalEngines)
{
    for (ProfilingVerbosity verbosity : {ProfilingVerbosity::kDEFAULT, ProfilingVerbosity::kVERBOSE})
    {
        UniquePtr<ITimingCache> cache;
        std::vector<uint8_t> engines[2];
        for (int b = 0; b < 2; ++b)
        {
            NetworkHarness h;
            ConvChain net(h);
            if (!cache)
                cache.reset(h.config().createTimingCache(nullptr, 0));
            ASSERT_TRUE(h.config().setTimingCache(*cache, false));
            h.config().setProfilingVerbosity(verbosity);
            h.setSerializeRoundTrip(false);
            ICudaEngine* engine = h.build();
            ASSERT_NE(engine, nullptr);
            engines[b] = serialized(*engine);
        }
        EXPECT_EQ(engines[0], engines[1]) << "verbosity " << static_cast<int>(verbosity);
    }
}

TEST(TimingCache, ForeignOrCorruptCachesAreRefused)
{
    NetworkHarness h;
    ConvChain net(h);
    UniquePtr<ITimingCache> cache(h.config().createTimingCache(nullptr, 0));
    std::vector<uint8_t> bytes = bytesOf(*cache);

    // Garbage and damage.
    h.logger().expectErrors();
    const char junk[] = "not a timing cache at all";
    EXPECT_EQ(h.config().createTimingCache(junk, sizeof junk), nullptr);
    EXPECT_TRUE(h.logger().hasError("not a Kiln timing cache"));
    auto damaged = bytes;
    damaged[damaged.size() / 2] ^= 0x40;
    EXPECT_EQ(h.config().createTimingCache(damaged.data(), damaged.size()), nullptr);
    EXPECT_TRUE(h.logger().hasError("checksum"));
    EXPECT_EQ(h.config().createTimingCache(bytes.data(), 10), nullptr);
    EXPECT_EQ(h.config().createTimingCache(nullptr, 5), nullptr);

    // Another machine: the thread count in the header (i32 after the device name) differs. The
    // checksum is recomputed so only the verification header can refuse it.
    auto foreign = bytes;
    size_t at = 8 + 4; // magic, format version
    auto skipString = [&] {
        uint32_t n = 0;
        std::memcpy(&n, &foreign[at], 4);
        at += 4 + n;
    };
    skipString(); // kiln version
    at += 4;      // device kind
    skipString(); // arch
    at += 4;      // features
    skipString(); // device name
    foreign[at] ^= 0x7F;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i + 4 < foreign.size(); ++i)
    {
        crc ^= foreign[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xFFFFFFFFu;
    std::memcpy(&foreign[foreign.size() - 4], &crc, 4);
    UniquePtr<ITimingCache> alien(h.config().createTimingCache(foreign.data(), foreign.size()));
    ASSERT_NE(alien, nullptr);
    h.logger().clear();
    EXPECT_FALSE(h.config().setTimingCache(*alien, false));
    EXPECT_TRUE(h.logger().hasError("threads")) << h.logger().errors();
    EXPECT_EQ(h.config().getTimingCache(), nullptr);
    EXPECT_FALSE(cache->combine(*alien, false));
    EXPECT_TRUE(cache->combine(*alien, true));
    EXPECT_TRUE(h.config().setTimingCache(*alien, true));
    EXPECT_NE(h.build(), nullptr);
}

} // namespace
