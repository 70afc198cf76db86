// IResizeLayer and INetworkDefinition::addResize. alignCorners and the coordinate transformation
// are kept in step: setAlignCorners(true) is setCoordinateTransformation(kALIGN_CORNERS).
#include "api/layer_impl.h"
#include "layers/resize.h"

namespace kiln::api
{

namespace
{

class ResizeLayer final : public LayerImpl<nvinfer1::IResizeLayer, layers::ResizeParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOutputDimensions(nvinfer1::Dims dimensions) noexcept override
    {
        if (!isValidRank(dimensions))
        {
            usageError("setOutputDimensions: invalid rank " + std::to_string(dimensions.nbDims));
            return;
        }
        params().outputDims = dimensions;
        params().shapeSource = layers::ResizeShapeSource::kOutputDims;
        changed();
    }
    nvinfer1::Dims getOutputDimensions() const noexcept override { return params().outputDims; }
    void setScales(const float* scales, int32_t nbScales) noexcept override
    {
        if (nbScales < 0 || nbScales > nvinfer1::Dims::MAX_DIMS || (nbScales > 0 && !scales))
        {
            usageError("setScales: " + std::to_string(nbScales) + " scales (at most 8, and not null)");
            return;
        }
        params().scales.assign(scales, scales + nbScales);
        params().shapeSource = layers::ResizeShapeSource::kScales;
        changed();
    }
    int32_t getScales(int32_t size, float* scales) const noexcept override
    {
        if (params().shapeSource != layers::ResizeShapeSource::kScales)
            return -1;
        const auto count = static_cast<int32_t>(params().scales.size());
        for (int32_t i = 0; scales && i < size && i < count; ++i)
            scales[i] = params().scales[static_cast<size_t>(i)];
        return count;
    }
    void setResizeMode(nvinfer1::ResizeMode resizeMode) noexcept override
    {
        params().resizeMode = resizeMode;
        changed();
    }
    nvinfer1::ResizeMode getResizeMode() const noexcept override { return params().resizeMode; }
    void setAlignCorners(bool alignCorners) noexcept override
    {
        params().alignCorners = alignCorners;
        if (alignCorners)
            params().coordinateTransformation = nvinfer1::ResizeCoordinateTransformation::kALIGN_CORNERS;
        else if (params().coordinateTransformation == nvinfer1::ResizeCoordinateTransformation::kALIGN_CORNERS)
            params().coordinateTransformation = nvinfer1::ResizeCoordinateTransformation::kASYMMETRIC;
        changed();
    }
    bool getAlignCorners() const noexcept override
    {
        return params().transform() == nvinfer1::ResizeCoordinateTransformation::kALIGN_CORNERS;
    }
    void setCoordinateTransformation(nvinfer1::ResizeCoordinateTransformation coordTransform) noexcept override
    {
        params().coordinateTransformation = coordTransform;
        params().alignCorners = coordTransform == nvinfer1::ResizeCoordinateTransformation::kALIGN_CORNERS;
        changed();
    }
    nvinfer1::ResizeCoordinateTransformation getCoordinateTransformation() const noexcept override
    {
        return params().transform();
    }
    void setSelectorForSinglePixel(nvinfer1::ResizeSelector selector) noexcept override
    {
        params().selector = selector;
        changed();
    }
    nvinfer1::ResizeSelector getSelectorForSinglePixel() const noexcept override { return params().selector; }
    void setNearestRounding(nvinfer1::ResizeRoundMode value) noexcept override
    {
        params().nearestRounding = value;
        changed();
    }
    nvinfer1::ResizeRoundMode getNearestRounding() const noexcept override { return params().nearestRounding; }
    void setCubicCoeff(float coeff) noexcept override
    {
        params().cubicCoeff = coeff;
        changed();
    }
    float getCubicCoeff() const noexcept override { return params().cubicCoeff; }
    void setExcludeOutside(bool excludeFlag) noexcept override
    {
        params().excludeOutside = excludeFlag;
        changed();
    }
    bool getExcludeOutside() const noexcept override { return params().excludeOutside; }
    void setExtrapolationValue(float value) noexcept override
    {
        params().extrapolationValue = value;
        changed();
    }
    float getExtrapolationValue() const noexcept override { return params().extrapolationValue; }
};

} // namespace

nvinfer1::IResizeLayer* NetworkImpl::addResize(nvinfer1::ITensor& input) noexcept
{
    ir::Tensor* in = unwrap(input, "addResize input");
    if (!in)
        return nullptr;
    return addLayer<ResizeLayer>(std::make_unique<layers::ResizeParams>(), {in});
}

} // namespace kiln::api
