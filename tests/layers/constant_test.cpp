// Constant as a network output: FLOAT, HALF (the same values as FLOAT) and INT32 weights, both
// batch modes, the setters, and invalid parameters.
#include "support/harness.h"

#include <cstring>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! Dims from a list of extents.
//! IEEE binary16 bits of a value that is exactly representable (|v| in [2^-14, 65504] or 0),
//! written out here so the test does not depend on Kiln's conversion.
uint16_t exactHalf(float v)
{
    uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    if ((bits & 0x7fffffffu) == 0)
        return static_cast<uint16_t>(sign);
    const int32_t exponent = static_cast<int32_t>((bits >> 23) & 0xffu) - 127 + 15;
    const uint32_t mantissa = (bits >> 13) & 0x3ffu;
    return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exponent) << 10) | mantissa);
}

std::vector<int32_t> withBatch(const std::vector<int32_t>& dims, bool explicitBatch)
{
    if (explicitBatch)
        return dims;
    std::vector<int32_t> out{1};
    out.insert(out.end(), dims.begin(), dims.end());
    return out;
}

class ConstantTest : public ::testing::TestWithParam<bool>
{
};

TEST_P(ConstantTest, FloatHalfAndIntWeights)
{
    const bool explicitBatch = GetParam();
    kiln::test::Rng rng(51);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (const std::vector<int32_t>& dims : {std::vector<int32_t>{2, 3, 4}, {1}, {5, 1, 3}, {7}})
    {
        int64_t n = 1;
        for (int32_t d : dims)
            n *= d;
        // Multiples of 1/8 in [-8, 8]: exact in FLOAT and HALF.
        std::vector<float> f;
        std::vector<uint16_t> half;
        std::vector<int32_t> ints;
        for (int64_t k = 0; k < n; ++k)
        {
            f.push_back(static_cast<float>(rng.uniformInt(-64, 64)) / 8.f);
            half.push_back(exactHalf(f.back()));
            ints.push_back(rng.uniformInt(-1000, 1000));
        }
        NetworkHarness h(explicitBatch);
        const Dims apiDims = HostTensor::zeros(DataType::kFLOAT, dims).apiDims();
        IConstantLayer* cf = h.network().addConstant(apiDims, Weights{DataType::kFLOAT, f.data(), n});
        IConstantLayer* ch = h.network().addConstant(apiDims, Weights{DataType::kHALF, half.data(), n});
        IConstantLayer* ci = h.network().addConstant(apiDims, Weights{DataType::kINT32, ints.data(), n});
        ASSERT_TRUE(cf && ch && ci);
        EXPECT_EQ(cf->getType(), LayerType::kCONSTANT);
        EXPECT_EQ(ch->getWeights().type, DataType::kHALF);
        EXPECT_EQ(ci->getDimensions().nbDims, static_cast<int32_t>(dims.size()));
        EXPECT_EQ(cf->getOutput(0)->getType(), DataType::kFLOAT);
        EXPECT_EQ(ch->getOutput(0)->getType(), DataType::kFLOAT);
        EXPECT_EQ(ci->getOutput(0)->getType(), DataType::kINT32);
        EXPECT_EQ(cf->getOutput(0)->getDimensions().nbDims, static_cast<int32_t>(dims.size()));
        h.markOutput(cf->getOutput(0));
        h.markOutput(ch->getOutput(0));
        h.markOutput(ci->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 3u);
        const std::vector<double> expected(f.begin(), f.end());
        kiln::test::expectClose(outs[0], withBatch(dims, explicitBatch), expected, 0, 0);
        kiln::test::expectClose(outs[1], withBatch(dims, explicitBatch), expected, 0, 0);
        kiln::test::expectEqualInts(outs[2], withBatch(dims, explicitBatch), ints);
    }
}

INSTANTIATE_TEST_SUITE_P(BatchModes, ConstantTest, ::testing::Bool());

TEST(Constant, SettersReplaceDimsAndWeights)
{
    NetworkHarness h;
    static const float kFirst[] = {1, 2};
    static const float kSecond[] = {1, 2, 3, 4, 5, 6};
    IConstantLayer* c = h.network().addConstant(toDims({2}), Weights{DataType::kFLOAT, kFirst, 2});
    c->setWeights(Weights{DataType::kFLOAT, kSecond, 6});
    c->setDimensions(Dims2{3, 2});
    EXPECT_EQ(c->getWeights().count, 6);
    EXPECT_EQ(c->getDimensions().d[0], 3);
    h.markOutput(c->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {3, 2}, {1, 2, 3, 4, 5, 6}, 0, 0);
}

TEST(Constant, InvalidParametersFailTheBuildNamingTheLayer)
{
    static const float kValues[] = {1, 2, 3, 4, 5, 6};
    struct Case
    {
        const char* name;
        Dims dims;
        Weights weights;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"too_few", Dims2{2, 4}, Weights{DataType::kFLOAT, kValues, 6}, "need 8"},
        {"too_many", toDims({5}), Weights{DataType::kFLOAT, kValues, 6}, "need 5"},
        {"dynamic", Dims2{-1, 6}, Weights{DataType::kFLOAT, kValues, 6}, "static"},
        {"bool_weights", toDims({6}), Weights{DataType::kBOOL, kValues, 6}, "BOOL"},
        {"int8_weights", toDims({6}), Weights{DataType::kINT8, kValues, 6}, "INT8"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IConstantLayer* layer = h.network().addConstant(c.dims, c.weights);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
    NetworkHarness h;
    h.logger().expectErrors();
    EXPECT_EQ(h.network().addConstant(toDims({3}), Weights{DataType::kFLOAT, nullptr, 3}), nullptr);
    EXPECT_TRUE(h.logger().hasError("addConstant")) << h.logger().errors();
}

} // namespace
