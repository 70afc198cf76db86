#include "ir/printer.h"

#include "common/dtype.h"

#include <sstream>

namespace kiln::ir
{

namespace
{

class FieldPrinter final : public FieldVisitor
{
public:
    std::ostringstream out;

    void visit(const char* name, int32_t& v) override { field(name) << v; }
    void visit(const char* name, float& v) override { field(name) << v; }
    void visit(const char* name, bool& v) override { field(name) << (v ? "true" : "false"); }
    void visit(const char* name, nvinfer1::Dims& v) override { field(name) << toString(v); }
    void visit(const char* name, std::vector<int32_t>& v) override { list(name, v); }
    void visit(const char* name, std::vector<float>& v) override { list(name, v); }

private:
    std::ostream& field(const char* name)
    {
        if (mCount++ > 0)
            out << ' ';
        return out << name << '=';
    }
    template <typename T>
    void list(const char* name, const std::vector<T>& v)
    {
        std::ostream& o = field(name);
        o << '[';
        for (size_t i = 0; i < v.size(); ++i)
            o << (i ? "," : "") << v[i];
        o << ']';
    }
    int mCount{0};
};

class WeightsPrinter final : public WeightsVisitor
{
public:
    std::string out;
    void visit(const char* name, int32_t, WeightsRef& w) override
    {
        if (w.empty())
            return;
        out += (out.empty() ? "" : " ") + std::string(name) + "=" + dataTypeName(w.type) + "[" + std::to_string(w.count) + "]";
    }
};

} // namespace

std::string printFields(const LayerParams& params)
{
    FieldPrinter p;
    params.visitFieldsConst(p);
    return p.out.str();
}

std::string printGraph(const Graph& graph)
{
    std::unordered_map<const Tensor*, TensorDesc> descs;
    std::vector<Layer*> order;
    auto topo = graph.topologicalOrder();
    if (topo)
    {
        order = topo.value();
        Status s = propagateShapes(graph, order, [](const Tensor& t) {
            TensorDesc d;
            d.type = t.type;
            d.dims = t.dims;
            return d;
        }, descs);
        if (!s)
            descs.clear();
    }
    else
        for (const auto& l : graph.layers)
            order.push_back(l.get());

    auto tensorText = [&](const Tensor* t) {
        if (!t)
            return std::string("null");
        std::string s = "'" + t->name + "'";
        auto it = descs.find(t);
        if (it != descs.end())
            s += std::string(" ") + (it->second.type == nvinfer1::DataType::kFLOAT ? "" : std::string(dataTypeName(it->second.type)) + " ")
                + toString(it->second.dims);
        return s;
    };

    std::ostringstream out;
    out << "graph '" << graph.name << "' (" << (graph.implicitBatch ? "implicit" : "explicit") << " batch): " << graph.inputs.size()
        << " inputs, " << graph.outputs.size() << " outputs, " << graph.layers.size() << " layers\n";
    for (const Tensor* t : graph.inputs)
        out << "  input  '" << t->name << "' " << dataTypeName(t->type) << ' ' << toString(t->dims) << '\n';
    for (const Layer* l : order)
    {
        out << "  " << l->name << " [" << layerKindName(l->kind()) << ']';
        const std::string fields = printFields(*l->params);
        if (!fields.empty())
            out << ' ' << fields;
        WeightsPrinter w;
        l->params->visitWeightsConst(w);
        if (!w.out.empty())
            out << " weights{" << w.out << '}';
        out << "  (";
        for (size_t i = 0; i < l->inputs.size(); ++i)
            out << (i ? ", " : "") << tensorText(l->inputs[i]);
        out << ") -> (";
        for (size_t i = 0; i < l->outputs.size(); ++i)
            out << (i ? ", " : "") << tensorText(l->outputs[i]);
        out << ")\n";
    }
    for (const Tensor* t : graph.outputs)
        out << "  output '" << t->name << "'\n";
    return out.str();
}

} // namespace kiln::ir
