#include "common/io_formats.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kiln::tools
{

bool readWts(const std::string& path, WtsMap& out, std::string& error)
{
    std::ifstream in(path);
    if (!in)
    {
        error = "cannot open weights file '" + path + "'";
        return false;
    }
    int64_t count = 0;
    if (!(in >> count) || count < 0)
    {
        error = "'" + path + "': the first line must hold the number of blobs";
        return false;
    }
    for (int64_t b = 0; b < count; ++b)
    {
        std::string name;
        int32_t type = 0;
        int64_t size = 0;
        if (!(in >> name >> std::dec >> type >> size) || size < 0 || size > (int64_t(1) << 31))
        {
            error = "'" + path + "': malformed header of blob " + std::to_string(b);
            return false;
        }
        WtsBlob blob;
        if (type != 0 && type != 1)
        {
            error = "'" + path + "': blob '" + name + "' has unsupported type " + std::to_string(type);
            return false;
        }
        blob.type = type == 0 ? nvinfer1::DataType::kFLOAT : nvinfer1::DataType::kHALF;
        for (int64_t i = 0; i < size; ++i)
        {
            uint32_t v = 0;
            if (!(in >> std::hex >> v))
            {
                error = "'" + path + "': blob '" + name + "' ends after " + std::to_string(i) + " of " + std::to_string(size) + " values";
                return false;
            }
            if (blob.type == nvinfer1::DataType::kHALF)
                blob.halves.push_back(static_cast<uint16_t>(v));
            else
                blob.values.push_back(v);
        }
        in >> std::dec;
        out[name] = std::move(blob);
    }
    return true;
}

bool readPgm(const std::string& path, int32_t& height, int32_t& width, std::vector<uint8_t>& pixels, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        error = "cannot open image '" + path + "'";
        return false;
    }
    std::string magic;
    int32_t maxval = 0;
    if (!(in >> magic >> width >> height >> maxval) || magic != "P5" || width <= 0 || height <= 0 || width > 65536
        || height > 65536 || maxval <= 0 || maxval > 255)
    {
        error = "'" + path + "' is not a binary 8-bit PGM (P5)";
        return false;
    }
    in.get(); // the single whitespace byte after maxval
    pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(height));
    if (!in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size())))
    {
        error = "'" + path + "' is truncated";
        return false;
    }
    return true;
}

int64_t NpyArray::count() const
{
    int64_t n = 1;
    for (int32_t d : shape)
        n *= d;
    return n;
}

bool readNpy(const std::string& path, NpyArray& out, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        error = "cannot open '" + path + "'";
        return false;
    }
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    {
        error = "'" + path + "' is not a .npy file";
        return false;
    }
    uint32_t headerLen = 0;
    if (magic[6] == 1)
    {
        unsigned char b[2];
        in.read(reinterpret_cast<char*>(b), 2);
        headerLen = b[0] | (b[1] << 8);
    }
    else
    {
        unsigned char b[4];
        in.read(reinterpret_cast<char*>(b), 4);
        headerLen = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
    }
    if (!in || headerLen > 65536)
    {
        error = "'" + path + "': bad .npy header";
        return false;
    }
    std::string header(headerLen, '\0');
    in.read(&header[0], headerLen);
    auto field = [&](const std::string& key) {
        const size_t k = header.find("'" + key + "'");
        return k == std::string::npos ? std::string() : header.substr(k + key.size() + 2);
    };
    const std::string descr = field("descr");
    if (descr.find("<f4") != std::string::npos)
        out.type = nvinfer1::DataType::kFLOAT;
    else if (descr.find("<i4") != std::string::npos)
        out.type = nvinfer1::DataType::kINT32;
    else if (descr.find("|b1") != std::string::npos)
        out.type = nvinfer1::DataType::kBOOL;
    else
    {
        error = "'" + path + "': only float32, int32 and bool arrays are supported";
        return false;
    }
    if (field("fortran_order").find("True") < field("fortran_order").find(','))
    {
        error = "'" + path + "': Fortran-ordered arrays are not supported";
        return false;
    }
    const std::string shapeText = field("shape");
    const size_t open = shapeText.find('('), close = shapeText.find(')');
    if (open == std::string::npos || close == std::string::npos)
    {
        error = "'" + path + "': no shape in the header";
        return false;
    }
    out.shape.clear();
    std::stringstream ss(shapeText.substr(open + 1, close - open - 1));
    std::string item;
    while (std::getline(ss, item, ','))
    {
        item.erase(0, item.find_first_not_of(" "));
        if (item.empty())
            continue;
        out.shape.push_back(std::stoi(item));
    }
    const size_t elem = out.type == nvinfer1::DataType::kBOOL ? 1 : 4;
    out.bytes.resize(static_cast<size_t>(out.count()) * elem);
    if (!in.read(reinterpret_cast<char*>(out.bytes.data()), static_cast<std::streamsize>(out.bytes.size())))
    {
        error = "'" + path + "': the data is shorter than the shape says";
        return false;
    }
    return true;
}

bool writeNpy(const std::string& path, const NpyArray& array, std::string& error)
{
    std::string shape = "(";
    for (size_t i = 0; i < array.shape.size(); ++i)
        shape += std::to_string(array.shape[i]) + (array.shape.size() == 1 || i + 1 < array.shape.size() ? "," : "");
    shape += ")";
    const char* descr = array.type == nvinfer1::DataType::kINT32 ? "<i4" : array.type == nvinfer1::DataType::kBOOL ? "|b1" : "<f4";
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    if (!out)
    {
        error = "cannot write '" + path + "'";
        return false;
    }
    out.write("\x93NUMPY\x01\x00", 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    const char lenBytes[2] = {static_cast<char>(len & 0xFF), static_cast<char>(len >> 8)};
    out.write(lenBytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(array.bytes.data()), static_cast<std::streamsize>(array.bytes.size()));
    if (!out)
    {
        error = "error writing '" + path + "'";
        return false;
    }
    return true;
}

namespace
{

//! Minimal protobuf wire-format cursor for BlobProto's few fields.
struct Wire
{
    const uint8_t* p;
    const uint8_t* end;
    bool ok{true};

    uint64_t varint()
    {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (p >= end)
            {
                ok = false;
                return 0;
            }
            const uint8_t b = *p++;
            v |= uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80))
                return v;
        }
        ok = false;
        return 0;
    }
    bool skip(uint32_t wireType)
    {
        switch (wireType)
        {
        case 0: varint(); return ok;
        case 1: return advance(8);
        case 2: return advance(varint());
        case 5: return advance(4);
        default: return ok = false;
        }
    }
    bool advance(uint64_t n)
    {
        if (!ok || n > static_cast<uint64_t>(end - p))
            return ok = false;
        p += n;
        return true;
    }
};

} // namespace

bool readBlobProto(const std::string& path, std::vector<int32_t>& shape, std::vector<float>& data, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
    {
        error = "cannot read '" + path + "'";
        return false;
    }
    Wire w{bytes.data(), bytes.data() + bytes.size()};
    int32_t legacy[4] = {0, 0, 0, 0}; // num, channels, height, width (fields 1..4)
    std::vector<int32_t> shapeDims;
    data.clear();
    while (w.ok && w.p < w.end)
    {
        const uint64_t key = w.varint();
        const uint32_t field = static_cast<uint32_t>(key >> 3), type = static_cast<uint32_t>(key & 7);
        if (field >= 1 && field <= 4 && type == 0)
            legacy[field - 1] = static_cast<int32_t>(w.varint());
        else if (field == 5 && type == 2) // packed float data
        {
            const uint64_t len = w.varint();
            if (!w.ok || len % 4 || len > static_cast<uint64_t>(w.end - w.p))
                break;
            const size_t n = len / 4;
            const size_t base = data.size();
            data.resize(base + n);
            std::memcpy(data.data() + base, w.p, len);
            w.p += len;
        }
        else if (field == 5 && type == 5)
        {
            if (!w.advance(0) || w.end - w.p < 4)
                break;
            float v;
            std::memcpy(&v, w.p, 4);
            data.push_back(v);
            w.p += 4;
        }
        else if (field == 7 && type == 2) // BlobShape { repeated int64 dim = 1 [packed] }
        {
            const uint64_t len = w.varint();
            if (!w.ok || len > static_cast<uint64_t>(w.end - w.p))
                break;
            Wire s{w.p, w.p + len};
            while (s.ok && s.p < s.end)
            {
                const uint64_t k = s.varint();
                if ((k >> 3) == 1 && (k & 7) == 2)
                {
                    const uint64_t l = s.varint();
                    Wire d{s.p, s.p + std::min<uint64_t>(l, static_cast<uint64_t>(s.end - s.p))};
                    while (d.ok && d.p < d.end)
                        shapeDims.push_back(static_cast<int32_t>(d.varint()));
                    s.advance(l);
                }
                else if ((k >> 3) == 1 && (k & 7) == 0)
                    shapeDims.push_back(static_cast<int32_t>(s.varint()));
                else
                    s.skip(static_cast<uint32_t>(k & 7));
            }
            w.p += len;
        }
        else
            w.skip(type);
    }
    if (!w.ok)
    {
        error = "'" + path + "' is not a valid BlobProto";
        return false;
    }
    shape = shapeDims.empty() ? std::vector<int32_t>(legacy, legacy + 4) : shapeDims;
    int64_t n = 1;
    for (int32_t d : shape)
        n *= d;
    if (n != static_cast<int64_t>(data.size()))
    {
        error = "'" + path + "': shape holds " + std::to_string(n) + " values but the data has " + std::to_string(data.size());
        return false;
    }
    return true;
}

} // namespace kiln::tools
