// The engine file: Kiln's versioned binary form of a plan::EnginePlan (what ICudaEngine::serialize()
// returns and IRuntime::deserializeCudaEngine() reads). docs/engine_format.md describes the same
// layout for readers of the file; this header is the reference the code follows.
//
// All integers are little-endian, fixed width; floats are their IEEE-754 bit pattern; nothing is
// padded and no struct is written as raw bytes, so the same plan gives the same bytes everywhere.
//   str   = u32 byte length, then the bytes (UTF-8, no terminator)
//   bool  = u8, 0 or 1
//   dims  = i32 nbDims in [-1, 8], then nbDims × i32 extents (Dims::type is never stored)
//   list<T> = u32 count, then count × T
//
// File = header, then nbSections sections in the order of kSectionOrder.
//
// Header
//   magic            8 bytes  "KILNENG\0"
//   formatVersion    u32      kEngineFormatVersion; a reader accepts only its own version
//   headerSize       u32      bytes of the whole header, checksum included
//   kilnVersion      str      KILN_VERSION_STRING of the writer; must equal the reader's
//   device.kind      i32      backends::DeviceKind
//   device.arch      str      "x86_64"; compute capability for CUDA
//   device.features  u32      backends::CpuFeature bits the engine's kernels need
//   device.name      str      the building device, for messages
//   nbSections       u32      kNbSections
//   checksum         u32      crc32 of header bytes [0, headerSize - 4)
//
// Section
//   tag       u32   four-character code: its bytes in the file spell the code ("IOPR", ...)
//   length    u64   payload bytes
//   checksum  u32   crc32 of the tag and length bytes, continued over the payload
//   payload   length bytes, decoded as below; every byte must be consumed
//
// "io+profiles" (IOPR)
//   name str, implicitBatch bool, maxBatchSize i32 (>= 1), refittable bool,
//   list<io>:      tensor i32, isInput bool, dims          (inputs first, then outputs)
//   list<profile>: list<dims> min, list<dims> opt, list<dims> max   (same length, from the input
//                  count to the io count; each input's entries have its rank, 0 <= min <= opt <= max,
//                  and min = max = the io extent wherever that is not -1)
// "tensors" (TENS)
//   list<tensor>:  name str, type i32 (DataType), arenaOffset i64 (-1 or offset + maxBytes <= arena
//                  size), maxBytes i64 (>= 0), isShapeTensor bool, layout i32 (ir::Layout; kLinear
//                  for bindings and shape tensors)
// "layers" (LAYR), in execution order
//   list<layer>:   name str, kind i32 (ir::LayerKind), tactic str (non-empty), workspaceSize u64
//                  (<= maxWorkspaceSize), list<str> sourceLayers,
//                  list<str> profileTactics (empty, or one tactic per profile when they differ),
//                  list<candidate>: profile i32, tactic str, ms f32 (-1: not timed), workspace u64
//                               (every candidate the builder considered; verbose builds only),
//                  list<i32> inputs (kNoTensor or a
//                  tensor index; count within the kind's minInputs..maxInputs, required ones
//                  present, each written by a binding or an earlier layer), list<i32> outputs
//                  (nbOutputs of them, none written before),
//                  list<field>: type u8 (FieldType), value (i32 | f32 | bool | dims | list<i32> |
//                               list<f32>), in LayerParams::visitFields order,
//                  list<weights>: type i32 (DataType), count i64, offset u64 into the weights block,
//                               in LayerParams::visitWeights order  (serialize/params_codec.h)
// "memory" (MEMP)
//   arenaSize u64, maxWorkspaceSize u64 (each <= kMaxMemorySize)
// "weights" (WGHT)
//   the weights block, byte for byte: the plan's block (slots inside it keep their offsets; the
//   builder aligns them to 256 bytes), then any slot that lives elsewhere, each appended at the
//   next 256-byte boundary with zeros in between
// "network" (NETW)
//   empty unless refittable; else the network as built and the build's optimizer options
//   (serialize/network_codec.h)
//
// Weights in an engine are FLOAT or INT32 (INT8 and BOOL as raw bytes for constants); a slot's
// offset is a multiple of its element size and offset + count × elementSize fits in the block.
// An empty slot (count 0) has offset 0 and is read back as values == nullptr.
//
// Compatibility: ir::LayerKind values, the field order of each kind and the section payloads are
// part of format version 4 (version 2 added per-profile tactics and candidate records, version 3
// tensor layouts, version 4 the network section). Appending
// kinds or fields changes what a file means, which the exact
// Kiln version check covers; a change that must read older files bumps kEngineFormatVersion.
#pragma once

#include "backends/backend.h"
#include "common/status.h"
#include "serialize/engine_plan.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace kiln::serialize
{

constexpr char kEngineMagic[8] = {'K', 'I', 'L', 'N', 'E', 'N', 'G', '\0'};
constexpr uint32_t kEngineFormatVersion = 4;

//! A tag whose four little-endian bytes spell \p code.
constexpr uint32_t fourCC(const char (&code)[5])
{
    return uint32_t(uint8_t(code[0])) | uint32_t(uint8_t(code[1])) << 8 | uint32_t(uint8_t(code[2])) << 16
        | uint32_t(uint8_t(code[3])) << 24;
}

constexpr uint32_t kSectionIoProfiles = fourCC("IOPR");
constexpr uint32_t kSectionTensors = fourCC("TENS");
constexpr uint32_t kSectionLayers = fourCC("LAYR");
constexpr uint32_t kSectionMemory = fourCC("MEMP");
constexpr uint32_t kSectionWeights = fourCC("WGHT");
constexpr uint32_t kSectionNetwork = fourCC("NETW");

constexpr uint32_t kNbSections = 6;
//! The sections of a version-1 file, in file order.
constexpr uint32_t kSectionOrder[kNbSections]
    = {kSectionIoProfiles, kSectionTensors, kSectionLayers, kSectionMemory, kSectionWeights, kSectionNetwork};

//! Bytes before a section's payload: tag u32, length u64, checksum u32.
constexpr size_t kSectionFrameSize = 16;
//! Offset of headerSize in the header.
constexpr size_t kHeaderSizeOffset = 12;
//! Alignment of every weights slot the writer places.
constexpr uint64_t kWeightsAlignment = 256;
//! Largest arena, workspace or tensor size a file may state (64 PiB), so sums never overflow.
constexpr uint64_t kMaxMemorySize = uint64_t(1) << 56;

//! Types of the values in a layer's field list.
enum class FieldType : uint8_t
{
    kInt32 = 1,
    kFloat = 2,
    kBool = 3,
    kDims = 4,
    kInt32List = 5,
    kFloatList = 6,
};

//! "io+profiles", "tensors", "layers", "memory", "weights", or "unknown" for another tag.
const char* sectionName(uint32_t tag);

//! Serializes \p plan. Deterministic: the same plan gives the same bytes. Weights slots that point
//! into plan.weights are stored at their offsets in it; any other non-empty slot is appended to the
//! stored block (256-byte aligned), so a plan whose weights live elsewhere still round-trips.
std::vector<uint8_t> writeEngine(const plan::EnginePlan& plan);

//! Parses and validates an engine file: magic, format version, checksums, Kiln version, device
//! compatibility (backends::cpuDevice()), then every count, index, offset and enum that the runtime
//! relies on. Never reads outside [data, data + size) and never allocates more than the file can
//! justify. The weights block is allocated through \p allocator. Errors say what is wrong, e.g.
//! "truncated: section 'layers' needs 16 bytes, 3 left" or "checksum mismatch in section 'weights'".
//! Tactic names are not resolved here (that is runtime::Engine::create's job).
Expected<std::unique_ptr<plan::EnginePlan>> readEngine(const void* data, size_t size,
    const backends::Allocator& allocator);

} // namespace kiln::serialize
