// The exported C entry points of libnvinfer.
#include "NvInfer.h"
#include "api/builder_impl.h"
#include "api/engine_impl.h"
#include "api/refitter_impl.h"
#include "common/reporter.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

namespace kiln::api
{
nvinfer1::IRuntime* createRuntime(nvinfer1::ILogger* logger);

namespace
{

bool checkVersion(nvinfer1::ILogger* logger, int32_t version, const char* what)
{
    if (version / 1000 == NV_TENSORRT_MAJOR)
        return true;
    Reporter(logger).error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, std::string(what) + ": the program was compiled against API version "
            + std::to_string(version) + ", this library implements " + std::to_string(NV_TENSORRT_VERSION));
    return false;
}

//! Process-wide plugin registry: stores creators; Kiln cannot run plugins yet.
class PluginRegistry final : public nvinfer1::IPluginRegistry
{
public:
    bool registerCreator(nvinfer1::IPluginCreator& creator, const char* pluginNamespace) noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        const std::string ns = pluginNamespace ? pluginNamespace : "";
        for (const auto& e : mEntries)
            if (e.name == safe(creator.getPluginName()) && e.version == safe(creator.getPluginVersion()) && e.ns == ns)
                return false;
        creator.setPluginNamespace(ns.c_str());
        mEntries.push_back({safe(creator.getPluginName()), safe(creator.getPluginVersion()), ns, &creator});
        mList.push_back(&creator);
        return true;
    }
    nvinfer1::IPluginCreator* const* getPluginCreatorList(int32_t* numCreators) const noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        if (numCreators)
            *numCreators = static_cast<int32_t>(mList.size());
        return mList.empty() ? nullptr : mList.data();
    }
    nvinfer1::IPluginCreator* getPluginCreator(const char* type, const char* version, const char* ns) noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        for (const auto& e : mEntries)
            if (e.name == safe(type) && e.version == safe(version) && e.ns == safe(ns))
                return e.creator;
        return nullptr;
    }
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }

private:
    static std::string safe(const char* s) { return s ? s : ""; }
    struct Entry
    {
        std::string name, version, ns;
        nvinfer1::IPluginCreator* creator;
    };
    mutable std::mutex mMutex;
    std::vector<Entry> mEntries;
    std::vector<nvinfer1::IPluginCreator*> mList;
    Reporter mReporter;
};

} // namespace
} // namespace kiln::api

extern "C" TENSORRTAPI void* createInferBuilder_INTERNAL(void* logger, int32_t version)
{
    auto* log = static_cast<nvinfer1::ILogger*>(logger);
    kiln::rememberLogger(log);
    if (!kiln::api::checkVersion(log, version, "createInferBuilder"))
        return nullptr;
    return static_cast<nvinfer1::IBuilder*>(new kiln::api::BuilderImpl(log));
}

extern "C" TENSORRTAPI void* createInferRuntime_INTERNAL(void* logger, int32_t version)
{
    auto* log = static_cast<nvinfer1::ILogger*>(logger);
    kiln::rememberLogger(log);
    if (!kiln::api::checkVersion(log, version, "createInferRuntime"))
        return nullptr;
    return kiln::api::createRuntime(log);
}

extern "C" TENSORRTAPI void* createInferRefitter_INTERNAL(void* engine, void* logger, int32_t version)
{
    auto* log = static_cast<nvinfer1::ILogger*>(logger);
    kiln::rememberLogger(log);
    if (!kiln::api::checkVersion(log, version, "createInferRefitter"))
        return nullptr;
    if (!engine)
    {
        kiln::Reporter(log).error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "createInferRefitter: engine is null");
        return nullptr;
    }
    // Every ICudaEngine Kiln hands out is an EngineImpl.
    auto* impl = static_cast<kiln::api::EngineImpl*>(static_cast<nvinfer1::ICudaEngine*>(engine));
    return static_cast<nvinfer1::IRefitter*>(kiln::api::RefitterImpl::create(*impl, kiln::Reporter(log)));
}

extern "C" TENSORRTAPI nvinfer1::ILogger* getLogger()
{
    return kiln::rememberedLogger();
}

extern "C" TENSORRTAPI int32_t getInferLibVersion()
{
    return NV_TENSORRT_VERSION;
}

extern "C" TENSORRTAPI nvinfer1::IPluginRegistry* getPluginRegistry()
{
    static kiln::api::PluginRegistry registry;
    return &registry;
}
