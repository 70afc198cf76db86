// Resize against a float64 reference written from the ONNX Resize formulas: nearest (every
// rounding), n-linear and n-cubic (with and without exclude_outside) on any axes, every coordinate
// transformation (crop-and-resize with extrapolation, the pytorch single-pixel selector), the
// output given by dimensions, by scales and by an INT32 shape tensor, both batch modes, the
// getters, and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <cmath>
#include <functional>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;
using CT = ResizeCoordinateTransformation;

namespace
{

enum class Spec
{
    kDims,
    kScales,
    kShapeTensor
};

//! One resize to check; dims, scales and outDims include the batch axis, roi does not.
struct Case
{
    std::vector<int32_t> outDims; //!< computed from the scales for Spec::kScales
    ResizeMode mode{ResizeMode::kNEAREST};
    CT transform{CT::kASYMMETRIC};
    bool alignCornersSetter{false}; //!< use setAlignCorners(true) instead of the transformation
    ResizeSelector selector{ResizeSelector::kFORMULA};
    ResizeRoundMode rounding{ResizeRoundMode::kFLOOR};
    float cubicCoeff{-0.75f};
    bool excludeOutside{false};
    float extrapolation{0.f};
    std::vector<float> roi;
    Spec spec{Spec::kDims};
    std::vector<float> scales;
    bool explicitBatch{true};
};

//! The Keys cubic convolution kernel.
double keys(double a, double d)
{
    d = std::abs(d);
    if (d <= 1)
        return (a + 2) * d * d * d - (a + 3) * d * d + 1;
    if (d < 2)
        return a * d * d * d - 5 * a * d * d + 8 * a * d - 4 * a;
    return 0;
}

using Terms = std::vector<std::pair<int32_t, double>>;

//! The input coordinate of output index o along axis a (ONNX formulas; scale = num / den).
double sourceX(const Case& c, int32_t in, int32_t out, double num, double den, double b, double e, int32_t o)
{
    if (c.selector == ResizeSelector::kUPPER && out == 1)
        return 0;
    const CT t = c.alignCornersSetter ? CT::kALIGN_CORNERS : c.transform;
    const double length = num * in / den; // scale · input width, fractional for scales
    switch (t)
    {
    case CT::kALIGN_CORNERS: return length == 1 ? 0 : double(o) * (in - 1) / (length - 1);
    case CT::kASYMMETRIC: return o * den / num;
    case CT::kHALF_PIXEL: return (o + 0.5) * den / num - 0.5;
    case CT::kHALF_PIXEL_SYMMETRIC:
    {
        const double offset = in / 2.0 * (1 - out / length);
        return offset + (o + 0.5) * den / num - 0.5;
    }
    case CT::kTF_HALF_PIXEL_FOR_NN: return (o + 0.5) * den / num;
    case CT::kTF_CROP_AND_RESIZE:
        return length > 1 ? b * (in - 1) + o * (e - b) * (in - 1) / (length - 1) : 0.5 * (b + e) * (in - 1);
    }
    return 0;
}

//! What x reads along one axis of extent n: ONNX's neighbour weights over edge-padded data.
Terms axisTerms(const Case& c, double x, int32_t n)
{
    auto clampIndex = [n](int32_t i) { return std::min(std::max(i, 0), n - 1); };
    const auto fl = static_cast<int32_t>(std::floor(x));
    const bool whole = x == std::floor(x);
    if (c.mode == ResizeMode::kNEAREST)
    {
        const bool half = x - fl == 0.5;
        int32_t r = fl;
        switch (c.rounding)
        {
        case ResizeRoundMode::kHALF_UP: r = half ? fl + 1 : static_cast<int32_t>(std::round(x)); break;
        case ResizeRoundMode::kHALF_DOWN: r = half ? fl : static_cast<int32_t>(std::round(x)); break;
        case ResizeRoundMode::kFLOOR: r = fl; break;
        case ResizeRoundMode::kCEIL: r = static_cast<int32_t>(std::ceil(x)); break;
        }
        return {{clampIndex(r), 1.0}};
    }
    // ONNX keeps the ratio in (0, 1]: a whole x is the right-hand point of its neighbourhood.
    const double ratio = whole ? 1.0 : x - fl;
    std::vector<int32_t> idx;
    std::vector<double> w;
    if (c.mode == ResizeMode::kLINEAR)
    {
        const int32_t left = whole ? fl - 1 : fl;
        idx = {left, left + 1};
        w = {1 - ratio, ratio};
    }
    else
    {
        const int32_t left = whole ? fl - 2 : fl - 1;
        idx = {left, left + 1, left + 2, left + 3};
        w = {keys(c.cubicCoeff, ratio + 1), keys(c.cubicCoeff, ratio), keys(c.cubicCoeff, 1 - ratio),
            keys(c.cubicCoeff, 2 - ratio)};
        if (c.excludeOutside)
        {
            double sum = 0;
            for (size_t k = 0; k < 4; ++k)
                sum += idx[k] < 0 || idx[k] >= n ? (w[k] = 0) : w[k];
            for (double& v : w)
                v /= sum;
        }
    }
    Terms terms;
    for (size_t k = 0; k < idx.size(); ++k)
        terms.push_back({clampIndex(idx[k]), w[k]});
    return terms;
}

std::vector<double> reference(const HostTensor& x, const Case& c)
{
    const size_t rank = x.dims.size();
    const size_t first = c.explicitBatch ? 0 : 1;
    const size_t count = rank - first;
    int64_t total = 1;
    for (int32_t d : c.outDims)
        total *= d;
    std::vector<double> y;
    for (int64_t flat = 0; flat < total; ++flat)
    {
        std::vector<Terms> terms(rank);
        bool outside = false;
        int64_t rest = flat;
        for (size_t a = rank; a-- > 0;)
        {
            const int32_t in = x.dims[a], out = c.outDims[a];
            const auto o = static_cast<int32_t>(rest % out);
            rest /= out;
            if (a < first)
            {
                terms[a] = {{o, 1.0}};
                continue;
            }
            const bool byScale = c.spec == Spec::kScales;
            const double num = byScale ? c.scales[a] : out, den = byScale ? 1.0 : in;
            const double b = c.roi.empty() ? 0.0 : c.roi[a - first], e = c.roi.empty() ? 1.0 : c.roi[count + a - first];
            const double src = sourceX(c, in, out, num, den, b, e, o);
            if (c.transform == CT::kTF_CROP_AND_RESIZE && (src < 0 || src > in - 1))
                outside = true;
            terms[a] = axisTerms(c, src, in);
        }
        if (outside)
        {
            y.push_back(c.extrapolation);
            continue;
        }
        // Sum over every combination of one term per axis.
        double acc = 0;
        std::vector<size_t> pick(rank, 0);
        while (true)
        {
            double weight = 1;
            int64_t src = 0;
            for (size_t a = 0; a < rank; ++a)
            {
                weight *= terms[a][pick[a]].second;
                src = src * x.dims[a] + terms[a][pick[a]].first;
            }
            acc += weight * x.f[static_cast<size_t>(src)];
            size_t a = rank;
            while (a > 0 && ++pick[a - 1] == terms[a - 1].size())
                pick[--a] = 0;
            if (a == 0)
                break;
        }
        y.push_back(acc);
    }
    return y;
}

//! Builds and runs the resize \p c of \p x and compares with the reference.
void check(const HostTensor& x, Case c)
{
    const size_t first = c.explicitBatch ? 0 : 1;
    if (c.spec == Spec::kScales)
    {
        c.outDims = x.dims;
        for (size_t a = first; a < x.dims.size(); ++a)
            c.outDims[a] = static_cast<int32_t>(std::floor(double(x.dims[a]) * c.scales[a]));
    }
    SCOPED_TRACE("input " + ::testing::PrintToString(x.dims) + " output " + ::testing::PrintToString(c.outDims)
        + " mode " + std::to_string(int(c.mode)) + " transform " + std::to_string(int(c.transform)) + " selector "
        + std::to_string(int(c.selector)) + " rounding " + std::to_string(int(c.rounding)) + " spec "
        + std::to_string(int(c.spec)) + (c.excludeOutside ? " exclude" : "") + (c.explicitBatch ? "" : " implicit"));
    NetworkHarness h(c.explicitBatch);
    h.setBatch(x.dims[0]);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IResizeLayer* resize = h.network().addResize(*in);
    ASSERT_NE(resize, nullptr);
    EXPECT_EQ(resize->getType(), LayerType::kRESIZE);
    resize->setResizeMode(c.mode);
    if (c.alignCornersSetter)
        resize->setAlignCorners(true);
    else
        resize->setCoordinateTransformation(c.transform);
    resize->setSelectorForSinglePixel(c.selector);
    resize->setNearestRounding(c.rounding);
    resize->setCubicCoeff(c.cubicCoeff);
    resize->setExcludeOutside(c.excludeOutside);
    resize->setExtrapolationValue(c.extrapolation);
    const std::vector<int32_t> apiOut(c.outDims.begin() + static_cast<std::ptrdiff_t>(first), c.outDims.end());
    const std::vector<int32_t> shapeValues = apiOut; // weights live until the build in run()
    const std::vector<float> roiValues = c.roi;
    if (c.spec == Spec::kDims)
    {
        resize->setOutputDimensions(toDims(apiOut));
        EXPECT_EQ(resize->getScales(0, nullptr), -1);
    }
    else if (c.spec == Spec::kScales)
    {
        const std::vector<float> apiScales(c.scales.begin() + static_cast<std::ptrdiff_t>(first), c.scales.end());
        resize->setScales(apiScales.data(), static_cast<int32_t>(apiScales.size()));
        std::vector<float> back(apiScales.size());
        EXPECT_EQ(resize->getScales(static_cast<int32_t>(back.size()), back.data()), static_cast<int32_t>(back.size()));
        EXPECT_EQ(back, apiScales);
    }
    else
    {
        IConstantLayer* shape = h.network().addConstant(toDims({static_cast<int32_t>(apiOut.size())}),
            Weights{DataType::kINT32, shapeValues.data(), static_cast<int64_t>(apiOut.size())});
        ASSERT_NE(shape, nullptr);
        resize->setInput(1, *shape->getOutput(0));
    }
    if (!c.roi.empty())
    {
        const auto n = static_cast<int32_t>(c.roi.size());
        IConstantLayer* roi = h.network().addConstant(toDims({n}), Weights{DataType::kFLOAT, roiValues.data(), n});
        ASSERT_NE(roi, nullptr);
        resize->setInput(2, *roi->getOutput(0));
        EXPECT_EQ(resize->getNbInputs(), 3);
    }
    EXPECT_EQ(resize->getResizeMode(), c.mode);
    EXPECT_EQ(resize->getCoordinateTransformation(), c.alignCornersSetter ? CT::kALIGN_CORNERS : c.transform);
    EXPECT_EQ(resize->getAlignCorners(), c.alignCornersSetter || c.transform == CT::kALIGN_CORNERS);
    EXPECT_EQ(resize->getSelectorForSinglePixel(), c.selector);
    EXPECT_EQ(resize->getNearestRounding(), c.rounding);
    EXPECT_EQ(resize->getCubicCoeff(), c.cubicCoeff);
    EXPECT_EQ(resize->getExcludeOutside(), c.excludeOutside);
    EXPECT_EQ(resize->getExtrapolationValue(), c.extrapolation);
    const Dims apiDims = resize->getOutput(0)->getDimensions();
    EXPECT_EQ(std::vector<int32_t>(apiDims.d, apiDims.d + std::max(apiDims.nbDims, 0)), apiOut);
    h.markOutput(resize->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], c.outDims, reference(x, c), 1e-5, 1e-6);
}

//! The TensorRT 7 style check: nearest/linear, alignCorners or the (default) asymmetric transform.
void check(const HostTensor& x, const std::vector<int32_t>& outDims, ResizeMode mode, bool alignCorners, Spec spec,
    bool explicitBatch = true, const std::vector<float>& scales = {})
{
    Case c;
    c.outDims = outDims;
    c.mode = mode;
    c.alignCornersSetter = alignCorners;
    c.spec = spec;
    c.explicitBatch = explicitBatch;
    c.scales = scales;
    check(x, c);
}

TEST(Resize, NearestByOutputDimensions)
{
    Rng rng(51);
    for (bool align : {false, true})
    {
        check(kiln::test::randomTensor({1, 2, 3, 4}, rng), {1, 2, 5, 7}, ResizeMode::kNEAREST, align, Spec::kDims);
        check(kiln::test::randomTensor({1, 1, 6, 6}, rng), {1, 1, 4, 3}, ResizeMode::kNEAREST, align, Spec::kDims);
        check(kiln::test::randomTensor({2, 3, 4}, rng), {4, 1, 8}, ResizeMode::kNEAREST, align, Spec::kDims); // any axis
        check(kiln::test::randomTensor({1, 1, 5, 1}, rng), {1, 1, 1, 3}, ResizeMode::kNEAREST, align, Spec::kDims);
        check(kiln::test::randomTensor({7}, rng), {3}, ResizeMode::kNEAREST, align, Spec::kDims);
    }
}

TEST(Resize, LinearOnAnyAxes)
{
    Rng rng(52);
    for (bool align : {false, true})
    {
        check(kiln::test::randomTensor({2, 5}, rng), {2, 9}, ResizeMode::kLINEAR, align, Spec::kDims);
        check(kiln::test::randomTensor({1, 2, 4, 5}, rng), {1, 2, 7, 3}, ResizeMode::kLINEAR, align, Spec::kDims);
        check(kiln::test::randomTensor({1, 1, 3, 4, 5}, rng), {1, 1, 5, 3, 8}, ResizeMode::kLINEAR, align, Spec::kDims);
        check(kiln::test::randomTensor({3, 4, 2}, rng), {5, 1, 4}, ResizeMode::kLINEAR, align, Spec::kDims); // rank 3: all
        check(kiln::test::randomTensor({1, 2, 1, 1}, rng), {1, 2, 3, 4}, ResizeMode::kLINEAR, align, Spec::kDims);
        check(kiln::test::randomTensor({1, 1, 4, 4}, rng), {1, 1, 8, 8}, ResizeMode::kLINEAR, align, Spec::kDims);
        check(kiln::test::randomTensor({2, 3, 2, 3}, rng), {3, 2, 4, 2}, ResizeMode::kLINEAR, align, Spec::kDims);
        check(kiln::test::randomTensor({2, 1, 3, 2, 3}, rng), {3, 2, 2, 4, 5}, ResizeMode::kLINEAR, align, Spec::kDims);
    }
}

TEST(Resize, Scales)
{
    Rng rng(53);
    check(kiln::test::randomTensor({1, 2, 3, 4}, rng), {1, 2, 6, 6}, ResizeMode::kNEAREST, false, Spec::kScales, true,
        {1.f, 1.f, 2.f, 1.5f});
    check(kiln::test::randomTensor({1, 2, 5, 7}, rng), {1, 2, 3, 4}, ResizeMode::kLINEAR, false, Spec::kScales, true,
        {1.f, 1.f, 0.7f, 0.6f});
    check(kiln::test::randomTensor({2, 1, 4, 4}, rng), {2, 1, 8, 10}, ResizeMode::kLINEAR, true, Spec::kScales, true,
        {1.f, 1.f, 2.f, 2.5f});
    check(kiln::test::randomTensor({2, 3, 3}, rng), {4, 3, 9}, ResizeMode::kNEAREST, true, Spec::kScales, true,
        {2.f, 1.f, 3.f});
}

TEST(Resize, ShapeTensorInput)
{
    Rng rng(54);
    check(kiln::test::randomTensor({1, 2, 3, 4}, rng), {1, 2, 6, 5}, ResizeMode::kNEAREST, false, Spec::kShapeTensor);
    check(kiln::test::randomTensor({1, 1, 4, 4}, rng), {1, 1, 3, 7}, ResizeMode::kLINEAR, true, Spec::kShapeTensor);
    check(kiln::test::randomTensor({2, 2, 3, 3}, rng), {2, 2, 5, 4}, ResizeMode::kNEAREST, false, Spec::kShapeTensor, false);
}

TEST(Resize, ImplicitBatch)
{
    Rng rng(55);
    check(kiln::test::randomTensor({3, 2, 3, 4}, rng), {3, 2, 6, 5}, ResizeMode::kNEAREST, false, Spec::kDims, false);
    check(kiln::test::randomTensor({2, 1, 4, 3}, rng), {2, 1, 7, 6}, ResizeMode::kLINEAR, true, Spec::kDims, false);
    check(kiln::test::randomTensor({2, 2, 3, 3}, rng), {2, 2, 6, 4}, ResizeMode::kLINEAR, false, Spec::kScales, false,
        {1.f, 1.f, 2.f, 1.5f});
    check(kiln::test::randomTensor({2, 3, 4}, rng), {2, 6, 2}, ResizeMode::kNEAREST, true, Spec::kScales, false,
        {1.f, 2.f, 0.5f});
}

TEST(Resize, SeededRandomSweep)
{
    Rng rng(56);
    for (int32_t trial = 0; trial < 40; ++trial)
    {
        const int32_t rank = rng.uniformInt(1, 5);
        Case c;
        c.mode = static_cast<ResizeMode>(rng.uniformInt(0, 2));
        c.transform = static_cast<CT>(rng.uniformInt(0, 4));
        c.rounding = static_cast<ResizeRoundMode>(rng.uniformInt(0, 3));
        c.selector = static_cast<ResizeSelector>(rng.uniformInt(0, 1));
        c.excludeOutside = rng.uniformInt(0, 1) == 1;
        c.spec = rng.uniformInt(0, 1) == 1 ? Spec::kScales : Spec::kDims;
        std::vector<int32_t> in;
        for (int32_t a = 0; a < rank; ++a)
        {
            in.push_back(rng.uniformInt(1, 6));
            c.outDims.push_back(rng.uniformInt(1, 9));
            // Scales of k/8: exact in float, integer and fractional output extents alike.
            c.scales.push_back(static_cast<float>(rng.uniformInt(std::max(1, 8 / in.back()), 20)) / 8.f);
        }
        check(kiln::test::randomTensor(in, rng), c);
    }
}

TEST(Resize, EveryTransformationAndModeUpAndDown)
{
    Rng rng(60);
    const std::vector<CT> transforms{CT::kALIGN_CORNERS, CT::kASYMMETRIC, CT::kHALF_PIXEL, CT::kHALF_PIXEL_SYMMETRIC,
        CT::kTF_HALF_PIXEL_FOR_NN};
    for (CT t : transforms)
        for (int32_t m = 0; m < 3; ++m)
        {
            Case c;
            c.transform = t;
            c.mode = static_cast<ResizeMode>(m);
            c.rounding = ResizeRoundMode::kHALF_DOWN;
            c.outDims = {1, 2, 7, 3}; // up on one axis, down on the other
            check(kiln::test::randomTensor({1, 2, 4, 6}, rng), c);
            c.spec = Spec::kScales; // non-integer scales: the coordinates use them, not out / in
            c.scales = {1.f, 1.f, 1.7f, 0.7f};
            check(kiln::test::randomTensor({1, 2, 5, 7}, rng), c);
            c.scales = {1.f, 2.5f, 0.6f}; // 3-D, every axis
            check(kiln::test::randomTensor({2, 3, 5}, rng), c);
            c.scales = {1.5f, 1.f, 0.5f, 2.f, 1.25f}; // 5-D
            check(kiln::test::randomTensor({2, 2, 4, 3, 4}, rng), c);
            c.spec = Spec::kShapeTensor;
            c.outDims = {3, 1, 2, 5, 2};
            check(kiln::test::randomTensor({2, 2, 4, 3, 4}, rng), c);
        }
}

TEST(Resize, NearestRoundingModes)
{
    Rng rng(61);
    for (int32_t r = 0; r < 4; ++r)
        for (CT t : {CT::kHALF_PIXEL, CT::kASYMMETRIC, CT::kTF_HALF_PIXEL_FOR_NN, CT::kALIGN_CORNERS})
        {
            Case c;
            c.transform = t;
            c.rounding = static_cast<ResizeRoundMode>(r);
            c.outDims = {1, 3, 8}; // half pixel from 2 to 3 and asymmetric from 4 to 8 hit exact halves
            check(kiln::test::randomTensor({1, 2, 4}, rng), c);
            c.outDims = {2, 6, 3};
            check(kiln::test::randomTensor({2, 4, 5}, rng), c);
            c.spec = Spec::kScales;
            c.scales = {1.f, 0.75f, 2.5f};
            check(kiln::test::randomTensor({2, 4, 3}, rng), c);
        }
}

TEST(Resize, PytorchHalfPixelToSizeOne)
{
    Rng rng(62);
    for (int32_t m = 0; m < 3; ++m)
        for (auto selector : {ResizeSelector::kUPPER, ResizeSelector::kFORMULA})
        {
            Case c;
            c.mode = static_cast<ResizeMode>(m);
            c.transform = CT::kHALF_PIXEL;
            c.selector = selector;
            c.rounding = ResizeRoundMode::kHALF_DOWN;
            c.outDims = {1, 2, 1, 5}; // one axis to a single pixel: kUPPER reads coordinate 0
            check(kiln::test::randomTensor({1, 2, 6, 3}, rng), c);
            c.outDims = {1, 1, 1};
            check(kiln::test::randomTensor({3, 4, 5}, rng), c);
        }
}

TEST(Resize, CropAndResizeExtrapolates)
{
    Rng rng(63);
    for (int32_t m = 0; m < 3; ++m)
    {
        Case c;
        c.mode = static_cast<ResizeMode>(m);
        c.transform = CT::kTF_CROP_AND_RESIZE;
        c.extrapolation = 7.5f;
        c.outDims = {1, 2, 7, 5};
        c.roi = {0.f, 0.f, 0.25f, -0.5f, 1.f, 1.f, 1.25f, 0.75f}; // reaches past both ends
        check(kiln::test::randomTensor({1, 2, 5, 4}, rng), c);
        c.outDims = {1, 2, 1, 3}; // a single pixel takes the middle of its region
        c.roi = {0.f, 0.f, 0.25f, 0.5f, 1.f, 1.f, 0.75f, 1.f};
        check(kiln::test::randomTensor({1, 2, 5, 4}, rng), c);
        c.explicitBatch = false; // the region describes the axes after the batch
        c.outDims = {2, 3, 6};
        c.roi = {0.f, -0.25f, 1.f, 1.5f};
        check(kiln::test::randomTensor({2, 3, 4}, rng), c);
        c.spec = Spec::kScales; // the length is the fractional scale · extent
        c.scales = {1.f, 1.5f, 0.75f};
        c.roi = {0.25f, -0.5f, 1.25f, 1.f};
        check(kiln::test::randomTensor({2, 5, 4}, rng), c);
    }
}

TEST(Resize, CubicCoefficientAndExcludeOutside)
{
    Rng rng(64);
    for (float a : {-0.75f, -0.5f})
        for (bool exclude : {false, true})
            for (CT t : {CT::kHALF_PIXEL, CT::kASYMMETRIC, CT::kALIGN_CORNERS})
            {
                Case c;
                c.mode = ResizeMode::kCUBIC;
                c.transform = t;
                c.cubicCoeff = a;
                c.excludeOutside = exclude;
                c.outDims = {1, 1, 9, 3}; // up and down
                check(kiln::test::randomTensor({1, 1, 4, 7}, rng), c);
                c.outDims = {1, 1, 2, 2}; // an input extent of 1 to 2: every tap but one outside
                check(kiln::test::randomTensor({1, 1, 1, 5}, rng), c);
            }
}

TEST(Resize, HalfPixelSymmetricCentresFractionalScales)
{
    Rng rng(65);
    for (int32_t m = 0; m < 3; ++m)
    {
        Case c;
        c.mode = static_cast<ResizeMode>(m);
        c.transform = CT::kHALF_PIXEL_SYMMETRIC;
        c.spec = Spec::kScales;
        c.scales = {1.f, 1.7f, 0.45f}; // 5·1.7 = 8.5 and 9·0.45 = 4.05: offset coordinates
        check(kiln::test::randomTensor({2, 5, 9}, rng), c);
        c.explicitBatch = false;
        check(kiln::test::randomTensor({2, 5, 9}, rng), c);
    }
}

//! Resizes the 4×4 (or \p inH × \p inW) ramp 1, 2, ... through \p configure and compares with
//! \p expected: published ONNX Resize test vectors, independent of the reference above.
void expectOnnxVector(int32_t inH, int32_t inW, const std::function<void(NetworkHarness&, IResizeLayer&)>& configure,
    const std::vector<int32_t>& outDims, const std::vector<double>& expected)
{
    NetworkHarness h;
    std::vector<float> ramp(static_cast<size_t>(inH * inW));
    for (size_t i = 0; i < ramp.size(); ++i)
        ramp[i] = static_cast<float>(i + 1);
    IResizeLayer* r = h.network().addResize(*h.input("x", HostTensor::floats({1, 1, inH, inW}, ramp)));
    ASSERT_NE(r, nullptr);
    configure(h, *r);
    h.markOutput(r->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
}

TEST(Resize, MatchesOnnxTestVectors)
{
    static const float kDown[] = {1.f, 1.f, 0.8f, 0.8f};
    auto cubicDown = [](float a, bool exclude, CT t) {
        return [=](NetworkHarness&, IResizeLayer& r) {
            r.setScales(kDown, 4);
            r.setResizeMode(ResizeMode::kCUBIC);
            r.setCoordinateTransformation(t);
            r.setCubicCoeff(a);
            r.setExcludeOutside(exclude);
        };
    };
    expectOnnxVector(4, 4, cubicDown(-0.75f, false, CT::kHALF_PIXEL), {1, 1, 3, 3},
        {1.47119141, 2.78125, 4.08251953, 6.71142578, 8.02148438, 9.32275391, 11.91650391, 13.2265625, 14.52783203});
    expectOnnxVector(4, 4, cubicDown(-0.5f, true, CT::kHALF_PIXEL), {1, 1, 3, 3},
        {1.36812675, 2.6695014, 4.0133367, 6.57362535, 7.875, 9.2188353, 11.94896657, 13.25034122, 14.59417652});
    expectOnnxVector(4, 4, cubicDown(-0.75f, false, CT::kALIGN_CORNERS), {1, 1, 3, 3},
        {1.0, 2.39519159, 3.79038317, 6.58076634, 7.97595793, 9.37114951, 12.16153268, 13.55672427, 14.95191585});
    expectOnnxVector(
        2, 2,
        [](NetworkHarness&, IResizeLayer& r) {
            static const float kScales[] = {1.f, 1.f, 2.3f, 2.94f};
            r.setScales(kScales, 4);
            r.setResizeMode(ResizeMode::kLINEAR);
            r.setCoordinateTransformation(CT::kHALF_PIXEL_SYMMETRIC);
        },
        {1, 1, 4, 5},
        {1.0, 1.15986395, 1.5, 1.84013605, 2.0, 1.56521738, 1.72508133, 2.06521738, 2.40535343, 2.56521738, 2.43478262,
            2.59464657, 2.93478262, 3.27491867, 3.43478262, 3.0, 3.15986395, 3.5, 3.84013605, 4.0});
    expectOnnxVector(
        4, 4,
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 1, 3, 1});
            r.setResizeMode(ResizeMode::kLINEAR);
            r.setCoordinateTransformation(CT::kHALF_PIXEL);
            r.setSelectorForSinglePixel(ResizeSelector::kUPPER); // pytorch_half_pixel
        },
        {1, 1, 3, 1}, {1.6666666, 7.0, 12.333333});
    expectOnnxVector(
        2, 4,
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 1, 1, 3});
            r.setCoordinateTransformation(CT::kHALF_PIXEL);
            r.setNearestRounding(ResizeRoundMode::kHALF_DOWN);
        },
        {1, 1, 1, 3}, {1, 2, 4});
    std::vector<double> ceilHalfPixel;
    for (int32_t row : {0, 1, 1, 2, 2, 3, 3, 3})
        for (int32_t col : {1, 2, 2, 3, 3, 4, 4, 4})
            ceilHalfPixel.push_back(row * 4 + col);
    expectOnnxVector(
        4, 4,
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 1, 8, 8});
            r.setCoordinateTransformation(CT::kHALF_PIXEL);
            r.setNearestRounding(ResizeRoundMode::kCEIL);
        },
        {1, 1, 8, 8}, ceilHalfPixel);
    for (float extrapolation : {0.f, 10.f})
        expectOnnxVector(
            4, 4,
            [extrapolation](NetworkHarness& h, IResizeLayer& r) {
                static const float kRoi[] = {0, 0, 0.4f, 0.6f, 1, 1, 0.6f, 0.8f};
                static const float kFarRoi[] = {0, 0, 0.4f, 0.6f, 1, 1, 1.2f, 1.7f};
                const float* roi = extrapolation == 0.f ? kRoi : kFarRoi;
                r.setInput(2, *h.network().addConstant(toDims({8}), Weights{DataType::kFLOAT, roi, 8})->getOutput(0));
                r.setOutputDimensions(Dims4{1, 1, 3, 3});
                r.setResizeMode(ResizeMode::kLINEAR);
                r.setCoordinateTransformation(CT::kTF_CROP_AND_RESIZE);
                r.setExtrapolationValue(extrapolation);
            },
            {1, 1, 3, 3},
            extrapolation == 0.f ? std::vector<double>{7.6000004, 7.9, 8.2, 8.8, 9.1, 9.400001, 10.0, 10.3, 10.6}
                                 : std::vector<double>{7.6000004, 10, 10, 12.400001, 10, 10, 10, 10, 10});
}

TEST(Resize, DefaultsAndAlignCornersSetter)
{
    NetworkHarness h;
    IResizeLayer* r = h.network().addResize(*h.network().addInput("x", DataType::kFLOAT, Dims2{2, 3}));
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->getResizeMode(), ResizeMode::kNEAREST);
    EXPECT_EQ(r->getCoordinateTransformation(), CT::kASYMMETRIC);
    EXPECT_EQ(r->getSelectorForSinglePixel(), ResizeSelector::kFORMULA);
    EXPECT_EQ(r->getNearestRounding(), ResizeRoundMode::kFLOOR);
    EXPECT_EQ(r->getCubicCoeff(), -0.75f);
    EXPECT_FALSE(r->getExcludeOutside());
    EXPECT_EQ(r->getExtrapolationValue(), 0.f);
    EXPECT_FALSE(r->getAlignCorners());
    r->setAlignCorners(true);
    EXPECT_EQ(r->getCoordinateTransformation(), CT::kALIGN_CORNERS);
    r->setAlignCorners(false);
    EXPECT_EQ(r->getCoordinateTransformation(), CT::kASYMMETRIC);
    r->setCoordinateTransformation(CT::kHALF_PIXEL);
    r->setAlignCorners(false);
    EXPECT_EQ(r->getCoordinateTransformation(), CT::kHALF_PIXEL);
    r->setCoordinateTransformation(CT::kALIGN_CORNERS);
    EXPECT_TRUE(r->getAlignCorners());
}

TEST(Resize, UnknownExtents)
{
    NetworkHarness h;
    ITensor* in = h.network().addInput("x", DataType::kFLOAT, Dims4{-1, 1, -1, 4});
    IResizeLayer* byDims = h.network().addResize(*in);
    byDims->setOutputDimensions(Dims4{1, 1, 28, 28}); // as sampleDynamicReshape does
    const Dims a = byDims->getOutput(0)->getDimensions();
    ASSERT_EQ(a.nbDims, 4);
    EXPECT_EQ(a.d[2], 28);
    IResizeLayer* byScales = h.network().addResize(*in);
    const float scales[] = {1.f, 1.f, 2.f, 2.f};
    byScales->setScales(scales, 4);
    const Dims b = byScales->getOutput(0)->getDimensions();
    ASSERT_EQ(b.nbDims, 4);
    EXPECT_EQ(b.d[0], -1);
    EXPECT_EQ(b.d[2], -1);
    EXPECT_EQ(b.d[3], 8);
    EXPECT_EQ(byDims->getScales(0, nullptr), -1);
    EXPECT_EQ(byScales->getScales(0, nullptr), 4);
}

//! Builds a Resize over a {1, 2, 3, 4} input with \p configure and expects its shape inference to
//! fail with an error naming the layer and containing \p needle.
void expectInvalid(const std::function<void(NetworkHarness&, IResizeLayer&)>& configure, const std::string& needle)
{
    SCOPED_TRACE(needle);
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(57);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 3, 4}, rng));
    IResizeLayer* resize = h.network().addResize(*in);
    ASSERT_NE(resize, nullptr);
    resize->setName("bad_resize");
    configure(h, *resize);
    EXPECT_EQ(resize->getOutput(0)->getDimensions().nbDims, -1);
    EXPECT_TRUE(h.logger().hasError("bad_resize")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError(needle)) << h.logger().errors();
}

TEST(Resize, BadParameters)
{
    expectInvalid([](NetworkHarness&, IResizeLayer&) {}, "neither");
    expectInvalid([](NetworkHarness&, IResizeLayer& r) { r.setOutputDimensions(Dims3{2, 3, 4}); }, "rank");
    expectInvalid([](NetworkHarness&, IResizeLayer& r) { r.setOutputDimensions(Dims4{1, 2, 0, 4}); }, "positive");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            const float negative[] = {1.f, 1.f, -2.f, 1.f};
            r.setScales(negative, 4);
        },
        "scale");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            const float tiny[] = {1.f, 1.f, 0.1f, 1.f};
            r.setScales(tiny, 4);
        },
        "output extent");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            const float three[] = {1.f, 2.f, 2.f};
            r.setScales(three, 3);
        },
        "scales");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setResizeMode(static_cast<ResizeMode>(3));
        },
        "resize mode");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setCoordinateTransformation(static_cast<CT>(6));
        },
        "coordinate transformation");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setSelectorForSinglePixel(static_cast<ResizeSelector>(-1));
        },
        "selector");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setNearestRounding(static_cast<ResizeRoundMode>(4));
        },
        "nearest rounding");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setCubicCoeff(std::nanf(""));
        },
        "cubic");
    static const std::vector<float> roi6{0, 0, 0, 1, 1, 1};
    expectInvalid(
        [](NetworkHarness& h, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setCoordinateTransformation(CT::kTF_CROP_AND_RESIZE);
            r.setInput(2, *h.network().addConstant(toDims({6}), Weights{DataType::kFLOAT, roi6.data(), 6})->getOutput(0));
        },
        "region of interest");
    static const std::vector<int32_t> roiInts{0, 0, 0, 0, 1, 1, 1, 1};
    expectInvalid(
        [](NetworkHarness& h, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setInput(2, *h.network().addConstant(toDims({8}), Weights{DataType::kINT32, roiInts.data(), 8})->getOutput(0));
        },
        "input 2");
    static const std::vector<float> shapeFloats{1.f, 2.f, 6.f, 8.f};
    expectInvalid(
        [](NetworkHarness& h, IResizeLayer& r) {
            IConstantLayer* shape = h.network().addConstant(toDims({4}), Weights{DataType::kFLOAT, shapeFloats.data(), 4});
            r.setInput(1, *shape->getOutput(0));
        },
        "INT32");
    static const std::vector<int32_t> three32{2, 6, 8};
    expectInvalid(
        [](NetworkHarness& h, IResizeLayer& r) {
            IConstantLayer* shape = h.network().addConstant(toDims({3}), Weights{DataType::kINT32, three32.data(), 3});
            r.setInput(1, *shape->getOutput(0));
        },
        "input 1");
}

TEST(Resize, BadSetterArgumentsAreIgnored)
{
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(59);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 3, 4}, rng));
    IResizeLayer* resize = h.network().addResize(*in);
    ASSERT_NE(resize, nullptr);
    resize->setOutputDimensions(Dims4{1, 2, 6, 8});
    resize->setScales(nullptr, 2);
    EXPECT_EQ(resize->getScales(0, nullptr), -1);
    Dims huge{};
    huge.nbDims = 9;
    resize->setOutputDimensions(huge);
    EXPECT_EQ(resize->getOutputDimensions().nbDims, 4);
    EXPECT_TRUE(h.logger().hasError("setScales")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError("setOutputDimensions")) << h.logger().errors();
    EXPECT_EQ(resize->getOutput(0)->getDimensions().d[3], 8);
}

TEST(Resize, BadLayerFailsTheBuild)
{
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(58);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 3, 4}, rng));
    IResizeLayer* resize = h.network().addResize(*in);
    ASSERT_NE(resize, nullptr);
    resize->setName("unsized_resize");
    h.network().markOutput(*resize->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("unsized_resize")) << h.logger().errors();
}

} // namespace
