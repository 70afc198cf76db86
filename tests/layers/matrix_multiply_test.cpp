// MatrixMultiply against a float64 reference: all nine operation pairs (kNONE, kTRANSPOSE,
// kVECTOR), broadcast batch dims, both batch modes, the deprecated bool forms, invalid inputs.
#include "support/harness.h"

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;

namespace
{

//! Operand dims for batch dims \p batch and an op(X) of rows×cols; the vector form keeps only
//! the reduction extent (cols of the left operand, rows of the right one).
std::vector<int32_t> operandDims(
    const std::vector<int32_t>& batch, MatrixOperation op, int32_t rows, int32_t cols, bool left)
{
    std::vector<int32_t> d = batch;
    if (op == MatrixOperation::kNONE)
        d.insert(d.end(), {rows, cols});
    else if (op == MatrixOperation::kTRANSPOSE)
        d.insert(d.end(), {cols, rows});
    else
        d.push_back(left ? cols : rows);
    return d;
}

//! op0(A)·op1(B): op0(A) is M×K (1×K for a vector), op1(B) is K×N (K×1 for a vector).
std::vector<double> multiplied(const HostTensor& a, MatrixOperation op0, const HostTensor& b, MatrixOperation op1,
    const std::vector<int32_t>& batchA, const std::vector<int32_t>& batchB, int32_t m, int32_t k, int32_t n,
    std::vector<int32_t>& outDims)
{
    const size_t rank = batchA.size();
    std::vector<int32_t> batch(rank);
    for (size_t i = 0; i < rank; ++i)
        batch[i] = std::max(batchA[i], batchB[i]);
    outDims = batch;
    if (op0 != MatrixOperation::kVECTOR)
        outDims.push_back(m);
    if (op1 != MatrixOperation::kVECTOR)
        outDims.push_back(n);
    const int64_t mA = op0 == MatrixOperation::kVECTOR ? k : int64_t(m) * k;
    const int64_t mB = op1 == MatrixOperation::kVECTOR ? k : int64_t(k) * n;
    int64_t count = 1;
    for (int32_t e : batch)
        count *= e;
    std::vector<double> out;
    std::vector<int32_t> c(rank, 0);
    for (int64_t bi = 0; bi < count; ++bi)
    {
        int64_t ia = 0, ib = 0;
        for (size_t i = 0; i < rank; ++i)
        {
            ia = ia * batchA[i] + (batchA[i] == 1 ? 0 : c[i]);
            ib = ib * batchB[i] + (batchB[i] == 1 ? 0 : c[i]);
        }
        const float* pa = a.f.data() + ia * mA;
        const float* pb = b.f.data() + ib * mB;
        for (int32_t i = 0; i < (op0 == MatrixOperation::kVECTOR ? 1 : m); ++i)
            for (int32_t j = 0; j < (op1 == MatrixOperation::kVECTOR ? 1 : n); ++j)
            {
                double acc = 0;
                for (int32_t t = 0; t < k; ++t)
                {
                    const double av = op0 == MatrixOperation::kNONE ? pa[i * k + t]
                        : op0 == MatrixOperation::kTRANSPOSE        ? pa[t * m + i]
                                                                    : pa[t];
                    const double bv = op1 == MatrixOperation::kNONE ? pb[t * n + j]
                        : op1 == MatrixOperation::kTRANSPOSE        ? pb[j * k + t]
                                                                    : pb[t];
                    acc += av * bv;
                }
                out.push_back(acc);
            }
        for (size_t i = rank; i-- > 0;)
        {
            if (++c[i] < batch[i])
                break;
            c[i] = 0;
        }
    }
    return out;
}

class MatrixMultiplyTest : public ::testing::TestWithParam<std::tuple<MatrixOperation, MatrixOperation>>
{
};

TEST_P(MatrixMultiplyTest, BroadcastBatchesMatchReference)
{
    const auto [op0, op1] = GetParam();
    kiln::test::Rng rng(81 + 3 * static_cast<uint32_t>(op0) + static_cast<uint32_t>(op1));
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    struct Shape
    {
        std::vector<int32_t> batchA, batchB;
        int32_t m, k, n;
    };
    const std::vector<Shape> shapes = {
        {{}, {}, 3, 4, 5},
        {{2}, {2}, 1, 7, 1},
        {{2, 1}, {1, 3}, 5, 3, 2},
        {{1}, {4}, 17, 9, 13},
        {{3, 2}, {3, 2}, 2, 1, 3},
    };
    for (const Shape& s : shapes)
    {
        NetworkHarness h;
        const HostTensor a = kiln::test::randomTensor(operandDims(s.batchA, op0, s.m, s.k, true), rng);
        const HostTensor b = kiln::test::randomTensor(operandDims(s.batchB, op1, s.k, s.n, false), rng);
        IMatrixMultiplyLayer* layer = h.network().addMatrixMultiply(*h.input("a", a), op0, *h.input("b", b), op1);
        ASSERT_NE(layer, nullptr);
        EXPECT_EQ(layer->getType(), LayerType::kMATRIX_MULTIPLY);
        EXPECT_EQ(layer->getOperation(0), op0);
        EXPECT_EQ(layer->getOperation(1), op1);
        h.markOutput(layer->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<int32_t> outDims;
        const std::vector<double> expected = multiplied(a, op0, b, op1, s.batchA, s.batchB, s.m, s.k, s.n, outDims);
        kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
    }
}

INSTANTIATE_TEST_SUITE_P(AllOperations, MatrixMultiplyTest,
    ::testing::Combine(::testing::Values(MatrixOperation::kNONE, MatrixOperation::kTRANSPOSE, MatrixOperation::kVECTOR),
        ::testing::Values(MatrixOperation::kNONE, MatrixOperation::kTRANSPOSE, MatrixOperation::kVECTOR)));

TEST(MatrixMultiply, ImplicitBatchWithAConstantOperand)
{
    // x {M, K} per item times a constant {K, N}, which is broadcast across the batch.
    kiln::test::Rng rng(82);
    NetworkHarness h(false);
    h.setBatch(3);
    const HostTensor x = kiln::test::randomTensor({3, 4, 6}, rng);
    const HostTensor w = kiln::test::randomTensor({1, 6, 5}, rng);
    IConstantLayer* c = h.network().addConstant(Dims2{6, 5}, Weights{DataType::kFLOAT, w.f.data(), 30});
    IMatrixMultiplyLayer* layer = h.network().addMatrixMultiply(
        *h.input("x", x), MatrixOperation::kNONE, *c->getOutput(0), MatrixOperation::kNONE);
    const Dims d = layer->getOutput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, 2);
    EXPECT_EQ(d.d[0], 4);
    EXPECT_EQ(d.d[1], 5);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = multiplied(
        x, MatrixOperation::kNONE, w, MatrixOperation::kNONE, {3}, {1}, 4, 6, 5, outDims);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
}

TEST(MatrixMultiply, DeprecatedTransposeForms)
{
    kiln::test::Rng rng(83);
    NetworkHarness h;
    const HostTensor a = kiln::test::randomTensor({4, 3}, rng); // transposed: 3×4
    const HostTensor b = kiln::test::randomTensor({4, 2}, rng);
    IMatrixMultiplyLayer* layer = h.network().addMatrixMultiply(*h.input("a", a), true, *h.input("b", b), true);
    EXPECT_TRUE(layer->getTranspose(0));
    EXPECT_EQ(layer->getOperation(0), MatrixOperation::kTRANSPOSE);
    layer->setTranspose(1, false);
    EXPECT_FALSE(layer->getTranspose(1));
    EXPECT_EQ(layer->getOperation(1), MatrixOperation::kNONE);
    h.markOutput(layer->getOutput(0));
    const auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    std::vector<int32_t> outDims;
    const std::vector<double> expected = multiplied(
        a, MatrixOperation::kTRANSPOSE, b, MatrixOperation::kNONE, {}, {}, 3, 4, 2, outDims);
    kiln::test::expectClose(outs[0], outDims, expected, 1e-5, 1e-5);
}

TEST(MatrixMultiply, InvalidInputsFailTheBuildNamingTheLayer)
{
    struct Case
    {
        const char* name;
        std::vector<int32_t> a, b;
        MatrixOperation op0, op1;
        DataType type;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"k_mismatch", {2, 3}, {4, 5}, MatrixOperation::kNONE, MatrixOperation::kNONE, DataType::kFLOAT, "reduction"},
        {"batch_rank", {2, 2, 3}, {3, 5}, MatrixOperation::kNONE, MatrixOperation::kNONE, DataType::kFLOAT, "batch"},
        {"batch_extent", {2, 2, 3}, {3, 3, 5}, MatrixOperation::kNONE, MatrixOperation::kNONE, DataType::kFLOAT,
            "broadcast"},
        {"vector_rank", {2, 3}, {3}, MatrixOperation::kVECTOR, MatrixOperation::kVECTOR, DataType::kFLOAT, "batch"},
        {"int_input", {2, 3}, {3, 2}, MatrixOperation::kNONE, MatrixOperation::kNONE, DataType::kINT32, "INT32"},
        {"bad_op", {2, 3}, {3, 2}, static_cast<MatrixOperation>(5), MatrixOperation::kNONE, DataType::kFLOAT,
            "operation"},
    };
    for (const Case& c : cases)
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IMatrixMultiplyLayer* layer = h.network().addMatrixMultiply(
            *h.input("a", HostTensor::zeros(c.type, c.a)), c.op0, *h.input("b", HostTensor::zeros(c.type, c.b)), c.op1);
        ASSERT_NE(layer, nullptr) << c.name;
        layer->setName(c.name);
        h.network().markOutput(*layer->getOutput(0));
        EXPECT_EQ(h.build(), nullptr) << c.name;
        EXPECT_TRUE(h.logger().hasError(c.name)) << h.logger().errors();
        EXPECT_TRUE(h.logger().hasError(c.message)) << h.logger().errors();
    }
}

} // namespace
