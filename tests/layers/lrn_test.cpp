// LRN against a float64 reference: several windows (1 to 15, wider and narrower than the channel
// count), coefficients, ranks 3 to 5, both batch modes, and bad parameters.
#include "support/harness.h"

#include <algorithm>
#include <cmath>
#include <functional>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;

namespace
{

struct Lrn
{
    int32_t window;
    float alpha, beta, k;
};

//! Channel axis = rank - 3; the sum runs over the channels of the window that exist.
std::vector<double> reference(const HostTensor& x, const Lrn& p)
{
    const size_t rank = x.dims.size();
    const int32_t channels = x.dims[rank - 3];
    const int64_t inner = int64_t{x.dims[rank - 2]} * x.dims[rank - 1];
    int64_t outer = 1;
    for (size_t a = 0; a + 3 < rank; ++a)
        outer *= x.dims[a];
    std::vector<double> y;
    for (int64_t n = 0; n < outer; ++n)
        for (int32_t c = 0; c < channels; ++c)
            for (int64_t i = 0; i < inner; ++i)
            {
                double sum = 0;
                for (int32_t j = c - (p.window - 1) / 2; j <= c + (p.window - 1) / 2; ++j)
                    if (j >= 0 && j < channels)
                    {
                        const double v = x.f[static_cast<size_t>((n * channels + j) * inner + i)];
                        sum += v * v;
                    }
                const double v = x.f[static_cast<size_t>((n * channels + c) * inner + i)];
                y.push_back(v / std::pow(double(p.k) + double(p.alpha) / p.window * sum, double(p.beta)));
            }
    return y;
}

void check(const std::vector<int32_t>& dims, const Lrn& p, Rng& rng, bool explicitBatch = true)
{
    SCOPED_TRACE("input " + ::testing::PrintToString(dims) + " window " + std::to_string(p.window)
        + (explicitBatch ? " explicit" : " implicit"));
    NetworkHarness h(explicitBatch);
    h.setBatch(dims[0]);
    const HostTensor x = kiln::test::randomTensor(dims, rng, -2.f, 2.f);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    ILRNLayer* lrn = h.network().addLRN(*in, p.window, p.alpha, p.beta, p.k);
    ASSERT_NE(lrn, nullptr);
    EXPECT_EQ(lrn->getType(), LayerType::kLRN);
    EXPECT_EQ(lrn->getWindowSize(), p.window);
    EXPECT_EQ(lrn->getAlpha(), p.alpha);
    EXPECT_EQ(lrn->getBeta(), p.beta);
    EXPECT_EQ(lrn->getK(), p.k);
    h.markOutput(lrn->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], dims, reference(x, p), 1e-5, 1e-6);
}

TEST(LRN, SeveralWindows)
{
    Rng rng(61);
    for (int32_t window : {1, 3, 5, 7, 9, 15})
        check({2, 6, 3, 4}, {window, 1e-2f, 0.75f, 1.f}, rng);
}

TEST(LRN, Coefficients)
{
    Rng rng(62);
    check({1, 5, 4, 4}, {5, 1e-4f, 0.75f, 2.f}, rng); // AlexNet
    check({1, 4, 3, 3}, {3, 0.9f, 2.f, 0.5f}, rng);
    check({1, 3, 2, 5}, {3, -0.05f, 0.01f, 1e-5f + 1.f}, rng);
    check({1, 7, 2, 2}, {11, 2.f, 1.5f, 3.f}, rng);
}

TEST(LRN, RanksAndEdgeShapes)
{
    Rng rng(63);
    check({3, 4, 5}, {3, 0.5f, 0.75f, 1.f}, rng);           // rank 3: the channel axis is 0
    check({2, 2, 3, 2, 3}, {3, 0.5f, 0.75f, 1.f}, rng);     // rank 5: two outer axes
    check({1, 1, 1, 1}, {5, 1.f, 1.f, 1.f}, rng);           // one channel
    check({1, 16, 1, 1}, {15, 0.3f, 0.6f, 1.f}, rng);
}

TEST(LRN, ImplicitBatch)
{
    Rng rng(64);
    check({3, 5, 2, 3}, {5, 0.2f, 0.75f, 1.f}, rng, false);
    check({2, 4, 3, 3}, {1, 0.2f, 0.75f, 1.f}, rng, false);
}

TEST(LRN, BadArgumentsReturnNull)
{
    NetworkHarness h;
    h.logger().expectErrors();
    Rng rng(65);
    ITensor* in = h.input("x", kiln::test::randomTensor({1, 4, 2, 2}, rng));
    EXPECT_EQ(h.network().addLRN(*in, 4, 1.f, 0.75f, 1.f), nullptr);  // even
    EXPECT_EQ(h.network().addLRN(*in, 17, 1.f, 0.75f, 1.f), nullptr); // too wide
    EXPECT_EQ(h.network().addLRN(*in, 0, 1.f, 0.75f, 1.f), nullptr);
    EXPECT_EQ(h.network().addLRN(*in, 3, 1.f, 0.001f, 1.f), nullptr);
    EXPECT_EQ(h.network().addLRN(*in, 3, 1.f, 0.75f, 0.f), nullptr);
    EXPECT_EQ(h.network().addLRN(*in, 3, NAN, 0.75f, 1.f), nullptr);
    EXPECT_TRUE(h.logger().hasError("addLRN")) << h.logger().errors();
}

void expectBuildError(const std::vector<int32_t>& dims, DataType type, const std::function<void(ILRNLayer&)>& mutate,
    const std::string& needle)
{
    SCOPED_TRACE(needle);
    NetworkHarness h;
    h.logger().expectErrors();
    HostTensor x = HostTensor::zeros(type, dims);
    ITensor* in = h.input("x", x);
    ILRNLayer* lrn = h.network().addLRN(*in, 3, 1.f, 0.75f, 1.f);
    ASSERT_NE(lrn, nullptr);
    lrn->setName("bad_lrn");
    mutate(*lrn);
    h.network().markOutput(*lrn->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("bad_lrn")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError(needle)) << h.logger().errors();
}

TEST(LRN, BadParametersFailTheBuild)
{
    const std::vector<int32_t> dims{1, 4, 2, 2};
    expectBuildError(dims, DataType::kFLOAT, [](ILRNLayer& l) { l.setWindowSize(2); }, "window");
    expectBuildError(dims, DataType::kFLOAT, [](ILRNLayer& l) { l.setWindowSize(-1); }, "window");
    expectBuildError(dims, DataType::kFLOAT, [](ILRNLayer& l) { l.setAlpha(1e21f); }, "alpha");
    expectBuildError(dims, DataType::kFLOAT, [](ILRNLayer& l) { l.setBeta(2e5f); }, "beta");
    expectBuildError(dims, DataType::kFLOAT, [](ILRNLayer& l) { l.setK(NAN); }, "k ");
    expectBuildError({4, 5}, DataType::kFLOAT, [](ILRNLayer&) {}, "rank");
    expectBuildError(dims, DataType::kINT32, [](ILRNLayer&) {}, "INT32");
}

} // namespace
