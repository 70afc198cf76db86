// TensorImpl: ITensor over an ir::Tensor of a NetworkImpl.
#pragma once

#include "NvInfer.h"
#include "ir/graph.h"

namespace kiln::api
{

class NetworkImpl;

class TensorImpl final : public nvinfer1::ITensor
{
public:
    TensorImpl(NetworkImpl& network, ir::Tensor& tensor)
        : mNetwork(network)
        , mTensor(tensor)
    {
    }
    ir::Tensor& ir() { return mTensor; }

    void setName(const char* name) noexcept override;
    const char* getName() const noexcept override { return mTensor.name.c_str(); }
    void setDimensions(nvinfer1::Dims dimensions) noexcept override;
    nvinfer1::Dims getDimensions() const noexcept override;
    void setType(nvinfer1::DataType type) noexcept override;
    nvinfer1::DataType getType() const noexcept override;
    bool setDynamicRange(float min, float max) noexcept override;
    float getDynamicRange() const noexcept override { return mTensor.dynamicRangeMax; }
    bool isNetworkInput() const noexcept override { return mTensor.isInput; }
    bool isNetworkOutput() const noexcept override { return mTensor.isOutput; }
    void setBroadcastAcrossBatch(bool b) noexcept override { mTensor.broadcastAcrossBatch = b; }
    bool getBroadcastAcrossBatch() const noexcept override { return mTensor.broadcastAcrossBatch; }
    nvinfer1::TensorLocation getLocation() const noexcept override { return mTensor.location; }
    void setLocation(nvinfer1::TensorLocation location) noexcept override { mTensor.location = location; }
    bool dynamicRangeIsSet() const noexcept override { return mTensor.dynamicRangeSet; }
    void resetDynamicRange() noexcept override { mTensor.dynamicRangeSet = false; }
    float getDynamicRangeMin() const noexcept override { return mTensor.dynamicRangeMin; }
    float getDynamicRangeMax() const noexcept override { return mTensor.dynamicRangeMax; }
    void setAllowedFormats(nvinfer1::TensorFormats formats) noexcept override { mTensor.allowedFormats = formats; }
    nvinfer1::TensorFormats getAllowedFormats() const noexcept override { return mTensor.allowedFormats; }
    bool isShapeTensor() const noexcept override;
    bool isExecutionTensor() const noexcept override;

private:
    NetworkImpl& mNetwork;
    ir::Tensor& mTensor;
};

} // namespace kiln::api
