// Concatenation against a float64 reference: every axis, one to four inputs, INT32, both batch
// modes, the default axis, known values, and invalid parameters.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! Dims from a list of extents.
//! Concatenation of row-major tensors along \p axis.
std::vector<double> concatenated(const std::vector<HostTensor>& parts, size_t axis)
{
    const std::vector<int32_t>& d = parts[0].dims;
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis; ++i)
        outer *= d[i];
    for (size_t i = axis + 1; i < d.size(); ++i)
        inner *= d[i];
    std::vector<double> out;
    for (int64_t o = 0; o < outer; ++o)
        for (const HostTensor& p : parts)
        {
            const int64_t chunk = p.dims[axis] * inner;
            for (int64_t k = 0; k < chunk; ++k)
            {
                const auto i = static_cast<size_t>(o * chunk + k);
                out.push_back(p.type == DataType::kINT32 ? p.i[i] : p.f[i]);
            }
        }
    return out;
}

class ConcatenationTest : public ::testing::TestWithParam<std::tuple<bool, DataType>>
{
};

TEST_P(ConcatenationTest, EveryAxisMatchesReference)
{
    const auto [explicitBatch, type] = GetParam();
    kiln::test::Rng rng(41);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const std::vector<int32_t> base{2, 3, 4, 5};
    // In implicit mode axis 0 of the values is the batch, which cannot be concatenated on.
    for (size_t axis = explicitBatch ? 0 : 1; axis < base.size(); ++axis)
        for (int32_t count = 1; count <= 4; ++count)
        {
            NetworkHarness h(explicitBatch);
            h.setBatch(base[0]);
            std::vector<HostTensor> values;
            std::vector<ITensor*> inputs;
            for (int32_t k = 0; k < count; ++k)
            {
                std::vector<int32_t> dims = base;
                dims[axis] = rng.uniformInt(1, 4);
                values.push_back(type == DataType::kINT32 ? kiln::test::randomInts(dims, rng, -100, 100)
                                                          : kiln::test::randomTensor(dims, rng));
                inputs.push_back(h.input("x" + std::to_string(k), values.back()));
            }
            IConcatenationLayer* layer = h.network().addConcatenation(inputs.data(), count);
            ASSERT_NE(layer, nullptr);
            EXPECT_EQ(layer->getType(), LayerType::kCONCATENATION);
            const auto apiAxis = static_cast<int32_t>(explicitBatch ? axis : axis - 1);
            layer->setAxis(apiAxis);
            EXPECT_EQ(layer->getAxis(), apiAxis);
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            std::vector<int32_t> outDims = base;
            outDims[axis] = 0;
            for (const HostTensor& v : values)
                outDims[axis] += v.dims[axis];
            const std::vector<double> expected = concatenated(values, axis);
            if (type == DataType::kINT32)
                kiln::test::expectEqualInts(outs[0], outDims, std::vector<int32_t>(expected.begin(), expected.end()));
            else
                kiln::test::expectClose(outs[0], outDims, expected, 0, 0);
        }
}

INSTANTIATE_TEST_SUITE_P(ModesAndTypes, ConcatenationTest,
    ::testing::Combine(::testing::Bool(), ::testing::Values(DataType::kFLOAT, DataType::kINT32)));

TEST(Concatenation, DefaultAxisIsRankMinusThree)
{
    for (const bool explicitBatch : {true, false})
    {
        NetworkHarness h(explicitBatch);
        h.setBatch(2);
        kiln::test::Rng rng(42);
        const HostTensor a = kiln::test::randomTensor({2, 3, 4, 5}, rng);
        const HostTensor b = kiln::test::randomTensor({2, 3, 4, 5}, rng);
        ITensor* inputs[] = {h.input("a", a), h.input("b", b)};
        IConcatenationLayer* layer = h.network().addConcatenation(inputs, 2);
        // Explicit [2,3,4,5]: axis 1 (C). Implicit {3,4,5}: axis 0 (C).
        EXPECT_EQ(layer->getAxis(), explicitBatch ? 1 : 0);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectClose(outs[0], {2, 6, 4, 5}, concatenated({a, b}, 1), 0, 0);
    }
    NetworkHarness h;
    ITensor* small[] = {h.input("v", HostTensor::zeros(DataType::kFLOAT, {2, 3}))};
    EXPECT_EQ(h.network().addConcatenation(small, 1)->getAxis(), 0);
}

TEST(Concatenation, KnownIntValuesFeedAShapeTensor)
{
    // Concatenating two constants gives known values, used as the reshape of a shuffle.
    NetworkHarness h;
    static const int32_t kA[] = {3};
    static const int32_t kB[] = {2, 2};
    IConstantLayer* a = h.network().addConstant(toDims({1}), Weights{DataType::kINT32, kA, 1});
    IConstantLayer* b = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kB, 2});
    ITensor* parts[] = {a->getOutput(0), b->getOutput(0)};
    IConcatenationLayer* shape = h.network().addConcatenation(parts, 2);
    kiln::test::Rng rng(43);
    const HostTensor x = kiln::test::randomTensor({12}, rng);
    IShuffleLayer* reshape = h.network().addShuffle(*h.input("x", x));
    reshape->setInput(1, *shape->getOutput(0));
    const Dims d = reshape->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 3);
    EXPECT_EQ(d.d[0], 3);
    h.markOutput(reshape->getOutput(0));
    h.markOutput(shape->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectClose(outs[0], {3, 2, 2}, std::vector<double>(x.f.begin(), x.f.end()), 0, 0);
    kiln::test::expectEqualInts(outs[1], {3}, {3, 2, 2});
}

TEST(Concatenation, InvalidParametersFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        std::vector<int32_t> second;
        DataType secondType;
        int32_t axis;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"extent_mismatch", {2, 4, 5}, DataType::kFLOAT, 0, "differ from"},
        {"rank_mismatch", {2, 3}, DataType::kFLOAT, 0, "ranks must be equal"},
        {"type_mismatch", {2, 3, 4}, DataType::kINT32, 0, "type"},
        {"negative_axis", {2, 3, 4}, DataType::kFLOAT, -1, "axis -1"},
        {"axis_too_large", {2, 3, 4}, DataType::kFLOAT, 3, "axis 3"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        ITensor* inputs[] = {h.input("a", HostTensor::zeros(DataType::kFLOAT, {2, 3, 4})),
            h.input("b", HostTensor::zeros(c.secondType, c.second))};
        IConcatenationLayer* layer = h.network().addConcatenation(inputs, 2);
        ASSERT_NE(layer, nullptr);
        layer->setName(c.name);
        layer->setAxis(c.axis);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
    NetworkHarness h;
    h.logger().expectErrors();
    EXPECT_EQ(h.network().addConcatenation(nullptr, 0), nullptr);
    EXPECT_TRUE(h.logger().hasError("addConcatenation")) << h.logger().errors();
}

} // namespace

namespace
{

TEST(Concatenation, DynamicBatch)
{
    kiln::test::Rng rng(44);
    NetworkHarness h;
    const HostTensor a = kiln::test::randomTensor({3, 2}, rng);
    const HostTensor b = kiln::test::randomTensor({3, 3}, rng);
    ITensor* inputs[] = {h.input("a", a), h.input("b", b)};
    inputs[0]->setDimensions(Dims2{-1, 2});
    inputs[1]->setDimensions(Dims2{-1, 3});
    IOptimizationProfile* profile = h.builder().createOptimizationProfile();
    for (const char* name : {"a", "b"})
    {
        const int32_t cols = name[0] == 'a' ? 2 : 3;
        profile->setDimensions(name, OptProfileSelector::kMIN, Dims2{1, cols});
        profile->setDimensions(name, OptProfileSelector::kOPT, Dims2{3, cols});
        profile->setDimensions(name, OptProfileSelector::kMAX, Dims2{8, cols});
    }
    h.config().addOptimizationProfile(profile);
    IConcatenationLayer* layer = h.network().addConcatenation(inputs, 2);
    layer->setAxis(1);
    const Dims d = layer->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], -1);
    EXPECT_EQ(d.d[1], 5);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {3, 5}, concatenated({a, b}, 1), 0, 0);
}

} // namespace
