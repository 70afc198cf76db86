#include "optimizer/pass_context.h"

#include "common/dtype.h"

#include <algorithm>
#include <cstring>

namespace kiln::optimizer
{

PassContext::PassContext(ir::Graph& graph, const Reporter& reporter, std::string passName)
    : mGraph(graph)
    , mReporter(reporter)
    , mPassName(std::move(passName))
{
}

void PassContext::computeUses()
{
    mUses.clear();
    for (const auto& l : mGraph.layers)
    {
        if (isErased(l.get()))
            continue;
        for (size_t i = 0; i < l->inputs.size(); ++i)
            if (l->inputs[i])
                mUses[l->inputs[i]].push_back(Use{l.get(), static_cast<int32_t>(i)});
    }
    mUsesValid = true;
}

const std::vector<Use>& PassContext::uses(const ir::Tensor* tensor)
{
    static const std::vector<Use> kNone;
    if (!mUsesValid)
        computeUses();
    auto it = mUses.find(tensor);
    return it == mUses.end() ? kNone : it->second;
}

bool PassContext::hasSingleUse(const ir::Tensor* tensor)
{
    return tensor && !tensor->isOutput && !tensor->isInput && uses(tensor).size() == 1;
}

ir::Layer* PassContext::producerOfKind(const ir::Tensor* tensor, ir::LayerKind kind)
{
    if (!tensor || !tensor->producer || isErased(tensor->producer) || tensor->producer->kind() != kind)
        return nullptr;
    return tensor->producer;
}

void PassContext::computeShapes()
{
    mShapesComputed = true;
    auto order = mGraph.topologicalOrder();
    if (!order)
        return;
    Status s = ir::propagateShapes(mGraph, order.value(), [](const ir::Tensor& t) {
        ir::TensorDesc d;
        d.type = t.type;
        d.dims = t.dims;
        return d;
    }, mDescs);
    if (!s)
    {
        mDescs.clear();
        return;
    }
    // The probe: every dynamic input extent gets its own unusual value.
    int32_t next = 37;
    std::unordered_map<const ir::Tensor*, nvinfer1::Dims> probeDims;
    for (const ir::Tensor* t : mGraph.inputs)
    {
        nvinfer1::Dims d = t->dims;
        for (int32_t i = 0; i < d.nbDims; ++i)
            if (d.d[i] < 0)
            {
                d.d[i] = next;
                next += 4;
            }
        probeDims[t] = d;
    }
    Status p = ir::propagateShapes(mGraph, order.value(), [&](const ir::Tensor& t) {
        ir::TensorDesc d;
        d.type = t.type;
        d.dims = probeDims.at(&t);
        return d;
    }, mProbe);
    mProbeOk = p.isOk();
}

const ir::TensorDesc* PassContext::desc(const ir::Tensor* tensor)
{
    if (!mShapesComputed)
        computeShapes();
    auto it = mDescs.find(tensor);
    return it == mDescs.end() ? nullptr : &it->second;
}

bool PassContext::provablySameDims(const ir::Tensor* a, const ir::Tensor* b)
{
    const ir::TensorDesc* da = desc(a);
    const ir::TensorDesc* db = desc(b);
    if (!da || !db || !sameDims(da->dims, db->dims))
        return false;
    if (!hasDynamicExtent(da->dims))
        return true;
    if (!mProbeOk)
        return false;
    auto pa = mProbe.find(a);
    auto pb = mProbe.find(b);
    return pa != mProbe.end() && pb != mProbe.end() && sameDims(pa->second.dims, pb->second.dims);
}

void PassContext::erase(ir::Layer* layer)
{
    mErased.insert(layer);
    mUsesValid = false;
}

void PassContext::changed()
{
    ++mRewrites;
    mUsesValid = false;
}

void PassContext::note(const std::string& message) const
{
    mReporter.verbose(mPassName + ": " + message);
}

std::string PassContext::uniqueLayerName(const std::string& base) const
{
    std::unordered_set<std::string> names;
    for (const auto& l : mGraph.layers)
        names.insert(l->name);
    if (!names.count(base))
        return base;
    for (int i = 2;; ++i)
    {
        std::string candidate = base + " (" + std::to_string(i) + ")";
        if (!names.count(candidate))
            return candidate;
    }
}

void PassContext::finish()
{
    if (!mErased.empty())
        mGraph.layers.erase(std::remove_if(mGraph.layers.begin(), mGraph.layers.end(),
                                [&](const std::unique_ptr<ir::Layer>& l) { return mErased.count(l.get()) != 0; }),
            mGraph.layers.end());
    mErased.clear();
    std::unordered_set<const ir::Tensor*> referenced(mGraph.inputs.begin(), mGraph.inputs.end());
    referenced.insert(mGraph.outputs.begin(), mGraph.outputs.end());
    for (const auto& l : mGraph.layers)
    {
        referenced.insert(l->inputs.begin(), l->inputs.end());
        referenced.insert(l->outputs.begin(), l->outputs.end());
    }
    mGraph.tensors.erase(std::remove_if(mGraph.tensors.begin(), mGraph.tensors.end(),
                             [&](const std::unique_ptr<ir::Tensor>& t) { return !referenced.count(t.get()); }),
        mGraph.tensors.end());
    mUsesValid = false;
}

void adoptOutput(ir::Layer& layer, int32_t index, ir::Tensor* tensor)
{
    if (tensor->producer && tensor->producer != &layer)
    {
        auto& old = tensor->producer->outputs;
        const auto k = static_cast<size_t>(tensor->producerOutput);
        if (k < old.size() && old[k] == tensor)
            old[k] = nullptr;
    }
    layer.outputs[static_cast<size_t>(index)] = tensor;
    tensor->producer = &layer;
    tensor->producerOutput = index;
}

ir::Layer* addLayerOnto(ir::Graph& graph, const std::string& name, std::unique_ptr<ir::LayerParams> params,
    std::vector<ir::Tensor*> inputs, const std::vector<ir::Tensor*>& outputs)
{
    ir::Layer* layer = graph.addLayer(name, std::move(params), std::move(inputs));
    // addLayer made fresh output tensors; drop them for the given ones.
    std::unordered_set<const ir::Tensor*> fresh(layer->outputs.begin(), layer->outputs.end());
    for (size_t k = 0; k < outputs.size() && k < layer->outputs.size(); ++k)
        adoptOutput(*layer, static_cast<int32_t>(k), outputs[k]);
    graph.tensors.erase(std::remove_if(graph.tensors.begin(), graph.tensors.end(),
                            [&](const std::unique_ptr<ir::Tensor>& t) {
                                return fresh.count(t.get()) && t->producer == layer
                                    && std::find(layer->outputs.begin(), layer->outputs.end(), t.get()) == layer->outputs.end();
                            }),
        graph.tensors.end());
    return layer;
}

bool readFloats(const ir::WeightsRef& w, std::vector<float>& out)
{
    out.clear();
    if (w.count < 0 || (w.count > 0 && !w.values))
        return false;
    const auto n = static_cast<size_t>(w.count);
    if (w.type == nvinfer1::DataType::kFLOAT)
    {
        out.resize(n);
        if (n)
            std::memcpy(out.data(), w.values, n * sizeof(float));
        return true;
    }
    if (w.type == nvinfer1::DataType::kHALF)
    {
        out.resize(n);
        const auto* h = static_cast<const uint16_t*>(w.values);
        for (size_t i = 0; i < n; ++i)
            out[i] = halfToFloat(h[i]);
        return true;
    }
    return false;
}

} // namespace kiln::optimizer
