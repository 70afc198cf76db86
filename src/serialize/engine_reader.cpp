// Reads and validates an engine file in the layout of serialize/engine_format.h. Every section is
// length- and checksum-checked before any is decoded; decoding then checks each count against the
// bytes left, each index against what it indexes, and each weights slot against the block.
#include "NvInferVersion.h"
#include "common/dims.h"
#include "common/dtype.h"
#include "serialize/byte_io.h"
#include "serialize/engine_format.h"
#include "serialize/network_codec.h"
#include "serialize/params_codec.h"

#include <algorithm>
#include <cstring>

namespace kiln::serialize
{

namespace
{

using plan::EnginePlan;
using plan::PlanLayer;
using std::to_string;

struct Span
{
    const uint8_t* data{nullptr};
    size_t size{0};
};

// Smallest encodings, for capping counts before anything is allocated for them.
constexpr size_t kMinDims = 4;
constexpr size_t kMinIo = 4 + 1 + kMinDims;
constexpr size_t kMinProfile = 3 * 4;
constexpr size_t kMinTensor = 4 + 4 + 8 + 8 + 1 + 4;
constexpr size_t kMinLayer = 4 + 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4;

std::string quoted(const std::string& s)
{
    return "'" + s + "'";
}

void finish(ByteReader& r)
{
    if (r.ok() && r.remaining() != 0)
        r.fail(to_string(r.remaining()) + " unexpected bytes at the end");
}

Status readHeader(const uint8_t* bytes, size_t size, EnginePlan& plan, uint32_t& nbSections, size_t& headerSize)
{
    if (size > 0 && std::memcmp(bytes, kEngineMagic, std::min(size, sizeof(kEngineMagic))) != 0)
        return invalidArgument("not a Kiln engine file (bad magic)");
    ByteReader r(bytes, size, "header");
    r.bytes(sizeof(kEngineMagic));
    const uint32_t version = r.u32();
    if (r.ok() && version != kEngineFormatVersion)
        return invalidArgument("engine format version " + to_string(version) + ", this Kiln reads version "
            + to_string(kEngineFormatVersion));
    headerSize = r.u32();
    if (!r.ok())
        return r.status();
    const size_t fixed = kHeaderSizeOffset + 4;
    if (headerSize < fixed + 4)
        return invalidArgument("section 'header': header size " + to_string(headerSize) + " is too small");
    if (headerSize > size)
        return invalidArgument("truncated: section 'header' needs " + to_string(headerSize) + " bytes, "
            + to_string(size) + " left");
    ByteReader stored(bytes + headerSize - 4, 4, "header");
    if (crc32(bytes, headerSize - 4) != stored.u32())
        return invalidArgument("checksum mismatch in section 'header'");

    ByteReader h(bytes + fixed, headerSize - fixed - 4, "header");
    const std::string kilnVersion = h.str();
    plan.device.kind = static_cast<backends::DeviceKind>(h.i32());
    plan.device.arch = h.str();
    plan.device.features = h.u32();
    plan.device.name = h.str();
    nbSections = h.u32();
    finish(h);
    if (!h.ok())
        return h.status();
    if (kilnVersion != KILN_VERSION_STRING)
        return invalidArgument("built by Kiln " + kilnVersion + ", this is Kiln " KILN_VERSION_STRING);
    const auto kind = static_cast<int32_t>(plan.device.kind);
    if (kind != static_cast<int32_t>(backends::DeviceKind::kCPU)
        && kind != static_cast<int32_t>(backends::DeviceKind::kCUDA))
        return invalidArgument("section 'header': unknown device kind " + to_string(kind));
    const Status compatible = backends::cpuDevice().checkCompatible(plan.device);
    if (!compatible.isOk())
        return Status::error(compatible.code(), "built for " + plan.device.describe() + ": " + compatible.message());
    if (nbSections != kNbSections)
        return invalidArgument("section 'header': the file has " + to_string(nbSections) + " sections, format version "
            + to_string(kEngineFormatVersion) + " has " + to_string(kNbSections));
    return Status::ok();
}

std::string tagText(uint32_t tag)
{
    std::string s;
    for (int i = 0; i < 4; ++i)
    {
        const char c = static_cast<char>(tag >> (8 * i));
        s += (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    return s;
}

Status readSectionTable(const uint8_t* bytes, size_t size, Span (&sections)[kNbSections])
{
    size_t position = 0;
    for (uint32_t i = 0; i < kNbSections; ++i)
    {
        const std::string name = sectionName(kSectionOrder[i]);
        ByteReader frame(bytes + position, size - position, name);
        const uint32_t tag = frame.u32();
        const uint64_t length = frame.u64();
        const uint32_t stored = frame.u32();
        if (!frame.ok())
            return frame.status();
        if (length > frame.remaining())
            return invalidArgument("truncated: section " + quoted(name) + " needs " + to_string(length) + " bytes, "
                + to_string(frame.remaining()) + " left");
        const uint8_t* payload = bytes + position + kSectionFrameSize;
        if (crc32(payload, length, crc32(bytes + position, 12)) != stored)
            return invalidArgument("checksum mismatch in section " + quoted(name));
        if (tag != kSectionOrder[i])
            return invalidArgument("section " + to_string(i) + " is '" + tagText(tag) + "', expected " + quoted(name));
        sections[i] = Span{payload, static_cast<size_t>(length)};
        position += kSectionFrameSize + length;
    }
    if (position != size)
        return invalidArgument(to_string(size - position) + " unexpected bytes after the last section");
    return Status::ok();
}

Status readMemory(Span s, EnginePlan& plan)
{
    ByteReader r(s.data, s.size, "memory");
    plan.arenaSize = r.u64();
    plan.maxWorkspaceSize = r.u64();
    if (r.ok() && (plan.arenaSize > kMaxMemorySize || plan.maxWorkspaceSize > kMaxMemorySize))
        r.fail("arena size " + to_string(plan.arenaSize) + " or workspace size " + to_string(plan.maxWorkspaceSize)
            + " is larger than " + to_string(kMaxMemorySize));
    finish(r);
    return r.status();
}

Status readTensors(Span s, EnginePlan& plan)
{
    ByteReader r(s.data, s.size, "tensors");
    const uint32_t n = r.count(kMinTensor);
    plan.tensors.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i)
    {
        plan::PlanTensor t;
        t.name = r.str();
        t.type = static_cast<nvinfer1::DataType>(r.i32());
        t.arenaOffset = r.i64();
        t.maxBytes = r.i64();
        t.isShapeTensor = r.boolean();
        const int32_t layout = r.i32();
        t.layout = static_cast<ir::Layout>(layout);
        if (!r.ok())
            break;
        const std::string who = "tensor " + to_string(i) + " (" + quoted(t.name) + ")";
        if (!isValidDataType(t.type))
            r.fail(who + ": unknown data type " + to_string(static_cast<int32_t>(t.type)));
        else if (t.maxBytes < 0 || uint64_t(t.maxBytes) > kMaxMemorySize)
            r.fail(who + ": size " + to_string(t.maxBytes) + " out of range");
        else if (!ir::isLayout(layout))
            r.fail(who + ": unknown layout " + to_string(layout));
        else if (t.layout != ir::Layout::kLinear && (t.isShapeTensor || t.type != nvinfer1::DataType::kFLOAT))
            r.fail(who + ": only FLOAT execution tensors can have the layout " + ir::layoutName(t.layout));
        else if (t.arenaOffset < -1
            || (t.arenaOffset >= 0 && uint64_t(t.arenaOffset) + uint64_t(t.maxBytes) > plan.arenaSize))
            r.fail(who + ": " + to_string(t.maxBytes) + " bytes at arena offset " + to_string(t.arenaOffset)
                + " lie outside the arena of " + to_string(plan.arenaSize) + " bytes");
        plan.tensors.push_back(std::move(t));
    }
    finish(r);
    return r.status();
}

//! A profile input's min/opt/max: the binding's rank, 0 <= min <= opt <= max, fixed extents kept.
void checkProfileInput(ByteReader& r, const std::string& who, const nvinfer1::Dims& io, const nvinfer1::Dims& min,
    const nvinfer1::Dims& opt, const nvinfer1::Dims& max)
{
    bool ok = min.nbDims == io.nbDims && opt.nbDims == io.nbDims && max.nbDims == io.nbDims;
    for (int32_t i = 0; ok && i < io.nbDims; ++i)
    {
        ok = 0 <= min.d[i] && min.d[i] <= opt.d[i] && opt.d[i] <= max.d[i];
        ok = ok && (io.d[i] < 0 || (min.d[i] == io.d[i] && max.d[i] == io.d[i]));
    }
    if (!ok)
        r.fail(who + ": min " + toString(min) + ", opt " + toString(opt) + ", max " + toString(max)
            + " do not fit the binding's dims " + toString(io) + " with 0 <= min <= opt <= max");
}

//! Profiles list min/opt/max for every input (and possibly empty entries for outputs).
void readProfiles(ByteReader& r, EnginePlan& plan)
{
    const size_t nbInputs = static_cast<size_t>(plan.nbInputs());
    const uint32_t nbProfiles = r.count(kMinProfile);
    for (uint32_t p = 0; p < nbProfiles && r.ok(); ++p)
    {
        const std::string who = "profile " + to_string(p);
        plan::PlanProfile profile;
        for (auto* list : {&profile.min, &profile.opt, &profile.max})
        {
            const uint32_t n = r.count(kMinDims);
            if (r.ok() && (n < nbInputs || n > plan.io.size()))
                r.fail(who + " lists " + to_string(n) + " dims for " + to_string(nbInputs) + " inputs and "
                    + to_string(plan.io.size() - nbInputs) + " outputs");
            for (uint32_t i = 0; i < n && r.ok(); ++i)
                list->push_back(readDims(r, who + " binding " + to_string(i)));
        }
        if (r.ok() && (profile.min.size() != profile.opt.size() || profile.min.size() != profile.max.size()))
            r.fail(who + " has different numbers of min, opt and max dims");
        for (size_t i = 0; i < nbInputs && r.ok(); ++i)
            checkProfileInput(r, who + " input " + quoted(plan.tensors[static_cast<size_t>(plan.io[i].tensor)].name),
                plan.io[i].dims, profile.min[i], profile.opt[i], profile.max[i]);
        plan.profiles.push_back(std::move(profile));
    }
}

Status readIoProfiles(Span s, EnginePlan& plan)
{
    ByteReader r(s.data, s.size, "io+profiles");
    plan.name = r.str();
    plan.implicitBatch = r.boolean();
    plan.maxBatchSize = r.i32();
    plan.refittable = r.boolean();
    if (r.ok() && plan.maxBatchSize < 1)
        r.fail("max batch size " + to_string(plan.maxBatchSize) + " is not positive");
    const uint32_t nbIo = r.count(kMinIo);
    std::vector<bool> bound(plan.tensors.size(), false);
    bool outputSeen = false;
    for (uint32_t i = 0; i < nbIo && r.ok(); ++i)
    {
        plan::PlanIO io;
        const std::string who = "binding " + to_string(i);
        io.tensor = r.i32();
        io.isInput = r.boolean();
        io.dims = readDims(r, who);
        if (!r.ok())
            break;
        if (io.tensor < 0 || static_cast<size_t>(io.tensor) >= plan.tensors.size())
            r.fail(who + ": tensor index " + to_string(io.tensor) + " out of range (the engine has "
                + to_string(plan.tensors.size()) + " tensors)");
        else if (bound[static_cast<size_t>(io.tensor)])
            r.fail(who + ": tensor " + quoted(plan.tensors[static_cast<size_t>(io.tensor)].name) + " is bound twice");
        else if (io.isInput && outputSeen)
            r.fail(who + ": an input after an output (inputs come first)");
        else if (plan.tensors[static_cast<size_t>(io.tensor)].layout != ir::Layout::kLinear)
            r.fail(who + ": tensor " + quoted(plan.tensors[static_cast<size_t>(io.tensor)].name)
                + " is a binding and must be row-major");
        else
            bound[static_cast<size_t>(io.tensor)] = true;
        outputSeen = outputSeen || !io.isInput;
        plan.io.push_back(io);
    }
    readProfiles(r, plan);
    finish(r);
    return r.status();
}

Status readWeights(Span s, EnginePlan& plan, const backends::Allocator& allocator)
{
    plan.weights = std::make_unique<plan::WeightsBlock>(allocator, s.size);
    if (!plan.weights->ok())
        return allocationFailed("could not allocate " + to_string(s.size) + " bytes for the engine weights");
    if (s.size > 0)
        std::memcpy(plan.weights->data(), s.data, s.size);
    return Status::ok();
}

void readIndices(ByteReader& r, std::vector<int32_t>& indices)
{
    indices.assign(r.count(4), 0);
    for (auto& i : indices)
        i = r.i32();
}

//! Checks a layer's tensor indices and that every input is written before it is read.
void checkConnections(ByteReader& r, const std::string& who, const PlanLayer& layer, const EnginePlan& plan,
    std::vector<bool>& written)
{
    const auto& p = *layer.params;
    const int32_t nbInputs = static_cast<int32_t>(layer.inputs.size());
    if (nbInputs < p.minInputs() || nbInputs > p.maxInputs())
        return r.fail(who + ": " + to_string(nbInputs) + " inputs, the layer takes " + to_string(p.minInputs())
            + " to " + to_string(p.maxInputs()));
    if (static_cast<int32_t>(layer.outputs.size()) != p.nbOutputs())
        return r.fail(who + ": " + to_string(layer.outputs.size()) + " outputs, the layer has " + to_string(p.nbOutputs()));
    const auto inRange = [&](int32_t t) { return t >= 0 && static_cast<size_t>(t) < plan.tensors.size(); };
    for (int32_t i = 0; i < nbInputs; ++i)
    {
        const int32_t t = layer.inputs[static_cast<size_t>(i)];
        const std::string what = who + ": input " + to_string(i);
        if (t == plan::kNoTensor && i < p.minInputs())
            return r.fail(what + " is required but absent");
        if (t == plan::kNoTensor)
            continue;
        if (!inRange(t))
            return r.fail(what + ": tensor index " + to_string(t) + " out of range (the engine has "
                + to_string(plan.tensors.size()) + " tensors)");
        if (!written[static_cast<size_t>(t)])
            return r.fail(what + " reads tensor " + quoted(plan.tensors[static_cast<size_t>(t)].name)
                + " before any layer writes it");
    }
    for (size_t i = 0; i < layer.outputs.size(); ++i)
    {
        const int32_t t = layer.outputs[i];
        const std::string what = who + ": output " + to_string(i);
        if (!inRange(t))
            return r.fail(what + ": tensor index " + to_string(t) + " out of range (the engine has "
                + to_string(plan.tensors.size()) + " tensors)");
        if (written[static_cast<size_t>(t)])
            return r.fail(what + " writes tensor " + quoted(plan.tensors[static_cast<size_t>(t)].name)
                + ", which is already written");
        written[static_cast<size_t>(t)] = true;
    }
}

void readLayer(ByteReader& r, uint32_t index, EnginePlan& plan, std::vector<bool>& written)
{
    PlanLayer layer;
    layer.name = r.str();
    const int32_t kind = r.i32();
    layer.tactic = r.str();
    layer.workspaceSize = r.u64();
    const uint32_t nbSources = r.count(4);
    for (uint32_t i = 0; i < nbSources && r.ok(); ++i)
        layer.sourceLayers.push_back(r.str());
    const uint32_t nbProfileTactics = r.count(4);
    for (uint32_t i = 0; i < nbProfileTactics && r.ok(); ++i)
        layer.profileTactics.push_back(r.str());
    const uint32_t nbCandidates = r.count(20);
    for (uint32_t i = 0; i < nbCandidates && r.ok(); ++i)
    {
        plan::PlanCandidate c;
        c.profile = r.i32();
        c.tactic = r.str();
        c.ms = r.f32();
        c.workspace = r.u64();
        layer.candidates.push_back(std::move(c));
    }
    readIndices(r, layer.inputs);
    readIndices(r, layer.outputs);
    if (!r.ok())
        return;
    std::string who = "layer " + to_string(index) + " (" + quoted(layer.name) + ")";
    if (!ir::isValidLayerKind(kind))
        return r.fail(who + ": unknown layer kind " + to_string(kind));
    layer.params = ir::makeParams(static_cast<ir::LayerKind>(kind));
    if (!layer.params)
        return r.fail(who + ": no parameters for layer kind " + to_string(kind));
    who = "layer " + to_string(index) + " (" + quoted(layer.name) + ", "
        + ir::layerKindName(static_cast<ir::LayerKind>(kind)) + ")";
    if (layer.tactic.empty())
        return r.fail(who + ": no tactic");
    if (!layer.profileTactics.empty() && layer.profileTactics.size() != plan.profiles.size())
        return r.fail(who + ": tactics for " + to_string(layer.profileTactics.size()) + " profiles, the engine has "
            + to_string(plan.profiles.size()));
    for (const auto& t : layer.profileTactics)
        if (t.empty())
            return r.fail(who + ": an empty per-profile tactic name");
    for (const auto& c : layer.candidates)
        if (c.profile < 0 || static_cast<size_t>(c.profile) >= plan.profiles.size() || c.tactic.empty())
            return r.fail(who + ": a candidate tactic record names profile " + to_string(c.profile)
                + " or has no tactic name");
    if (layer.workspaceSize > plan.maxWorkspaceSize)
        return r.fail(who + ": workspace of " + to_string(layer.workspaceSize) + " bytes exceeds the engine's "
            + to_string(plan.maxWorkspaceSize));

    readFields(r, *layer.params, who);
    readWeightsSlots(r, *layer.params, *plan.weights, who);
    if (!r.ok())
        return;
    checkConnections(r, who, layer, plan, written);
    plan.layers.push_back(std::move(layer));
}

Status readLayers(Span s, EnginePlan& plan)
{
    ByteReader r(s.data, s.size, "layers");
    std::vector<bool> written(plan.tensors.size(), false);
    for (const auto& io : plan.io)
        written[static_cast<size_t>(io.tensor)] = io.isInput;
    const uint32_t n = r.count(kMinLayer);
    for (uint32_t i = 0; i < n && r.ok(); ++i)
        readLayer(r, i, plan, written);
    for (size_t i = 0; i < plan.io.size() && r.ok(); ++i)
    {
        const auto& io = plan.io[i];
        if (!io.isInput && !written[static_cast<size_t>(io.tensor)])
            r.fail("output " + quoted(plan.tensors[static_cast<size_t>(io.tensor)].name) + " is never written");
    }
    finish(r);
    return r.status();
}

Status readNetworkSection(Span s, EnginePlan& plan, const backends::Allocator& allocator)
{
    if (s.size == 0)
    {
        if (plan.refittable)
            return invalidArgument("section 'network': a refittable engine needs its network");
        return Status::ok();
    }
    if (!plan.refittable)
        return invalidArgument("section 'network': only refittable engines keep their network");
    ByteReader r(s.data, s.size, "network");
    plan.refit = readNetwork(r, allocator);
    finish(r);
    return r.status();
}

} // namespace

Expected<std::unique_ptr<EnginePlan>> readEngine(const void* data, size_t size, const backends::Allocator& allocator)
{
    if (!data && size > 0)
        return invalidArgument("no engine data (null pointer, " + to_string(size) + " bytes)");
    const auto* bytes = static_cast<const uint8_t*>(data);
    auto plan = std::make_unique<EnginePlan>();
    uint32_t nbSections = 0;
    size_t headerSize = 0;
    KILN_RETURN_IF_ERROR(readHeader(bytes, size, *plan, nbSections, headerSize));

    Span sections[kNbSections];
    KILN_RETURN_IF_ERROR(readSectionTable(bytes + headerSize, size - headerSize, sections));
    // Decoded in dependency order: tensors check offsets against the arena, bindings and layers
    // check indices against the tensors, layers check weights against the block.
    KILN_RETURN_IF_ERROR(readMemory(sections[3], *plan));
    KILN_RETURN_IF_ERROR(readTensors(sections[1], *plan));
    KILN_RETURN_IF_ERROR(readIoProfiles(sections[0], *plan));
    KILN_RETURN_IF_ERROR(readWeights(sections[4], *plan, allocator));
    KILN_RETURN_IF_ERROR(readLayers(sections[2], *plan));
    KILN_RETURN_IF_ERROR(readNetworkSection(sections[5], *plan, allocator));
    return plan;
}

} // namespace kiln::serialize
