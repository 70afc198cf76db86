// IBuilder: creates networks, configs and profiles, and builds engines on the CPU backend.
#pragma once

#include "NvInfer.h"
#include "backends/backend.h"
#include "common/reporter.h"

#include <memory>
#include <vector>

namespace kiln::api
{

class BuilderConfigImpl;
class OptimizationProfileImpl;

class BuilderImpl final : public nvinfer1::IBuilder
{
public:
    explicit BuilderImpl(nvinfer1::ILogger* logger);
    ~BuilderImpl() noexcept override;

    nvinfer1::INetworkDefinition* createNetwork() noexcept override;
    void setMaxBatchSize(int32_t batchSize) noexcept override;
    int32_t getMaxBatchSize() const noexcept override { return mMaxBatchSize; }
    void setMaxWorkspaceSize(std::size_t workspaceSize) noexcept override;
    std::size_t getMaxWorkspaceSize() const noexcept override;
    void setHalf2Mode(bool mode) noexcept override { setFp16Mode(mode); }
    bool getHalf2Mode() const noexcept override { return getFp16Mode(); }
    void setDebugSync(bool sync) noexcept override { mDebugSync = sync; }
    bool getDebugSync() const noexcept override { return mDebugSync; }
    void setMinFindIterations(int32_t minFind) noexcept override;
    int32_t getMinFindIterations() const noexcept override;
    void setAverageFindIterations(int32_t avgFind) noexcept override;
    int32_t getAverageFindIterations() const noexcept override;
    nvinfer1::ICudaEngine* buildCudaEngine(nvinfer1::INetworkDefinition& network) noexcept override;
    bool platformHasFastFp16() const noexcept override { return false; }
    bool platformHasFastInt8() const noexcept override { return false; }
    void destroy() noexcept override { delete this; }
    void setInt8Mode(bool mode) noexcept override;
    bool getInt8Mode() const noexcept override;
    void setInt8Calibrator(nvinfer1::IInt8Calibrator* calibrator) noexcept override;
    void setDeviceType(nvinfer1::ILayer* layer, nvinfer1::DeviceType deviceType) noexcept override;
    nvinfer1::DeviceType getDeviceType(const nvinfer1::ILayer* layer) const noexcept override;
    bool isDeviceTypeSet(const nvinfer1::ILayer* layer) const noexcept override;
    void resetDeviceType(nvinfer1::ILayer* layer) noexcept override;
    bool canRunOnDLA(const nvinfer1::ILayer*) const noexcept override { return false; }
    void setDefaultDeviceType(nvinfer1::DeviceType deviceType) noexcept override;
    nvinfer1::DeviceType getDefaultDeviceType() const noexcept override;
    int32_t getMaxDLABatchSize() const noexcept override { return 0; }
    void allowGPUFallback(bool setFallBackMode) noexcept override;
    int32_t getNbDLACores() const noexcept override { return 0; }
    void setDLACore(int32_t dlaCore) noexcept override;
    int32_t getDLACore() const noexcept override;
    void reset(nvinfer1::INetworkDefinition&) noexcept override { reset(); }
    void setGpuAllocator(nvinfer1::IGpuAllocator* allocator) noexcept override { mAllocator = backends::Allocator(allocator); }
    void setFp16Mode(bool mode) noexcept override;
    bool getFp16Mode() const noexcept override;
    void setStrictTypeConstraints(bool mode) noexcept override;
    bool getStrictTypeConstraints() const noexcept override;
    void setRefittable(bool canRefit) noexcept override;
    bool getRefittable() const noexcept override;
    void setEngineCapability(nvinfer1::EngineCapability capability) noexcept override;
    nvinfer1::EngineCapability getEngineCapability() const noexcept override;
    nvinfer1::IBuilderConfig* createBuilderConfig() noexcept override;
    nvinfer1::ICudaEngine* buildEngineWithConfig(
        nvinfer1::INetworkDefinition& network, nvinfer1::IBuilderConfig& config) noexcept override;
    nvinfer1::INetworkDefinition* createNetworkV2(nvinfer1::NetworkDefinitionCreationFlags flags) noexcept override;
    nvinfer1::IOptimizationProfile* createOptimizationProfile() noexcept override;
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }
    void reset() noexcept override;
    bool platformHasTf32() const noexcept override { return false; }
    nvinfer1::IHostMemory* buildSerializedNetwork(
        nvinfer1::INetworkDefinition& network, nvinfer1::IBuilderConfig& config) noexcept override;

private:
    Reporter mReporter;
    backends::Allocator mAllocator;
    int32_t mMaxBatchSize{1};
    bool mDebugSync{false};
    //! Settings of the deprecated IBuilder-level API, used by buildCudaEngine().
    std::unique_ptr<BuilderConfigImpl> mLegacyConfig;
    std::vector<std::unique_ptr<OptimizationProfileImpl>> mProfiles;
};

} // namespace kiln::api
