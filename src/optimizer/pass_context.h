// PassContext: what a pass sees of the graph while it rewrites it — consumer lists, shapes from
// the declared input dims, deferred layer removal — and the helpers rewrites share.
#pragma once

#include "common/reporter.h"
#include "ir/graph.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kiln::optimizer
{

//! One use of a tensor: input \p index of \p layer.
struct Use
{
    ir::Layer* layer{nullptr};
    int32_t index{0};
};

class PassContext
{
public:
    PassContext(ir::Graph& graph, const Reporter& reporter, std::string passName);

    ir::Graph& graph() { return mGraph; }
    const Reporter& reporter() const { return mReporter; }

    //! Uses of \p tensor by live (not erased) layers.
    const std::vector<Use>& uses(const ir::Tensor* tensor);
    //! \p tensor is read by exactly one live layer input and is not a network output: a rewrite
    //! may make it disappear.
    bool hasSingleUse(const ir::Tensor* tensor);
    //! The producer of \p tensor when it is a live layer of \p kind, else nullptr.
    ir::Layer* producerOfKind(const ir::Tensor* tensor, ir::LayerKind kind);

    //! Shape inference with the declared input dims (-1 extents where dynamic), computed when the
    //! pass starts (tensors made during the pass have none). nullptr when not known.
    const ir::TensorDesc* desc(const ir::Tensor* tensor);
    //! True when \p a and \p b have equal dims for every input shape: equal extents, and where
    //! both are dynamic, equal again when each dynamic input extent is given a distinct value.
    bool provablySameDims(const ir::Tensor* a, const ir::Tensor* b);

    //! Defers the removal of \p layer to the end of the pass (its uses disappear at once).
    void erase(ir::Layer* layer);
    bool isErased(const ir::Layer* layer) const { return mErased.count(layer) != 0; }
    //! Records a rewrite: refreshes the consumer lists and counts it.
    void changed();
    int32_t rewrites() const { return mRewrites; }
    //! Logs what fired, at kVERBOSE: "<pass>: <message>".
    void note(const std::string& message) const;

    //! A layer name not used in the graph yet: \p base, else "<base> (2)", ...
    std::string uniqueLayerName(const std::string& base) const;

    //! Removes the erased layers and every tensor that no live layer, input or output refers to.
    void finish();

private:
    void computeUses();
    void computeShapes();

    ir::Graph& mGraph;
    const Reporter& mReporter;
    std::string mPassName;
    bool mUsesValid{false};
    std::unordered_map<const ir::Tensor*, std::vector<Use>> mUses;
    bool mShapesComputed{false};
    std::unordered_map<const ir::Tensor*, ir::TensorDesc> mDescs;
    bool mProbeOk{false};
    std::unordered_map<const ir::Tensor*, ir::TensorDesc> mProbe;
    std::unordered_set<const ir::Layer*> mErased;
    int32_t mRewrites{0};
};

//! Makes \p tensor output \p index of \p layer (the tensor's old producer loses it).
void adoptOutput(ir::Layer& layer, int32_t index, ir::Tensor* tensor);

//! Adds a layer whose outputs are the existing tensors \p outputs (keeping their identity and
//! names) instead of new ones. The caller erases their previous producer.
ir::Layer* addLayerOnto(ir::Graph& graph, const std::string& name, std::unique_ptr<ir::LayerParams> params,
    std::vector<ir::Tensor*> inputs, const std::vector<ir::Tensor*>& outputs);

//! \p w as floats: FLOAT copied, HALF converted; false for other types or missing values.
bool readFloats(const ir::WeightsRef& w, std::vector<float>& out);

} // namespace kiln::optimizer
