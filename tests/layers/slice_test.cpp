// Slice against a float64 reference: positive, negative and zero strides, kWRAP, INT32 data,
// shape-tensor start/size/stride inputs, both batch modes, and invalid parameters.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! Dims from a list of extents.
std::vector<double> sliced(const HostTensor& x, const std::vector<int32_t>& start, const std::vector<int32_t>& size,
    const std::vector<int32_t>& stride, bool wrap)
{
    const size_t rank = x.dims.size();
    std::vector<int64_t> strides(rank, 1);
    for (size_t i = rank; i-- > 1;)
        strides[i - 1] = strides[i] * x.dims[i];
    int64_t n = 1;
    for (int32_t s : size)
        n *= s;
    std::vector<double> out;
    std::vector<int64_t> c(rank, 0);
    for (int64_t o = 0; o < n; ++o)
    {
        int64_t src = 0;
        for (size_t i = 0; i < rank; ++i)
        {
            int64_t coord = start[i] + c[i] * stride[i];
            if (wrap)
                coord = ((coord % x.dims[i]) + x.dims[i]) % x.dims[i];
            src += coord * strides[i];
        }
        const auto s = static_cast<size_t>(src);
        out.push_back(x.type == DataType::kINT32 ? x.i[s] : x.f[s]);
        for (size_t i = rank; i-- > 0;)
        {
            if (++c[i] < size[i])
                break;
            c[i] = 0;
        }
    }
    return out;
}

class SliceTest : public ::testing::TestWithParam<std::tuple<bool, SliceMode>>
{
};

TEST_P(SliceTest, RandomWindowsMatchReference)
{
    const auto [explicitBatch, mode] = GetParam();
    const bool wrap = mode == SliceMode::kWRAP;
    kiln::test::Rng rng(61 + static_cast<uint32_t>(mode));
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (int trial = 0; trial < 12; ++trial)
    {
        const size_t rank = static_cast<size_t>(rng.uniformInt(2, 4));
        std::vector<int32_t> dims, start, size, stride;
        for (size_t i = 0; i < rank; ++i)
        {
            const bool batchAxis = !explicitBatch && i == 0;
            const int32_t extent = rng.uniformInt(1, 7);
            dims.push_back(extent);
            if (batchAxis)
            {
                start.push_back(0);
                size.push_back(extent);
                stride.push_back(1);
                continue;
            }
            int32_t st = rng.uniformInt(-3, 3);
            int32_t sz = rng.uniformInt(1, 5);
            int32_t s0 = 0;
            if (wrap)
                s0 = rng.uniformInt(-10, 10); // anywhere: coordinates wrap
            else
            {
                // Keep every read inside [0, extent): first = s0, last = s0 + (sz - 1)·st.
                s0 = rng.uniformInt(0, extent - 1);
                if (st > 0)
                    sz = std::min(sz, (extent - 1 - s0) / st + 1);
                else if (st < 0)
                    sz = std::min(sz, s0 / -st + 1);
            }
            start.push_back(s0);
            size.push_back(sz);
            stride.push_back(st);
        }
        NetworkHarness h(explicitBatch);
        h.setBatch(dims[0]);
        const bool ints = trial % 3 == 2;
        const HostTensor x = ints ? kiln::test::randomInts(dims, rng, -50, 50) : kiln::test::randomTensor(dims, rng);
        // The API's view leaves the batch axis out in implicit mode.
        const size_t first = explicitBatch ? 0 : 1;
        auto api = [&](const std::vector<int32_t>& v) {
            return toDims(std::vector<int32_t>(v.begin() + first, v.end()));
        };
        ISliceLayer* layer = h.network().addSlice(*h.input("x", x), api(start), api(size), api(stride));
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kSLICE);
        layer->setMode(mode);
        EXPECT_EQ(layer->getMode(), mode);
        EXPECT_EQ(layer->getStride().nbDims, static_cast<int32_t>(rank - first));
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        const std::vector<double> expected = sliced(x, start, size, stride, wrap);
        if (ints)
            kiln::test::expectEqualInts(outs[0], size, std::vector<int32_t>(expected.begin(), expected.end()));
        else
            kiln::test::expectClose(outs[0], size, expected, 0, 0);
    }
}

INSTANTIATE_TEST_SUITE_P(ModesAndBatch, SliceTest,
    ::testing::Combine(::testing::Bool(), ::testing::Values(SliceMode::kDEFAULT, SliceMode::kWRAP)));

TEST(Slice, ZeroStrideRepeatsOneElement)
{
    // The ONNX Expand pattern: stride 0 broadcasts an extent of 1.
    NetworkHarness h;
    const HostTensor x = HostTensor::floats({3, 1}, {1, 2, 3});
    ISliceLayer* layer = h.network().addSlice(*h.input("x", x), Dims2{0, 0}, Dims2{3, 4}, Dims2{1, 0});
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {3, 4}, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, 0, 0);
}

TEST(Slice, ShapeTensorStartSizeAndStride)
{
    kiln::test::Rng rng(62);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({5, 8}, rng);
    const HostTensor like = kiln::test::randomTensor({2, 3}, rng);
    static const int32_t kStart[] = {4, 1};
    static const int32_t kStride[] = {-2, 2};
    IConstantLayer* start = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kStart, 2});
    IConstantLayer* stride = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kStride, 2});
    IShapeLayer* size = h.network().addShape(*h.input("like", like));
    ISliceLayer* layer = h.network().addSlice(*h.input("x", x), Dims2{0, 0}, Dims2{1, 1}, Dims2{1, 1});
    layer->setInput(1, *start->getOutput(0));
    layer->setInput(2, *size->getOutput(0));
    layer->setInput(3, *stride->getOutput(0));
    EXPECT_TRUE(size->getOutput(0)->isShapeTensor());
    const Dims d = layer->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], 2);
    EXPECT_EQ(d.d[1], 3);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {2, 3}, sliced(x, {4, 1}, {2, 3}, {-2, 2}, false), 0, 0);
}

TEST(Slice, SliceOfAShapeTensorHasKnownValues)
{
    // Shape(x)[1:3] reshapes y: the slice's values must be known at build time.
    kiln::test::Rng rng(63);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    const HostTensor y = kiln::test::randomTensor({12}, rng);
    IShapeLayer* shape = h.network().addShape(*h.input("x", x));
    ISliceLayer* dims = h.network().addSlice(*shape->getOutput(0), toDims({1}), toDims({2}), toDims({1}));
    IShuffleLayer* reshape = h.network().addShuffle(*h.input("y", y));
    reshape->setInput(1, *dims->getOutput(0));
    h.markOutput(reshape->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {3, 4}, std::vector<double>(y.f.begin(), y.f.end()), 0, 0);
}

TEST(Slice, InvalidParametersFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        Dims start, size, stride;
        SliceMode mode;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"past_end", Dims2{0, 2}, Dims2{2, 3}, Dims2{1, 1}, SliceMode::kDEFAULT, "outside"},
        {"before_start", Dims2{0, 1}, Dims2{2, 2}, Dims2{1, -2}, SliceMode::kDEFAULT, "outside"},
        {"negative_start", Dims2{-1, 0}, Dims2{1, 1}, Dims2{1, 1}, SliceMode::kDEFAULT, "outside"},
        {"negative_size", Dims2{0, 0}, Dims2{-1, 1}, Dims2{1, 1}, SliceMode::kWRAP, "negative"},
        {"rank_mismatch", Dims3{0, 0, 0}, Dims2{1, 1}, Dims2{1, 1}, SliceMode::kDEFAULT, "rank"},
        {"bad_mode", Dims2{0, 0}, Dims2{1, 1}, Dims2{1, 1}, static_cast<SliceMode>(7), "mode"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        ISliceLayer* layer = h.network().addSlice(
            *h.input("x", HostTensor::zeros(DataType::kFLOAT, {2, 4})), c.start, c.size, c.stride);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        layer->setMode(c.mode);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

} // namespace
