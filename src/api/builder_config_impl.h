// IBuilderConfig: build options, turned into builder::BuildOptions at build time.
#pragma once

#include "NvInfer.h"
#include "builder/builder.h"
#include "common/reporter.h"

#include <unordered_map>
#include <vector>

namespace kiln::api
{

class BuilderConfigImpl final : public nvinfer1::IBuilderConfig
{
public:
    explicit BuilderConfigImpl(const Reporter& reporter)
        : mReporter(reporter)
    {
    }

    void setMinTimingIterations(int32_t minTiming) noexcept override;
    int32_t getMinTimingIterations() const noexcept override { return mMinTiming; }
    void setAvgTimingIterations(int32_t avgTiming) noexcept override;
    int32_t getAvgTimingIterations() const noexcept override { return mAvgTiming; }
    void setEngineCapability(nvinfer1::EngineCapability capability) noexcept override { mCapability = capability; }
    nvinfer1::EngineCapability getEngineCapability() const noexcept override { return mCapability; }
    void setInt8Calibrator(nvinfer1::IInt8Calibrator* calibrator) noexcept override { mCalibrator = calibrator; }
    nvinfer1::IInt8Calibrator* getInt8Calibrator() const noexcept override { return mCalibrator; }
    void setMaxWorkspaceSize(std::size_t workspaceSize) noexcept override { mWorkspace = workspaceSize; }
    std::size_t getMaxWorkspaceSize() const noexcept override { return mWorkspace; }
    void setFlags(nvinfer1::BuilderFlags builderFlags) noexcept override { mFlags = builderFlags; }
    nvinfer1::BuilderFlags getFlags() const noexcept override { return mFlags; }
    void clearFlag(nvinfer1::BuilderFlag builderFlag) noexcept override;
    void setFlag(nvinfer1::BuilderFlag builderFlag) noexcept override;
    bool getFlag(nvinfer1::BuilderFlag builderFlag) const noexcept override;
    void setDeviceType(const nvinfer1::ILayer* layer, nvinfer1::DeviceType deviceType) noexcept override;
    nvinfer1::DeviceType getDeviceType(const nvinfer1::ILayer* layer) const noexcept override;
    bool isDeviceTypeSet(const nvinfer1::ILayer* layer) const noexcept override;
    void resetDeviceType(const nvinfer1::ILayer* layer) noexcept override;
    bool canRunOnDLA(const nvinfer1::ILayer*) const noexcept override { return false; }
    void setDLACore(int32_t dlaCore) noexcept override { mDlaCore = dlaCore; }
    int32_t getDLACore() const noexcept override { return mDlaCore; }
    void setDefaultDeviceType(nvinfer1::DeviceType deviceType) noexcept override { mDefaultDevice = deviceType; }
    nvinfer1::DeviceType getDefaultDeviceType() const noexcept override { return mDefaultDevice; }
    void reset() noexcept override;
    void destroy() noexcept override { delete this; }
    void setProfileStream(const cudaStream_t stream) noexcept override { mProfileStream = stream; }
    cudaStream_t getProfileStream() const noexcept override { return mProfileStream; }
    int32_t addOptimizationProfile(const nvinfer1::IOptimizationProfile* profile) noexcept override;
    int32_t getNbOptimizationProfiles() const noexcept override { return static_cast<int32_t>(mProfiles.size()); }
    void setProfilingVerbosity(nvinfer1::ProfilingVerbosity verbosity) noexcept override { mVerbosity = verbosity; }
    nvinfer1::ProfilingVerbosity getProfilingVerbosity() const noexcept override { return mVerbosity; }
    void setAlgorithmSelector(nvinfer1::IAlgorithmSelector* selector) noexcept override { mSelector = selector; }
    nvinfer1::IAlgorithmSelector* getAlgorithmSelector() const noexcept override { return mSelector; }
    bool setCalibrationProfile(const nvinfer1::IOptimizationProfile* profile) noexcept override;
    const nvinfer1::IOptimizationProfile* getCalibrationProfile() noexcept override { return mCalibrationProfile; }
    void setQuantizationFlags(nvinfer1::QuantizationFlags flags) noexcept override { mQuantFlags = flags; }
    nvinfer1::QuantizationFlags getQuantizationFlags() const noexcept override { return mQuantFlags; }
    void clearQuantizationFlag(nvinfer1::QuantizationFlag flag) noexcept override;
    void setQuantizationFlag(nvinfer1::QuantizationFlag flag) noexcept override;
    bool getQuantizationFlag(nvinfer1::QuantizationFlag flag) const noexcept override;
    bool setTacticSources(nvinfer1::TacticSources tacticSources) noexcept override;
    nvinfer1::TacticSources getTacticSources() const noexcept override { return mTacticSources; }
    void setMemoryPoolLimit(nvinfer1::MemoryPoolType pool, std::size_t poolSize) noexcept override;
    std::size_t getMemoryPoolLimit(nvinfer1::MemoryPoolType pool) const noexcept override;
    nvinfer1::ITimingCache* createTimingCache(const void* blob, std::size_t size) const noexcept override;
    bool setTimingCache(const nvinfer1::ITimingCache& cache, bool ignoreMismatch) noexcept override;
    const nvinfer1::ITimingCache* getTimingCache() const noexcept override { return mTimingCache; }

    //! The options for a build of a network with the given batch settings.
    Expected<builder::BuildOptions> toOptions(int32_t maxBatchSize) const;

private:
    Reporter mReporter;
    int32_t mMinTiming{1};
    int32_t mAvgTiming{8};
    nvinfer1::EngineCapability mCapability{nvinfer1::EngineCapability::kDEFAULT};
    nvinfer1::IInt8Calibrator* mCalibrator{nullptr};
    std::size_t mWorkspace{std::size_t(1) << 30};
    nvinfer1::BuilderFlags mFlags{0};
    std::unordered_map<const nvinfer1::ILayer*, nvinfer1::DeviceType> mDeviceTypes;
    int32_t mDlaCore{-1};
    nvinfer1::DeviceType mDefaultDevice{nvinfer1::DeviceType::kCPU};
    cudaStream_t mProfileStream{nullptr};
    std::vector<builder::ProfileSpec> mProfiles;
    nvinfer1::ProfilingVerbosity mVerbosity{nvinfer1::ProfilingVerbosity::kDEFAULT};
    nvinfer1::IAlgorithmSelector* mSelector{nullptr};
    const nvinfer1::IOptimizationProfile* mCalibrationProfile{nullptr};
    nvinfer1::QuantizationFlags mQuantFlags{0};
    nvinfer1::TacticSources mTacticSources{3u};
    const nvinfer1::ITimingCache* mTimingCache{nullptr};
};

} // namespace kiln::api
