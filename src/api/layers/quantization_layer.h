// IQuantizeLayer and IDequantizeLayer share their members (axis, output type): one wrapper template.
#pragma once

#include "api/layer_impl.h"

namespace kiln::api
{

template <typename Interface, typename Params>
class QuantizationLayer final : public LayerImpl<Interface, Params>
{
public:
    using LayerImpl<Interface, Params>::LayerImpl;

    int32_t getAxis() const noexcept override { return this->params().axis; }
    void setAxis(int32_t axis) noexcept override
    {
        this->params().axis = axis;
        this->changed();
    }
    void setToType(nvinfer1::DataType toType) noexcept override
    {
        this->params().toType = toType;
        this->changed();
    }
    nvinfer1::DataType getToType() const noexcept override { return this->params().toType; }
};

} // namespace kiln::api
