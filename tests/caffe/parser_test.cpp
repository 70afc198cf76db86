// nvcaffeparser1 through the public API: the MNIST kit, the three input styles, phases, weight
// types, in-place blob naming, parseBinaryProto, the legacy V1 caffemodel format, and bad input
// (each a clear error naming the layer, and nullptr). Caffemodels for the small cases are written
// here by field number (support/proto_writer.h), so each case states its weights.
#include "NvCaffeParser.h"
#include "NvInfer.h"
#include "common/io_formats.h"
#include "support/harness.h"
#include "support/proto_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::UniquePtr;

namespace
{

const std::string kKit = std::string(KILN_DATA_DIR) + "/mnist";

// ---- caffemodels by field number --------------------------------------------------------------

using Pb = kiln::test::ProtoMessage;

//! BlobProto with `shape` (field 7) and float `data` (field 5).
Pb blob(const std::vector<int64_t>& shape, const std::vector<float>& data)
{
    Pb dims;
    for (int64_t d : shape)
        dims.varint(1, static_cast<uint64_t>(d));
    Pb b;
    b.msg(7, dims).floats(5, data);
    return b;
}

//! LayerParameter (name 1, type 2, blobs 7).
Pb layerWith(const std::string& name, const std::string& type, const std::vector<Pb>& blobs)
{
    Pb l;
    l.bytes(1, name).bytes(2, type);
    for (const Pb& b : blobs)
        l.msg(7, b);
    return l;
}

std::string netWith(const std::vector<Pb>& layers)
{
    Pb net;
    for (const Pb& l : layers)
        net.msg(100, l);
    return net.data;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

//! Parses deploy text + model bytes into \p h's network; null on failure.
const nvcaffeparser1::IBlobNameToTensor* parseInto(nvcaffeparser1::ICaffeParser& parser, NetworkHarness& h,
    const std::string& deploy, const std::string* model, DataType type = DataType::kFLOAT)
{
    return parser.parseBuffers(deploy.data(), deploy.size(), model ? model->data() : nullptr,
        model ? model->size() : 0, h.network(), type);
}

UniquePtr<nvcaffeparser1::ICaffeParser> makeParser()
{
    return UniquePtr<nvcaffeparser1::ICaffeParser>(nvcaffeparser1::createCaffeParser());
}

// ---- the MNIST kit ------------------------------------------------------------------------------

//! Classifies the kit's ten digits with sampleMNIST's preprocessing (raw pixels in, the mean
//! subtracted by the network) in an explicit-batch network; returns the ten probability rows.
std::vector<std::vector<float>> runKit(DataType weights, const std::string* modelBytes = nullptr)
{
    NetworkHarness h(true);
    auto parser = makeParser();
    const std::string deploy = readFile(kKit + "/mnist.prototxt");
    const std::string model = modelBytes ? *modelBytes : readFile(kKit + "/mnist.caffemodel");
    const auto* blobs = parseInto(*parser, h, deploy, &model, weights);
    EXPECT_NE(blobs, nullptr) << h.logger().errors();
    if (!blobs)
        return {};
    ITensor* input = h.network().getInput(0);
    const Dims d = input->getDimensions();
    EXPECT_EQ(d.nbDims, 4);
    EXPECT_EQ(d.d[0], 1);
    EXPECT_EQ(d.d[1], 1);
    EXPECT_EQ(d.d[2], 28);

    std::vector<float> mean;
    UniquePtr<nvcaffeparser1::IBinaryProtoBlob> meanBlob(parser->parseBinaryProto((kKit + "/mnist_mean.binaryproto").c_str()));
    EXPECT_NE(meanBlob, nullptr);
    if (!meanBlob)
        return {};
    IConstantLayer* meanConst = h.network().addConstant(Dims4{1, 1, 28, 28}, Weights{DataType::kFLOAT, meanBlob->getData(), 784});
    IElementWiseLayer* sub = h.network().addElementWise(*input, *meanConst->getOutput(0), ElementWiseOperation::kSUB);
    h.network().getLayer(0)->setInput(0, *sub->getOutput(0));
    h.markOutput(blobs->find("prob"));
    ICudaEngine* engine = h.build();
    EXPECT_NE(engine, nullptr);
    if (!engine)
        return {};
    UniquePtr<IExecutionContext> context(engine->createExecutionContext());
    std::vector<std::vector<float>> rows;
    for (int digit = 0; digit < 10; ++digit)
    {
        int32_t ph = 0, pw = 0;
        std::vector<uint8_t> pixels;
        std::string error;
        EXPECT_TRUE(kiln::tools::readPgm(kKit + "/" + std::to_string(digit) + ".pgm", ph, pw, pixels, error)) << error;
        std::vector<float> in(pixels.begin(), pixels.end()), out(10);
        void* bindings[2];
        bindings[engine->getBindingIndex("data")] = in.data();
        bindings[engine->getBindingIndex("prob")] = out.data();
        EXPECT_TRUE(context->executeV2(bindings));
        rows.push_back(out);
    }
    return rows;
}

TEST(CaffeParser, KitMnistExplicitBatchClassifiesEveryDigit)
{
    const auto rows = runKit(DataType::kFLOAT);
    ASSERT_EQ(rows.size(), 10u);
    for (int digit = 0; digit < 10; ++digit)
    {
        const auto& p = rows[static_cast<size_t>(digit)];
        const int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
        EXPECT_EQ(best, digit);
        EXPECT_GT(p[static_cast<size_t>(best)], 0.9f);
    }
}

TEST(CaffeParser, HalfWeightsStayCloseToFloatWeights)
{
    const auto full = runKit(DataType::kFLOAT);
    const auto half = runKit(DataType::kHALF);
    ASSERT_EQ(full.size(), 10u);
    ASSERT_EQ(half.size(), 10u);
    // FP16 weights keep 11 significant bits: probabilities move by far less than 1e-2 here.
    for (size_t d = 0; d < 10; ++d)
        for (size_t k = 0; k < 10; ++k)
            EXPECT_NEAR(half[d][k], full[d][k], 1e-2) << "digit " << d << " class " << k;
}

TEST(CaffeParser, InPlaceBlobMapsToItsLastWriter)
{
    NetworkHarness h(false);
    auto parser = makeParser();
    const auto* blobs = parser->parse((kKit + "/mnist.prototxt").c_str(), (kKit + "/mnist.caffemodel").c_str(),
        h.network(), DataType::kFLOAT);
    ASSERT_NE(blobs, nullptr) << h.logger().errors();
    ITensor* ip1 = blobs->find("ip1");
    ASSERT_NE(ip1, nullptr);
    ILayer* relu = nullptr;
    ILayer* fc = nullptr;
    for (int i = 0; i < h.network().getNbLayers(); ++i)
    {
        if (std::string(h.network().getLayer(i)->getName()) == "relu1")
            relu = h.network().getLayer(i);
        if (std::string(h.network().getLayer(i)->getName()) == "ip1")
            fc = h.network().getLayer(i);
    }
    ASSERT_NE(relu, nullptr);
    ASSERT_NE(fc, nullptr);
    EXPECT_EQ(relu->getType(), LayerType::kACTIVATION);
    EXPECT_EQ(fc->getType(), LayerType::kFULLY_CONNECTED);
    EXPECT_EQ(ip1, relu->getOutput(0));
    EXPECT_NE(ip1, fc->getOutput(0));
    EXPECT_EQ(blobs->find("no_such_blob"), nullptr);
    EXPECT_EQ(blobs->find(nullptr), nullptr);
    // Implicit batch: the input is CHW.
    const Dims d = h.network().getInput(0)->getDimensions();
    EXPECT_EQ(d.nbDims, 3);
    EXPECT_EQ(d.d[0], 1);
}

TEST(CaffeParser, ExtraModelLayersAreIgnoredAndMissingModelGeneratesWeights)
{
    // The kit's caffemodel is a training snapshot (Data and SoftmaxWithLoss layers besides the
    // weights); without a model, weights are generated and repeatable.
    // One timing cache for both builds, so both choose the same tactics and any difference in the
    // outputs comes from the weights.
    std::vector<std::vector<float>> first, second;
    kiln::test::UniquePtr<nvinfer1::ITimingCache> cache;
    for (auto* rows : {&first, &second})
    {
        NetworkHarness h(false);
        if (!cache)
            cache.reset(h.config().createTimingCache(nullptr, 0));
        ASSERT_TRUE(h.config().setTimingCache(*cache, false));
        auto parser = makeParser();
        const std::string deploy = readFile(kKit + "/mnist.prototxt");
        const auto* blobs = parseInto(*parser, h, deploy, nullptr);
        ASSERT_NE(blobs, nullptr);
        EXPECT_NE(h.logger().all().find("no caffemodel"), std::string::npos);
        h.markOutput(blobs->find("prob"));
        Rng rng(7);
        h.feed("data", kiln::test::randomTensor({1, 1, 28, 28}, rng, 0.f, 255.f));
        auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        rows->push_back(outs[0].f);
    }
    EXPECT_EQ(first, second);
}

// ---- input styles, phases, small layers with stated weights ------------------------------------

struct Case
{
    bool explicitBatch;
    std::string deploy;
};

//! y = (shift + scale·x)^power through a Power layer, for each input style.
void expectPower(const std::string& deploy, bool explicitBatch, std::vector<int32_t> expectDims)
{
    SCOPED_TRACE(deploy);
    NetworkHarness h(explicitBatch);
    h.logger().expectErrors(false);
    auto parser = makeParser();
    const auto* blobs = parseInto(*parser, h, deploy, nullptr);
    ASSERT_NE(blobs, nullptr) << h.logger().errors();
    ASSERT_EQ(h.network().getNbInputs(), 1);
    const Dims d = h.network().getInput(0)->getDimensions();
    ASSERT_EQ(d.nbDims, static_cast<int32_t>(expectDims.size()));
    for (int32_t i = 0; i < d.nbDims; ++i)
        EXPECT_EQ(d.d[i], expectDims[static_cast<size_t>(i)]);
    h.markOutput(blobs->find("y"));
    std::vector<int32_t> full = expectDims;
    if (!explicitBatch)
        full.insert(full.begin(), 1);
    Rng rng(3);
    HostTensor x = kiln::test::randomTensor(full, rng);
    h.feed("x", x);
    std::vector<double> expected;
    for (float v : x.f)
        expected.push_back(std::pow(1.0 + 2.0 * v, 2.0));
    auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    kiln::test::expectClose(outs[0], full, expected, 1e-5, 1e-5);
}

const char* kPower = "layer { name: 'p' type: 'Power' bottom: 'x' top: 'y' power_param { power: 2 scale: 2 shift: 1 } }\n";

TEST(CaffeParser, ThreeInputStylesInBothBatchModes)
{
    const std::string inputLayer = "layer { name: 'in' type: 'Input' top: 'x' input_param { shape { dim: 1 dim: 2 dim: 3 dim: 4 } } }\n";
    const std::string inputShape = "input: 'x'\ninput_shape { dim: 1 dim: 2 dim: 3 dim: 4 }\n";
    const std::string inputDim = "input: 'x'\ninput_dim: 1\ninput_dim: 2\ninput_dim: 3\ninput_dim: 4\n";
    for (const std::string& style : {inputLayer, inputShape, inputDim})
    {
        expectPower(style + kPower, true, {1, 2, 3, 4});
        expectPower(style + kPower, false, {2, 3, 4});
    }
}

TEST(CaffeParser, ExplicitBatchForcesNToOneWithAWarning)
{
    NetworkHarness h(true);
    auto parser = makeParser();
    const std::string deploy = std::string("input: 'x'\ninput_shape { dim: 8 dim: 2 dim: 3 dim: 4 }\n") + kPower;
    ASSERT_NE(parseInto(*parser, h, deploy, nullptr), nullptr);
    EXPECT_EQ(h.network().getInput(0)->getDimensions().d[0], 1);
    EXPECT_NE(h.logger().all().find("batch 8"), std::string::npos);
}

TEST(CaffeParser, TrainOnlyLayersAreSkipped)
{
    NetworkHarness h(true);
    auto parser = makeParser();
    const std::string deploy = std::string("input: 'x'\ninput_shape { dim: 1 dim: 2 dim: 3 dim: 4 }\n")
        + "layer { name: 'data' type: 'Data' top: 'x' include { phase: TRAIN } }\n" + kPower
        + "layer { name: 'acc' type: 'Accuracy' bottom: 'y' top: 'a' include { phase: TRAIN } }\n";
    const auto* blobs = parseInto(*parser, h, deploy, nullptr);
    ASSERT_NE(blobs, nullptr) << h.logger().errors();
    EXPECT_EQ(h.network().getNbLayers(), 1);
    EXPECT_EQ(blobs->find("a"), nullptr);
}

//! InnerProduct with stated weights, in the `layer` and the legacy V1 `layers` caffemodel formats.
TEST(CaffeParser, InnerProductWeightsFromLayerAndLegacyLayers)
{
    const std::string deploy = "input: 'x'\ninput_shape { dim: 1 dim: 3 }\n"
                               "layer { name: 'fc' type: 'InnerProduct' bottom: 'x' top: 'y' inner_product_param { num_output: 2 } }\n";
    const std::vector<float> w{1, 2, 3, -1, 0.5f, 0}, b{0.25f, -0.5f};
    Pb v1;
    v1.bytes(4, "fc").varint(5, 14).msg(6, blob({2, 3}, w)).msg(6, blob({2}, b));
    Pb legacyNet;
    legacyNet.msg(2, v1);
    const std::string models[] = {netWith({layerWith("fc", "InnerProduct", {blob({2, 3}, w), blob({2}, b)})}),
        legacyNet.data};
    for (const std::string& model : models)
    {
        NetworkHarness h(true);
        auto parser = makeParser();
        const auto* blobs = parseInto(*parser, h, deploy, &model);
        ASSERT_NE(blobs, nullptr) << h.logger().errors();
        h.markOutput(blobs->find("y"));
        h.feed("x", HostTensor::floats({1, 3}, {1, -2, 4}));
        auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        // y0 = 1 - 4 + 12 + 0.25, y1 = -1 - 1 + 0 - 0.5; FullyConnected keeps {K, 1, 1}.
        kiln::test::expectClose(outs[0], {1, 2, 1, 1}, {9.25, -2.5});
    }
}

// ---- bad input ----------------------------------------------------------------------------------

struct BadCase
{
    const char* what;
    std::string deploy;
    bool withModel;
    std::string model;
    std::string needle; //!< must appear in the error text
};

const std::string kConvDeploy = "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 5 dim: 5 }\n"
                                "layer { name: 'conv1' type: 'Convolution' bottom: 'x' top: 'c' convolution_param { num_output: 2 kernel_size: 3 } }\n";

TEST(CaffeParser, BadInputIsReportedWithTheLayerName)
{
    const std::vector<float> kernel(18, 0.1f), bias(2, 0.f);
    const std::vector<BadCase> cases = {
        {"malformed prototxt", "layer { name: 'a' type: ", false, "", "line"},
        {"legacy deploy layers", "layers { name: 'a' type: RELU }", false, "", "legacy"},
        {"garbage caffemodel", kConvDeploy, true, std::string("\xff\xff\xff\xff\x0f garbage", 13), "caffemodel"},
        {"missing blobs", kConvDeploy, true, netWith({layerWith("other", "Convolution", {})}), "conv1"},
        {"wrong blob count", kConvDeploy, true,
            netWith({layerWith("conv1", "Convolution", {blob({10}, std::vector<float>(10, 1.f)), blob({2}, bias)})}),
            "needs 18"},
        {"shape disagrees with data", kConvDeploy, true,
            netWith({layerWith("conv1", "Convolution", {blob({2, 1, 3, 4}, kernel), blob({2}, bias)})}), "shape"},
        {"unknown layer type", "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\n"
                               "layer { name: 'weird' type: 'FancyLayer' bottom: 'x' top: 'y' }", false, "",
            "layer 'weird' (FancyLayer)"},
        {"dangling bottom", "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\n"
                            "layer { name: 'r' type: 'ReLU' bottom: 'nope' top: 'y' }", false, "", "bottom 'nope'"},
        {"cycle", "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\n"
                  "layer { name: 'a' type: 'ReLU' bottom: 'b' top: 'a' }\nlayer { name: 'b' type: 'ReLU' bottom: 'a' top: 'b' }",
            false, "", "layer 'a' (ReLU)"},
        {"zero input dim", "input: 'x'\ninput_shape { dim: 1 dim: 0 dim: 2 dim: 2 }\n", false, "", "positive"},
        {"input_dim count", "input: 'x'\ninput_dim: 1\ninput_dim: 2\n", false, "", "four"},
        {"bad kernel", "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 5 dim: 5 }\n"
                       "layer { name: 'c' type: 'Convolution' bottom: 'x' top: 'y' convolution_param { num_output: 2 } }",
            false, "", "layer 'c' (Convolution)"},
        {"group mismatch", "input: 'x'\ninput_shape { dim: 1 dim: 3 dim: 5 dim: 5 }\n"
                           "layer { name: 'g' type: 'Convolution' bottom: 'x' top: 'y' convolution_param { num_output: 4 kernel_size: 1 group: 2 } }",
            false, "", "group"},
        {"eltwise coeff count", "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\n"
                                "layer { name: 'e' type: 'Eltwise' bottom: 'x' bottom: 'x' top: 'y' eltwise_param { coeff: 1 } }",
            false, "", "layer 'e' (Eltwise)"},
        {"layer without name", "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\nlayer { type: 'ReLU' bottom: 'x' top: 'y' }",
            false, "", "no name"},
    };
    for (const BadCase& c : cases)
    {
        SCOPED_TRACE(c.what);
        NetworkHarness h(true);
        h.logger().expectErrors();
        auto parser = makeParser();
        const auto* blobs = parseInto(*parser, h, c.deploy, c.withModel ? &c.model : nullptr);
        EXPECT_EQ(blobs, nullptr);
        EXPECT_NE(h.logger().errors().find(c.needle), std::string::npos) << h.logger().errors();
    }
}

TEST(CaffeParser, BatchAxisIsRefusedInImplicitBatchNetworks)
{
    NetworkHarness h(false);
    h.logger().expectErrors();
    auto parser = makeParser();
    const std::string deploy = "input: 'x'\ninput_shape { dim: 1 dim: 3 dim: 2 dim: 2 }\n"
                               "layer { name: 's' type: 'Softmax' bottom: 'x' top: 'y' softmax_param { axis: 0 } }";
    EXPECT_EQ(parseInto(*parser, h, deploy, nullptr), nullptr);
    EXPECT_TRUE(h.logger().hasError("batch axis"));
}

TEST(CaffeParser, MisuseOfTheApi)
{
    NetworkHarness h(true);
    h.logger().expectErrors();
    auto parser = makeParser();
    EXPECT_EQ(parser->parse(nullptr, nullptr, h.network(), DataType::kFLOAT), nullptr);
    EXPECT_EQ(parser->parse("/no/such/deploy.prototxt", nullptr, h.network(), DataType::kFLOAT), nullptr);
    EXPECT_TRUE(h.logger().hasError("cannot open"));
    EXPECT_EQ(parseInto(*parser, h, std::string("input: 'x'\ninput_shape { dim: 1 dim: 1 }\n") + kPower, nullptr,
                  DataType::kINT8),
        nullptr);
    EXPECT_TRUE(h.logger().hasError("kFLOAT or kHALF"));
    EXPECT_EQ(parser->parseBuffers(nullptr, 0, nullptr, 0, h.network(), DataType::kFLOAT), nullptr);
    // A size limit below the file's size refuses it; the limit can be raised again.
    parser->setProtobufBufferSize(1000);
    EXPECT_EQ(parser->parse((kKit + "/mnist.prototxt").c_str(), (kKit + "/mnist.caffemodel").c_str(), h.network(),
                  DataType::kFLOAT),
        nullptr);
    EXPECT_TRUE(h.logger().hasError("limit"));
}

class RecordingErrors : public IErrorRecorder
{
public:
    int32_t getNbErrors() const noexcept override { return static_cast<int32_t>(mErrors.size()); }
    ErrorCode getErrorCode(int32_t i) const noexcept override { return mErrors[static_cast<size_t>(i)].first; }
    ErrorDesc getErrorDesc(int32_t i) const noexcept override { return mErrors[static_cast<size_t>(i)].second.c_str(); }
    bool hasOverflowed() const noexcept override { return false; }
    void clear() noexcept override { mErrors.clear(); }
    bool reportError(ErrorCode code, ErrorDesc desc) noexcept override
    {
        mErrors.emplace_back(code, desc);
        return false;
    }
    RefCount incRefCount() noexcept override { return ++mRefs; }
    RefCount decRefCount() noexcept override { return --mRefs; }
    int32_t refs() const { return mRefs; }

private:
    std::vector<std::pair<ErrorCode, std::string>> mErrors;
    int32_t mRefs{0};
};

TEST(CaffeParser, ErrorsReachTheErrorRecorder)
{
    RecordingErrors recorder;
    {
        NetworkHarness h(true);
        h.logger().expectErrors();
        auto parser = makeParser();
        parser->setErrorRecorder(&recorder);
        EXPECT_EQ(parser->getErrorRecorder(), &recorder);
        EXPECT_EQ(recorder.refs(), 1);
        const std::string deploy = "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\n"
                                   "layer { name: 'weird' type: 'FancyLayer' bottom: 'x' top: 'y' }";
        EXPECT_EQ(parseInto(*parser, h, deploy, nullptr), nullptr);
    }
    EXPECT_EQ(recorder.refs(), 0);
    ASSERT_GE(recorder.getNbErrors(), 1);
    EXPECT_EQ(recorder.getErrorCode(0), ErrorCode::kUNSUPPORTED_STATE);
    EXPECT_NE(std::string(recorder.getErrorDesc(0)).find("weird"), std::string::npos);
}

class NullPluginFactory : public nvcaffeparser1::IPluginFactoryV2
{
public:
    bool isPluginV2(const char* name) override { return std::string(name) == "custom"; }
    IPluginV2* createPlugin(const char*, const Weights*, int32_t nbWeights, const char*) override
    {
        weightsSeen = nbWeights;
        return nullptr;
    }
    int32_t weightsSeen{-1};
};

TEST(CaffeParser, PluginFactoryIsAskedForLayersItClaims)
{
    NetworkHarness h(true);
    h.logger().expectErrors();
    auto parser = makeParser();
    NullPluginFactory factory;
    parser->setPluginFactoryV2(&factory);
    parser->setPluginNamespace("ns");
    const std::string deploy = "input: 'x'\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\n"
                               "layer { name: 'custom' type: 'MyPlugin' bottom: 'x' top: 'y' }";
    const std::string model = netWith({layerWith("custom", "MyPlugin", {blob({3}, {1, 2, 3})})});
    EXPECT_EQ(parseInto(*parser, h, deploy, &model), nullptr);
    EXPECT_EQ(factory.weightsSeen, 1);
    EXPECT_TRUE(h.logger().hasError("layer 'custom' (MyPlugin)"));
}

// ---- parseBinaryProto ---------------------------------------------------------------------------

std::string writeTemp(const std::string& name, const std::string& bytes)
{
    const std::string path = testing::TempDir() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

TEST(CaffeParser, BinaryProtoOfTheKitMean)
{
    auto parser = makeParser();
    UniquePtr<nvcaffeparser1::IBinaryProtoBlob> mean(parser->parseBinaryProto((kKit + "/mnist_mean.binaryproto").c_str()));
    ASSERT_NE(mean, nullptr);
    const DimsNCHW d = mean->getDimensions();
    EXPECT_EQ(d.n(), 1);
    EXPECT_EQ(d.c(), 1);
    EXPECT_EQ(d.h(), 28);
    EXPECT_EQ(d.w(), 28);
    EXPECT_EQ(mean->getDataType(), DataType::kFLOAT);
    const float* v = static_cast<const float*>(mean->getData());
    double sum = 0;
    for (int i = 0; i < 784; ++i)
        sum += v[i];
    // The kit README: 112.4 at the centre to 255 at the border, average 221.2.
    EXPECT_NEAR(sum / 784, 221.2, 0.05);
    EXPECT_FLOAT_EQ(v[0], 255.f);
}

TEST(CaffeParser, BinaryProtoShapesTypesAndErrors)
{
    auto parser = makeParser();
    // 3-D shape right-aligned into N,C,H,W.
    const std::string chw = writeTemp("chw.binaryproto", blob({2, 1, 3}, {1, 2, 3, 4, 5, 6}).data);
    UniquePtr<nvcaffeparser1::IBinaryProtoBlob> b(parser->parseBinaryProto(chw.c_str()));
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->getDimensions().n(), 1);
    EXPECT_EQ(b->getDimensions().c(), 2);
    EXPECT_EQ(b->getDimensions().h(), 1);
    EXPECT_EQ(b->getDimensions().w(), 3);
    EXPECT_EQ(static_cast<const float*>(b->getData())[5], 6.f);

    // NVCaffe FP16 storage: raw_data_type FLOAT16 (10) + raw_data (12) → kHALF, the bits as stored.
    Pb dims;
    dims.varint(1, 2);
    const uint16_t halves[2] = {0x3C00, 0xC000}; // 1.0, -2.0
    Pb half;
    half.msg(7, dims).varint(10, 2).bytes(12, std::string(reinterpret_cast<const char*>(halves), 4));
    UniquePtr<nvcaffeparser1::IBinaryProtoBlob> h(parser->parseBinaryProto(writeTemp("half.binaryproto", half.data).c_str()));
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->getDataType(), DataType::kHALF);
    EXPECT_EQ(std::memcmp(h->getData(), halves, 4), 0);

    kiln::test::CapturingLogger logger;
    logger.expectErrors();
    UniquePtr<IBuilder> builder(createInferBuilder(logger)); // makes `logger` the parsers' logger
    EXPECT_EQ(parser->parseBinaryProto(writeTemp("short.binaryproto", blob({2, 2}, {1, 2, 3}).data).c_str()), nullptr);
    EXPECT_TRUE(logger.hasError("shape"));
    EXPECT_EQ(parser->parseBinaryProto(writeTemp("garbage.binaryproto", "\x0a\xff\xff\xff").c_str()), nullptr);
    EXPECT_EQ(parser->parseBinaryProto("/no/such/file.binaryproto"), nullptr);
    EXPECT_EQ(parser->parseBinaryProto(nullptr), nullptr);
}

} // namespace
