// Pooling against a float64 reference: max, average and blend, every PaddingMode, asymmetric
// padding, averages that count the padding or not, 2-D and 3-D windows, both batch modes, the
// deprecated DimsHW API, and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <functional>
#include <limits>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;

namespace
{

struct Pool
{
    std::vector<int32_t> input{}; //!< {N, C, (D,) H, W}
    PoolingType type{PoolingType::kMAX};
    std::vector<int32_t> window{};
    std::vector<int32_t> stride{}, pre{}, post{}; //!< empty: the defaults
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    bool excludePadding{true};
    float blend{0.5f};
};

int32_t param(const std::vector<int32_t>& v, size_t i, int32_t fallback)
{
    return v.empty() ? fallback : v[i];
}

struct Axis
{
    int32_t out, pre, post;
};

Axis slidingAxis(PaddingMode mode, int32_t in, int32_t k, int32_t s, int32_t pre, int32_t post)
{
    const int32_t span = in + pre + post - k;
    switch (mode)
    {
    case PaddingMode::kSAME_UPPER:
    case PaddingMode::kSAME_LOWER:
    {
        const int32_t out = (in + s - 1) / s;
        const int32_t total = std::max((out - 1) * s + k - in, 0);
        const int32_t before = mode == PaddingMode::kSAME_UPPER ? total / 2 : total - total / 2;
        return {out, before, total - before};
    }
    case PaddingMode::kEXPLICIT_ROUND_UP: return {(span + s - 1) / s + 1, pre, post};
    case PaddingMode::kCAFFE_ROUND_UP:
    {
        int32_t out = (span + s - 1) / s + 1;
        if ((out - 1) * s >= in + pre)
            --out;
        return {out, pre, post};
    }
    default: return {span / s + 1, pre, post};
    }
}

std::vector<double> reference(const Pool& p, const std::vector<float>& x, std::vector<int32_t>& outDims)
{
    const size_t nb = p.window.size();
    const size_t rank = p.input.size();
    int64_t planes = 1;
    for (size_t i = 0; i + nb < rank; ++i)
        planes *= p.input[i];
    int32_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1};
    Axis ax[3] = {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}};
    outDims = p.input;
    for (size_t i = 0; i < nb; ++i)
    {
        const size_t a = 3 - nb + i;
        in[a] = p.input[rank - nb + i];
        k[a] = p.window[i];
        s[a] = param(p.stride, i, 1);
        ax[a] = slidingAxis(p.mode, in[a], k[a], s[a], param(p.pre, i, 0), param(p.post, i, 0));
        outDims[rank - nb + i] = ax[a].out;
    }
    std::vector<double> y;
    for (int64_t n = 0; n < planes; ++n)
        for (int32_t od = 0; od < ax[0].out; ++od)
            for (int32_t oh = 0; oh < ax[1].out; ++oh)
                for (int32_t ow = 0; ow < ax[2].out; ++ow)
                {
                    double max = -std::numeric_limits<double>::infinity();
                    double sum = 0;
                    int32_t inside = 0;
                    int32_t padded = 0;
                    const int32_t o[3] = {od, oh, ow};
                    for (int32_t fd = 0; fd < k[0]; ++fd)
                        for (int32_t fh = 0; fh < k[1]; ++fh)
                            for (int32_t fw = 0; fw < k[2]; ++fw)
                            {
                                const int32_t f[3] = {fd, fh, fw};
                                int32_t pos[3];
                                bool isInside = true;
                                bool isPadded = true;
                                for (int32_t a = 0; a < 3; ++a)
                                {
                                    pos[a] = o[a] * s[a] - ax[a].pre + f[a];
                                    isInside = isInside && pos[a] >= 0 && pos[a] < in[a];
                                    isPadded = isPadded && pos[a] >= -ax[a].pre && pos[a] < in[a] + ax[a].post;
                                }
                                padded += isPadded ? 1 : 0;
                                if (!isInside)
                                    continue;
                                const double v = x[static_cast<size_t>(((n * in[0] + pos[0]) * in[1] + pos[1]) * in[2] + pos[2])];
                                max = std::max(max, v);
                                sum += v;
                                ++inside;
                            }
                    if (inside == 0)
                    {
                        y.push_back(0.0);
                        continue;
                    }
                    const double avg = sum / (p.excludePadding ? inside : padded);
                    if (p.type == PoolingType::kMAX)
                        y.push_back(max);
                    else if (p.type == PoolingType::kAVERAGE)
                        y.push_back(avg);
                    else
                        y.push_back(p.blend * max + (1.0 - p.blend) * avg);
                }
    return y;
}

void check(const Pool& p, Rng& rng, bool explicitBatch = true)
{
    SCOPED_TRACE("input " + ::testing::PrintToString(p.input) + " window " + ::testing::PrintToString(p.window)
        + " type " + std::to_string(static_cast<int>(p.type)) + " mode " + std::to_string(static_cast<int>(p.mode))
        + (p.excludePadding ? " exclude" : " include") + (explicitBatch ? " explicit" : " implicit") + " seed "
        + std::to_string(rng.seed()));
    NetworkHarness h(explicitBatch);
    h.setBatch(p.input[0]);
    const HostTensor x = kiln::test::randomTensor(p.input, rng, -3.f, 2.f);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IPoolingLayer* pool = h.network().addPoolingNd(*in, p.type, toDims(p.window));
    ASSERT_NE(pool, nullptr);
    if (!p.stride.empty())
        pool->setStrideNd(toDims(p.stride));
    if (!p.pre.empty())
        pool->setPrePadding(toDims(p.pre));
    if (!p.post.empty())
        pool->setPostPadding(toDims(p.post));
    pool->setPaddingMode(p.mode);
    pool->setAverageCountExcludesPadding(p.excludePadding);
    if (p.type == PoolingType::kMAX_AVERAGE_BLEND)
        pool->setBlendFactor(p.blend);
    EXPECT_EQ(pool->getType(), LayerType::kPOOLING);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = reference(p, x.f, outDims);
    const Dims apiDims = pool->getOutput(0)->getDimensions();
    const std::vector<int32_t> expectedApiDims(outDims.begin() + (explicitBatch ? 0 : 1), outDims.end());
    EXPECT_EQ(std::vector<int32_t>(apiDims.d, apiDims.d + std::max(apiDims.nbDims, 0)), expectedApiDims);
    h.markOutput(pool->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-6);
}

const PoolingType kTypes[] = {PoolingType::kMAX, PoolingType::kAVERAGE, PoolingType::kMAX_AVERAGE_BLEND};

TEST(Pooling, DefaultsAndMnistShapes)
{
    Rng rng(31);
    NetworkHarness h;
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 20, 24, 24}, rng));
    IPoolingLayer* pool = h.network().addPoolingNd(*in, PoolingType::kMAX, Dims2{2, 2});
    ASSERT_NE(pool, nullptr);
    EXPECT_EQ(pool->getStrideNd().nbDims, 2);
    EXPECT_EQ(pool->getStrideNd().d[0], 1); // TensorRT's default stride is 1, not the window
    EXPECT_EQ(pool->getPaddingNd().d[1], 0);
    EXPECT_TRUE(pool->getAverageCountExcludesPadding());
    EXPECT_EQ(pool->getPaddingMode(), PaddingMode::kEXPLICIT_ROUND_DOWN);
    EXPECT_EQ(pool->getOutput(0)->getDimensions().d[2], 23);
    check({{1, 20, 24, 24}, PoolingType::kMAX, {2, 2}, {2, 2}}, rng);
}

TEST(Pooling, AllTypesWithPaddingCountedBothWays)
{
    Rng rng(32);
    for (PoolingType type : kTypes)
        for (bool exclude : {true, false})
        {
            check({{1, 2, 7, 6}, type, {3, 3}, {2, 2}, {1, 1}, {1, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, exclude, 0.3f}, rng);
            check({{2, 1, 5, 8}, type, {2, 3}, {1, 2}, {1, 0}, {0, 2}, PaddingMode::kEXPLICIT_ROUND_DOWN, exclude, 0.8f}, rng);
            check({{1, 3, 4, 4}, type, {4, 4}, {4, 4}, {}, {}, PaddingMode::kEXPLICIT_ROUND_DOWN, exclude}, rng); // global
        }
}

TEST(Pooling, EveryPaddingMode)
{
    Rng rng(33);
    for (int32_t m = 0; m < EnumMax<PaddingMode>(); ++m)
        for (PoolingType type : kTypes)
        {
            const auto mode = static_cast<PaddingMode>(m);
            check({{1, 2, 7, 8}, type, {3, 2}, {2, 3}, {1, 0}, {2, 1}, mode, m % 2 == 0, 0.25f}, rng);
            check({{1, 1, 6, 5}, type, {2, 3}, {3, 2}, {1, 2}, {0, 1}, mode, m % 2 == 1}, rng);
        }
}

TEST(Pooling, StrideLargerThanWindowRoundingUp)
{
    // ROUND_UP with stride > window can place a window past the input: it yields 0.
    Rng rng(34);
    for (PoolingType type : kTypes)
    {
        check({{1, 1, 3, 3}, type, {1, 1}, {10, 10}, {}, {}, PaddingMode::kEXPLICIT_ROUND_UP}, rng);
        check({{1, 2, 7, 6}, type, {2, 2}, {4, 5}, {}, {}, PaddingMode::kEXPLICIT_ROUND_UP, false}, rng);
        check({{1, 2, 7, 6}, type, {2, 2}, {4, 5}, {}, {}, PaddingMode::kCAFFE_ROUND_UP, false}, rng);
    }
}

TEST(Pooling, ThreeD)
{
    Rng rng(35);
    for (PoolingType type : kTypes)
    {
        check({{1, 2, 4, 5, 6}, type, {2, 2, 3}, {2, 1, 2}, {1, 0, 1}, {0, 1, 2}}, rng);
        check({{2, 1, 5, 3, 4}, type, {3, 2, 2}, {2, 2, 2}, {}, {}, PaddingMode::kSAME_UPPER, false}, rng);
        check({{1, 2, 5, 5, 5}, type, {3, 3, 3}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}, PaddingMode::kCAFFE_ROUND_UP, false}, rng);
    }
}

TEST(Pooling, ImplicitBatchAndEdgeShapes)
{
    Rng rng(36);
    check({{3, 2, 5, 5}, PoolingType::kAVERAGE, {3, 3}, {2, 2}, {1, 1}, {1, 1}, PaddingMode::kEXPLICIT_ROUND_DOWN, false}, rng, false);
    check({{2, 3, 4, 5, 6}, PoolingType::kMAX, {2, 2, 2}, {2, 2, 2}, {}, {}, PaddingMode::kSAME_LOWER}, rng, false);
    check({{1, 1, 1, 1}, PoolingType::kAVERAGE, {1, 1}}, rng);
    check({{1, 1, 1, 7}, PoolingType::kMAX_AVERAGE_BLEND, {1, 7}, {1, 3}, {0, 3}, {0, 3}, PaddingMode::kEXPLICIT_ROUND_UP, false, 0.1f}, rng);
    check({{2, 2, 3, 9, 9}, PoolingType::kMAX, {3, 3}, {3, 3}}, rng); // two leading axes
}

TEST(Pooling, SeededRandomSweep)
{
    Rng rng(37);
    for (int32_t trial = 0; trial < 24; ++trial)
    {
        Pool p;
        const int32_t nb = rng.uniformInt(2, 3);
        p.type = kTypes[rng.uniformInt(0, 2)];
        p.mode = static_cast<PaddingMode>(rng.uniformInt(0, EnumMax<PaddingMode>() - 1));
        p.excludePadding = rng.uniformInt(0, 1) == 1;
        p.blend = rng.uniform(0.f, 1.f);
        p.input = {rng.uniformInt(1, 2), rng.uniformInt(1, 3)};
        for (int32_t i = 0; i < nb; ++i)
        {
            p.window.push_back(rng.uniformInt(1, 4));
            p.stride.push_back(rng.uniformInt(1, 4));
            p.pre.push_back(rng.uniformInt(0, p.window.back() - 1));
            p.post.push_back(rng.uniformInt(0, p.window.back() - 1));
            p.input.push_back(rng.uniformInt(p.window.back(), p.window.back() + (nb == 2 ? 8 : 4)));
        }
        check(p, rng, trial % 4 != 3);
    }
}

TEST(Pooling, DeprecatedDimsHWApiAliasesNd)
{
    NetworkHarness h;
    Rng rng(3);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 1, 8, 8}, rng));
    IPoolingLayer* pool = h.network().addPooling(*in, PoolingType::kAVERAGE, DimsHW(3, 2));
    ASSERT_NE(pool, nullptr);
    pool->setStride(DimsHW(2, 2));
    pool->setPadding(DimsHW(1, 1));
    pool->setBlendFactor(0.75f);
    pool->setPoolingType(PoolingType::kMAX_AVERAGE_BLEND);
    EXPECT_EQ(pool->getWindowSizeNd().d[0], 3);
    EXPECT_EQ(pool->getWindowSize().w(), 2);
    EXPECT_EQ(pool->getStrideNd().d[1], 2);
    EXPECT_EQ(pool->getPostPadding().d[0], 1);
    EXPECT_EQ(pool->getPadding().w(), 1);
    EXPECT_EQ(pool->getStride().h(), 2);
    EXPECT_FLOAT_EQ(pool->getBlendFactor(), 0.75f);
    EXPECT_EQ(pool->getPoolingType(), PoolingType::kMAX_AVERAGE_BLEND);
    const Dims out = pool->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[2], 4); // (8 + 2 - 3) / 2 + 1
    EXPECT_EQ(out.d[3], 5); // (8 + 2 - 2) / 2 + 1
}

TEST(Pooling, UnknownExtentsPropagate)
{
    NetworkHarness h;
    ITensor* in = h.network().addInput("x", DataType::kFLOAT, Dims4{-1, -1, 7, -1});
    IPoolingLayer* pool = h.network().addPoolingNd(*in, PoolingType::kAVERAGE, Dims2{2, 2});
    ASSERT_NE(pool, nullptr);
    pool->setPaddingMode(PaddingMode::kSAME_UPPER);
    pool->setStrideNd(Dims2{2, 2});
    const Dims out = pool->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[1], -1);
    EXPECT_EQ(out.d[2], 4);
    EXPECT_EQ(out.d[3], -1);
}

void expectBuildError(const std::function<void(IPoolingLayer&)>& mutate, const std::string& needle)
{
    SCOPED_TRACE(needle);
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(5);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 6, 6}, rng));
    IPoolingLayer* pool = h.network().addPoolingNd(*in, PoolingType::kMAX, Dims2{3, 3});
    ASSERT_NE(pool, nullptr);
    pool->setName("bad_pool");
    mutate(*pool);
    h.network().markOutput(*pool->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("bad_pool")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError(needle)) << h.logger().errors();
}

TEST(Pooling, BadParametersFailTheBuild)
{
    expectBuildError([](IPoolingLayer& p) { p.setPoolingType(static_cast<PoolingType>(3)); }, "pooling type");
    expectBuildError([](IPoolingLayer& p) { p.setPaddingMode(static_cast<PaddingMode>(6)); }, "padding mode");
    expectBuildError([](IPoolingLayer& p) { p.setStrideNd(Dims2{0, 1}); }, "stride");
    expectBuildError([](IPoolingLayer& p) { p.setStrideNd(Dims3{1, 1, 1}); }, "stride");
    expectBuildError([](IPoolingLayer& p) { p.setWindowSizeNd(Dims2{7, 3}); }, "window");
    expectBuildError([](IPoolingLayer& p) { p.setWindowSizeNd(Dims{}); }, "window");
    expectBuildError([](IPoolingLayer& p) { p.setPrePadding(Dims2{3, 0}); }, "smaller than the window");
    expectBuildError([](IPoolingLayer& p) { p.setPostPadding(Dims2{0, -1}); }, "padding");
    expectBuildError(
        [](IPoolingLayer& p) {
            p.setPoolingType(PoolingType::kMAX_AVERAGE_BLEND);
            p.setBlendFactor(1.5f);
        },
        "blend");
}

TEST(Pooling, BadInputsAndArguments)
{
    {
        NetworkHarness h;
        h.logger().expectErrors();
        Rng rng(8);
        ITensor* flat = h.input("f", kiln::test::randomTensor({4, 4}, rng));
        EXPECT_EQ(h.network().addPoolingNd(*flat, PoolingType::kMAX, Dims{}), nullptr);
        EXPECT_EQ(h.network().addPoolingNd(*flat, static_cast<PoolingType>(7), Dims2{2, 2}), nullptr);
        EXPECT_EQ(h.network().addPoolingNd(*flat, PoolingType::kMAX, Dims2{2, -2}), nullptr);
        EXPECT_TRUE(h.logger().hasError("addPoolingNd")) << h.logger().errors();
        IPoolingLayer* onFlat = h.network().addPoolingNd(*flat, PoolingType::kMAX, Dims2{2, 2});
        ASSERT_NE(onFlat, nullptr);
        onFlat->setName("rank2_pool");
        EXPECT_EQ(onFlat->getOutput(0)->getDimensions().nbDims, -1);
        EXPECT_TRUE(h.logger().hasError("rank2_pool")) << h.logger().errors();
    }
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* ints = h.input("i", HostTensor::ints({1, 1, 4, 4}, std::vector<int32_t>(16, 1)));
    IPoolingLayer* onInts = h.network().addPoolingNd(*ints, PoolingType::kMAX, Dims2{2, 2});
    ASSERT_NE(onInts, nullptr);
    EXPECT_EQ(onInts->getOutput(0)->getDimensions().nbDims, -1);
    EXPECT_TRUE(h.logger().hasError("INT32")) << h.logger().errors();
}

} // namespace
