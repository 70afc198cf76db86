// LayerParams: what a layer means, apart from how it runs (STYLE rule 3). One subclass per layer
// kind lives in layers/<kind>.{h,cpp}; it lists its fields once in visitFields() (serialization,
// printing, hashing and comparison all use that list), names its weights in visitWeights(), and
// validates itself and computes output shapes in inferShapes().
#pragma once

#include "NvInfer.h"
#include "common/dims.h"
#include "common/status.h"
#include "ir/layer_kind.h"
#include "ir/layout.h"

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace kiln::ir
{

//! Weights referenced by a layer. In a network they point at the application's memory; in an
//! engine at memory the engine owns (always FLOAT or INT32 there: HALF weights are converted).
struct WeightsRef
{
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    const void* values{nullptr};
    int64_t count{0};

    bool empty() const { return count == 0; }
    static WeightsRef fromApi(const nvinfer1::Weights& w) { return WeightsRef{w.type, w.values, w.count}; }
    nvinfer1::Weights toApi() const { return nvinfer1::Weights{type, values, count}; }
    //! FLOAT weights as floats; only valid in an engine (after conversion) or when type is kFLOAT.
    const float* floats() const { return static_cast<const float*>(values); }
};

//! Visits the plain fields of a LayerParams. Enums go through visitEnum as int32.
class FieldVisitor
{
public:
    virtual ~FieldVisitor() = default;
    virtual void visit(const char* name, int32_t& value) = 0;
    virtual void visit(const char* name, float& value) = 0;
    virtual void visit(const char* name, bool& value) = 0;
    virtual void visit(const char* name, nvinfer1::Dims& value) = 0;
    virtual void visit(const char* name, std::vector<int32_t>& value) = 0;
    virtual void visit(const char* name, std::vector<float>& value) = 0;

    template <typename E>
    void visitEnum(const char* name, E& value)
    {
        static_assert(std::is_enum<E>::value, "visitEnum takes an enum");
        int32_t v = static_cast<int32_t>(value);
        visit(name, v);
        // Only a visitor that sets fields changes v: readers (writers of engine files, printers,
        // hashers) must not store into parameters that running contexts read at the same time.
        if (v != static_cast<int32_t>(value))
            value = static_cast<E>(v);
    }
};

//! No refit role (e.g. IScaleLayer power weights).
constexpr int32_t kNoWeightsRole = -1;

//! Visits the weights of a LayerParams; \p role is a nvinfer1::WeightsRole value or kNoWeightsRole.
class WeightsVisitor
{
public:
    virtual ~WeightsVisitor() = default;
    virtual void visit(const char* name, int32_t role, WeightsRef& weights) = 0;
};

//! What shape inference knows about a tensor.
struct TensorDesc
{
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    nvinfer1::Dims dims{}; //!< -1 for extents not known yet
    //! Values of a small INT32 tensor when known at shape time (shape tensors).
    std::optional<std::vector<int32_t>> values;
    //! How the elements lie in memory (engines only; shape inference always sees kLinear).
    Layout layout{Layout::kLinear};
};

//! Inputs and outputs of one layer during shape inference, and error reporting with its name.
class ShapeContext
{
public:
    ShapeContext(std::string layerName, LayerKind kind, std::vector<const TensorDesc*> inputs, int32_t nbOutputs)
        : mLayerName(std::move(layerName))
        , mKind(kind)
        , mInputs(std::move(inputs))
        , mOutputs(static_cast<size_t>(nbOutputs))
    {
    }
    int32_t nbInputs() const { return static_cast<int32_t>(mInputs.size()); }
    //! Input \p i, or nullptr when that (optional) input is absent.
    const TensorDesc* input(int32_t i) const
    {
        return i >= 0 && i < nbInputs() ? mInputs[static_cast<size_t>(i)] : nullptr;
    }
    int32_t nbOutputs() const { return static_cast<int32_t>(mOutputs.size()); }
    TensorDesc& output(int32_t i) { return mOutputs[static_cast<size_t>(i)]; }
    std::vector<TensorDesc>& outputs() { return mOutputs; }
    const std::string& layerName() const { return mLayerName; }
    //! An invalid-argument error that names the layer: "layer 'conv1' (Convolution): <message>".
    Status error(const std::string& message) const
    {
        return invalidArgument("layer '" + mLayerName + "' (" + layerKindName(mKind) + "): " + message);
    }

private:
    std::string mLayerName;
    LayerKind mKind;
    std::vector<const TensorDesc*> mInputs;
    std::vector<TensorDesc> mOutputs;
};

//! Base of every layer kind's parameters.
class LayerParams
{
public:
    virtual ~LayerParams() = default;
    virtual LayerKind kind() const = 0;
    virtual std::unique_ptr<LayerParams> clone() const = 0;
    //! Lists every field once, in a fixed order (the engine file depends on that order).
    virtual void visitFields(FieldVisitor& visitor) = 0;
    //! Lists every weights slot once, in a fixed order.
    virtual void visitWeights(WeightsVisitor& /*visitor*/) {}
    virtual int32_t nbOutputs() const { return 1; }
    //! How many inputs the layer needs and accepts (optional inputs may be null in between).
    virtual int32_t minInputs() const { return 1; }
    virtual int32_t maxInputs() const { return 1; }
    //! True for inputs whose values (not just dims) are needed at shape time (INT32 shape tensors).
    virtual bool isShapeInput(int32_t /*index*/) const { return false; }
    //! Validates the parameters against the inputs and sets every output's type and dims (and the
    //! values of shape-tensor outputs when they can be known). Must never crash, whatever the
    //! fields hold: engines are deserialized into these objects.
    virtual Status inferShapes(ShapeContext& ctx) const = 0;
    //! Rewrites implicit-batch parameters (axes that leave the batch out) for the same layer with
    //! the batch as a leading axis 0 on every non-constant tensor.
    virtual Status addBatchAxis() { return Status::ok(); }

    //! const access for visitors that only read (writers, printers, hashers).
    void visitFieldsConst(FieldVisitor& visitor) const { const_cast<LayerParams*>(this)->visitFields(visitor); }
    void visitWeightsConst(WeightsVisitor& visitor) const { const_cast<LayerParams*>(this)->visitWeights(visitor); }
};

//! Creates default parameters for \p kind (layers/registry.cpp).
std::unique_ptr<LayerParams> makeParams(LayerKind kind);

} // namespace kiln::ir
