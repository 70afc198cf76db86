// IExecutionContext over a runtime::ExecutionContext.
//
// CPU engines and streams: there is no CUDA on the CPU backend, so enqueue()/enqueueV2()/enqueueV3()
// do the work on the calling thread and have finished when they return (inputs consumed, outputs
// written). The stream is never dereferenced and may be null; an inputConsumed event, if given, is
// not recorded (the inputs may be reused as soon as the call returns).
#pragma once

#include "NvInferRuntime.h"
#include "api/engine_impl.h"

#include <map>
#include <string>

namespace kiln::api
{

class ContextImpl final : public nvinfer1::IExecutionContext
{
public:
    ContextImpl(EngineImpl& engine, std::unique_ptr<runtime::ExecutionContext> context);

    bool execute(int32_t batchSize, void* const* bindings) noexcept override;
    bool enqueue(int32_t batchSize, void* const* bindings, cudaStream_t stream, cudaEvent_t* inputConsumed) noexcept override;
    void setDebugSync(bool sync) noexcept override { mDebugSync = sync; }
    bool getDebugSync() const noexcept override { return mDebugSync; }
    void setProfiler(nvinfer1::IProfiler* profiler) noexcept override { mProfiler = profiler; }
    nvinfer1::IProfiler* getProfiler() const noexcept override { return mProfiler; }
    const nvinfer1::ICudaEngine& getEngine() const noexcept override { return mEngine; }
    void destroy() noexcept override { delete this; }
    void setName(const char* name) noexcept override { mName = name ? name : ""; }
    const char* getName() const noexcept override { return mName.c_str(); }
    void setDeviceMemory(void* memory) noexcept override;
    nvinfer1::Dims getStrides(int32_t bindingIndex) const noexcept override;
    bool setOptimizationProfile(int32_t profileIndex) noexcept override;
    int32_t getOptimizationProfile() const noexcept override { return mContext->profile(); }
    bool setBindingDimensions(int32_t bindingIndex, nvinfer1::Dims dimensions) noexcept override;
    nvinfer1::Dims getBindingDimensions(int32_t bindingIndex) const noexcept override;
    bool setInputShapeBinding(int32_t bindingIndex, const int32_t* data) noexcept override;
    bool getShapeBinding(int32_t bindingIndex, int32_t* data) const noexcept override;
    bool allInputDimensionsSpecified() const noexcept override { return mContext->allInputDimsSpecified(); }
    bool allInputShapesSpecified() const noexcept override { return true; }
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }
    bool executeV2(void* const* bindings) noexcept override;
    bool enqueueV2(void* const* bindings, cudaStream_t stream, cudaEvent_t* inputConsumed) noexcept override;
    bool setOptimizationProfileAsync(int32_t profileIndex, cudaStream_t stream) noexcept override;
    bool setTensorAddress(const char* tensorName, void* data) noexcept override;
    const void* getTensorAddress(const char* tensorName) const noexcept override;
    bool setInputShape(const char* tensorName, const nvinfer1::Dims& dims) noexcept override;
    nvinfer1::Dims getTensorShape(const char* tensorName) const noexcept override;
    bool enqueueV3(cudaStream_t stream) noexcept override;

private:
    //! Runs on a stream over \p stream (see the file comment) and waits for it when \p sync.
    bool run(void* const* bindings, int32_t batch, cudaStream_t stream, bool sync, const char* call);
    //! io index of a binding of the current profile, or -1 (with an error naming \p call).
    int32_t currentIo(int32_t bindingIndex, const char* call) const;
    void usageError(const std::string& message) const;

    EngineImpl& mEngine;
    std::unique_ptr<runtime::ExecutionContext> mContext;
    Reporter mReporter;
    nvinfer1::IProfiler* mProfiler{nullptr};
    bool mDebugSync{false};
    std::string mName;
    std::vector<void*> mTensorAddresses; //!< setTensorAddress, per io index
};

} // namespace kiln::api
