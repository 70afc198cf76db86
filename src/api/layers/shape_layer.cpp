// IShapeLayer and INetworkDefinition::addShape.
#include "api/layer_impl.h"
#include "layers/shape.h"

namespace kiln::api
{

namespace
{

class ShapeLayer final : public LayerImpl<nvinfer1::IShapeLayer, layers::ShapeParams>
{
public:
    using LayerImpl::LayerImpl;
};

} // namespace

nvinfer1::IShapeLayer* NetworkImpl::addShape(nvinfer1::ITensor& input) noexcept
{
    ir::Tensor* in = unwrap(input, "addShape input");
    if (!in)
        return nullptr;
    return addLayer<ShapeLayer>(std::make_unique<layers::ShapeParams>(), {in});
}

} // namespace kiln::api
