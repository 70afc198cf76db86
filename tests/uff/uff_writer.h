// A small UFF writer for tests: MetaGraph messages by field number (FORMATS.md / kiln_uff.proto)
// on the shared wire-format writer, so tests can build valid and deliberately broken graphs.
#pragma once

#include "support/proto_writer.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace ufftest
{

using Msg = kiln::test::ProtoMessage;

// ---- Data values (the oneof of kiln.uff.Data)
inline Msg str(const std::string& s)
{
    return Msg().bytes(1, s);
}
inline Msg real(double d)
{
    return Msg().dbl(3, d);
}
inline Msg boolean(bool b)
{
    return Msg().varint(5, b ? 1 : 0);
}
inline Msg integer(int64_t i)
{
    return Msg().i64(7, i);
}
inline Msg ints(const std::vector<int64_t>& values)
{
    Msg list;
    for (int64_t v : values)
        list.i64(1, v);
    return Msg().msg(8, list);
}
inline Msg blob(const std::string& b)
{
    return Msg().bytes(9, b);
}
inline Msg refTo(const std::string& key)
{
    return Msg().bytes(100, key);
}
inline Msg dtype(int64_t t)
{
    return Msg().varint(101, static_cast<uint64_t>(t));
}
//! dim_orders_list: one DimensionOrders {OE_SPECIAL: list} per list.
inline Msg orders(const std::vector<std::vector<int64_t>>& lists)
{
    Msg all;
    for (const auto& l : lists)
    {
        Msg values;
        for (int64_t v : l)
            values.i64(1, v);
        Msg entry;
        entry.i64(1, -1).msg(2, values);
        all.msg(1, Msg().msg(1, entry));
    }
    return Msg().msg(104, all);
}

constexpr int64_t kFloat32 = 0x20020;
constexpr int64_t kInt32 = 0x10020;
constexpr int64_t kInc = 0x7FFFFFFF;

inline std::string floatBytes(const std::vector<float>& values)
{
    std::string s(values.size() * 4, '\0');
    if (!values.empty())
        std::memcpy(&s[0], values.data(), s.size());
    return s;
}

struct Node
{
    std::string id, op;
    std::vector<std::string> inputs;
    std::vector<std::pair<std::string, Msg>> fields;

    Node& field(const std::string& name, const Msg& value)
    {
        fields.emplace_back(name, value);
        return *this;
    }
};

//! A MetaGraph with one graph "main".
class Graph
{
public:
    Node& node(const std::string& id, const std::string& op, std::vector<std::string> inputs = {})
    {
        nodes.push_back(Node{id, op, std::move(inputs), {}});
        return nodes.back();
    }
    Node& input(const std::string& id, const std::vector<int64_t>& shape)
    {
        return node(id, "Input").field("dtype", dtype(kFloat32)).field("shape", ints(shape));
    }
    //! A float Const with its values in referenced_data under "weights_<id>".
    Node& constant(const std::string& id, const std::vector<int64_t>& shape, const std::vector<float>& values)
    {
        referenced.emplace_back("weights_" + id, blob(floatBytes(values)));
        return node(id, "Const")
            .field("dtype", dtype(kFloat32))
            .field("shape", ints(shape))
            .field("values", refTo("weights_" + id));
    }
    Node* find(const std::string& id)
    {
        for (Node& n : nodes)
            if (n.id == id)
                return &n;
        return nullptr;
    }

    std::string serialize() const
    {
        Msg graph;
        graph.bytes(1, "main");
        for (const Node& n : nodes)
        {
            Msg node;
            node.bytes(1, n.id);
            for (const std::string& in : n.inputs)
                node.bytes(2, in);
            node.bytes(3, n.op);
            for (const auto& f : n.fields)
                node.msg(4, Msg().bytes(1, f.first).msg(2, f.second));
            graph.msg(2, node);
        }
        Msg meta;
        meta.varint(1, 1).varint(2, 1).msg(3, Msg().bytes(1, "tensorflow_extension").varint(2, 1)).msg(4, graph);
        for (const auto& r : referenced)
            meta.msg(5, Msg().bytes(1, r.first).msg(2, r.second));
        return meta.data;
    }

    std::vector<Node> nodes;
    std::vector<std::pair<std::string, Msg>> referenced;
};

} // namespace ufftest
