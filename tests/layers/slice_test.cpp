// Slice against a float64 reference: positive, negative and zero strides, every mode (kWRAP,
// kCLAMP, kFILL with and without a fill input, kREFLECT, with negative starts and sizes past the
// input: ONNX Pad), INT32 data, shape-tensor start/size/stride inputs and value propagation, both
// batch modes, and invalid parameters.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! The coordinate \p c reads along an axis of extent \p n in \p mode, or -1 for the fill value.
int64_t modeCoordinate(SliceMode mode, int64_t c, int64_t n)
{
    if (c >= 0 && c < n)
        return c;
    switch (mode)
    {
    case SliceMode::kWRAP: return ((c % n) + n) % n;
    case SliceMode::kCLAMP: return c < 0 ? 0 : n - 1;
    case SliceMode::kREFLECT:
        if (n == 1)
            return 0;
        while (c < 0 || c >= n) // fold at the edges, which are not repeated
            c = c < 0 ? -c : 2 * (n - 1) - c;
        return c;
    default: return -1;
    }
}

std::vector<double> sliced(const HostTensor& x, const std::vector<int32_t>& start, const std::vector<int32_t>& size,
    const std::vector<int32_t>& stride, SliceMode mode, double fill = 0)
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
        for (size_t i = 0; i < rank && src >= 0; ++i)
        {
            const int64_t coord = modeCoordinate(mode, start[i] + c[i] * stride[i], x.dims[i]);
            src = coord < 0 ? -1 : src + coord * strides[i];
        }
        const auto s = static_cast<size_t>(src);
        out.push_back(src < 0 ? fill : x.type == DataType::kINT32 ? x.i[s] : x.f[s]);
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
    const bool anywhere = mode != SliceMode::kDEFAULT;
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
            if (anywhere)
            {
                s0 = rng.uniformInt(-10, 10); // anywhere: out-of-bounds reads follow the mode
                sz = rng.uniformInt(1, extent + 6);
            }
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
        // kFILL takes a fill value input on odd trials (a scalar, or [1] with the implicit batch).
        const std::vector<float> fillFloat{2.5f};
        const std::vector<int32_t> fillInt{-7};
        double fill = 0;
        if (mode == SliceMode::kFILL && trial % 2 == 1)
        {
            fill = ints ? fillInt[0] : fillFloat[0];
            const Weights w = ints ? Weights{DataType::kINT32, fillInt.data(), 1} : Weights{DataType::kFLOAT, fillFloat.data(), 1};
            Dims scalar{};
            layer->setInput(4, *h.network().addConstant(scalar, w)->getOutput(0));
        }
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        const std::vector<double> expected = sliced(x, start, size, stride, mode, fill);
        if (ints)
            kiln::test::expectEqualInts(outs[0], size, std::vector<int32_t>(expected.begin(), expected.end()));
        else
            kiln::test::expectClose(outs[0], size, expected, 0, 0);
    }
}

INSTANTIATE_TEST_SUITE_P(ModesAndBatch, SliceTest,
    ::testing::Combine(::testing::Bool(),
        ::testing::Values(
            SliceMode::kDEFAULT, SliceMode::kWRAP, SliceMode::kCLAMP, SliceMode::kFILL, SliceMode::kREFLECT)));

TEST(Slice, PadModesMatchNumpyPad)
{
    // ONNX Pad through Slice: start -pre, size extent + pre + post. Expected rows written out as
    // numpy.pad gives them for [1, 2, 3] padded by 4 before and 5 after.
    const HostTensor x = HostTensor::floats({1, 3}, {1, 2, 3});
    const std::vector<std::pair<SliceMode, std::vector<float>>> cases = {
        {SliceMode::kFILL, {0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0}},        // constant
        {SliceMode::kCLAMP, {1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3}},       // edge
        {SliceMode::kREFLECT, {1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2}},     // reflect
        {SliceMode::kWRAP, {3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2}},        // wrap
    };
    for (const auto& [mode, row] : cases)
    {
        NetworkHarness h;
        ISliceLayer* layer = h.network().addSlice(*h.input("x", x), Dims2{0, -4}, Dims2{1, 12}, Dims2{1, 1});
        layer->setMode(mode);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectClose(outs[0], {1, 12}, std::vector<double>(row.begin(), row.end()), 0, 0);
    }
    // Reflecting an extent of 1 repeats its element; an extent of 2 alternates.
    NetworkHarness h;
    ISliceLayer* layer = h.network().addSlice(
        *h.input("x", HostTensor::floats({1, 2}, {5, 6})), Dims2{-2, -3}, Dims2{4, 7}, Dims2{1, 1});
    layer->setMode(SliceMode::kREFLECT);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<double> expected;
    for (int r = 0; r < 4; ++r)
        for (double v : {6, 5, 6, 5, 6, 5, 6})
            expected.push_back(v);
    kiln::test::expectClose(outs[0], {4, 7}, expected, 0, 0);
}

TEST(Slice, ModesWithShapeTensorInputsAndKnownValues)
{
    // Shape(x) = [2, 3, 4] padded with a fill value of 1 before and clamped after: [1, 2, 3, 4, 4]
    // then [1, 2, 3, 4] reshapes y, so the values must be known at build time.
    kiln::test::Rng rng(64);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    const HostTensor y = kiln::test::randomTensor({24}, rng);
    IShapeLayer* shape = h.network().addShape(*h.input("x", x));
    static const int32_t kOne[] = {1};
    static const int32_t kStart[] = {-1};
    ISliceLayer* padded = h.network().addSlice(*shape->getOutput(0), toDims({0}), toDims({5}), toDims({1}));
    padded->setMode(SliceMode::kFILL);
    padded->setInput(1, *h.network().addConstant(toDims({1}), Weights{DataType::kINT32, kStart, 1})->getOutput(0));
    padded->setInput(4, *h.network().addConstant(Dims{}, Weights{DataType::kINT32, kOne, 1})->getOutput(0));
    ISliceLayer* clamped = h.network().addSlice(*padded->getOutput(0), toDims({0}), toDims({4}), toDims({1}));
    clamped->setMode(SliceMode::kCLAMP);
    IShuffleLayer* reshape = h.network().addShuffle(*h.input("y", y));
    reshape->setInput(1, *clamped->getOutput(0));
    const Dims d = reshape->getOutput(0)->getDimensions();
    EXPECT_EQ(std::vector<int32_t>(d.d, d.d + std::max(d.nbDims, 0)), (std::vector<int32_t>{1, 2, 3, 4}));
    h.markOutput(reshape->getOutput(0));
    h.markOutput(padded->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectClose(outs[0], {1, 2, 3, 4}, std::vector<double>(y.f.begin(), y.f.end()), 0, 0);
    kiln::test::expectEqualInts(outs[1], {5}, {1, 2, 3, 4, 1});
}

TEST(Slice, DynamicWindowWithReflect)
{
    kiln::test::Rng rng(65);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({3, 5}, rng);
    static const int32_t kStart[] = {-2, 7};
    static const int32_t kSize[] = {6, 4};
    static const int32_t kStride[] = {1, -2};
    ISliceLayer* layer = h.network().addSlice(*h.input("x", x), Dims2{0, 0}, Dims2{1, 1}, Dims2{1, 1});
    layer->setMode(SliceMode::kREFLECT);
    layer->setInput(1, *h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kStart, 2})->getOutput(0));
    layer->setInput(2, *h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kSize, 2})->getOutput(0));
    layer->setInput(3, *h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kStride, 2})->getOutput(0));
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {6, 4}, sliced(x, {-2, 7}, {6, 4}, {1, -2}, SliceMode::kREFLECT), 0, 0);
}

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
    kiln::test::expectClose(outs[0], {2, 3}, sliced(x, {4, 1}, {2, 3}, {-2, 2}, SliceMode::kDEFAULT), 0, 0);
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

TEST(Slice, InvalidFillValuesAndEmptyAxesFailTheBuild)
{
    static const float kTwo[] = {1.f, 2.f};
    static const int32_t kInt[] = {3};
    struct Case
    {
        const char* name;
        SliceMode mode;
        Weights fill; //!< count 0: no fill input
        Dims fillDims;
        int32_t extent; //!< of the input's last axis
        const char* message;
    };
    const std::vector<Case> cases = {
        {"fill_without_fill_mode", SliceMode::kCLAMP, Weights{DataType::kFLOAT, kTwo, 1}, Dims{}, 4, "kFILL"},
        {"fill_of_two", SliceMode::kFILL, Weights{DataType::kFLOAT, kTwo, 2}, toDims({2}), 4, "one element"},
        {"fill_of_other_type", SliceMode::kFILL, Weights{DataType::kINT32, kInt, 1}, Dims{}, 4, "type"},
        {"clamp_empty_axis", SliceMode::kCLAMP, Weights{DataType::kFLOAT, nullptr, 0}, Dims{}, 0, "nothing to read"},
        {"reflect_empty_axis", SliceMode::kREFLECT, Weights{DataType::kFLOAT, nullptr, 0}, Dims{}, 0, "nothing to read"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        ITensor* x = h.network().addInput("x", DataType::kFLOAT, Dims2{2, c.extent});
        ISliceLayer* layer = h.network().addSlice(*x, Dims2{-1, -1}, Dims2{4, 6}, Dims2{1, 1});
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        layer->setMode(c.mode);
        if (c.fill.count > 0)
            layer->setInput(4, *h.network().addConstant(c.fillDims, c.fill)->getOutput(0));
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

} // namespace
