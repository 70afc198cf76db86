// What a Caffe layer converter sees: the layer message, its weight blobs from the caffemodel, the
// network being filled, the resolved bottom tensors, and the arena that owns converted weights.
// Converters live in layers_*.cpp and register themselves by Caffe type name.
#pragma once

#include "NvInfer.h"
#include "common/diagnostics.h"
#include "common/half.h"
#include "kiln_caffe.pb.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kiln
{
namespace caffeparser
{

//! Owns every weight array handed to the network until the parser is destroyed (the network keeps
//! pointers until the engine is built). Arrays are converted to the parse's weight type.
class WeightsArena
{
public:
    explicit WeightsArena(nvinfer1::DataType type = nvinfer1::DataType::kFLOAT)
        : mType(type)
    {
    }
    void setType(nvinfer1::DataType type) { mType = type; }
    nvinfer1::DataType type() const { return mType; }

    //! Weights of the parse's type holding \p values.
    nvinfer1::Weights make(const std::vector<float>& values);
    //! FLOAT weights regardless of the parse's type (for values the layers need exactly).
    nvinfer1::Weights makeFloat(const std::vector<float>& values);
    void clear() { mFloats.clear(), mHalves.clear(); }

private:
    nvinfer1::DataType mType;
    std::vector<std::unique_ptr<std::vector<float>>> mFloats;
    std::vector<std::unique_ptr<std::vector<uint16_t>>> mHalves;
};

//! Converts a blob's values (float data, double data or NVCaffe raw FLOAT/FLOAT16/DOUBLE bytes) to
//! floats. False with \p error set when the blob is malformed (a raw size that is not a multiple
//! of the element size, an unknown raw type, a count that disagrees with the blob's shape).
bool blobValues(const kiln::caffe::BlobProto& blob, std::vector<float>& values, std::string& error);

//! The blob's shape: `shape` when present, else the legacy num/channels/height/width (leading
//! zeros dropped); empty when it has neither.
std::vector<int64_t> blobShape(const kiln::caffe::BlobProto& blob);

using parsers::floatToHalf;
using parsers::halfToFloat;

struct LayerContext
{
    const kiln::caffe::LayerParameter& layer;
    //! Weight blobs for this layer from the caffemodel (matched by name), or null when the parse
    //! has no model (weights are then generated, as trtexec does with --deploy alone).
    const std::vector<const kiln::caffe::BlobProto*>* blobs;
    nvinfer1::INetworkDefinition& network;
    std::vector<nvinfer1::ITensor*> inputs;
    WeightsArena& weights;
    parsers::Diagnostics& diag;
    //! True for implicit-batch networks: tensors have no N axis, so Caffe axis a is tensor axis a-1.
    bool implicitBatch;
    //! Set by the converter: one tensor per top.
    std::vector<nvinfer1::ITensor*> outputs;

    const std::string& name() const { return layer.name(); }
    //! "layer 'conv1' (Convolution)": how every message names the layer.
    std::string where() const;
    //! Reports an error naming the layer; returns false for `return ctx.fail(...)`.
    bool fail(const std::string& message, nvinfer1::ErrorCode code = nvinfer1::ErrorCode::kINVALID_ARGUMENT) const;
    //! Fails unless there are between \p minInputs and \p maxInputs bottoms.
    bool expectInputs(int minInputs, int maxInputs) const;
    //! Fails when the layer returned null; names it after the Caffe layer (suffix for helpers).
    bool check(nvinfer1::ILayer* created, const std::string& suffix = "") const;

    //! Converts Caffe axis \p axis (over N,C,H,W..., negative counts from the end) to a tensor axis
    //! of \p tensor. Fails for the batch axis of an implicit-batch network.
    bool tensorAxis(const nvinfer1::ITensor& tensor, int64_t axis, int32_t& out) const;
    //! The blob \p index's values, checked to hold \p expected values (-1: any). When the parse
    //! has no model, \p generate fills them instead.
    bool blob(int index, int64_t expected, std::vector<float>& values,
        const std::function<float(int64_t)>& generate = nullptr) const;
    int blobCount() const;
    //! Reshapes \p tensor to \p dims (0 copies, -1 infers, as IShuffleLayer does).
    nvinfer1::ITensor* reshape(nvinfer1::ITensor& tensor, const nvinfer1::Dims& dims, const std::string& suffix);
    //! A constant tensor broadcastable against a tensor of rank \p rank along channel axis
    //! \p axis: shape 1 everywhere except \p count at \p axis.
    nvinfer1::ITensor* channelConstant(const std::vector<float>& values, int32_t rank, int32_t axis,
        const std::string& suffix);
};

using LayerConverter = std::function<bool(LayerContext&)>;

//! The converters by Caffe type name.
std::map<std::string, LayerConverter>& layerRegistry();

struct RegisterLayer
{
    RegisterLayer(const char* type, LayerConverter converter) { layerRegistry()[type] = std::move(converter); }
};

#define KILN_CAFFE_LAYER_CAT2(a, b) a##b
#define KILN_CAFFE_LAYER_CAT(a, b) KILN_CAFFE_LAYER_CAT2(a, b)
//! KILN_CAFFE_LAYER("Convolution") { ... uses ctx ... } defines and registers a converter.
#define KILN_CAFFE_LAYER(type)                                                                                         \
    static bool KILN_CAFFE_LAYER_CAT(convert_, __LINE__)(LayerContext & ctx);                                          \
    static const RegisterLayer KILN_CAFFE_LAYER_CAT(register_, __LINE__)(                                              \
        type, KILN_CAFFE_LAYER_CAT(convert_, __LINE__));                                                               \
    static bool KILN_CAFFE_LAYER_CAT(convert_, __LINE__)(LayerContext & ctx)

} // namespace caffeparser
} // namespace kiln
