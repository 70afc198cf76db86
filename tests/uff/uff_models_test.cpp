// Generated UFF models parsed by nvuffparser, built and run by Kiln, compared with NumPy.
//
// tests/uff/models/make_uff_models.py writes small TensorFlow-style graphs covering every op the
// parser supports, seeded inputs for each batch size, the NumPy (TF-semantics) outputs and
// manifest.txt (the uff.models_generated ctest fixture runs it; KILN_UFF_MODELS_DIR overrides the
// folder). Each TEST takes one model through the public API only: register inputs and outputs,
// parse into an implicit-batch network (createNetworkV2(0)), build with the largest batch size,
// run every batch size, and check every output: |kiln - numpy| <= atol + rtol * |numpy|.

#include "NvInfer.h"
#include "NvUffParser.h"
#include "common/io_formats.h"
#include "support/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::UniquePtr;

#ifndef KILN_UFF_MODELS_DIR
#define KILN_UFF_MODELS_DIR "uff_models"
#endif

namespace
{

struct InputSpec
{
    std::string name;
    nvuffparser::UffInputOrder order{nvuffparser::UffInputOrder::kNCHW};
    std::vector<int32_t> dims;
};

struct ModelSpec
{
    std::string name, file;
    bool half{false};
    double rtol{0}, atol{0};
    std::vector<int32_t> batches;
    std::vector<InputSpec> inputs;
    std::vector<std::string> outputs;
};

std::string modelsDir()
{
    const char* env = std::getenv("KILN_UFF_MODELS_DIR");
    return env && *env ? env : KILN_UFF_MODELS_DIR;
}

std::vector<int32_t> splitInts(const std::string& s)
{
    std::vector<int32_t> v;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        v.push_back(std::stoi(item));
    return v;
}

//! Reads manifest.txt (format documented in make_uff_models.py).
bool readManifest(std::map<std::string, ModelSpec>& models, std::string& error)
{
    const std::string path = modelsDir() + "/manifest.txt";
    std::ifstream in(path);
    if (!in)
    {
        error = "cannot read " + path + " (run the uff.models_generated test, or make_uff_models.py)";
        return false;
    }
    ModelSpec spec;
    std::string line;
    while (std::getline(in, line))
    {
        std::stringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "model")
        {
            std::string weights, batches;
            words >> spec.name >> spec.file >> weights >> spec.rtol >> spec.atol >> batches;
            spec.half = weights == "half";
            spec.batches = splitInts(batches);
        }
        else if (kind == "input")
        {
            InputSpec input;
            std::string order, dims;
            words >> input.name >> order >> dims;
            input.order = order == "nchw" ? nvuffparser::UffInputOrder::kNCHW
                : order == "nhwc"         ? nvuffparser::UffInputOrder::kNHWC
                                          : nvuffparser::UffInputOrder::kNC;
            input.dims = splitInts(dims);
            spec.inputs.push_back(input);
        }
        else if (kind == "output")
        {
            std::string name;
            words >> name;
            spec.outputs.push_back(name);
        }
        else if (kind == "end")
        {
            models[spec.name] = spec;
            spec = ModelSpec{};
        }
        else if (!kind.empty())
        {
            error = path + ": unknown line '" + line + "'";
            return false;
        }
    }
    return true;
}

const std::map<std::string, ModelSpec>* manifest(std::string& error)
{
    static std::map<std::string, ModelSpec> models;
    static std::string readError;
    static const bool ok = readManifest(models, readError);
    error = readError;
    return ok ? &models : nullptr;
}

std::string fileName(const std::string& tensor)
{
    std::string s = tensor;
    std::replace(s.begin(), s.end(), '/', '_');
    return s;
}

int64_t volume(const Dims& d)
{
    int64_t v = 1;
    for (int32_t k = 0; k < d.nbDims; ++k)
        v *= d.d[k];
    return v;
}

//! Every convolution, deconvolution and fully connected layer holds its kernel as \p type.
void expectKernelType(INetworkDefinition& network, DataType type)
{
    int32_t checked = 0;
    for (int32_t k = 0; k < network.getNbLayers(); ++k)
    {
        ILayer* layer = network.getLayer(k);
        Weights w{};
        if (layer->getType() == LayerType::kCONVOLUTION)
            w = static_cast<IConvolutionLayer*>(layer)->getKernelWeights();
        else if (layer->getType() == LayerType::kFULLY_CONNECTED)
            w = static_cast<IFullyConnectedLayer*>(layer)->getKernelWeights();
        else if (layer->getType() == LayerType::kDECONVOLUTION)
            w = static_cast<IDeconvolutionLayer*>(layer)->getKernelWeights();
        else
            continue;
        EXPECT_EQ(w.type, type) << "layer " << layer->getName();
        ++checked;
    }
    EXPECT_GT(checked, 0) << "no weighted layer to check";
}

void checkModel(const std::string& name)
{
    std::string error;
    const auto* models = manifest(error);
    ASSERT_NE(models, nullptr) << error;
    const auto found = models->find(name);
    ASSERT_NE(found, models->end()) << "model " << name << " is not in " << modelsDir() << "/manifest.txt";
    const ModelSpec& spec = found->second;

    kiln::test::CapturingLogger logger;
    UniquePtr<IBuilder> builder(createInferBuilder(logger));
    ASSERT_TRUE(builder);
    UniquePtr<INetworkDefinition> network(builder->createNetworkV2(0));
    UniquePtr<nvuffparser::IUffParser> parser(nvuffparser::createUffParser());
    ASSERT_TRUE(network && parser);
    for (const InputSpec& in : spec.inputs)
        ASSERT_TRUE(parser->registerInput(in.name.c_str(), kiln::test::toDims(in.dims), in.order)) << logger.errors();
    for (const std::string& out : spec.outputs)
        ASSERT_TRUE(parser->registerOutput(out.c_str())) << logger.errors();
    const std::string path = modelsDir() + "/" + spec.file;
    ASSERT_TRUE(parser->parse(path.c_str(), *network, spec.half ? DataType::kHALF : DataType::kFLOAT))
        << logger.errors();
    if (spec.half)
        expectKernelType(*network, DataType::kHALF);
    const int32_t maxBatch = *std::max_element(spec.batches.begin(), spec.batches.end());
    builder->setMaxBatchSize(maxBatch);
    UniquePtr<IBuilderConfig> config(builder->createBuilderConfig());
    UniquePtr<ICudaEngine> engine(builder->buildEngineWithConfig(*network, *config));
    ASSERT_TRUE(engine) << logger.errors();
    ASSERT_TRUE(engine->hasImplicitBatchDimension());
    UniquePtr<IExecutionContext> context(engine->createExecutionContext());
    ASSERT_TRUE(context);
    ASSERT_EQ(engine->getNbBindings(), static_cast<int32_t>(spec.inputs.size() + spec.outputs.size()));

    for (int32_t batch : spec.batches)
    {
        SCOPED_TRACE("batch " + std::to_string(batch));
        const std::string prefix = modelsDir() + "/" + name + ".b" + std::to_string(batch) + ".";
        std::vector<std::vector<uint8_t>> buffers(static_cast<size_t>(engine->getNbBindings()));
        std::vector<void*> bindings(buffers.size(), nullptr);
        for (const InputSpec& in : spec.inputs)
        {
            kiln::tools::NpyArray npy;
            ASSERT_TRUE(kiln::tools::readNpy(prefix + "in." + fileName(in.name) + ".npy", npy, error)) << error;
            const int32_t b = engine->getBindingIndex(in.name.c_str());
            ASSERT_GE(b, 0) << in.name;
            ASSERT_TRUE(engine->bindingIsInput(b));
            std::vector<int32_t> expected{batch};
            const Dims d = engine->getBindingDimensions(b);
            expected.insert(expected.end(), d.d, d.d + d.nbDims);
            ASSERT_EQ(npy.shape, expected) << "input " << in.name;
            ASSERT_EQ(npy.type, engine->getBindingDataType(b)) << "input " << in.name;
            buffers[static_cast<size_t>(b)] = npy.bytes;
        }
        std::vector<kiln::tools::NpyArray> expected(spec.outputs.size());
        for (size_t o = 0; o < spec.outputs.size(); ++o)
        {
            ASSERT_TRUE(kiln::tools::readNpy(prefix + "out." + fileName(spec.outputs[o]) + ".npy", expected[o], error))
                << error;
            const int32_t b = engine->getBindingIndex(spec.outputs[o].c_str());
            ASSERT_GE(b, 0) << spec.outputs[o];
            buffers[static_cast<size_t>(b)].assign(static_cast<size_t>(expected[o].bytes.size()) + 1, 0xEE);
        }
        for (size_t k = 0; k < buffers.size(); ++k)
            bindings[k] = buffers[k].data();
        ASSERT_TRUE(context->execute(batch, bindings.data())) << logger.errors();

        for (size_t o = 0; o < spec.outputs.size(); ++o)
        {
            const std::string& out = spec.outputs[o];
            const int32_t b = engine->getBindingIndex(out.c_str());
            const Dims d = engine->getBindingDimensions(b);
            std::vector<int32_t> shape{batch};
            shape.insert(shape.end(), d.d, d.d + d.nbDims);
            EXPECT_EQ(shape, expected[o].shape) << "output " << out << " (engine dims vs. NumPy shape)";
            EXPECT_EQ(engine->getBindingDataType(b), expected[o].type) << "output " << out;
            if (shape != expected[o].shape || engine->getBindingDataType(b) != expected[o].type)
                continue;
            const int64_t n = batch * volume(d);
            const uint8_t* raw = buffers[static_cast<size_t>(b)].data();
            int64_t bad = 0;
            for (int64_t k = 0; k < n; ++k)
            {
                double got = 0, want = 0;
                if (expected[o].type == DataType::kINT32)
                {
                    got = reinterpret_cast<const int32_t*>(raw)[k];
                    want = reinterpret_cast<const int32_t*>(expected[o].bytes.data())[k];
                }
                else
                {
                    got = reinterpret_cast<const float*>(raw)[k];
                    want = reinterpret_cast<const float*>(expected[o].bytes.data())[k];
                }
                if (!(std::fabs(got - want) <= spec.atol + spec.rtol * std::fabs(want)) && ++bad <= 5)
                    ADD_FAILURE() << "output " << out << " element " << k << ": kiln " << got << ", numpy " << want;
            }
            EXPECT_EQ(bad, 0) << "output " << out << ": " << bad << " of " << n << " elements differ";
        }
    }
}

} // namespace

TEST(UffModels, conv_nchw)
{
    checkModel("conv_nchw");
}
TEST(UffModels, depthwise_pool)
{
    checkModel("depthwise_pool");
}
TEST(UffModels, deconv)
{
    checkModel("deconv");
}
TEST(UffModels, mlp_nc)
{
    checkModel("mlp_nc");
}
TEST(UffModels, half_weights)
{
    checkModel("half_weights");
}
TEST(UffModels, nchw_graph)
{
    checkModel("nchw_graph");
}
TEST(UffModels, unary_binary)
{
    checkModel("unary_binary");
}
TEST(UffModels, shape_ops)
{
    checkModel("shape_ops");
}
TEST(UffModels, reduce_arg)
{
    checkModel("reduce_arg");
}
TEST(UffModels, gather)
{
    checkModel("gather");
}

// Every model the generator wrote has a TEST above (a new model needs one here).
TEST(UffModels, everyManifestModelIsTested)
{
    std::string error;
    const auto* models = manifest(error);
    ASSERT_NE(models, nullptr) << error;
    const std::vector<std::string> tested{"conv_nchw", "depthwise_pool", "deconv", "mlp_nc", "half_weights",
        "nchw_graph", "unary_binary", "shape_ops", "reduce_arg", "gather"};
    for (const auto& entry : *models)
        EXPECT_NE(std::find(tested.begin(), tested.end(), entry.first), tested.end()) << entry.first << " has no TEST";
    EXPECT_EQ(models->size(), tested.size());
}
