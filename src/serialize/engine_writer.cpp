// Writes an EnginePlan in the layout of serialize/engine_format.h.
#include "NvInferVersion.h"
#include "common/dtype.h"
#include "serialize/byte_io.h"
#include "serialize/engine_format.h"
#include "serialize/network_codec.h"
#include "serialize/params_codec.h"

namespace kiln::serialize
{

const char* sectionName(uint32_t tag)
{
    switch (tag)
    {
    case kSectionIoProfiles: return "io+profiles";
    case kSectionTensors: return "tensors";
    case kSectionLayers: return "layers";
    case kSectionMemory: return "memory";
    case kSectionWeights: return "weights";
    case kSectionNetwork: return "network";
    default: return "unknown";
    }
}

namespace
{

class WeightsCollector final : public ir::WeightsVisitor
{
public:
    std::vector<ir::WeightsRef> refs;
    void visit(const char*, int32_t, ir::WeightsRef& weights) override { refs.push_back(weights); }
};

//! Where each layer's weights slots go in the stored block.
struct WeightsLayout
{
    struct Slot
    {
        ir::WeightsRef ref;
        uint64_t offset{0};
        bool appended{false}; //!< not inside the plan's block: copied after it
    };
    std::vector<std::vector<Slot>> layers;
    uint64_t planBlockSize{0};
    uint64_t storedSize{0};
};

uint64_t weightsBytes(const ir::WeightsRef& ref)
{
    return ref.count > 0 ? uint64_t(ref.count) * elementSize(ref.type) : 0;
}

WeightsLayout layoutWeights(const plan::EnginePlan& plan)
{
    WeightsLayout layout;
    const uint8_t* block = plan.weights ? plan.weights->data() : nullptr;
    layout.planBlockSize = plan.weights && block ? plan.weights->size() : 0;
    layout.storedSize = layout.planBlockSize;
    const auto blockBegin = reinterpret_cast<uintptr_t>(block);
    for (const auto& layer : plan.layers)
    {
        WeightsCollector collector;
        if (layer.params)
            layer.params->visitWeightsConst(collector);
        auto& slots = layout.layers.emplace_back();
        for (const auto& ref : collector.refs)
        {
            WeightsLayout::Slot slot{ref, 0, false};
            const uint64_t bytes = weightsBytes(ref);
            const auto at = reinterpret_cast<uintptr_t>(ref.values);
            if (bytes == 0)
                slot.offset = 0;
            else if (block && at >= blockBegin && at - blockBegin <= layout.planBlockSize
                && bytes <= layout.planBlockSize - (at - blockBegin) && (at - blockBegin) % elementSize(ref.type) == 0)
                slot.offset = at - blockBegin;
            else
            {
                slot.appended = true;
                slot.offset = plan::alignUp(layout.storedSize, kWeightsAlignment);
                layout.storedSize = slot.offset + bytes;
            }
            slots.push_back(slot);
        }
    }
    return layout;
}

//! Starts a section frame; returns its offset for finishSection.
size_t beginSection(ByteWriter& w, uint32_t tag)
{
    const size_t start = w.size();
    w.u32(tag);
    w.u64(0);
    w.u32(0);
    return start;
}

void finishSection(ByteWriter& w, size_t start)
{
    const size_t payload = start + kSectionFrameSize;
    w.patchU64(start + 4, w.size() - payload);
    uint32_t crc = crc32(w.data() + start, 12);
    crc = crc32(w.data() + payload, w.size() - payload, crc);
    w.patchU32(start + 12, crc);
}

void writeHeader(ByteWriter& w, const backends::DeviceFingerprint& device)
{
    w.bytes(kEngineMagic, sizeof(kEngineMagic));
    w.u32(kEngineFormatVersion);
    w.u32(0); // headerSize, patched below
    w.str(KILN_VERSION_STRING);
    w.i32(static_cast<int32_t>(device.kind));
    w.str(device.arch);
    w.u32(device.features);
    w.str(device.name);
    w.u32(kNbSections);
    w.patchU32(kHeaderSizeOffset, static_cast<uint32_t>(w.size() + 4));
    w.u32(crc32(w.data(), w.size()));
}

void writeIoProfiles(ByteWriter& w, const plan::EnginePlan& plan)
{
    w.str(plan.name);
    w.boolean(plan.implicitBatch);
    w.i32(plan.maxBatchSize);
    w.boolean(plan.refittable);
    w.u32(static_cast<uint32_t>(plan.io.size()));
    for (const auto& io : plan.io)
    {
        w.i32(io.tensor);
        w.boolean(io.isInput);
        writeDims(w, io.dims);
    }
    w.u32(static_cast<uint32_t>(plan.profiles.size()));
    for (const auto& profile : plan.profiles)
    {
        for (const auto* list : {&profile.min, &profile.opt, &profile.max})
        {
            w.u32(static_cast<uint32_t>(list->size()));
            for (const auto& dims : *list)
                writeDims(w, dims);
        }
    }
}

void writeTensors(ByteWriter& w, const plan::EnginePlan& plan)
{
    w.u32(static_cast<uint32_t>(plan.tensors.size()));
    for (const auto& t : plan.tensors)
    {
        w.str(t.name);
        w.i32(static_cast<int32_t>(t.type));
        w.i64(t.arenaOffset);
        w.i64(t.maxBytes);
        w.boolean(t.isShapeTensor);
        w.i32(static_cast<int32_t>(t.layout));
    }
}

void writeIndices(ByteWriter& w, const std::vector<int32_t>& indices)
{
    w.u32(static_cast<uint32_t>(indices.size()));
    for (int32_t i : indices)
        w.i32(i);
}

void writeLayers(ByteWriter& w, const plan::EnginePlan& plan, const WeightsLayout& layout)
{
    w.u32(static_cast<uint32_t>(plan.layers.size()));
    for (size_t i = 0; i < plan.layers.size(); ++i)
    {
        const auto& layer = plan.layers[i];
        w.str(layer.name);
        // A layer without parameters is a builder bug; it is written as kind -1, which no reader accepts.
        w.i32(layer.params ? static_cast<int32_t>(layer.params->kind()) : -1);
        w.str(layer.tactic);
        w.u64(layer.workspaceSize);
        w.u32(static_cast<uint32_t>(layer.sourceLayers.size()));
        for (const auto& source : layer.sourceLayers)
            w.str(source);
        w.u32(static_cast<uint32_t>(layer.profileTactics.size()));
        for (const auto& tactic : layer.profileTactics)
            w.str(tactic);
        w.u32(static_cast<uint32_t>(layer.candidates.size()));
        for (const auto& c : layer.candidates)
        {
            w.i32(c.profile);
            w.str(c.tactic);
            w.f32(c.ms);
            w.u64(c.workspace);
        }
        writeIndices(w, layer.inputs);
        writeIndices(w, layer.outputs);

        if (layer.params)
            writeFields(w, *layer.params);
        else
            w.u32(0);

        const auto& slots = layout.layers[i];
        w.u32(static_cast<uint32_t>(slots.size()));
        for (const auto& slot : slots)
        {
            w.i32(static_cast<int32_t>(slot.ref.type));
            w.i64(slot.ref.count);
            w.u64(slot.offset);
        }
    }
}

void writeWeights(ByteWriter& w, const plan::EnginePlan& plan, const WeightsLayout& layout)
{
    if (layout.planBlockSize > 0)
        w.bytes(plan.weights->data(), layout.planBlockSize);
    uint64_t written = layout.planBlockSize;
    for (const auto& slots : layout.layers)
    {
        for (const auto& slot : slots)
        {
            if (!slot.appended)
                continue;
            w.zeros(slot.offset - written);
            const uint64_t bytes = weightsBytes(slot.ref);
            if (slot.ref.values)
                w.bytes(slot.ref.values, bytes);
            else
                w.zeros(bytes);
            written = slot.offset + bytes;
        }
    }
}

} // namespace

std::vector<uint8_t> writeEngine(const plan::EnginePlan& plan)
{
    const WeightsLayout layout = layoutWeights(plan);
    ByteWriter w;
    w.reserve(layout.storedSize + 4096); // the weights dominate: one buffer, no copies while growing
    writeHeader(w, plan.device);

    size_t start = beginSection(w, kSectionIoProfiles);
    writeIoProfiles(w, plan);
    finishSection(w, start);

    start = beginSection(w, kSectionTensors);
    writeTensors(w, plan);
    finishSection(w, start);

    start = beginSection(w, kSectionLayers);
    writeLayers(w, plan, layout);
    finishSection(w, start);

    start = beginSection(w, kSectionMemory);
    w.u64(plan.arenaSize);
    w.u64(plan.maxWorkspaceSize);
    finishSection(w, start);

    start = beginSection(w, kSectionWeights);
    writeWeights(w, plan, layout);
    finishSection(w, start);

    start = beginSection(w, kSectionNetwork);
    if (plan.refit)
        writeNetwork(w, *plan.refit);
    finishSection(w, start);

    return w.release();
}

} // namespace kiln::serialize
