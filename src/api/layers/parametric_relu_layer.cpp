// IParametricReLULayer and INetworkDefinition::addParametricReLU.
#include "api/layer_impl.h"
#include "layers/parametric_relu.h"

namespace kiln::api
{

namespace
{

class ParametricReLULayer final : public LayerImpl<nvinfer1::IParametricReLULayer, layers::ParametricReLUParams>
{
public:
    using LayerImpl::LayerImpl;
};

} // namespace

nvinfer1::IParametricReLULayer* NetworkImpl::addParametricReLU(
    nvinfer1::ITensor& input, nvinfer1::ITensor& slope) noexcept
{
    ir::Tensor* x = unwrap(input, "addParametricReLU input");
    ir::Tensor* s = unwrap(slope, "addParametricReLU slope");
    if (!x || !s)
        return nullptr;
    return addLayer<ParametricReLULayer>(std::make_unique<layers::ParametricReLUParams>(), {x, s});
}

} // namespace kiln::api
