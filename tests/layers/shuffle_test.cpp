// Shuffle against a float64 reference: transposes of rank 2..5, reshapes with 0 and -1,
// zeroIsPlaceholder, shape-tensor reshapes (Shape -> Gather -> Concatenation -> Shuffle input 1),
// both batch modes, and invalid parameters.
#include "support/harness.h"

#include <algorithm>
#include <numeric>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::toDims;

namespace
{

//! Dims from a list of extents.
std::vector<int32_t> permuted(const std::vector<int32_t>& dims, const std::vector<int32_t>& perm)
{
    std::vector<int32_t> out;
    for (int32_t a : perm)
        out.push_back(dims[static_cast<size_t>(a)]);
    return out;
}

//! out[c] = x[ic] with ic[perm[i]] = c[i].
std::vector<double> transposed(
    const std::vector<double>& x, const std::vector<int32_t>& dims, const std::vector<int32_t>& perm)
{
    const size_t rank = dims.size();
    std::vector<int64_t> strides(rank, 1);
    for (size_t i = rank; i-- > 1;)
        strides[i - 1] = strides[i] * dims[i];
    const std::vector<int32_t> outDims = permuted(dims, perm);
    std::vector<double> out(x.size());
    std::vector<int64_t> c(rank, 0);
    for (size_t o = 0; o < x.size(); ++o)
    {
        int64_t src = 0;
        for (size_t i = 0; i < rank; ++i)
            src += c[i] * strides[static_cast<size_t>(perm[i])];
        out[o] = x[static_cast<size_t>(src)];
        for (size_t i = rank; i-- > 0;)
        {
            if (++c[i] < outDims[i])
                break;
            c[i] = 0;
        }
    }
    return out;
}

std::vector<double> asDoubles(const HostTensor& t)
{
    if (t.type == DataType::kINT32)
        return std::vector<double>(t.i.begin(), t.i.end());
    return std::vector<double>(t.f.begin(), t.f.end());
}

Permutation toPermutation(const std::vector<int32_t>& perm)
{
    Permutation p{}; // entries past the rank stay 0: they must be ignored
    for (size_t i = 0; i < perm.size(); ++i)
        p.order[i] = perm[i];
    return p;
}

std::vector<int32_t> randomPermutation(size_t rank, kiln::test::Rng& rng)
{
    std::vector<int32_t> perm(rank);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng.engine());
    return perm;
}

std::vector<int32_t> shifted(const std::vector<int32_t>& perm)
{
    std::vector<int32_t> out{0};
    for (int32_t a : perm)
        out.push_back(a + 1);
    return out;
}

class ShuffleTransposeTest : public ::testing::TestWithParam<bool>
{
};

TEST_P(ShuffleTransposeTest, TransposeReshapeTransposeMatchesReference)
{
    const bool explicitBatch = GetParam();
    kiln::test::Rng rng(31);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (size_t rank = 2; rank <= 5; ++rank)
        for (int trial = 0; trial < 3; ++trial)
        {
            std::vector<int32_t> dims;
            for (size_t i = 0; i < rank; ++i)
                dims.push_back(rng.uniformInt(1, 4));
            const int32_t batch = rng.uniformInt(1, 3);
            // The network's view leaves the batch out in implicit mode.
            const std::vector<int32_t> full = explicitBatch ? dims : [&] {
                std::vector<int32_t> d{batch};
                d.insert(d.end(), dims.begin(), dims.end());
                return d;
            }();
            const std::vector<int32_t> p1 = randomPermutation(rank, rng);
            const std::vector<int32_t> p2 = randomPermutation(rank, rng);
            NetworkHarness h(explicitBatch);
            h.setBatch(batch);
            const HostTensor x = kiln::test::randomTensor(full, rng);
            IShuffleLayer* layer = h.network().addShuffle(*h.input("x", x));
            ASSERT_NE(layer, nullptr);
            EXPECT_EQ(layer->getType(), LayerType::kSHUFFLE);
            EXPECT_EQ(layer->getReshapeDimensions().nbDims, -1);
            layer->setFirstTranspose(toPermutation(p1));
            layer->setSecondTranspose(toPermutation(p2));
            EXPECT_EQ(layer->getFirstTranspose().order[0], p1[0]);
            EXPECT_EQ(layer->getSecondTranspose().order[1], p2[1]);
            h.markOutput(layer->getOutput(0));
            // Transpose, keep dims, transpose again: the composition of both permutations.
            const std::vector<int32_t> f1 = explicitBatch ? p1 : shifted(p1);
            const std::vector<int32_t> f2 = explicitBatch ? p2 : shifted(p2);
            const std::vector<double> t1 = transposed(asDoubles(x), full, f1);
            const std::vector<int32_t> d1 = permuted(full, f1);
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            kiln::test::expectClose(outs[0], permuted(d1, f2), transposed(t1, d1, f2), 0, 0);
        }
}

INSTANTIATE_TEST_SUITE_P(BatchModes, ShuffleTransposeTest, ::testing::Bool());

struct ReshapeCase
{
    std::vector<int32_t> input;
    std::vector<int32_t> first;
    std::vector<int32_t> reshape;
    bool zeroIsPlaceholder;
    std::vector<int32_t> second;
    std::vector<int32_t> expected; //!< reshaped dims (before the second transpose)
};

TEST(Shuffle, ReshapeWithPlaceholdersAndInference)
{
    kiln::test::Rng rng(32);
    const std::vector<ReshapeCase> cases = {
        {{2, 3, 4, 5}, {0, 1, 2, 3}, {0, -1, 5}, true, {0, 1, 2}, {2, 12, 5}},
        {{2, 3, 4, 5}, {0, 2, 1, 3}, {0, 0, -1}, true, {2, 1, 0}, {2, 4, 15}},
        {{6, 4}, {1, 0}, {-1}, true, {0}, {24}},
        {{6, 4}, {0, 1}, {3, 2, 1, 4}, false, {3, 1, 0, 2}, {3, 2, 1, 4}},
        {{1, 7, 1}, {2, 0, 1}, {7}, true, {0}, {7}},
        {{3, 5}, {0, 1}, {0, 1, -1}, true, {1, 2, 0}, {3, 1, 5}},
    };
    for (const ReshapeCase& c : cases)
    {
        NetworkHarness h;
        const HostTensor x = kiln::test::randomTensor(c.input, rng);
        IShuffleLayer* layer = h.network().addShuffle(*h.input("x", x));
        layer->setFirstTranspose(toPermutation(c.first));
        layer->setReshapeDimensions(toDims(c.reshape));
        layer->setZeroIsPlaceholder(c.zeroIsPlaceholder);
        EXPECT_EQ(layer->getZeroIsPlaceholder(), c.zeroIsPlaceholder);
        EXPECT_EQ(layer->getReshapeDimensions().nbDims, static_cast<int32_t>(c.reshape.size()));
        layer->setSecondTranspose(toPermutation(c.second));
        const Dims apiDims = layer->getOutput(0)->getDimensions();
        const std::vector<int32_t> outDims = permuted(c.expected, c.second);
        ASSERT_EQ(apiDims.nbDims, static_cast<int32_t>(outDims.size()));
        for (size_t i = 0; i < outDims.size(); ++i)
            EXPECT_EQ(apiDims.d[i], outDims[i]);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        const std::vector<double> t1 = transposed(asDoubles(x), c.input, c.first);
        kiln::test::expectClose(outs[0], outDims, transposed(t1, c.expected, c.second), 0, 0);
    }
}

TEST(Shuffle, ImplicitBatchReshapeKeepsTheBatch)
{
    kiln::test::Rng rng(33);
    for (const bool zeroIsPlaceholder : {true, false})
    {
        NetworkHarness h(false);
        h.setBatch(3);
        const HostTensor x = kiln::test::randomTensor({3, 2, 3, 4}, rng);
        IShuffleLayer* layer = h.network().addShuffle(*h.input("x", x));
        layer->setFirstTranspose(toPermutation({2, 0, 1}));
        layer->setReshapeDimensions(Dims2{-1, 6});
        layer->setZeroIsPlaceholder(zeroIsPlaceholder);
        const Dims d = layer->getOutput(0)->getDimensions();
        ASSERT_EQ(d.nbDims, 2);
        EXPECT_EQ(d.d[0], 4);
        EXPECT_EQ(d.d[1], 6);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        kiln::test::expectClose(outs[0], {3, 4, 6}, transposed(asDoubles(x), {3, 2, 3, 4}, {0, 3, 1, 2}), 0, 0);
    }
}

TEST(Shuffle, IntDataAndKnownValues)
{
    NetworkHarness h;
    const HostTensor x = HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6});
    IShuffleLayer* layer = h.network().addShuffle(*h.input("x", x));
    layer->setFirstTranspose(toPermutation({1, 0}));
    layer->setReshapeDimensions(toDims({6}));
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectEqualInts(outs[0], {6}, {1, 4, 2, 5, 3, 6});
}

TEST(Shuffle, ReshapeFromShapeTensorChain)
{
    // x [2,3,4] reshaped to [shape(x)[0], -1] = [2, 12] through Shape -> Gather -> Concatenation.
    kiln::test::Rng rng(34);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    ITensor* in = h.input("x", x);
    IShapeLayer* shape = h.network().addShape(*in);
    static const int32_t kFirst = 0;
    static const int32_t kMinusOne = -1;
    IConstantLayer* index = h.network().addConstant(toDims({1}), Weights{DataType::kINT32, &kFirst, 1});
    IGatherLayer* batch = h.network().addGather(*shape->getOutput(0), *index->getOutput(0), 0);
    IConstantLayer* rest = h.network().addConstant(toDims({1}), Weights{DataType::kINT32, &kMinusOne, 1});
    ITensor* parts[] = {batch->getOutput(0), rest->getOutput(0)};
    IConcatenationLayer* target = h.network().addConcatenation(parts, 2);
    IShuffleLayer* layer = h.network().addShuffle(*in);
    layer->setInput(1, *target->getOutput(0));
    EXPECT_TRUE(target->getOutput(0)->isShapeTensor());
    const Dims d = layer->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], 2);
    EXPECT_EQ(d.d[1], 12);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {2, 12}, asDoubles(x), 0, 0);
}

TEST(Shuffle, ReshapeFromShapeOfAnotherTensor)
{
    kiln::test::Rng rng(35);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({4, 6}, rng);
    const HostTensor like = kiln::test::randomTensor({3, 2, 4}, rng);
    ITensor* in = h.input("x", x);
    IShapeLayer* shape = h.network().addShape(*h.input("like", like));
    IShuffleLayer* layer = h.network().addShuffle(*in);
    layer->setFirstTranspose(toPermutation({1, 0}));
    layer->setInput(1, *shape->getOutput(0));
    h.markOutput(layer->getOutput(0));
    h.markOutput(shape->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    kiln::test::expectClose(outs[0], {3, 2, 4}, transposed(asDoubles(x), {4, 6}, {1, 0}), 0, 0);
    kiln::test::expectEqualInts(outs[1], {3}, {3, 2, 4});
}

struct BadCase
{
    const char* name;
    std::vector<int32_t> first;
    Dims reshape;
    bool setReshape;
    const char* message;
};

TEST(Shuffle, InvalidParametersFailTheBuildNamingTheLayer)
{
    const std::vector<BadCase> cases = {
        {"bad_perm", {1, 1, 0}, Dims{}, false, "not a permutation"},
        {"short_perm", {0, 3, 1}, Dims{}, false, "not a permutation"},
        {"bad_volume", {0, 1, 2}, Dims2{5, 5}, true, "volume"},
        {"two_inferred", {0, 1, 2}, Dims3{-1, -1, 2}, true, "more than one -1"},
        {"bad_infer", {0, 1, 2}, Dims2{-1, 7}, true, "cannot infer"},
        {"bad_copy", {0, 1, 2}, Dims4{0, 0, 0, 0}, true, "copies an input extent"},
        {"negative", {0, 1, 2}, Dims2{-2, 12}, true, "negative"},
    };
    for (const BadCase& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IShuffleLayer* layer = h.network().addShuffle(*h.input("x", HostTensor::zeros(DataType::kFLOAT, {2, 3, 4})));
        ASSERT_NE(layer, nullptr);
        layer->setName(c.name);
        layer->setFirstTranspose(toPermutation(c.first));
        if (c.setReshape)
            layer->setReshapeDimensions(c.reshape);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

TEST(Shuffle, ShapeTensorReshapeNeedsExplicitBatch)
{
    NetworkHarness h(false);
    h.logger().expectErrors();
    static const int32_t kDims[] = {4, 6};
    IConstantLayer* target = h.network().addConstant(toDims({2}), Weights{DataType::kINT32, kDims, 2});
    IShuffleLayer* layer = h.network().addShuffle(*h.input("x", HostTensor::zeros(DataType::kFLOAT, {1, 2, 3, 4})));
    layer->setName("implicit_reshape");
    layer->setInput(1, *target->getOutput(0));
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError("implicit_reshape")) << h.logger().errors();
}

} // namespace

namespace
{

TEST(Shuffle, DynamicBatchReshapeInfersTheRest)
{
    // [-1, 3, 4, 5] reshaped to [0, -1]: the unknown batch cancels, so the -1 is 60 at build time.
    kiln::test::Rng rng(36);
    NetworkHarness h;
    const HostTensor x = kiln::test::randomTensor({2, 3, 4, 5}, rng);
    ITensor* in = h.input("x", x);
    in->setDimensions(Dims4{-1, 3, 4, 5});
    IOptimizationProfile* profile = h.builder().createOptimizationProfile();
    profile->setDimensions("x", OptProfileSelector::kMIN, Dims4{1, 3, 4, 5});
    profile->setDimensions("x", OptProfileSelector::kOPT, Dims4{2, 3, 4, 5});
    profile->setDimensions("x", OptProfileSelector::kMAX, Dims4{4, 3, 4, 5});
    h.config().addOptimizationProfile(profile);
    IShuffleLayer* layer = h.network().addShuffle(*in);
    layer->setReshapeDimensions(Dims2{0, -1});
    const Dims d = layer->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], -1);
    EXPECT_EQ(d.d[1], 60);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], {2, 60}, asDoubles(x), 0, 0);
}

} // namespace
