// Graph: the network as layers and tensors. The API's INetworkDefinition wraps one; the builder
// clones it, lowers and optimizes the clone, and turns it into an engine plan.
#pragma once

#include "ir/params.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiln::ir
{

struct Layer;

struct Tensor
{
    std::string name;
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT}; //!< declared type (inputs) or the type requested
    nvinfer1::Dims dims{};                               //!< declared dims of a network input
    Layer* producer{nullptr};                            //!< nullptr for network inputs
    int32_t producerOutput{0};
    bool isInput{false};
    bool isOutput{false};
    bool isShapeOutput{false}; //!< marked with markOutputForShapes
    bool typeSet{false};       //!< setType was called on a layer output

    bool dynamicRangeSet{false};
    float dynamicRangeMin{0.f};
    float dynamicRangeMax{0.f};
    bool broadcastAcrossBatch{false};
    nvinfer1::TensorLocation location{nvinfer1::TensorLocation::kDEVICE};
    nvinfer1::TensorFormats allowedFormats{~0u};
};

struct Layer
{
    std::string name;
    std::unique_ptr<LayerParams> params;
    std::vector<Tensor*> inputs; //!< nullptr for an absent optional input
    std::vector<Tensor*> outputs;
    std::optional<nvinfer1::DataType> precision;
    std::vector<std::optional<nvinfer1::DataType>> outputTypes;
    //! The network layers this layer implements after optimizer fusions; empty: just itself.
    std::vector<std::string> sourceLayers;

    //! sourceLayers, or the layer's own name when nothing was fused into it.
    std::vector<std::string> sources() const { return sourceLayers.empty() ? std::vector<std::string>{name} : sourceLayers; }
    //! Records that \p other (and everything fused into it) now runs as part of this layer.
    void absorbSources(const Layer& other)
    {
        std::vector<std::string> mine = sources();
        for (const std::string& s : other.sources())
            mine.push_back(s);
        sourceLayers = std::move(mine);
    }

    LayerKind kind() const { return params->kind(); }
};

class Graph
{
public:
    bool implicitBatch{false};
    int32_t maxBatchSize{1};
    std::string name{"network"};

    std::vector<std::unique_ptr<Tensor>> tensors;
    std::vector<std::unique_ptr<Layer>> layers; //!< in creation order, not necessarily topological
    std::vector<Tensor*> inputs;
    std::vector<Tensor*> outputs; //!< in markOutput order

    Tensor* addInput(const std::string& name, nvinfer1::DataType type, const nvinfer1::Dims& dims);
    //! Adds a layer and creates its outputs (named "<layer> output" / "<layer> output k").
    Layer* addLayer(const std::string& name, std::unique_ptr<LayerParams> params, std::vector<Tensor*> inputs);
    void markOutput(Tensor* tensor);
    void unmarkOutput(Tensor* tensor);
    //! Deep copy; \p tensorMap (if given) receives old → new tensor pointers.
    std::unique_ptr<Graph> clone(std::unordered_map<const Tensor*, Tensor*>* tensorMap = nullptr) const;
    //! Layers in an order where every producer comes before its consumers, or an error naming a
    //! layer on a cycle or with an input from outside the graph.
    Expected<std::vector<Layer*>> topologicalOrder() const;
    //! Drops layers no output depends on, and the tensors only they used.
    void removeDeadLayers();

    //! Weights whose memory the graph owns (the optimizer's folded kernels, biases and constants).
    //! The returned reference stays valid as long as this graph or any clone() of it lives: clones
    //! share the (immutable) storage. The builder copies every layer's weights into the engine.
    WeightsRef ownWeights(std::vector<float> values);
    WeightsRef ownWeights(std::vector<int32_t> values);
    //! How many owned weights blocks this graph keeps alive (for tests).
    size_t ownedWeightsCount() const { return mOwnedWeights.size(); }

private:
    std::vector<std::shared_ptr<const void>> mOwnedWeights;
};

//! Supplies the descriptor of each network input during shape propagation.
using InputDescFn = std::function<TensorDesc(const Tensor&)>;

//! Runs inferShapes over \p order (a topological order of \p graph's layers). On success
//! \p descs holds a descriptor for every tensor reached. Errors name the failing layer.
Status propagateShapes(const Graph& graph, const std::vector<Layer*>& order, const InputDescFn& inputDesc,
    std::unordered_map<const Tensor*, TensorDesc>& descs);

} // namespace kiln::ir
