// ONNX models built in code for the parser tests (parser_test.cpp, refit_map_test.cpp): a
// ModelProto under construction, attribute helpers, and an owning pointer for TensorRT objects.
#pragma once

#include "NvInfer.h"
#include "onnx/onnx_pb.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::onnxtest
{

using TP = onnx::TensorProto;

template <typename T>
struct Destroy
{
    void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T>
using Ptr = std::unique_ptr<T, Destroy<T>>;

constexpr uint32_t kExplicit = 1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);

//! A small model under construction.
struct Model
{
    onnx::ModelProto proto;
    explicit Model(int64_t opset = 13, int64_t irVersion = 8)
    {
        proto.set_ir_version(irVersion);
        proto.set_producer_name("kiln-tests");
        proto.add_opset_import()->set_version(opset);
        proto.mutable_graph()->set_name("g");
    }
    onnx::GraphProto& graph() { return *proto.mutable_graph(); }
    void input(const std::string& name, int32_t type, const std::vector<int64_t>& dims, const std::vector<std::string>& symbols = {})
    {
        auto* v = graph().add_input();
        v->set_name(name);
        auto* t = v->mutable_type()->mutable_tensor_type();
        t->set_elem_type(type);
        auto* shape = t->mutable_shape();
        for (size_t i = 0; i < dims.size(); ++i)
        {
            auto* d = shape->add_dim();
            if (i < symbols.size() && !symbols[i].empty())
                d->set_dim_param(symbols[i]);
            else
                d->set_dim_value(dims[i]);
        }
    }
    void output(const std::string& name) { graph().add_output()->set_name(name); }
    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& in, const std::vector<std::string>& out,
        const std::string& name = "")
    {
        auto* n = graph().add_node();
        n->set_op_type(op);
        n->set_name(name);
        for (const auto& i : in)
            n->add_input(i);
        for (const auto& o : out)
            n->add_output(o);
        return *n;
    }
    TP& floats(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& values)
    {
        TP* t = graph().add_initializer();
        t->set_name(name);
        t->set_data_type(TP::FLOAT);
        for (int64_t d : dims)
            t->add_dims(d);
        for (float v : values)
            t->add_float_data(v);
        return *t;
    }
    TP& int64s(const std::string& name, const std::vector<int64_t>& dims, const std::vector<int64_t>& values)
    {
        TP* t = graph().add_initializer();
        t->set_name(name);
        t->set_data_type(TP::INT64);
        for (int64_t d : dims)
            t->add_dims(d);
        for (int64_t v : values)
            t->add_int64_data(v);
        return *t;
    }
    std::string bytes() const { return proto.SerializeAsString(); }
};

inline void intAttr(onnx::NodeProto& n, const std::string& name, int64_t v)
{
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}

//! An INTS attribute.
inline void intsAttr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v)
{
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v)
        a->add_ints(x);
}

} // namespace kiln::onnxtest
