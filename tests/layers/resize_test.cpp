// Resize against a float64 reference: nearest and linear (1-D to 3-D), alignCorners on and off,
// the output given by dimensions, by scales and by an INT32 shape tensor, both batch modes, the
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

namespace
{

//! The (index, weight) terms output index \p o reads along one axis.
std::vector<std::pair<int32_t, double>> axisTerms(int32_t o, int32_t in, int32_t out, bool alignCorners, bool linear)
{
    double src = 0;
    if (alignCorners)
        src = out == 1 ? 0.0 : double(o) * (in - 1) / (out - 1);
    else
        src = double(o) * in / out;
    src = std::min(std::max(src, 0.0), double(in - 1));
    const auto i0 = static_cast<int32_t>(std::floor(src));
    if (!linear)
        return {{i0, 1.0}};
    const int32_t i1 = std::min(i0 + 1, in - 1);
    const double t = src - i0;
    return {{i0, 1.0 - t}, {i1, t}};
}

std::vector<double> reference(const HostTensor& x, const std::vector<int32_t>& outDims, ResizeMode mode, bool alignCorners)
{
    const size_t rank = x.dims.size();
    const size_t firstLinear = mode == ResizeMode::kLINEAR ? (rank > 3 ? rank - 3 : 0) : rank;
    int64_t count = 1;
    for (int32_t d : outDims)
        count *= d;
    std::vector<double> y;
    for (int64_t flat = 0; flat < count; ++flat)
    {
        std::vector<std::vector<std::pair<int32_t, double>>> terms(rank);
        int64_t rest = flat;
        for (size_t a = rank; a-- > 0;)
        {
            const auto o = static_cast<int32_t>(rest % outDims[a]);
            rest /= outDims[a];
            terms[a] = axisTerms(o, x.dims[a], outDims[a], alignCorners, a >= firstLinear);
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

enum class Spec
{
    kDims,
    kScales,
    kShapeTensor
};

//! Resizes \p x to \p outDims (full dims, batch included) given as \p spec; \p scales for kScales.
void check(const HostTensor& x, const std::vector<int32_t>& outDims, ResizeMode mode, bool alignCorners, Spec spec,
    bool explicitBatch = true, const std::vector<float>& scales = {})
{
    SCOPED_TRACE("input " + ::testing::PrintToString(x.dims) + " output " + ::testing::PrintToString(outDims)
        + (mode == ResizeMode::kLINEAR ? " linear" : " nearest") + (alignCorners ? " aligned" : "") + " spec "
        + std::to_string(static_cast<int>(spec)) + (explicitBatch ? " explicit" : " implicit"));
    NetworkHarness h(explicitBatch);
    h.setBatch(x.dims[0]);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IResizeLayer* resize = h.network().addResize(*in);
    ASSERT_NE(resize, nullptr);
    EXPECT_EQ(resize->getType(), LayerType::kRESIZE);
    EXPECT_EQ(resize->getResizeMode(), ResizeMode::kNEAREST);
    EXPECT_FALSE(resize->getAlignCorners());
    resize->setResizeMode(mode);
    resize->setAlignCorners(alignCorners);
    const std::vector<int32_t> apiOut(outDims.begin() + (explicitBatch ? 0 : 1), outDims.end());
    std::vector<int32_t> shapeValues = apiOut;
    if (spec == Spec::kDims)
    {
        resize->setOutputDimensions(toDims(apiOut));
        EXPECT_EQ(resize->getScales(0, nullptr), -1);
    }
    else if (spec == Spec::kScales)
    {
        const std::vector<float> apiScales(scales.begin() + (explicitBatch ? 0 : 1), scales.end());
        resize->setScales(apiScales.data(), static_cast<int32_t>(apiScales.size()));
        std::vector<float> back(apiScales.size());
        EXPECT_EQ(resize->getScales(static_cast<int32_t>(back.size()), back.data()), static_cast<int32_t>(back.size()));
        EXPECT_EQ(back, apiScales);
    }
    else
    {
        IConstantLayer* shape = h.network().addConstant(toDims({static_cast<int32_t>(shapeValues.size())}),
            Weights{DataType::kINT32, shapeValues.data(), static_cast<int64_t>(shapeValues.size())});
        ASSERT_NE(shape, nullptr);
        resize->setInput(1, *shape->getOutput(0));
        EXPECT_EQ(resize->getNbInputs(), 2);
    }
    EXPECT_EQ(resize->getResizeMode(), mode);
    EXPECT_EQ(resize->getAlignCorners(), alignCorners);
    const Dims apiDims = resize->getOutput(0)->getDimensions();
    EXPECT_EQ(std::vector<int32_t>(apiDims.d, apiDims.d + std::max(apiDims.nbDims, 0)), apiOut);
    h.markOutput(resize->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], outDims, reference(x, outDims, mode, alignCorners), 1e-5, 1e-6);
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

TEST(Resize, LinearOneToThreeAxes)
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
    for (int32_t trial = 0; trial < 20; ++trial)
    {
        const int32_t rank = rng.uniformInt(1, 5);
        const auto mode = rng.uniformInt(0, 1) == 1 ? ResizeMode::kLINEAR : ResizeMode::kNEAREST;
        std::vector<int32_t> in, out;
        for (int32_t a = 0; a < rank; ++a)
        {
            in.push_back(rng.uniformInt(1, 6));
            const bool mayChange = mode == ResizeMode::kNEAREST || a >= rank - 3;
            out.push_back(mayChange ? rng.uniformInt(1, 9) : in.back());
        }
        check(kiln::test::randomTensor(in, rng), out, mode, rng.uniformInt(0, 1) == 1, Spec::kDims);
    }
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
            r.setResizeMode(ResizeMode::kLINEAR);
            r.setOutputDimensions(Dims4{2, 2, 3, 4});
        },
        "3 innermost");
    expectInvalid(
        [](NetworkHarness&, IResizeLayer& r) {
            r.setOutputDimensions(Dims4{1, 2, 3, 4});
            r.setResizeMode(static_cast<ResizeMode>(2));
        },
        "resize mode");
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
