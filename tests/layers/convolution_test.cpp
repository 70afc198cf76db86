// Convolution against a float64 reference: groups (including depthwise), dilation, strides,
// asymmetric padding, every PaddingMode, 2-D and 3-D kernels, with and without bias, both batch
// modes, the deprecated DimsHW API, and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <functional>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;

namespace
{

struct Conv
{
    std::vector<int32_t> input{}; //!< {N, C, (D,) H, W}; N is the batch in implicit-batch runs
    int32_t maps{1};
    std::vector<int32_t> kernel{};
    std::vector<int32_t> stride{}, dilation{}, pre{}, post{}; //!< empty: the defaults
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    int32_t groups{1};
    bool bias{true};
};

int32_t param(const std::vector<int32_t>& v, size_t i, int32_t fallback)
{
    return v.empty() ? fallback : v[i];
}

//! Output extent and leading padding of one axis, from TensorRT's PaddingMode formulas.
std::pair<int32_t, int32_t> slidingAxis(PaddingMode mode, int32_t in, int32_t k, int32_t s, int32_t d, int32_t pre, int32_t post)
{
    const int32_t dk = d * (k - 1) + 1;
    const int32_t span = in + pre + post - dk;
    switch (mode)
    {
    case PaddingMode::kSAME_UPPER:
    case PaddingMode::kSAME_LOWER:
    {
        const int32_t out = (in + s - 1) / s;
        const int32_t total = std::max((out - 1) * s + dk - in, 0);
        return {out, mode == PaddingMode::kSAME_UPPER ? total / 2 : total - total / 2};
    }
    case PaddingMode::kEXPLICIT_ROUND_UP: return {(span + s - 1) / s + 1, pre};
    case PaddingMode::kCAFFE_ROUND_UP:
    {
        int32_t out = (span + s - 1) / s + 1;
        if ((out - 1) * s >= in + pre)
            --out;
        return {out, pre};
    }
    default: return {span / s + 1, pre};
    }
}

//! y = conv(x) in float64, with the output dims in \p outDims.
std::vector<double> reference(const Conv& c, const std::vector<float>& x, const std::vector<float>& w,
    const std::vector<float>& b, std::vector<int32_t>& outDims)
{
    const size_t nb = c.kernel.size();
    const size_t rank = c.input.size();
    const int32_t channels = c.input[rank - nb - 1];
    int64_t batch = 1;
    for (size_t i = 0; i + nb + 1 < rank; ++i)
        batch *= c.input[i];
    int32_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1}, out[3] = {1, 1, 1}, pre[3] = {0, 0, 0};
    outDims = c.input;
    outDims[rank - nb - 1] = c.maps;
    for (size_t i = 0; i < nb; ++i)
    {
        const size_t a = 3 - nb + i;
        in[a] = c.input[rank - nb + i];
        k[a] = c.kernel[i];
        s[a] = param(c.stride, i, 1);
        d[a] = param(c.dilation, i, 1);
        const auto [o, p] = slidingAxis(c.mode, in[a], k[a], s[a], d[a], param(c.pre, i, 0), param(c.post, i, 0));
        out[a] = o;
        pre[a] = p;
        outDims[rank - nb + i] = o;
    }
    const int32_t cg = channels / c.groups;
    const int32_t kg = c.maps / c.groups;
    std::vector<double> y;
    for (int64_t n = 0; n < batch; ++n)
        for (int32_t m = 0; m < c.maps; ++m)
            for (int32_t od = 0; od < out[0]; ++od)
                for (int32_t oh = 0; oh < out[1]; ++oh)
                    for (int32_t ow = 0; ow < out[2]; ++ow)
                    {
                        double acc = b.empty() ? 0.0 : b[m];
                        for (int32_t ci = 0; ci < cg; ++ci)
                            for (int32_t fd = 0; fd < k[0]; ++fd)
                                for (int32_t fh = 0; fh < k[1]; ++fh)
                                    for (int32_t fw = 0; fw < k[2]; ++fw)
                                    {
                                        const int32_t id = od * s[0] - pre[0] + fd * d[0];
                                        const int32_t ih = oh * s[1] - pre[1] + fh * d[1];
                                        const int32_t iw = ow * s[2] - pre[2] + fw * d[2];
                                        if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] || iw < 0 || iw >= in[2])
                                            continue;
                                        const int64_t channel = n * channels + (m / kg) * cg + ci;
                                        const double xv = x[static_cast<size_t>(((channel * in[0] + id) * in[1] + ih) * in[2] + iw)];
                                        const double wv = w[static_cast<size_t>((((int64_t{m} * cg + ci) * k[0] + fd) * k[1] + fh) * k[2] + fw)];
                                        acc += xv * wv;
                                    }
                        y.push_back(acc);
                    }
    return y;
}

//! Builds the convolution through the API, runs it and compares with the reference.
void check(const Conv& c, Rng& rng, bool explicitBatch = true)
{
    SCOPED_TRACE("input " + ::testing::PrintToString(c.input) + " kernel " + ::testing::PrintToString(c.kernel)
        + " mode " + std::to_string(static_cast<int>(c.mode)) + " groups " + std::to_string(c.groups)
        + (explicitBatch ? " explicit" : " implicit") + " seed " + std::to_string(rng.seed()));
    NetworkHarness h(explicitBatch);
    h.setBatch(c.input[0]);
    const HostTensor x = kiln::test::randomTensor(c.input, rng);
    const int32_t channels = c.input[c.input.size() - c.kernel.size() - 1];
    int64_t taps = 1;
    for (int32_t e : c.kernel)
        taps *= e;
    const std::vector<float> w = kiln::test::randomFloats(int64_t{c.maps} * (channels / c.groups) * taps, rng);
    const std::vector<float> b = c.bias ? kiln::test::randomFloats(c.maps, rng) : std::vector<float>{};
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IConvolutionLayer* conv = h.network().addConvolutionNd(*in, c.maps, toDims(c.kernel),
        Weights{DataType::kFLOAT, w.data(), static_cast<int64_t>(w.size())},
        Weights{DataType::kFLOAT, b.empty() ? nullptr : b.data(), static_cast<int64_t>(b.size())});
    ASSERT_NE(conv, nullptr);
    if (!c.stride.empty())
        conv->setStrideNd(toDims(c.stride));
    if (!c.dilation.empty())
        conv->setDilationNd(toDims(c.dilation));
    if (!c.pre.empty())
        conv->setPrePadding(toDims(c.pre));
    if (!c.post.empty())
        conv->setPostPadding(toDims(c.post));
    conv->setPaddingMode(c.mode);
    conv->setNbGroups(c.groups);
    EXPECT_EQ(conv->getType(), LayerType::kCONVOLUTION);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = reference(c, x.f, w, b, outDims);
    const Dims apiDims = conv->getOutput(0)->getDimensions();
    const std::vector<int32_t> expectedApiDims(outDims.begin() + (explicitBatch ? 0 : 1), outDims.end());
    EXPECT_EQ(std::vector<int32_t>(apiDims.d, apiDims.d + std::max(apiDims.nbDims, 0)), expectedApiDims);
    h.markOutput(conv->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
}

TEST(Convolution, MnistShapes)
{
    Rng rng(11);
    check({{1, 1, 28, 28}, 20, {5, 5}}, rng);
    check({{1, 20, 12, 12}, 50, {5, 5}}, rng);
}

TEST(Convolution, GroupsAndDepthwise)
{
    Rng rng(12);
    check({{2, 4, 7, 6}, 6, {3, 3}, {}, {}, {1, 1}, {1, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, 2}, rng);
    check({{1, 5, 8, 9}, 5, {3, 3}, {1, 1}, {}, {1, 1}, {1, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, 5}, rng);
    check({{1, 6, 5, 5}, 12, {3, 1}, {2, 1}, {}, {}, {}, PaddingMode::kEXPLICIT_ROUND_DOWN, 3, false}, rng);
    check({{1, 3, 4, 4}, 3, {2, 2}, {}, {}, {}, {}, PaddingMode::kEXPLICIT_ROUND_DOWN, 3}, rng); // depthwise
}

TEST(Convolution, DilationStrideAndAsymmetricPadding)
{
    Rng rng(13);
    check({{1, 2, 11, 10}, 3, {3, 3}, {1, 1}, {2, 3}, {}, {}}, rng);
    check({{2, 3, 13, 9}, 4, {3, 2}, {3, 2}, {2, 1}, {1, 0}, {2, 3}}, rng);
    check({{1, 1, 9, 9}, 2, {4, 4}, {4, 5}, {1, 1}, {0, 3}, {3, 0}}, rng);
    check({{1, 2, 5, 4}, 1, {1, 1}, {2, 3}, {}, {2, 1}, {0, 2}, PaddingMode::kEXPLICIT_ROUND_DOWN, 1, false}, rng);
    check({{1, 1, 1, 1}, 3, {1, 1}}, rng); // size-1 everything
    check({{1, 1, 3, 3}, 1, {3, 3}, {7, 7}, {}, {3, 3}, {3, 3}}, rng); // padding as large as the kernel
}

TEST(Convolution, EveryPaddingMode)
{
    Rng rng(14);
    for (int32_t m = 0; m < EnumMax<PaddingMode>(); ++m)
    {
        const auto mode = static_cast<PaddingMode>(m);
        check({{1, 2, 10, 7}, 3, {3, 2}, {2, 3}, {}, {1, 0}, {0, 1}, mode}, rng);
        check({{1, 1, 9, 8}, 2, {4, 3}, {3, 2}, {2, 1}, {2, 1}, {1, 2}, mode}, rng);
        check({{1, 2, 6, 5}, 2, {1, 5}, {1, 4}, {}, {}, {}, mode}, rng);
    }
}

TEST(Convolution, ThreeD)
{
    Rng rng(15);
    check({{1, 2, 5, 6, 4}, 3, {3, 3, 2}}, rng);
    check({{2, 4, 6, 5, 7}, 4, {2, 3, 3}, {2, 1, 2}, {1, 2, 1}, {1, 1, 0}, {0, 2, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, 2}, rng);
    check({{1, 3, 7, 4, 5}, 6, {3, 2, 3}, {2, 2, 2}, {}, {}, {}, PaddingMode::kSAME_UPPER, 3, false}, rng);
    check({{1, 2, 5, 5, 5}, 2, {2, 2, 2}, {3, 2, 1}, {}, {}, {}, PaddingMode::kSAME_LOWER}, rng);
    check({{1, 2, 5, 4, 6}, 2, {2, 2, 3}, {2, 2, 2}, {}, {1, 0, 1}, {0, 1, 1}, PaddingMode::kCAFFE_ROUND_UP}, rng);
}

TEST(Convolution, ImplicitBatchAndExtraLeadingAxes)
{
    Rng rng(16);
    check({{3, 2, 6, 7}, 4, {3, 3}, {2, 1}, {}, {1, 1}, {1, 1}}, rng, false);
    check({{2, 4, 5, 5}, 4, {2, 2}, {}, {}, {}, {}, PaddingMode::kSAME_LOWER, 4}, rng, false);
    check({{2, 2, 3, 4, 5, 6}, 2, {3, 3, 3}, {}, {}, {}, {}, PaddingMode::kSAME_UPPER}, rng, false);
    check({{2, 3, 2, 6, 6}, 2, {3, 3}}, rng); // two leading axes before the channel
}

TEST(Convolution, SeededRandomSweep)
{
    Rng rng(17);
    for (int32_t trial = 0; trial < 24; ++trial)
    {
        Conv c;
        const int32_t nb = rng.uniformInt(2, 3);
        c.groups = rng.uniformInt(1, 3);
        c.maps = c.groups * rng.uniformInt(1, 3);
        c.input = {rng.uniformInt(1, 2), c.groups * rng.uniformInt(1, 2)};
        c.mode = static_cast<PaddingMode>(rng.uniformInt(0, EnumMax<PaddingMode>() - 1));
        c.bias = rng.uniformInt(0, 1) == 1;
        for (int32_t i = 0; i < nb; ++i)
        {
            c.kernel.push_back(rng.uniformInt(1, 3));
            c.stride.push_back(rng.uniformInt(1, 3));
            c.dilation.push_back(rng.uniformInt(1, 2));
            c.pre.push_back(rng.uniformInt(0, 2));
            c.post.push_back(rng.uniformInt(0, 2));
            const int32_t dk = c.dilation.back() * (c.kernel.back() - 1) + 1;
            c.input.push_back(rng.uniformInt(dk, dk + (nb == 2 ? 8 : 4)));
        }
        check(c, rng, trial % 4 != 3);
    }
}

TEST(Convolution, DeprecatedDimsHWApiAliasesNd)
{
    NetworkHarness h;
    Rng rng(3);
    const std::vector<float> w(2 * 3 * 3, 0.5f);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 1, 6, 6}, rng));
    IConvolutionLayer* conv = h.network().addConvolution(*in, 2, DimsHW(3, 3), Weights{DataType::kFLOAT, w.data(), 18},
        Weights{DataType::kFLOAT, nullptr, 0});
    ASSERT_NE(conv, nullptr);
    conv->setStride(DimsHW(2, 1));
    conv->setPadding(DimsHW(1, 2));
    conv->setDilation(DimsHW(1, 2));
    EXPECT_EQ(conv->getStrideNd().nbDims, 2);
    EXPECT_EQ(conv->getStrideNd().d[0], 2);
    EXPECT_EQ(conv->getPrePadding().d[1], 2);
    EXPECT_EQ(conv->getPostPadding().d[0], 1);
    EXPECT_EQ(conv->getPaddingNd().d[1], 2);
    EXPECT_EQ(conv->getDilationNd().d[1], 2);
    EXPECT_EQ(conv->getKernelSize().h(), 3);
    EXPECT_EQ(conv->getStride().w(), 1);
    EXPECT_EQ(conv->getPadding().h(), 1);
    EXPECT_EQ(conv->getDilation().w(), 2);
    EXPECT_EQ(conv->getNbGroups(), 1);
    EXPECT_EQ(conv->getPaddingMode(), PaddingMode::kEXPLICIT_ROUND_DOWN);
    EXPECT_EQ(conv->getKernelWeights().count, 18);
    EXPECT_EQ(conv->getBiasWeights().count, 0);
    // (6 + 2 - 3) / 2 + 1 = 3 rows, (6 + 4 - 5) / 1 + 1 = 6 columns.
    const Dims out = conv->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[1], 2);
    EXPECT_EQ(out.d[2], 3);
    EXPECT_EQ(out.d[3], 6);
}

TEST(Convolution, UnknownExtentsPropagate)
{
    NetworkHarness h;
    ITensor* in = h.network().addInput("x", DataType::kFLOAT, Dims4{-1, 3, -1, 9});
    const std::vector<float> w(5 * 3 * 9, 1.f);
    IConvolutionLayer* conv = h.network().addConvolutionNd(
        *in, 5, Dims2{3, 3}, Weights{DataType::kFLOAT, w.data(), 135}, Weights{DataType::kFLOAT, nullptr, 0});
    ASSERT_NE(conv, nullptr);
    conv->setStrideNd(Dims2{2, 2});
    const Dims out = conv->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[0], -1);
    EXPECT_EQ(out.d[1], 5);
    EXPECT_EQ(out.d[2], -1);
    EXPECT_EQ(out.d[3], 4);
}

//! Adds a 3×3 convolution with 4 maps over {1, 4, 6, 6}, lets \p mutate break it, and expects the
//! build to fail with an error naming the layer and containing \p needle.
void expectBuildError(const std::function<void(NetworkHarness&, IConvolutionLayer&)>& mutate, const std::string& needle)
{
    SCOPED_TRACE(needle);
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(5);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 4, 6, 6}, rng));
    static const std::vector<float> w(4 * 4 * 9, 0.25f);
    static const std::vector<float> b(4, 1.f);
    IConvolutionLayer* conv = h.network().addConvolutionNd(*in, 4, Dims2{3, 3}, Weights{DataType::kFLOAT, w.data(), 144},
        Weights{DataType::kFLOAT, b.data(), 4});
    ASSERT_NE(conv, nullptr);
    conv->setName("bad_conv");
    mutate(h, *conv);
    h.network().markOutput(*conv->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("bad_conv")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError(needle)) << h.logger().errors();
}

TEST(Convolution, BadParametersFailTheBuild)
{
    static const std::vector<float> w2(4 * 2 * 9, 0.5f);
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setNbGroups(3); }, "groups");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setNbGroups(0); }, "groups");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setNbOutputMaps(5); }, "kernel weights");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setNbOutputMaps(-1); }, "output maps");
    expectBuildError(
        [](NetworkHarness&, IConvolutionLayer& c) { c.setKernelWeights(Weights{DataType::kFLOAT, w2.data(), 72}); },
        "kernel weights");
    expectBuildError(
        [](NetworkHarness&, IConvolutionLayer& c) { c.setBiasWeights(Weights{DataType::kFLOAT, w2.data(), 3}); },
        "bias weights");
    expectBuildError(
        [](NetworkHarness&, IConvolutionLayer& c) { c.setKernelWeights(Weights{DataType::kINT32, w2.data(), 144}); },
        "INT32");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setStrideNd(Dims3{1, 1, 1}); }, "stride");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setStrideNd(Dims2{0, 1}); }, "stride");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setDilationNd(Dims2{1, -2}); }, "dilation");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setPrePadding(Dims2{-1, 0}); }, "padding");
    Dims garbage{};
    garbage.nbDims = 42;
    expectBuildError([&](NetworkHarness&, IConvolutionLayer& c) { c.setPostPadding(garbage); }, "padding");
    expectBuildError([&](NetworkHarness&, IConvolutionLayer& c) { c.setKernelSizeNd(garbage); }, "kernel");
    expectBuildError([](NetworkHarness&, IConvolutionLayer& c) { c.setKernelSizeNd(Dims2{7, 3}); }, "kernel");
    expectBuildError(
        [](NetworkHarness&, IConvolutionLayer& c) { c.setPaddingMode(static_cast<PaddingMode>(17)); }, "padding mode");
    expectBuildError(
        [](NetworkHarness& h, IConvolutionLayer& c) {
            ITensor* k = h.input("k", HostTensor::floats({4, 4, 3, 3}, std::vector<float>(144, 1.f)));
            c.setInput(1, *k);
        },
        "not supported");
}

TEST(Convolution, BadInputsFailTheBuild)
{
    for (const std::vector<int32_t>& dims : {std::vector<int32_t>{6, 6}, std::vector<int32_t>{1, 4, 2, 6}})
    {
        NetworkHarness h;
        h.logger().expectErrors();
        Rng rng(6);
        ITensor* in = h.input("x", kiln::test::randomTensor(dims, rng));
        const std::vector<float> w(4 * 4 * 9, 0.25f);
        IConvolutionLayer* conv = h.network().addConvolutionNd(
            *in, 4, Dims2{3, 3}, Weights{DataType::kFLOAT, w.data(), 144}, Weights{DataType::kFLOAT, nullptr, 0});
        ASSERT_NE(conv, nullptr);
        conv->setName("small_conv");
        h.network().markOutput(*conv->getOutput(0));
        EXPECT_EQ(h.build(), nullptr);
        EXPECT_TRUE(h.logger().hasError("small_conv")) << h.logger().errors();
    }
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::ints({1, 1, 3, 3}, std::vector<int32_t>(9, 1)));
    const std::vector<float> w(9, 1.f);
    IConvolutionLayer* conv = h.network().addConvolutionNd(
        *in, 1, Dims2{3, 3}, Weights{DataType::kFLOAT, w.data(), 9}, Weights{DataType::kFLOAT, nullptr, 0});
    ASSERT_NE(conv, nullptr);
    h.network().markOutput(*conv->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("INT32")) << h.logger().errors();
}

TEST(Convolution, BadAddArgumentsReturnNull)
{
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(7);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 1, 4, 4}, rng));
    const std::vector<float> w(9, 1.f);
    const Weights kernel{DataType::kFLOAT, w.data(), 9};
    const Weights none{DataType::kFLOAT, nullptr, 0};
    EXPECT_EQ(h.network().addConvolutionNd(*in, 0, Dims2{3, 3}, kernel, none), nullptr);
    EXPECT_EQ(h.network().addConvolutionNd(*in, 1, toDims({3}), kernel, none), nullptr);
    EXPECT_EQ(h.network().addConvolutionNd(*in, 1, Dims2{3, 0}, kernel, none), nullptr);
    EXPECT_EQ(h.network().addConvolutionNd(*in, 1, Dims2{3, 3}, none, none), nullptr);
    EXPECT_EQ(h.network().addConvolutionNd(*in, 1, Dims2{3, 3}, kernel, Weights{DataType::kFLOAT, w.data(), 2}), nullptr);
    EXPECT_TRUE(h.logger().hasError("addConvolutionNd")) << h.logger().errors();
}

} // namespace
