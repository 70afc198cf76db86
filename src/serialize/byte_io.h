// Byte-level I/O for Kiln's binary files: a little-endian writer, a bounds-checked reader, and the
// CRC-32 that guards them. Values are always written field by field in a fixed width and byte order,
// never as raw struct bytes, so the same values give the same bytes on every machine.
//
// Reading never trusts the data: every read checks the bytes left first, and the first failure is
// sticky. After a failure every read returns zero (or an empty value) and status() keeps the first
// error, so a parser can read a whole record and check ok() once before using what it read:
//
//   ByteReader r(payload, size, "layers");
//   const uint32_t n = r.count(4);        // 0 if the count claims more entries than bytes left
//   for (uint32_t i = 0; i < n && r.ok(); ++i)
//       values.push_back(r.i32());
//   if (!r.ok())
//       return r.status();                // "truncated: section 'layers' needs 4 bytes, 1 left"
#pragma once

#include "common/status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::serialize
{

//! CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320, initial and final value 0xFFFFFFFF), the
//! checksum of zlib's crc32() and of PNG. Pass the previous result as \p crc to continue a checksum
//! over several pieces: crc32(b, nb, crc32(a, na)) == crc32(a followed by b).
uint32_t crc32(const void* data, size_t size, uint32_t crc = 0);

//! Appends little-endian values to a growing byte buffer.
class ByteWriter
{
public:
    void u8(uint8_t value) { mBytes.push_back(value); }
    void u32(uint32_t value);
    void i32(int32_t value) { u32(static_cast<uint32_t>(value)); }
    void u64(uint64_t value);
    void i64(int64_t value) { u64(static_cast<uint64_t>(value)); }
    //! The float's IEEE bit pattern (NaN payloads and -0 are kept).
    void f32(float value);
    //! One byte, 0 or 1.
    void boolean(bool value) { u8(value ? 1 : 0); }
    //! u32 byte length, then the bytes (no terminator).
    void str(const std::string& value);
    void bytes(const void* data, size_t size);
    void zeros(size_t count) { mBytes.insert(mBytes.end(), count, 0); }
    //! Overwrites bytes already written at \p offset (lengths and checksums known only later).
    void patchU32(size_t offset, uint32_t value);
    void patchU64(size_t offset, uint64_t value);

    void reserve(size_t size) { mBytes.reserve(size); }
    size_t size() const { return mBytes.size(); }
    const uint8_t* data() const { return mBytes.data(); }
    //! Hands over the buffer; the writer is empty afterwards.
    std::vector<uint8_t> release() { return std::move(mBytes); }

private:
    std::vector<uint8_t> mBytes;
};

//! Reads little-endian values from [data, data + size) without ever reading past the end. \p section
//! names the range in messages ("truncated: section 'tensors' needs 8 bytes, 3 left"). The reader
//! does not own the bytes.
class ByteReader
{
public:
    ByteReader(const uint8_t* data, size_t size, std::string section);

    uint8_t u8();
    uint32_t u32();
    int32_t i32() { return static_cast<int32_t>(u32()); }
    uint64_t u64();
    int64_t i64() { return static_cast<int64_t>(u64()); }
    float f32();
    //! Fails on any byte other than 0 or 1.
    bool boolean();
    //! u32 length, then that many bytes.
    std::string str();
    //! A u32 element count, checked before anything is allocated for it: fails (and returns 0) when
    //! \p count entries of at least \p minElementBytes each cannot fit in the bytes left.
    uint32_t count(size_t minElementBytes);
    //! The next \p size bytes (in place), or nullptr after a failure or when fewer are left.
    const uint8_t* bytes(size_t size);

    size_t position() const { return mPosition; }
    size_t remaining() const { return mSize - mPosition; }
    const std::string& section() const { return mSection; }

    bool ok() const { return mStatus.isOk(); }
    //! The first failure, or ok.
    const Status& status() const { return mStatus; }
    //! Records a failure found by the caller in a value it read ("section 'layers': <message>");
    //! a no-op when the reader has already failed.
    void fail(const std::string& message);
    //! Records a failure with a message used exactly as given.
    void failWith(Status status);

private:
    //! True when \p size more bytes can be read; otherwise records a truncation.
    bool need(size_t size);

    const uint8_t* mData;
    size_t mSize;
    size_t mPosition{0};
    std::string mSection;
    Status mStatus;
};

} // namespace kiln::serialize
