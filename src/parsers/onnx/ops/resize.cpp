// Resize (opsets 10, 11, 13, 18, 19) and Upsample: every mode, coordinate transformation and
// nearest rounding of the ONNX spec through IResizeLayer, with scales or sizes from constants.
#include "helpers.h"
#include "shape_math.h"

#include <cmath>
#include <limits>

namespace kiln::onnx
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ITensor;

static OnnxExpected<Outputs> resize(Node& node, const std::string& mode, const std::string& coord, int32_t scalesInput, int32_t sizesInput,
    const std::vector<float>& attrScales)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    const int32_t rank = d.nbDims;
    nvinfer1::IResizeLayer* l = node.network().addResize(*x);
    KILN_ONNX_NOT_NULL(l);
    if (mode == "nearest")
        l->setResizeMode(nvinfer1::ResizeMode::kNEAREST);
    else if (mode == "linear" || mode == "bilinear")
        l->setResizeMode(nvinfer1::ResizeMode::kLINEAR);
    else if (mode == "cubic")
        l->setResizeMode(nvinfer1::ResizeMode::kCUBIC);
    else
        return KILN_ONNX_ERROR(kINVALID_NODE, "unknown mode '" + mode + "'");
    using CT = nvinfer1::ResizeCoordinateTransformation;
    if (coord == "asymmetric")
        l->setCoordinateTransformation(CT::kASYMMETRIC);
    else if (coord == "align_corners")
        l->setCoordinateTransformation(CT::kALIGN_CORNERS);
    else if (coord == "half_pixel")
        l->setCoordinateTransformation(CT::kHALF_PIXEL);
    else if (coord == "pytorch_half_pixel")
    {
        l->setCoordinateTransformation(CT::kHALF_PIXEL);
        l->setSelectorForSinglePixel(nvinfer1::ResizeSelector::kUPPER);
    }
    else if (coord == "half_pixel_symmetric")
        l->setCoordinateTransformation(CT::kHALF_PIXEL_SYMMETRIC);
    else if (coord == "tf_half_pixel_for_nn")
        l->setCoordinateTransformation(CT::kTF_HALF_PIXEL_FOR_NN);
    else if (coord == "tf_crop_and_resize")
    {
        l->setCoordinateTransformation(CT::kTF_CROP_AND_RESIZE);
        KILN_ONNX_CHECK(node.has(1), kINVALID_NODE, "tf_crop_and_resize needs roi");
        ITensor* roi = node.tensor(1);
        KILN_ONNX_NOT_NULL(roi);
        l->setInput(2, *roi);
        l->setExtrapolationValue(node.attrs.f("extrapolation_value", 0.f));
    }
    else
        return KILN_ONNX_ERROR(kINVALID_NODE, "unknown coordinate_transformation_mode '" + coord + "'");
    // Opset 10 has no nearest_mode: it rounds down.
    const std::string nearest = node.attrs.s("nearest_mode", node.opset < 11 ? "floor" : "round_prefer_floor");
    using RM = nvinfer1::ResizeRoundMode;
    l->setNearestRounding(nearest == "round_prefer_ceil" ? RM::kHALF_UP
            : nearest == "floor"                         ? RM::kFLOOR
            : nearest == "ceil"                          ? RM::kCEIL
                                                         : RM::kHALF_DOWN);
    l->setCubicCoeff(node.attrs.f("cubic_coeff_a", -0.75f));
    l->setExcludeOutside(node.attrs.i("exclude_outside", 0) != 0);
    KILN_ONNX_CHECK(node.attrs.i("antialias", 0) == 0, kUNSUPPORTED_NODE, "antialias is not supported");

    std::vector<int64_t> axes = node.attrs.ints("axes");
    if (axes.empty())
        for (int32_t i = 0; i < rank; ++i)
            axes.push_back(i);
    for (int64_t& a : axes)
        KILN_ONNX_CHECK(normalizeAxis(a, rank), kINVALID_NODE, "axis is out of range");
    std::vector<float> scales = attrScales;
    if (scalesInput >= 0 && node.has(scalesInput) && node.input(scalesInput).weights().count() > 0)
    {
        KILN_ONNX_ASSIGN(scales, node.constFloats(scalesInput, "scales"));
    }
    if (!scales.empty())
    {
        KILN_ONNX_CHECK(scales.size() == axes.size(), kINVALID_NODE, "scales must hold one value per axis");
        std::vector<float> full(static_cast<size_t>(rank), 1.f);
        for (size_t k = 0; k < axes.size(); ++k)
            full[static_cast<size_t>(axes[k])] = scales[k];
        l->setScales(full.data(), rank);
        return Outputs{Value::of(l->getOutput(0))};
    }
    KILN_ONNX_CHECK(sizesInput >= 0 && node.has(sizesInput), kINVALID_NODE, "needs scales or sizes");
    if (node.input(sizesInput).isWeights())
    {
        const std::vector<int64_t> sizes = node.input(sizesInput).weights().ints();
        KILN_ONNX_CHECK(sizes.size() == axes.size(), kINVALID_NODE, "sizes must hold one value per axis");
        const std::string policy = node.attrs.s("keep_aspect_ratio_policy", "stretch");
        std::vector<int64_t> out = dimsVector(d);
        if (policy != "stretch")
        {
            double scale = policy == "not_larger" ? std::numeric_limits<double>::max() : 0.0;
            for (size_t k = 0; k < axes.size(); ++k)
            {
                KILN_ONNX_CHECK(d.d[axes[k]] > 0, kUNSUPPORTED_NODE, "keep_aspect_ratio_policy needs static extents");
                const double r = static_cast<double>(sizes[k]) / d.d[axes[k]];
                scale = policy == "not_larger" ? std::min(scale, r) : std::max(scale, r);
            }
            for (int64_t a : axes)
                out[static_cast<size_t>(a)] = static_cast<int64_t>(std::round(scale * d.d[a]));
        }
        else
            for (size_t k = 0; k < axes.size(); ++k)
                out[static_cast<size_t>(axes[k])] = sizes[k];
        for (int32_t i = 0; i < rank; ++i)
            if (out[static_cast<size_t>(i)] < 0)
                return KILN_ONNX_ERROR(kUNSUPPORTED_NODE, "sizes given for a dynamic axis must cover every axis");
        l->setOutputDimensions(makeDims(out));
        return Outputs{Value::of(l->getOutput(0))};
    }
    KILN_ONNX_CHECK(static_cast<int32_t>(axes.size()) == rank, kUNSUPPORTED_NODE, "run-time sizes must cover every axis");
    ITensor* sizes = cast(node.ctx, node.tensor(sizesInput), DataType::kINT32);
    KILN_ONNX_NOT_NULL(sizes);
    l->setInput(1, *sizes);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(Resize)
{
    const std::string mode = node.attrs.s("mode", "nearest");
    if (node.opset < 11)
        return resize(node, mode, "asymmetric", 1, -1, {});
    return resize(node, mode, node.attrs.s("coordinate_transformation_mode", "half_pixel"), 2, 3, {});
}

KILN_ONNX_IMPORTER(Upsample)
{
    const std::string mode = node.attrs.s("mode", "nearest");
    if (node.opset < 9)
        return resize(node, mode, "asymmetric", -1, -1, node.attrs.floats("scales"));
    return resize(node, mode, "asymmetric", 1, -1, {});
}

} // namespace kiln::onnx
