// The state of one parse: the MetaGraph and its referenced data, the values of the nodes
// converted so far, and the NodeContext an op converter works with (its inputs, its fields with
// refs resolved, helpers that add layers and name them after the node).
#pragma once

#include "NvUffParser.h"
#include "kiln_uff.pb.h"
#include "uff_types.h"
#include "uff_weights.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace kiln::uffparser
{

//! An input registered with IUffParser::registerInput.
struct InputRegistration
{
    std::string name;
    nvinfer1::Dims dims{};
    nvuffparser::UffInputOrder order{nvuffparser::UffInputOrder::kNCHW};
};

//! What the parser object hands to one parse.
struct ParseSettings
{
    std::vector<InputRegistration> inputs;
    std::vector<std::string> outputs;
    nvuffparser::IPluginFactory* pluginFactory{nullptr};
    nvuffparser::IPluginFactoryExt* pluginFactoryExt{nullptr};
};

//! Follows `ref` Data values into MetaGraph.referenced_data (refs may chain; loops are errors).
class DataResolver
{
public:
    explicit DataResolver(const ::kiln::uff::MetaGraph& meta)
        : mMeta(meta)
    {
    }
    //! The Data \p data stands for. \p what names it in errors ("field 'strides'").
    Status resolve(const ::kiln::uff::Data& data, const std::string& what, const ::kiln::uff::Data*& out) const;

private:
    const ::kiln::uff::MetaGraph& mMeta;
};

class Converter;

//! The node an op converter converts.
class NodeContext
{
public:
    NodeContext(Converter& converter, const ::kiln::uff::Node& node, std::vector<const Value*> inputs)
        : mConverter(converter)
        , mNode(node)
        , mInputs(std::move(inputs))
    {
    }

    const std::string& id() const { return mNode.id(); }
    const std::string& op() const { return mNode.operation(); }
    //! "node 'conv1/Conv2D' (Conv)", for messages.
    std::string describe() const;
    //! An error about this node: "node 'x' (Op): message".
    Status fail(const std::string& message) const;
    Status unsupported(const std::string& message) const;

    Converter& converter() { return mConverter; }
    nvinfer1::INetworkDefinition& network();
    WeightsStore& weights();

    int32_t nbInputs() const { return static_cast<int32_t>(mInputs.size()); }
    const Value& input(int32_t index) const { return *mInputs[static_cast<size_t>(index)]; }
    bool allInputsConst() const;
    //! Fails unless \p min <= inputs <= \p max (max < 0: no upper bound).
    Status expectInputs(int32_t min, int32_t max) const;
    //! Input \p index as a constant; fails naming \p what when it is a network tensor.
    Status constInput(int32_t index, const char* what, ConstPtr& out) const;
    //! Input \p index as a network tensor; a constant becomes a Constant layer when its leading
    //! extent (the batch axis) is 1.
    Status tensorInput(int32_t index, Value& out);

    // ---- Fields (refs resolved). Absent fields give the fallback. A field of the wrong kind is an
    // error that names the field.
    bool has(const std::string& name) const;
    Status intField(const std::string& name, int64_t fallback, int64_t& out) const;
    Status doubleField(const std::string& name, double fallback, double& out) const;
    Status boolField(const std::string& name, bool fallback, bool& out) const;
    Status stringField(const std::string& name, const std::string& fallback, std::string& out) const;
    Status intsField(const std::string& name, std::vector<int64_t>& out, bool& present) const;
    Status dtypeField(const std::string& name, int64_t fallback, int64_t& out) const;
    //! dim_orders_list (or a single dim_orders) expanded for \p ranks (one per order wanted).
    //! Absent: \p present is false and \p out is empty.
    Status ordersField(const std::string& name, const std::vector<int32_t>& ranks,
        std::vector<std::vector<int32_t>>& out, bool& present) const;
    //! The resolved Data of field \p name, or nullptr when absent.
    Status field(const std::string& name, const ::kiln::uff::Data*& out) const;

    // ---- Layers
    //! Checks a new layer (not null, valid output dims), names it after the node (with \p suffix
    //! for helper layers) and returns its output \p index.
    Status layerOutput(nvinfer1::ILayer* layer, const char* suffix, nvinfer1::ITensor*& out, int32_t index = 0);

    //! The node's result.
    void setOutput(Value value) { mOutput = std::move(value); }
    void setOutput(nvinfer1::ITensor* tensor, std::vector<int32_t> perm)
    {
        mOutput = Value{};
        mOutput.tensor = tensor;
        mOutput.perm = std::move(perm);
    }
    void setOutput(ConstTensor constant);
    const Value& output() const { return mOutput; }

private:
    Converter& mConverter;
    const ::kiln::uff::Node& mNode;
    std::vector<const Value*> mInputs;
    Value mOutput;
};

//! An op converter: reads the node's inputs and fields, adds layers, sets the output.
using OpConverter = Status (*)(NodeContext&);

//! Converts one MetaGraph into the network.
class Converter
{
public:
    Converter(nvinfer1::INetworkDefinition& network, WeightsStore& weights, const ParseSettings& settings,
        const ::kiln::uff::MetaGraph& meta);

    //! Converts the graph and marks the outputs.
    Status run();

    nvinfer1::INetworkDefinition& network() { return mNetwork; }
    WeightsStore& weights() { return mWeights; }
    const DataResolver& resolver() const { return mResolver; }
    const ParseSettings& settings() const { return mSettings; }
    //! The registration of input \p name, or nullptr.
    const InputRegistration* registration(const std::string& name) const;
    //! \p base, or base_2, base_3... when a layer already has that name.
    std::string uniqueLayerName(const std::string& base);
    //! Warnings go to the logger; the parse goes on.
    void warn(const std::string& message) { mWarnings.push_back(message); }
    const std::vector<std::string>& warnings() const { return mWarnings; }

private:
    Status checkGraph(const ::kiln::uff::Graph& graph, std::vector<int32_t>& order);
    Status convertNode(const ::kiln::uff::Node& node);
    Status convertCustom(NodeContext& ctx);
    Status markOutputs(const ::kiln::uff::Graph& graph);
    void nameTensors(const ::kiln::uff::Graph& graph, const std::vector<int32_t>& order);

    nvinfer1::INetworkDefinition& mNetwork;
    WeightsStore& mWeights;
    const ParseSettings& mSettings;
    const ::kiln::uff::MetaGraph& mMeta;
    DataResolver mResolver;
    std::unordered_map<std::string, Value> mValues;
    std::unordered_map<std::string, int32_t> mIndex;                  //!< node id -> index in the graph
    std::unordered_map<const nvinfer1::ITensor*, std::string> mOwner; //!< node that made a tensor
    std::vector<std::string> mWarnings;
    std::unordered_map<std::string, int32_t> mLayerNames; //!< uses of each layer name
    bool mChannelsFirstOutputs{false};
};

//! Op converters by UFF operation name (uff_ops_*.cpp).
const std::unordered_map<std::string, OpConverter>& opConverters();
//! Converters that compute a node from constant inputs at parse time, by operation name.
const std::unordered_map<std::string, OpConverter>& foldConverters();

} // namespace kiln::uffparser
