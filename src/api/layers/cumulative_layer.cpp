// ICumulativeLayer and INetworkDefinition::addCumulative.
#include "api/layer_impl.h"
#include "layers/cumulative.h"

namespace kiln::api
{

namespace
{

bool isValidOperation(nvinfer1::CumulativeOperation op)
{
    const auto v = static_cast<int32_t>(op);
    return v >= 0 && v < nvinfer1::EnumMax<nvinfer1::CumulativeOperation>();
}

class CumulativeLayer final : public LayerImpl<nvinfer1::ICumulativeLayer, layers::CumulativeParams>
{
public:
    using LayerImpl::LayerImpl;

    bool setOperation(nvinfer1::CumulativeOperation op) noexcept override
    {
        if (!isValidOperation(op))
        {
            usageError("setOperation: invalid cumulative operation " + std::to_string(static_cast<int32_t>(op)));
            return false;
        }
        params().operation = op;
        changed();
        return true;
    }
    nvinfer1::CumulativeOperation getOperation() const noexcept override { return params().operation; }
    void setExclusive(bool exclusive) noexcept override
    {
        params().exclusive = exclusive;
        changed();
    }
    bool getExclusive() const noexcept override { return params().exclusive; }
    void setReverse(bool reverse) noexcept override
    {
        params().reverse = reverse;
        changed();
    }
    bool getReverse() const noexcept override { return params().reverse; }
};

} // namespace

nvinfer1::ICumulativeLayer* NetworkImpl::addCumulative(nvinfer1::ITensor& input, nvinfer1::ITensor& axis,
    nvinfer1::CumulativeOperation operation, bool exclusive, bool reverse) noexcept
{
    ir::Tensor* in = unwrap(input, "addCumulative input");
    ir::Tensor* ax = unwrap(axis, "addCumulative axis");
    if (!in || !ax)
        return nullptr;
    if (!isValidOperation(operation))
        return fail("addCumulative: invalid operation " + std::to_string(static_cast<int32_t>(operation)));
    auto params = std::make_unique<layers::CumulativeParams>();
    params->operation = operation;
    params->exclusive = exclusive;
    params->reverse = reverse;
    return addLayer<CumulativeLayer>(std::move(params), {in, ax});
}

} // namespace kiln::api
