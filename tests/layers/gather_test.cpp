// Gather against a float64 reference: every axis, indices of rank 0..2 with negative entries,
// INT32 data, nbElementWiseDims 1, both batch modes, out-of-range indices, invalid parameters.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! Dims from a list of extents.
int64_t product(const std::vector<int32_t>& d, size_t begin, size_t end)
{
    int64_t p = 1;
    for (size_t i = begin; i < end; ++i)
        p *= d[i];
    return p;
}

//! Gather with \p lead leading element-wise dims (0 or 1, an extent of 1 broadcast).
//! Out-of-range indices give 0 (Kiln's documented choice).
std::vector<double> gathered(
    const HostTensor& data, const HostTensor& indices, size_t axis, size_t lead, std::vector<int32_t>& outDims)
{
    const int64_t e = lead ? std::max(data.dims[0], indices.dims[0]) : 1;
    const int64_t outer = product(data.dims, lead, axis);
    const int64_t extent = data.dims[axis];
    const int64_t inner = product(data.dims, axis + 1, data.dims.size());
    const int64_t count = product(indices.dims, lead, indices.dims.size());
    outDims.clear();
    if (lead)
        outDims.push_back(static_cast<int32_t>(e));
    outDims.insert(
        outDims.end(), data.dims.begin() + static_cast<long>(lead), data.dims.begin() + static_cast<long>(axis));
    outDims.insert(outDims.end(), indices.dims.begin() + static_cast<long>(lead), indices.dims.end());
    outDims.insert(outDims.end(), data.dims.begin() + static_cast<long>(axis) + 1, data.dims.end());
    std::vector<double> out;
    for (int64_t l = 0; l < e; ++l)
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t j = 0; j < count; ++j)
            {
                const int64_t il = lead && indices.dims[0] > 1 ? l : 0;
                const int64_t dl = lead && data.dims[0] > 1 ? l : 0;
                int64_t index = indices.i[static_cast<size_t>(il * count + j)];
                if (index < 0)
                    index += extent;
                for (int64_t k = 0; k < inner; ++k)
                {
                    if (index < 0 || index >= extent)
                    {
                        out.push_back(0);
                        continue;
                    }
                    const auto s = static_cast<size_t>(((dl * outer + o) * extent + index) * inner + k);
                    out.push_back(data.type == DataType::kINT32 ? data.i[s] : data.f[s]);
                }
            }
    return out;
}

void expectOutput(const HostTensor& actual, const HostTensor& data, const std::vector<int32_t>& dims,
    const std::vector<double>& expected)
{
    if (data.type == DataType::kINT32)
        kiln::test::expectEqualInts(actual, dims, std::vector<int32_t>(expected.begin(), expected.end()));
    else
        kiln::test::expectClose(actual, dims, expected, 0, 0);
}

TEST(Gather, EveryAxisAndIndicesRankExplicitBatch)
{
    kiln::test::Rng rng(71);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const std::vector<int32_t> dataDims{3, 4, 5};
    for (size_t axis = 0; axis < dataDims.size(); ++axis)
        for (const std::vector<int32_t>& indexDims : {std::vector<int32_t>{}, {1}, {4}, {2, 3}})
            for (const DataType type : {DataType::kFLOAT, DataType::kINT32})
            {
                NetworkHarness h;
                const int32_t extent = dataDims[axis];
                const HostTensor data = type == DataType::kINT32 ? kiln::test::randomInts(dataDims, rng, -99, 99)
                                                                 : kiln::test::randomTensor(dataDims, rng);
                // In range, negative ones included.
                const HostTensor indices = kiln::test::randomInts(indexDims, rng, -extent, extent - 1);
                ITensor* idx = nullptr;
                if (indexDims.empty())
                {
                    // A scalar index as a rank-0 constant.
                    idx = h.network()
                              .addConstant(toDims({}), Weights{DataType::kINT32, indices.i.data(), 1})
                              ->getOutput(0);
                }
                else
                    idx = h.input("indices", indices);
                IGatherLayer* layer = h.network().addGather(*h.input("data", data), *idx, static_cast<int32_t>(axis));
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getType(), LayerType::kGATHER);
                EXPECT_EQ(layer->getGatherAxis(), static_cast<int32_t>(axis));
                EXPECT_EQ(layer->getNbElementWiseDims(), 0);
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                std::vector<int32_t> outDims;
                const std::vector<double> expected = gathered(data, indices, axis, 0, outDims);
                expectOutput(outs[0], data, outDims, expected);
            }
}

TEST(Gather, ElementWiseLeadingDimension)
{
    kiln::test::Rng rng(72);
    // data [3,4,5] and indices [3,2] or [1,2] (broadcast), gathering on axis 1 or 2.
    for (const int32_t indicesLead : {3, 1})
        for (const int32_t axis : {1, 2})
        {
            NetworkHarness h;
            const HostTensor data = kiln::test::randomTensor({3, 4, 5}, rng);
            const int32_t extent = axis == 1 ? 4 : 5;
            const HostTensor indices = kiln::test::randomInts({indicesLead, 2}, rng, -extent, extent - 1);
            IGatherLayer* layer = h.network().addGather(*h.input("data", data), *h.input("indices", indices), axis);
            layer->setNbElementWiseDims(1);
            EXPECT_EQ(layer->getNbElementWiseDims(), 1);
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            std::vector<int32_t> outDims;
            const std::vector<double> expected = gathered(data, indices, static_cast<size_t>(axis), 1, outDims);
            expectOutput(outs[0], data, outDims, expected);
        }
}

TEST(Gather, ImplicitBatchWithConstantAndPerItemIndices)
{
    kiln::test::Rng rng(73);
    for (const bool constantIndices : {true, false})
        for (const int32_t axis : {0, 1})
        {
            NetworkHarness h(false);
            h.setBatch(2);
            const HostTensor data = kiln::test::randomTensor({2, 4, 3}, rng);
            const int32_t extent = axis == 0 ? 4 : 3;
            // Constant indices are the same for every batch item; input indices differ per item.
            const HostTensor indices = kiln::test::randomInts({constantIndices ? 1 : 2, 5}, rng, -extent, extent - 1);
            ITensor* idx = constantIndices
                ? h.network().addConstant(toDims({5}), Weights{DataType::kINT32, indices.i.data(), 5})->getOutput(0)
                : h.input("indices", indices);
            IGatherLayer* layer = h.network().addGather(*h.input("data", data), *idx, axis);
            const Dims d = layer->getOutput(0)->getDimensions();
            ASSERT_EQ(d.nbDims, 2); // {5, 3} or {4, 5} per item
            h.markOutput(layer->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            std::vector<int32_t> outDims;
            const std::vector<double> expected = gathered(data, indices, static_cast<size_t>(axis) + 1, 1, outDims);
            expectOutput(outs[0], data, outDims, expected);
        }
}

TEST(Gather, OutOfRangeIndicesGiveZeros)
{
    NetworkHarness h;
    const HostTensor data = HostTensor::floats({3, 2}, {1, 2, 3, 4, 5, 6});
    const HostTensor indices = HostTensor::ints({4}, {2, 3, -4, -1});
    IGatherLayer* layer = h.network().addGather(*h.input("data", data), *h.input("indices", indices), 0);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {4, 2}, {5, 6, 0, 0, 0, 0, 5, 6}, 0, 0);
}

TEST(Gather, KnownValuesOfAShapeTensor)
{
    kiln::test::Rng rng(74);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    const HostTensor y = kiln::test::randomTensor({24}, rng);
    static const int32_t kOrder[] = {2, -3, 1};
    IShapeLayer* shape = h.network().addShape(*h.input("x", x));
    IConstantLayer* order = h.network().addConstant(toDims({3}), Weights{DataType::kINT32, kOrder, 3});
    IGatherLayer* dims = h.network().addGather(*shape->getOutput(0), *order->getOutput(0), 0);
    IShuffleLayer* reshape = h.network().addShuffle(*h.input("y", y));
    reshape->setInput(1, *dims->getOutput(0));
    h.markOutput(reshape->getOutput(0));
    h.markOutput(dims->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectClose(outs[0], {4, 2, 3}, std::vector<double>(y.f.begin(), y.f.end()), 0, 0);
    kiln::test::expectEqualInts(outs[1], {3}, {4, 2, 3});
}

TEST(Gather, InvalidParametersFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        int32_t axis;
        int32_t elementWise;
        DataType indexType;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"axis_too_large", 3, 0, DataType::kINT32, "axis 3"},
        {"negative_axis", -1, 0, DataType::kINT32, "axis -1"},
        {"two_elementwise", 1, 2, DataType::kINT32, "nbElementWiseDims"},
        {"elementwise_axis0", 0, 1, DataType::kINT32, "axis 0"},
        {"float_indices", 0, 0, DataType::kFLOAT, "INT32"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IGatherLayer* layer = h.network().addGather(*h.input("data", HostTensor::zeros(DataType::kFLOAT, {2, 3, 4})),
            *h.input("indices", HostTensor::zeros(c.indexType, {2, 2})), c.axis);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        layer->setNbElementWiseDims(c.elementWise);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

} // namespace
