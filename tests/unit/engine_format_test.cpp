// The engine file (serialize/engine_format.h): round trips of hand-built plans, determinism, and a
// corruption sweep (every truncation, a bit flip at every byte, foreign versions and devices) that
// must always end in an error naming what is wrong, never in a crash.
#include "NvInferVersion.h"
#include "backends/backend.h"
#include "layers/activation.h"
#include "serialize/byte_io.h"
#include "serialize/engine_format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <random>

namespace kiln::serialize
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;

Dims dims(std::initializer_list<int32_t> extents)
{
    Dims d{};
    d.nbDims = static_cast<int32_t>(extents.size());
    int32_t i = 0;
    for (int32_t e : extents)
    {
        d.type[i] = static_cast<nvinfer1::DimensionType>(0x5A5A5A5A + i); // garbage the file must ignore
        d.d[i++] = e;
    }
    return d;
}

std::unique_ptr<plan::WeightsBlock> patternBlock(uint64_t size)
{
    auto block = std::make_unique<plan::WeightsBlock>(backends::Allocator(), size);
    for (uint64_t i = 0; i < size; ++i)
        block->data()[i] = static_cast<uint8_t>(i * 37 + 11);
    return block;
}

plan::PlanTensor tensor(std::string name, int64_t arenaOffset = -1, int64_t maxBytes = 192)
{
    plan::PlanTensor t;
    t.name = std::move(name);
    t.arenaOffset = arenaOffset;
    t.maxBytes = maxBytes;
    return t;
}

plan::PlanLayer activation(std::string name, nvinfer1::ActivationType type, float alpha, float beta, int32_t in, int32_t out)
{
    auto params = std::make_unique<layers::ActivationParams>();
    params->type = type;
    params->alpha = alpha;
    params->beta = beta;
    plan::PlanLayer layer;
    layer.name = std::move(name);
    layer.params = std::move(params);
    layer.inputs = {in};
    layer.outputs = {out};
    layer.tactic = "activation.cpu.reference";
    layer.sourceLayers = {layer.name};
    return layer;
}

//! x -> relu -> sigmoid -> y, with a 600-byte weights block no layer references.
std::unique_ptr<plan::EnginePlan> activationPlan()
{
    auto p = std::make_unique<plan::EnginePlan>();
    p->name = "activation-chain";
    p->maxBatchSize = 4;
    p->refittable = true;
    p->device = backends::cpuDevice().fingerprint();
    p->tensors = {tensor("x"), tensor("a1", 256, 192), tensor("y")};
    p->tensors[2].isShapeTensor = true;
    p->layers.push_back(activation("relu", nvinfer1::ActivationType::kRELU, 0.f, 0.f, 0, 1));
    p->layers.push_back(activation("sig", nvinfer1::ActivationType::kSCALED_TANH, 0.5f, -1.25f, 1, 2));
    p->layers[1].workspaceSize = 64;
    p->layers[1].sourceLayers = {"sig", "fused-away"};
    p->io = {{0, true, dims({-1, 3, 4})}, {2, false, dims({-1, 3, 4})}};
    plan::PlanProfile profile;
    profile.min = {dims({1, 3, 4}), dims({})};
    profile.opt = {dims({2, 3, 4}), dims({})};
    profile.max = {dims({4, 3, 4}), dims({})};
    p->profiles.push_back(profile);
    p->weights = patternBlock(600);
    p->arenaSize = 512;
    p->maxWorkspaceSize = 64;
    return p;
}

//! "name=value;" for every field, floats by bit pattern, so equal strings mean equal fields.
class FieldDump final : public ir::FieldVisitor
{
public:
    std::string out;
    void visit(const char* n, int32_t& v) override { out += std::string(n) + "=" + std::to_string(v) + ";"; }
    void visit(const char* n, float& v) override
    {
        uint32_t bits = 0;
        std::memcpy(&bits, &v, 4);
        out += std::string(n) + "=f" + std::to_string(bits) + ";";
    }
    void visit(const char* n, bool& v) override { out += std::string(n) + (v ? "=T;" : "=F;"); }
    void visit(const char* n, Dims& v) override
    {
        out += std::string(n) + "=[" + std::to_string(v.nbDims) + ":";
        for (int32_t i = 0; i < std::max(v.nbDims, 0); ++i)
            out += std::to_string(v.d[i]) + ",";
        out += "];";
    }
    void visit(const char* n, std::vector<int32_t>& v) override
    {
        out += std::string(n) + "={";
        for (int32_t x : v)
            out += std::to_string(x) + ",";
        out += "};";
    }
    void visit(const char* n, std::vector<float>& v) override
    {
        out += std::string(n) + "={";
        for (float x : v)
        {
            uint32_t bits = 0;
            std::memcpy(&bits, &x, 4);
            out += std::to_string(bits) + ",";
        }
        out += "};";
    }
};

std::string dumpFields(const ir::LayerParams& p)
{
    FieldDump d;
    p.visitFieldsConst(d);
    return d.out;
}

//! Fills every field with a value derived from \p seed and the field's position (never a default).
class FieldFiller final : public ir::FieldVisitor
{
public:
    explicit FieldFiller(int32_t seed)
        : mN(seed)
    {
    }
    void visit(const char*, int32_t& v) override { v = ++mN % 3 + 1; }
    void visit(const char*, float& v) override { v = 0.375f * static_cast<float>(++mN) - 2.f; }
    void visit(const char*, bool& v) override { v = (++mN % 2) == 1; }
    void visit(const char*, Dims& v) override
    {
        v = Dims{};
        v.nbDims = ++mN % 5;
        for (int32_t i = 0; i < v.nbDims; ++i)
            v.d[i] = i + mN % 7;
    }
    void visit(const char*, std::vector<int32_t>& v) override
    {
        ++mN;
        v.assign(static_cast<size_t>(mN % 4), -mN);
    }
    void visit(const char*, std::vector<float>& v) override
    {
        ++mN;
        v.assign(static_cast<size_t>(mN % 4), 0.5f * static_cast<float>(mN));
    }

private:
    int32_t mN;
};

class WeightsList final : public ir::WeightsVisitor
{
public:
    std::function<void(size_t, ir::WeightsRef&)> fn;
    size_t n{0};
    void visit(const char*, int32_t, ir::WeightsRef& w) override { fn(n++, w); }
};

std::vector<ir::WeightsRef> weightsOf(const ir::LayerParams& p)
{
    std::vector<ir::WeightsRef> refs;
    WeightsList list;
    list.fn = [&](size_t, ir::WeightsRef& w) { refs.push_back(w); };
    p.visitWeightsConst(list);
    return refs;
}

std::unique_ptr<plan::EnginePlan> readOk(const std::vector<uint8_t>& bytes)
{
    auto result = readEngine(bytes.data(), bytes.size(), backends::Allocator());
    EXPECT_TRUE(result.isOk()) << result.status().message();
    return result.isOk() ? std::move(result.value()) : nullptr;
}

std::string readError(const std::vector<uint8_t>& bytes)
{
    auto result = readEngine(bytes.data(), bytes.size(), backends::Allocator());
    return result.isOk() ? "<no error>" : result.status().message();
}

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

//! One layer of every kind, fields filled, weights alternately inside the block and outside it.
struct AllKindsPlan
{
    std::unique_ptr<plan::EnginePlan> plan;
    std::vector<std::vector<float>> outside; //!< weights that live outside the block
};

AllKindsPlan allKindsPlan()
{
    AllKindsPlan all;
    all.plan = activationPlan();
    auto& p = *all.plan;
    p.weights = patternBlock(16 * 1024);
    uint64_t nextOffset = 1024;
    for (int32_t k = 0; k < ir::kLayerKindCount; ++k)
    {
        plan::PlanLayer layer;
        layer.params = ir::makeParams(static_cast<ir::LayerKind>(k));
        layer.name = std::string("kind") + ir::layerKindName(layer.params->kind());
        layer.tactic = "any.cpu.reference";
        FieldFiller filler(k * 13);
        layer.params->visitFields(filler);
        WeightsList assign;
        assign.fn = [&](size_t slot, ir::WeightsRef& w) {
            const int64_t count = static_cast<int64_t>(5 + slot + static_cast<size_t>(k));
            if (slot == 1)
                w = ir::WeightsRef{DataType::kINT32, nullptr, 0};
            else if ((k + slot) % 2 == 0)
            {
                w = ir::WeightsRef{slot == 2 ? DataType::kINT32 : DataType::kFLOAT, p.weights->data() + nextOffset, count};
                nextOffset += 256 * (1 + slot);
            }
            else
            {
                all.outside.emplace_back(static_cast<size_t>(count), 0.25f * static_cast<float>(k));
                w = ir::WeightsRef{DataType::kFLOAT, all.outside.back().data(), count};
            }
        };
        layer.params->visitWeights(assign);
        for (int32_t i = 0; i < layer.params->minInputs(); ++i)
            layer.inputs.push_back(0);
        if (layer.params->maxInputs() > layer.params->minInputs())
            layer.inputs.push_back(plan::kNoTensor);
        for (int32_t i = 0; i < layer.params->nbOutputs(); ++i)
        {
            layer.outputs.push_back(static_cast<int32_t>(p.tensors.size()));
            p.tensors.push_back(tensor(layer.name + ":" + std::to_string(i)));
        }
        p.layers.push_back(std::move(layer));
    }
    return all;
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

// The file's structure, found from the documented layout (a second reading of the format). Stops
// at the first section that does not fit, so it also maps damaged files.
struct FileMap
{
    size_t headerSize{0};
    std::vector<std::pair<size_t, size_t>> sections; //!< [frame start, end)
};

FileMap mapFile(const std::vector<uint8_t>& bytes)
{
    FileMap map;
    ByteReader r(bytes.data(), bytes.size(), "map");
    r.bytes(kHeaderSizeOffset);
    map.headerSize = r.u32();
    size_t at = map.headerSize;
    for (uint32_t i = 0; i < kNbSections && at <= bytes.size(); ++i)
    {
        ByteReader f(bytes.data() + at, bytes.size() - at, "frame");
        f.u32();
        const uint64_t length = f.u64();
        if (!f.ok() || length > bytes.size() - at - kSectionFrameSize)
            break;
        map.sections.emplace_back(at, at + kSectionFrameSize + length);
        at += kSectionFrameSize + length;
    }
    return map;
}

//! Recomputes every checksum, so that only the checks after them can catch a change.
void reseal(std::vector<uint8_t>& bytes)
{
    const FileMap map = mapFile(bytes);
    auto put = [&](size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
    };
    if (map.headerSize >= 20 && map.headerSize <= bytes.size())
        put(map.headerSize - 4, crc32(bytes.data(), map.headerSize - 4));
    for (const auto& [begin, end] : map.sections)
        put(begin + 12, crc32(bytes.data() + begin + 16, end - begin - 16, crc32(bytes.data() + begin, 12)));
}

TEST(EngineFormat, EveryTruncationIsReported)
{
    const auto bytes = writeEngine(*allKindsPlan().plan);
    const size_t weightsAt = mapFile(bytes).sections[4].first + kSectionFrameSize;
    for (size_t len = 0; len < bytes.size(); len += (len < weightsAt ? 1 : 61))
    {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len));
        const std::string error = readError(cut);
        ASSERT_EQ(error.rfind("truncated: section '", 0), 0u) << "length " << len << ": " << error;
    }
    EXPECT_EQ(readError({}), "truncated: section 'header' needs 8 bytes, 0 left");
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(readError(longer), "1 unexpected bytes after the last section");
}

TEST(EngineFormat, EveryFlippedByteIsReported)
{
    const auto bytes = writeEngine(*allKindsPlan().plan);
    const FileMap map = mapFile(bytes);
    ASSERT_EQ(map.sections.size(), kNbSections);
    ASSERT_EQ(map.sections.back().second, bytes.size());
    const size_t weightsAt = map.sections[4].first + kSectionFrameSize;
    for (size_t i = 0; i < bytes.size(); i += (i < weightsAt || i + 8 > bytes.size() ? 1 : 61))
    {
        for (uint8_t mask : {uint8_t(1u << (i % 8)), uint8_t(0xFF)})
        {
            auto bad = bytes;
            bad[i] ^= mask;
            const std::string error = readError(bad);
            std::string where = "section 'header'";
            for (uint32_t s = 0; s < kNbSections; ++s)
            {
                if (i >= map.sections[s].first && i < map.sections[s].second)
                    where = std::string("section '") + sectionName(kSectionOrder[s]) + "'";
            }
            if (i < 8)
            {
                EXPECT_EQ(error, "not a Kiln engine file (bad magic)") << i;
            }
            else if (i < 12)
            {
                EXPECT_EQ(error.rfind("engine format version ", 0), 0u) << i << ": " << error;
            }
            else
            {
                // Header size and section lengths may also read as a truncation.
                const bool named = error.find(where) != std::string::npos;
                const bool checksum = error.rfind("checksum mismatch in ", 0) == 0;
                const bool truncated = error.rfind("truncated: ", 0) == 0 || error.find("too small") != std::string::npos;
                EXPECT_TRUE(named && (checksum || truncated))
                    << i << ": " << error;
            }
        }
    }
}

TEST(EngineFormat, ResealedMutationsAreRejectedOrCanonical)
{
    // Checksums recomputed after each change, so the checks behind them see the damage.
    const auto bytes = writeEngine(*allKindsPlan().plan);
    const size_t end = mapFile(bytes).sections[4].first + kSectionFrameSize;
    std::mt19937 rng(20240611);
    const uint8_t kValues[] = {0, 1, 0x7F, 0x80, 0xFF};
    int accepted = 0;
    for (int iteration = 0; iteration < 2000; ++iteration)
    {
        auto bad = bytes;
        for (int k = 0; k <= iteration % 3; ++k)
        {
            const size_t at = 16 + rng() % (end - 16);
            const uint32_t pick = rng() % 8;
            bad[at] = pick < 5 ? kValues[pick] : pick == 5 ? static_cast<uint8_t>(bad[at] + 1) : static_cast<uint8_t>(rng());
        }
        reseal(bad);
        auto result = readEngine(bad.data(), bad.size(), backends::Allocator());
        if (result.isOk())
        {
            ++accepted;
            ASSERT_EQ(writeEngine(*result.value()), bad) << "iteration " << iteration; // one encoding per plan
        }
        else
            ASSERT_FALSE(result.status().message().empty());
    }
    EXPECT_GT(accepted, 0);
}

TEST(EngineFormat, ForeignVersionsAndDevicesAreNamed)
{
    auto p = activationPlan();
    const auto bytes = writeEngine(*p);
    auto bad = bytes;
    bad[0] = 'X';
    EXPECT_EQ(readError(bad), "not a Kiln engine file (bad magic)");
    EXPECT_EQ(readError({'K', 'I', 'L'}), "truncated: section 'header' needs 8 bytes, 3 left");

    bad = bytes;
    bad[8] = 3;
    EXPECT_EQ(readError(bad), "engine format version 3, this Kiln reads version 1");
    reseal(bad);
    EXPECT_EQ(readError(bad), "engine format version 3, this Kiln reads version 1");

    // Another Kiln version of the same length, checksums recomputed.
    bad = bytes;
    const std::string version = KILN_VERSION_STRING;
    ASSERT_EQ(0, std::memcmp(bad.data() + 20, version.data(), version.size()));
    bad[20 + version.size() - 1] ^= 0x01;
    const std::string other(reinterpret_cast<const char*>(bad.data()) + 20, version.size());
    EXPECT_EQ(readError(bad), "checksum mismatch in section 'header'");
    reseal(bad);
    EXPECT_EQ(readError(bad), "built by Kiln " + other + ", this is Kiln " + version);

    const auto foreign = [&](const std::function<void(backends::DeviceFingerprint&)>& change) {
        auto plan = activationPlan();
        change(plan->device);
        const std::string error = readError(writeEngine(*plan));
        EXPECT_EQ(error.rfind("built for " + plan->device.describe() + ": ", 0), 0u) << error;
        return error;
    };
    EXPECT_NE(foreign([](auto& d) { d.kind = backends::DeviceKind::kCUDA; }).find("CUDA"), std::string::npos);
    EXPECT_NE(foreign([](auto& d) { d.arch = "aarch64"; }).find("'aarch64'"), std::string::npos);
    EXPECT_NE(foreign([](auto& d) { d.features = 0xFFFFFFFFu; }).find("lacks"), std::string::npos);
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
} // namespace kiln::serialize
