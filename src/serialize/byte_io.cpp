#include "serialize/byte_io.h"

#include <cstring>

namespace kiln::serialize
{

namespace
{

// Slicing-by-8 tables: kCrc.t[0] is the classic byte table, kCrc.t[s] advances a byte through s more
// zero bytes, so eight input bytes are folded in per step.
struct CrcTables
{
    uint32_t t[8][256];
};

constexpr CrcTables makeCrcTables()
{
    CrcTables tables{};
    for (uint32_t i = 0; i < 256; ++i)
    {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        tables.t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
        for (int s = 1; s < 8; ++s)
            tables.t[s][i] = (tables.t[s - 1][i] >> 8) ^ tables.t[0][tables.t[s - 1][i] & 0xFFu];
    return tables;
}

constexpr CrcTables kCrc = makeCrcTables();

uint32_t loadLe32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

void storeLe32(uint8_t* p, uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<uint8_t>(value >> (8 * i));
}

} // namespace

uint32_t crc32(const void* data, size_t size, uint32_t crc)
{
    const auto& t = kCrc.t;
    const uint8_t* p = static_cast<const uint8_t*>(data);
    crc = ~crc;
    for (; size >= 8; size -= 8, p += 8)
    {
        const uint32_t lo = loadLe32(p) ^ crc;
        const uint32_t hi = loadLe32(p + 4);
        crc = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24]
            ^ t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^ t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
    }
    for (; size > 0; --size, ++p)
        crc = (crc >> 8) ^ t[0][(crc ^ *p) & 0xFFu];
    return ~crc;
}

void ByteWriter::u32(uint32_t value)
{
    uint8_t b[4];
    storeLe32(b, value);
    mBytes.insert(mBytes.end(), b, b + 4);
}

void ByteWriter::u64(uint64_t value)
{
    u32(static_cast<uint32_t>(value));
    u32(static_cast<uint32_t>(value >> 32));
}

void ByteWriter::f32(float value)
{
    uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof(bits));
    u32(bits);
}

void ByteWriter::str(const std::string& value)
{
    u32(static_cast<uint32_t>(value.size()));
    bytes(value.data(), value.size());
}

void ByteWriter::bytes(const void* data, size_t size)
{
    if (size == 0)
        return;
    const uint8_t* p = static_cast<const uint8_t*>(data);
    mBytes.insert(mBytes.end(), p, p + size);
}

void ByteWriter::patchU32(size_t offset, uint32_t value)
{
    storeLe32(mBytes.data() + offset, value);
}

void ByteWriter::patchU64(size_t offset, uint64_t value)
{
    storeLe32(mBytes.data() + offset, static_cast<uint32_t>(value));
    storeLe32(mBytes.data() + offset + 4, static_cast<uint32_t>(value >> 32));
}

ByteReader::ByteReader(const uint8_t* data, size_t size, std::string section)
    : mData(data)
    , mSize(data ? size : 0)
    , mSection(std::move(section))
{
}

bool ByteReader::need(size_t size)
{
    if (!ok())
        return false;
    if (size > remaining())
    {
        mStatus = invalidArgument("truncated: section '" + mSection + "' needs " + std::to_string(size) + " bytes, "
            + std::to_string(remaining()) + " left");
        return false;
    }
    return true;
}

uint8_t ByteReader::u8()
{
    if (!need(1))
        return 0;
    return mData[mPosition++];
}

uint32_t ByteReader::u32()
{
    if (!need(4))
        return 0;
    const uint32_t value = loadLe32(mData + mPosition);
    mPosition += 4;
    return value;
}

uint64_t ByteReader::u64()
{
    if (!need(8))
        return 0;
    const uint64_t lo = loadLe32(mData + mPosition);
    const uint64_t hi = loadLe32(mData + mPosition + 4);
    mPosition += 8;
    return lo | hi << 32;
}

float ByteReader::f32()
{
    const uint32_t bits = u32();
    float value = 0.f;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
}

bool ByteReader::boolean()
{
    const size_t at = mPosition;
    const uint8_t value = u8();
    if (value > 1)
        fail("byte " + std::to_string(at) + " holds " + std::to_string(value) + ", a boolean must be 0 or 1");
    return value == 1;
}

std::string ByteReader::str()
{
    const uint32_t size = u32();
    const uint8_t* p = bytes(size);
    return p ? std::string(reinterpret_cast<const char*>(p), size) : std::string();
}

uint32_t ByteReader::count(size_t minElementBytes)
{
    const uint32_t n = u32();
    if (!ok())
        return 0;
    const uint64_t needed = uint64_t(n) * minElementBytes;
    if (needed > remaining())
    {
        mStatus = invalidArgument("truncated: section '" + mSection + "' needs at least " + std::to_string(needed)
            + " bytes for " + std::to_string(n) + " entries, " + std::to_string(remaining()) + " left");
        return 0;
    }
    return n;
}

const uint8_t* ByteReader::bytes(size_t size)
{
    if (!need(size))
        return nullptr;
    const uint8_t* p = mData + mPosition;
    mPosition += size;
    return p;
}

void ByteReader::fail(const std::string& message)
{
    if (ok())
        mStatus = invalidArgument("section '" + mSection + "': " + message);
}

void ByteReader::failWith(Status status)
{
    if (ok() && !status.isOk())
        mStatus = std::move(status);
}

} // namespace kiln::serialize
