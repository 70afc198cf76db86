// A protobuf wire-format writer for tests: builds Caffe and UFF messages by field number, valid or
// deliberately broken, without linking a second copy of the parsers' generated classes (libnvparsers
// already registers its schemas in the process's descriptor pool).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace kiln
{
namespace test
{

//! One protobuf message under construction.
class ProtoMessage
{
public:
    ProtoMessage& varint(int field, uint64_t v)
    {
        key(field, 0);
        raw(v);
        return *this;
    }
    ProtoMessage& i64(int field, int64_t v) { return varint(field, static_cast<uint64_t>(v)); }
    ProtoMessage& dbl(int field, double d)
    {
        key(field, 1);
        uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof(bits));
        for (int b = 0; b < 8; ++b)
            data.push_back(static_cast<char>((bits >> (8 * b)) & 0xFF));
        return *this;
    }
    ProtoMessage& bytes(int field, const std::string& s)
    {
        key(field, 2);
        raw(s.size());
        data += s;
        return *this;
    }
    ProtoMessage& msg(int field, const ProtoMessage& m) { return bytes(field, m.data); }
    //! A packed repeated float field.
    ProtoMessage& floats(int field, const std::vector<float>& v)
    {
        std::string packed(v.size() * sizeof(float), '\0');
        if (!v.empty())
            std::memcpy(&packed[0], v.data(), packed.size());
        return bytes(field, packed);
    }

    std::string data;

private:
    void key(int field, int wire) { raw((static_cast<uint64_t>(field) << 3) | static_cast<uint64_t>(wire)); }
    void raw(uint64_t v)
    {
        while (v >= 0x80)
        {
            data.push_back(static_cast<char>((v & 0x7F) | 0x80));
            v >>= 7;
        }
        data.push_back(static_cast<char>(v));
    }
};

} // namespace test
} // namespace kiln
