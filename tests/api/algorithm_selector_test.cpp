// IAlgorithmSelector (TRT_API.md §7.2) through the public API: contexts with unique names that are
// stable across builds, I/O counts and min/opt/max dims; choices with variants, per-I/O format, type
// and strides, timing and workspace; one selected choice is used; none selected means the default
// selection, or an error under kSTRICT_TYPES / kREJECT_EMPTY_ALGORITHMS; bad selections are errors;
// reportAlgorithms comes once per profile after that profile's selections; and replaying the
// reported choices (sampleAlgorithmSelector's record and replay) rebuilds a byte-identical engine.
#include "support/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::UniquePtr;

namespace
{

//! conv (3×3, 8→8) → relu → conv → pool on a dynamic-batch input; two profiles when asked.
struct SmallNet
{
    SmallNet(NetworkHarness& h, bool twoProfiles = false)
    {
        Rng rng(3);
        w1 = kiln::test::randomFloats(8 * 8 * 9, rng, -0.2f, 0.2f);
        w2 = kiln::test::randomFloats(8 * 8 * 9, rng, -0.2f, 0.2f);
        ITensor* x = h.network().addInput("x", DataType::kFLOAT, Dims4{-1, 8, 12, 12});
        IConvolutionLayer* c1 = h.network().addConvolutionNd(*x, 8, Dims2{3, 3}, {DataType::kFLOAT, w1.data(), 8 * 8 * 9}, {});
        c1->setName("conv1");
        c1->setPaddingNd(Dims2{1, 1});
        IActivationLayer* r = h.network().addActivation(*c1->getOutput(0), ActivationType::kRELU);
        r->setName("relu1");
        IConvolutionLayer* c2 = h.network().addConvolutionNd(*r->getOutput(0), 8, Dims2{3, 3}, {DataType::kFLOAT, w2.data(), 8 * 8 * 9}, {});
        c2->setName("conv2");
        IPoolingLayer* p = h.network().addPoolingNd(*c2->getOutput(0), PoolingType::kMAX, Dims2{2, 2});
        p->setStrideNd(Dims2{2, 2});
        p->setName("pool");
        h.network().markOutput(*p->getOutput(0));
        const int32_t maxBatch[2] = {2, 4};
        for (int k = 0; k < (twoProfiles ? 2 : 1); ++k)
        {
            IOptimizationProfile* profile = h.builder().createOptimizationProfile();
            profile->setDimensions("x", OptProfileSelector::kMIN, Dims4{1, 8, 12, 12});
            profile->setDimensions("x", OptProfileSelector::kOPT, Dims4{maxBatch[k], 8, 12, 12});
            profile->setDimensions("x", OptProfileSelector::kMAX, Dims4{maxBatch[k], 8, 12, 12});
            h.config().addOptimizationProfile(profile);
        }
    }
    std::vector<float> w1, w2;
};

//! One algorithm as sampleAlgorithmSelector records it.
struct Record
{
    int64_t implementation{0};
    int64_t tactic{0};
    std::vector<std::pair<int32_t, int32_t>> io; //!< (format, type) per input then output
    bool operator==(const Record& o) const { return implementation == o.implementation && tactic == o.tactic && io == o.io; }
};

Record recordOf(const IAlgorithm& a, int32_t nbIO)
{
    Record r;
    r.implementation = a.getAlgorithmVariant().getImplementation();
    r.tactic = a.getAlgorithmVariant().getTactic();
    for (int32_t j = 0; j < nbIO; ++j)
        r.io.emplace_back(static_cast<int32_t>(a.getAlgorithmIOInfo(j).getTensorFormat()), static_cast<int32_t>(a.getAlgorithmIOInfo(j).getDataType()));
    return r;
}

//! Records everything it sees; selects according to a policy.
class Recorder : public IAlgorithmSelector
{
public:
    enum class Policy
    {
        kNone,    //!< select nothing
        kAll,     //!< select every choice
        kSlowest, //!< exactly one: the slowest choice (so the default is overridden)
        kReplay,  //!< exactly the recorded choice
        kBadIndex //!< an index out of range
    };
    explicit Recorder(Policy policy)
        : mPolicy(policy)
    {
    }

    int32_t selectAlgorithms(const IAlgorithmContext& context, const IAlgorithm* const* choices, int32_t nbChoices,
        int32_t* selection) override
    {
        const std::string name = context.getName();
        events.push_back("select " + name);
        const int32_t nbIO = context.getNbInputs() + context.getNbOutputs();
        ioCounts[name] = {context.getNbInputs(), context.getNbOutputs()};
        minDims[name] = context.getDimensions(0, OptProfileSelector::kMIN);
        maxDims[name] = context.getDimensions(0, OptProfileSelector::kMAX);
        nbChoicesSeen[name] = nbChoices;
        for (int32_t i = 0; i < nbChoices; ++i)
        {
            const IAlgorithm& a = *choices[i];
            EXPECT_GE(a.getTimingMSec(), 0.f);
            EXPECT_EQ(a.getAlgorithmIOInfoByIndex(nbIO), nullptr);
            for (int32_t j = 0; j < nbIO; ++j)
            {
                const IAlgorithmIOInfo* info = a.getAlgorithmIOInfoByIndex(j);
                EXPECT_NE(info, nullptr);
                if (info)
                {
                    EXPECT_EQ(info->getTensorFormat(), TensorFormat::kLINEAR);
                    EXPECT_EQ(info->getDataType(), DataType::kFLOAT);
                    const Dims s = info->getStrides();
                    EXPECT_EQ(s.d[s.nbDims - 1], 1) << name;
                }
            }
            workspaces[name].push_back(a.getWorkspaceSize());
        }
        switch (mPolicy)
        {
        case Policy::kNone: return 0;
        case Policy::kAll:
            for (int32_t i = 0; i < nbChoices; ++i)
                selection[i] = i;
            return nbChoices;
        case Policy::kSlowest:
        {
            int32_t slowest = 0;
            for (int32_t i = 1; i < nbChoices; ++i)
                if (choices[i]->getTimingMSec() > choices[slowest]->getTimingMSec())
                    slowest = i;
            selection[0] = slowest;
            forced[name] = recordOf(*choices[slowest], nbIO);
            return 1;
        }
        case Policy::kReplay:
        {
            auto it = replay.find(name);
            EXPECT_NE(it, replay.end()) << "node '" << name << "' was not in the recorded build";
            int32_t matches = 0;
            for (int32_t i = 0; i < nbChoices && it != replay.end(); ++i)
                if (recordOf(*choices[i], nbIO) == it->second)
                {
                    selection[0] = i;
                    ++matches;
                }
            EXPECT_EQ(matches, 1) << "node '" << name << "'";
            return matches == 1 ? 1 : 0;
        }
        case Policy::kBadIndex: selection[0] = nbChoices; return 1;
        }
        return 0;
    }

    void reportAlgorithms(const IAlgorithmContext* const* contexts, const IAlgorithm* const* choices, int32_t nb) override
    {
        events.push_back("report " + std::to_string(nb));
        std::map<std::string, Record> report;
        for (int32_t i = 0; i < nb; ++i)
            report[contexts[i]->getName()] = recordOf(*choices[i], contexts[i]->getNbInputs() + contexts[i]->getNbOutputs());
        reports.push_back(report);
    }

    Policy mPolicy;
    std::vector<std::string> events;
    std::map<std::string, std::pair<int32_t, int32_t>> ioCounts;
    std::map<std::string, Dims> minDims, maxDims;
    std::map<std::string, int32_t> nbChoicesSeen;
    std::map<std::string, std::vector<size_t>> workspaces;
    std::map<std::string, Record> forced;
    std::map<std::string, Record> replay;
    std::vector<std::map<std::string, Record>> reports;
};

std::vector<uint8_t> serialized(ICudaEngine& engine)
{
    UniquePtr<IHostMemory> blob(engine.serialize());
    const auto* p = static_cast<const uint8_t*>(blob->data());
    return std::vector<uint8_t>(p, p + blob->size());
}

TEST(AlgorithmSelector, ContextsAndChoicesDescribeTheNodes)
{
    NetworkHarness h;
    SmallNet net(h);
    Recorder selector(Recorder::Policy::kNone);
    h.config().setAlgorithmSelector(&selector);
    EXPECT_EQ(h.config().getAlgorithmSelector(), &selector);
    ASSERT_NE(h.build(), nullptr);
    // Every node once, then one report naming every node.
    ASSERT_FALSE(selector.events.empty());
    EXPECT_EQ(selector.events.back(), "report " + std::to_string(selector.events.size() - 1));
    std::set<std::string> names;
    for (size_t i = 0; i + 1 < selector.events.size(); ++i)
    {
        ASSERT_EQ(selector.events[i].rfind("select ", 0), 0u);
        EXPECT_TRUE(names.insert(selector.events[i].substr(7)).second) << "duplicate context " << selector.events[i];
    }
    ASSERT_EQ(selector.reports.size(), 1u);
    EXPECT_EQ(selector.reports[0].size(), names.size());
    // The first convolution: one input, one output, batch 1..2, several candidates.
    std::string conv;
    for (const auto& n : names)
        if (n.find("conv1") != std::string::npos)
            conv = n;
    ASSERT_FALSE(conv.empty());
    EXPECT_EQ(selector.ioCounts[conv], std::make_pair(1, 1));
    EXPECT_EQ(selector.minDims[conv].d[0], 1);
    EXPECT_EQ(selector.maxDims[conv].d[0], 2);
    EXPECT_GE(selector.nbChoicesSeen[conv], 3);
}

TEST(AlgorithmSelector, NamesAreStableAcrossBuilds)
{
    std::vector<std::string> runs[2];
    for (int b = 0; b < 2; ++b)
    {
        NetworkHarness h;
        SmallNet net(h);
        Recorder selector(Recorder::Policy::kAll);
        h.config().setAlgorithmSelector(&selector);
        ASSERT_NE(h.build(), nullptr);
        for (const auto& [name, r] : selector.reports.at(0))
            runs[b].push_back(name + " " + std::to_string(selector.ioCounts[name].first) + "/" + std::to_string(selector.ioCounts[name].second));
    }
    EXPECT_EQ(runs[0], runs[1]);
}

TEST(AlgorithmSelector, OneSelectedChoiceIsUsed)
{
    NetworkHarness h;
    SmallNet net(h);
    Recorder selector(Recorder::Policy::kSlowest);
    h.config().setAlgorithmSelector(&selector);
    ASSERT_NE(h.build(), nullptr);
    ASSERT_EQ(selector.reports.size(), 1u);
    for (const auto& [name, record] : selector.forced)
        EXPECT_TRUE(selector.reports[0].at(name) == record) << name;
}

TEST(AlgorithmSelector, EmptySelectionIsTheDefaultUnlessStrict)
{
    for (BuilderFlag flag : {BuilderFlag::kSTRICT_TYPES, BuilderFlag::kREJECT_EMPTY_ALGORITHMS})
    {
        NetworkHarness h;
        SmallNet net(h);
        Recorder selector(Recorder::Policy::kNone);
        h.config().setAlgorithmSelector(&selector);
        h.config().setFlag(flag);
        h.logger().expectErrors();
        EXPECT_EQ(h.build(), nullptr);
        EXPECT_TRUE(h.logger().hasError("selected no algorithm")) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError("layer '")) << h.logger().errors();
    }
}

TEST(AlgorithmSelector, AnIndexOutOfRangeIsAnError)
{
    NetworkHarness h;
    SmallNet net(h);
    Recorder selector(Recorder::Policy::kBadIndex);
    h.config().setAlgorithmSelector(&selector);
    h.logger().expectErrors();
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("outside [0, ")) << h.logger().errors();
}

TEST(AlgorithmSelector, OneReportPerProfileAfterItsSelections)
{
    NetworkHarness h;
    SmallNet net(h, true);
    Recorder selector(Recorder::Policy::kAll);
    h.config().setAlgorithmSelector(&selector);
    ASSERT_NE(h.build(), nullptr);
    ASSERT_EQ(selector.reports.size(), 2u);
    std::vector<size_t> reportAt;
    for (size_t i = 0; i < selector.events.size(); ++i)
        if (selector.events[i].rfind("report", 0) == 0)
            reportAt.push_back(i);
    ASSERT_EQ(reportAt.size(), 2u);
    EXPECT_EQ(reportAt[1], selector.events.size() - 1);
    const size_t perProfile = reportAt[0];
    EXPECT_EQ(reportAt[1], 2 * perProfile + 1);
    EXPECT_EQ(selector.reports[0].size(), perProfile);
    EXPECT_EQ(selector.reports[1].size(), perProfile);
}

//! Builds SmallNet with \p selector; returns the engine file.
std::vector<uint8_t> buildWith(Recorder& selector, bool twoProfiles)
{
    NetworkHarness h;
    SmallNet net(h, twoProfiles);
    h.config().setAlgorithmSelector(&selector);
    h.setSerializeRoundTrip(false);
    ICudaEngine* engine = h.build();
    EXPECT_NE(engine, nullptr);
    return engine ? serialized(*engine) : std::vector<uint8_t>{};
}

TEST(AlgorithmSelector, ReplayingReportedChoicesRebuildsTheSameEngine)
{
    // Build 1 records the default (timed) choices; build 2 forces them (re-timing on the way, as
    // TensorRT does) and must produce the same file and report the same choices.
    Recorder writer(Recorder::Policy::kAll);
    const std::vector<uint8_t> first = buildWith(writer, false);
    ASSERT_EQ(writer.reports.size(), 1u);
    Recorder reader(Recorder::Policy::kReplay);
    reader.replay = writer.reports[0];
    const std::vector<uint8_t> second = buildWith(reader, false);
    ASSERT_EQ(reader.reports.size(), 1u);
    EXPECT_TRUE(reader.reports[0] == writer.reports[0]);
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, second);
}

TEST(AlgorithmSelector, ReplayAppliesToEveryProfile)
{
    Recorder writer(Recorder::Policy::kAll);
    buildWith(writer, true);
    ASSERT_EQ(writer.reports.size(), 2u);
    // Force profile 0's choices everywhere: both profiles report them, and two such builds agree.
    Recorder reader(Recorder::Policy::kReplay), again(Recorder::Policy::kReplay);
    reader.replay = again.replay = writer.reports[0];
    const std::vector<uint8_t> a = buildWith(reader, true);
    const std::vector<uint8_t> b = buildWith(again, true);
    ASSERT_EQ(reader.reports.size(), 2u);
    EXPECT_TRUE(reader.reports[0] == writer.reports[0]);
    EXPECT_TRUE(reader.reports[1] == writer.reports[0]);
    EXPECT_EQ(a, b);
}

} // namespace
