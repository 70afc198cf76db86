// Gather against a float64 reference: every axis, indices of rank 0..2 with negative entries,
// INT32 data, nbElementWiseDims 1, both batch modes, out-of-range indices, invalid parameters;
// the kELEMENT (GatherElements) and kND (GatherND) modes with FLOAT, INT32 and BOOL data.
#include "layers/typed_values.h"
#include "support/harness.h"

#include <gtest/gtest-spi.h>

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

//! Gather with \p lead leading element-wise dims (0 or 1, an extent of 1 broadcast); indices
//! must be in range.
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

//! Runs \p h expecting execution (not the build) to fail; true when it did.
bool runFails(NetworkHarness& h)
{
    h.logger().expectErrors();
    ::testing::TestPartResultArray failures;
    {
        ::testing::ScopedFakeTestPartResultReporter reporter(
            ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
        h.run();
    }
    return failures.size() == 1 && std::string(failures.GetTestPartResult(0).message()).find("execution failed") != std::string::npos;
}

TEST(Gather, OutOfRangeIndicesAreARunTimeError)
{
    for (const int32_t bad : {3, -4, 1000})
    {
        NetworkHarness h;
        const HostTensor data = HostTensor::floats({3, 2}, {1, 2, 3, 4, 5, 6});
        const HostTensor indices = HostTensor::ints({4}, {2, bad, 0, -1});
        IGatherLayer* layer = h.network().addGather(*h.input("data", data), *h.input("indices", indices), 0);
        layer->setName("picky");
        h.markOutput(layer->getOutput(0));
        EXPECT_TRUE(runFails(h)) << bad;
        EXPECT_TRUE(h.logger().hasError("picky")) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError("index " + std::to_string(bad) + " is out of range")) << h.logger().errors();
    }
}

TEST(Gather, OutOfRangeKnownShapeValuesFailTheBuild)
{
    NetworkHarness h;
    h.logger().expectErrors();
    static const int32_t kOrder[] = {0, 3};
    IShapeLayer* shape = h.network().addShape(*h.input("x", HostTensor::zeros(DataType::kFLOAT, {2, 3, 4})));
    IConstantLayer* order = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kOrder, 2});
    IGatherLayer* dims = h.network().addGather(*shape->getOutput(0), *order->getOutput(0), 0);
    dims->setName("dims_picker");
    h.markOutput(dims->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("dims_picker")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError("index 3 is out of range")) << h.logger().errors();
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

// ---- kELEMENT and kND modes (TensorRT 8.2 addGatherV2) ----

using kiln::test::expectValues;
using kiln::test::randomData;
using kiln::test::valuesOf;

int64_t wrapIndex(int64_t index, int64_t extent)
{
    return index < 0 ? index + extent : index;
}

//! ONNX GatherElements: out[c] = data[c with c[axis] = indices[c]].
std::vector<double> gatherElementsRef(const HostTensor& data, const HostTensor& indices, size_t axis)
{
    const std::vector<double> x = valuesOf(data);
    std::vector<double> out;
    std::vector<int64_t> c(indices.dims.size());
    for (int64_t i = 0; i < indices.count(); ++i)
    {
        int64_t rest = i;
        for (size_t a = c.size(); a-- > 0;)
        {
            c[a] = rest % indices.dims[a];
            rest /= indices.dims[a];
        }
        c[axis] = wrapIndex(indices.i[static_cast<size_t>(i)], data.dims[axis]);
        int64_t offset = 0;
        for (size_t a = 0; a < c.size(); ++a)
            offset = offset * data.dims[a] + c[a];
        out.push_back(x[static_cast<size_t>(offset)]);
    }
    return out;
}

//! ONNX GatherND with batch_dims \p b.
std::vector<double> gatherNdRef(const HostTensor& data, const HostTensor& indices, size_t b, std::vector<int32_t>& outDims)
{
    const std::vector<double> x = valuesOf(data);
    const size_t q = indices.dims.size();
    const size_t r = data.dims.size();
    const auto k = static_cast<size_t>(indices.dims[q - 1]);
    outDims.assign(indices.dims.begin(), indices.dims.end() - 1);
    outDims.insert(outDims.end(), data.dims.begin() + static_cast<long>(b + k), data.dims.end());
    const int64_t slice = product(data.dims, b + k, r);
    const int64_t batchStride = product(data.dims, b, r);
    const int64_t perBatch = product(indices.dims, b, q - 1);
    std::vector<double> out;
    for (int64_t t = 0; t < product(indices.dims, 0, q - 1); ++t)
    {
        int64_t offset = 0;
        for (size_t j = 0; j < k; ++j)
            offset = offset * data.dims[b + j]
                + wrapIndex(indices.i[static_cast<size_t>(t) * k + j], data.dims[b + j]);
        const int64_t base = t / perBatch * batchStride + offset * slice;
        for (int64_t e = 0; e < slice; ++e)
            out.push_back(x[static_cast<size_t>(base + e)]);
    }
    return out;
}

std::vector<int32_t> randomDims(kiln::test::Rng& rng, size_t rank, int32_t hi)
{
    std::vector<int32_t> d(rank);
    for (int32_t& e : d)
        e = rng.uniformInt(1, hi);
    return d;
}

TEST(Gather, ElementModeEveryAxisRankAndType)
{
    kiln::test::Rng rng(75);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (size_t rank = 1; rank <= 4; ++rank)
        for (size_t axis = 0; axis < rank; ++axis)
            for (const DataType type : {DataType::kFLOAT, DataType::kINT32, DataType::kBOOL})
            {
                const std::vector<int32_t> dataDims = randomDims(rng, rank, 4);
                std::vector<int32_t> indexDims(rank);
                for (size_t a = 0; a < rank; ++a)
                    indexDims[a] = a == axis ? rng.uniformInt(1, 5) : rng.uniformInt(1, dataDims[a]);
                const int32_t extent = dataDims[axis];
                NetworkHarness h;
                const HostTensor data = randomData(type, dataDims, rng);
                const HostTensor indices = kiln::test::randomInts(indexDims, rng, -extent, extent - 1);
                IGatherLayer* layer
                    = h.network().addGatherV2(*h.input("data", data), *h.input("indices", indices), GatherMode::kELEMENT);
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getMode(), GatherMode::kELEMENT);
                EXPECT_EQ(layer->getGatherAxis(), 0);
                layer->setGatherAxis(static_cast<int32_t>(axis));
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                expectValues(outs[0], type, indexDims, gatherElementsRef(data, indices, axis));
            }
}

TEST(Gather, NdModeBatchDimsTupleLengthsAndTypes)
{
    kiln::test::Rng rng(76);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (size_t rank = 1; rank <= 4; ++rank)
        for (size_t b = 0; b < rank; ++b)
            for (size_t k = 1; k <= rank - b; ++k)
                for (const DataType type : {DataType::kFLOAT, DataType::kINT32, DataType::kBOOL})
                {
                    const std::vector<int32_t> dataDims = randomDims(rng, rank, 4);
                    std::vector<int32_t> indexDims(dataDims.begin(), dataDims.begin() + static_cast<long>(b));
                    for (size_t extra = static_cast<size_t>(rng.uniformInt(0, 2)); extra > 0; --extra)
                        indexDims.push_back(rng.uniformInt(1, 3));
                    indexDims.push_back(static_cast<int32_t>(k));
                    HostTensor indices = HostTensor::zeros(DataType::kINT32, indexDims);
                    for (size_t e = 0; e < indices.i.size(); ++e)
                    {
                        const int32_t extent = dataDims[b + e % k];
                        indices.i[e] = rng.uniformInt(-extent, extent - 1);
                    }
                    NetworkHarness h;
                    const HostTensor data = randomData(type, dataDims, rng);
                    IGatherLayer* layer
                        = h.network().addGatherV2(*h.input("data", data), *h.input("indices", indices), GatherMode::kND);
                    ASSERT_NE(layer, nullptr);
                    layer->setNbElementWiseDims(static_cast<int32_t>(b));
                    h.markOutput(layer->getOutput(0));
                    const auto outs = h.run();
                    ASSERT_EQ(outs.size(), 1u);
                    std::vector<int32_t> outDims;
                    const std::vector<double> expected = gatherNdRef(data, indices, b, outDims);
                    expectValues(outs[0], type, outDims, expected);
                }
}

TEST(Gather, DefaultModeThroughAddGatherV2AndSetMode)
{
    kiln::test::Rng rng(77);
    NetworkHarness h;
    const HostTensor data = kiln::test::randomTensor({4, 3}, rng);
    const HostTensor indices = HostTensor::ints({2, 2}, {0, -1, 3, -4});
    IGatherLayer* v2 = h.network().addGatherV2(*h.input("data", data), *h.input("indices", indices), GatherMode::kDEFAULT);
    ASSERT_NE(v2, nullptr);
    EXPECT_EQ(v2->getMode(), GatherMode::kDEFAULT);
    EXPECT_EQ(v2->getGatherAxis(), 0);
    // A mode switched back and forth ends where it started.
    v2->setMode(GatherMode::kND);
    EXPECT_EQ(v2->getMode(), GatherMode::kND);
    v2->setMode(GatherMode::kDEFAULT);
    h.markOutput(v2->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = gathered(data, indices, 0, 0, outDims);
    expectOutput(outs[0], data, outDims, expected);
}

TEST(Gather, ModesOutOfRangeIndicesAreARunTimeError)
{
    for (const GatherMode mode : {GatherMode::kELEMENT, GatherMode::kND})
        for (const int32_t bad : {3, -4})
        {
            NetworkHarness h;
            const HostTensor data = HostTensor::floats({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
            const HostTensor indices = mode == GatherMode::kELEMENT ? HostTensor::ints({1, 3}, {0, bad, 2})
                                                                    : HostTensor::ints({2, 2}, {0, 1, 2, bad});
            IGatherLayer* layer = h.network().addGatherV2(*h.input("data", data), *h.input("indices", indices), mode);
            layer->setName("moody");
            h.markOutput(layer->getOutput(0));
            EXPECT_TRUE(runFails(h)) << bad;
            EXPECT_TRUE(h.logger().hasError("moody")) << h.logger().errors();
            EXPECT_TRUE(h.logger().hasError("index " + std::to_string(bad) + " is out of range")) << h.logger().errors();
        }
}

TEST(Gather, ModesInvalidParametersFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        GatherMode mode;
        std::vector<int32_t> dataDims;
        std::vector<int32_t> indexDims;
        int32_t axis;
        int32_t elementWise;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"element_rank_mismatch", GatherMode::kELEMENT, {2, 3}, {2}, 0, 0, "same rank"},
        {"element_wider_off_axis", GatherMode::kELEMENT, {2, 3}, {2, 4}, 0, 0, "exceed data"},
        {"element_axis", GatherMode::kELEMENT, {2, 3}, {2, 3}, 2, 0, "axis 2"},
        {"element_negative_axis", GatherMode::kELEMENT, {2, 3}, {2, 3}, -1, 0, "axis -1"},
        {"element_elementwise", GatherMode::kELEMENT, {2, 3}, {2, 3}, 0, 1, "nbElementWiseDims"},
        {"nd_tuple_too_long", GatherMode::kND, {2, 3}, {4, 3}, 0, 0, "last extent"},
        {"nd_batch_too_many", GatherMode::kND, {2, 3}, {2, 1}, 0, 2, "nbElementWiseDims"},
        {"nd_batch_mismatch", GatherMode::kND, {2, 3, 4}, {3, 1}, 0, 1, "element-wise axis 0"},
        {"nd_scalar_indices", GatherMode::kND, {2, 3}, {}, 0, 0, "rank >= 1"},
        {"invalid_mode", static_cast<GatherMode>(7), {2, 3}, {2}, 0, 0, "invalid gather mode 7"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        static const int32_t kZero = 0;
        ITensor* indices = c.indexDims.empty()
            ? h.network().addConstant(toDims({}), Weights{DataType::kINT32, &kZero, 1})->getOutput(0)
            : h.input("indices", HostTensor::zeros(DataType::kINT32, c.indexDims));
        IGatherLayer* layer = h.network().addGatherV2(
            *h.input("data", HostTensor::zeros(DataType::kFLOAT, c.dataDims)), *indices, GatherMode::kDEFAULT);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        layer->setMode(c.mode);
        layer->setGatherAxis(c.axis);
        layer->setNbElementWiseDims(c.elementWise);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

TEST(Gather, AddGatherV2RejectsAnInvalidMode)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* data = h.input("data", HostTensor::zeros(DataType::kFLOAT, {2, 3}));
    ITensor* indices = h.input("indices", HostTensor::zeros(DataType::kINT32, {2}));
    EXPECT_EQ(h.network().addGatherV2(*data, *indices, static_cast<GatherMode>(3)), nullptr);
    EXPECT_TRUE(h.logger().hasError("addGatherV2")) << h.logger().errors();
}

TEST(Gather, ModesNeedAnExplicitBatchNetwork)
{
    NetworkHarness h(false);
    h.logger().expectErrors();
    // Values hold one batch item: per item, data and indices are [2, 3].
    IGatherLayer* layer = h.network().addGatherV2(*h.input("data", HostTensor::zeros(DataType::kFLOAT, {1, 2, 3})),
        *h.input("indices", HostTensor::zeros(DataType::kINT32, {1, 2, 3})), GatherMode::kELEMENT);
    ASSERT_NE(layer, nullptr);
    layer->setName("elements_implicit");
    // Shapes are known at API time; the build refuses the mode.
    EXPECT_EQ(layer->getOutput(0)->getDimensions().nbDims, 2);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("elements_implicit")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError("explicit-batch")) << h.logger().errors();
}

} // namespace
