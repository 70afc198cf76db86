// The engine file (serialize/engine_format.h): its checksum and byte reader, round trips of
// hand-built plans (fields, weights, determinism), and plans the reader must refuse with a reason.
#include "engine_test_plans.h"

namespace kiln::serialize::test
{
namespace
{

void expectSameDims(const Dims& a, const Dims& b)
{
    ASSERT_EQ(a.nbDims, b.nbDims);
    for (int32_t i = 0; i < a.nbDims; ++i)
        EXPECT_EQ(a.d[i], b.d[i]) << "axis " << i;
}

void expectSamePlan(const plan::EnginePlan& a, const plan::EnginePlan& b)
{
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.implicitBatch, b.implicitBatch);
    EXPECT_EQ(a.maxBatchSize, b.maxBatchSize);
    EXPECT_EQ(a.refittable, b.refittable);
    ASSERT_EQ(a.refit != nullptr, b.refit != nullptr);
    if (a.refit)
    {
        EXPECT_EQ(a.refit->optimizerDisabled, b.refit->optimizerDisabled);
        EXPECT_EQ(a.refit->disabledPasses, b.refit->disabledPasses);
        EXPECT_EQ(a.refit->stopAfterPass, b.refit->stopAfterPass);
        const ir::Graph& ga = *a.refit->network;
        const ir::Graph& gb = *b.refit->network;
        ASSERT_EQ(ga.layers.size(), gb.layers.size());
        ASSERT_EQ(ga.tensors.size(), gb.tensors.size());
        EXPECT_EQ(ga.inputs.size(), gb.inputs.size());
        EXPECT_EQ(ga.outputs.size(), gb.outputs.size());
        for (size_t i = 0; i < ga.layers.size(); ++i)
        {
            EXPECT_EQ(ga.layers[i]->name, gb.layers[i]->name);
            EXPECT_EQ(ga.layers[i]->kind(), gb.layers[i]->kind());
            EXPECT_EQ(ga.layers[i]->inputs.size(), gb.layers[i]->inputs.size());
        }
        const auto& ka = static_cast<const layers::ConstantParams&>(*ga.layers[1]->params);
        const auto& kb = static_cast<const layers::ConstantParams&>(*gb.layers[1]->params);
        ASSERT_EQ(ka.weights.count, kb.weights.count);
        EXPECT_EQ(0, std::memcmp(ka.weights.values, kb.weights.values, static_cast<size_t>(ka.weights.count) * 4));
    }
    EXPECT_EQ(a.arenaSize, b.arenaSize);
    EXPECT_EQ(a.maxWorkspaceSize, b.maxWorkspaceSize);
    EXPECT_EQ(a.device.describe(), b.device.describe());
    ASSERT_EQ(a.tensors.size(), b.tensors.size());
    for (size_t i = 0; i < a.tensors.size(); ++i)
    {
        EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
        EXPECT_EQ(a.tensors[i].type, b.tensors[i].type);
        EXPECT_EQ(a.tensors[i].arenaOffset, b.tensors[i].arenaOffset);
        EXPECT_EQ(a.tensors[i].maxBytes, b.tensors[i].maxBytes);
        EXPECT_EQ(a.tensors[i].isShapeTensor, b.tensors[i].isShapeTensor);
    }
    ASSERT_EQ(a.io.size(), b.io.size());
    for (size_t i = 0; i < a.io.size(); ++i)
    {
        EXPECT_EQ(a.io[i].tensor, b.io[i].tensor);
        EXPECT_EQ(a.io[i].isInput, b.io[i].isInput);
        expectSameDims(a.io[i].dims, b.io[i].dims);
    }
    ASSERT_EQ(a.profiles.size(), b.profiles.size());
    for (size_t p = 0; p < a.profiles.size(); ++p)
    {
        ASSERT_EQ(a.profiles[p].min.size(), b.profiles[p].min.size());
        for (size_t i = 0; i < a.profiles[p].min.size(); ++i)
        {
            expectSameDims(a.profiles[p].min[i], b.profiles[p].min[i]);
            expectSameDims(a.profiles[p].opt[i], b.profiles[p].opt[i]);
            expectSameDims(a.profiles[p].max[i], b.profiles[p].max[i]);
        }
    }
    ASSERT_EQ(a.layers.size(), b.layers.size());
    for (size_t i = 0; i < a.layers.size(); ++i)
    {
        const auto& la = a.layers[i];
        const auto& lb = b.layers[i];
        EXPECT_EQ(la.name, lb.name);
        EXPECT_EQ(la.tactic, lb.tactic);
        EXPECT_EQ(la.workspaceSize, lb.workspaceSize);
        EXPECT_EQ(la.sourceLayers, lb.sourceLayers);
        EXPECT_EQ(la.inputs, lb.inputs);
        EXPECT_EQ(la.outputs, lb.outputs);
        ASSERT_EQ(la.params->kind(), lb.params->kind());
        EXPECT_EQ(dumpFields(*la.params), dumpFields(*lb.params)) << la.name;
        const auto wa = weightsOf(*la.params);
        const auto wb = weightsOf(*lb.params);
        ASSERT_EQ(wa.size(), wb.size());
        for (size_t s = 0; s < wa.size(); ++s)
        {
            EXPECT_EQ(wa[s].type, wb[s].type);
            ASSERT_EQ(wa[s].count, wb[s].count);
            if (wa[s].count == 0)
            {
                EXPECT_EQ(wb[s].values, nullptr);
                continue;
            }
            const uint8_t* block = b.weights->data();
            const auto* v = static_cast<const uint8_t*>(wb[s].values);
            ASSERT_TRUE(v >= block && v < block + b.weights->size());
            EXPECT_EQ(0u, static_cast<uint64_t>(v - block) % 4);
            EXPECT_EQ(0, std::memcmp(wa[s].values, wb[s].values, static_cast<size_t>(wa[s].count) * 4)) << la.name;
        }
    }
}

TEST(EngineFormat, Crc32MatchesTheStandardAndContinues)
{
    const char* check = "123456789";
    EXPECT_EQ(crc32(check, 9), 0xCBF43926u);
    EXPECT_EQ(crc32(nullptr, 0), 0u);
    EXPECT_EQ(crc32(check + 4, 5, crc32(check, 4)), 0xCBF43926u);
    std::vector<uint8_t> data(1000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<uint8_t>(i * 131 + 7);
    for (size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 999})
    {
        uint32_t bitwise = 0xFFFFFFFFu;
        for (size_t i = 0; i < len; ++i)
        {
            bitwise ^= data[i];
            for (int k = 0; k < 8; ++k)
                bitwise = (bitwise & 1u) ? (bitwise >> 1) ^ 0xEDB88320u : bitwise >> 1;
        }
        EXPECT_EQ(crc32(data.data(), len), ~bitwise) << len;
    }
}

TEST(EngineFormat, ByteReaderIsBoundedAndSticky)
{
    const uint8_t bytes[] = {1, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0x7F};
    ByteReader r(bytes, sizeof(bytes), "test");
    EXPECT_EQ(r.u32(), 1u);
    EXPECT_FALSE(r.boolean());
    EXPECT_EQ(r.status().message(), "section 'test': byte 4 holds 2, a boolean must be 0 or 1");
    EXPECT_EQ(r.u32(), 0u);

    ByteReader c(bytes + 5, 4, "list");
    EXPECT_EQ(c.count(1), 0u); // 0x7FFFFFFF entries cannot fit in 0 bytes
    EXPECT_EQ(c.status().message(), "truncated: section 'list' needs at least 2147483647 bytes for 2147483647 entries, 0 left");

    ByteReader t(bytes, 6, "short");
    EXPECT_EQ(t.u32(), 1u);
    EXPECT_EQ(t.u64(), 0u);
    EXPECT_EQ(t.status().message(), "truncated: section 'short' needs 8 bytes, 2 left");
    EXPECT_EQ(t.str(), "");
    EXPECT_EQ(t.status().message(), "truncated: section 'short' needs 8 bytes, 2 left");
}

TEST(EngineFormat, ActivationPlanRoundTripsAndIsDeterministic)
{
    auto original = activationPlan();
    const auto bytes = writeEngine(*original);
    EXPECT_EQ(bytes, writeEngine(*original));
    auto copy = readOk(bytes);
    ASSERT_NE(copy, nullptr);
    expectSamePlan(*original, *copy);
    ASSERT_EQ(copy->weights->size(), 600u);
    EXPECT_EQ(0, std::memcmp(copy->weights->data(), original->weights->data(), 600));
    EXPECT_EQ(writeEngine(*copy), bytes);

    // Dims::type garbage and the weights block's address never reach the bytes.
    auto other = activationPlan();
    for (auto& io : other->io)
        std::fill(std::begin(io.dims.type), std::end(io.dims.type), nvinfer1::DimensionType::kSEQUENCE);
    EXPECT_EQ(writeEngine(*other), bytes);
}

TEST(EngineFormat, EveryLayerKindRoundTripsWithWeights)
{
    auto all = allKindsPlan();
    const auto bytes = writeEngine(*all.plan);
    EXPECT_EQ(bytes, writeEngine(*all.plan));
    auto copy = readOk(bytes);
    ASSERT_NE(copy, nullptr);
    expectSamePlan(*all.plan, *copy);
    // Weights inside the plan's block keep their offsets; the others are appended after it.
    EXPECT_GE(copy->weights->size(), all.plan->weights->size());
    EXPECT_EQ(0, std::memcmp(copy->weights->data(), all.plan->weights->data(), all.plan->weights->size()));
    for (size_t i = 0; i < copy->layers.size(); ++i)
    {
        const auto a = weightsOf(*all.plan->layers[i].params);
        const auto b = weightsOf(*copy->layers[i].params);
        for (size_t s = 0; s < a.size(); ++s)
        {
            const auto* va = static_cast<const uint8_t*>(a[s].values);
            const auto* vb = static_cast<const uint8_t*>(b[s].values);
            const bool inside = va >= all.plan->weights->data() && va < all.plan->weights->data() + all.plan->weights->size();
            if (inside)
            {
                EXPECT_EQ(va - all.plan->weights->data(), vb - copy->weights->data());
            }
            else if (vb)
            {
                EXPECT_EQ(0, (vb - copy->weights->data()) % 256);
            }
        }
    }
    EXPECT_EQ(writeEngine(*copy), writeEngine(*readOk(writeEngine(*copy))));
}

TEST(EngineFormat, InvalidPlansAreRejectedWithReasons)
{
    const auto check = [](const std::function<void(plan::EnginePlan&)>& change, const std::string& expected) {
        auto p = activationPlan();
        change(*p);
        const std::string error = readError(writeEngine(*p));
        EXPECT_NE(error.find(expected), std::string::npos) << "got: " << error;
    };
    check([](auto& p) { p.layers[1].inputs = {7}; }, "layer 1 ('sig', Activation): input 0: tensor index 7 out of range");
    check([](auto& p) { p.layers[0].inputs = {1}; }, "input 0 reads tensor 'a1' before any layer writes it");
    check([](auto& p) { p.layers[1].outputs = {1}; }, "output 0 writes tensor 'a1', which is already written");
    check([](auto& p) { p.layers[1].inputs.push_back(0); }, "2 inputs, the layer takes 1 to 1");
    check([](auto& p) { p.layers[0].params.reset(); }, "layer 0 ('relu'): unknown layer kind -1");
    check([](auto& p) { p.layers[0].tactic.clear(); }, "no tactic");
    check([](auto& p) { p.layers[1].workspaceSize = 65; }, "workspace of 65 bytes exceeds the engine's 64");
    check([](auto& p) { p.io[0].tensor = 3; }, "section 'io+profiles': binding 0: tensor index 3 out of range");
    check([](auto& p) { p.io[1].tensor = 0; }, "tensor 'x' is bound twice");
    check([](auto& p) { std::swap(p.io[0], p.io[1]); }, "binding 1: an input after an output");
    check([](auto& p) { p.io[0].dims.nbDims = 9; }, "binding 0 has nbDims 9, outside [-1, 8]");
    check([](auto& p) { p.profiles[0].max.pop_back(); }, "different numbers of min, opt and max dims");
    check([](auto& p) { p.profiles[0].min.clear(); }, "profile 0 lists 0 dims for 1 inputs and 1 outputs");
    check([](auto& p) { p.profiles[0].max[0] = dims({1, 3, 4}); },
        "profile 0 input 'x': min [1,3,4], opt [2,3,4], max [1,3,4] do not fit the binding's dims [-1,3,4]");
    check([](auto& p) { p.profiles[0].opt[0] = dims({2, 3, 5}); }, "opt [2,3,5]");
    check([](auto& p) { p.profiles[0].opt[0] = dims({2, 3}); }, "opt [2,3]");
    check([](auto& p) { p.tensors[1].arenaOffset = 400; }, "192 bytes at arena offset 400 lie outside the arena of 512");
    check([](auto& p) { p.tensors[0].type = static_cast<DataType>(9); }, "tensor 0 ('x'): unknown data type 9");
    check([](auto& p) { p.maxBatchSize = 0; }, "max batch size 0 is not positive");
    check(
        [](auto& p) {
            p.tensors.push_back(tensor("z"));
            p.io.push_back({3, false, dims({1})});
        },
        "section 'layers': output 'z' is never written");
}

struct FailingAllocator final : nvinfer1::IGpuAllocator
{
    void* allocate(uint64_t, uint64_t, uint32_t) noexcept override { return nullptr; }
    void free(void*) noexcept override {}
};

TEST(EngineFormat, WeightsAreValidatedAndAllocatedThroughTheAllocator)
{
    FailingAllocator failing;
    const auto bytes = writeEngine(*activationPlan());
    auto result = readEngine(bytes.data(), bytes.size(), backends::Allocator(&failing));
    ASSERT_FALSE(result.isOk());
    EXPECT_EQ(result.status().message(), "could not allocate 600 bytes for the engine weights");

    // A kind with weights, if one is complete: HALF weights and slots beyond the block are refused.
    auto all = allKindsPlan();
    for (auto& layer : all.plan->layers)
    {
        if (weightsOf(*layer.params).empty())
            continue;
        const auto setFirst = [&](ir::WeightsRef ref) {
            WeightsList set;
            set.fn = [&](size_t slot, ir::WeightsRef& w) {
                if (slot == 0)
                    w = ref;
            };
            layer.params->visitWeights(set);
            return readError(writeEngine(*all.plan));
        };
        uint8_t* block = all.plan->weights->data();
        EXPECT_NE(setFirst({DataType::kHALF, block, 4}).find("have type HALF"), std::string::npos);
        EXPECT_EQ(setFirst({DataType::kFLOAT, block + 1, 4}), "<no error>"); // misaligned: appended instead

        // Slot offsets that the writer never produces, patched into the file.
        setFirst({DataType::kFLOAT, block + 0x3A00, 5});
        const auto bytes = writeEngine(*all.plan);
        ByteWriter slot;
        slot.i32(0);
        slot.i64(5);
        slot.u64(0x3A00);
        const auto at = std::search(bytes.begin(), bytes.end(), slot.data(), slot.data() + slot.size());
        ASSERT_NE(at, bytes.end());
        const auto patched = [&](uint64_t offset) {
            auto bad = bytes;
            ByteWriter w;
            w.u64(offset);
            std::copy(w.data(), w.data() + 8, bad.begin() + (at - bytes.begin()) + 12);
            reseal(bad);
            return readError(bad);
        };
        EXPECT_EQ(patched(0x3A00), "<no error>");
        EXPECT_NE(patched(0x3A02).find("start at offset 14850, not a multiple of 4"), std::string::npos);
        const uint64_t blockSize = readOk(bytes)->weights->size();
        EXPECT_NE(patched(blockSize - 16).find("5 elements at offset " + std::to_string(blockSize - 16)
                      + " do not fit in the weights block of " + std::to_string(blockSize) + " bytes"),
            std::string::npos);
        EXPECT_NE(patched(~uint64_t(0) - 3).find("do not fit in the weights block"), std::string::npos);
        return;
    }
}

} // namespace
} // namespace kiln::serialize::test
