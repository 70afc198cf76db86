// The oneDNN tactics (kernels/cpu/onednn/) against the reference kernels: convolution in both
// variants over groups, strides, dilation, asymmetric padding, every padding mode, 1×1, 3-D, batch
// 1 and 3 and each epilogue; fully connected over ranks 3 to 5 with activations; matrix multiply
// over operation combinations and batch broadcast; pooling modes. Also what supports() refuses.
#include "kernels/tactic_check.h"
#include "layers/convolution.h"
#include "layers/fully_connected.h"
#include "layers/matrix_multiply.h"
#include "layers/pooling.h"

#include <deque>

namespace
{

using namespace kiln;
using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::MatrixOperation;
using nvinfer1::PaddingMode;
using nvinfer1::PoolingType;

const ir::TensorDesc kAbsent{DataType::kFLOAT, kiln::invalidDims(), std::nullopt};

ir::TensorDesc floatTensor(const nvinfer1::Dims& d)
{
    return ir::TensorDesc{DataType::kFLOAT, d, std::nullopt};
}

//! Weights that outlive the cases built from them.
const float* keep(std::vector<float> values)
{
    static std::deque<std::vector<float>> store;
    store.push_back(std::move(values));
    return store.back().data();
}

//! The output dims shape inference gives.
nvinfer1::Dims outputDims(const ir::LayerParams& p, const std::vector<ir::TensorDesc>& inputs)
{
    std::vector<const ir::TensorDesc*> ptrs;
    for (const auto& d : inputs)
        ptrs.push_back(d.dims.nbDims < 0 ? nullptr : &d);
    ir::ShapeContext ctx("case", p.kind(), ptrs, p.nbOutputs());
    EXPECT_TRUE(p.inferShapes(ctx));
    return ctx.outputs()[0].dims;
}

std::vector<const kernels::Tactic*> onednnTactics(ir::LayerKind kind)
{
    return test::tacticsOf(kind, "onednn");
}

// ---------------------------------------------------------------------------------------------
// Convolution

struct Conv
{
    nvinfer1::Dims input;
    int32_t maps{8};
    nvinfer1::Dims kernel{test::dims({3, 3})};
    nvinfer1::Dims stride{};
    nvinfer1::Dims pre{};
    nvinfer1::Dims post{};
    nvinfer1::Dims dilation{};
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    int32_t groups{1};
    bool bias{true};
    layers::Epilogue epilogue{};

    Conv& k(std::initializer_list<int32_t> v) { kernel = test::dims(v); return *this; }
    Conv& s(std::initializer_list<int32_t> v) { stride = test::dims(v); return *this; }
    Conv& pad(std::initializer_list<int32_t> b, std::initializer_list<int32_t> a) { pre = test::dims(b); post = test::dims(a); return *this; }
    Conv& d(std::initializer_list<int32_t> v) { dilation = test::dims(v); return *this; }
    Conv& m(PaddingMode v) { mode = v; return *this; }
    Conv& g(int32_t v) { groups = v; return *this; }
    Conv& noBias() { bias = false; return *this; }
    Conv& act(ActivationType t, float a = 0.f, float b = 0.f)
    {
        epilogue.hasActivation = true;
        epilogue.activation = t;
        epilogue.alpha = a;
        epilogue.beta = b;
        return *this;
    }
    Conv& residual() { epilogue.hasResidual = true; return *this; }
};

nvinfer1::Dims filled(int32_t n, int32_t v)
{
    nvinfer1::Dims d{};
    d.nbDims = n;
    for (int32_t i = 0; i < n; ++i)
        d.d[i] = v;
    return d;
}

test::TacticCase convCase(const Conv& c, uint32_t seed = 1)
{
    const int32_t sp = c.kernel.nbDims;
    auto p = std::make_unique<layers::ConvolutionParams>();
    p->nbOutputMaps = c.maps;
    p->kernelSize = c.kernel;
    p->stride = c.stride.nbDims ? c.stride : filled(sp, 1);
    p->prePadding = c.pre.nbDims ? c.pre : filled(sp, 0);
    p->postPadding = c.post.nbDims ? c.post : filled(sp, 0);
    p->dilation = c.dilation.nbDims ? c.dilation : filled(sp, 1);
    p->paddingMode = c.mode;
    p->nbGroups = c.groups;
    const int32_t channels = c.input.d[c.input.nbDims - sp - 1];
    const int64_t count = int64_t{c.maps} * (channels / c.groups) * volume(c.kernel);
    p->kernelWeights = ir::WeightsRef{DataType::kFLOAT, keep(test::randomFloats(static_cast<size_t>(count), seed + 7)), count};
    if (c.bias)
        p->biasWeights = ir::WeightsRef{DataType::kFLOAT, keep(test::randomFloats(static_cast<size_t>(c.maps), seed + 9)), c.maps};
    p->epilogue = c.epilogue;
    test::TacticCase t;
    t.seed = seed;
    t.inputs = {floatTensor(c.input)};
    if (c.epilogue.hasResidual)
    {
        p->epilogue.hasResidual = false;
        const nvinfer1::Dims out = outputDims(*p, t.inputs);
        p->epilogue.hasResidual = true;
        t.inputs = {floatTensor(c.input), kAbsent, kAbsent, floatTensor(out)};
    }
    t.params = std::move(p);
    return t;
}

void expectConvolution(const Conv& c, const std::string& what)
{
    const auto tactics = onednnTactics(ir::LayerKind::kConvolution);
    ASSERT_EQ(tactics.size(), 2u);
    for (const kernels::Tactic* t : tactics)
        EXPECT_TRUE(test::checkTactic(*t, convCase(c))) << what;
}

TEST(OnednnConvolution, ChannelsAroundVectorEdges)
{
    for (int32_t channels : {1, 7, 8, 9, 16, 17})
        for (int32_t maps : {1, 8, 15, 17})
            expectConvolution(Conv{test::dims({1, channels, 7, 9}), maps}.pad({1, 1}, {1, 1}),
                "C=" + std::to_string(channels) + " K=" + std::to_string(maps));
}

TEST(OnednnConvolution, BatchAndLeadingAxes)
{
    expectConvolution(Conv{test::dims({3, 16, 9, 9}), 16}.pad({1, 1}, {1, 1}), "batch 3");
    expectConvolution(Conv{test::dims({5, 9, 8}), 4}, "rank 3, no batch axis");
    expectConvolution(Conv{test::dims({2, 3, 4, 6, 6}), 8}.pad({1, 1}, {1, 1}), "two leading axes");
}

TEST(OnednnConvolution, GroupsStrideDilationPadding)
{
    expectConvolution(Conv{test::dims({2, 16, 9, 9}), 32}.g(2).pad({1, 1}, {1, 1}), "2 groups");
    expectConvolution(Conv{test::dims({1, 9, 8, 8}), 6}.g(3), "3 groups of 3");
    expectConvolution(Conv{test::dims({2, 16, 10, 10}), 16}.g(16).pad({1, 1}, {1, 1}), "depthwise");
    expectConvolution(Conv{test::dims({1, 16, 15, 15}), 16}.g(16).s({2, 2}).pad({1, 1}, {1, 1}), "depthwise stride 2");
    expectConvolution(Conv{test::dims({1, 8, 17, 16}), 16}.s({2, 2}).pad({1, 1}, {1, 1}), "stride 2");
    expectConvolution(Conv{test::dims({1, 8, 16, 17}), 8}.s({1, 3}).k({3, 5}), "stride 1×3, 3×5 kernel");
    expectConvolution(Conv{test::dims({1, 8, 13, 13}), 16}.d({2, 2}).pad({2, 2}, {2, 2}), "dilation 2");
    expectConvolution(Conv{test::dims({1, 4, 13, 12}), 8}.d({3, 1}).s({2, 1}), "dilation 3×1 stride 2×1");
    expectConvolution(Conv{test::dims({2, 8, 9, 10}), 8}.pad({1, 0}, {0, 2}), "asymmetric padding");
    expectConvolution(Conv{test::dims({1, 8, 9, 10}), 8}.pad({2, 3}, {3, 2}), "padding larger than half the kernel");
    expectConvolution(Conv{test::dims({3, 64, 7, 7}), 32}.k({1, 1}), "1×1");
    expectConvolution(Conv{test::dims({1, 32, 9, 9}), 16}.k({1, 1}).s({2, 2}), "1×1 stride 2");
    expectConvolution(Conv{test::dims({1, 3, 23, 23}), 16}.k({7, 7}).s({2, 2}).pad({3, 3}, {3, 3}), "7×7 stride 2, 3 channels");
    expectConvolution(Conv{test::dims({1, 8, 9, 9}), 8}.noBias(), "no bias");
}

TEST(OnednnConvolution, EveryPaddingMode)
{
    for (PaddingMode mode : {PaddingMode::kEXPLICIT_ROUND_DOWN, PaddingMode::kEXPLICIT_ROUND_UP, PaddingMode::kSAME_UPPER,
             PaddingMode::kSAME_LOWER, PaddingMode::kCAFFE_ROUND_DOWN, PaddingMode::kCAFFE_ROUND_UP})
        for (int32_t size : {8, 9, 10})
        {
            const std::string what = "mode " + std::to_string(static_cast<int>(mode)) + " size " + std::to_string(size);
            expectConvolution(Conv{test::dims({1, 8, size, size + 1}), 8}.s({2, 3}).pad({1, 0}, {1, 1}).m(mode), what);
            expectConvolution(Conv{test::dims({1, 8, size, size}), 8}.k({4, 2}).s({3, 2}).d({1, 2}).m(mode), what + " dilated");
        }
}

TEST(OnednnConvolution, ThreeDimensional)
{
    expectConvolution(Conv{test::dims({2, 8, 5, 6, 7}), 16}.k({3, 3, 3}).pad({1, 1, 1}, {1, 1, 1}), "3-D");
    expectConvolution(Conv{test::dims({1, 4, 7, 6, 8}), 8}.k({3, 1, 3}).s({2, 1, 2}).m(PaddingMode::kSAME_UPPER).g(2), "3-D same, groups");
}

TEST(OnednnConvolution, EveryEpilogue)
{
    const Conv base = Conv{test::dims({2, 16, 7, 7}), 17}.pad({1, 1}, {1, 1});
    struct Act
    {
        ActivationType type;
        float alpha, beta;
    };
    for (const Act& a : {Act{ActivationType::kRELU, 0, 0}, Act{ActivationType::kLEAKY_RELU, 0.1f, 0},
             Act{ActivationType::kSIGMOID, 0, 0}, Act{ActivationType::kTANH, 0, 0}, Act{ActivationType::kELU, 0.7f, 0},
             Act{ActivationType::kSELU, 1.67f, 1.05f}, Act{ActivationType::kSOFTPLUS, 1.5f, 0.5f},
             Act{ActivationType::kCLIP, -0.5f, 0.75f}, Act{ActivationType::kHARD_SIGMOID, 0.2f, 0.5f},
             Act{ActivationType::kSCALED_TANH, 1.7f, 0.66f}, Act{ActivationType::kGELU_ERF, 0, 0},
             Act{ActivationType::kGELU_TANH, 0, 0}})
    {
        const std::string what = "activation " + std::to_string(static_cast<int>(a.type));
        expectConvolution(Conv(base).act(a.type, a.alpha, a.beta), what);
        expectConvolution(Conv(base).act(a.type, a.alpha, a.beta).residual(), what + " + residual");
    }
    expectConvolution(Conv(base).residual(), "residual only");
    expectConvolution(Conv{test::dims({1, 3, 11, 11}), 8}.k({3, 3}).s({2, 2}).residual().act(ActivationType::kRELU),
        "residual, 3 channels");
}

TEST(OnednnConvolution, RefusesWhatItCannotMatch)
{
    for (const kernels::Tactic* t : onednnTactics(ir::LayerKind::kConvolution))
    {
        auto refuses = [&](const Conv& c, const char* what) {
            test::TacticCase tc = convCase(c);
            const nvinfer1::Dims out = outputDims(*tc.params, tc.inputs);
            const Status s = t->supports(*tc.params, tc.inputs, {floatTensor(out)});
            EXPECT_FALSE(s) << t->name() << " accepted " << what;
            EXPECT_FALSE(s.message().empty());
        };
        const Conv base{test::dims({1, 8, 6, 6}), 8};
        refuses(Conv(base).act(ActivationType::kSOFTSIGN), "softsign");
        refuses(Conv(base).act(ActivationType::kTHRESHOLDED_RELU, 0.5f), "thresholded ReLU");
        refuses(Conv(base).act(ActivationType::kCLIP, 1.f, -1.f), "clip with alpha > beta");

        // Kernel weights as a tensor input, an INT32 input, a residual of the wrong dims, bad params.
        test::TacticCase tc = convCase(base);
        const nvinfer1::Dims out = outputDims(*tc.params, tc.inputs);
        EXPECT_FALSE(t->supports(*tc.params, {tc.inputs[0], floatTensor(test::dims({8, 8, 3, 3}))}, {floatTensor(out)}));
        EXPECT_FALSE(t->supports(*tc.params, {{DataType::kINT32, test::dims({1, 8, 6, 6}), std::nullopt}}, {floatTensor(out)}));
        auto& p = static_cast<layers::ConvolutionParams&>(*tc.params);
        p.epilogue.hasResidual = true;
        EXPECT_FALSE(t->supports(p, {tc.inputs[0], kAbsent, kAbsent, floatTensor(test::dims({1, 8, 3, 3}))}, {floatTensor(out)}));
        p.epilogue.hasResidual = false;
        p.nbGroups = 3;
        EXPECT_FALSE(t->supports(p, tc.inputs, {floatTensor(out)}));
        p.nbGroups = 1;
        p.kernelWeights.count -= 1;
        EXPECT_FALSE(t->supports(p, tc.inputs, {floatTensor(out)}));
        p.kernelWeights.count += 1;
        p.kernelSize = test::dims({3});
        EXPECT_FALSE(t->supports(p, tc.inputs, {floatTensor(out)}));
        p.kernelSize = test::dims({1 << 20, 1 << 20}); // weights-count arithmetic that would overflow
        p.nbOutputMaps = 1 << 30;
        EXPECT_FALSE(t->supports(p, tc.inputs, {floatTensor(out)}));
        p.nbOutputMaps = 8;
        p.kernelSize = test::dims({3, 3});
        p.stride = test::dims({0, 1});
        EXPECT_FALSE(t->supports(p, tc.inputs, {floatTensor(out)}));
        EXPECT_FALSE(t->supports(p, {}, {}));
    }
}

// ---------------------------------------------------------------------------------------------
// Fully connected

test::TacticCase fcCase(const nvinfer1::Dims& input, int32_t outputs, bool bias, const layers::Epilogue& epilogue = {})
{
    auto p = std::make_unique<layers::FullyConnectedParams>();
    p->nbOutputs = outputs;
    const int32_t r = input.nbDims;
    const int64_t count = volume(input, r - 3, r) * outputs;
    p->kernel = ir::WeightsRef{DataType::kFLOAT, keep(test::randomFloats(static_cast<size_t>(count), 11)), count};
    if (bias)
        p->bias = ir::WeightsRef{DataType::kFLOAT, keep(test::randomFloats(static_cast<size_t>(outputs), 13)), outputs};
    p->epilogue = epilogue;
    test::TacticCase t;
    t.params = std::move(p);
    t.inputs = {floatTensor(input)};
    return t;
}

layers::Epilogue activation(ActivationType type, float alpha = 0.f, float beta = 0.f)
{
    layers::Epilogue e;
    e.hasActivation = true;
    e.activation = type;
    e.alpha = alpha;
    e.beta = beta;
    return e;
}

TEST(OnednnFullyConnected, RanksRowsAndOutputs)
{
    const auto tactics = onednnTactics(ir::LayerKind::kFullyConnected);
    ASSERT_EQ(tactics.size(), 1u);
    const kernels::Tactic& t = *tactics[0];
    EXPECT_TRUE(test::checkTactic(t, fcCase(test::dims({16, 1, 1}), 10, true))) << "rank 3";
    for (int32_t rows : {1, 3, 8, 17})
        for (int32_t outputs : {1, 7, 16, 33})
            EXPECT_TRUE(test::checkTactic(t, fcCase(test::dims({rows, 9, 2, 3}), outputs, outputs % 2 == 1)))
                << "rows " << rows << " outputs " << outputs;
    EXPECT_TRUE(test::checkTactic(t, fcCase(test::dims({2, 3, 64, 1, 1}), 24, true))) << "rank 5";
    EXPECT_TRUE(test::checkTactic(t, fcCase(test::dims({4, 256, 1, 1}), 100, true))) << "wide";
}

TEST(OnednnFullyConnected, Activations)
{
    const kernels::Tactic& t = *onednnTactics(ir::LayerKind::kFullyConnected)[0];
    for (const layers::Epilogue& e :
        {activation(ActivationType::kRELU), activation(ActivationType::kLEAKY_RELU, 0.2f),
            activation(ActivationType::kSIGMOID), activation(ActivationType::kTANH), activation(ActivationType::kELU, 1.f),
            activation(ActivationType::kSELU, 1.67f, 1.05f), activation(ActivationType::kSOFTPLUS, 0.5f, 2.f),
            activation(ActivationType::kCLIP, -0.25f, 0.5f), activation(ActivationType::kHARD_SIGMOID, 0.3f, 0.4f),
            activation(ActivationType::kSCALED_TANH, 0.8f, 1.2f), activation(ActivationType::kGELU_ERF),
            activation(ActivationType::kGELU_TANH)})
        EXPECT_TRUE(test::checkTactic(t, fcCase(test::dims({3, 12, 2, 2}), 19, true, e)))
            << "activation " << static_cast<int>(e.activation);
}

TEST(OnednnFullyConnected, Refuses)
{
    const kernels::Tactic& t = *onednnTactics(ir::LayerKind::kFullyConnected)[0];
    auto refuses = [&](test::TacticCase c, const char* what) {
        const nvinfer1::Dims out = outputDims(*c.params, c.inputs);
        EXPECT_FALSE(t.supports(*c.params, c.inputs, {floatTensor(out)})) << what;
    };
    refuses(fcCase(test::dims({2, 4, 1, 1}), 3, true, activation(ActivationType::kSOFTSIGN)), "softsign");
    refuses(fcCase(test::dims({2, 4, 1, 1}), 3, true, activation(ActivationType::kTHRESHOLDED_RELU, 1.f)), "thresholded");
    test::TacticCase c = fcCase(test::dims({2, 4, 1, 1}), 3, true);
    auto& p = static_cast<layers::FullyConnectedParams&>(*c.params);
    p.epilogue.hasResidual = true;
    EXPECT_FALSE(t.supports(p, c.inputs, {floatTensor(test::dims({2, 3, 1, 1}))})) << "residual";
    p.epilogue.hasResidual = false;
    EXPECT_FALSE(t.supports(p, {floatTensor(test::dims({2, 5, 1, 1}))}, {floatTensor(test::dims({2, 3, 1, 1}))}))
        << "weights count";
    EXPECT_FALSE(t.supports(p, {floatTensor(test::dims({4, 1}))}, {floatTensor(test::dims({3, 1}))})) << "rank 2";
    p.nbOutputs = 1 << 30;
    EXPECT_FALSE(t.supports(p, {floatTensor(test::dims({1, 1 << 20, 1 << 20, 1 << 20}))},
        {floatTensor(test::dims({1, 1 << 30, 1, 1}))})) << "overflowing weights count";
}

// ---------------------------------------------------------------------------------------------
// Matrix multiply

test::TacticCase matmulCase(const nvinfer1::Dims& a, MatrixOperation op0, const nvinfer1::Dims& b, MatrixOperation op1)
{
    auto p = std::make_unique<layers::MatrixMultiplyParams>();
    p->op0 = op0;
    p->op1 = op1;
    test::TacticCase t;
    t.params = std::move(p);
    t.inputs = {floatTensor(a), floatTensor(b)};
    return t;
}

TEST(OnednnMatrixMultiply, OperationsAndBroadcast)
{
    const auto tactics = onednnTactics(ir::LayerKind::kMatrixMultiply);
    ASSERT_EQ(tactics.size(), 1u);
    const kernels::Tactic& t = *tactics[0];
    const auto N = MatrixOperation::kNONE;
    const auto T = MatrixOperation::kTRANSPOSE;
    const auto V = MatrixOperation::kVECTOR;
    for (int32_t m : {1, 7, 17})
        for (int32_t n : {1, 8, 9})
        {
            const int32_t k = 15;
            const std::string what = "m " + std::to_string(m) + " n " + std::to_string(n);
            EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({m, k}), N, test::dims({k, n}), N))) << what << " NN";
            EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({k, m}), T, test::dims({k, n}), N))) << what << " TN";
            EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({m, k}), N, test::dims({n, k}), T))) << what << " NT";
            EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({2, k, m}), T, test::dims({2, n, k}), T))) << what << " TT";
        }
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({3, 5, 8}), N, test::dims({1, 8, 6}), N))) << "broadcast B";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({1, 5, 8}), N, test::dims({4, 8, 6}), N))) << "broadcast A";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({2, 1, 5, 8}), N, test::dims({1, 3, 6, 8}), T)))
        << "broadcast both";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({3, 8}), V, test::dims({3, 8, 5}), N))) << "vector A";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({3, 4, 8}), N, test::dims({1, 8}), V))) << "vector B";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({8, 4}), T, test::dims({8}), V))) << "T and vector B";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({2, 8}), V, test::dims({2, 8}), V))) << "two vectors";
    EXPECT_TRUE(test::checkTactic(t, matmulCase(test::dims({9}), V, test::dims({9}), V))) << "dot product";
}

TEST(OnednnMatrixMultiply, Refuses)
{
    const kernels::Tactic& t = *onednnTactics(ir::LayerKind::kMatrixMultiply)[0];
    test::TacticCase c = matmulCase(test::dims({2, 3}), MatrixOperation::kNONE, test::dims({3, 4}), MatrixOperation::kNONE);
    EXPECT_FALSE(t.supports(*c.params, {floatTensor(test::dims({2, 3}))}, {floatTensor(test::dims({2, 4}))}));
    EXPECT_FALSE(t.supports(*c.params, {c.inputs[0], {DataType::kINT32, test::dims({3, 4}), std::nullopt}},
        {floatTensor(test::dims({2, 4}))}));
    EXPECT_FALSE(t.supports(*c.params, {floatTensor(test::dims({2, 0})), floatTensor(test::dims({0, 4}))},
        {floatTensor(test::dims({2, 4}))})) << "empty";
    auto& p = static_cast<layers::MatrixMultiplyParams&>(*c.params);
    p.op0 = static_cast<MatrixOperation>(7);
    EXPECT_FALSE(t.supports(p, c.inputs, {floatTensor(test::dims({2, 4}))}));
}

// ---------------------------------------------------------------------------------------------
// Pooling

struct Pool
{
    nvinfer1::Dims input;
    PoolingType type{PoolingType::kMAX};
    nvinfer1::Dims window{test::dims({3, 3})};
    nvinfer1::Dims stride{test::dims({2, 2})};
    nvinfer1::Dims pre{test::dims({0, 0})};
    nvinfer1::Dims post{test::dims({0, 0})};
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    bool excludePadding{true};
};

test::TacticCase poolCase(const Pool& s)
{
    auto p = std::make_unique<layers::PoolingParams>();
    p->type = s.type;
    p->windowSize = s.window;
    p->stride = s.stride;
    p->prePadding = s.pre;
    p->postPadding = s.post;
    p->paddingMode = s.mode;
    p->averageCountExcludesPadding = s.excludePadding;
    test::TacticCase t;
    t.params = std::move(p);
    t.inputs = {floatTensor(s.input)};
    return t;
}

void expectPoolingMatrix(const kernels::Tactic& t);
void expectPoolingRefusals(const kernels::Tactic& t);

TEST(OnednnPooling, ModesAndPadding)
{
    const auto tactics = onednnTactics(ir::LayerKind::kPooling);
    ASSERT_EQ(tactics.size(), 2u);
    for (const kernels::Tactic* tactic : tactics)
        expectPoolingMatrix(*tactic);
}

void expectPoolingMatrix(const kernels::Tactic& t)
{
    int32_t checked = 0;
    for (PoolingType type : {PoolingType::kMAX, PoolingType::kAVERAGE})
        for (bool exclude : {true, false})
            for (PaddingMode mode : {PaddingMode::kEXPLICIT_ROUND_DOWN, PaddingMode::kEXPLICIT_ROUND_UP,
                     PaddingMode::kSAME_UPPER, PaddingMode::kSAME_LOWER, PaddingMode::kCAFFE_ROUND_DOWN,
                     PaddingMode::kCAFFE_ROUND_UP})
                for (int32_t size : {7, 8, 9})
                {
                    Pool s{test::dims({2, 9, size, size + 1}), type};
                    s.pre = test::dims({1, 0});
                    s.post = test::dims({1, 1});
                    s.mode = mode;
                    s.excludePadding = exclude;
                    test::TacticCase c = poolCase(s);
                    const nvinfer1::Dims out = outputDims(*c.params, c.inputs);
                    // Include-padding averages whose last window passes the padded input are refused.
                    if (!t.supports(*c.params, c.inputs, {floatTensor(out)}))
                        continue;
                    ++checked;
                    EXPECT_TRUE(test::checkTactic(t, std::move(c)))
                        << "type " << static_cast<int>(type) << " exclude " << exclude << " mode "
                        << static_cast<int>(mode) << " size " << size;
                }
    EXPECT_GE(checked, 60);
    Pool global{test::dims({3, 16, 7, 7})};
    global.window = test::dims({7, 7});
    global.stride = test::dims({1, 1});
    global.type = PoolingType::kAVERAGE;
    EXPECT_TRUE(test::checkTactic(t, poolCase(global))) << "global average";
    Pool planes{test::dims({5, 6, 10})};
    EXPECT_TRUE(test::checkTactic(t, poolCase(planes))) << "rank 3";
    Pool five{test::dims({2, 3, 4, 9, 9})};
    EXPECT_TRUE(test::checkTactic(t, poolCase(five))) << "rank 5, 2-D window";
    Pool cube{test::dims({1, 8, 6, 7, 8}), PoolingType::kAVERAGE, test::dims({2, 3, 2}), test::dims({2, 2, 2}),
        test::dims({0, 1, 1}), test::dims({1, 1, 0})};
    cube.excludePadding = false;
    EXPECT_TRUE(test::checkTactic(t, poolCase(cube))) << "3-D";
}

TEST(OnednnPooling, Refuses)
{
    for (const kernels::Tactic* tactic : onednnTactics(ir::LayerKind::kPooling))
        expectPoolingRefusals(*tactic);
}

void expectPoolingRefusals(const kernels::Tactic& t)
{
    auto refused = [&](const Pool& s) {
        test::TacticCase c = poolCase(s);
        const nvinfer1::Dims out = outputDims(*c.params, c.inputs);
        return !t.supports(*c.params, c.inputs, {floatTensor(out)});
    };
    EXPECT_TRUE(refused(Pool{test::dims({1, 4, 8, 8}), PoolingType::kMAX_AVERAGE_BLEND}));
    // ROUND_UP, include padding: the last window ends past the padded input.
    Pool up{test::dims({1, 4, 8, 8}), PoolingType::kAVERAGE};
    up.mode = PaddingMode::kEXPLICIT_ROUND_UP;
    up.excludePadding = false;
    EXPECT_TRUE(refused(up));
    up.excludePadding = true;
    EXPECT_FALSE(refused(up));
    // Stride larger than the window with ROUND_UP: a window of padding only.
    Pool gap{test::dims({1, 4, 7, 7}), PoolingType::kMAX, test::dims({2, 2}), test::dims({4, 4})};
    gap.post = test::dims({1, 1});
    gap.mode = PaddingMode::kEXPLICIT_ROUND_UP;
    test::TacticCase c = poolCase(gap);
    const nvinfer1::Dims out = outputDims(*c.params, c.inputs);
    EXPECT_EQ(toString(out), "[1,4,3,3]");
    EXPECT_FALSE(t.supports(*c.params, c.inputs, {floatTensor(out)})) << "supported " << toString(out);
}

// ---------------------------------------------------------------------------------------------
// Blocked formats pad channels to 8: the padding must not pick up garbage (NaN) from the
// allocator's memory or from a workspace other layers have written since the last run.

//! An allocator whose blocks start as NaN bytes (0xFF…).
struct NanAllocator : test::detail::CountingAllocator
{
    NanAllocator() { fillByte = 0xFF; }
};

//! Runs \p t three times with a NaN-filled workspace before each run; the outputs must equal the
//! reference's.
void expectNoGarbageInPadding(const kernels::Tactic& t, const test::TacticCase& c)
{
    const ir::LayerParams& params = *c.params;
    const nvinfer1::Dims outDims = outputDims(params, c.inputs);
    const std::vector<ir::TensorDesc> outs{floatTensor(outDims)};
    ASSERT_TRUE(t.supports(params, c.inputs, outs)) << t.name();
    std::vector<std::vector<float>> inputs;
    for (size_t i = 0; i < c.inputs.size(); ++i)
        inputs.push_back(c.inputs[i].dims.nbDims < 0 ? std::vector<float>()
                                                     : test::randomFloats(static_cast<size_t>(volume(c.inputs[i].dims)), 5 + i));
    auto run = [&](const kernels::Tactic& tactic, NanAllocator& allocator, int runs) {
        const backends::Allocator a(&allocator);
        auto prepared = tactic.prepare(params, a);
        EXPECT_TRUE(prepared.isOk());
        auto bound = tactic.bind(params, prepared.value().get(), c.inputs, outs);
        EXPECT_TRUE(bound.isOk()) << bound.status().message();
        std::vector<uint8_t> workspace(tactic.workspaceSize(params, c.inputs, outs));
        std::vector<float> out(static_cast<size_t>(volume(outDims)));
        kernels::KernelArgs args;
        args.params = &params;
        args.pool = &backends::cpu::ThreadPool::global();
        args.prepared = prepared.value().get();
        args.bound = bound.value().get();
        args.workspace = workspace.empty() ? nullptr : workspace.data();
        args.workspaceSize = workspace.size();
        for (size_t i = 0; i < c.inputs.size(); ++i)
            args.inputs.push_back({inputs[i].empty() ? nullptr : inputs[i].data(), DataType::kFLOAT, c.inputs[i].dims});
        args.outputs.push_back({out.data(), DataType::kFLOAT, outDims});
        for (int r = 0; r < runs; ++r)
        {
            if (!workspace.empty())
                std::memset(workspace.data(), 0xFF, workspace.size());
            EXPECT_TRUE(tactic.run(args));
        }
        return out;
    };
    NanAllocator forReference, forTactic;
    const std::vector<float> expected = run(*kernels::cpuTactics(params.kind()).back(), forReference, 1);
    const std::vector<float> actual = run(t, forTactic, 3);
    EXPECT_EQ(forTactic.live, 0);
    for (size_t i = 0; i < expected.size(); ++i)
        ASSERT_NEAR(actual[i], expected[i], 1e-5f + 1e-4f * std::fabs(expected[i])) << t.name() << " element " << i;
}

TEST(OnednnBlocked, PaddedChannelsIgnoreGarbage)
{
    for (const kernels::Tactic* t : onednnTactics(ir::LayerKind::kConvolution))
    {
        expectNoGarbageInPadding(*t, convCase(Conv{test::dims({2, 3, 9, 9}), 17}.pad({1, 1}, {1, 1})));
        expectNoGarbageInPadding(*t, convCase(Conv{test::dims({1, 12, 8, 8}), 5}.residual().act(ActivationType::kRELU)));
        expectNoGarbageInPadding(*t, convCase(Conv{test::dims({1, 6, 8, 8}), 6}.g(3).k({1, 1})));
    }
    for (const kernels::Tactic* t : onednnTactics(ir::LayerKind::kPooling))
    {
        Pool p{test::dims({2, 3, 9, 9}), PoolingType::kAVERAGE};
        p.pre = test::dims({1, 1});
        p.post = test::dims({1, 1});
        expectNoGarbageInPadding(*t, poolCase(p));
    }
    for (const kernels::Tactic* t : onednnTactics(ir::LayerKind::kFullyConnected))
        expectNoGarbageInPadding(*t, fcCase(test::dims({3, 5, 1, 1}), 7, true));
}

} // namespace
