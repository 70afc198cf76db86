#include "serialize/network_codec.h"

#include "common/dtype.h"
#include "ir/verifier.h"
#include "serialize/params_codec.h"

#include <unordered_map>

namespace kiln::serialize
{

namespace
{

using std::to_string;

//! Visits weights slots in order, handing each its stored copy.
class WeightsWriter final : public ir::WeightsVisitor
{
public:
    explicit WeightsWriter(ByteWriter& w)
        : mW(w)
    {
    }
    void visit(const char*, int32_t, ir::WeightsRef& weights) override
    {
        mW.i32(static_cast<int32_t>(weights.type));
        mW.i64(weights.count);
        const size_t bytes = static_cast<size_t>(weights.count) * elementSize(weights.type);
        if (bytes)
            mW.bytes(weights.values, bytes);
    }

private:
    ByteWriter& mW;
};

//! Points each weights slot at its bytes in the section (copied out by ownNetworkWeights()).
class WeightsReader final : public ir::WeightsVisitor
{
public:
    WeightsReader(ByteReader& r, std::string who)
        : mR(r)
        , mWho(std::move(who))
    {
    }
    void visit(const char* name, int32_t, ir::WeightsRef& weights) override
    {
        if (!mR.ok())
            return;
        const int32_t type = mR.i32();
        const int64_t count = mR.i64();
        if (!mR.ok())
            return;
        const auto dtype = static_cast<nvinfer1::DataType>(type);
        if (!isValidDataType(dtype) || count < 0 || count > (int64_t{1} << 40))
            return mR.fail(mWho + ": " + name + " weights have type " + to_string(type) + " and count " + to_string(count));
        const size_t bytes = static_cast<size_t>(count) * elementSize(dtype);
        const uint8_t* data = mR.bytes(bytes);
        if (!mR.ok())
            return;
        weights = ir::WeightsRef{dtype, count == 0 ? nullptr : data, count};
    }

private:
    ByteReader& mR;
    std::string mWho;
};

void writeIndices(ByteWriter& w, const std::vector<int32_t>& indices)
{
    w.u32(static_cast<uint32_t>(indices.size()));
    for (int32_t i : indices)
        w.i32(i);
}

std::vector<int32_t> readIndices(ByteReader& r)
{
    std::vector<int32_t> indices(r.count(4));
    for (int32_t& i : indices)
        i = r.i32();
    return indices;
}

bool isEngineOnly(ir::LayerKind kind)
{
    return kind == ir::LayerKind::kPointwiseChain || kind == ir::LayerKind::kReformat;
}

} // namespace

void writeNetwork(ByteWriter& w, const plan::RefitRecipe& recipe)
{
    const ir::Graph& g = *recipe.network;
    w.str(g.name);
    w.boolean(g.implicitBatch);
    w.i32(g.maxBatchSize);
    w.boolean(recipe.optimizerDisabled);
    w.u32(static_cast<uint32_t>(recipe.disabledPasses.size()));
    for (const std::string& p : recipe.disabledPasses)
        w.str(p);
    w.i32(recipe.stopAfterPass);
    std::unordered_map<const ir::Tensor*, int32_t> index;
    w.u32(static_cast<uint32_t>(g.tensors.size()));
    for (const auto& t : g.tensors)
    {
        index[t.get()] = static_cast<int32_t>(index.size());
        w.str(t->name);
        w.i32(static_cast<int32_t>(t->type));
        writeDims(w, t->dims);
        w.boolean(t->isInput);
        w.boolean(t->isOutput);
        w.boolean(t->isShapeOutput);
        w.boolean(t->typeSet);
        w.boolean(t->broadcastAcrossBatch);
    }
    auto indicesOf = [&](const std::vector<ir::Tensor*>& tensors) {
        std::vector<int32_t> v;
        for (const ir::Tensor* t : tensors)
            v.push_back(t ? index.at(t) : -1);
        return v;
    };
    writeIndices(w, indicesOf(g.inputs));
    writeIndices(w, indicesOf(g.outputs));
    w.u32(static_cast<uint32_t>(g.layers.size()));
    for (const auto& layer : g.layers)
    {
        w.str(layer->name);
        w.i32(static_cast<int32_t>(layer->kind()));
        writeIndices(w, indicesOf(layer->inputs));
        writeIndices(w, indicesOf(layer->outputs));
        writeFields(w, *layer->params);
        WeightsWriter weights(w);
        layer->params->visitWeights(weights);
    }
}

std::shared_ptr<plan::RefitRecipe> readNetwork(ByteReader& r, const backends::Allocator& allocator)
{
    auto recipe = std::make_shared<plan::RefitRecipe>();
    recipe->network = std::make_shared<ir::Graph>();
    ir::Graph& g = *recipe->network;
    g.name = r.str();
    g.implicitBatch = r.boolean();
    g.maxBatchSize = r.i32();
    recipe->optimizerDisabled = r.boolean();
    const uint32_t nbDisabled = r.count(4);
    for (uint32_t i = 0; i < nbDisabled && r.ok(); ++i)
        recipe->disabledPasses.push_back(r.str());
    recipe->stopAfterPass = r.i32();
    const uint32_t nbTensors = r.count(4 + 4 + 4 + 5);
    for (uint32_t i = 0; i < nbTensors && r.ok(); ++i)
    {
        auto t = std::make_unique<ir::Tensor>();
        t->name = r.str();
        t->type = static_cast<nvinfer1::DataType>(r.i32());
        t->dims = readDims(r, "network tensor " + to_string(i));
        t->isInput = r.boolean();
        t->isOutput = r.boolean();
        t->isShapeOutput = r.boolean();
        t->typeSet = r.boolean();
        t->broadcastAcrossBatch = r.boolean();
        if (r.ok() && !isValidDataType(t->type))
            r.fail("network tensor " + to_string(i) + ": unknown data type " + to_string(static_cast<int32_t>(t->type)));
        g.tensors.push_back(std::move(t));
    }
    if (!r.ok())
        return nullptr;
    auto tensorAt = [&](int32_t i, bool optional, const std::string& who) -> ir::Tensor* {
        if (optional && i == -1)
            return nullptr;
        if (i < 0 || static_cast<size_t>(i) >= g.tensors.size())
        {
            r.fail(who + ": tensor index " + to_string(i) + " out of range");
            return nullptr;
        }
        return g.tensors[static_cast<size_t>(i)].get();
    };
    for (int32_t i : readIndices(r))
        if (ir::Tensor* t = tensorAt(i, false, "network input"); t)
            g.inputs.push_back(t);
    for (int32_t i : readIndices(r))
        if (ir::Tensor* t = tensorAt(i, false, "network output"); t)
            g.outputs.push_back(t);
    const uint32_t nbLayers = r.count(4 + 4 + 4 + 4 + 4);
    for (uint32_t l = 0; l < nbLayers && r.ok(); ++l)
    {
        auto layer = std::make_unique<ir::Layer>();
        layer->name = r.str();
        const int32_t kind = r.i32();
        const std::vector<int32_t> ins = readIndices(r);
        const std::vector<int32_t> outs = readIndices(r);
        if (!r.ok())
            break;
        const std::string who = "network layer " + to_string(l) + " ('" + layer->name + "')";
        if (!ir::isValidLayerKind(kind) || isEngineOnly(static_cast<ir::LayerKind>(kind)))
        {
            r.fail(who + ": layer kind " + to_string(kind) + " cannot be in a network");
            break;
        }
        layer->params = ir::makeParams(static_cast<ir::LayerKind>(kind));
        for (int32_t i : ins)
            layer->inputs.push_back(tensorAt(i, true, who));
        for (size_t o = 0; o < outs.size() && r.ok(); ++o)
        {
            ir::Tensor* t = tensorAt(outs[o], false, who);
            if (t && t->producer)
                r.fail(who + ": tensor '" + t->name + "' has two producers");
            else if (t)
            {
                t->producer = layer.get();
                t->producerOutput = static_cast<int32_t>(o);
                layer->outputs.push_back(t);
            }
        }
        if (!r.ok())
            break;
        readFields(r, *layer->params, who);
        WeightsReader weights(r, who);
        layer->params->visitWeights(weights);
        g.layers.push_back(std::move(layer));
    }
    if (!r.ok())
        return nullptr;
    // Only a network the IR verifier accepts (links, counts, names, cycles, shapes) reaches refit.
    if (Status s = ir::verifyGraph(g); !s)
    {
        r.fail("the network is not valid: " + s.message());
        return nullptr;
    }
    auto kept = plan::ownNetworkWeights(g, allocator);
    if (!kept)
    {
        r.failWith(kept.status());
        return nullptr;
    }
    recipe->weights = std::move(kept.value());
    return recipe;
}

} // namespace kiln::serialize
