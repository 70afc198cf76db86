// IEngineInspector: per-layer descriptions (tactic, covered network layers, tensor shapes) and the
// activation memory plan, as one-line text or JSON.
#include "api/context_impl.h"
#include "api/engine_impl.h"
#include "common/dtype.h"

#include <sstream>

namespace kiln::api
{

namespace
{

//! A tensor's format in the JSON: TensorFormat's name where one matches (kLINEAR, kCHW16), else
//! Kiln's "kCHW8" (channels in blocks of 8, which TensorFormat has no value for).
const char* formatName(ir::Layout layout)
{
    switch (layout)
    {
    case ir::Layout::kLinear: return "kLINEAR";
    case ir::Layout::kChannels8: return "kCHW8";
    case ir::Layout::kChannels16: return "kCHW16";
    }
    return "unknown";
}

std::string jsonString(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20)
        {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

class EngineInspector final : public nvinfer1::IEngineInspector
{
public:
    explicit EngineInspector(const EngineImpl& engine)
        : mEngine(engine)
        , mReporter(engine.reporter())
    {
    }

    bool setExecutionContext(const nvinfer1::IExecutionContext* context) noexcept override
    {
        if (context && &context->getEngine() != &mEngine)
        {
            mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "IEngineInspector::setExecutionContext: the context belongs to another engine");
            return false;
        }
        mContext = context;
        return true;
    }
    const nvinfer1::IExecutionContext* getExecutionContext() const noexcept override { return mContext; }

    const char* getLayerInformation(int32_t layerIndex, nvinfer1::LayerInformationFormat format) const noexcept override
    {
        const auto& plan = mEngine.engine().plan();
        if (layerIndex < 0 || layerIndex >= static_cast<int32_t>(plan.layers.size()))
        {
            mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "getLayerInformation: layer index out of range");
            return nullptr;
        }
        resolve();
        mText = format == nvinfer1::LayerInformationFormat::kJSON ? layerJson(static_cast<size_t>(layerIndex))
                                                                  : layerLine(static_cast<size_t>(layerIndex));
        return mText.c_str();
    }

    const char* getEngineInformation(nvinfer1::LayerInformationFormat format) const noexcept override
    {
        resolve();
        const auto& plan = mEngine.engine().plan();
        std::ostringstream s;
        if (format == nvinfer1::LayerInformationFormat::kONELINE)
        {
            for (size_t l = 0; l < plan.layers.size(); ++l)
                s << layerLine(l) << "\n";
            s << "memory: arena " << plan.arenaSize << " bytes, workspace " << plan.maxWorkspaceSize << " bytes, weights "
              << (plan.weights ? plan.weights->size() : 0) << " bytes\n";
            for (const auto& t : plan.tensors)
                if (t.arenaOffset >= 0)
                    s << "  arena [" << t.arenaOffset << ", " << t.arenaOffset + t.maxBytes << ") '" << t.name << "'\n";
            mText = s.str();
            return mText.c_str();
        }
        s << "{\"Name\":" << jsonString(plan.name) << ",\"ImplicitBatch\":" << (plan.implicitBatch ? "true" : "false")
          << ",\"Layers\":[";
        for (size_t l = 0; l < plan.layers.size(); ++l)
            s << (l ? "," : "") << layerJson(l);
        s << "],\"Bindings\":[";
        for (size_t i = 0; i < plan.io.size(); ++i)
            s << (i ? "," : "") << jsonString(plan.tensors[static_cast<size_t>(plan.io[i].tensor)].name);
        s << "],\"Memory\":{\"ArenaBytes\":" << plan.arenaSize << ",\"WorkspaceBytes\":" << plan.maxWorkspaceSize
          << ",\"DeviceMemoryBytes\":" << plan.deviceMemorySize() << ",\"WeightsBytes\":" << (plan.weights ? plan.weights->size() : 0)
          << ",\"Tensors\":[";
        bool first = true;
        for (const auto& t : plan.tensors)
        {
            if (t.arenaOffset < 0)
                continue;
            s << (first ? "" : ",") << "{\"Name\":" << jsonString(t.name) << ",\"Offset\":" << t.arenaOffset
              << ",\"MaxBytes\":" << t.maxBytes << "}";
            first = false;
        }
        s << "]}}";
        mText = s.str();
        return mText.c_str();
    }

    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }

private:
    //! The profile of the inspected context, else 0.
    int32_t inspectedProfile() const
    {
        const int32_t p = mContext ? mContext->getOptimizationProfile() : 0;
        return p >= 0 && p < static_cast<int32_t>(mEngine.engine().plan().profiles.size()) ? p : 0;
    }

    //! Shapes for the context's dims, or the first profile's kOPT dims.
    void resolve() const
    {
        const auto& plan = mEngine.engine().plan();
        auto ctx = runtime::ExecutionContext::create(mEngine.shared(), mContext ? mContext->getOptimizationProfile() : 0, false);
        mShapes.assign(plan.tensors.size(), ir::TensorDesc{});
        if (!ctx)
            return;
        int32_t input = 0;
        for (int32_t i = 0; i < static_cast<int32_t>(plan.io.size()); ++i)
        {
            if (!plan.io[static_cast<size_t>(i)].isInput)
                continue;
            nvinfer1::Dims d = plan.profiles[static_cast<size_t>((*ctx)->profile())].opt[static_cast<size_t>(input++)];
            if (mContext)
            {
                const int32_t b = i + (*ctx)->profile() * mEngine.bindingsPerProfile();
                nvinfer1::Dims c = mContext->getBindingDimensions(b);
                if (plan.implicitBatch)
                    c = prepend(c, plan.maxBatchSize);
                if (!hasDynamicExtent(c) && isValidRank(c))
                    d = c;
            }
            (void) (*ctx)->setInputDims(i, d);
        }
        if ((*ctx)->resolveShapes())
            mShapes = (*ctx)->shapes();
    }

    std::string tensorText(int32_t t) const
    {
        const auto& plan = mEngine.engine().plan();
        if (t < 0)
            return "(none)";
        const auto& pt = plan.tensors[static_cast<size_t>(t)];
        return "'" + pt.name + "' " + dataTypeName(pt.type) + toString(mShapes[static_cast<size_t>(t)].dims)
            + (pt.layout == ir::Layout::kLinear ? "" : std::string(" ") + ir::layoutName(pt.layout));
    }

    std::string layerLine(size_t l) const
    {
        const auto& layer = mEngine.engine().plan().layers[l];
        const int32_t profile = inspectedProfile();
        std::string s = layer.name + " [" + ir::layerKindName(layer.params->kind()) + "] tactic=" + layer.tacticFor(profile);
        if (!(layer.sourceLayers.size() == 1 && layer.sourceLayers[0] == layer.name))
        {
            s += " covers=";
            for (size_t i = 0; i < layer.sourceLayers.size(); ++i)
                s += (i ? "," : "") + layer.sourceLayers[i];
        }
        s += " in=";
        for (size_t i = 0; i < layer.inputs.size(); ++i)
            s += (i ? "," : "") + tensorText(layer.inputs[i]);
        s += " out=";
        for (size_t i = 0; i < layer.outputs.size(); ++i)
            s += (i ? "," : "") + tensorText(layer.outputs[i]);
        s += " workspace=" + std::to_string(layer.workspaceSize);
        for (const auto& c : layer.candidates)
        {
            if (c.profile != profile)
                continue;
            char time[32];
            if (c.ms < 0.f)
                std::snprintf(time, sizeof time, "not timed");
            else
                std::snprintf(time, sizeof time, "%.4f ms", static_cast<double>(c.ms));
            s += "\n    candidate " + c.tactic + " " + time + " workspace=" + std::to_string(c.workspace)
                + (c.tactic == layer.tacticFor(profile) ? " (chosen)" : "");
        }
        return s;
    }

    std::string tensorJson(int32_t t) const
    {
        const auto& plan = mEngine.engine().plan();
        if (t < 0)
            return "null";
        const auto& pt = plan.tensors[static_cast<size_t>(t)];
        std::string dims = "[";
        const auto& d = mShapes[static_cast<size_t>(t)].dims;
        for (int32_t i = 0; i < d.nbDims; ++i)
            dims += (i ? "," : "") + std::to_string(d.d[i]);
        dims += "]";
        return "{\"Name\":" + jsonString(pt.name) + ",\"DataType\":\"" + dataTypeName(pt.type) + "\",\"Dimensions\":" + dims
            + ",\"Format\":\"" + formatName(pt.layout) + "\",\"ArenaOffset\":" + std::to_string(pt.arenaOffset) + "}";
    }

    std::string layerJson(size_t l) const
    {
        const auto& layer = mEngine.engine().plan().layers[l];
        const int32_t profile = inspectedProfile();
        std::string s = "{\"Name\":" + jsonString(layer.name) + ",\"LayerType\":\"" + ir::layerKindName(layer.params->kind())
            + "\",\"TacticName\":" + jsonString(layer.tacticFor(profile)) + ",\"WorkspaceBytes\":" + std::to_string(layer.workspaceSize)
            + ",\"Candidates\":[";
        bool first = true;
        for (const auto& c : layer.candidates)
        {
            if (c.profile != profile)
                continue;
            char time[32];
            std::snprintf(time, sizeof time, "%.6g", static_cast<double>(c.ms));
            s += std::string(first ? "" : ",") + "{\"TacticName\":" + jsonString(c.tactic) + ",\"TimeMs\":" + time
                + ",\"WorkspaceBytes\":" + std::to_string(c.workspace) + "}";
            first = false;
        }
        s += "],\"SourceLayers\":[";
        for (size_t i = 0; i < layer.sourceLayers.size(); ++i)
            s += (i ? "," : "") + jsonString(layer.sourceLayers[i]);
        s += "],\"Inputs\":[";
        for (size_t i = 0; i < layer.inputs.size(); ++i)
            s += (i ? "," : "") + tensorJson(layer.inputs[i]);
        s += "],\"Outputs\":[";
        for (size_t i = 0; i < layer.outputs.size(); ++i)
            s += (i ? "," : "") + tensorJson(layer.outputs[i]);
        return s + "]}";
    }

    const EngineImpl& mEngine;
    Reporter mReporter;
    const nvinfer1::IExecutionContext* mContext{nullptr};
    mutable std::vector<ir::TensorDesc> mShapes;
    mutable std::string mText;
};

} // namespace

nvinfer1::IEngineInspector* EngineImpl::createEngineInspector() const noexcept
{
    return new EngineInspector(*this);
}

} // namespace kiln::api
