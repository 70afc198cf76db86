// Identity: copies of FLOAT, INT32 and BOOL tensors in both batch modes, and conversions through
// ILayer::setOutputType (to INT32 rounds toward zero, to BOOL is x != 0).
#include "support/harness.h"

#include <cmath>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;

namespace
{

class IdentityTest : public ::testing::TestWithParam<bool>
{
};

TEST_P(IdentityTest, CopiesEveryType)
{
    const bool explicitBatch = GetParam();
    kiln::test::Rng rng(101);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (const std::vector<int32_t>& dims : {std::vector<int32_t>{2, 3, 5}, {1, 1}, {3, 7, 1, 2}})
    {
        NetworkHarness h(explicitBatch);
        h.setBatch(dims[0]);
        const HostTensor f = kiln::test::randomTensor(dims, rng);
        const HostTensor i = kiln::test::randomInts(dims, rng, -1000, 1000);
        HostTensor b = HostTensor::zeros(DataType::kBOOL, dims);
        for (auto& v : b.b)
            v = static_cast<uint8_t>(rng.uniformInt(0, 1));
        IIdentityLayer* lf = h.network().addIdentity(*h.input("f", f));
        IIdentityLayer* li = h.network().addIdentity(*h.input("i", i));
        IIdentityLayer* lb = h.network().addIdentity(*h.input("b", b));
        ASSERT_TRUE(lf && li && lb);
        EXPECT_EQ(lf->getType(), LayerType::kIDENTITY);
        EXPECT_EQ(li->getOutput(0)->getType(), DataType::kINT32);
        EXPECT_EQ(lb->getOutput(0)->getType(), DataType::kBOOL);
        h.markOutput(lf->getOutput(0));
        h.markOutput(li->getOutput(0));
        h.markOutput(lb->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 3u);
        kiln::test::expectClose(outs[0], dims, std::vector<double>(f.f.begin(), f.f.end()), 0, 0);
        kiln::test::expectEqualInts(outs[1], dims, i.i);
        kiln::test::expectEqualInts(outs[2], dims, std::vector<int32_t>(b.b.begin(), b.b.end()));
    }
}

INSTANTIATE_TEST_SUITE_P(BatchModes, IdentityTest, ::testing::Bool());

TEST(Identity, ConvertsWithSetOutputType)
{
    NetworkHarness h;
    const HostTensor f = HostTensor::floats({6}, {-2.75f, -0.5f, 0.f, 0.5f, 3.99f, 1e10f});
    const HostTensor i = HostTensor::ints({4}, {-7, 0, 1, 123456});
    IIdentityLayer* toInt = h.network().addIdentity(*h.input("f", f));
    toInt->setOutputType(0, DataType::kINT32);
    EXPECT_TRUE(toInt->outputTypeIsSet(0));
    EXPECT_EQ(toInt->getOutput(0)->getType(), DataType::kINT32);
    IIdentityLayer* toBool = h.network().addIdentity(*h.input("f2", f));
    toBool->setOutputType(0, DataType::kBOOL);
    IIdentityLayer* toFloat = h.network().addIdentity(*h.input("i", i));
    toFloat->setOutputType(0, DataType::kFLOAT);
    IIdentityLayer* reset = h.network().addIdentity(*h.input("i2", i));
    reset->setOutputType(0, DataType::kFLOAT);
    reset->resetOutputType(0);
    EXPECT_EQ(reset->getOutput(0)->getType(), DataType::kINT32);
    h.markOutput(toInt->getOutput(0));
    h.markOutput(toBool->getOutput(0));
    h.markOutput(toFloat->getOutput(0));
    h.markOutput(reset->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 4u);
    kiln::test::expectEqualInts(outs[0], {6}, {-2, 0, 0, 0, 3, 2147483647});
    kiln::test::expectEqualInts(outs[1], {6}, {1, 1, 0, 1, 1, 1});
    kiln::test::expectClose(outs[2], {4}, {-7, 0, 1, 123456}, 0, 0);
    kiln::test::expectEqualInts(outs[3], {4}, {-7, 0, 1, 123456});
}

} // namespace
