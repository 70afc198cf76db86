// OneHot against an independent reference: every axis (negative too) for indices of rank 0..3,
// FLOAT and INT32 values, negative and out-of-range indices, depth from a constant or computed
// from a Shape -> Gather chain, implicit batch, and invalid parameters.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! ONNX OneHot: a new axis of extent depth at \p axis; on where the (wrapped) index matches.
std::vector<double> oneHotRef(const std::vector<int32_t>& indexDims, const std::vector<int32_t>& indices, int32_t depth,
    int32_t axis, double off, double on, std::vector<int32_t>& outDims)
{
    const auto rank = static_cast<int32_t>(indexDims.size());
    const int32_t a = axis < 0 ? axis + rank + 1 : axis;
    outDims = indexDims;
    outDims.insert(outDims.begin() + a, depth);
    int64_t outer = 1;
    for (int32_t i = 0; i < a; ++i)
        outer *= indexDims[static_cast<size_t>(i)];
    int64_t inner = 1;
    for (int32_t i = a; i < rank; ++i)
        inner *= indexDims[static_cast<size_t>(i)];
    std::vector<double> out;
    for (int64_t o = 0; o < outer; ++o)
        for (int32_t d = 0; d < depth; ++d)
            for (int64_t i = 0; i < inner; ++i)
            {
                int64_t index = indices[static_cast<size_t>(o * inner + i)];
                if (index < 0)
                    index += depth;
                out.push_back(index == d ? on : off);
            }
    return out;
}

void expectValues(const HostTensor& actual, DataType type, const std::vector<int32_t>& dims, const std::vector<double>& expected)
{
    if (type == DataType::kFLOAT)
        kiln::test::expectClose(actual, dims, expected, 0, 0);
    else
        kiln::test::expectEqualInts(actual, dims, std::vector<int32_t>(expected.begin(), expected.end()));
}

//! A rank-0 INT32 constant; \p value must outlive the build.
ITensor* scalarConstant(NetworkHarness& h, const int32_t& value)
{
    return h.network().addConstant(toDims({}), Weights{DataType::kINT32, &value, 1})->getOutput(0);
}

TEST(OneHot, EveryAxisRankAndValueType)
{
    kiln::test::Rng rng(91);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (int32_t rank = 0; rank <= 3; ++rank)
        for (int32_t axis = -(rank + 1); axis <= rank; ++axis)
            for (const DataType type : {DataType::kFLOAT, DataType::kINT32})
            {
                std::vector<int32_t> indexDims(static_cast<size_t>(rank));
                for (int32_t& e : indexDims)
                    e = rng.uniformInt(1, 4);
                const int32_t depth = rng.uniformInt(1, 5);
                // Out-of-range indices (beyond [-depth, depth)) included on purpose.
                const HostTensor indices = kiln::test::randomInts(indexDims, rng, -depth - 2, depth + 1);
                const HostTensor values
                    = type == DataType::kFLOAT ? HostTensor::floats({2}, {-0.5f, 2.25f}) : HostTensor::ints({2}, {7, -3});
                NetworkHarness h;
                ITensor* idx = rank == 0 ? h.network()
                                               .addConstant(toDims({}), Weights{DataType::kINT32, indices.i.data(), 1})
                                               ->getOutput(0)
                                         : h.input("indices", indices);
                IOneHotLayer* layer
                    = h.network().addOneHot(*idx, *h.input("values", values), *scalarConstant(h, depth), axis);
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getType(), LayerType::kONE_HOT);
                EXPECT_EQ(layer->getAxis(), axis);
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                const double off = type == DataType::kFLOAT ? -0.5 : 7;
                const double on = type == DataType::kFLOAT ? 2.25 : -3;
                std::vector<int32_t> outDims;
                const std::vector<double> expected = oneHotRef(indexDims, indices.i, depth, axis, off, on, outDims);
                expectValues(outs[0], type, outDims, expected);
            }
}

TEST(OneHot, DepthComputedFromAShapeAndRank1Values)
{
    NetworkHarness h;
    const HostTensor x = HostTensor::zeros(DataType::kFLOAT, {2, 3, 4});
    const HostTensor indices = HostTensor::ints({5}, {0, 3, -4, 4, -1});
    static const int32_t kLast = 2;
    static const float kValues[] = {0.f, 1.f};
    // depth = shape(x)[2] = 4, a scalar known only through value propagation.
    IGatherLayer* depth = h.network().addGather(
        *h.network().addShape(*h.input("x", x))->getOutput(0), *scalarConstant(h, kLast), 0);
    ITensor* values = h.network().addConstant(toDims({1, 2}), Weights{DataType::kFLOAT, kValues, 2})->getOutput(0);
    IOneHotLayer* layer = h.network().addOneHot(*h.input("indices", indices), *values, *depth->getOutput(0), 0);
    ASSERT_NE(layer, nullptr);
    layer->setAxis(1);
    EXPECT_EQ(layer->getAxis(), 1);
    const Dims d = layer->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[1], 4);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = oneHotRef({5}, indices.i, 4, 1, 0, 1, outDims);
    expectValues(outs[0], DataType::kFLOAT, outDims, expected);
}

TEST(OneHot, ImplicitBatch)
{
    kiln::test::Rng rng(92);
    static const int32_t kDepth = 3;
    static const int32_t kValues[] = {-1, 1};
    for (const int32_t axis : {0, 1, -1, -2})
    {
        NetworkHarness h(false);
        h.setBatch(2);
        const HostTensor indices = kiln::test::randomInts({2, 4}, rng, -4, 3);
        ITensor* values = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kValues, 2})->getOutput(0);
        IOneHotLayer* layer = h.network().addOneHot(*h.input("indices", indices), *values, *scalarConstant(h, kDepth), axis);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getOutput(0)->getDimensions().nbDims, 2); // per item
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        // The same layer with the batch as axis 0: non-negative axes move past it.
        std::vector<int32_t> outDims;
        const std::vector<double> expected = oneHotRef({2, 4}, indices.i, kDepth, axis >= 0 ? axis + 1 : axis, -1, 1, outDims);
        expectValues(outs[0], DataType::kINT32, outDims, expected);
    }
}

TEST(OneHot, InvalidParametersFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        int32_t axis;
        int32_t depth;
        std::vector<int32_t> valueDims;
        DataType valueType;
        DataType indexType;
        const char* message;
    };
    // indices have rank 2.
    const std::vector<Case> cases = {
        {"axis_high", 3, 4, {2}, DataType::kFLOAT, DataType::kINT32, "axis 3"},
        {"axis_low", -4, 4, {2}, DataType::kFLOAT, DataType::kINT32, "axis -4"},
        {"depth_zero", 0, 0, {2}, DataType::kFLOAT, DataType::kINT32, "depth is 0"},
        {"depth_negative", 0, -2, {2}, DataType::kFLOAT, DataType::kINT32, "depth is -2"},
        {"three_values", 0, 4, {3}, DataType::kFLOAT, DataType::kINT32, "2 elements"},
        {"bool_values", 0, 4, {2}, DataType::kBOOL, DataType::kINT32, "input 1 has type BOOL"},
        {"float_indices", 0, 4, {2}, DataType::kFLOAT, DataType::kFLOAT, "input 0 has type FLOAT"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IOneHotLayer* layer = h.network().addOneHot(*h.input("indices", HostTensor::zeros(c.indexType, {2, 3})),
            *h.input("values", HostTensor::zeros(c.valueType, c.valueDims)), *scalarConstant(h, c.depth), c.axis);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

TEST(OneHot, DepthWithUnknownValueOrTwoElementsFailsTheBuild)
{
    static const int32_t kTwo[] = {3, 4};
    static const int32_t kZero = 0;
    static const int32_t kOne = 1;
    for (const bool twoElements : {false, true})
    {
        NetworkHarness h;
        h.logger().expectErrors();
        // A depth computed by a layer that does not propagate values (a one-hot of its own).
        ITensor* depth = twoElements
            ? h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kTwo, 2})->getOutput(0)
            : h.network()
                  .addOneHot(*scalarConstant(h, kZero), *h.input("v", HostTensor::ints({2}, {0, 3})), *scalarConstant(h, kOne), 0)
                  ->getOutput(0);
        IOneHotLayer* layer = h.network().addOneHot(*h.input("indices", HostTensor::zeros(DataType::kINT32, {2})),
            *h.input("values", HostTensor::zeros(DataType::kFLOAT, {2})), *depth, 0);
        ASSERT_NE(layer, nullptr);
        layer->setName("hot_mess");
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr);
        EXPECT_TRUE(h.logger().hasError("hot_mess")) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(twoElements ? "1 element" : "known")) << h.logger().errors();
    }
}

} // namespace
