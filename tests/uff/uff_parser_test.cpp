// nvuffparser API behaviour and the MNIST kit's lenet5.uff (sampleUffMNIST's ten digits and the
// validation accuracy the kit README states). Malformed graphs: uff_malformed_test.cpp.
#include "NvInfer.h"
#include "NvUffParser.h"
#include "common/io_formats.h"
#include "support/harness.h"
#include "uff_test_support.h"

#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::UniquePtr;
using nvuffparser::UffInputOrder;
using ufftest::Fixture;
using ufftest::Recorder;
using ufftest::reluGraph;

namespace
{

const std::string kMnist = std::string(KILN_DATA_DIR) + "/mnist";

} // namespace

// ---- API ----------------------------------------------------------------------------------------

TEST(UffParserApi, versionsAndDestroy)
{
    nvuffparser::IUffParser* p = nvuffparser::createUffParser();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->getUffRequiredVersionMajor(), UFF_REQUIRED_VERSION_MAJOR);
    EXPECT_EQ(p->getUffRequiredVersionMinor(), UFF_REQUIRED_VERSION_MINOR);
    EXPECT_EQ(p->getUffRequiredVersionPatch(), UFF_REQUIRED_VERSION_PATCH);
    EXPECT_EQ(p->getUffRequiredVersionMajor() * 10000 + p->getUffRequiredVersionMinor() * 100
            + p->getUffRequiredVersionPatch(),
        609);
    EXPECT_EQ(p->getErrorRecorder(), nullptr);
    p->setPluginNamespace("ns");
    p->setPluginNamespace(nullptr);
    p->destroy();
    void* internal = createNvUffParser_INTERNAL();
    ASSERT_NE(internal, nullptr);
    static_cast<nvuffparser::IUffParser*>(internal)->destroy();
    const nvuffparser::FieldMap field("alpha", nullptr, nvuffparser::FieldType::kFLOAT, 3);
    EXPECT_STREQ(field.name, "alpha");
    EXPECT_EQ(field.length, 3);
}

TEST(UffParserApi, registrations)
{
    Fixture f;
    EXPECT_TRUE(f.parser->registerInput("in", Dims3(1, 28, 28), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parser->registerInput("in", Dims3(1, 28, 28), UffInputOrder::kNCHW)) << "registered twice";
    EXPECT_FALSE(f.parser->registerInput("", Dims3(1, 28, 28), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parser->registerInput(nullptr, Dims3(1, 28, 28), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parser->registerInput("nc3", Dims3(1, 2, 3), UffInputOrder::kNC)) << "kNC takes (C)";
    EXPECT_FALSE(f.parser->registerInput("zero", Dims3(1, 0, 3), UffInputOrder::kNHWC));
    EXPECT_FALSE(f.parser->registerInput("order", Dims3(1, 2, 3), static_cast<UffInputOrder>(7)));
    EXPECT_TRUE(f.parser->registerInput("vec", Dims{1, {16}, {}}, UffInputOrder::kNC));
    EXPECT_TRUE(f.parser->registerOutput("out"));
    EXPECT_FALSE(f.parser->registerOutput("out")) << "registered twice";
    EXPECT_FALSE(f.parser->registerOutput(""));
    EXPECT_EQ(f.recorder.getNbErrors(), 8);
    EXPECT_TRUE(f.logger.hasError("already registered"));
}

TEST(UffParserApi, errorRecorderIsReferenceCounted)
{
    Recorder a, b;
    {
        UniquePtr<nvuffparser::IUffParser> p(nvuffparser::createUffParser());
        p->setErrorRecorder(&a);
        EXPECT_EQ(a.refs(), 1);
        EXPECT_EQ(p->getErrorRecorder(), &a);
        p->setErrorRecorder(&b);
        EXPECT_EQ(a.refs(), 0);
        EXPECT_EQ(b.refs(), 1);
    }
    EXPECT_EQ(b.refs(), 0);
}

TEST(UffParserApi, explicitBatchNetworkIsRefused)
{
    Fixture f(/*explicitBatch=*/true);
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parser->registerOutput("out"));
    EXPECT_FALSE(f.parse(reluGraph().serialize()));
    EXPECT_TRUE(f.logger.hasError("implicit batch")) << f.logger.errors();
    EXPECT_EQ(f.network->getNbLayers(), 0);
}

TEST(UffParserApi, weightsTypeMustBeFloatOrHalf)
{
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    EXPECT_FALSE(f.parse(reluGraph().serialize(), DataType::kINT8));
    EXPECT_TRUE(f.logger.hasError("weights type")) << f.logger.errors();
}

TEST(UffParserApi, shutdownThenParseAgain)
{
    nvuffparser::shutdownProtobufLibrary();
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parser->registerOutput("out"));
    EXPECT_TRUE(f.parse(reluGraph().serialize())) << f.logger.errors();
    nvuffparser::shutdownProtobufLibrary();
    UniquePtr<nvuffparser::IUffParser> again(nvuffparser::createUffParser());
    EXPECT_NE(again, nullptr);
}

TEST(UffParserApi, outputsFromMarkOutputWhenNoneRegistered)
{
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parse(reluGraph().serialize())) << f.logger.errors();
    ASSERT_EQ(f.network->getNbOutputs(), 1);
    EXPECT_STREQ(f.network->getOutput(0)->getName(), "out");
    // A 4-D output of a kNCHW input comes out channels first.
    const Dims d = f.network->getOutput(0)->getDimensions();
    EXPECT_EQ(d.nbDims, 3);
    EXPECT_EQ(d.d[0], 2);
    EXPECT_STREQ(f.network->getInput(0)->getName(), "in");
}

TEST(UffParserApi, oneParserTwoNetworks)
{
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parser->registerOutput("out"));
    const std::string bytes = reluGraph().serialize();
    EXPECT_TRUE(f.parse(bytes)) << f.logger.errors();
    UniquePtr<INetworkDefinition> second(f.builder->createNetworkV2(0));
    EXPECT_TRUE(f.parser->parseBuffer(bytes.data(), bytes.size(), *second, DataType::kFLOAT)) << f.logger.errors();
    EXPECT_EQ(second->getNbOutputs(), 1);
    EXPECT_EQ(f.recorder.getNbErrors(), 0);
}

// A constant output: every batch item gets the constant, with its TF shape as dims.
TEST(UffParserApi, constantOutput)
{
    ufftest::Graph g = reluGraph();
    g.constant("k", {3}, {1.5f, -2.f, 4.f});
    g.node("MarkOutput_1", "MarkOutput", {"k"});
    Fixture f;
    ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    ASSERT_TRUE(f.parser->registerOutput("out"));
    ASSERT_TRUE(f.parser->registerOutput("k"));
    ASSERT_TRUE(f.parse(g.serialize())) << f.logger.errors();
    f.builder->setMaxBatchSize(2);
    UniquePtr<IBuilderConfig> config(f.builder->createBuilderConfig());
    UniquePtr<ICudaEngine> engine(f.builder->buildEngineWithConfig(*f.network, *config));
    ASSERT_TRUE(engine) << f.logger.errors();
    const int32_t k = engine->getBindingIndex("k");
    ASSERT_GE(k, 0);
    const Dims d = engine->getBindingDimensions(k);
    ASSERT_EQ(d.nbDims, 1);
    EXPECT_EQ(d.d[0], 3);
    std::vector<float> in(2 * 32, -1.f), out(2 * 32, 0.f), kv(6, 0.f);
    void* bindings[3];
    bindings[engine->getBindingIndex("in")] = in.data();
    bindings[engine->getBindingIndex("out")] = out.data();
    bindings[k] = kv.data();
    UniquePtr<IExecutionContext> context(engine->createExecutionContext());
    ASSERT_TRUE(context->execute(2, bindings)) << f.logger.errors();
    EXPECT_EQ(kv, (std::vector<float>{1.5f, -2.f, 4.f, 1.5f, -2.f, 4.f}));
    EXPECT_EQ(out, std::vector<float>(64, 0.f)) << "relu of -1";
}

TEST(UffParserApi, parseMissingFile)
{
    Fixture f;
    EXPECT_FALSE(f.parser->parse("/nonexistent/model.uff", *f.network, DataType::kFLOAT));
    EXPECT_TRUE(f.logger.hasError("/nonexistent/model.uff")) << f.logger.errors();
    EXPECT_FALSE(f.parser->parse(nullptr, *f.network, DataType::kFLOAT));
}

// ---- The MNIST kit's lenet5.uff (sampleUffMNIST) ---------------------------------------------------

namespace
{

//! lenet5.uff parsed as sampleUffMNIST does (input "in" (1, 28, 28) kNCHW, output "out") and built
//! for up to \p maxBatch images.
struct Lenet
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder;
    UniquePtr<ICudaEngine> engine;
    UniquePtr<IExecutionContext> context;

    void build(DataType weights, int32_t maxBatch)
    {
        builder.reset(createInferBuilder(logger));
        ASSERT_TRUE(builder);
        UniquePtr<INetworkDefinition> network(builder->createNetworkV2(0));
        UniquePtr<nvuffparser::IUffParser> parser(nvuffparser::createUffParser());
        ASSERT_TRUE(parser->registerInput("in", Dims3(1, 28, 28), UffInputOrder::kNCHW));
        ASSERT_TRUE(parser->registerOutput("out"));
        ASSERT_TRUE(parser->parse((kMnist + "/lenet5.uff").c_str(), *network, weights)) << logger.errors();
        builder->setMaxBatchSize(maxBatch);
        UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
        engine.reset(builder->buildEngineWithConfig(*network, *config));
        ASSERT_TRUE(engine) << logger.errors();
        ASSERT_EQ(engine->getNbBindings(), 2);
        const Dims out = engine->getBindingDimensions(engine->getBindingIndex("out"));
        ASSERT_EQ(out.nbDims, 1);
        ASSERT_EQ(out.d[0], 10);
        context.reset(engine->createExecutionContext());
        ASSERT_TRUE(context);
        // The parser is destroyed here, before the engine runs: the engine keeps its own weights.
    }

    //! Logits of \p batch images (784 values each, 1 - p/255).
    std::vector<float> run(const std::vector<float>& images, int32_t batch)
    {
        std::vector<float> input(images);
        std::vector<float> logits(static_cast<size_t>(batch) * 10, 0.f);
        void* bindings[2];
        bindings[engine->getBindingIndex("in")] = input.data();
        bindings[engine->getBindingIndex("out")] = logits.data();
        EXPECT_TRUE(context->execute(batch, bindings)) << logger.errors();
        return logits;
    }
};

//! sampleUffMNIST's preprocessing: 1 - p/255 (digit near 1, paper 0).
void appendImage(const std::string& path, std::vector<float>& images)
{
    int32_t h = 0, w = 0;
    std::vector<uint8_t> pixels;
    std::string error;
    ASSERT_TRUE(kiln::tools::readPgm(path, h, w, pixels, error)) << error;
    ASSERT_EQ(h * w, 784) << path;
    for (uint8_t p : pixels)
        images.push_back(1.f - static_cast<float>(p) / 255.f);
}

int32_t argmax(const float* logits)
{
    return static_cast<int32_t>(std::max_element(logits, logits + 10) - logits);
}

void checkTenDigits(DataType weights)
{
    Lenet net;
    ASSERT_NO_FATAL_FAILURE(net.build(weights, 10));
    std::vector<float> images;
    for (int32_t d = 0; d < 10; ++d)
        ASSERT_NO_FATAL_FAILURE(appendImage(kMnist + "/" + std::to_string(d) + ".pgm", images));
    const std::vector<float> batched = net.run(images, 10);
    for (int32_t d = 0; d < 10; ++d)
    {
        const float* l = batched.data() + 10 * d;
        EXPECT_EQ(argmax(l), d) << "digit " << d;
        EXPECT_GT(l[argmax(l)], 0.f) << "sampleUffMNIST's argmax starts from 0: the top logit must be positive";
        // One image at a time gives the same logits as the batch.
        const std::vector<float> one =
            net.run(std::vector<float>(images.begin() + 784 * d, images.begin() + 784 * (d + 1)), 1);
        for (int32_t k = 0; k < 10; ++k)
            EXPECT_NEAR(one[static_cast<size_t>(k)], l[k], 1e-4f) << "digit " << d << " logit " << k;
        std::printf("lenet5.uff %s digit %d: argmax %d, logit %.2f\n", weights == DataType::kHALF ? "(kHALF)" : "", d,
            argmax(l), l[argmax(l)]);
    }
}

} // namespace

TEST(UffLenet, tenDigits)
{
    checkTenDigits(DataType::kFLOAT);
}

TEST(UffLenet, tenDigitsWithHalfWeights)
{
    checkTenDigits(DataType::kHALF);
}

// The kit README: lenet5.uff classifies 1983 of the 2000 validation images (argmax, 1 - p/255).
TEST(UffLenet, validationAccuracy)
{
    const std::string dir = kMnist + "/val";
    std::vector<std::string> names;
    DIR* d = opendir(dir.c_str());
    ASSERT_NE(d, nullptr) << "cannot open " << dir;
    while (dirent* e = readdir(d))
    {
        const std::string n = e->d_name;
        if (n.size() > 4 && n.substr(n.size() - 4) == ".pgm")
            names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    ASSERT_EQ(names.size(), 2000u);
    constexpr int32_t kBatch = 100;
    Lenet net;
    ASSERT_NO_FATAL_FAILURE(net.build(DataType::kFLOAT, kBatch));
    int32_t correct = 0;
    for (size_t start = 0; start < names.size(); start += kBatch)
    {
        std::vector<float> images;
        for (size_t k = start; k < start + kBatch; ++k)
            ASSERT_NO_FATAL_FAILURE(appendImage(dir + "/" + names[k], images));
        const std::vector<float> logits = net.run(images, kBatch);
        for (int32_t k = 0; k < kBatch; ++k)
            correct += argmax(logits.data() + 10 * k) == std::stoi(names[start + static_cast<size_t>(k)].substr(0, 1));
    }
    std::printf(
        "lenet5.uff validation accuracy: %d / 2000 (%.2f %%; kit README: 1983 / 2000)\n", correct, correct / 20.0);
    EXPECT_NEAR(correct, 1983, 10) << "more than 0.5 points from the kit's 99.15 %";
}
