// INetworkDefinition members for layer kinds Kiln does not implement yet. Each reports a clear error
// and returns nullptr, so a program learns at the call that made the network what is missing.
#include "api/network_impl.h"

namespace kiln::api
{

nvinfer1::IRNNLayer* NetworkImpl::addRNN(nvinfer1::ITensor&, int32_t, std::size_t, int32_t, nvinfer1::RNNOperation,
    nvinfer1::RNNInputMode, nvinfer1::RNNDirection, nvinfer1::Weights, nvinfer1::Weights) noexcept
{
    return fail("addRNN: RNN layers are not supported by Kiln yet");
}

nvinfer1::IPluginLayer* NetworkImpl::addPlugin(nvinfer1::ITensor* const*, int32_t, nvinfer1::IPlugin&) noexcept
{
    return fail("addPlugin: legacy IPlugin layers are not supported by Kiln");
}

nvinfer1::IRNNv2Layer* NetworkImpl::addRNNv2(nvinfer1::ITensor&, int32_t, int32_t, int32_t, nvinfer1::RNNOperation) noexcept
{
    return fail("addRNNv2: RNN layers are not supported by Kiln yet");
}

nvinfer1::IPluginLayer* NetworkImpl::addPluginExt(nvinfer1::ITensor* const*, int32_t, nvinfer1::IPluginExt&) noexcept
{
    return fail("addPluginExt: legacy IPluginExt layers are not supported by Kiln");
}

nvinfer1::IPluginV2Layer* NetworkImpl::addPluginV2(nvinfer1::ITensor* const*, int32_t, nvinfer1::IPluginV2&) noexcept
{
    return fail("addPluginV2: plugin layers are not supported by Kiln's CPU backend yet");
}

nvinfer1::IRaggedSoftMaxLayer* NetworkImpl::addRaggedSoftMax(nvinfer1::ITensor&, nvinfer1::ITensor&) noexcept
{
    return fail("addRaggedSoftMax: ragged softmax layers are not supported by Kiln yet");
}

nvinfer1::ILoop* NetworkImpl::addLoop() noexcept
{
    return fail("addLoop: loops are not supported by Kiln yet");
}

// Placeholders for the 8.x additions while their layers are written (each moves to its own file).
} // namespace kiln::api
