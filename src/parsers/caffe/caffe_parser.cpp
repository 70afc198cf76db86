#include "caffe_parser.h"

#include <google/protobuf/stubs/common.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>

namespace kiln
{
namespace caffeparser
{

using kiln::caffe::BlobProto;
using kiln::caffe::LayerParameter;
using kiln::caffe::NetParameter;
using kiln::caffe::NetStateRule;

// ---- BlobNameToTensor, BinaryProtoBlob ----------------------------------------------------------

nvinfer1::ITensor* BlobNameToTensor::find(const char* name) const TRTNOEXCEPT
{
    return name ? get(name) : nullptr;
}

nvinfer1::ITensor* BlobNameToTensor::get(const std::string& name) const
{
    auto it = mTensors.find(name);
    return it == mTensors.end() ? nullptr : it->second;
}

BinaryProtoBlob::~BinaryProtoBlob()
{
    std::free(mData);
}

// ---- phase rules --------------------------------------------------------------------------------

namespace
{

//! Caffe's rule matching for an inference (TEST) net with the deploy file's level and stages.
bool ruleMatches(const NetStateRule& rule, int level, const std::set<std::string>& stages)
{
    if (rule.has_phase() && rule.phase() != kiln::caffe::TEST)
        return false;
    if (rule.has_min_level() && level < rule.min_level())
        return false;
    if (rule.has_max_level() && level > rule.max_level())
        return false;
    for (const std::string& s : rule.stage())
        if (!stages.count(s))
            return false;
    for (const std::string& s : rule.not_stage())
        if (stages.count(s))
            return false;
    return true;
}

bool includedAtTest(const LayerParameter& layer, const NetParameter& net)
{
    const int level = net.has_state() ? net.state().level() : 0;
    std::set<std::string> stages;
    if (net.has_state())
        stages.insert(net.state().stage().begin(), net.state().stage().end());
    if (layer.include_size() > 0)
    {
        for (const NetStateRule& rule : layer.include())
            if (ruleMatches(rule, level, stages))
                return true;
        return false;
    }
    for (const NetStateRule& rule : layer.exclude())
        if (ruleMatches(rule, level, stages))
            return false;
    return true;
}

//! Layer name → weight blobs, from the caffemodel's `layer` and legacy `layers` lists. A name seen
//! twice keeps the first layer that has blobs (snapshots repeat names across phases).
std::map<std::string, std::vector<const BlobProto*>> weightsByName(const NetParameter& model)
{
    std::map<std::string, std::vector<const BlobProto*>> out;
    auto add = [&](const std::string& name, const google::protobuf::RepeatedPtrField<BlobProto>& blobs) {
        auto it = out.find(name);
        if (it != out.end() && !it->second.empty())
            return;
        std::vector<const BlobProto*>& list = out[name];
        for (const BlobProto& b : blobs)
            list.push_back(&b);
    };
    for (const LayerParameter& layer : model.layer())
        add(layer.name(), layer.blobs());
    for (const kiln::caffe::V1LayerParameter& layer : model.layers())
        add(layer.name(), layer.blobs());
    return out;
}

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

} // namespace

// ---- CaffeParser --------------------------------------------------------------------------------

CaffeParser::CaffeParser() = default;
CaffeParser::~CaffeParser() = default;

void CaffeParser::setProtobufBufferSize(size_t size) TRTNOEXCEPT
{
    mBufferLimit = size == 0 || size > parsers::kMaxProtobufBytes ? parsers::kMaxProtobufBytes : size;
}

const nvcaffeparser1::IBlobNameToTensor* CaffeParser::parse(const char* deploy, const char* model,
    nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightType) TRTNOEXCEPT
{
    if (!deploy)
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "parse: the deploy file name is null");
        return nullptr;
    }
    std::string deployText, modelBytes, error;
    if (!parsers::readWholeFile(deploy, mBufferLimit, deployText, error))
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "deploy file: " + error);
        return nullptr;
    }
    if (model && !parsers::readWholeFile(model, mBufferLimit, modelBytes, error))
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "model file: " + error);
        return nullptr;
    }
    return parseBuffers(deployText.data(), deployText.size(), model ? modelBytes.data() : nullptr, modelBytes.size(),
        network, weightType);
}

const nvcaffeparser1::IBlobNameToTensor* CaffeParser::parseBuffers(const char* deployBuffer, std::size_t deployLength,
    const char* modelBuffer, std::size_t modelLength, nvinfer1::INetworkDefinition& network,
    nvinfer1::DataType weightType) TRTNOEXCEPT
{
    try
    {
        if (!deployBuffer)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "parseBuffers: the deploy buffer is null");
            return nullptr;
        }
        NetParameter deploy;
        std::string error;
        std::vector<std::string> warnings;
        const bool deployOk = parsers::parseText(deployBuffer, deployLength, deploy, error, warnings);
        for (const std::string& w : warnings)
            mDiag.warning("deploy prototxt: " + w);
        if (!deployOk)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "deploy prototxt: " + error);
            return nullptr;
        }
        std::unique_ptr<NetParameter> model;
        if (modelBuffer)
        {
            model.reset(new NetParameter);
            warnings.clear();
            const bool modelOk = parsers::parseBinary(modelBuffer, modelLength, mBufferLimit, *model, error, &warnings);
            for (const std::string& w : warnings)
                mDiag.warning("caffemodel: " + w);
            if (!modelOk)
            {
                mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "caffemodel: " + error);
                return nullptr;
            }
        }
        return parseMessages(deploy, model.get(), network, weightType);
    }
    catch (const std::exception& e)
    {
        mDiag.error(nvinfer1::ErrorCode::kINTERNAL_ERROR, std::string("parse failed: ") + e.what());
        return nullptr;
    }
}

const nvcaffeparser1::IBlobNameToTensor* CaffeParser::parseMessages(const NetParameter& deploy,
    const NetParameter* model, nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightType)
{
    if (weightType != nvinfer1::DataType::kFLOAT && weightType != nvinfer1::DataType::kHALF)
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "the weight type must be kFLOAT or kHALF (got DataType " + std::to_string(static_cast<int>(weightType))
                + ")");
        return nullptr;
    }
    if (deploy.layer_size() == 0 && deploy.layers_size() > 0)
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "the deploy prototxt uses the legacy `layers` format (V1LayerParameter); the deploy file must use "
            "`layer`. Caffe's upgrade_net_proto_text tool converts it.");
        return nullptr;
    }
    mWeights.setType(weightType);
    mBlobs.reset(new BlobNameToTensor);
    mDiag.resetErrorCount();
    const bool implicitBatch = network.hasImplicitBatchDimension();

    std::map<std::string, std::vector<const BlobProto*>> weights;
    if (model)
        weights = weightsByName(*model);
    else
        mDiag.warning("no caffemodel given: weights are generated (deterministic pseudo-random values)");

    if (!addInputs(deploy, network, implicitBatch))
        return nullptr;
    for (const LayerParameter& layer : deploy.layer())
    {
        if (!includedAtTest(layer, deploy))
        {
            mDiag.verbose("layer '" + layer.name() + "' (" + layer.type() + ") is not part of the TEST phase; skipped");
            continue;
        }
        const std::vector<const BlobProto*>* blobs = nullptr;
        static const std::vector<const BlobProto*> kNone;
        if (model)
        {
            auto it = weights.find(layer.name());
            blobs = it == weights.end() ? &kNone : &it->second;
        }
        if (!convertLayer(layer, blobs, network, implicitBatch))
            return nullptr;
    }
    if (mDiag.errorCount() > 0)
        return nullptr;
    return mBlobs.get();
}

bool CaffeParser::addInput(nvinfer1::INetworkDefinition& network, const std::string& name, std::vector<int64_t> shape,
    bool implicitBatch, const std::string& where)
{
    if (name.empty())
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, where + ": an input has no name");
        return false;
    }
    if (shape.size() < 2 || shape.size() > static_cast<size_t>(nvinfer1::Dims::MAX_DIMS) + 1)
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            where + ": input '" + name + "' has shape " + shapeText(shape) + "; inputs need 2 to "
                + std::to_string(nvinfer1::Dims::MAX_DIMS + 1) + " dimensions (N first)");
        return false;
    }
    for (int64_t d : shape)
        if (d <= 0 || d > (1 << 30))
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                where + ": input '" + name + "' has shape " + shapeText(shape) + "; every dimension must be positive");
            return false;
        }
    if (shape[0] != 1)
        mDiag.warning(where + ": input '" + name + "' has batch " + std::to_string(shape[0])
            + (implicitBatch ? "; the batch is chosen at execution (implicit batch), so it is dropped"
                             : "; an explicit-batch network gets N = 1"));
    nvinfer1::Dims dims{};
    if (implicitBatch)
        shape.erase(shape.begin());
    else
        shape[0] = 1;
    dims.nbDims = static_cast<int32_t>(shape.size());
    for (size_t i = 0; i < shape.size(); ++i)
        dims.d[i] = static_cast<int32_t>(shape[i]);
    nvinfer1::ITensor* tensor = network.addInput(name.c_str(), nvinfer1::DataType::kFLOAT, dims);
    if (!tensor)
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, where + ": the network refused input '" + name + "'");
        return false;
    }
    mBlobs->set(name, tensor);
    return true;
}

bool CaffeParser::addInputs(const NetParameter& deploy, nvinfer1::INetworkDefinition& network, bool implicitBatch)
{
    const int n = deploy.input_size();
    if (n == 0)
    {
        if (deploy.input_shape_size() > 0 || deploy.input_dim_size() > 0)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "the deploy file gives input_shape/input_dim but no input");
            return false;
        }
        return true;
    }
    if (deploy.input_shape_size() > 0)
    {
        if (deploy.input_shape_size() != n)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                "the deploy file has " + std::to_string(n) + " input(s) but " + std::to_string(deploy.input_shape_size())
                    + " input_shape(s)");
            return false;
        }
        for (int i = 0; i < n; ++i)
        {
            const auto& dims = deploy.input_shape(i).dim();
            if (!addInput(network, deploy.input(i), std::vector<int64_t>(dims.begin(), dims.end()), implicitBatch,
                    "input_shape"))
                return false;
        }
        return true;
    }
    if (deploy.input_dim_size() != 4 * n)
    {
        mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
            "the deploy file has " + std::to_string(n) + " input(s) and " + std::to_string(deploy.input_dim_size())
                + " input_dim value(s); legacy input_dim needs four (N, C, H, W) per input");
        return false;
    }
    for (int i = 0; i < n; ++i)
    {
        std::vector<int64_t> shape;
        for (int j = 0; j < 4; ++j)
            shape.push_back(deploy.input_dim(4 * i + j));
        if (!addInput(network, deploy.input(i), shape, implicitBatch, "input_dim"))
            return false;
    }
    return true;
}

bool CaffeParser::convertLayer(const LayerParameter& layer, const std::vector<const BlobProto*>* blobs,
    nvinfer1::INetworkDefinition& network, bool implicitBatch)
{
    LayerContext ctx{layer, blobs, network, {}, mWeights, mDiag, implicitBatch, {}};
    if (layer.name().empty())
        return ctx.fail("the layer has no name");

    // Input layers make network inputs, one per top.
    if (layer.type() == "Input")
    {
        const int shapes = layer.input_param().shape_size();
        if (shapes != 1 && shapes != layer.top_size())
            return ctx.fail("has " + std::to_string(layer.top_size()) + " top(s) and " + std::to_string(shapes)
                + " shape(s) in input_param");
        if (layer.top_size() == 0)
            return ctx.fail("has no top");
        for (int i = 0; i < layer.top_size(); ++i)
        {
            const auto& dims = layer.input_param().shape(shapes == 1 ? 0 : i).dim();
            if (!addInput(network, layer.top(i), std::vector<int64_t>(dims.begin(), dims.end()), implicitBatch,
                    ctx.where()))
                return false;
        }
        return true;
    }

    for (const std::string& bottom : layer.bottom())
    {
        nvinfer1::ITensor* tensor = mBlobs->get(bottom);
        if (!tensor)
            return ctx.fail("bottom '" + bottom + "' is not an input and no earlier layer writes it (a misspelt "
                "name, a missing layer, or a cycle)");
        ctx.inputs.push_back(tensor);
    }

    const bool plugin = mFactoryV2 ? mFactoryV2->isPluginV2(layer.name().c_str())
                                   : (mFactory && mFactory->isPlugin(layer.name().c_str()));
    bool ok;
    if (plugin)
        ok = addPluginLayer(ctx);
    else
    {
        auto it = layerRegistry().find(layer.type());
        if (it == layerRegistry().end())
            return ctx.fail("Kiln's Caffe parser does not support layer type '" + layer.type()
                    + "'; give the parser an IPluginFactoryV2 (setPluginFactoryV2) that creates this layer",
                nvinfer1::ErrorCode::kUNSUPPORTED_STATE);
        ok = it->second(ctx);
    }
    if (!ok)
        return false;
    if (static_cast<int>(ctx.outputs.size()) != layer.top_size())
        return ctx.fail("produced " + std::to_string(ctx.outputs.size()) + " output(s) for "
            + std::to_string(layer.top_size()) + " top(s)");
    for (int i = 0; i < layer.top_size(); ++i)
    {
        nvinfer1::ITensor* out = ctx.outputs[static_cast<size_t>(i)];
        if (!out)
            return ctx.fail("produced no tensor for top '" + layer.top(i) + "'");
        // Pass-through layers (Dropout, Split) hand back their input: keep its name.
        const bool passThrough = std::find(ctx.inputs.begin(), ctx.inputs.end(), out) != ctx.inputs.end();
        if (!passThrough)
        {
            // An in-place layer on a network input must not take the input's name: bindings
            // are found by name.
            bool inputName = false;
            for (int32_t k = 0; k < network.getNbInputs() && !inputName; ++k)
                inputName = layer.top(i) == network.getInput(k)->getName();
            out->setName(inputName ? (layer.top(i) + "/" + layer.name()).c_str() : layer.top(i).c_str());
        }
        mBlobs->set(layer.top(i), out);
    }
    return true;
}

bool CaffeParser::addPluginLayer(LayerContext& ctx)
{
    if (!mFactoryV2)
        return ctx.fail("the legacy IPluginFactory claims this layer, but legacy IPlugin layers are not supported by "
                        "Kiln; use setPluginFactoryV2",
            nvinfer1::ErrorCode::kUNSUPPORTED_STATE);
    std::vector<nvinfer1::Weights> weights;
    for (int i = 0; i < ctx.blobCount(); ++i)
    {
        std::vector<float> values;
        if (!ctx.blob(i, -1, values))
            return false;
        weights.push_back(mWeights.make(values));
    }
    nvinfer1::IPluginV2* plugin = mFactoryV2->createPlugin(ctx.name().c_str(), weights.data(),
        static_cast<int32_t>(weights.size()), mNamespace.c_str());
    if (!plugin)
        return ctx.fail("the plugin factory returned no plugin for this layer");
    nvinfer1::IPluginV2Layer* layer
        = ctx.network.addPluginV2(ctx.inputs.data(), static_cast<int32_t>(ctx.inputs.size()), *plugin);
    if (!ctx.check(layer))
        return false;
    for (int32_t i = 0; i < layer->getNbOutputs(); ++i)
        ctx.outputs.push_back(layer->getOutput(i));
    return true;
}

// ---- .binaryproto -------------------------------------------------------------------------------

nvcaffeparser1::IBinaryProtoBlob* CaffeParser::parseBinaryProto(const char* fileName) TRTNOEXCEPT
{
    try
    {
        if (!fileName)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "parseBinaryProto: the file name is null");
            return nullptr;
        }
        std::string bytes, error;
        BlobProto blob;
        std::vector<std::string> warnings;
        const bool ok = parsers::readWholeFile(fileName, mBufferLimit, bytes, error)
            && parsers::parseBinary(bytes.data(), bytes.size(), mBufferLimit, blob, error, &warnings);
        for (const std::string& w : warnings)
            mDiag.warning(std::string("parseBinaryProto: ") + w);
        if (!ok)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, std::string("parseBinaryProto: ") + error);
            return nullptr;
        }
        std::vector<int64_t> shape = blobShape(blob);
        if (shape.empty() || shape.size() > 4)
        {
            mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                std::string("parseBinaryProto: '") + fileName + "' has shape " + shapeText(shape)
                    + "; a blob needs 1 to 4 dimensions (read as N, C, H, W aligned to the right)");
            return nullptr;
        }
        while (shape.size() < 4)
            shape.insert(shape.begin(), 1);
        int64_t count = 1;
        for (int64_t d : shape)
        {
            if (d <= 0 || d > (1 << 30) || count > (int64_t{1} << 31) / d)
            {
                mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                    std::string("parseBinaryProto: '") + fileName + "' has an invalid shape " + shapeText(shape));
                return nullptr;
            }
            count *= d;
        }
        const bool half = blob.data_size() == 0 && blob.double_data_size() == 0 && blob.has_raw_data()
            && blob.raw_data_type() == kiln::caffe::FLOAT16;
        void* data = nullptr;
        if (half)
        {
            if (static_cast<int64_t>(blob.raw_data().size()) != 2 * count)
            {
                mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                    std::string("parseBinaryProto: '") + fileName + "' holds " + std::to_string(blob.raw_data().size() / 2)
                        + " FLOAT16 values; its shape " + shapeText(shape) + " needs " + std::to_string(count));
                return nullptr;
            }
            data = std::malloc(static_cast<size_t>(2 * count));
            if (data)
                std::memcpy(data, blob.raw_data().data(), static_cast<size_t>(2 * count));
        }
        else
        {
            std::vector<float> values;
            if (!blobValues(blob, values, error) || static_cast<int64_t>(values.size()) != count)
            {
                mDiag.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT,
                    std::string("parseBinaryProto: '") + fileName + "': "
                        + (error.empty() ? "holds " + std::to_string(values.size()) + " values; its shape "
                                    + shapeText(shape) + " needs " + std::to_string(count)
                                         : error));
                return nullptr;
            }
            data = std::malloc(static_cast<size_t>(4 * count));
            if (data)
                std::memcpy(data, values.data(), static_cast<size_t>(4 * count));
        }
        if (!data)
        {
            mDiag.error(nvinfer1::ErrorCode::kFAILED_ALLOCATION, "parseBinaryProto: out of memory");
            return nullptr;
        }
        const nvinfer1::DimsNCHW dims(static_cast<int32_t>(shape[0]), static_cast<int32_t>(shape[1]),
            static_cast<int32_t>(shape[2]), static_cast<int32_t>(shape[3]));
        return new BinaryProtoBlob(dims, half ? nvinfer1::DataType::kHALF : nvinfer1::DataType::kFLOAT, data);
    }
    catch (const std::exception& e)
    {
        mDiag.error(nvinfer1::ErrorCode::kINTERNAL_ERROR, std::string("parseBinaryProto failed: ") + e.what());
        return nullptr;
    }
}

} // namespace caffeparser
} // namespace kiln

// ---- entry points -------------------------------------------------------------------------------

namespace nvcaffeparser1
{
TENSORRTAPI ICaffeParser* createCaffeParser() TRTNOEXCEPT
{
    return new (std::nothrow) kiln::caffeparser::CaffeParser;
}

// protobuf's global state is shared with the ONNX and UFF parsers in the same process, and
// ShutdownProtobufLibrary cannot be undone; releasing it here would break a parser created later.
// Like TensorRT, the call is allowed once at exit; Kiln leaves the cleanup to process exit.
TENSORRTAPI void shutdownProtobufLibrary() TRTNOEXCEPT {}
} // namespace nvcaffeparser1

extern "C" TENSORRTAPI void* createNvCaffeParser_INTERNAL()
{
    return nvcaffeparser1::createCaffeParser();
}
