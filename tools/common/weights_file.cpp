#include "common/weights_file.h"

#include "common/io_formats.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>

#ifdef KILN_HAVE_ZLIB
#include <zlib.h>
#endif

namespace kiln::tools
{

int64_t NamedWeights::count() const
{
    const size_t elem = type == nvinfer1::DataType::kHALF ? 2 : 4;
    return static_cast<int64_t>(bytes.size() / elem);
}

nvinfer1::Weights NamedWeights::weights() const
{
    return nvinfer1::Weights{type, bytes.empty() ? nullptr : bytes.data(), count()};
}

const char* typeName(nvinfer1::DataType type)
{
    switch (type)
    {
    case nvinfer1::DataType::kFLOAT: return "float32";
    case nvinfer1::DataType::kHALF: return "float16";
    case nvinfer1::DataType::kINT32: return "int32";
    default: return "unsupported";
    }
}

bool npzDeflateSupported()
{
#ifdef KILN_HAVE_ZLIB
    return true;
#else
    return false;
#endif
}

namespace
{

uint32_t le16(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8;
}
uint32_t le32(const uint8_t* p)
{
    return le16(p) | le16(p + 2) << 16;
}
uint64_t le64(const uint8_t* p)
{
    return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32;
}

uint32_t crc32Of(const uint8_t* data, size_t size)
{
    static const auto table = [] {
        std::vector<uint32_t> t(256);
        for (uint32_t i = 0; i < 256; ++i)
        {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i)
        c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

//! A cursor over the .npy header, a Python dict literal such as
//! {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
struct HeaderParser
{
    const std::string& text;
    size_t pos{0};

    void blanks()
    {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
            ++pos;
    }
    bool accept(char c)
    {
        blanks();
        if (pos < text.size() && text[pos] == c)
            return ++pos, true;
        return false;
    }
    bool string(std::string& out)
    {
        blanks();
        if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
            return false;
        const char quote = text[pos++];
        const size_t end = text.find(quote, pos);
        if (end == std::string::npos)
            return false;
        out = text.substr(pos, end - pos);
        pos = end + 1;
        return true;
    }
    bool word(std::string& out)
    {
        blanks();
        const size_t start = pos;
        while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])))
            ++pos;
        out = text.substr(start, pos - start);
        return !out.empty();
    }
    bool integer(int64_t& out)
    {
        blanks();
        const size_t start = pos;
        out = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
        {
            if (out > (std::numeric_limits<int64_t>::max() - 9) / 10)
                return false;
            out = out * 10 + (text[pos++] - '0');
        }
        if (pos < text.size() && text[pos] == 'L') // Python 2's long suffix
            ++pos;
        return pos > start;
    }
    bool tuple(std::vector<int64_t>& out)
    {
        if (!accept('('))
            return false;
        out.clear();
        while (!accept(')'))
        {
            int64_t v = 0;
            if (!integer(v))
                return false;
            out.push_back(v);
            if (!accept(',') && !(blanks(), pos < text.size() && text[pos] == ')'))
                return false;
        }
        return true;
    }
};

#ifdef KILN_HAVE_ZLIB
//! Inflates raw deflate data that must expand to exactly \p usize bytes.
bool inflateRaw(const uint8_t* in, uint64_t csize, uint64_t usize, std::vector<uint8_t>& out)
{
    out.assign(static_cast<size_t>(usize), 0);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return false;
    uint8_t dummy = 0;
    uint64_t inDone = 0, outDone = 0;
    const uint64_t kChunk = uint64_t(1) << 30; // avail_in/avail_out are 32-bit
    z.next_out = &dummy;
    int rc = Z_OK;
    do
    {
        if (z.avail_in == 0 && inDone < csize)
        {
            z.next_in = const_cast<Bytef*>(in + inDone);
            z.avail_in = static_cast<uInt>(std::min(csize - inDone, kChunk));
            inDone += z.avail_in;
        }
        if (z.avail_out == 0 && outDone < usize)
        {
            z.next_out = out.data() + outDone;
            z.avail_out = static_cast<uInt>(std::min(usize - outDone, kChunk));
            outDone += z.avail_out;
        }
        rc = inflate(&z, Z_NO_FLUSH);
    } while (rc == Z_OK);
    const uint64_t produced = z.total_out;
    inflateEnd(&z);
    return rc == Z_STREAM_END && produced == usize;
}
#endif

} // namespace

bool parseNpy(const uint8_t* data, size_t size, const std::string& what, NamedWeights& out, std::string& error)
{
    auto fail = [&](const std::string& message) {
        error = what + ": " + message;
        return false;
    };
    if (size < 10 || std::memcmp(data, "\x93NUMPY", 6) != 0)
        return fail("not a .npy array (bad magic)");
    const uint32_t major = data[6];
    if (major < 1 || major > 3)
        return fail(".npy format version " + std::to_string(major) + "." + std::to_string(data[7])
            + " is not supported (1 to 3 are)");
    const size_t start = major == 1 ? 10 : 12;
    if (size < start)
        return fail("truncated .npy header");
    const size_t headerLen = major == 1 ? le16(data + 8) : le32(data + 8);
    if (headerLen > size - start)
        return fail("truncated .npy header (" + std::to_string(headerLen) + " bytes announced, "
            + std::to_string(size - start) + " present)");
    const std::string header(reinterpret_cast<const char*>(data) + start, headerLen);
    HeaderParser p{header};
    std::string descr, order;
    std::vector<int64_t> shape;
    bool haveDescr = false, haveOrder = false, haveShape = false;
    if (!p.accept('{'))
        return fail("malformed .npy header '" + header + "'");
    while (!p.accept('}'))
    {
        std::string key;
        if (!p.string(key) || !p.accept(':'))
            return fail("malformed .npy header '" + header + "'");
        bool ok = false;
        if (key == "descr")
            ok = haveDescr = p.string(descr);
        else if (key == "fortran_order")
            ok = haveOrder = p.word(order);
        else if (key == "shape")
            ok = haveShape = p.tuple(shape);
        else
        {
            std::string ignored;
            std::vector<int64_t> ignoredTuple;
            int64_t ignoredInt = 0;
            ok = p.string(ignored) || p.word(ignored) || p.tuple(ignoredTuple) || p.integer(ignoredInt);
        }
        if (!ok || (!p.accept(',') && !(p.blanks(), p.pos < header.size() && header[p.pos] == '}')))
            return fail("malformed .npy header '" + header + "' (at key '" + key + "')");
    }
    if (!haveDescr || !haveOrder || !haveShape)
        return fail("the .npy header lacks 'descr', 'fortran_order' or 'shape': '" + header + "'");
    size_t elem = 4;
    if (descr == "<f4")
        out.type = nvinfer1::DataType::kFLOAT;
    else if (descr == "<f2")
        out.type = nvinfer1::DataType::kHALF, elem = 2;
    else if (descr == "<i4")
        out.type = nvinfer1::DataType::kINT32;
    else
        return fail("dtype '" + descr + "' is not supported (float32 '<f4', float16 '<f2' and int32 '<i4' are; "
            + "convert with .astype(numpy.float32))");
    if (order == "True")
        return fail("Fortran-ordered arrays are not supported (save numpy.ascontiguousarray(a))");
    if (order != "False")
        return fail("malformed .npy header: fortran_order is '" + order + "'");
    int64_t count = 1;
    for (int64_t d : shape)
    {
        if (d != 0 && count > (int64_t(1) << 40) / d)
            return fail("the shape is too large");
        count *= d;
    }
    const size_t need = static_cast<size_t>(count) * elem;
    const size_t have = size - start - headerLen;
    if (have < need)
        return fail("truncated data: the shape needs " + std::to_string(need) + " bytes, " + std::to_string(have)
            + " are present");
    if (have > need)
        return fail(std::to_string(have - need) + " bytes follow the array's data");
    out.shape = shape;
    out.bytes.assign(data + start + headerLen, data + size);
    return true;
}

bool parseNpz(
    const uint8_t* data, size_t size, const std::string& what, std::vector<NamedWeights>& out, std::string& error)
{
    auto fail = [&](const std::string& message) {
        error = what + ": " + message;
        return false;
    };
    // The end of central directory record: 22 bytes plus a comment of up to 64 KiB.
    if (size < 22)
        return fail("not a .npz archive (too short for a ZIP file)");
    size_t eocd = std::string::npos;
    for (size_t i = size - 22 + 1; i-- > 0 && size - i <= 22 + 65535;)
        if (le32(data + i) == 0x06054b50u)
        {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos)
        return fail(std::memcmp(data, "PK\x03\x04", 4) == 0 ? "truncated ZIP archive (no end of central directory)"
                                                            : "not a .npz archive (no ZIP signature)");
    uint64_t entries = le16(data + eocd + 10);
    uint64_t cdSize = le32(data + eocd + 12);
    uint64_t cdOffset = le32(data + eocd + 16);
    if (entries == 0xFFFF || cdSize == 0xFFFFFFFFu || cdOffset == 0xFFFFFFFFu)
    {
        // ZIP64: the locator sits right before the record and points at the ZIP64 record.
        if (eocd < 20 || le32(data + eocd - 20) != 0x07064b50u)
            return fail("malformed ZIP64 archive (no locator)");
        const uint64_t at = le64(data + eocd - 20 + 8);
        if (at > size || size - at < 56 || le32(data + at) != 0x06064b50u)
            return fail("malformed ZIP64 archive (bad end of central directory)");
        entries = le64(data + at + 32);
        cdSize = le64(data + at + 40);
        cdOffset = le64(data + at + 48);
    }
    if (cdOffset > size || cdSize > size - cdOffset)
        return fail("truncated ZIP archive (the central directory lies outside the file)");
    std::set<std::string> names;
    uint64_t pos = cdOffset;
    const uint64_t cdEnd = cdOffset + cdSize;
    for (uint64_t e = 0; e < entries; ++e)
    {
        if (cdEnd - pos < 46 || le32(data + pos) != 0x02014b50u)
            return fail("malformed ZIP central directory (entry " + std::to_string(e) + ")");
        const uint8_t* h = data + pos;
        const uint32_t flags = le16(h + 8), method = le16(h + 10), crc = le32(h + 16);
        uint64_t csize = le32(h + 20), usize = le32(h + 24), local = le32(h + 42);
        const uint32_t nameLen = le16(h + 28), extraLen = le16(h + 30), commentLen = le16(h + 32);
        if (cdEnd - pos - 46 < uint64_t(nameLen) + extraLen + commentLen)
            return fail("malformed ZIP central directory (entry " + std::to_string(e) + ")");
        const std::string member(reinterpret_cast<const char*>(h + 46), nameLen);
        // ZIP64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in this order.
        for (const uint8_t *x = h + 46 + nameLen, *xEnd = x + extraLen; xEnd - x >= 4;)
        {
            const uint32_t id = le16(x), len = le16(x + 2);
            if (static_cast<size_t>(xEnd - x - 4) < len)
                break;
            if (id == 1)
            {
                const uint8_t* v = x + 4;
                const uint8_t* vEnd = v + len;
                for (uint64_t* field : {&usize, &csize, &local})
                    if (*field == 0xFFFFFFFFu)
                    {
                        if (vEnd - v < 8)
                            return fail("member '" + member + "': malformed ZIP64 extra field");
                        *field = le64(v);
                        v += 8;
                    }
            }
            x += 4 + len;
        }
        pos += 46 + uint64_t(nameLen) + extraLen + commentLen;
        if (!member.empty() && member.back() == '/')
            continue; // a folder
        if (flags & 1)
            return fail("member '" + member + "' is encrypted");
        if (member.size() < 5 || member.compare(member.size() - 4, 4, ".npy") != 0)
            return fail("member '" + member + "' is not a .npy array");
        if (local > size || size - local < 30 || le32(data + local) != 0x04034b50u)
            return fail("member '" + member + "': truncated or malformed local header");
        const uint64_t dataAt = local + 30 + uint64_t(le16(data + local + 26)) + le16(data + local + 28);
        if (dataAt > size || csize > size - dataAt)
            return fail("member '" + member + "' is truncated (" + std::to_string(csize) + " bytes announced)");
        std::vector<uint8_t> plain;
        if (method == 0)
        {
            if (csize != usize)
                return fail("member '" + member + "': stored sizes disagree");
            plain.assign(data + dataAt, data + dataAt + csize);
        }
        else if (method == 8)
        {
#ifdef KILN_HAVE_ZLIB
            // Deflate expands at most about 1032:1; a larger claim is a damaged (or hostile) header.
            if (usize > csize * 1032 + 1024)
                return fail("member '" + member + "': implausible uncompressed size " + std::to_string(usize));
            if (!inflateRaw(data + dataAt, csize, usize, plain))
                return fail("member '" + member + "': corrupt or truncated deflate data");
#else
            return fail("member '" + member
                + "' is compressed (np.savez_compressed); this kiln was built without zlib: "
                + "save with np.savez, or install zlib1g-dev and rebuild");
#endif
        }
        else
            return fail("member '" + member + "' uses ZIP compression method " + std::to_string(method)
                + " (only stored and deflate are supported)");
        if (crc32Of(plain.data(), plain.size()) != crc)
            return fail("member '" + member + "': CRC mismatch (the archive is damaged)");
        NamedWeights w;
        w.name = member.substr(0, member.size() - 4);
        if (!names.insert(w.name).second)
            return fail("member '" + member + "' appears twice");
        if (!parseNpy(plain.data(), plain.size(), what + ": '" + w.name + "'", w, error))
            return false;
        out.push_back(std::move(w));
    }
    return true;
}

bool readWeightsFile(const std::string& path, std::vector<NamedWeights>& out, std::string& error)
{
    out.clear();
    const bool wts = path.size() >= 4 && path.compare(path.size() - 4, 4, ".wts") == 0;
    if (wts)
    {
        WtsMap map;
        if (!readWts(path, map, error))
            return false;
        for (auto& [name, blob] : map)
        {
            NamedWeights w;
            w.name = name;
            w.type = blob.type;
            const nvinfer1::Weights v = blob.weights();
            const size_t bytes = static_cast<size_t>(v.count) * (blob.type == nvinfer1::DataType::kHALF ? 2 : 4);
            w.shape = {v.count};
            w.bytes.assign(static_cast<const uint8_t*>(v.values), static_cast<const uint8_t*>(v.values) + bytes);
            out.push_back(std::move(w));
        }
        return true;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        error = "cannot open weights file '" + path + "'";
        return false;
    }
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() >= 6 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0)
    {
        error = "'" + path + "' is a single .npy array; refit needs named arrays: an .npz (np.savez) or a .wts file";
        return false;
    }
    const bool npz = path.size() >= 4 && path.compare(path.size() - 4, 4, ".npz") == 0;
    if (!npz && !(bytes.size() >= 4 && std::memcmp(bytes.data(), "PK", 2) == 0))
    {
        error = "'" + path + "': unknown weights format (give an .npz or a .wts file)";
        return false;
    }
    return parseNpz(bytes.data(), bytes.size(), "'" + path + "'", out, error);
}

} // namespace kiln::tools
