// Shape: the dims of FLOAT, INT32 and BOOL inputs as INT32 tensors, known values downstream, and
// the explicit-batch requirement.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;

namespace
{

TEST(Shape, OutputsTheInputDims)
{
    kiln::test::Rng rng(111);
    for (const std::vector<int32_t>& dims : {std::vector<int32_t>{2, 3, 5}, {7}, {1, 1, 1, 1, 2}, {4, 9}})
    {
        NetworkHarness h;
        IShapeLayer* sf = h.network().addShape(*h.input("f", kiln::test::randomTensor(dims, rng)));
        IShapeLayer* si = h.network().addShape(*h.input("i", kiln::test::randomInts(dims, rng, 0, 9)));
        IShapeLayer* sb = h.network().addShape(*h.input("b", HostTensor::zeros(DataType::kBOOL, dims)));
        ASSERT_TRUE(sf && si && sb);
        EXPECT_EQ(sf->getType(), LayerType::kSHAPE);
        EXPECT_EQ(sf->getOutput(0)->getType(), DataType::kINT32);
        const Dims d = sf->getOutput(0)->getDimensions();
        ASSERT_EQ(d.nbDims, 1);
        EXPECT_EQ(d.d[0], static_cast<int32_t>(dims.size()));
        h.markOutput(sf->getOutput(0));
        h.markOutput(si->getOutput(0));
        h.markOutput(sb->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 3u);
        const std::vector<int32_t> rank{static_cast<int32_t>(dims.size())};
        for (const auto& out : outs)
            kiln::test::expectEqualInts(out, rank, dims);
    }
}

TEST(Shape, ShapeOfAShapeTensor)
{
    NetworkHarness h;
    IShapeLayer* inner = h.network().addShape(*h.input("x", HostTensor::zeros(DataType::kFLOAT, {2, 3, 4, 5})));
    IShapeLayer* outer = h.network().addShape(*inner->getOutput(0));
    h.markOutput(outer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectEqualInts(outs[0], {1}, {4});
}

TEST(Shape, ImplicitBatchNetworksAreRejected)
{
    NetworkHarness h(false);
    h.logger().expectErrors();
    IShapeLayer* layer = h.network().addShape(*h.input("x", HostTensor::zeros(DataType::kFLOAT, {1, 3, 4})));
    ASSERT_NE(layer, nullptr);
    layer->setName("implicit_shape");
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("explicit-batch")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError("implicit_shape")) << h.logger().errors();
}

} // namespace
