// convolution.cpu.depthwise.avx2 against the reference convolution: widths around the vector
// edges, strides 1/2/3, dilation, every padding mode, multipliers, bias, batch and every epilogue.
#include "kernels/tactic_check.h"
#include "layers/convolution.h"

#include <memory>

namespace
{

using namespace kiln;
using nvinfer1::ActivationType;
using nvinfer1::PaddingMode;

const kernels::Tactic& depthwise()
{
    const kernels::Tactic* t = kernels::findTactic("convolution.cpu.depthwise.avx2");
    EXPECT_NE(t, nullptr);
    return *t;
}

nvinfer1::Dims absent()
{
    nvinfer1::Dims d{};
    d.nbDims = -1;
    return d;
}

struct Conv
{
    int32_t n{1}, c{4}, h{9}, w{9};
    int32_t multiplier{1};
    int32_t kh{3}, kw{3};
    int32_t sh{1}, sw{1};
    int32_t dh{1}, dw{1};
    int32_t pre{1}, post{1};
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    bool bias{true};
    layers::Epilogue epilogue{};
};

//! Owns the weights the case's params point to.
struct ConvCase
{
    std::vector<float> weights;
    std::vector<float> bias;
    test::TacticCase c;
};

std::unique_ptr<ConvCase> makeCase(const Conv& s, uint32_t seed = 3)
{
    auto cc = std::make_unique<ConvCase>();
    const int32_t maps = s.c * s.multiplier;
    cc->weights = test::randomFloats(static_cast<size_t>(maps) * s.kh * s.kw, seed + 100);
    if (s.bias)
        cc->bias = test::randomFloats(static_cast<size_t>(maps), seed + 200);
    auto p = std::make_unique<layers::ConvolutionParams>();
    p->nbOutputMaps = maps;
    p->kernelSize = test::dims({s.kh, s.kw});
    p->stride = test::dims({s.sh, s.sw});
    p->dilation = test::dims({s.dh, s.dw});
    p->prePadding = test::dims({s.pre, s.pre});
    p->postPadding = test::dims({s.post, s.post});
    p->paddingMode = s.mode;
    p->nbGroups = s.c;
    p->kernelWeights =
        ir::WeightsRef{nvinfer1::DataType::kFLOAT, cc->weights.data(), static_cast<int64_t>(cc->weights.size())};
    if (s.bias)
        p->biasWeights =
            ir::WeightsRef{nvinfer1::DataType::kFLOAT, cc->bias.data(), static_cast<int64_t>(cc->bias.size())};
    p->epilogue = s.epilogue;
    cc->c.inputs = {{nvinfer1::DataType::kFLOAT, test::dims({s.n, s.c, s.h, s.w}), std::nullopt}};
    if (s.epilogue.hasResidual)
    {
        // The residual has the output's dims: infer them first.
        std::vector<const ir::TensorDesc*> in{&cc->c.inputs[0]};
        ir::ShapeContext ctx("probe", ir::LayerKind::kConvolution, in, 1);
        layers::ConvolutionParams probe = *p;
        probe.epilogue.hasResidual = false;
        EXPECT_TRUE(probe.inferShapes(ctx));
        cc->c.inputs.push_back({nvinfer1::DataType::kFLOAT, absent(), std::nullopt});
        cc->c.inputs.push_back({nvinfer1::DataType::kFLOAT, absent(), std::nullopt});
        cc->c.inputs.push_back({nvinfer1::DataType::kFLOAT, ctx.outputs()[0].dims, std::nullopt});
    }
    cc->c.params = std::move(p);
    cc->c.seed = seed;
    return cc;
}

layers::Epilogue activation(ActivationType type, float alpha = 0.f, float beta = 0.f, bool residual = false)
{
    layers::Epilogue e;
    e.hasActivation = true;
    e.activation = type;
    e.alpha = alpha;
    e.beta = beta;
    e.hasResidual = residual;
    return e;
}

TEST(DepthwiseAvx2, Widths3x3Stride1And2)
{
    for (int32_t w : {1, 7, 8, 9, 15, 16, 17, 33, 40})
        for (int32_t stride : {1, 2})
        {
            Conv s;
            s.w = w;
            s.h = w % 5 + 3;
            s.sh = s.sw = stride;
            auto cc = makeCase(s);
            EXPECT_TRUE(test::checkTactic(depthwise(), cc->c)) << "w " << w << " stride " << stride;
        }
}

TEST(DepthwiseAvx2, KernelsStridesDilations)
{
    struct K
    {
        int32_t kh, kw, sh, sw, dh, dw, pre, post;
    };
    const K kernels[] = {{1, 1, 1, 1, 1, 1, 0, 0}, {5, 5, 1, 1, 1, 1, 2, 2}, {5, 5, 2, 2, 1, 1, 2, 2},
        {3, 3, 3, 3, 1, 1, 1, 1}, {3, 3, 1, 1, 2, 2, 2, 2}, {3, 3, 2, 1, 1, 3, 2, 1}, {7, 3, 1, 2, 1, 1, 3, 1},
        {2, 4, 1, 1, 1, 1, 0, 3}, {1, 7, 1, 1, 1, 1, 0, 3}, {4, 4, 2, 2, 2, 1, 1, 1}, {3, 3, 4, 4, 1, 1, 0, 0}};
    for (const K& k : kernels)
        for (int32_t w : {8, 17, 35})
        {
            Conv s;
            s.kh = k.kh;
            s.kw = k.kw;
            s.sh = k.sh;
            s.sw = k.sw;
            s.dh = k.dh;
            s.dw = k.dw;
            s.pre = k.pre;
            s.post = k.post;
            s.w = w;
            s.h = 11;
            auto cc = makeCase(s);
            EXPECT_TRUE(test::checkTactic(depthwise(), cc->c))
                << "kernel " << k.kh << "x" << k.kw << " stride " << k.sh << "," << k.sw << " dilation " << k.dh << ","
                << k.dw << " pad " << k.pre << "/" << k.post << " w " << w;
        }
}

TEST(DepthwiseAvx2, PaddingModes)
{
    for (PaddingMode mode :
        {PaddingMode::kEXPLICIT_ROUND_DOWN, PaddingMode::kEXPLICIT_ROUND_UP, PaddingMode::kSAME_UPPER,
            PaddingMode::kSAME_LOWER, PaddingMode::kCAFFE_ROUND_DOWN, PaddingMode::kCAFFE_ROUND_UP})
        for (int32_t stride : {1, 2, 3})
            for (int32_t w : {9, 16, 26})
            {
                Conv s;
                s.mode = mode;
                s.sh = s.sw = stride;
                s.w = w;
                s.h = w / 2 + 1;
                s.pre = 1;
                s.post = 2;
                auto cc = makeCase(s);
                EXPECT_TRUE(test::checkTactic(depthwise(), cc->c))
                    << "mode " << static_cast<int>(mode) << " stride " << stride << " w " << w;
            }
}

TEST(DepthwiseAvx2, BatchMultiplierAndNoBias)
{
    for (int32_t multiplier : {1, 2, 3})
        for (bool bias : {true, false})
        {
            Conv s;
            s.n = 3;
            s.c = 5;
            s.h = 7;
            s.w = 19;
            s.multiplier = multiplier;
            s.bias = bias;
            auto cc = makeCase(s);
            EXPECT_TRUE(test::checkTactic(depthwise(), cc->c)) << "multiplier " << multiplier << " bias " << bias;
        }
    // Few planes, many rows: the work splits into row blocks.
    Conv tall;
    tall.c = 1;
    tall.h = 67;
    tall.w = 24;
    auto cc = makeCase(tall);
    EXPECT_TRUE(test::checkTactic(depthwise(), cc->c));
}

TEST(DepthwiseAvx2, EveryEpilogue)
{
    std::vector<layers::Epilogue> epilogues;
    layers::Epilogue residualOnly;
    residualOnly.hasResidual = true;
    epilogues.push_back(residualOnly);
    const struct
    {
        ActivationType type;
        float alpha, beta;
    } acts[] = {{ActivationType::kRELU, 0.f, 0.f}, {ActivationType::kLEAKY_RELU, 0.1f, 0.f},
        {ActivationType::kCLIP, 0.f, 0.6f}, {ActivationType::kSIGMOID, 0.f, 0.f}, {ActivationType::kTANH, 0.f, 0.f},
        {ActivationType::kELU, 0.7f, 0.f}, {ActivationType::kSELU, 1.67f, 1.05f}, {ActivationType::kSOFTSIGN, 0.f, 0.f},
        {ActivationType::kSOFTPLUS, 0.5f, 2.f}, {ActivationType::kHARD_SIGMOID, 0.2f, 0.5f},
        {ActivationType::kSCALED_TANH, 1.5f, 0.7f}, {ActivationType::kTHRESHOLDED_RELU, 0.3f, 0.f},
        {ActivationType::kGELU_ERF, 0.f, 0.f}, {ActivationType::kGELU_TANH, 0.f, 0.f}};
    for (const auto& a : acts)
        for (bool residual : {false, true})
            epilogues.push_back(activation(a.type, a.alpha, a.beta, residual));
    for (const layers::Epilogue& e : epilogues)
        for (int32_t stride : {1, 2})
        {
            Conv s;
            s.n = 2;
            s.c = 3;
            s.h = 6;
            s.w = 17;
            s.sh = s.sw = stride;
            s.epilogue = e;
            auto cc = makeCase(s);
            EXPECT_TRUE(test::checkTactic(depthwise(), cc->c))
                << "activation " << (e.hasActivation ? static_cast<int>(e.activation) : -1) << " residual "
                << e.hasResidual << " stride " << stride;
        }
}

TEST(DepthwiseAvx2, RefusesWhatItDoesNotHandle)
{
    auto check = [](const Conv& s, auto&& edit) {
        auto cc = makeCase(s);
        auto& p = static_cast<layers::ConvolutionParams&>(*cc->c.params);
        edit(p, cc->c.inputs);
        std::vector<ir::TensorDesc> outs{{nvinfer1::DataType::kFLOAT, test::dims({1, 4, 9, 9}), std::nullopt}};
        return depthwise().supports(p, cc->c.inputs, outs);
    };
    using Inputs = std::vector<ir::TensorDesc>;
    Conv s;
    EXPECT_TRUE(check(s, [](layers::ConvolutionParams&, Inputs&) {}));
    // A plain (groups 1) and a grouped (2 channels per group) convolution.
    Status st = check(s, [](layers::ConvolutionParams& p, Inputs&) { p.nbGroups = 1; });
    EXPECT_FALSE(st);
    EXPECT_NE(st.message().find("depthwise"), std::string::npos) << st.message();
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.nbGroups = 2; }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.kernelSize = test::dims({3, 3, 3}); }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.stride = test::dims({0, 1}); }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.kernelWeights.count = 5; }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.biasWeights.count = 2; }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.kernelSize = test::dims({100, 1}); }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams&, Inputs& in) { in[0].dims = test::dims({4, 9}); }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams&, Inputs& in) { in[0].type = nvinfer1::DataType::kHALF; }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.epilogue.hasResidual = true; }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams&, Inputs& in) {
        in.push_back({nvinfer1::DataType::kFLOAT, test::dims({4, 1, 3, 3}), std::nullopt});
    }));
    // Garbage from an untrusted engine: refused, never a crash.
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) {
        p.nbOutputMaps = 1 << 30;
        p.kernelSize = test::dims({1 << 20, 1 << 20});
    }));
    EXPECT_FALSE(check(s, [](layers::ConvolutionParams& p, Inputs&) { p.kernelWeights.values = nullptr; }));
    EXPECT_FALSE(depthwise().supports(layers::ConvolutionParams(), {}, {}));
}

} // namespace
