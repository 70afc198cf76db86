// nvonnxparser::IParser: reads an ONNX ModelProto (binary or text, external data relative to the
// model file) and imports its main graph into an explicit-batch INetworkDefinition.
#include "NvOnnxParser.h"
#include "context.h"
#include "helpers.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <memory>
#include <new>
#include <sstream>
#include <unordered_map>

namespace kiln::onnx
{
namespace
{

using nvinfer1::ILogger;
using Severity = nvinfer1::ILogger::Severity;

constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 21;
constexpr int64_t kMinIrVersion = 3;
constexpr int64_t kMaxIrVersion = 10;

class ParserError final : public nvonnxparser::IParserError
{
public:
    explicit ParserError(ErrorInfo info)
        : mInfo(std::move(info))
    {
    }
    nvonnxparser::ErrorCode code() const override { return mInfo.code; }
    const char* desc() const override { return mInfo.desc.c_str(); }
    const char* file() const override { return mInfo.file; }
    int line() const override { return mInfo.line; }
    const char* func() const override { return mInfo.func; }
    int node() const override { return mInfo.node; }

private:
    ErrorInfo mInfo;
};

//! Decodes binary protobuf (up to 2 GB; larger models keep their tensors as external data), or
//! protobuf text format.
bool decodeModel(const void* data, size_t size, ::onnx::ModelProto& model)
{
    if (size <= static_cast<size_t>(INT_MAX))
    {
        google::protobuf::io::ArrayInputStream raw(data, static_cast<int>(size));
        google::protobuf::io::CodedInputStream coded(&raw);
        coded.SetTotalBytesLimit(INT_MAX);
        if (model.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage())
            return true;
    }
    model.Clear();
    // Text format: only plausible for printable input.
    const char* text = static_cast<const char*>(data);
    for (size_t i = 0; i < std::min<size_t>(size, 4096); ++i)
    {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x09 || (c > 0x0d && c < 0x20))
            return false;
    }
    class Silent : public google::protobuf::io::ErrorCollector
    {
    public:
        void AddError(int, int, const std::string&) override {}
    } silent;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&silent);
    return parser.ParseFromString(std::string(text, size), &model);
}

class ParserImpl final : public nvonnxparser::IParser
{
public:
    ParserImpl(nvinfer1::INetworkDefinition& network, ILogger* logger)
        : mNetwork(network)
        , mLogger(logger)
    {
    }

    bool parse(const void* data, size_t size) override { return parseBuffer(data, size, ".", Severity::kWARNING, "<buffer>"); }

    bool parseFromFile(const char* path, int verbosity) override
    {
        clearErrors();
        if (!path)
            return fail(KILN_ONNX_ERROR(kINVALID_VALUE, "parseFromFile: the file name is null"));
        std::ifstream file(path, std::ios::binary | std::ios::ate);
        if (!file)
            return fail(KILN_ONNX_ERROR(kINVALID_VALUE, std::string("cannot open ONNX model file '") + path + "'"));
        const std::streamsize size = file.tellg();
        std::string bytes(static_cast<size_t>(std::max<std::streamsize>(size, 0)), '\0');
        file.seekg(0);
        if (size > 0 && !file.read(&bytes[0], size))
            return fail(KILN_ONNX_ERROR(kINVALID_VALUE, std::string("cannot read ONNX model file '") + path + "'"));
        std::string dir = path;
        const size_t slash = dir.find_last_of('/');
        dir = slash == std::string::npos ? "." : dir.substr(0, slash == 0 ? 1 : slash);
        return parseBuffer(bytes.data(), bytes.size(), dir, static_cast<Severity>(verbosity), path);
    }

    bool supportsModel(const void* data, size_t size, SubGraphCollection_t& collection) override
    {
        collection.clear();
        ::onnx::ModelProto model;
        if (!data || !decodeModel(data, size, model))
        {
            clearErrors();
            return fail(KILN_ONNX_ERROR(kMODEL_DESERIALIZE_FAILED, "the buffer is not an ONNX model"));
        }
        // Runs of consecutive nodes whose operators have importers.
        bool allKnown = true;
        SubGraph_t current{{}, false};
        const auto& graph = model.graph();
        for (int32_t i = 0; i < graph.node_size(); ++i)
        {
            if (supportsOperator(graph.node(i).op_type().c_str()) && (graph.node(i).domain().empty() || graph.node(i).domain() == "ai.onnx"))
                current.first.push_back(static_cast<size_t>(i));
            else
            {
                allKnown = false;
                if (!current.first.empty())
                    collection.push_back(current);
                current = SubGraph_t{{}, false};
            }
        }
        if (!current.first.empty())
            collection.push_back(current);
        if (!allKnown)
            return false;
        const bool ok = parse(data, size);
        if (ok && collection.size() == 1)
            collection[0].second = true;
        return ok;
    }

    bool parseWithWeightDescriptors(const void* data, size_t size, uint32_t, const onnxTensorDescriptorV1*) override
    {
        // Kiln reads weights from the model (and its external data files) only.
        return parse(data, size);
    }

    bool supportsOperator(const char* op) const override { return op && importerRegistry().count(op) != 0; }
    void destroy() override { delete this; }
    int getNbErrors() const override { return static_cast<int>(mErrors.size()); }
    const nvonnxparser::IParserError* getError(int index) const override
    {
        return index >= 0 && index < getNbErrors() ? mErrors[static_cast<size_t>(index)].get() : nullptr;
    }
    void clearErrors() override { mErrors.clear(); }
    int getRefitMap(const char** weightNames, const char** layerNames, nvinfer1::WeightsRole* roles) override
    {
        for (size_t i = 0; i < mRefitMap.size(); ++i)
        {
            if (weightNames)
                weightNames[i] = mRefitMap[i].weight.c_str();
            if (layerNames)
                layerNames[i] = mRefitMap[i].layer.c_str();
            if (roles)
                roles[i] = mRefitMap[i].role;
        }
        return static_cast<int>(mRefitMap.size());
    }

private:
    void log(Severity severity, const std::string& message) const
    {
        if (mLogger && severity <= mVerbosity)
            mLogger->log(severity, message.c_str());
    }

    bool fail(OnnxStatus status)
    {
        log(Severity::kERROR, status.error().desc);
        mErrors.push_back(std::make_unique<ParserError>(status.error()));
        return false;
    }

    bool parseBuffer(const void* data, size_t size, const std::string& dir, Severity verbosity, const std::string& what)
    {
        clearErrors();
        mRefitMap.clear();
        mInitializers.clear();
        mVerbosity = verbosity;
        if (!data)
            return fail(KILN_ONNX_ERROR(kINVALID_VALUE, "parse: the model buffer is null"));
        if (mNetwork.hasImplicitBatchDimension())
            return fail(KILN_ONNX_ERROR(kINVALID_GRAPH,
                "the ONNX parser needs an explicit-batch network: create it with createNetworkV2(1U << "
                "static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH))"));
        auto model = std::make_unique<::onnx::ModelProto>();
        if (!decodeModel(data, size, *model))
            return fail(KILN_ONNX_ERROR(kMODEL_DESERIALIZE_FAILED,
                "'" + what + "' is not an ONNX model: it is neither a valid binary nor a text ModelProto "
                    + "(malformed or truncated)"));
        const bool ok = importModel(*model, dir, what);
        for (const std::string& w : mWarnings)
            log(Severity::kWARNING, w);
        mWarnings.clear();
        return ok;
    }

    bool importModel(const ::onnx::ModelProto& model, const std::string& dir, const std::string& what)
    {
        int64_t opset = -1;
        for (const auto& entry : model.opset_import())
            if (entry.domain().empty() || entry.domain() == "ai.onnx")
                opset = entry.version();
        log(Severity::kINFO, "----------------------------------------------------------------");
        log(Severity::kINFO, "Input filename:   " + what);
        log(Severity::kINFO, "ONNX IR version:  " + std::to_string(model.ir_version()));
        log(Severity::kINFO, "Opset version:    " + std::to_string(opset));
        log(Severity::kINFO, "Producer name:    " + model.producer_name());
        log(Severity::kINFO, "Producer version: " + model.producer_version());
        log(Severity::kINFO, "Domain:           " + model.domain());
        log(Severity::kINFO, "Model version:    " + std::to_string(model.model_version()));
        log(Severity::kINFO, "Doc string:       " + model.doc_string().substr(0, 200));
        log(Severity::kINFO, "----------------------------------------------------------------");
        if (model.ir_version() < kMinIrVersion)
            return fail(KILN_ONNX_ERROR(kINVALID_GRAPH,
                "ONNX IR version " + std::to_string(model.ir_version()) + " is not supported (Kiln reads IR versions "
                    + std::to_string(kMinIrVersion) + " to " + std::to_string(kMaxIrVersion) + ")"));
        if (model.ir_version() > kMaxIrVersion)
            mWarnings.push_back("ONNX IR version " + std::to_string(model.ir_version()) + " is newer than "
                + std::to_string(kMaxIrVersion) + "; importing it anyway");
        const ::onnx::GraphProto& graph = model.graph();

        // Every unknown operator is reported, each with its node, before anything is imported.
        bool known = true;
        for (int32_t i = 0; i < graph.node_size(); ++i)
        {
            const auto& n = graph.node(i);
            const bool defaultDomain = n.domain().empty() || n.domain() == "ai.onnx";
            if (defaultDomain && supportsOperator(n.op_type().c_str()))
                continue;
            known = false;
            OnnxStatus s = KILN_ONNX_ERROR(kUNSUPPORTED_NODE,
                "node '" + (n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name()) + "' ("
                    + (defaultDomain ? "" : n.domain() + "::") + n.op_type() + ", opset " + std::to_string(opset)
                    + "): operator not supported by Kiln's ONNX parser");
            s.error().node = i;
            fail(s);
        }
        if (!known)
            return false;
        if (opset < 0)
            opset = model.ir_version() <= 3 ? kMinOpset : -1;
        if (opset < 1)
            return fail(KILN_ONNX_ERROR(kINVALID_GRAPH, "the model imports no opset of the default ONNX domain"));
        if (opset < kMinOpset)
            mWarnings.push_back("opset " + std::to_string(opset) + " is older than " + std::to_string(kMinOpset)
                + "; operators are imported with their opset-7 semantics");
        if (opset > kMaxOpset)
            return fail(KILN_ONNX_ERROR(kUNSUPPORTED_GRAPH,
                "opset " + std::to_string(opset) + " is newer than the newest opset Kiln supports ("
                    + std::to_string(kMaxOpset) + ")"));

        auto arena = std::make_unique<WeightsArena>();
        ImporterContext ctx(mNetwork, *arena, TensorSource{dir, &mWarnings}, mWarnings);
        ctx.setOpset(std::max(opset, kMinOpset));
        ctx.setLogger(mLogger);
        ctx.setVerbose(mVerbosity >= Severity::kVERBOSE);
        mArenas.push_back(std::move(arena));
        OnnxStatus s = importGraph(ctx, graph);
        // Folding constants builds scratch engines with a quiet logger; make the application's logger
        // the process-wide one again.
        if (mLogger)
            if (nvinfer1::IRuntime* runtime = nvinfer1::createInferRuntime(*mLogger))
                runtime->destroy();
        if (!s.isOk())
        {
            mInitializers.clear();
            return fail(s);
        }
        buildRefitMap();
        return true;
    }

    //! The refit map: each layer weight of the network whose buffer is an initializer's own
    //! (converted) buffer, with the same type and count, was passed verbatim. Importers never write
    //! into initializer buffers, and every transformed weight (folded batch norm, transposed
    //! kernel, ...) lives in a buffer of its own, so buffer identity is exact.
    void buildRefitMap()
    {
        std::unordered_map<const void*, std::vector<size_t>> byBuffer;
        for (size_t i = 0; i < mInitializers.size(); ++i)
            if (mInitializers[i].weights.data && mInitializers[i].weights.count() > 0)
                byBuffer[mInitializers[i].weights.data].push_back(i);
        struct Found
        {
            size_t initializer;
            int32_t layer;
            RefitEntry entry;
        };
        std::vector<Found> found;
        auto match = [&](int32_t index, const nvinfer1::ILayer& layer, nvinfer1::WeightsRole role, const nvinfer1::Weights& w) {
            auto it = w.values ? byBuffer.find(w.values) : byBuffer.end();
            if (it == byBuffer.end())
                return;
            for (size_t i : it->second)
            {
                const ShapedWeights& init = mInitializers[i].weights;
                if (init.type == w.type && init.count() == w.count)
                    found.push_back(Found{
                        i, index, RefitEntry{mInitializers[i].name, layer.getName() ? layer.getName() : "", role}});
            }
        };
        using nvinfer1::LayerType;
        using nvinfer1::WeightsRole;
        for (int32_t l = 0; l < mNetwork.getNbLayers(); ++l)
        {
            nvinfer1::ILayer* layer = mNetwork.getLayer(l);
            switch (layer->getType())
            {
            case LayerType::kCONVOLUTION:
            {
                auto* c = static_cast<nvinfer1::IConvolutionLayer*>(layer);
                match(l, *layer, WeightsRole::kKERNEL, c->getKernelWeights());
                match(l, *layer, WeightsRole::kBIAS, c->getBiasWeights());
                break;
            }
            case LayerType::kDECONVOLUTION:
            {
                auto* d = static_cast<nvinfer1::IDeconvolutionLayer*>(layer);
                match(l, *layer, WeightsRole::kKERNEL, d->getKernelWeights());
                match(l, *layer, WeightsRole::kBIAS, d->getBiasWeights());
                break;
            }
            case LayerType::kFULLY_CONNECTED:
            {
                auto* f = static_cast<nvinfer1::IFullyConnectedLayer*>(layer);
                match(l, *layer, WeightsRole::kKERNEL, f->getKernelWeights());
                match(l, *layer, WeightsRole::kBIAS, f->getBiasWeights());
                break;
            }
            case LayerType::kSCALE:
            {
                auto* s = static_cast<nvinfer1::IScaleLayer*>(layer);
                match(l, *layer, WeightsRole::kSCALE, s->getScale());
                match(l, *layer, WeightsRole::kSHIFT, s->getShift());
                break;
            }
            case LayerType::kCONSTANT:
                match(l, *layer, WeightsRole::kCONSTANT, static_cast<nvinfer1::IConstantLayer*>(layer)->getWeights());
                break;
            default: break;
            }
        }
        // Model order of the initializers, then network order of the layers.
        std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
            return a.initializer != b.initializer ? a.initializer < b.initializer : a.layer < b.layer;
        });
        for (Found& f : found)
            mRefitMap.push_back(std::move(f.entry));
        mInitializers.clear();
    }

    OnnxStatus importGraph(ImporterContext& ctx, const ::onnx::GraphProto& graph)
    {
        for (const auto& init : graph.initializer())
        {
            KILN_ONNX_ASSIGN(ShapedWeights w, convertTensor(init, ctx.arena(), ctx.source()));
            mInitializers.push_back(Initializer{init.name(), w});
            ctx.bind(init.name(), Value::of(w));
        }
        for (const auto& input : graph.input())
        {
            if (ctx.find(input.name()))
                continue; // an initializer listed as an input (IR 3)
            KILN_ONNX_RETURN_IF_ERROR(addInput(ctx, input));
        }
        KILN_ONNX_RETURN_IF_ERROR(ctx.importNodes(graph, nullptr));
        for (const auto& output : graph.output())
        {
            const Value* v = ctx.find(output.name());
            KILN_ONNX_CHECK(v && !v->empty(), kINVALID_GRAPH,
                "graph output '" + output.name() + "' is not produced by any node");
            nvinfer1::ITensor* t = ctx.toTensor(*v);
            KILN_ONNX_CHECK(t, kINVALID_GRAPH, "graph output '" + output.name() + "' could not be created");
            const bool needsCopy = t->isNetworkInput() || t->isNetworkOutput() || output.name() != t->getName();
            if (needsCopy)
                t = identity(ctx, t);
            KILN_ONNX_CHECK(t, kINVALID_GRAPH, "graph output '" + output.name() + "' could not be created");
            t->setName(output.name().c_str());
            mNetwork.markOutput(*t);
        }
        return OnnxStatus::ok();
    }

    OnnxStatus addInput(ImporterContext& ctx, const ::onnx::ValueInfoProto& input)
    {
        const std::string what = "graph input '" + input.name() + "'";
        KILN_ONNX_CHECK(input.type().has_tensor_type(), kUNSUPPORTED_GRAPH, what + " is not a tensor");
        const auto& tt = input.type().tensor_type();
        nvinfer1::DataType type;
        KILN_ONNX_CHECK(kilnTypeOf(tt.elem_type(), type), kUNSUPPORTED_GRAPH,
            what + " has element type " + onnxTypeName(tt.elem_type()) + ", which Kiln does not support");
        if (tt.elem_type() != ::onnx::TensorProto::FLOAT && tt.elem_type() != ::onnx::TensorProto::INT32
            && tt.elem_type() != ::onnx::TensorProto::BOOL)
            mWarnings.push_back(what + " has type " + onnxTypeName(tt.elem_type()) + "; Kiln binds it as "
                + (type == nvinfer1::DataType::kINT32 ? "INT32" : "FLOAT"));
        KILN_ONNX_CHECK(tt.has_shape(), kUNSUPPORTED_GRAPH, what + " has no shape (its rank must be known)");
        KILN_ONNX_CHECK(tt.shape().dim_size() <= nvinfer1::Dims::MAX_DIMS, kUNSUPPORTED_GRAPH,
            what + " has rank " + std::to_string(tt.shape().dim_size()) + "; Kiln supports up to 8");
        nvinfer1::Dims dims{};
        dims.nbDims = tt.shape().dim_size();
        for (int32_t i = 0; i < dims.nbDims; ++i)
        {
            const auto& d = tt.shape().dim(i);
            const bool known = d.has_dim_value() && d.dim_value() >= 0 && d.dim_value() <= INT_MAX;
            dims.d[i] = known ? static_cast<int32_t>(d.dim_value()) : -1;
        }
        nvinfer1::ITensor* t = mNetwork.addInput(input.name().c_str(), type, dims);
        KILN_ONNX_CHECK(t, kINVALID_GRAPH, what + " was refused by the network (see the log)");
        ctx.namedTensors().insert(t);
        ctx.bind(input.name(), Value::of(t));
        return OnnxStatus::ok();
    }

    nvinfer1::INetworkDefinition& mNetwork;
    ILogger* mLogger;
    Severity mVerbosity{Severity::kWARNING};
    std::vector<std::unique_ptr<ParserError>> mErrors;
    std::vector<std::string> mWarnings;
    std::vector<std::unique_ptr<WeightsArena>> mArenas; //!< weights live as long as the parser

    //! The main graph's initializers while a model is imported (for the refit map).
    struct Initializer
    {
        std::string name;
        ShapedWeights weights;
    };
    std::vector<Initializer> mInitializers;
    struct RefitEntry
    {
        std::string weight;
        std::string layer;
        nvinfer1::WeightsRole role;
    };
    std::vector<RefitEntry> mRefitMap; //!< of the last successful parse
};

} // namespace
} // namespace kiln::onnx

extern "C" TENSORRTAPI void* createNvOnnxParser_INTERNAL(void* network, void* logger, int /*version*/)
{
    if (!network)
    {
        if (logger)
            static_cast<nvinfer1::ILogger*>(logger)->log(
                nvinfer1::ILogger::Severity::kERROR, "nvonnxparser::createParser: the network is null");
        return nullptr;
    }
    nvonnxparser::IParser* parser = new (std::nothrow) kiln::onnx::ParserImpl(
        *static_cast<nvinfer1::INetworkDefinition*>(network), static_cast<nvinfer1::ILogger*>(logger));
    return parser;
}

extern "C" TENSORRTAPI int getNvOnnxParserVersion()
{
    return NV_ONNX_PARSER_VERSION;
}
