// Scatter against an independent reference: kELEMENT (ONNX ScatterElements) on every axis and rank
// (negative axes too), kND (ONNX ScatterND) with every tuple length, FLOAT/INT32/BOOL data,
// negative and repeated indices, out-of-range indices (a run-time error) and invalid parameters.
#include "layers/typed_values.h"
#include "support/harness.h"

#include <gtest/gtest-spi.h>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;

namespace
{

using kiln::test::expectValues;
using kiln::test::randomData;
using kiln::test::valuesOf;

std::vector<int32_t> randomDims(kiln::test::Rng& rng, size_t rank, int32_t hi)
{
    std::vector<int32_t> d(rank);
    for (int32_t& e : d)
        e = rng.uniformInt(1, hi);
    return d;
}

int64_t wrapIndex(int64_t index, int64_t extent)
{
    return index < 0 ? index + extent : index;
}

int64_t product(const std::vector<int32_t>& d, size_t begin, size_t end)
{
    int64_t p = 1;
    for (size_t i = begin; i < end; ++i)
        p *= d[i];
    return p;
}

//! ONNX ScatterElements (reduction none), updates applied in row-major order.
std::vector<double> scatterElementsRef(const HostTensor& data, const HostTensor& indices, const HostTensor& updates, size_t axis)
{
    std::vector<double> out = valuesOf(data);
    const std::vector<double> u = valuesOf(updates);
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
        out[static_cast<size_t>(offset)] = u[static_cast<size_t>(i)];
    }
    return out;
}

//! ONNX ScatterND (reduction none), tuples applied in row-major order.
std::vector<double> scatterNdRef(const HostTensor& data, const HostTensor& indices, const HostTensor& updates)
{
    std::vector<double> out = valuesOf(data);
    const std::vector<double> u = valuesOf(updates);
    const size_t q = indices.dims.size();
    const auto k = static_cast<size_t>(indices.dims[q - 1]);
    const int64_t slice = product(data.dims, k, data.dims.size());
    for (int64_t t = 0; t < product(indices.dims, 0, q - 1); ++t)
    {
        int64_t offset = 0;
        for (size_t j = 0; j < k; ++j)
            offset = offset * data.dims[j] + wrapIndex(indices.i[static_cast<size_t>(t) * k + j], data.dims[j]);
        for (int64_t e = 0; e < slice; ++e)
            out[static_cast<size_t>(offset * slice + e)] = u[static_cast<size_t>(t * slice + e)];
    }
    return out;
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

TEST(Scatter, ElementModeEveryAxisRankAndType)
{
    kiln::test::Rng rng(81);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (size_t rank = 1; rank <= 4; ++rank)
        for (size_t axis = 0; axis < rank; ++axis)
            for (const DataType type : {DataType::kFLOAT, DataType::kINT32, DataType::kBOOL})
            {
                const std::vector<int32_t> dataDims = randomDims(rng, rank, 5);
                std::vector<int32_t> indexDims(rank);
                for (size_t a = 0; a < rank; ++a)
                    indexDims[a] = rng.uniformInt(1, dataDims[a] + (a == axis ? 2 : 0));
                const int32_t extent = dataDims[axis];
                NetworkHarness h;
                const HostTensor data = randomData(type, dataDims, rng);
                const HostTensor indices = kiln::test::randomInts(indexDims, rng, -extent, extent - 1);
                const HostTensor updates = randomData(type, indexDims, rng);
                IScatterLayer* layer = h.network().addScatter(*h.input("data", data), *h.input("indices", indices),
                    *h.input("updates", updates), ScatterMode::kELEMENT);
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getType(), LayerType::kSCATTER);
                EXPECT_EQ(layer->getMode(), ScatterMode::kELEMENT);
                EXPECT_EQ(layer->getAxis(), 0);
                // Every other case names the axis from the end.
                const auto a = static_cast<int32_t>(axis);
                layer->setAxis(rng.uniformInt(0, 1) ? a : a - static_cast<int32_t>(rank));
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                expectValues(outs[0], type, dataDims, scatterElementsRef(data, indices, updates, axis));
            }
}

TEST(Scatter, NdModeEveryTupleLengthAndType)
{
    kiln::test::Rng rng(82);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (size_t rank = 1; rank <= 4; ++rank)
        for (size_t k = 1; k <= rank; ++k)
            for (const DataType type : {DataType::kFLOAT, DataType::kINT32, DataType::kBOOL})
            {
                const std::vector<int32_t> dataDims = randomDims(rng, rank, 4);
                std::vector<int32_t> indexDims;
                for (size_t extra = static_cast<size_t>(rng.uniformInt(0, 2)); extra > 0; --extra)
                    indexDims.push_back(rng.uniformInt(1, 3));
                std::vector<int32_t> updateDims = indexDims;
                updateDims.insert(updateDims.end(), dataDims.begin() + static_cast<long>(k), dataDims.end());
                indexDims.push_back(static_cast<int32_t>(k));
                HostTensor indices = HostTensor::zeros(DataType::kINT32, indexDims);
                for (size_t e = 0; e < indices.i.size(); ++e)
                {
                    const int32_t extent = dataDims[e % k];
                    indices.i[e] = rng.uniformInt(-extent, extent - 1);
                }
                NetworkHarness h;
                const HostTensor data = randomData(type, dataDims, rng);
                const HostTensor updates = randomData(type, updateDims, rng);
                IScatterLayer* layer = h.network().addScatter(*h.input("data", data), *h.input("indices", indices),
                    *h.input("updates", updates), ScatterMode::kND);
                ASSERT_NE(layer, nullptr);
                EXPECT_EQ(layer->getMode(), ScatterMode::kND);
                h.markOutput(layer->getOutput(0));
                const auto outs = h.run();
                ASSERT_EQ(outs.size(), 1u);
                expectValues(outs[0], type, dataDims, scatterNdRef(data, indices, updates));
            }
}

TEST(Scatter, RepeatedIndicesLastUpdateWins)
{
    NetworkHarness h;
    const HostTensor data = HostTensor::floats({4}, {0, 0, 0, 0});
    const HostTensor indices = HostTensor::ints({3, 1}, {1, -3, 3});
    const HostTensor updates = HostTensor::floats({3}, {5, 6, 7});
    IScatterLayer* layer = h.network().addScatter(
        *h.input("data", data), *h.input("indices", indices), *h.input("updates", updates), ScatterMode::kND);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {4}, {0, 6, 0, 7}, 0, 0);
}

TEST(Scatter, OutOfRangeIndicesAreARunTimeError)
{
    for (const ScatterMode mode : {ScatterMode::kELEMENT, ScatterMode::kND})
        for (const int32_t bad : {3, -4})
        {
            NetworkHarness h;
            const HostTensor data = HostTensor::floats({3, 2}, {1, 2, 3, 4, 5, 6});
            const bool element = mode == ScatterMode::kELEMENT;
            const HostTensor indices = element ? HostTensor::ints({2, 1}, {0, bad}) : HostTensor::ints({2, 1}, {bad, 0});
            const HostTensor updates = element ? HostTensor::floats({2, 1}, {9, 9}) : HostTensor::floats({2, 2}, {9, 9, 9, 9});
            IScatterLayer* layer = h.network().addScatter(
                *h.input("data", data), *h.input("indices", indices), *h.input("updates", updates), mode);
            layer->setName("scatterbrain");
            h.markOutput(layer->getOutput(0));
            EXPECT_TRUE(runFails(h)) << bad;
            EXPECT_TRUE(h.logger().hasError("scatterbrain")) << h.logger().errors();
            EXPECT_TRUE(h.logger().hasError("index " + std::to_string(bad) + " is out of range")) << h.logger().errors();
        }
}

TEST(Scatter, InvalidParametersFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        ScatterMode mode;
        std::vector<int32_t> indexDims;
        std::vector<int32_t> updateDims;
        DataType indexType;
        DataType updateType;
        int32_t axis;
        const char* message;
    };
    // data is FLOAT [3, 4].
    const std::vector<Case> cases = {
        {"element_rank", ScatterMode::kELEMENT, {3}, {3}, DataType::kINT32, DataType::kFLOAT, 0, "same rank"},
        {"element_updates", ScatterMode::kELEMENT, {2, 2}, {2, 3}, DataType::kINT32, DataType::kFLOAT, 0, "updates"},
        {"element_wider", ScatterMode::kELEMENT, {2, 5}, {2, 5}, DataType::kINT32, DataType::kFLOAT, 0, "exceed data"},
        {"element_axis", ScatterMode::kELEMENT, {2, 2}, {2, 2}, DataType::kINT32, DataType::kFLOAT, 2, "axis 2"},
        {"element_axis_neg", ScatterMode::kELEMENT, {2, 2}, {2, 2}, DataType::kINT32, DataType::kFLOAT, -3, "axis -3"},
        {"nd_tuple", ScatterMode::kND, {2, 3}, {2}, DataType::kINT32, DataType::kFLOAT, 0, "last extent"},
        {"nd_updates", ScatterMode::kND, {2, 1}, {2, 3}, DataType::kINT32, DataType::kFLOAT, 0, "must have dims"},
        {"float_indices", ScatterMode::kND, {2, 1}, {2, 4}, DataType::kFLOAT, DataType::kFLOAT, 0, "INT32"},
        {"int_updates", ScatterMode::kND, {2, 1}, {2, 4}, DataType::kINT32, DataType::kINT32, 0, "expected FLOAT"},
        {"invalid_mode", static_cast<ScatterMode>(5), {2, 1}, {2, 4}, DataType::kINT32, DataType::kFLOAT, 0,
            "invalid scatter mode 5"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IScatterLayer* layer = h.network().addScatter(*h.input("data", HostTensor::zeros(DataType::kFLOAT, {3, 4})),
            *h.input("indices", HostTensor::zeros(c.indexType, c.indexDims)),
            *h.input("updates", HostTensor::zeros(c.updateType, c.updateDims)), ScatterMode::kELEMENT);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        layer->setMode(c.mode);
        layer->setAxis(c.axis);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

TEST(Scatter, AddScatterRejectsAnInvalidModeAndImplicitBatch)
{
    {
        NetworkHarness h;
        h.logger().expectErrors();
        ITensor* x = h.input("x", HostTensor::zeros(DataType::kFLOAT, {3}));
        ITensor* i = h.input("i", HostTensor::zeros(DataType::kINT32, {1, 1}));
        ITensor* u = h.input("u", HostTensor::zeros(DataType::kFLOAT, {1}));
        EXPECT_EQ(h.network().addScatter(*x, *i, *u, static_cast<ScatterMode>(2)), nullptr);
        EXPECT_TRUE(h.logger().hasError("addScatter")) << h.logger().errors();
    }
    NetworkHarness h(false);
    h.logger().expectErrors();
    IScatterLayer* layer = h.network().addScatter(*h.input("x", HostTensor::zeros(DataType::kFLOAT, {3})),
        *h.input("i", HostTensor::zeros(DataType::kINT32, {1, 1})), *h.input("u", HostTensor::zeros(DataType::kFLOAT, {1})),
        ScatterMode::kND);
    ASSERT_NE(layer, nullptr);
    layer->setName("implicit_scatter");
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("implicit_scatter")) << h.logger().errors();
    EXPECT_TRUE(h.logger().hasError("explicit-batch")) << h.logger().errors();
}

} // namespace
