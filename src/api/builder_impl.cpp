#include "api/builder_impl.h"

#include "api/builder_config_impl.h"
#include "api/engine_impl.h"
#include "api/network_impl.h"
#include "api/optimization_profile_impl.h"
#include "builder/builder.h"

namespace kiln::api
{

BuilderImpl::BuilderImpl(nvinfer1::ILogger* logger)
    : mReporter(logger)
    , mLegacyConfig(std::make_unique<BuilderConfigImpl>(mReporter))
{
}

BuilderImpl::~BuilderImpl() noexcept = default;

nvinfer1::INetworkDefinition* BuilderImpl::createNetwork() noexcept
{
    return createNetworkV2(0);
}

nvinfer1::INetworkDefinition* BuilderImpl::createNetworkV2(nvinfer1::NetworkDefinitionCreationFlags flags) noexcept
{
    if (flags >> nvinfer1::EnumMax<nvinfer1::NetworkDefinitionCreationFlag>())
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "createNetworkV2: unknown flags " + std::to_string(flags));
        return nullptr;
    }
    const bool explicitBatch = flags & (1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH));
    auto* network = new NetworkImpl(mReporter, !explicitBatch);
    network->setExplicitPrecision(flags & (1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_PRECISION)));
    return network;
}

void BuilderImpl::setMaxBatchSize(int32_t batchSize) noexcept
{
    if (batchSize < 1)
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "setMaxBatchSize: must be at least 1");
        return;
    }
    mMaxBatchSize = batchSize;
}

void BuilderImpl::setMaxWorkspaceSize(std::size_t workspaceSize) noexcept { mLegacyConfig->setMaxWorkspaceSize(workspaceSize); }
std::size_t BuilderImpl::getMaxWorkspaceSize() const noexcept { return mLegacyConfig->getMaxWorkspaceSize(); }
void BuilderImpl::setMinFindIterations(int32_t minFind) noexcept { mLegacyConfig->setMinTimingIterations(minFind); }
int32_t BuilderImpl::getMinFindIterations() const noexcept { return mLegacyConfig->getMinTimingIterations(); }
void BuilderImpl::setAverageFindIterations(int32_t avgFind) noexcept { mLegacyConfig->setAvgTimingIterations(avgFind); }
int32_t BuilderImpl::getAverageFindIterations() const noexcept { return mLegacyConfig->getAvgTimingIterations(); }

namespace
{
void setLegacyFlag(BuilderConfigImpl& c, nvinfer1::BuilderFlag f, bool on)
{
    if (on)
        c.setFlag(f);
    else
        c.clearFlag(f);
}
} // namespace

void BuilderImpl::setInt8Mode(bool mode) noexcept { setLegacyFlag(*mLegacyConfig, nvinfer1::BuilderFlag::kINT8, mode); }
bool BuilderImpl::getInt8Mode() const noexcept { return mLegacyConfig->getFlag(nvinfer1::BuilderFlag::kINT8); }
void BuilderImpl::setInt8Calibrator(nvinfer1::IInt8Calibrator* calibrator) noexcept { mLegacyConfig->setInt8Calibrator(calibrator); }
void BuilderImpl::setFp16Mode(bool mode) noexcept { setLegacyFlag(*mLegacyConfig, nvinfer1::BuilderFlag::kFP16, mode); }
bool BuilderImpl::getFp16Mode() const noexcept { return mLegacyConfig->getFlag(nvinfer1::BuilderFlag::kFP16); }
void BuilderImpl::setStrictTypeConstraints(bool mode) noexcept { setLegacyFlag(*mLegacyConfig, nvinfer1::BuilderFlag::kSTRICT_TYPES, mode); }
bool BuilderImpl::getStrictTypeConstraints() const noexcept { return mLegacyConfig->getFlag(nvinfer1::BuilderFlag::kSTRICT_TYPES); }
void BuilderImpl::setRefittable(bool canRefit) noexcept { setLegacyFlag(*mLegacyConfig, nvinfer1::BuilderFlag::kREFIT, canRefit); }
bool BuilderImpl::getRefittable() const noexcept { return mLegacyConfig->getFlag(nvinfer1::BuilderFlag::kREFIT); }
void BuilderImpl::allowGPUFallback(bool mode) noexcept { setLegacyFlag(*mLegacyConfig, nvinfer1::BuilderFlag::kGPU_FALLBACK, mode); }
void BuilderImpl::setEngineCapability(nvinfer1::EngineCapability capability) noexcept { mLegacyConfig->setEngineCapability(capability); }
nvinfer1::EngineCapability BuilderImpl::getEngineCapability() const noexcept { return mLegacyConfig->getEngineCapability(); }
void BuilderImpl::setDeviceType(nvinfer1::ILayer* layer, nvinfer1::DeviceType deviceType) noexcept { mLegacyConfig->setDeviceType(layer, deviceType); }
nvinfer1::DeviceType BuilderImpl::getDeviceType(const nvinfer1::ILayer* layer) const noexcept { return mLegacyConfig->getDeviceType(layer); }
bool BuilderImpl::isDeviceTypeSet(const nvinfer1::ILayer* layer) const noexcept { return mLegacyConfig->isDeviceTypeSet(layer); }
void BuilderImpl::resetDeviceType(nvinfer1::ILayer* layer) noexcept { mLegacyConfig->resetDeviceType(layer); }
void BuilderImpl::setDefaultDeviceType(nvinfer1::DeviceType deviceType) noexcept { mLegacyConfig->setDefaultDeviceType(deviceType); }
nvinfer1::DeviceType BuilderImpl::getDefaultDeviceType() const noexcept { return mLegacyConfig->getDefaultDeviceType(); }
void BuilderImpl::setDLACore(int32_t dlaCore) noexcept { mLegacyConfig->setDLACore(dlaCore); }
int32_t BuilderImpl::getDLACore() const noexcept { return mLegacyConfig->getDLACore(); }

void BuilderImpl::reset() noexcept
{
    mMaxBatchSize = 1;
    mDebugSync = false;
    mLegacyConfig = std::make_unique<BuilderConfigImpl>(mReporter);
}

nvinfer1::IBuilderConfig* BuilderImpl::createBuilderConfig() noexcept
{
    return new BuilderConfigImpl(mReporter);
}

nvinfer1::IOptimizationProfile* BuilderImpl::createOptimizationProfile() noexcept
{
    mProfiles.push_back(std::make_unique<OptimizationProfileImpl>());
    return mProfiles.back().get();
}

nvinfer1::ICudaEngine* BuilderImpl::buildCudaEngine(nvinfer1::INetworkDefinition& network) noexcept
{
    return buildEngineWithConfig(network, *mLegacyConfig);
}

nvinfer1::ICudaEngine* BuilderImpl::buildEngineWithConfig(
    nvinfer1::INetworkDefinition& network, nvinfer1::IBuilderConfig& config) noexcept
{
    auto& net = static_cast<NetworkImpl&>(network);
    auto& cfg = static_cast<BuilderConfigImpl&>(config);
    auto options = cfg.toOptions(mMaxBatchSize);
    if (!options)
    {
        mReporter.error(options.status().withContext("buildEngineWithConfig"));
        return nullptr;
    }
    backends::Timer timer;
    auto plan = builder::buildPlan(net.graph(), options.value(), mAllocator, mReporter);
    if (!plan)
    {
        mReporter.error(plan.status().withContext("buildEngineWithConfig"));
        return nullptr;
    }
    auto engine = runtime::Engine::create(std::move(plan.value()), mAllocator);
    if (!engine)
    {
        mReporter.error(engine.status().withContext("buildEngineWithConfig"));
        return nullptr;
    }
    mReporter.info("built engine '" + net.graph().name + "' with " + std::to_string(engine.value()->plan().layers.size())
        + " layers in " + std::to_string(timer.elapsedMs()) + " ms");
    return new EngineImpl(std::move(engine.value()), mReporter);
}

nvinfer1::IHostMemory* BuilderImpl::buildSerializedNetwork(
    nvinfer1::INetworkDefinition& network, nvinfer1::IBuilderConfig& config) noexcept
{
    nvinfer1::ICudaEngine* engine = buildEngineWithConfig(network, config);
    if (!engine)
        return nullptr;
    nvinfer1::IHostMemory* blob = engine->serialize();
    engine->destroy();
    return blob;
}

} // namespace kiln::api
