// Real architectures parsed from ONNX, built and run by Kiln, and compared with ONNX Runtime.
//
// tests/onnx/models/make_models.py writes the models, their seeded inputs, ONNX Runtime's outputs
// and manifest.txt into the models folder (the onnx.models_generated ctest fixture runs it; set
// KILN_ONNX_MODELS_DIR to use another folder). Each TEST here takes one model through the public
// API only: parse with nvonnxparser into an explicit-batch network, add an optimization profile
// for inputs with -1 dims, buildSerializedNetwork, deserialize, run every recorded input set,
// and check each output elementwise: |kiln - ort| <= atol + rtol * |ort|.

#include "NvInfer.h"
#include "NvOnnxParser.h"
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

#ifndef KILN_ONNX_MODELS_DIR
#define KILN_ONNX_MODELS_DIR "onnx_models"
#endif

namespace
{

struct ProfileSpec
{
    std::string input;
    std::vector<int32_t> min, opt, max;
};

struct OutputSpec
{
    std::string name, npy;
    double rtol{0}, atol{0};
};

struct RunSpec
{
    std::string label;
    std::vector<std::pair<std::string, std::string>> inputs; // name, npy for Kiln
    std::vector<OutputSpec> outputs;
};

struct ModelSpec
{
    std::string name, file;
    int opset{0};
    std::vector<ProfileSpec> profiles;
    std::vector<RunSpec> runs;
};

std::string modelsDir()
{
    const char* env = std::getenv("KILN_ONNX_MODELS_DIR");
    return env && *env ? env : KILN_ONNX_MODELS_DIR;
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

//! Reads manifest.txt (format documented in make_models.py). False with \p error on bad input.
bool readManifest(const std::string& dir, std::map<std::string, ModelSpec>& models, std::string& error)
{
    const std::string path = dir + "/manifest.txt";
    std::ifstream in(path);
    if (!in)
    {
        error = "cannot open " + path
            + " (did the onnx.models_generated setup test run? it needs python3 with "
              "onnx and onnxruntime: pip install -r tests/onnx/models/requirements.txt)";
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
            if (!(ss >> m.name >> m.file >> m.opset))
                return bad("bad model line");
            model = &(models[m.name] = m);
            continue;
        }
        if (!model)
            return bad("'" + key + "' before any model line");
        if (key == "profile")
        {
            ProfileSpec p;
            std::string mn, op, mx;
            if (!(ss >> p.input >> mn >> op >> mx) || !parseDims(mn, p.min) || !parseDims(op, p.opt)
                || !parseDims(mx, p.max))
                return bad("bad profile line");
            model->profiles.push_back(p);
        }
        else if (key == "run")
        {
            RunSpec r;
            ss >> r.label;
            model->runs.push_back(r);
        }
        else if (key == "input" || key == "output")
        {
            if (model->runs.empty())
                return bad("'" + key + "' before any run line");
            RunSpec& r = model->runs.back();
            std::string name, npy;
            if (!(ss >> name >> npy))
                return bad("bad " + key + " line");
            if (key == "input")
                r.inputs.emplace_back(name, dir + "/" + npy);
            else
            {
                OutputSpec o{name, dir + "/" + npy};
                if (!(ss >> o.rtol >> o.atol))
                    return bad("output line without rtol/atol");
                r.outputs.push_back(o);
            }
        }
        else if (key == "end")
            model = nullptr;
        else
            return bad("unknown record '" + key + "'");
    }
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

Dims toApiDims(const std::vector<int32_t>& v)
{
    return kiln::test::toDims(v);
}

std::string dimsText(const Dims& d)
{
    std::string s = "[";
    for (int32_t k = 0; k < d.nbDims; ++k)
        s += (k ? "," : "") + std::to_string(d.d[k]);
    return s + "]";
}

std::string shapeText(const std::vector<int32_t>& v)
{
    return dimsText(toApiDims(v));
}

bool hasDynamicDims(const Dims& d)
{
    for (int32_t k = 0; k < d.nbDims; ++k)
        if (d.d[k] < 0)
            return true;
    return false;
}

const char* typeName(DataType t)
{
    switch (t)
    {
    case DataType::kFLOAT: return "FLOAT";
    case DataType::kHALF: return "HALF";
    case DataType::kINT8: return "INT8";
    case DataType::kINT32: return "INT32";
    case DataType::kBOOL: return "BOOL";
    }
    return "?";
}

struct Comparison
{
    double maxAbs{0};
    double maxRel{0};    //!< over elements with |ort| > atol (smaller ones are at the noise floor)
    double worst{0};     //!< max |kiln - ort| / (atol + rtol·|ort|); passes when <= 1
    int64_t failures{0}; //!< elements over tolerance (NaN counts as over)
    int64_t worstIndex{-1};
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

//! Parses, builds and runs one model of the manifest; adds gtest failures with the details.
void checkModel(const std::string& name)
{
    std::string error;
    const auto* models = manifest(error);
    ASSERT_NE(models, nullptr) << error;
    const auto found = models->find(name);
    ASSERT_NE(found, models->end()) << "model " << name << " is not in " << modelsDir() << "/manifest.txt";
    const ModelSpec& spec = found->second;
    const std::string onnxPath = modelsDir() + "/" + spec.file;
    SCOPED_TRACE(name + " (" + onnxPath + ", opset " + std::to_string(spec.opset) + ")");

    kiln::test::CapturingLogger logger;
    logger.expectErrors(); // errors are reported below with their context
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    ASSERT_NE(builder, nullptr);
    UniquePtr<INetworkDefinition> network(
        builder->createNetworkV2(1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    ASSERT_NE(network, nullptr);
    UniquePtr<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, logger));
    ASSERT_NE(parser, nullptr) << "createParser failed:\n" << logger.errors();

    auto start = std::chrono::steady_clock::now();
    if (!parser->parseFromFile(onnxPath.c_str(), static_cast<int>(ILogger::Severity::kWARNING)))
    {
        std::string errors;
        for (int i = 0; i < parser->getNbErrors(); ++i)
        {
            const nvonnxparser::IParserError* e = parser->getError(i);
            errors += "  node " + std::to_string(e->node()) + ", code " + std::to_string(static_cast<int>(e->code()))
                + ": " + e->desc() + "\n";
        }
        FAIL() << "parseFromFile failed with " << parser->getNbErrors() << " error(s):\n"
               << errors << "log:\n"
               << logger.errors();
    }
    const double parseSeconds = seconds(start);

    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    ASSERT_NE(config, nullptr);
    bool dynamic = false;
    for (int32_t i = 0; i < network->getNbInputs(); ++i)
        dynamic = dynamic || hasDynamicDims(network->getInput(i)->getDimensions());
    if (dynamic)
    {
        IOptimizationProfile* profile = builder->createOptimizationProfile();
        ASSERT_NE(profile, nullptr);
        for (int32_t i = 0; i < network->getNbInputs(); ++i)
        {
            ITensor* input = network->getInput(i);
            if (!hasDynamicDims(input->getDimensions()))
                continue;
            const auto p = std::find_if(spec.profiles.begin(), spec.profiles.end(),
                [&](const ProfileSpec& s) { return s.input == input->getName(); });
            ASSERT_NE(p, spec.profiles.end())
                << "input " << input->getName() << " has dims " << dimsText(input->getDimensions())
                << " but the manifest gives no profile";
            EXPECT_TRUE(profile->setDimensions(input->getName(), OptProfileSelector::kMIN, toApiDims(p->min)));
            EXPECT_TRUE(profile->setDimensions(input->getName(), OptProfileSelector::kOPT, toApiDims(p->opt)));
            EXPECT_TRUE(profile->setDimensions(input->getName(), OptProfileSelector::kMAX, toApiDims(p->max)));
        }
        ASSERT_GE(config->addOptimizationProfile(profile), 0) << logger.errors();
    }

    start = std::chrono::steady_clock::now();
    UniquePtr<IHostMemory> plan(builder->buildSerializedNetwork(*network, *config));
    ASSERT_NE(plan, nullptr) << "buildSerializedNetwork failed:\n" << logger.errors();
    const double buildSeconds = seconds(start);
    UniquePtr<IRuntime> runtime(createInferRuntime(logger));
    ASSERT_NE(runtime, nullptr);
    UniquePtr<ICudaEngine> engine(runtime->deserializeCudaEngine(plan->data(), plan->size(), nullptr));
    ASSERT_NE(engine, nullptr) << "deserializeCudaEngine failed:\n" << logger.errors();
    UniquePtr<IExecutionContext> context(engine->createExecutionContext());
    ASSERT_NE(context, nullptr) << logger.errors();

    std::printf("[ %-13s ] opset %d, %d layers, parse %.2f s, build %.2f s\n", name.c_str(), spec.opset,
        network->getNbLayers(), parseSeconds, buildSeconds);
    ASSERT_FALSE(spec.runs.empty()) << "the manifest lists no runs";
    for (const RunSpec& run : spec.runs)
    {
        SCOPED_TRACE("run " + run.label);
        std::vector<void*> bindings(static_cast<size_t>(engine->getNbBindings()), nullptr);
        std::vector<kiln::tools::NpyArray> inputs(run.inputs.size());
        for (size_t k = 0; k < run.inputs.size(); ++k)
        {
            const auto& [inputName, npyPath] = run.inputs[k];
            ASSERT_TRUE(kiln::tools::readNpy(npyPath, inputs[k], error)) << error;
            const int32_t b = engine->getBindingIndex(inputName.c_str());
            ASSERT_GE(b, 0) << "the engine has no input " << inputName;
            ASSERT_TRUE(engine->bindingIsInput(b));
            ASSERT_EQ(engine->getBindingDataType(b), inputs[k].type)
                << "input " << inputName << ": engine takes " << typeName(engine->getBindingDataType(b)) << ", "
                << npyPath << " holds " << typeName(inputs[k].type);
            ASSERT_TRUE(context->setBindingDimensions(b, toApiDims(inputs[k].shape)))
                << "input " << inputName << " dims " << shapeText(inputs[k].shape) << ":\n"
                << logger.errors();
            bindings[static_cast<size_t>(b)] = inputs[k].bytes.data();
        }
        ASSERT_TRUE(context->allInputDimensionsSpecified());

        std::vector<std::vector<float>> results(run.outputs.size());
        std::vector<kiln::tools::NpyArray> expected(run.outputs.size());
        int32_t nbOutputs = 0;
        for (int32_t b = 0; b < engine->getNbBindings(); ++b)
            nbOutputs += engine->bindingIsInput(b) ? 0 : 1;
        EXPECT_EQ(nbOutputs, static_cast<int32_t>(run.outputs.size())) << "engine outputs vs. manifest outputs";
        for (size_t k = 0; k < run.outputs.size(); ++k)
        {
            const OutputSpec& out = run.outputs[k];
            ASSERT_TRUE(kiln::tools::readNpy(out.npy, expected[k], error)) << error;
            ASSERT_EQ(expected[k].type, DataType::kFLOAT) << out.npy;
            const int32_t b = engine->getBindingIndex(out.name.c_str());
            ASSERT_GE(b, 0) << "the engine has no output " << out.name;
            ASSERT_EQ(engine->getBindingDataType(b), DataType::kFLOAT) << "output " << out.name;
            const Dims d = context->getBindingDimensions(b);
            ASSERT_EQ(dimsText(d), shapeText(expected[k].shape)) << "output " << out.name << " shape";
            results[k].assign(static_cast<size_t>(expected[k].count()), std::nanf(""));
            bindings[static_cast<size_t>(b)] = results[k].data();
        }

        start = std::chrono::steady_clock::now();
        ASSERT_TRUE(context->executeV2(bindings.data())) << "executeV2 failed:\n" << logger.errors();
        const double runSeconds = seconds(start);

        for (size_t k = 0; k < run.outputs.size(); ++k)
        {
            const OutputSpec& out = run.outputs[k];
            const auto* ref = reinterpret_cast<const float*>(expected[k].bytes.data());
            const Comparison c = compare(results[k].data(), ref, expected[k].count(), out.rtol, out.atol);
            std::printf("[ %-13s ] %-8s %-18s %-14s max abs %.3e  max rel %.3e  worst/tol %.3f  run %.3f s  %s\n",
                name.c_str(), run.label.c_str(), out.name.c_str(), shapeText(expected[k].shape).c_str(), c.maxAbs,
                c.maxRel, c.worst, runSeconds, c.failures ? "FAIL" : "ok");
            EXPECT_EQ(c.failures, 0) << "output " << out.name << ": " << c.failures << " of " << expected[k].count()
                                     << " elements over atol " << out.atol << " + rtol " << out.rtol
                                     << " * |ort|; worst at " << c.worstIndex << ": kiln "
                                     << results[k][static_cast<size_t>(c.worstIndex)] << " vs ort " << ref[c.worstIndex]
                                     << "; max abs err " << c.maxAbs;
        }
    }
}

} // namespace

TEST(OnnxRealModels, resnet50)
{
    checkModel("resnet50");
}
TEST(OnnxRealModels, resnet18)
{
    checkModel("resnet18");
}
TEST(OnnxRealModels, mobilenetv2)
{
    checkModel("mobilenetv2");
}
TEST(OnnxRealModels, squeezenet)
{
    checkModel("squeezenet");
}
TEST(OnnxRealModels, bert)
{
    checkModel("bert");
}
TEST(OnnxRealModels, bert_ln17)
{
    checkModel("bert_ln17");
}
TEST(OnnxRealModels, dynamic_batch)
{
    checkModel("dynamic_batch");
}

// Every model the generator wrote has a TEST above (a new model needs one line here).
TEST(OnnxRealModels, everyManifestModelIsTested)
{
    std::string error;
    const auto* models = manifest(error);
    ASSERT_NE(models, nullptr) << error;
    const std::vector<std::string> tested{
        "resnet50", "resnet18", "mobilenetv2", "squeezenet", "bert", "bert_ln17", "dynamic_batch"};
    for (const auto& [name, spec] : *models)
        EXPECT_NE(std::find(tested.begin(), tested.end(), name), tested.end()) << name << " has no TEST";
}
