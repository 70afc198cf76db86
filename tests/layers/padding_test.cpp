// Padding against a float64 reference: zero padding and negative (cropping) amounts on the
// trailing axes, 2-D (TensorRT's form) and other Nd counts, FLOAT and INT32, both batch modes,
// the deprecated DimsHW API, and bad parameters.
#include "support/harness.h"

#include <algorithm>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;

namespace
{

//! out[i] = in[i - pre] on the padded axes, 0 where that falls outside the input.
std::vector<double> reference(const HostTensor& x, const std::vector<int32_t>& pre, const std::vector<int32_t>& post,
    std::vector<int32_t>& outDims)
{
    const size_t rank = x.dims.size();
    const size_t first = rank - pre.size();
    outDims = x.dims;
    for (size_t i = 0; i < pre.size(); ++i)
        outDims[first + i] += pre[i] + post[i];
    int64_t count = 1;
    for (int32_t d : outDims)
        count *= d;
    std::vector<double> y;
    std::vector<int32_t> coord(rank);
    for (int64_t flat = 0; flat < count; ++flat)
    {
        int64_t rest = flat;
        for (size_t a = rank; a-- > 0;)
        {
            coord[a] = static_cast<int32_t>(rest % outDims[a]);
            rest /= outDims[a];
        }
        int64_t src = 0;
        bool inside = true;
        for (size_t a = 0; a < rank; ++a)
        {
            const int32_t i = a >= first ? coord[a] - pre[a - first] : coord[a];
            inside = inside && i >= 0 && i < x.dims[a];
            src = src * x.dims[a] + i;
        }
        const size_t s = static_cast<size_t>(src);
        y.push_back(!inside ? 0.0 : x.type == DataType::kINT32 ? x.i[s] : x.f[s]);
    }
    return y;
}

void check(const HostTensor& x, const std::vector<int32_t>& pre, const std::vector<int32_t>& post, bool explicitBatch = true)
{
    SCOPED_TRACE("input " + ::testing::PrintToString(x.dims) + " pre " + ::testing::PrintToString(pre) + " post "
        + ::testing::PrintToString(post) + (explicitBatch ? " explicit" : " implicit"));
    NetworkHarness h(explicitBatch);
    h.setBatch(x.dims[0]);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IPaddingLayer* pad = h.network().addPaddingNd(*in, toDims(pre), toDims(post));
    ASSERT_NE(pad, nullptr);
    EXPECT_EQ(pad->getType(), LayerType::kPADDING);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = reference(x, pre, post, outDims);
    const Dims apiDims = pad->getOutput(0)->getDimensions();
    const std::vector<int32_t> expectedApiDims(outDims.begin() + (explicitBatch ? 0 : 1), outDims.end());
    EXPECT_EQ(std::vector<int32_t>(apiDims.d, apiDims.d + std::max(apiDims.nbDims, 0)), expectedApiDims);
    EXPECT_EQ(pad->getOutput(0)->getType(), x.type);
    h.markOutput(pad->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    if (x.type == DataType::kINT32)
        kiln::test::expectEqualInts(outs[0], outDims, std::vector<int32_t>(expected.begin(), expected.end()));
    else
        kiln::test::expectClose(outs[0], outDims, expected, 0, 0);
}

TEST(Padding, ZeroPaddingOfTheLastTwoAxes)
{
    Rng rng(41);
    check(kiln::test::randomTensor({1, 2, 3, 4}, rng), {1, 2}, {2, 1});
    check(kiln::test::randomTensor({2, 3, 5, 1}, rng), {0, 3}, {0, 0});
    check(kiln::test::randomTensor({1, 1, 1, 1}, rng), {4, 4}, {4, 4});
    check(kiln::test::randomTensor({1, 2, 4, 3}, rng), {0, 0}, {0, 0});
}

TEST(Padding, NegativePaddingCrops)
{
    Rng rng(42);
    check(kiln::test::randomTensor({1, 2, 6, 7}, rng), {-1, -2}, {-2, -1});
    check(kiln::test::randomTensor({2, 1, 5, 5}, rng), {-2, 3}, {1, -4}); // crop one side, pad the other
    check(kiln::test::randomTensor({1, 1, 4, 4}, rng), {-3, -3}, {0, 0});
    check(kiln::test::randomTensor({1, 1, 4, 6}, rng), {-5, 0}, {2, -5}); // crop past the input: zeros
}

TEST(Padding, OtherAxisCounts)
{
    Rng rng(43);
    check(kiln::test::randomTensor({2, 3, 4}, rng), {1}, {2});
    check(kiln::test::randomTensor({1, 2, 3, 4, 5}, rng), {1, -1, 2}, {0, 2, -2});
    check(kiln::test::randomTensor({3, 4}, rng), {1, 1}, {1, 1}); // every axis
}

TEST(Padding, Int32)
{
    Rng rng(44);
    check(kiln::test::randomInts({2, 2, 3, 3}, rng, -100, 100), {1, 0}, {1, 2});
    check(kiln::test::randomInts({1, 3, 4, 4}, rng, -100, 100), {-1, 2}, {1, -3});
}

TEST(Padding, ImplicitBatch)
{
    Rng rng(45);
    check(kiln::test::randomTensor({3, 2, 4, 5}, rng), {1, 2}, {0, -1}, false);
    check(kiln::test::randomTensor({2, 3, 3}, rng), {2, 1}, {1, 2}, false); // pads the whole item
}

TEST(Padding, SeededRandomSweep)
{
    Rng rng(46);
    for (int32_t trial = 0; trial < 20; ++trial)
    {
        const int32_t rank = rng.uniformInt(2, 5);
        const int32_t padded = rng.uniformInt(1, std::min(rank, 3));
        std::vector<int32_t> dims, pre, post;
        for (int32_t a = 0; a < rank; ++a)
            dims.push_back(rng.uniformInt(1, 6));
        for (int32_t i = 0; i < padded; ++i)
        {
            const int32_t extent = dims[static_cast<size_t>(rank - padded + i)];
            pre.push_back(rng.uniformInt(-extent + 1, 3));
            post.push_back(rng.uniformInt(std::max(-3, -(extent + pre.back()) + 1), 3));
        }
        check(kiln::test::randomTensor(dims, rng), pre, post, trial % 4 != 3);
    }
}

TEST(Padding, UnknownExtentsPropagate)
{
    NetworkHarness h;
    ITensor* in = h.network().addInput("x", DataType::kFLOAT, Dims4{-1, 3, -1, 5});
    IPaddingLayer* pad = h.network().addPaddingNd(*in, Dims2{1, -1}, Dims2{1, 2});
    ASSERT_NE(pad, nullptr);
    const Dims out = pad->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[0], -1);
    EXPECT_EQ(out.d[2], -1);
    EXPECT_EQ(out.d[3], 6);
}

TEST(Padding, DeprecatedDimsHWApiAliasesNd)
{
    NetworkHarness h;
    Rng rng(3);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 3, 3}, rng));
    IPaddingLayer* pad = h.network().addPadding(*in, DimsHW(1, 2), DimsHW(0, -1));
    ASSERT_NE(pad, nullptr);
    EXPECT_EQ(pad->getPrePaddingNd().d[1], 2);
    EXPECT_EQ(pad->getPostPadding().w(), -1);
    pad->setPrePadding(DimsHW(2, 0));
    pad->setPostPadding(DimsHW(1, 1));
    EXPECT_EQ(pad->getPrePadding().h(), 2);
    EXPECT_EQ(pad->getPostPaddingNd().d[0], 1);
    const Dims out = pad->getOutput(0)->getDimensions();
    ASSERT_EQ(out.nbDims, 4);
    EXPECT_EQ(out.d[2], 6);
    EXPECT_EQ(out.d[3], 4);
}

//! Adds a padding layer over a {1, 2, 3, 3} input and expects its shape inference to fail with an
//! error naming it.
void expectInvalid(const Dims& pre, const Dims& post)
{
    SCOPED_TRACE(::testing::PrintToString(std::vector<int32_t>(pre.d, pre.d + std::max(pre.nbDims, 0))));
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(4);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 3, 3}, rng));
    IPaddingLayer* pad = h.network().addPaddingNd(*in, Dims2{0, 0}, Dims2{0, 0});
    ASSERT_NE(pad, nullptr);
    pad->setName("bad_padding");
    pad->setPrePaddingNd(pre);
    pad->setPostPaddingNd(post);
    EXPECT_EQ(pad->getOutput(0)->getDimensions().nbDims, -1);
    h.network().markOutput(*pad->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("bad_padding")) << h.logger().errors();
}

TEST(Padding, BadParameters)
{
    expectInvalid(Dims2{-2, 0}, Dims2{-1, 0});                        // crops everything
    expectInvalid(toDims({1, 1, 1, 1, 1}), toDims({1, 1, 1, 1, 1}));  // more axes than the input
    expectInvalid(Dims2{1, 1}, Dims3{1, 1, 1});                       // mismatched counts
    expectInvalid(Dims{}, Dims{});                                    // no axes
    expectInvalid(Dims2{0, 2147483647}, Dims2{0, 1});                 // overflows

    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(4);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 2, 3, 3}, rng));
    EXPECT_EQ(h.network().addPaddingNd(*in, Dims2{1, 1}, Dims3{1, 1, 1}), nullptr);
    EXPECT_EQ(h.network().addPaddingNd(*in, Dims{}, Dims{}), nullptr);
    EXPECT_TRUE(h.logger().hasError("addPaddingNd")) << h.logger().errors();
}

TEST(Padding, BoolInputIsRejected)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* in = h.input("x", HostTensor::bools({1, 1, 2, 2}, {1, 0, 1, 0}));
    IPaddingLayer* pad = h.network().addPaddingNd(*in, Dims2{1, 1}, Dims2{1, 1});
    ASSERT_NE(pad, nullptr);
    h.network().markOutput(*pad->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("BOOL")) << h.logger().errors();
}

} // namespace
