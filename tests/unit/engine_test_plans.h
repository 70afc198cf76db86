// Hand-built engine plans and file helpers for the engine-file tests (engine_format_test.cpp,
// engine_corruption_test.cpp): an Activation chain, a plan with one layer of every kind (fields
// filled, weights inside and outside the block), field dumps for comparison, and a map of a file's
// header and sections read from the documented layout, used to recompute checksums after a change.
#pragma once

#include "backends/backend.h"
#include "layers/activation.h"
#include "layers/constant.h"
#include "layers/element_wise.h"
#include "layers/pointwise_chain.h"
#include "serialize/byte_io.h"
#include "serialize/engine_format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace kiln::serialize::test
{

using nvinfer1::DataType;
using nvinfer1::Dims;

inline Dims dims(std::initializer_list<int32_t> extents)
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

inline std::unique_ptr<plan::WeightsBlock> patternBlock(uint64_t size)
{
    auto block = std::make_unique<plan::WeightsBlock>(backends::Allocator(), size);
    for (uint64_t i = 0; i < size; ++i)
        block->data()[i] = static_cast<uint8_t>(i * 37 + 11);
    return block;
}

inline plan::PlanTensor tensor(std::string name, int64_t arenaOffset = -1, int64_t maxBytes = 192)
{
    plan::PlanTensor t;
    t.name = std::move(name);
    t.arenaOffset = arenaOffset;
    t.maxBytes = maxBytes;
    return t;
}

inline plan::PlanLayer activation(std::string name, nvinfer1::ActivationType type, float alpha, float beta, int32_t in, int32_t out)
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
inline std::unique_ptr<plan::EnginePlan> activationPlan()
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
    // A refittable engine keeps its network: x -> relu -> + constant -> y.
    p->refit = std::make_shared<plan::RefitRecipe>();
    auto network = std::make_shared<ir::Graph>();
    ir::Tensor* x = network->addInput("x", DataType::kFLOAT, dims({-1, 3, 4}));
    auto relu = std::make_unique<layers::ActivationParams>();
    relu->type = nvinfer1::ActivationType::kRELU;
    ir::Tensor* r = network->addLayer("relu", std::move(relu), {x})->outputs[0];
    auto c = std::make_unique<layers::ConstantParams>();
    c->dims = dims({1, 3, 4});
    c->weights = network->ownWeights(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    ir::Tensor* k = network->addLayer("k", std::move(c), {})->outputs[0];
    auto add = std::make_unique<layers::ElementWiseParams>();
    add->operation = nvinfer1::ElementWiseOperation::kSUM;
    network->markOutput(network->addLayer("add", std::move(add), {r, k})->outputs[0]);
    p->refit->network = network;
    p->refit->disabledPasses = {"layout_choice"};
    p->refit->stopAfterPass = 3;
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

inline std::string dumpFields(const ir::LayerParams& p)
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

inline std::vector<ir::WeightsRef> weightsOf(const ir::LayerParams& p)
{
    std::vector<ir::WeightsRef> refs;
    WeightsList list;
    list.fn = [&](size_t, ir::WeightsRef& w) { refs.push_back(w); };
    p.visitWeightsConst(list);
    return refs;
}

inline std::unique_ptr<plan::EnginePlan> readOk(const std::vector<uint8_t>& bytes)
{
    auto result = readEngine(bytes.data(), bytes.size(), backends::Allocator());
    EXPECT_TRUE(result.isOk()) << result.status().message();
    return result.isOk() ? std::move(result.value()) : nullptr;
}

inline std::string readError(const std::vector<uint8_t>& bytes)
{
    auto result = readEngine(bytes.data(), bytes.size(), backends::Allocator());
    return result.isOk() ? "<no error>" : result.status().message();
}

//! One layer of every kind, fields filled, weights alternately inside the block and outside it.
//! Every LayerKind of ir/layer_kinds.def is included, the engine-only ones (PointwiseChain, made by
//! the optimizer) too; a PointwiseChain gets a real two-step program on top of the filled fields.
struct AllKindsPlan
{
    std::unique_ptr<plan::EnginePlan> plan;
    std::vector<std::vector<float>> outside; //!< weights that live outside the block
};

inline AllKindsPlan allKindsPlan()
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
        if (layer.params->kind() == ir::LayerKind::kPointwiseChain)
        {
            auto& chain = static_cast<layers::PointwiseChainParams&>(*layer.params);
            chain.append({layers::PointwiseStepKind::kActivation, 6, 0, 0.25f, -1.5f});
            chain.append({layers::PointwiseStepKind::kBinaryReversed, 5, 1, 0.f, 0.f});
        }
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

// The file's structure, found from the documented layout (a second reading of the format). Stops
// at the first section that does not fit, so it also maps damaged files.
struct FileMap
{
    size_t headerSize{0};
    std::vector<std::pair<size_t, size_t>> sections; //!< [frame start, end)
};

inline FileMap mapFile(const std::vector<uint8_t>& bytes)
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
inline void reseal(std::vector<uint8_t>& bytes)
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

} // namespace kiln::serialize::test
