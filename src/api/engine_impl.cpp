#include "api/engine_impl.h"

#include "api/context_impl.h"
#include "api/host_memory.h"
#include "common/dtype.h"
#include "serialize/engine_format.h"

#include <cstring>

namespace kiln::api
{

EngineImpl::EngineImpl(std::shared_ptr<runtime::Engine> engine, const Reporter& reporter)
    : mEngine(std::move(engine))
    , mReporter(reporter)
{
    const auto& plan = mEngine->plan();
    for (size_t k = 0; k < plan.profiles.size(); ++k)
        for (const auto& io : plan.io)
        {
            std::string name = plan.tensors[static_cast<size_t>(io.tensor)].name;
            if (k > 0)
                name += " [profile " + std::to_string(k) + "]";
            mBindingNames.push_back(name);
        }
}

void EngineImpl::usageError(const std::string& message) const
{
    mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, message);
}

bool EngineImpl::splitBinding(int32_t binding, int32_t& profile, int32_t& io) const
{
    const int32_t bpp = bindingsPerProfile();
    if (binding < 0 || binding >= getNbBindings() || bpp == 0)
        return false;
    profile = binding / bpp;
    io = binding % bpp;
    return true;
}

nvinfer1::Dims EngineImpl::toApiDims(const nvinfer1::Dims& dims) const
{
    return mEngine->plan().implicitBatch && dims.nbDims > 0 ? dropFirst(dims) : dims;
}

int32_t EngineImpl::ioIndexOf(const char* name) const
{
    if (!name)
        return -1;
    for (int32_t i = 0; i < bindingsPerProfile(); ++i)
        if (mBindingNames[static_cast<size_t>(i)] == name)
            return i;
    return -1;
}

int32_t EngineImpl::getNbBindings() const noexcept
{
    return static_cast<int32_t>(mBindingNames.size());
}

int32_t EngineImpl::getBindingIndex(const char* name) const noexcept
{
    if (!name)
        return -1;
    for (size_t i = 0; i < mBindingNames.size(); ++i)
        if (mBindingNames[i] == name)
            return static_cast<int32_t>(i);
    return -1;
}

const char* EngineImpl::getBindingName(int32_t bindingIndex) const noexcept
{
    if (bindingIndex < 0 || bindingIndex >= getNbBindings())
        return nullptr;
    return mBindingNames[static_cast<size_t>(bindingIndex)].c_str();
}

bool EngineImpl::bindingIsInput(int32_t bindingIndex) const noexcept
{
    int32_t profile, io;
    return splitBinding(bindingIndex, profile, io) && mEngine->plan().io[static_cast<size_t>(io)].isInput;
}

nvinfer1::Dims EngineImpl::getBindingDimensions(int32_t bindingIndex) const noexcept
{
    int32_t profile, io;
    if (!splitBinding(bindingIndex, profile, io))
        return invalidDims();
    const auto& plan = mEngine->plan();
    const auto& entry = plan.io[static_cast<size_t>(io)];
    if (!entry.isInput)
        return toApiDims(entry.dims);
    int32_t input = 0;
    for (int32_t i = 0; i < io; ++i)
        input += plan.io[static_cast<size_t>(i)].isInput ? 1 : 0;
    const auto& prof = plan.profiles[static_cast<size_t>(profile)];
    nvinfer1::Dims d = prof.min[static_cast<size_t>(input)];
    for (int32_t a = 0; a < d.nbDims; ++a)
        if (d.d[a] != prof.max[static_cast<size_t>(input)].d[a])
            d.d[a] = -1;
    return toApiDims(d);
}

nvinfer1::DataType EngineImpl::getBindingDataType(int32_t bindingIndex) const noexcept
{
    int32_t profile, io;
    if (!splitBinding(bindingIndex, profile, io))
        return nvinfer1::DataType::kFLOAT;
    const auto& plan = mEngine->plan();
    return plan.tensors[static_cast<size_t>(plan.io[static_cast<size_t>(io)].tensor)].type;
}

nvinfer1::IHostMemory* EngineImpl::serialize() const noexcept
{
    std::shared_lock<runtime::EngineLock> reading(mEngine->lock()); // not while a refit writes
    return new HostMemory(serialize::writeEngine(mEngine->plan()));
}

nvinfer1::IExecutionContext* EngineImpl::makeContext(bool ownMemory)
{
    auto ctx = runtime::ExecutionContext::create(mEngine, 0, ownMemory);
    if (!ctx)
    {
        mReporter.error(ctx.status().withContext("createExecutionContext"));
        return nullptr;
    }
    return new ContextImpl(*this, std::move(ctx.value()));
}

nvinfer1::IExecutionContext* EngineImpl::createExecutionContext() noexcept
{
    return makeContext(true);
}

nvinfer1::IExecutionContext* EngineImpl::createExecutionContextWithoutDeviceMemory() noexcept
{
    return makeContext(false);
}

nvinfer1::TensorLocation EngineImpl::getLocation(int32_t bindingIndex) const noexcept
{
    if (bindingIndex < 0 || bindingIndex >= getNbBindings())
        usageError("getLocation: binding index " + std::to_string(bindingIndex) + " out of range");
    return nvinfer1::TensorLocation::kHOST;
}

int32_t EngineImpl::getBindingBytesPerComponent(int32_t bindingIndex) const noexcept
{
    if (bindingIndex < 0 || bindingIndex >= getNbBindings())
        return -1;
    return static_cast<int32_t>(elementSize(getBindingDataType(bindingIndex)));
}

int32_t EngineImpl::getBindingComponentsPerElement(int32_t bindingIndex) const noexcept
{
    return bindingIndex < 0 || bindingIndex >= getNbBindings() ? -1 : 1;
}

nvinfer1::TensorFormat EngineImpl::getBindingFormat(int32_t) const noexcept
{
    return nvinfer1::TensorFormat::kLINEAR;
}

const char* EngineImpl::getBindingFormatDesc(int32_t bindingIndex) const noexcept
{
    if (bindingIndex < 0 || bindingIndex >= getNbBindings())
        return nullptr;
    switch (getBindingDataType(bindingIndex))
    {
    case nvinfer1::DataType::kFLOAT: return "Row major linear FP32 format (kLINEAR)";
    case nvinfer1::DataType::kINT32: return "Row major linear INT32 format (kLINEAR)";
    case nvinfer1::DataType::kBOOL: return "Row major linear BOOL format (kLINEAR)";
    case nvinfer1::DataType::kHALF: return "Row major linear FP16 format (kLINEAR)";
    case nvinfer1::DataType::kINT8: return "Row major linear INT8 format (kLINEAR)";
    }
    return "Row major linear format (kLINEAR)";
}

int32_t EngineImpl::getBindingVectorizedDim(int32_t) const noexcept
{
    return -1;
}

nvinfer1::Dims EngineImpl::getProfileDimensions(
    int32_t bindingIndex, int32_t profileIndex, nvinfer1::OptProfileSelector select) const noexcept
{
    const auto& plan = mEngine->plan();
    const int32_t bpp = bindingsPerProfile();
    if (profileIndex < 0 || profileIndex >= getNbOptimizationProfiles() || bindingIndex < 0 || bindingIndex >= getNbBindings()
        || static_cast<int32_t>(select) < 0 || static_cast<int32_t>(select) > 2)
    {
        usageError("getProfileDimensions: binding, profile or selector out of range");
        return invalidDims();
    }
    const int32_t io = bindingIndex % bpp;
    if (!plan.io[static_cast<size_t>(io)].isInput)
        return invalidDims();
    int32_t input = 0;
    for (int32_t i = 0; i < io; ++i)
        input += plan.io[static_cast<size_t>(i)].isInput ? 1 : 0;
    const auto& prof = plan.profiles[static_cast<size_t>(profileIndex)];
    const auto& v = select == nvinfer1::OptProfileSelector::kMIN ? prof.min
        : select == nvinfer1::OptProfileSelector::kOPT         ? prof.opt
                                                                : prof.max;
    return toApiDims(v[static_cast<size_t>(input)]);
}

const int32_t* EngineImpl::getProfileShapeValues(int32_t, int32_t, nvinfer1::OptProfileSelector) const noexcept
{
    return nullptr; // no shape-tensor inputs
}

bool EngineImpl::isShapeBinding(int32_t) const noexcept
{
    return false;
}

bool EngineImpl::isExecutionBinding(int32_t bindingIndex) const noexcept
{
    return bindingIndex >= 0 && bindingIndex < getNbBindings();
}

const char* EngineImpl::getIOTensorName(int32_t index) const noexcept
{
    if (index < 0 || index >= bindingsPerProfile())
        return nullptr;
    return mBindingNames[static_cast<size_t>(index)].c_str();
}

nvinfer1::TensorIOMode EngineImpl::getTensorIOMode(const char* tensorName) const noexcept
{
    const int32_t io = ioIndexOf(tensorName);
    if (io < 0)
        return nvinfer1::TensorIOMode::kNONE;
    return mEngine->plan().io[static_cast<size_t>(io)].isInput ? nvinfer1::TensorIOMode::kINPUT : nvinfer1::TensorIOMode::kOUTPUT;
}

nvinfer1::Dims EngineImpl::getTensorShape(const char* tensorName) const noexcept
{
    const int32_t io = ioIndexOf(tensorName);
    return io < 0 ? invalidDims() : getBindingDimensions(io);
}

nvinfer1::DataType EngineImpl::getTensorDataType(const char* tensorName) const noexcept
{
    const int32_t io = ioIndexOf(tensorName);
    return io < 0 ? nvinfer1::DataType::kFLOAT : getBindingDataType(io);
}

} // namespace kiln::api
