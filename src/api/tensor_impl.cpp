#include "api/tensor_impl.h"

#include "layers/identity.h"

#include "api/network_impl.h"
#include "common/dtype.h"

namespace kiln::api
{

void TensorImpl::setName(const char* name) noexcept
{
    if (!name || !*name)
    {
        mNetwork.fail("ITensor::setName: the name must be a non-empty string");
        return;
    }
    mTensor.name = name;
}

void TensorImpl::setDimensions(nvinfer1::Dims dimensions) noexcept
{
    if (!mTensor.isInput)
    {
        mNetwork.fail("ITensor::setDimensions: '" + mTensor.name + "' is not a network input; its dimensions are inferred");
        return;
    }
    if (!isValidRank(dimensions))
    {
        mNetwork.fail("ITensor::setDimensions: invalid rank for '" + mTensor.name + "'");
        return;
    }
    mTensor.dims = makeDims(toVector(dimensions));
    mNetwork.changed();
}

nvinfer1::Dims TensorImpl::getDimensions() const noexcept
{
    if (mTensor.isInput)
        return mTensor.dims;
    const ir::TensorDesc* d = mNetwork.describe(&mTensor);
    return d ? d->dims : invalidDims();
}

void TensorImpl::setType(nvinfer1::DataType type) noexcept
{
    if (!isValidDataType(type))
    {
        mNetwork.fail("ITensor::setType: invalid type for '" + mTensor.name + "'");
        return;
    }
    mTensor.type = type;
    if (!mTensor.isInput)
        mTensor.typeSet = true;
    // On an identity's output the type is a conversion request; shape inference at API time sees it
    // at once (the builder applies the same rule).
    if (mTensor.producer && mTensor.producer->kind() == ir::LayerKind::kIdentity)
        static_cast<layers::IdentityParams&>(*mTensor.producer->params).outputType = static_cast<int32_t>(type);
    mNetwork.changed(mTensor.producer);
}

nvinfer1::DataType TensorImpl::getType() const noexcept
{
    if (mTensor.isInput || mTensor.typeSet)
        return mTensor.type;
    const ir::TensorDesc* d = mNetwork.describe(&mTensor);
    return d ? d->type : mTensor.type;
}

bool TensorImpl::setDynamicRange(float min, float max) noexcept
{
    if (!(min <= max))
    {
        mNetwork.fail("ITensor::setDynamicRange: min > max for '" + mTensor.name + "'");
        return false;
    }
    mTensor.dynamicRangeSet = true;
    mTensor.dynamicRangeMin = min;
    mTensor.dynamicRangeMax = max;
    return true;
}

bool TensorImpl::isShapeTensor() const noexcept
{
    for (const auto& layer : mNetwork.graph().layers)
        for (size_t i = 0; i < layer->inputs.size(); ++i)
            if (layer->inputs[i] == &mTensor && layer->params->isShapeInput(static_cast<int32_t>(i)))
                return true;
    return false;
}

bool TensorImpl::isExecutionTensor() const noexcept
{
    if (mTensor.isOutput || mTensor.isInput)
        return true;
    for (const auto& layer : mNetwork.graph().layers)
        for (size_t i = 0; i < layer->inputs.size(); ++i)
            if (layer->inputs[i] == &mTensor && !layer->params->isShapeInput(static_cast<int32_t>(i)))
                return true;
    return false;
}

} // namespace kiln::api
