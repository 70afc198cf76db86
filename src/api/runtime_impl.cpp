// IRuntime: deserializes engine files.
#include "api/engine_impl.h"
#include "serialize/engine_format.h"

namespace kiln::api
{

class RuntimeImpl final : public nvinfer1::IRuntime
{
public:
    explicit RuntimeImpl(nvinfer1::ILogger* logger)
        : mReporter(logger)
    {
    }

    nvinfer1::ICudaEngine* deserializeCudaEngine(const void* blob, std::size_t size, nvinfer1::IPluginFactory* factory) noexcept override
    {
        if (factory)
            return fail(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "legacy IPluginFactory is not supported; pass nullptr");
        if (!blob || size == 0)
            return fail(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "the engine data is null or empty");
        auto plan = serialize::readEngine(blob, size, mAllocator);
        if (!plan)
            return fail(plan.status().code(), plan.status().message());
        auto engine = runtime::Engine::create(std::move(plan.value()), mAllocator);
        if (!engine)
            return fail(engine.status().code(), engine.status().message());
        return new EngineImpl(std::move(engine.value()), mReporter);
    }
    void setDLACore(int32_t dlaCore) noexcept override { mDlaCore = dlaCore; }
    int32_t getDLACore() const noexcept override { return mDlaCore; }
    int32_t getNbDLACores() const noexcept override { return 0; }
    void destroy() noexcept override { delete this; }
    void setGpuAllocator(nvinfer1::IGpuAllocator* allocator) noexcept override { mAllocator = backends::Allocator(allocator); }
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }

private:
    std::nullptr_t fail(nvinfer1::ErrorCode code, const std::string& message)
    {
        mReporter.error(code, "deserializeCudaEngine: " + message);
        return nullptr;
    }

    Reporter mReporter;
    backends::Allocator mAllocator;
    int32_t mDlaCore{-1};
};

nvinfer1::IRuntime* createRuntime(nvinfer1::ILogger* logger)
{
    return new RuntimeImpl(logger);
}

} // namespace kiln::api
