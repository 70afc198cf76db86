// ISliceLayer and INetworkDefinition::addSlice.
#include "api/layer_impl.h"
#include "layers/slice.h"

namespace kiln::api
{

namespace
{

class SliceLayer final : public LayerImpl<nvinfer1::ISliceLayer, layers::SliceParams>
{
public:
    using LayerImpl::LayerImpl;

    void setStart(nvinfer1::Dims start) noexcept override { setDims("setStart", params().start, start); }
    nvinfer1::Dims getStart() const noexcept override { return params().start; }
    void setSize(nvinfer1::Dims size) noexcept override { setDims("setSize", params().size, size); }
    nvinfer1::Dims getSize() const noexcept override { return params().size; }
    void setStride(nvinfer1::Dims stride) noexcept override { setDims("setStride", params().stride, stride); }
    nvinfer1::Dims getStride() const noexcept override { return params().stride; }
    void setMode(nvinfer1::SliceMode mode) noexcept override
    {
        params().mode = mode;
        changed();
    }
    nvinfer1::SliceMode getMode() const noexcept override { return params().mode; }

private:
    void setDims(const char* what, nvinfer1::Dims& field, const nvinfer1::Dims& value)
    {
        if (!isValidRank(value))
        {
            usageError(std::string(what) + ": invalid rank " + std::to_string(value.nbDims));
            return;
        }
        field = makeDims(toVector(value));
        changed();
    }
};

} // namespace

nvinfer1::ISliceLayer* NetworkImpl::addSlice(
    nvinfer1::ITensor& input, nvinfer1::Dims start, nvinfer1::Dims size, nvinfer1::Dims stride) noexcept
{
    ir::Tensor* in = unwrap(input, "addSlice input");
    if (!in)
        return nullptr;
    if (!isValidRank(start) || !isValidRank(size) || !isValidRank(stride))
        return fail("addSlice: start, size and stride need valid ranks");
    auto params = std::make_unique<layers::SliceParams>();
    params->start = makeDims(toVector(start));
    params->size = makeDims(toVector(size));
    params->stride = makeDims(toVector(stride));
    return addLayer<SliceLayer>(std::move(params), {in});
}

} // namespace kiln::api
