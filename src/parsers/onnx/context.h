// The state of one import: ONNX value names bound to network tensors or constant weights, the
// node being imported with its typed attributes, and the importer registry.
#pragma once

#include "NvInfer.h"
#include "status.h"
#include "weights.h"

#include "onnx/onnx_pb.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kiln::onnx
{

//! An ONNX value: a network tensor, a constant known at parse time, or absent (an optional input
//! given as "").
class Value
{
public:
    Value() = default;
    static Value of(nvinfer1::ITensor* tensor)
    {
        Value v;
        v.mTensor = tensor;
        return v;
    }
    static Value of(ShapedWeights weights)
    {
        Value v;
        v.mWeights = std::move(weights);
        v.mIsWeights = true;
        return v;
    }
    bool empty() const { return !mTensor && !mIsWeights; }
    bool isTensor() const { return mTensor != nullptr; }
    bool isWeights() const { return mIsWeights; }
    nvinfer1::ITensor* tensor() const { return mTensor; }
    const ShapedWeights& weights() const { return mWeights; }
    nvinfer1::DataType type() const { return mTensor ? mTensor->getType() : mWeights.type; }
    //! Tensor dims (-1 where dynamic) or the weights' shape.
    nvinfer1::Dims dims() const;
    int32_t rank() const { return dims().nbDims; }

private:
    nvinfer1::ITensor* mTensor{nullptr};
    ShapedWeights mWeights;
    bool mIsWeights{false};
};

//! A node's attributes by name, with defaults. Reading an attribute of the wrong type records an
//! error (reported for the node once its importer returns) and yields the default.
class NodeAttributes
{
public:
    explicit NodeAttributes(const ::onnx::NodeProto& node);
    bool has(const std::string& name) const { return mByName.count(name) != 0; }
    int64_t i(const std::string& name, int64_t fallback) const;
    float f(const std::string& name, float fallback) const;
    std::string s(const std::string& name, const std::string& fallback) const;
    std::vector<int64_t> ints(const std::string& name, std::vector<int64_t> fallback = {}) const;
    std::vector<float> floats(const std::string& name, std::vector<float> fallback = {}) const;
    const ::onnx::TensorProto* tensor(const std::string& name) const;
    const ::onnx::GraphProto* graph(const std::string& name) const;
    const OnnxStatus& status() const { return mStatus; }

private:
    const ::onnx::AttributeProto* find(const std::string& name, int32_t type) const;

    std::unordered_map<std::string, const ::onnx::AttributeProto*> mByName;
    mutable OnnxStatus mStatus;
};

class ImporterContext;

//! The node an importer converts.
struct Node
{
    ImporterContext& ctx;
    const ::onnx::NodeProto& proto;
    std::vector<Value> inputs;
    NodeAttributes attrs;
    int64_t opset;
    std::string name; //!< the node's name, or "<OpType>_<index>" when it has none

    nvinfer1::INetworkDefinition& network() const;
    WeightsArena& arena() const;
    int32_t nbInputs() const { return static_cast<int32_t>(inputs.size()); }
    bool has(int32_t i) const { return i < nbInputs() && !inputs[static_cast<size_t>(i)].empty(); }
    const Value& input(int32_t i) const { return inputs[static_cast<size_t>(i)]; }
    //! Input \p i as a network tensor (weights become a Constant layer), or nullptr if absent.
    nvinfer1::ITensor* tensor(int32_t i) const;
    //! Input \p i as constant integers, or an error naming what must be constant.
    OnnxExpected<std::vector<int64_t>> constInts(int32_t i, const char* what) const;
    OnnxExpected<std::vector<float>> constFloats(int32_t i, const char* what) const;
    //! "node 'name' (OpType)" for messages.
    std::string describe() const;
};

using Outputs = std::vector<Value>;
using Importer = std::function<OnnxExpected<Outputs>(Node&)>;

//! Importers by ONNX op type (default domain).
std::unordered_map<std::string, Importer>& importerRegistry();
struct ImporterRegistration
{
    ImporterRegistration(const char* op, Importer fn) { importerRegistry()[op] = std::move(fn); }
};

//! Defines the importer of an ONNX op: `KILN_ONNX_IMPORTER(Relu) { ... return Outputs{...}; }`.
#define KILN_ONNX_IMPORTER(Op)                                                                                         \
    static ::kiln::onnx::OnnxExpected<::kiln::onnx::Outputs> import##Op(::kiln::onnx::Node& node);                      \
    static const ::kiln::onnx::ImporterRegistration kRegister##Op(#Op, &import##Op);                                    \
    static ::kiln::onnx::OnnxExpected<::kiln::onnx::Outputs> import##Op(::kiln::onnx::Node& node)

//! The values of one graph (and the graphs it nests) and the network they are imported into.
class ImporterContext
{
public:
    ImporterContext(nvinfer1::INetworkDefinition& network, WeightsArena& arena, TensorSource source,
        std::vector<std::string>& warnings)
        : mNetwork(network)
        , mArena(arena)
        , mSource(std::move(source))
        , mWarnings(warnings)
    {
    }

    nvinfer1::INetworkDefinition& network() { return mNetwork; }
    WeightsArena& arena() { return mArena; }
    const TensorSource& source() const { return mSource; }
    void warn(std::string message) { mWarnings.push_back(std::move(message)); }
    std::vector<std::string>& warnings() { return mWarnings; }

    int64_t opset() const { return mOpset; }
    void setOpset(int64_t opset) { mOpset = opset; }

    //! The value bound to \p name, or nullptr.
    const Value* find(const std::string& name) const;
    void bind(const std::string& name, Value value) { mValues[name] = std::move(value); }
    //! Names bound inside a subgraph are removed again when it ends.
    std::unordered_map<std::string, Value>& values() { return mValues; }

    //! A Constant layer for \p weights (one per weights block).
    nvinfer1::ITensor* constant(const ShapedWeights& weights);
    nvinfer1::ITensor* toTensor(const Value& value) { return value.isTensor() ? value.tensor() : constant(value.weights()); }

    //! Tensors that carry an ONNX value's name (not to be renamed by later values).
    std::unordered_set<nvinfer1::ITensor*>& namedTensors() { return mNamed; }

    //! Imports every node of \p graph (its initializers and inputs must already be bound).
    OnnxStatus importNodes(const ::onnx::GraphProto& graph, std::vector<ErrorInfo>* errors);
    //! Imports one node (folding it to constants when all inputs are constant).
    OnnxStatus importNode(const ::onnx::NodeProto& proto, int32_t index);

    //! Folding of nodes with constant inputs can be turned off (for subgraph scratch networks).
    void setFolding(bool enabled) { mFolding = enabled; }
    //! The logger of the parse (folding builds scratch engines with a quiet one).
    void setLogger(nvinfer1::ILogger* logger) { mLogger = logger; }
    nvinfer1::ILogger* logger() const { return mLogger; }
    //! Verbose per-node messages.
    void setVerbose(bool verbose) { mVerbose = verbose; }

private:
    OnnxExpected<Outputs> runImporter(const Importer& importer, Node& node);
    OnnxExpected<Outputs> fold(const Importer& importer, Node& node);
    void nameOutputs(const ::onnx::NodeProto& proto, const std::string& nodeName, int32_t firstLayer, Outputs& outputs);

    nvinfer1::INetworkDefinition& mNetwork;
    WeightsArena& mArena;
    TensorSource mSource;
    std::vector<std::string>& mWarnings;
    int64_t mOpset{13};
    bool mFolding{true};
    bool mVerbose{false};
    nvinfer1::ILogger* mLogger{nullptr};
    std::unordered_map<std::string, Value> mValues;
    std::unordered_map<const void*, nvinfer1::ITensor*> mConstants;
    std::unordered_set<nvinfer1::ITensor*> mNamed;
};

} // namespace kiln::onnx
