// Deconvolution against a float64 scatter reference: groups (including depthwise), dilation,
// strides, asymmetric pre/post cropping, every PaddingMode, 2-D and 3-D kernels, with and without
// bias, both batch modes, and bad parameters.
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

struct Deconv
{
    std::vector<int32_t> input{}; //!< {N, C, (D,) H, W}
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

//! Scatters every input cell through the kernel into the full output, then crops and adds bias.
std::vector<double> reference(const Deconv& c, const std::vector<float>& x, const std::vector<float>& w,
    const std::vector<float>& b, std::vector<int32_t>& outDims)
{
    const size_t nb = c.kernel.size();
    const size_t rank = c.input.size();
    const int32_t channels = c.input[rank - nb - 1];
    int64_t batch = 1;
    for (size_t i = 0; i + nb + 1 < rank; ++i)
        batch *= c.input[i];
    int32_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1};
    int32_t full[3] = {1, 1, 1}, out[3] = {1, 1, 1}, crop[3] = {0, 0, 0};
    outDims = c.input;
    outDims[rank - nb - 1] = c.maps;
    for (size_t i = 0; i < nb; ++i)
    {
        const size_t a = 3 - nb + i;
        in[a] = c.input[rank - nb + i];
        k[a] = c.kernel[i];
        s[a] = param(c.stride, i, 1);
        d[a] = param(c.dilation, i, 1);
        const int32_t dk = d[a] * (k[a] - 1) + 1;
        full[a] = (in[a] - 1) * s[a] + dk;
        if (c.mode == PaddingMode::kSAME_UPPER || c.mode == PaddingMode::kSAME_LOWER)
        {
            const int32_t total = std::max(dk - s[a], 0);
            crop[a] = c.mode == PaddingMode::kSAME_UPPER ? total / 2 : total - total / 2;
            out[a] = std::min(in[a] * s[a], full[a]);
        }
        else
        {
            crop[a] = param(c.pre, i, 0);
            out[a] = full[a] - crop[a] - param(c.post, i, 0);
        }
        outDims[rank - nb + i] = out[a];
    }
    const int32_t cg = channels / c.groups;
    const int32_t kg = c.maps / c.groups;
    const int64_t fullPlane = int64_t{full[0]} * full[1] * full[2];
    std::vector<double> y;
    for (int64_t n = 0; n < batch; ++n)
    {
        std::vector<double> acc(static_cast<size_t>(fullPlane * c.maps), 0.0);
        for (int32_t ci = 0; ci < channels; ++ci)
            for (int32_t id = 0; id < in[0]; ++id)
                for (int32_t ih = 0; ih < in[1]; ++ih)
                    for (int32_t iw = 0; iw < in[2]; ++iw)
                    {
                        const double xv = x[static_cast<size_t>((((n * channels + ci) * in[0] + id) * in[1] + ih) * in[2] + iw)];
                        for (int32_t mk = 0; mk < kg; ++mk)
                            for (int32_t fd = 0; fd < k[0]; ++fd)
                                for (int32_t fh = 0; fh < k[1]; ++fh)
                                    for (int32_t fw = 0; fw < k[2]; ++fw)
                                    {
                                        const int32_t m = (ci / cg) * kg + mk;
                                        const int64_t pos = ((int64_t{id} * s[0] + fd * d[0]) * full[1] + ih * s[1] + fh * d[1]) * full[2]
                                            + iw * s[2] + fw * d[2];
                                        const double wv = w[static_cast<size_t>((((int64_t{ci} * kg + mk) * k[0] + fd) * k[1] + fh) * k[2] + fw)];
                                        acc[static_cast<size_t>(m * fullPlane + pos)] += xv * wv;
                                    }
                    }
        for (int32_t m = 0; m < c.maps; ++m)
            for (int32_t od = 0; od < out[0]; ++od)
                for (int32_t oh = 0; oh < out[1]; ++oh)
                    for (int32_t ow = 0; ow < out[2]; ++ow)
                    {
                        const int64_t pos = (int64_t{od + crop[0]} * full[1] + oh + crop[1]) * full[2] + ow + crop[2];
                        y.push_back(acc[static_cast<size_t>(m * fullPlane + pos)] + (b.empty() ? 0.0 : b[m]));
                    }
    }
    return y;
}

void check(const Deconv& c, Rng& rng, bool explicitBatch = true)
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
    const std::vector<float> w = kiln::test::randomFloats(int64_t{channels} * (c.maps / c.groups) * taps, rng);
    const std::vector<float> b = c.bias ? kiln::test::randomFloats(c.maps, rng) : std::vector<float>{};
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IDeconvolutionLayer* deconv = h.network().addDeconvolutionNd(*in, c.maps, toDims(c.kernel),
        Weights{DataType::kFLOAT, w.data(), static_cast<int64_t>(w.size())},
        Weights{DataType::kFLOAT, b.empty() ? nullptr : b.data(), static_cast<int64_t>(b.size())});
    ASSERT_NE(deconv, nullptr);
    if (!c.stride.empty())
        deconv->setStrideNd(toDims(c.stride));
    if (!c.dilation.empty())
        deconv->setDilationNd(toDims(c.dilation));
    if (!c.pre.empty())
        deconv->setPrePadding(toDims(c.pre));
    if (!c.post.empty())
        deconv->setPostPadding(toDims(c.post));
    deconv->setPaddingMode(c.mode);
    deconv->setNbGroups(c.groups);
    EXPECT_EQ(deconv->getType(), LayerType::kDECONVOLUTION);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = reference(c, x.f, w, b, outDims);
    const Dims apiDims = deconv->getOutput(0)->getDimensions();
    const std::vector<int32_t> expectedApiDims(outDims.begin() + (explicitBatch ? 0 : 1), outDims.end());
    EXPECT_EQ(std::vector<int32_t>(apiDims.d, apiDims.d + std::max(apiDims.nbDims, 0)), expectedApiDims);
    h.markOutput(deconv->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
}

TEST(Deconvolution, Basic2D)
{
    Rng rng(21);
    check({{1, 2, 4, 5}, 3, {3, 3}}, rng);
    check({{2, 3, 5, 4}, 2, {2, 2}, {2, 2}}, rng); // the classic 2× upsampling
    check({{1, 1, 1, 1}, 1, {1, 1}, {}, {}, {}, {}, PaddingMode::kEXPLICIT_ROUND_DOWN, 1, false}, rng);
}

TEST(Deconvolution, GroupsAndDepthwise)
{
    Rng rng(22);
    check({{1, 4, 5, 5}, 6, {3, 3}, {2, 2}, {}, {}, {}, PaddingMode::kEXPLICIT_ROUND_DOWN, 2}, rng);
    check({{2, 3, 4, 6}, 3, {3, 2}, {2, 3}, {}, {1, 0}, {0, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, 3}, rng); // depthwise
    check({{1, 6, 3, 3}, 3, {2, 3}, {1, 2}, {}, {}, {}, PaddingMode::kEXPLICIT_ROUND_DOWN, 3, false}, rng);
}

TEST(Deconvolution, DilationStrideAndAsymmetricCrop)
{
    Rng rng(23);
    check({{1, 2, 5, 6}, 2, {3, 3}, {2, 3}, {2, 1}, {1, 2}, {2, 0}}, rng);
    check({{1, 1, 4, 4}, 2, {2, 3}, {3, 4}, {3, 2}, {0, 0}, {3, 1}}, rng);
    check({{1, 3, 3, 7}, 1, {4, 1}, {1, 5}, {2, 1}, {3, 0}, {0, 0}, PaddingMode::kEXPLICIT_ROUND_DOWN, 1, false}, rng);
    check({{1, 2, 3, 3}, 2, {2, 2}, {5, 5}}, rng); // stride larger than the kernel leaves zero gaps
}

TEST(Deconvolution, EveryPaddingMode)
{
    Rng rng(24);
    for (int32_t m = 0; m < EnumMax<PaddingMode>(); ++m)
    {
        const auto mode = static_cast<PaddingMode>(m);
        check({{1, 2, 4, 5}, 2, {3, 4}, {2, 2}, {}, {1, 0}, {0, 2}, mode}, rng);
        check({{1, 1, 5, 3}, 3, {3, 2}, {2, 3}, {2, 1}, {1, 1}, {1, 0}, mode}, rng);
        check({{1, 2, 3, 3}, 1, {1, 2}, {3, 3}, {}, {}, {}, mode}, rng); // kernel smaller than the stride
    }
}

TEST(Deconvolution, ThreeD)
{
    Rng rng(25);
    check({{1, 2, 3, 4, 3}, 2, {2, 3, 2}}, rng);
    check({{1, 4, 3, 3, 4}, 4, {3, 2, 2}, {2, 2, 1}, {1, 1, 2}, {1, 0, 1}, {0, 1, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, 2}, rng);
    check({{2, 2, 2, 3, 3}, 3, {3, 3, 3}, {2, 1, 2}, {}, {}, {}, PaddingMode::kSAME_UPPER, 1, false}, rng);
    check({{1, 3, 3, 2, 3}, 3, {2, 3, 3}, {2, 2, 2}, {}, {}, {}, PaddingMode::kSAME_LOWER, 3}, rng);
}

TEST(Deconvolution, ImplicitBatch)
{
    Rng rng(26);
    check({{3, 2, 4, 4}, 2, {3, 3}, {2, 2}, {}, {1, 1}, {1, 1}}, rng, false);
    check({{2, 2, 3, 3, 3}, 2, {2, 2, 2}, {2, 2, 2}, {}, {}, {}, PaddingMode::kSAME_LOWER, 2}, rng, false);
}

TEST(Deconvolution, SeededRandomSweep)
{
    Rng rng(27);
    for (int32_t trial = 0; trial < 20; ++trial)
    {
        Deconv c;
        const int32_t nb = rng.uniformInt(2, 3);
        c.groups = rng.uniformInt(1, 3);
        c.maps = c.groups * rng.uniformInt(1, 2);
        c.input = {rng.uniformInt(1, 2), c.groups * rng.uniformInt(1, 2)};
        c.mode = static_cast<PaddingMode>(rng.uniformInt(0, EnumMax<PaddingMode>() - 1));
        c.bias = rng.uniformInt(0, 1) == 1;
        for (int32_t i = 0; i < nb; ++i)
        {
            c.kernel.push_back(rng.uniformInt(1, 3));
            c.stride.push_back(rng.uniformInt(1, 3));
            c.dilation.push_back(rng.uniformInt(1, 2));
            c.input.push_back(rng.uniformInt(1, nb == 2 ? 6 : 3));
            // Keep at least one output cell: crop at most what the full output holds minus one.
            const int32_t full = (c.input.back() - 1) * c.stride.back() + c.dilation.back() * (c.kernel.back() - 1) + 1;
            const int32_t pre = rng.uniformInt(0, std::min(2, full - 1));
            c.pre.push_back(pre);
            c.post.push_back(rng.uniformInt(0, std::min(2, full - 1 - pre)));
        }
        check(c, rng, trial % 4 != 3);
    }
}

TEST(Deconvolution, DeprecatedDimsHWApiAliasesNd)
{
    NetworkHarness h;
    Rng rng(3);
    const std::vector<float> w(1 * 2 * 2 * 2, 1.f);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 1, 3, 3}, rng));
    IDeconvolutionLayer* deconv = h.network().addDeconvolution(
        *in, 2, DimsHW(2, 2), Weights{DataType::kFLOAT, w.data(), 8}, Weights{DataType::kFLOAT, nullptr, 0});
    ASSERT_NE(deconv, nullptr);
    deconv->setStride(DimsHW(2, 3));
    deconv->setPadding(DimsHW(1, 0));
    EXPECT_EQ(deconv->getStrideNd().d[1], 3);
    EXPECT_EQ(deconv->getPrePadding().d[0], 1);
    EXPECT_EQ(deconv->getPostPadding().d[0], 1);
    EXPECT_EQ(deconv->getKernelSize().w(), 2);
    EXPECT_EQ(deconv->getPadding().h(), 1);
    EXPECT_EQ(deconv->getDilationNd().d[0], 1);
    // (3 - 1)·2 + 2 - 2 = 4 rows, (3 - 1)·3 + 2 = 8 columns.
    const Dims out = deconv->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[1], 2);
    EXPECT_EQ(out.d[2], 4);
    EXPECT_EQ(out.d[3], 8);
}

void expectBuildError(const std::function<void(NetworkHarness&, IDeconvolutionLayer&)>& mutate, const std::string& needle)
{
    SCOPED_TRACE(needle);
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(5);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 4, 3, 3}, rng));
    static const std::vector<float> w(4 * 2 * 9, 0.25f);
    static const std::vector<float> b(2, 1.f);
    IDeconvolutionLayer* deconv = h.network().addDeconvolutionNd(
        *in, 2, Dims2{3, 3}, Weights{DataType::kFLOAT, w.data(), 72}, Weights{DataType::kFLOAT, b.data(), 2});
    ASSERT_NE(deconv, nullptr);
    deconv->setName("bad_deconv");
    mutate(h, *deconv);
    h.network().markOutput(*deconv->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("bad_deconv")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError(needle)) << h.logger().errors();
}

TEST(Deconvolution, BadParametersFailTheBuild)
{
    expectBuildError([](NetworkHarness&, IDeconvolutionLayer& d) { d.setNbGroups(3); }, "groups");
    expectBuildError([](NetworkHarness&, IDeconvolutionLayer& d) { d.setNbGroups(4); }, "groups"); // 2 maps
    expectBuildError([](NetworkHarness&, IDeconvolutionLayer& d) { d.setNbOutputMaps(4); }, "weights");
    expectBuildError([](NetworkHarness&, IDeconvolutionLayer& d) { d.setStrideNd(Dims2{1, 0}); }, "stride");
    expectBuildError([](NetworkHarness&, IDeconvolutionLayer& d) { d.setDilationNd(Dims3{1, 1, 1}); }, "dilation");
    // (3 - 1)·1 + 3 = 5 cells; cropping 3 + 2 leaves none.
    expectBuildError(
        [](NetworkHarness&, IDeconvolutionLayer& d) {
            d.setPrePadding(Dims2{3, 0});
            d.setPostPadding(Dims2{2, 0});
        },
        "crops");
    expectBuildError(
        [](NetworkHarness&, IDeconvolutionLayer& d) { d.setPaddingMode(static_cast<PaddingMode>(-1)); }, "padding mode");
    expectBuildError(
        [](NetworkHarness& h, IDeconvolutionLayer& d) {
            ITensor* bias = h.input("b", HostTensor::floats({2}, {1.f, 2.f}));
            d.setInput(2, *bias);
        },
        "not supported");
}

TEST(Deconvolution, BadAddArgumentsReturnNull)
{
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(7);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 1, 4, 4}, rng));
    const std::vector<float> w(9, 1.f);
    const Weights kernel{DataType::kFLOAT, w.data(), 9};
    const Weights none{DataType::kFLOAT, nullptr, 0};
    EXPECT_EQ(h.network().addDeconvolutionNd(*in, -3, Dims2{3, 3}, kernel, none), nullptr);
    EXPECT_EQ(h.network().addDeconvolutionNd(*in, 1, Dims4{1, 1, 3, 3}, kernel, none), nullptr);
    EXPECT_EQ(h.network().addDeconvolutionNd(*in, 1, Dims2{3, 3}, Weights{DataType::kINT32, w.data(), 9}, none), nullptr);
    EXPECT_TRUE(h.logger().hasError("addDeconvolutionNd")) << h.logger().errors();
}

} // namespace
