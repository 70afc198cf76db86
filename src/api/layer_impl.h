// LayerImpl<I, P>: the ILayer part of every layer wrapper, over an ir::Layer whose params are P.
// A kind's wrapper derives from LayerImpl<I<Kind>Layer, <Kind>Params> and implements only the
// kind's own setters/getters, each calling changed() after a mutation. See
// api/layers/activation_layer.cpp for the pattern.
#pragma once

#include "api/network_impl.h"
#include "api/tensor_impl.h"

namespace kiln::api
{

//! The deprecated DimsHW getters of spatial layers: the last two extents of an Nd value.
inline nvinfer1::DimsHW lastTwo(const nvinfer1::Dims& d)
{
    if (d.nbDims < 2 || d.nbDims > nvinfer1::Dims::MAX_DIMS)
        return nvinfer1::DimsHW(0, 0);
    return nvinfer1::DimsHW(d.d[d.nbDims - 2], d.d[d.nbDims - 1]);
}

//! The ILayer members, shared by all kinds (not a template, to keep code size down).
class LayerCore
{
public:
    LayerCore(NetworkImpl& network, ir::Layer& layer)
        : mNetwork(network)
        , mLayer(layer)
    {
    }
    NetworkImpl& network() const { return mNetwork; }
    ir::Layer& layer() const { return mLayer; }

    void setName(const char* name);
    int32_t getNbInputs() const { return static_cast<int32_t>(mLayer.inputs.size()); }
    nvinfer1::ITensor* getInput(int32_t index) const;
    int32_t getNbOutputs() const { return static_cast<int32_t>(mLayer.outputs.size()); }
    nvinfer1::ITensor* getOutput(int32_t index) const;
    //! Rewires input \p index (may append an optional input up to params.maxInputs()).
    void setInput(int32_t index, nvinfer1::ITensor& tensor);
    void setPrecision(nvinfer1::DataType type);
    nvinfer1::DataType getPrecision() const;
    bool precisionIsSet() const { return mLayer.precision.has_value(); }
    void resetPrecision() { mLayer.precision.reset(); }
    void setOutputType(int32_t index, nvinfer1::DataType type);
    nvinfer1::DataType getOutputType(int32_t index) const;
    bool outputTypeIsSet(int32_t index) const;
    void resetOutputType(int32_t index);
    //! Logs an API-usage error naming the layer.
    void usageError(const std::string& message) const;

private:
    NetworkImpl& mNetwork;
    ir::Layer& mLayer;
};

template <typename I, typename P>
class LayerImpl : public I
{
public:
    LayerImpl(NetworkImpl& network, ir::Layer& layer)
        : mCore(network, layer)
    {
    }

    nvinfer1::LayerType getType() const noexcept override { return ir::toLayerType(mCore.layer().kind()); }
    void setName(const char* name) noexcept override { mCore.setName(name); }
    const char* getName() const noexcept override { return mCore.layer().name.c_str(); }
    int32_t getNbInputs() const noexcept override { return mCore.getNbInputs(); }
    nvinfer1::ITensor* getInput(int32_t index) const noexcept override { return mCore.getInput(index); }
    int32_t getNbOutputs() const noexcept override { return mCore.getNbOutputs(); }
    nvinfer1::ITensor* getOutput(int32_t index) const noexcept override { return mCore.getOutput(index); }
    void setInput(int32_t index, nvinfer1::ITensor& tensor) noexcept override { mCore.setInput(index, tensor); }
    void setPrecision(nvinfer1::DataType dataType) noexcept override { mCore.setPrecision(dataType); }
    nvinfer1::DataType getPrecision() const noexcept override { return mCore.getPrecision(); }
    bool precisionIsSet() const noexcept override { return mCore.precisionIsSet(); }
    void resetPrecision() noexcept override { mCore.resetPrecision(); }
    void setOutputType(int32_t index, nvinfer1::DataType dataType) noexcept override { mCore.setOutputType(index, dataType); }
    nvinfer1::DataType getOutputType(int32_t index) const noexcept override { return mCore.getOutputType(index); }
    bool outputTypeIsSet(int32_t index) const noexcept override { return mCore.outputTypeIsSet(index); }
    void resetOutputType(int32_t index) noexcept override { mCore.resetOutputType(index); }

protected:
    P& params() { return static_cast<P&>(*mCore.layer().params); }
    const P& params() const { return static_cast<const P&>(*mCore.layer().params); }
    NetworkImpl& network() const { return mCore.network(); }
    //! Call after every mutation of params().
    void changed() { mCore.network().changed(&mCore.layer()); }
    void usageError(const std::string& message) const { mCore.usageError(message); }

private:
    LayerCore mCore;
};

} // namespace kiln::api
