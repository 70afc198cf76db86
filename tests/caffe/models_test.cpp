// Public Caffe architectures parsed with nvcaffeparser1, built and run by Kiln, and compared with
// ONNX Runtime running the same networks.
//
// tests/caffe/models/make_caffe_models.py writes the deploy prototxts, the caffemodels (seeded
// random weights; some written as training snapshots, with legacy 4-D blob shapes, in the V1
// `layers` field or in NVCaffe's FP16 storage), the inputs, ONNX Runtime's outputs and
// manifest.txt into the models folder (the caffe.models_generated ctest fixture runs it; set
// KILN_CAFFE_MODELS_DIR to use another folder). Each TEST takes one model through the public API
// only: createCaffeParser()->parse(deploy, caffemodel, network, weight type) into an explicit-batch
// network (input NCHW with N = 1), or an implicit-batch one (input CHW, execute(1, ...)), marks the
// manifest's outputs through IBlobNameToTensor::find, builds, runs once, and checks every output
// elementwise: |kiln - ort| <= atol + rtol * |ort|.

#include "NvCaffeParser.h"
#include "NvInfer.h"
#include "common/io_formats.h"
#include "support/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::UniquePtr;

#ifndef KILN_CAFFE_MODELS_DIR
#define KILN_CAFFE_MODELS_DIR "caffe_models"
#endif

namespace
{

struct OutputSpec
{
    std::string blob, npy;
    double rtol{0}, atol{0};
};

struct ModelSpec
{
    std::string name, deploy, caffemodel;
    std::string inputBlob, inputNpy;
    std::vector<int32_t> inputDims;
    std::vector<OutputSpec> outputs;
    bool implicit{false}; //!< the generator asks for an implicit-batch test too
    bool half{false};     //!< ... and for a kHALF-weights test with these tolerances
    double halfRtol{0}, halfAtol{0};
};

enum class Mode
{
    kEXPLICIT, //!< createNetworkV2(kEXPLICIT_BATCH), kFLOAT weights, executeV2
    kIMPLICIT, //!< createNetworkV2(0), kFLOAT weights, execute(1, ...)
    kHALF      //!< explicit batch, kHALF weights, the manifest's looser half tolerances
};

const char* modeName(Mode mode)
{
    return mode == Mode::kEXPLICIT ? "explicit" : mode == Mode::kIMPLICIT ? "implicit" : "half";
}

std::string modelsDir()
{
    const char* env = std::getenv("KILN_CAFFE_MODELS_DIR");
    return env && *env ? env : KILN_CAFFE_MODELS_DIR;
}

bool parseDims(const std::string& text, std::vector<int32_t>& dims)
{
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        char* end = nullptr;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0')
            return false;
        dims.push_back(static_cast<int32_t>(v));
    }
    return !dims.empty();
}

//! Reads manifest.txt (format documented in make_caffe_models.py). False with \p error on bad input.
bool readManifest(const std::string& dir, std::map<std::string, ModelSpec>& models, std::string& error)
{
    const std::string path = dir + "/manifest.txt";
    std::ifstream in(path);
    if (!in)
    {
        error = "cannot open " + path
            + " (did the caffe.models_generated setup test run? it needs python3 with numpy, onnx and "
              "onnxruntime: pip install -r tests/onnx/models/requirements.txt, and protoc)";
        return false;
    }
    ModelSpec* model = nullptr;
    std::string line;
    int lineNo = 0;
    auto bad = [&](const std::string& what) {
        error = path + ":" + std::to_string(lineNo) + ": " + what;
        return false;
    };
    while (std::getline(in, line))
    {
        ++lineNo;
        std::stringstream ss(line);
        std::string key;
        if (!(ss >> key) || key[0] == '#')
            continue;
        if (key == "model")
        {
            ModelSpec m;
            if (!(ss >> m.name >> m.deploy >> m.caffemodel))
                return bad("bad model line");
            m.deploy = dir + "/" + m.deploy;
            m.caffemodel = dir + "/" + m.caffemodel;
            model = &(models[m.name] = m);
            continue;
        }
        if (!model)
            return bad("'" + key + "' outside a model");
        if (key == "input")
        {
            std::string dims;
            if (!(ss >> model->inputBlob >> dims >> model->inputNpy) || !parseDims(dims, model->inputDims))
                return bad("bad input line");
            model->inputNpy = dir + "/" + model->inputNpy;
        }
        else if (key == "output")
        {
            OutputSpec o;
            if (!(ss >> o.blob >> o.npy >> o.rtol >> o.atol))
                return bad("bad output line");
            o.npy = dir + "/" + o.npy;
            model->outputs.push_back(o);
        }
        else if (key == "implicit")
            model->implicit = true;
        else if (key == "half")
        {
            if (!(ss >> model->halfRtol >> model->halfAtol))
                return bad("bad half line");
            model->half = true;
        }
        else if (key == "end")
            model = nullptr;
        else
            return bad("unknown record '" + key + "'");
    }
    if (models.empty())
        return bad("no models");
    return true;
}

const std::map<std::string, ModelSpec>* manifest(std::string& error)
{
    static std::map<std::string, ModelSpec> models;
    static std::string loadError;
    static const bool ok = readManifest(modelsDir(), models, loadError);
    error = loadError;
    return ok ? &models : nullptr;
}

std::string shapeText(const std::vector<int32_t>& v)
{
    std::string s = "[";
    for (size_t k = 0; k < v.size(); ++k)
        s += (k ? "," : "") + std::to_string(v[k]);
    return s + "]";
}

std::vector<int32_t> toVector(const Dims& d)
{
    return std::vector<int32_t>(d.d, d.d + std::max(d.nbDims, 0));
}

//! The shape without trailing 1s: Caffe's InnerProduct gives [N, K], TensorRT's FullyConnected
//! [N, K, 1, 1]; both hold the same values.
std::vector<int32_t> squeezeTrailing(std::vector<int32_t> v)
{
    while (v.size() > 1 && v.back() == 1)
        v.pop_back();
    return v;
}

struct Comparison
{
    double maxAbs{0};
    double maxRel{0};    //!< over elements with |ort| > atol (smaller ones are at the noise floor)
    double worst{0};     //!< max |kiln - ort| / (atol + rtol·|ort|); passes when <= 1
    int64_t failures{0}; //!< elements over tolerance (NaN counts as over)
    int64_t worstIndex{0};
};

Comparison compare(const float* actual, const float* expected, int64_t n, double rtol, double atol)
{
    Comparison c;
    for (int64_t i = 0; i < n; ++i)
    {
        const double a = actual[i], e = expected[i];
        const double err = std::fabs(a - e);
        const double ratio = err / (atol + rtol * std::fabs(e));
        if (!(ratio <= 1.0)) // also NaN
            ++c.failures;
        if (!(ratio <= c.worst))
        {
            c.worst = std::isnan(ratio) ? INFINITY : ratio;
            c.worstIndex = i;
        }
        c.maxAbs = std::max(c.maxAbs, std::isnan(err) ? INFINITY : err);
        if (std::fabs(e) > atol)
            c.maxRel = std::max(c.maxRel, err / std::fabs(e));
    }
    return c;
}

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

//! Parses, builds and runs one manifest model in \p mode; adds gtest failures with the details.
void checkModel(const std::string& name, Mode mode)
{
    std::string error;
    const auto* models = manifest(error);
    ASSERT_NE(models, nullptr) << error;
    const auto found = models->find(name);
    ASSERT_NE(found, models->end()) << "model " << name << " is not in " << modelsDir() << "/manifest.txt";
    const ModelSpec& spec = found->second;
    SCOPED_TRACE(name + " (" + modeName(mode) + "; " + spec.deploy + ", " + spec.caffemodel + ")");
    ASSERT_FALSE(spec.outputs.empty()) << "the manifest lists no outputs";
    if (mode == Mode::kHALF)
    {
        ASSERT_TRUE(spec.half) << "the manifest gives no half tolerances for " << name;
    }
    const bool explicitBatch = mode != Mode::kIMPLICIT;

    kiln::test::CapturingLogger logger;
    logger.expectErrors(); // errors are reported below with their context
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    ASSERT_NE(builder, nullptr);
    const uint32_t flags =
        explicitBatch ? 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH) : 0U;
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(flags));
    ASSERT_NE(network, nullptr);
    UniquePtr<nvcaffeparser1::ICaffeParser> parser(nvcaffeparser1::createCaffeParser());
    ASSERT_NE(parser, nullptr);

    auto start = std::chrono::steady_clock::now();
    const DataType weightType = mode == Mode::kHALF ? DataType::kHALF : DataType::kFLOAT;
    const nvcaffeparser1::IBlobNameToTensor* blobs =
        parser->parse(spec.deploy.c_str(), spec.caffemodel.c_str(), *network, weightType);
    ASSERT_NE(blobs, nullptr) << "parse failed:\n" << logger.errors();
    const double parseSeconds = seconds(start);

    // The parser's input: NCHW with N = 1 (explicit batch), CHW (implicit batch).
    ASSERT_EQ(network->getNbInputs(), 1);
    ITensor* input = network->getInput(0);
    EXPECT_STREQ(input->getName(), spec.inputBlob.c_str());
    std::vector<int32_t> inputDims = spec.inputDims;
    if (!explicitBatch)
        inputDims.erase(inputDims.begin());
    ASSERT_EQ(shapeText(toVector(input->getDimensions())), shapeText(inputDims)) << "input " << spec.inputBlob;
    EXPECT_EQ(blobs->find(spec.inputBlob.c_str()), input);
    EXPECT_EQ(blobs->find("no such blob"), nullptr);
    for (const OutputSpec& out : spec.outputs)
    {
        ITensor* t = blobs->find(out.blob.c_str());
        ASSERT_NE(t, nullptr) << "no blob " << out.blob;
        network->markOutput(*t);
    }

    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    ASSERT_NE(config, nullptr);
    builder->setMaxBatchSize(1);
    start = std::chrono::steady_clock::now();
    UniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
    ASSERT_NE(engine, nullptr) << "buildEngineWithConfig failed:\n" << logger.errors();
    const double buildSeconds = seconds(start);
    parser.reset(); // the parser owns the weights until the engine is built
    UniquePtr<IExecutionContext> context(engine->createExecutionContext());
    ASSERT_NE(context, nullptr) << logger.errors();

    std::vector<void*> bindings(static_cast<size_t>(engine->getNbBindings()), nullptr);
    kiln::tools::NpyArray inputData;
    ASSERT_TRUE(kiln::tools::readNpy(spec.inputNpy, inputData, error)) << error;
    ASSERT_EQ(inputData.type, DataType::kFLOAT) << spec.inputNpy;
    ASSERT_EQ(shapeText(inputData.shape), shapeText(spec.inputDims)) << spec.inputNpy;
    const int32_t inputIndex = engine->getBindingIndex(spec.inputBlob.c_str());
    ASSERT_GE(inputIndex, 0);
    ASSERT_TRUE(engine->bindingIsInput(inputIndex));
    bindings[static_cast<size_t>(inputIndex)] = inputData.bytes.data();

    std::vector<std::vector<float>> results(spec.outputs.size());
    std::vector<kiln::tools::NpyArray> expected(spec.outputs.size());
    for (size_t k = 0; k < spec.outputs.size(); ++k)
    {
        const OutputSpec& out = spec.outputs[k];
        ASSERT_TRUE(kiln::tools::readNpy(out.npy, expected[k], error)) << error;
        ASSERT_EQ(expected[k].type, DataType::kFLOAT) << out.npy;
        const int32_t b = engine->getBindingIndex(out.blob.c_str());
        ASSERT_GE(b, 0) << "the engine has no output " << out.blob;
        ASSERT_EQ(engine->getBindingDataType(b), DataType::kFLOAT) << "output " << out.blob;
        std::vector<int32_t> want = expected[k].shape;
        if (!explicitBatch)
            want.erase(want.begin());
        const std::vector<int32_t> got =
            toVector(explicitBatch ? context->getBindingDimensions(b) : engine->getBindingDimensions(b));
        ASSERT_EQ(shapeText(squeezeTrailing(got)), shapeText(squeezeTrailing(want)))
            << "output " << out.blob << ": kiln " << shapeText(got) << ", Caffe " << shapeText(want);
        results[k].assign(static_cast<size_t>(expected[k].count()), std::nanf(""));
        bindings[static_cast<size_t>(b)] = results[k].data();
    }

    start = std::chrono::steady_clock::now();
    const bool ran = explicitBatch ? context->executeV2(bindings.data()) : context->execute(1, bindings.data());
    ASSERT_TRUE(ran) << "execute failed:\n" << logger.errors();
    const double runSeconds = seconds(start);
    EXPECT_EQ(logger.errors(), "") << "errors were logged on the way";

    std::printf("[ %-13s ] %-8s %3d layers  parse %.3f s  build %.3f s  run %.3f s\n", name.c_str(), modeName(mode),
        network->getNbLayers(), parseSeconds, buildSeconds, runSeconds);
    for (size_t k = 0; k < spec.outputs.size(); ++k)
    {
        const OutputSpec& out = spec.outputs[k];
        const double rtol = mode == Mode::kHALF ? spec.halfRtol : out.rtol;
        const double atol = mode == Mode::kHALF ? spec.halfAtol : out.atol;
        const auto* ref = reinterpret_cast<const float*>(expected[k].bytes.data());
        const Comparison c = compare(results[k].data(), ref, expected[k].count(), rtol, atol);
        std::printf("[ %-13s ] %-8s %-8s %-14s max abs %.3e  max rel %.3e  worst/tol %.3f  %s\n", name.c_str(),
            modeName(mode), out.blob.c_str(), shapeText(expected[k].shape).c_str(), c.maxAbs, c.maxRel, c.worst,
            c.failures ? "FAIL" : "ok");
        EXPECT_EQ(c.failures, 0) << "output " << out.blob << ": " << c.failures << " of " << expected[k].count()
                                 << " elements over atol " << atol << " + rtol " << rtol << " * |ort|; worst at "
                                 << c.worstIndex << ": kiln " << results[k][static_cast<size_t>(c.worstIndex)]
                                 << " vs ort " << ref[c.worstIndex] << "; max abs err " << c.maxAbs;
    }
}

// Every test below, as "<model>" or "<model>_<mode>"; the last test checks the manifest against it.
const std::vector<std::pair<std::string, Mode>> kTested{{"lenet", Mode::kEXPLICIT}, {"lenet", Mode::kIMPLICIT},
    {"cifar10_quick", Mode::kEXPLICIT}, {"cifar10_quick", Mode::kIMPLICIT}, {"cifar10_full", Mode::kEXPLICIT},
    {"alexnet", Mode::kEXPLICIT}, {"googlenet", Mode::kEXPLICIT}, {"squeezenet1_0", Mode::kEXPLICIT},
    {"squeezenet1_1", Mode::kEXPLICIT}, {"squeezenet1_1", Mode::kIMPLICIT}, {"mobilenet_v1", Mode::kEXPLICIT},
    {"mobilenet_v2", Mode::kEXPLICIT}, {"mobilenet_v2", Mode::kHALF}, {"resnet50", Mode::kEXPLICIT},
    {"mtcnn_rnet", Mode::kEXPLICIT}};

} // namespace

// LeNet (examples/mnist): Input layer; the caffemodel is a training snapshot (Data, loss, Accuracy).
TEST(CaffeModels, lenet)
{
    checkModel("lenet", Mode::kEXPLICIT);
}
TEST(CaffeModels, lenet_implicit)
{
    checkModel("lenet", Mode::kIMPLICIT);
}
// CIFAR10-quick: ceil-mode MAX/AVE pools (AVE edge windows divided by their clipped size); blobs with
// legacy num/channels/height/width shapes; a training snapshot.
TEST(CaffeModels, cifar10_quick)
{
    checkModel("cifar10_quick", Mode::kEXPLICIT);
}
TEST(CaffeModels, cifar10_quick_implicit)
{
    checkModel("cifar10_quick", Mode::kIMPLICIT);
}
// CIFAR10-full: LRN WITHIN_CHANNEL; the caffemodel uses the legacy V1 `layers` field.
TEST(CaffeModels, cifar10_full)
{
    checkModel("cifar10_full", Mode::kEXPLICIT);
}
// AlexNet (BVLC): LRN ACROSS_CHANNELS, group-2 convolutions, Dropout, 61M parameters.
TEST(CaffeModels, alexnet)
{
    checkModel("alexnet", Mode::kEXPLICIT);
}
// GoogLeNet (BVLC): Concat, ceil-mode pools, AVE pool 7; NVCaffe FP16 blob storage.
TEST(CaffeModels, googlenet)
{
    checkModel("googlenet", Mode::kEXPLICIT);
}
// SqueezeNet 1.0: input + input_shape; fire modules (Concat); conv10 with pad 1 on a 1x1 kernel.
TEST(CaffeModels, squeezenet1_0)
{
    checkModel("squeezenet1_0", Mode::kEXPLICIT);
}
// SqueezeNet 1.1: Input layer; global AVE pooling; Softmax over [1, 1000, 1, 1].
TEST(CaffeModels, squeezenet1_1)
{
    checkModel("squeezenet1_1", Mode::kEXPLICIT);
}
TEST(CaffeModels, squeezenet1_1_implicit)
{
    checkModel("squeezenet1_1", Mode::kIMPLICIT);
}
// MobileNet v1: legacy input_dim; group (depthwise) convolutions; BatchNorm with moving-average
// factor 0 (zero statistics) + Scale.
TEST(CaffeModels, mobilenet_v1)
{
    checkModel("mobilenet_v1", Mode::kEXPLICIT);
}
// MobileNet v2: BatchNorm (factor 999.98) to a new blob + Scale in place, Clip 0..6, Eltwise SUM.
TEST(CaffeModels, mobilenet_v2)
{
    checkModel("mobilenet_v2", Mode::kEXPLICIT);
}
// The same with DataType::kHALF weights. Every weight (and each folded BatchNorm/Scale value) rounded
// to half moves the outputs, here by up to ~3% of the largest probability: BatchNorm divides by
// small standard deviations and subtracts means much larger than them, which amplifies the
// rounding. The manifest's half tolerance is 4x the deviation ONNX Runtime shows with fp16-rounded
// initializers (measured by the generator): it catches wrong conversions or half arithmetic in the
// folding, not rounding details. MobileNet v2 rather than ResNet-50, which costs 7-14 s a run.
TEST(CaffeModels, mobilenet_v2_half)
{
    checkModel("mobilenet_v2", Mode::kHALF);
}
// ResNet-50 (KaimingHe): legacy input_dim, BatchNorm + Scale, Eltwise SUM, AVE pool 7.
TEST(CaffeModels, resnet50)
{
    checkModel("resnet50", Mode::kEXPLICIT);
}
// MTCNN R-Net (det2): legacy input_dim; PReLU after convolutions and an InnerProduct; two outputs.
TEST(CaffeModels, mtcnn_rnet)
{
    checkModel("mtcnn_rnet", Mode::kEXPLICIT);
}

// Every model and variant the generator asks for has a TEST above (a new one needs a line here).
TEST(CaffeModels, everyManifestModelIsTested)
{
    std::string error;
    const auto* models = manifest(error);
    ASSERT_NE(models, nullptr) << error;
    auto tested = [](const std::string& name, Mode mode) {
        return std::find(kTested.begin(), kTested.end(), std::make_pair(name, mode)) != kTested.end();
    };
    for (const auto& [name, spec] : *models)
    {
        EXPECT_TRUE(tested(name, Mode::kEXPLICIT)) << name << " has no TEST";
        EXPECT_TRUE(!spec.implicit || tested(name, Mode::kIMPLICIT)) << name << " has no implicit-batch TEST";
        EXPECT_TRUE(!spec.half || tested(name, Mode::kHALF)) << name << " has no kHALF TEST";
    }
    for (const auto& [name, mode] : kTested)
        EXPECT_NE(models->find(name), models->end()) << name << " is tested but not in the manifest";
}
