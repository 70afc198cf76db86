#include "api/layer_impl.h"

#include "common/dtype.h"

namespace kiln::api
{

void LayerCore::usageError(const std::string& message) const
{
    mNetwork.fail("layer '" + mLayer.name + "': " + message);
}

void LayerCore::setName(const char* name)
{
    if (!name || !*name)
    {
        usageError("setName: the name must be a non-empty string");
        return;
    }
    mLayer.name = name;
}

nvinfer1::ITensor* LayerCore::getInput(int32_t index) const
{
    if (index < 0 || index >= getNbInputs())
        return nullptr;
    return mNetwork.wrap(mLayer.inputs[static_cast<size_t>(index)]);
}

nvinfer1::ITensor* LayerCore::getOutput(int32_t index) const
{
    if (index < 0 || index >= getNbOutputs())
    {
        usageError("getOutput: index " + std::to_string(index) + " out of range");
        return nullptr;
    }
    return mNetwork.wrap(mLayer.outputs[static_cast<size_t>(index)]);
}

void LayerCore::setInput(int32_t index, nvinfer1::ITensor& tensor)
{
    ir::Tensor* t = mNetwork.unwrap(tensor, "setInput");
    if (!t)
        return;
    const int32_t maxInputs = mLayer.params->maxInputs();
    if (index < 0 || index >= maxInputs)
    {
        usageError("setInput: index " + std::to_string(index) + " out of range (the layer takes at most "
            + std::to_string(maxInputs) + " inputs)");
        return;
    }
    for (const ir::Tensor* out : mLayer.outputs)
        if (out == t)
        {
            usageError("setInput: a layer cannot take its own output as input");
            return;
        }
    if (static_cast<size_t>(index) >= mLayer.inputs.size())
        mLayer.inputs.resize(static_cast<size_t>(index) + 1, nullptr);
    mLayer.inputs[static_cast<size_t>(index)] = t;
    mNetwork.changed(&mLayer);
}

void LayerCore::setPrecision(nvinfer1::DataType type)
{
    if (!isValidDataType(type))
    {
        usageError("setPrecision: invalid type");
        return;
    }
    mLayer.precision = type;
}

nvinfer1::DataType LayerCore::getPrecision() const
{
    return mLayer.precision.value_or(nvinfer1::DataType::kFLOAT);
}

void LayerCore::setOutputType(int32_t index, nvinfer1::DataType type)
{
    if (index < 0 || index >= getNbOutputs() || !isValidDataType(type))
    {
        usageError("setOutputType: invalid index or type");
        return;
    }
    mLayer.outputTypes[static_cast<size_t>(index)] = type;
}

nvinfer1::DataType LayerCore::getOutputType(int32_t index) const
{
    if (index < 0 || index >= getNbOutputs())
        return nvinfer1::DataType::kFLOAT;
    return mLayer.outputTypes[static_cast<size_t>(index)].value_or(nvinfer1::DataType::kFLOAT);
}

bool LayerCore::outputTypeIsSet(int32_t index) const
{
    return index >= 0 && index < getNbOutputs() && mLayer.outputTypes[static_cast<size_t>(index)].has_value();
}

void LayerCore::resetOutputType(int32_t index)
{
    if (index >= 0 && index < getNbOutputs())
        mLayer.outputTypes[static_cast<size_t>(index)].reset();
}

} // namespace kiln::api
