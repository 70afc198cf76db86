// The GEMM family's tactics (convolution im2col+GEMM and direct, fully connected, matrix multiply)
// against their reference kernels through checkTactic: groups, stride, dilation, every padding mode,
// 1×1 and 7×7 windows, tile-edge sizes, batches, every epilogue variant, and what supports() refuses.
#include "kernels/tactic_check.h"
#include "layers/convolution.h"
#include "layers/fully_connected.h"
#include "layers/matrix_multiply.h"

#include <cmath>
#include <deque>
#include <string>
#include <vector>

namespace
{

using namespace kiln;
using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::PaddingMode;

const ir::TensorDesc kAbsent{DataType::kFLOAT, invalidDims(), std::nullopt};

//! Weights that outlive the cases built from them.
class WeightStore
{
public:
    //! Seeded values in [-scale, scale).
    const std::vector<float>& make(size_t n, uint32_t seed, float scale)
    {
        mStore.push_back(test::randomFloats(n, seed, -scale, scale));
        return mStore.back();
    }

private:
    std::deque<std::vector<float>> mStore;
};

struct Conv
{
    std::vector<int32_t> input; //!< {..., C, H, W}
    int32_t maps{8};
    int32_t kh{3}, kw{3};
    int32_t sh{1}, sw{1};
    int32_t dh{1}, dw{1};
    int32_t preH{0}, preW{0}, postH{0}, postW{0};
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    int32_t groups{1};
    bool bias{true};
    bool residual{false};
    bool activation{false};
    ActivationType act{ActivationType::kRELU};
    float alpha{0.f}, beta{0.f};
};

nvinfer1::Dims toDims(const std::vector<int32_t>& v)
{
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(v.size());
    for (size_t i = 0; i < v.size(); ++i)
        d.d[i] = v[i];
    return d;
}

std::unique_ptr<layers::ConvolutionParams> convParams(const Conv& c, WeightStore& store, uint32_t seed)
{
    auto p = std::make_unique<layers::ConvolutionParams>();
    const int32_t channels = c.input[c.input.size() - 3];
    p->nbOutputMaps = c.maps;
    p->kernelSize = test::dims({c.kh, c.kw});
    p->stride = test::dims({c.sh, c.sw});
    p->dilation = test::dims({c.dh, c.dw});
    p->prePadding = test::dims({c.preH, c.preW});
    p->postPadding = test::dims({c.postH, c.postW});
    p->paddingMode = c.mode;
    p->nbGroups = c.groups;
    const int64_t depth = int64_t{channels} / c.groups * c.kh * c.kw;
    // Scaled so outputs stay O(1): float accumulation then meets the default tolerance.
    const auto& w = store.make(static_cast<size_t>(depth * c.maps), seed, 1.f / std::sqrt(static_cast<float>(depth)));
    p->kernelWeights = ir::WeightsRef{DataType::kFLOAT, w.data(), static_cast<int64_t>(w.size())};
    if (c.bias)
    {
        const auto& b = store.make(static_cast<size_t>(c.maps), seed + 1, 1.f);
        p->biasWeights = ir::WeightsRef{DataType::kFLOAT, b.data(), c.maps};
    }
    p->epilogue.hasResidual = c.residual;
    p->epilogue.hasActivation = c.activation;
    p->epilogue.activation = c.act;
    p->epilogue.alpha = c.alpha;
    p->epilogue.beta = c.beta;
    return p;
}

//! The case, or a failure if inferShapes refuses it (a test bug).
test::TacticCase convCase(const Conv& c, WeightStore& store, uint32_t seed)
{
    test::TacticCase tc;
    auto p = convParams(c, store, seed);
    const ir::TensorDesc in{DataType::kFLOAT, toDims(c.input), std::nullopt};
    tc.inputs = {in};
    if (c.residual)
    {
        // The residual has the output's dims: infer them without it first.
        p->epilogue.hasResidual = false;
        std::vector<const ir::TensorDesc*> ins{&in};
        ir::ShapeContext ctx("shape", p->kind(), ins, 1);
        EXPECT_TRUE(p->inferShapes(ctx));
        p->epilogue.hasResidual = true;
        tc.inputs = {in, kAbsent, kAbsent, {DataType::kFLOAT, ctx.outputs()[0].dims, std::nullopt}};
    }
    tc.params = std::move(p);
    tc.seed = seed;
    return tc;
}

const kernels::Tactic& tactic(const char* name)
{
    const kernels::Tactic* t = kernels::findTactic(name);
    EXPECT_NE(t, nullptr) << name;
    return *t;
}

const char* const kIm2col = "convolution.cpu.im2col_gemm.avx2";
const char* const kDirect = "convolution.cpu.direct.avx2";
const char* const kFc = "fullyconnected.cpu.gemm.avx2";
const char* const kMatMul = "matrixmultiply.cpu.gemm.avx2";

//! Runs \p c through every convolution tactic of the family that supports it; im2col must.
void checkConv(const Conv& c, uint32_t seed, bool directMustSupport = false)
{
    WeightStore store;
    for (const char* name : {kIm2col, kDirect})
    {
        const kernels::Tactic* t = kernels::findTactic(name);
        if (!t)
            continue;
        test::TacticCase tc = convCase(c, store, seed);
        std::vector<const ir::TensorDesc*> ins;
        for (const auto& d : tc.inputs)
            ins.push_back(d.dims.nbDims < 0 ? nullptr : &d);
        ir::ShapeContext ctx("shape", tc.params->kind(), ins, 1);
        ASSERT_TRUE(tc.params->inferShapes(ctx));
        const Status s = t->supports(*tc.params, tc.inputs, ctx.outputs());
        if (name == kDirect && !directMustSupport && !s)
            continue;
        EXPECT_TRUE(test::checkTactic(*t, tc)) << name << " seed " << seed;
    }
}

TEST(ConvGemm, Basic3x3AndTileEdges)
{
    uint32_t seed = 1;
    for (int32_t maps : {1, 5, 6, 7, 13, 16, 17})
        for (int32_t w : {1, 7, 15, 16, 17})
        {
            Conv c;
            c.input = {1, 3, 5, w};
            c.maps = maps;
            c.preH = c.preW = c.postH = c.postW = 1;
            checkConv(c, seed++, true);
        }
}

TEST(ConvGemm, DeepReductionAndBatch)
{
    Conv c;
    c.input = {3, 32, 9, 11}; // (C/G)·kh·kw = 288 > one K slice
    c.maps = 20;
    c.preH = c.preW = c.postH = c.postW = 1;
    checkConv(c, 11, true);
    c.input = {2, 3, 5, 6, 7}; // two leading dims
    checkConv(c, 12, true);
    c.input = {5, 6, 7}; // implicit batch
    checkConv(c, 13, true);
    c.preH = c.preW = c.postH = c.postW = 0; // no padding: direct reads the image in place
    c.input = {2, 6, 8, 9};
    checkConv(c, 14, true);
    c.input = {1, 6, 2, 2}; // the window covers the image: 1×1 output
    c.kh = c.kw = 2;
    checkConv(c, 15, true);
}

TEST(ConvGemm, Groups)
{
    Conv c;
    c.input = {2, 8, 9, 10};
    c.maps = 8;
    c.groups = 2;
    c.preH = c.preW = 1;
    c.postH = c.postW = 1;
    checkConv(c, 20);
    c.groups = 4;
    c.maps = 12;
    checkConv(c, 21);
    // Depthwise-like: one channel per group.
    c.input = {3, 6, 8, 9};
    c.maps = 6;
    c.groups = 6;
    checkConv(c, 22);
    c.maps = 12; // channel multiplier 2
    checkConv(c, 23);
}

TEST(ConvGemm, StrideDilationAndAsymmetricPadding)
{
    Conv c;
    c.input = {2, 5, 13, 12};
    c.maps = 9;
    c.sh = c.sw = 2;
    c.preH = 1;
    c.preW = 0;
    c.postH = 2;
    c.postW = 1;
    checkConv(c, 30, true);
    c.sh = 1;
    c.sw = 3;
    c.dh = c.dw = 2;
    checkConv(c, 31, true);
    c.sh = c.sw = 1;
    c.dh = 3;
    c.dw = 1;
    c.preH = c.postH = 3;
    checkConv(c, 32, true);
}

TEST(ConvGemm, PaddingModes)
{
    uint32_t seed = 40;
    for (PaddingMode mode : {PaddingMode::kSAME_UPPER, PaddingMode::kSAME_LOWER, PaddingMode::kCAFFE_ROUND_UP,
             PaddingMode::kEXPLICIT_ROUND_UP, PaddingMode::kCAFFE_ROUND_DOWN, PaddingMode::kEXPLICIT_ROUND_DOWN})
        for (int32_t stride : {1, 2, 3})
        {
            Conv c;
            c.input = {1, 4, 11, 10};
            c.maps = 7;
            c.kh = 4;
            c.kw = 3;
            c.sh = stride;
            c.sw = stride;
            c.preH = 1;
            c.preW = 2;
            c.postH = 0;
            c.postW = 1;
            c.mode = mode;
            checkConv(c, seed++, true);
        }
}

TEST(ConvGemm, PointwiseAndLargeWindows)
{
    Conv c;
    c.input = {2, 19, 7, 9};
    c.maps = 23;
    c.kh = c.kw = 1;
    checkConv(c, 50, true); // the image is B as it is
    c.sh = c.sw = 2;
    checkConv(c, 51, true);
    c.sh = c.sw = 1;
    c.preH = c.postW = 1;
    checkConv(c, 52, true);
    Conv big;
    big.input = {1, 3, 23, 21};
    big.maps = 17;
    big.kh = big.kw = 7;
    big.sh = big.sw = 2;
    big.preH = big.preW = big.postH = big.postW = 3;
    checkConv(big, 53, true);
    big.bias = false;
    checkConv(big, 54, true);
}

TEST(ConvGemm, EpilogueVariants)
{
    struct Act
    {
        ActivationType type;
        float alpha, beta;
    };
    const Act acts[] = {{ActivationType::kRELU, 0.f, 0.f}, {ActivationType::kLEAKY_RELU, 0.2f, 0.f},
        {ActivationType::kCLIP, -0.3f, 0.4f}, {ActivationType::kSIGMOID, 0.f, 0.f}, {ActivationType::kTANH, 0.f, 0.f},
        {ActivationType::kELU, 0.7f, 0.f}, {ActivationType::kSELU, 1.6f, 1.05f}, {ActivationType::kSOFTSIGN, 0.f, 0.f},
        {ActivationType::kSOFTPLUS, 1.f, 1.f}, {ActivationType::kHARD_SIGMOID, 0.2f, 0.5f},
        {ActivationType::kSCALED_TANH, 1.5f, 0.5f}, {ActivationType::kTHRESHOLDED_RELU, 0.1f, 0.f},
        {ActivationType::kGELU_ERF, 0.f, 0.f}, {ActivationType::kGELU_TANH, 0.f, 0.f}};
    uint32_t seed = 60;
    for (bool residual : {false, true})
    {
        Conv c;
        c.input = {3, 4, 6, 17};
        c.maps = 10;
        c.preH = c.preW = c.postH = c.postW = 1;
        c.residual = residual;
        checkConv(c, seed++, true);
        for (const Act& a : acts)
        {
            c.activation = true;
            c.act = a.type;
            c.alpha = a.alpha;
            c.beta = a.beta;
            checkConv(c, seed++, true);
        }
        // Pointwise path with residual and activation.
        c.kh = c.kw = 1;
        c.preH = c.preW = c.postH = c.postW = 0;
        c.act = ActivationType::kRELU;
        checkConv(c, seed++, true);
    }
}

TEST(ConvGemm, SupportsRefusesWhatItCannotRun)
{
    WeightStore store;
    const kernels::Tactic& t = tactic(kIm2col);
    Conv c;
    c.input = {1, 4, 8, 8};
    test::TacticCase tc = convCase(c, store, 1);
    ir::TensorDesc out{DataType::kFLOAT, test::dims({1, 8, 6, 6}), std::nullopt};
    EXPECT_TRUE(t.supports(*tc.params, tc.inputs, {out}));

    auto& p = static_cast<layers::ConvolutionParams&>(*tc.params);
    // 3-D convolution.
    auto p3 = p;
    p3.kernelSize = test::dims({3, 3, 3});
    p3.stride = p3.dilation = test::dims({1, 1, 1});
    p3.prePadding = p3.postPadding = test::dims({0, 0, 0});
    EXPECT_FALSE(t.supports(p3, {{DataType::kFLOAT, test::dims({1, 4, 8, 8, 8}), std::nullopt}},
        {{DataType::kFLOAT, test::dims({1, 8, 6, 6, 6}), std::nullopt}}));
    // Wrong weight count, groups not dividing, bad stride, unknown padding mode, HALF tensors.
    auto bad = p;
    bad.kernelWeights.count -= 1;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.nbGroups = 3;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.nbGroups = 0;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.stride = test::dims({0, 1});
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.paddingMode = static_cast<PaddingMode>(42);
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.biasWeights.count = 3;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    auto half = tc.inputs;
    half[0].type = DataType::kHALF;
    EXPECT_FALSE(t.supports(p, half, {out}));
    // Kernel as a tensor input; residual missing; wrong output maps; non-convolution params.
    auto withKernel = tc.inputs;
    withKernel.push_back({DataType::kFLOAT, test::dims({8, 4, 3, 3}), std::nullopt});
    EXPECT_FALSE(t.supports(p, withKernel, {out}));
    auto res = p;
    res.epilogue.hasResidual = true;
    EXPECT_FALSE(t.supports(res, tc.inputs, {out}));
    EXPECT_FALSE(t.supports(p, tc.inputs, {{DataType::kFLOAT, test::dims({1, 9, 6, 6}), std::nullopt}}));
    layers::FullyConnectedParams fc;
    EXPECT_FALSE(t.supports(fc, tc.inputs, {out}));

    // The direct tactic runs one group only, and refuses what im2col refuses.
    const kernels::Tactic& direct = tactic(kDirect);
    EXPECT_TRUE(direct.supports(p, tc.inputs, {out}));
    auto grouped = p;
    grouped.nbGroups = 2;
    grouped.kernelWeights.count /= 2;
    EXPECT_TRUE(t.supports(grouped, tc.inputs, {out}));
    EXPECT_FALSE(direct.supports(grouped, tc.inputs, {out}));
    EXPECT_FALSE(direct.supports(p3, {{DataType::kFLOAT, test::dims({1, 4, 8, 8, 8}), std::nullopt}},
        {{DataType::kFLOAT, test::dims({1, 8, 6, 6, 6}), std::nullopt}}));
    EXPECT_FALSE(direct.supports(res, tc.inputs, {out}));
}

// ---- Fully connected -------------------------------------------------------------------------

test::TacticCase fcCase(WeightStore& store, std::vector<int32_t> input, int32_t outputs, bool bias, uint32_t seed)
{
    auto p = std::make_unique<layers::FullyConnectedParams>();
    const size_t r = input.size();
    const int64_t v = int64_t{input[r - 3]} * input[r - 2] * input[r - 1];
    p->nbOutputs = outputs;
    const auto& w = store.make(static_cast<size_t>(v * outputs), seed, 1.f / std::sqrt(static_cast<float>(std::max<int64_t>(v, 1))));
    p->kernel = ir::WeightsRef{DataType::kFLOAT, w.data(), static_cast<int64_t>(w.size())};
    if (bias)
    {
        const auto& b = store.make(static_cast<size_t>(outputs), seed + 1, 1.f);
        p->bias = ir::WeightsRef{DataType::kFLOAT, b.data(), outputs};
    }
    test::TacticCase tc;
    tc.params = std::move(p);
    tc.inputs = {{DataType::kFLOAT, toDims(input), std::nullopt}};
    tc.seed = seed;
    return tc;
}

TEST(FullyConnectedGemm, RanksSizesAndBias)
{
    WeightStore store;
    const kernels::Tactic& t = tactic(kFc);
    uint32_t seed = 100;
    for (int32_t outputs : {1, 7, 16, 17, 33})
        for (const std::vector<int32_t>& in :
            {std::vector<int32_t>{5, 1, 1}, {1, 9, 2, 3}, {3, 300, 1, 1}, {2, 3, 4, 3, 5}, {7, 16, 1, 1}})
            for (bool bias : {true, false})
                EXPECT_TRUE(test::checkTactic(t, fcCase(store, in, outputs, bias, seed++))) << seed;
}

TEST(FullyConnectedGemm, Activations)
{
    WeightStore store;
    const kernels::Tactic& t = tactic(kFc);
    uint32_t seed = 200;
    for (ActivationType a : {ActivationType::kRELU, ActivationType::kLEAKY_RELU, ActivationType::kCLIP,
             ActivationType::kSIGMOID, ActivationType::kGELU_TANH})
    {
        test::TacticCase tc = fcCase(store, {3, 20, 1, 1}, 19, true, seed++);
        auto& p = static_cast<layers::FullyConnectedParams&>(*tc.params);
        p.epilogue.hasActivation = true;
        p.epilogue.activation = a;
        p.epilogue.alpha = 0.1f;
        p.epilogue.beta = 0.3f;
        EXPECT_TRUE(test::checkTactic(t, tc));
    }
}

TEST(FullyConnectedGemm, SupportsRefusesWhatItCannotRun)
{
    WeightStore store;
    const kernels::Tactic& t = tactic(kFc);
    test::TacticCase tc = fcCase(store, {2, 4, 1, 1}, 3, true, 1);
    const ir::TensorDesc out{DataType::kFLOAT, test::dims({2, 3, 1, 1}), std::nullopt};
    auto& p = static_cast<layers::FullyConnectedParams&>(*tc.params);
    EXPECT_TRUE(t.supports(p, tc.inputs, {out}));
    auto bad = p;
    bad.epilogue.hasResidual = true;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.kernel.count = 5;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    bad = p;
    bad.bias.count = 2;
    EXPECT_FALSE(t.supports(bad, tc.inputs, {out}));
    EXPECT_FALSE(t.supports(p, {{DataType::kFLOAT, test::dims({4, 1}), std::nullopt}}, {out}));
    EXPECT_FALSE(t.supports(p, tc.inputs, {{DataType::kFLOAT, test::dims({2, 4, 1, 1}), std::nullopt}}));
}

// ---- Matrix multiply -------------------------------------------------------------------------

using nvinfer1::MatrixOperation;

//! Operand dims for batch \p batch, matrix extents (rows, cols) as the operation reads them.
std::vector<int32_t> operand(std::vector<int32_t> batch, MatrixOperation op, int32_t row, int32_t k, bool left)
{
    if (op == MatrixOperation::kVECTOR)
        batch.push_back(k);
    else
    {
        const bool rowFirst = left == (op == MatrixOperation::kNONE);
        batch.push_back(rowFirst ? row : k);
        batch.push_back(rowFirst ? k : row);
    }
    return batch;
}

TEST(MatrixMultiplyGemm, EveryOperationCombinationAndBroadcast)
{
    const kernels::Tactic& t = tactic(kMatMul);
    const MatrixOperation ops[] = {MatrixOperation::kNONE, MatrixOperation::kTRANSPOSE, MatrixOperation::kVECTOR};
    struct Batch
    {
        std::vector<int32_t> a, b;
    };
    const Batch batches[] = {{{}, {}}, {{3}, {3}}, {{2, 1}, {1, 3}}, {{1}, {4}}};
    struct Size
    {
        int32_t m, n, k;
    };
    const Size sizes[] = {{7, 17, 9}, {1, 16, 300}, {13, 1, 5}, {6, 33, 0}};
    uint32_t seed = 300;
    for (MatrixOperation op0 : ops)
        for (MatrixOperation op1 : ops)
            for (const Batch& b : batches)
                for (const Size& s : sizes)
                {
                    auto p = std::make_unique<layers::MatrixMultiplyParams>();
                    p->op0 = op0;
                    p->op1 = op1;
                    test::TacticCase tc;
                    tc.params = std::move(p);
                    tc.inputs = {{DataType::kFLOAT, toDims(operand(b.a, op0, s.m, s.k, true)), std::nullopt},
                        {DataType::kFLOAT, toDims(operand(b.b, op1, s.n, s.k, false)), std::nullopt}};
                    tc.seed = seed++;
                    // The reference accumulates in float too, in another order: allow for K terms.
                    tc.atol = 1e-5f * static_cast<float>(1 + s.k);
                    EXPECT_TRUE(test::checkTactic(t, tc))
                        << "op0 " << static_cast<int>(op0) << " op1 " << static_cast<int>(op1) << " m" << s.m << " n"
                        << s.n << " k" << s.k << " batch " << b.a.size();
                }
}

TEST(MatrixMultiplyGemm, SupportsRefusesWhatItCannotRun)
{
    const kernels::Tactic& t = tactic(kMatMul);
    layers::MatrixMultiplyParams p;
    const ir::TensorDesc a{DataType::kFLOAT, test::dims({2, 3, 4}), std::nullopt};
    const ir::TensorDesc b{DataType::kFLOAT, test::dims({2, 4, 5}), std::nullopt};
    const ir::TensorDesc c{DataType::kFLOAT, test::dims({2, 3, 5}), std::nullopt};
    EXPECT_TRUE(t.supports(p, {a, b}, {c}));
    EXPECT_FALSE(t.supports(p, {a, a}, {c}));                                                           // K differs
    EXPECT_FALSE(t.supports(p, {a, b}, {{DataType::kFLOAT, test::dims({2, 3, 6}), std::nullopt}}));     // wrong N
    EXPECT_FALSE(t.supports(p, {a, {DataType::kFLOAT, test::dims({4, 5}), std::nullopt}}, {c}));       // batch ranks
    EXPECT_FALSE(t.supports(p, {a, {DataType::kFLOAT, test::dims({3, 4, 5}), std::nullopt}}, {c}));    // broadcast
    EXPECT_FALSE(t.supports(p, {a, {DataType::kHALF, test::dims({2, 4, 5}), std::nullopt}}, {c}));     // type
    auto badOp = p;
    badOp.op0 = static_cast<MatrixOperation>(7);
    EXPECT_FALSE(t.supports(badOp, {a, b}, {c}));
}

} // namespace
