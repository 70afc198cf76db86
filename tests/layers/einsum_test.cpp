// Einsum against a float64 reference written here: matrix products, transpose, sums, inner and
// outer products, diagonals, traces, a 3-operand chain, implicit outputs, ellipsis broadcasting,
// INT32, implicit batch (with a Constant operand), and bad equations and shapes.
#include "support/harness.h"

#include <map>
#include <ostream>
#include <string>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;

namespace
{

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> parts(1);
    for (char c : s)
    {
        if (c == sep)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    return parts;
}

double valueAt(const HostTensor& t, int64_t k)
{
    return t.type == DataType::kINT32 ? t.i[static_cast<size_t>(k)] : t.f[static_cast<size_t>(k)];
}

//! The test's own einsum on an explicit equation with one letter per axis and no ellipsis (write
//! "ABij,Bjk->ABik" for "...ij,...jk->...ik"). Enumerates every assignment of every letter and
//! adds each product into its output element; an extent of 1 broadcasts against a larger one.
std::vector<double> referenceEinsum(const std::string& equation, const std::vector<HostTensor>& ins, std::vector<int32_t>& outDims)
{
    const size_t arrow = equation.find("->");
    const std::vector<std::string> terms = split(equation.substr(0, arrow), ',');
    const std::string out = equation.substr(arrow + 2);
    std::map<char, int32_t> extents;
    for (size_t i = 0; i < terms.size(); ++i)
        for (size_t d = 0; d < terms[i].size(); ++d)
            extents[terms[i][d]] = std::max(extents[terms[i][d]], ins[i].dims[d]);
    outDims.clear();
    for (char c : out)
        outDims.push_back(extents[c]);
    int64_t outCount = 1;
    for (int32_t e : outDims)
        outCount *= e;
    std::vector<double> result(static_cast<size_t>(outCount), 0.0);

    std::map<char, int32_t> index;
    for (const auto& [c, e] : extents)
    {
        if (e == 0)
            return result;
        index[c] = 0;
    }
    const auto offset = [&](const std::string& term, const std::vector<int32_t>& dims) {
        int64_t o = 0;
        for (size_t d = 0; d < term.size(); ++d)
            o = o * dims[d] + (dims[d] == 1 ? 0 : index[term[d]]);
        return o;
    };
    while (true)
    {
        double product = 1;
        for (size_t i = 0; i < terms.size(); ++i)
            product *= valueAt(ins[i], offset(terms[i], ins[i].dims));
        result[static_cast<size_t>(offset(out, outDims))] += product;
        auto it = extents.rbegin();
        for (; it != extents.rend(); ++it)
        {
            if (++index[it->first] < it->second)
                break;
            index[it->first] = 0;
        }
        if (it == extents.rend())
            return result;
    }
}

struct Case
{
    const char* equation;   //!< given to the layer
    const char* reference;  //!< explicit, ellipsis spelled out as upper-case letters
    std::vector<std::vector<int32_t>> dims;
};

const Case kCases[] = {
    {"ij,jk->ik", "ij,jk->ik", {{3, 4}, {4, 5}}},                       // matmul
    {"bij,bjk->bik", "bij,bjk->bik", {{2, 3, 4}, {2, 4, 5}}},           // batch matmul
    {"ij->ji", "ij->ji", {{3, 5}}},                                     // transpose
    {"abcd->dbca", "abcd->dbca", {{2, 3, 1, 4}}},                        // permutation with a 1
    {"ij->", "ij->", {{4, 6}}},                                         // total sum
    {"ij->i", "ij->i", {{4, 6}}},                                       // row sums
    {"i,i->", "i,i->", {{7}, {7}}},                                     // inner product
    {"i,j->ij", "i,j->ij", {{3}, {4}}},                                 // outer product
    {"ij,ij->ij", "ij,ij->ij", {{3, 5}, {3, 5}}},                       // element-wise product
    {"ii->i", "ii->i", {{5, 5}}},                                       // diagonal
    {"iii->i", "iii->i", {{3, 3, 3}}},                                  // 3-way diagonal
    {"ii", "ii->", {{4, 4}}},                                           // trace (implicit: scalar)
    {"iji->j", "iji->j", {{3, 2, 3}}},                                  // partial trace
    {"ij,jk,kl->il", "ij,jk,kl->il", {{2, 3}, {3, 4}, {4, 5}}},         // 3-operand chain
    {"ij,jk", "ij,jk->ik", {{3, 4}, {4, 2}}},                           // implicit output
    {"ba", "ba->ab", {{3, 4}}},                                         // implicit: alphabetical
    {"bA,Ac", "bA,Ac->bc", {{2, 3}, {3, 4}}},                           // upper-case letters
    {"zB,a", "zB,a->Baz", {{2, 3}, {4}}},                               // implicit: ASCII order
    {" i j , j k -> i k ", "ij,jk->ik", {{2, 3}, {3, 2}}},              // spaces
    {"...ii->...i", "ABii->ABi", {{2, 3, 4, 4}}},                       // ellipsis diagonal
    {"...ij,...jk->...ik", "ABij,Bjk->ABik", {{2, 1, 3, 4}, {5, 4, 2}}}, // ellipsis broadcast
    {"...ij,...jk", "Aij,Ajk->Aik", {{3, 2, 4}, {1, 4, 2}}},             // ellipsis, implicit output
    {"i...->...", "iAB->AB", {{3, 2, 4}}},                              // ellipsis after letters
    {"...->...", "->", {{}}},                                           // empty ellipsis on a scalar
    {"...i->i", "ABi->i", {{2, 3, 4}}},                                 // ellipsis axes summed
    {"i->", "i->", {{1}}},                                              // size-1 sum
    {"ij,jk->ik", "ij,jk->ik", {{1, 1}, {1, 7}}},                       // size-1 matmul
    {"ij,jk->ik", "ij,jk->ik", {{17, 33}, {33, 9}}},                    // odd sizes
    {"ij,jk->ik", "ij,jk->ik", {{3, 0}, {0, 4}}},                       // empty sum: zeros
    {"ij->j", "ij->j", {{0, 3}}},                                       // empty input
};

void PrintTo(const Case& c, std::ostream* os)
{
    *os << '"' << c.equation << '"';
}

class EinsumTest : public ::testing::TestWithParam<Case>
{
};

TEST_P(EinsumTest, MatchesReference)
{
    const Case& c = GetParam();
    Rng rng(900 + static_cast<uint32_t>(std::string(c.equation).size()));
    SCOPED_TRACE(std::string("equation \"") + c.equation + "\", seed " + std::to_string(rng.seed()));
    NetworkHarness h;
    std::vector<HostTensor> values;
    std::vector<ITensor*> inputs;
    for (size_t i = 0; i < c.dims.size(); ++i)
    {
        values.push_back(kiln::test::randomTensor(c.dims[i], rng, -1.f, 1.f));
        inputs.push_back(h.input("x" + std::to_string(i), values.back()));
        ASSERT_NE(inputs.back(), nullptr);
    }
    IEinsumLayer* layer = h.network().addEinsum(inputs.data(), static_cast<int32_t>(inputs.size()), c.equation);
    ASSERT_NE(layer, nullptr) << h.logger().errors();
    EXPECT_EQ(layer->getType(), LayerType::kEINSUM);
    EXPECT_STREQ(layer->getEquation(), c.equation);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = referenceEinsum(c.reference, values, outDims);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Equations, EinsumTest, ::testing::ValuesIn(kCases));

TEST(Einsum, RandomExtents)
{
    Rng rng(4242);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    for (int iteration = 0; iteration < 6; ++iteration)
    {
        // "abc,cdb->da" with random extents a..d in 1..6, and a leading ellipsis of random rank on
        // the first operand ("...abc,cdb->...da").
        std::map<char, int32_t> e;
        for (char c : std::string("abcd"))
            e[c] = rng.uniformInt(1, 6);
        const int32_t extra = rng.uniformInt(0, 2);
        std::vector<int32_t> dims0;
        std::string ref0;
        for (int32_t k = 0; k < extra; ++k)
        {
            dims0.push_back(rng.uniformInt(1, 3));
            ref0 += static_cast<char>('A' + k);
        }
        for (char c : std::string("abc"))
            dims0.push_back(e[c]);
        const std::vector<int32_t> dims1 = {e['c'], e['d'], e['b']};
        NetworkHarness h;
        const std::vector<HostTensor> values = {kiln::test::randomTensor(dims0, rng), kiln::test::randomTensor(dims1, rng)};
        ITensor* inputs[] = {h.input("x0", values[0]), h.input("x1", values[1])};
        IEinsumLayer* layer = h.network().addEinsum(inputs, 2, "...abc,cdb->...da");
        ASSERT_NE(layer, nullptr);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<int32_t> outDims;
        const std::vector<double> expected = referenceEinsum(ref0 + "abc,cdb->" + ref0 + "da", values, outDims);
        kiln::test::expectClose(outs[0], outDims, expected);
    }
}

TEST(Einsum, Int32WrapsLikeTwosComplement)
{
    Rng rng(31);
    NetworkHarness h;
    const HostTensor a = kiln::test::randomInts({3, 4}, rng, -50, 50);
    const HostTensor b = kiln::test::randomInts({4, 5}, rng, -50, 50);
    ITensor* inputs[] = {h.input("a", a), h.input("b", b)};
    IEinsumLayer* layer = h.network().addEinsum(inputs, 2, "ij,jk->ik");
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->getOutput(0)->getType(), DataType::kINT32);
    const HostTensor big = HostTensor::ints({2}, {1 << 30, 3});
    ITensor* bigIn = h.input("big", big);
    IEinsumLayer* wrap = h.network().addEinsum(&bigIn, 1, "i->");
    ASSERT_NE(wrap, nullptr);
    h.markOutput(layer->getOutput(0));
    h.markOutput(wrap->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 2u);
    std::vector<int32_t> dims;
    const std::vector<double> ref = referenceEinsum("ij,jk->ik", {a, b}, dims);
    kiln::test::expectEqualInts(outs[0], dims, std::vector<int32_t>(ref.begin(), ref.end()));
    kiln::test::expectEqualInts(outs[1], {}, {static_cast<int32_t>((1u << 30) + 3u)});
}

TEST(Einsum, ImplicitBatchWithAConstantOperand)
{
    Rng rng(77);
    NetworkHarness h(false);
    h.setBatch(3);
    const HostTensor x = kiln::test::randomTensor({3, 2, 4}, rng);
    const HostTensor w = kiln::test::randomTensor({4, 5}, rng);
    ITensor* in = h.input("x", x);
    ASSERT_NE(in, nullptr);
    IConstantLayer* constant = h.network().addConstant(w.apiDims(), Weights{DataType::kFLOAT, w.f.data(), 20});
    ASSERT_NE(constant, nullptr);
    ITensor* inputs[] = {in, constant->getOutput(0)};
    IEinsumLayer* layer = h.network().addEinsum(inputs, 2, "ij,jk");
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->getOutput(0)->getDimensions().nbDims, 2);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<int32_t> dims;
    const HostTensor w3 = HostTensor::floats({1, 4, 5}, w.f);
    const std::vector<double> expected = referenceEinsum("bij,bjk->bik", {x, w3}, dims);
    kiln::test::expectClose(outs[0], dims, expected);
}

TEST(Einsum, BadEquationsAreRejectedByAddEinsum)
{
    NetworkHarness h;
    h.logger().expectErrors();
    ITensor* a = h.input("a", HostTensor::zeros(DataType::kFLOAT, {2, 3}));
    ITensor* b = h.input("b", HostTensor::zeros(DataType::kFLOAT, {3, 4}));
    ITensor* inputs[] = {a, b};
    for (const char* bad : {"ij,jk->ik->", "ij,jk-ik", "ij,jk>ik", "i.j,jk->ik", "i..j,jk", "......,jk", "ij,jk->ix",
             "ij,jk->ii", "i1,jk", "ij->ij", "ij,jk,kl->il", "ij,jk->i,k"})
    {
        h.logger().clear();
        EXPECT_EQ(h.network().addEinsum(inputs, 2, bad), nullptr) << bad;
        EXPECT_TRUE(h.logger().hasError("addEinsum")) << bad << ": " << h.logger().errors();
    }
    EXPECT_EQ(h.network().addEinsum(inputs, 2, nullptr), nullptr);
    EXPECT_EQ(h.network().addEinsum(inputs, 0, "->"), nullptr);
    EXPECT_EQ(h.network().addEinsum(nullptr, 2, "ij,jk->ik"), nullptr);
    EXPECT_EQ(h.network().addEinsum(inputs, 9, "ij,jk->ik"), nullptr);

    IEinsumLayer* layer = h.network().addEinsum(inputs, 2, "ij,jk->ik");
    ASSERT_NE(layer, nullptr);
    EXPECT_FALSE(layer->setEquation("ij,jk->q"));
    EXPECT_FALSE(layer->setEquation(nullptr));
    EXPECT_STREQ(layer->getEquation(), "ij,jk->ik");
    EXPECT_TRUE(layer->setEquation("ij,jk->ki"));
    EXPECT_STREQ(layer->getEquation(), "ij,jk->ki");
}

TEST(Einsum, RandomEquationsNeverCrash)
{
    Rng rng(555);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const std::string alphabet = "iijjkA.,->  ";
    for (int iteration = 0; iteration < 150; ++iteration)
    {
        std::string equation;
        const int32_t length = rng.uniformInt(0, 14);
        for (int32_t k = 0; k < length; ++k)
            equation += alphabet[static_cast<size_t>(rng.uniformInt(0, static_cast<int32_t>(alphabet.size()) - 1))];
        NetworkHarness h;
        h.logger().expectErrors();
        ITensor* inputs[] = {h.input("a", HostTensor::zeros(DataType::kFLOAT, {2, 2})),
            h.input("b", HostTensor::zeros(DataType::kFLOAT, {2, 1, 2}))};
        IEinsumLayer* layer = h.network().addEinsum(inputs, 2, equation.c_str());
        if (!layer)
        {
            EXPECT_TRUE(h.logger().hasError("addEinsum")) << equation;
            continue;
        }
        layer->setName("fuzzed");
        h.network().markOutput(*layer->getOutput(0));
        if (!h.build())
        {
            EXPECT_TRUE(h.logger().hasError("fuzzed")) << equation << ": " << h.logger().errors();
        }
    }
}

void expectBuildError(const std::vector<HostTensor>& values, const char* equation, const char* name)
{
    NetworkHarness h;
    h.logger().expectErrors();
    std::vector<ITensor*> inputs;
    for (size_t i = 0; i < values.size(); ++i)
        inputs.push_back(h.input("x" + std::to_string(i), values[i]));
    // Start from an equation that fits any inputs, then set the one under test.
    std::string any;
    for (size_t i = 0; i < values.size(); ++i)
        any += i ? ",..." : "...";
    IEinsumLayer* layer = h.network().addEinsum(inputs.data(), static_cast<int32_t>(inputs.size()), any.c_str());
    ASSERT_NE(layer, nullptr) << h.logger().errors();
    ASSERT_TRUE(layer->setEquation(equation)) << equation;
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr) << equation;
    EXPECT_TRUE(h.logger().hasError(name)) << equation << ": " << h.logger().errors();
}

TEST(Einsum, BadShapesAreReportedWithTheLayerName)
{
    const HostTensor m23 = HostTensor::zeros(DataType::kFLOAT, {2, 3});
    const HostTensor m34 = HostTensor::zeros(DataType::kFLOAT, {3, 4});
    const HostTensor m43 = HostTensor::zeros(DataType::kFLOAT, {4, 3});
    expectBuildError({m23, m43}, "ij,jk->ik", "einsum_extent");          // j: 3 vs 4
    expectBuildError({m23}, "ii->i", "einsum_diagonal");                 // diagonal of 2×3
    expectBuildError({m23}, "ijk->", "einsum_rank");                     // rank 2, three letters
    expectBuildError({m23}, "...ijk->", "einsum_ellipsis_rank");         // rank 2 < 3 letters
    expectBuildError({m23, m34}, "ij->ij", "einsum_terms");              // one term, two inputs
    expectBuildError({m23, m43}, "...,...->...", "einsum_broadcast");    // [2,3] vs [4,3]
    expectBuildError({m23, HostTensor::zeros(DataType::kINT32, {3, 4})}, "ij,jk->ik", "einsum_mixed");
    expectBuildError({HostTensor::zeros(DataType::kBOOL, {2})}, "i->i", "einsum_bool");
    const HostTensor r5 = HostTensor::zeros(DataType::kFLOAT, {1, 1, 1, 1, 1});
    expectBuildError({r5, r5}, "abcde,fghij->abcdefghij", "einsum_out_rank"); // output rank 10
}

} // namespace
