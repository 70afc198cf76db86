// ICudaEngine over a runtime::Engine. Bindings repeat per optimization profile (TRT_API.md §7.5).
#pragma once

#include "NvInferRuntime.h"
#include "common/reporter.h"
#include "runtime/engine.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln::api
{

class EngineImpl final : public nvinfer1::ICudaEngine
{
public:
    EngineImpl(std::shared_ptr<runtime::Engine> engine, const Reporter& reporter);

    const runtime::Engine& engine() const { return *mEngine; }
    std::shared_ptr<runtime::Engine> shared() const { return mEngine; }
    const Reporter& reporter() const { return mReporter; }
    int32_t bindingsPerProfile() const { return static_cast<int32_t>(mEngine->plan().io.size()); }
    //! Splits a binding index into (profile, io index); false if out of range.
    bool splitBinding(int32_t binding, int32_t& profile, int32_t& io) const;
    //! Binding dims as the API shows them (batch dropped for implicit-batch engines).
    nvinfer1::Dims toApiDims(const nvinfer1::Dims& dims) const;
    //! Index of the I/O tensor named \p name (profile 0 names), or -1.
    int32_t ioIndexOf(const char* name) const;

    int32_t getNbBindings() const noexcept override;
    int32_t getBindingIndex(const char* name) const noexcept override;
    const char* getBindingName(int32_t bindingIndex) const noexcept override;
    bool bindingIsInput(int32_t bindingIndex) const noexcept override;
    nvinfer1::Dims getBindingDimensions(int32_t bindingIndex) const noexcept override;
    nvinfer1::DataType getBindingDataType(int32_t bindingIndex) const noexcept override;
    int32_t getMaxBatchSize() const noexcept override { return mEngine->plan().maxBatchSize; }
    int32_t getNbLayers() const noexcept override { return static_cast<int32_t>(mEngine->plan().layers.size()); }
    std::size_t getWorkspaceSize() const noexcept override { return mEngine->plan().maxWorkspaceSize; }
    nvinfer1::IHostMemory* serialize() const noexcept override;
    nvinfer1::IExecutionContext* createExecutionContext() noexcept override;
    void destroy() noexcept override { delete this; }
    nvinfer1::TensorLocation getLocation(int32_t bindingIndex) const noexcept override;
    nvinfer1::IExecutionContext* createExecutionContextWithoutDeviceMemory() noexcept override;
    size_t getDeviceMemorySize() const noexcept override { return mEngine->plan().deviceMemorySize(); }
    bool isRefittable() const noexcept override { return mEngine->plan().refittable; }
    int32_t getBindingBytesPerComponent(int32_t bindingIndex) const noexcept override;
    int32_t getBindingComponentsPerElement(int32_t bindingIndex) const noexcept override;
    nvinfer1::TensorFormat getBindingFormat(int32_t bindingIndex) const noexcept override;
    const char* getBindingFormatDesc(int32_t bindingIndex) const noexcept override;
    int32_t getBindingVectorizedDim(int32_t bindingIndex) const noexcept override;
    const char* getName() const noexcept override { return mEngine->plan().name.c_str(); }
    int32_t getNbOptimizationProfiles() const noexcept override { return static_cast<int32_t>(mEngine->plan().profiles.size()); }
    nvinfer1::Dims getProfileDimensions(
        int32_t bindingIndex, int32_t profileIndex, nvinfer1::OptProfileSelector select) const noexcept override;
    const int32_t* getProfileShapeValues(
        int32_t profileIndex, int32_t inputIndex, nvinfer1::OptProfileSelector select) const noexcept override;
    bool isShapeBinding(int32_t bindingIndex) const noexcept override;
    bool isExecutionBinding(int32_t bindingIndex) const noexcept override;
    nvinfer1::EngineCapability getEngineCapability() const noexcept override { return nvinfer1::EngineCapability::kDEFAULT; }
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }
    bool hasImplicitBatchDimension() const noexcept override { return mEngine->plan().implicitBatch; }
    int32_t getNbIOTensors() const noexcept override { return bindingsPerProfile(); }
    const char* getIOTensorName(int32_t index) const noexcept override;
    nvinfer1::TensorIOMode getTensorIOMode(const char* tensorName) const noexcept override;
    nvinfer1::Dims getTensorShape(const char* tensorName) const noexcept override;
    nvinfer1::DataType getTensorDataType(const char* tensorName) const noexcept override;
    nvinfer1::IEngineInspector* createEngineInspector() const noexcept override;

private:
    nvinfer1::IExecutionContext* makeContext(bool ownMemory);
    void usageError(const std::string& message) const;

    std::shared_ptr<runtime::Engine> mEngine;
    Reporter mReporter;
    std::vector<std::string> mBindingNames; //!< all profiles
};

} // namespace kiln::api
