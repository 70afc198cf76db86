#include "api/context_impl.h"

namespace kiln::api
{

ContextImpl::ContextImpl(EngineImpl& engine, std::unique_ptr<runtime::ExecutionContext> context)
    : mEngine(engine)
    , mContext(std::move(context))
    , mReporter(engine.reporter())
    , mTensorAddresses(static_cast<size_t>(engine.bindingsPerProfile()), nullptr)
{
}

void ContextImpl::usageError(const std::string& message) const
{
    mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, message);
}

int32_t ContextImpl::currentIo(int32_t bindingIndex, const char* call) const
{
    int32_t profile, io;
    if (!mEngine.splitBinding(bindingIndex, profile, io))
    {
        usageError(std::string(call) + ": binding index " + std::to_string(bindingIndex) + " out of range [0, "
            + std::to_string(mEngine.getNbBindings()) + ")");
        return -1;
    }
    if (profile != mContext->profile())
    {
        usageError(std::string(call) + ": binding " + std::to_string(bindingIndex) + " belongs to optimization profile "
            + std::to_string(profile) + ", the context uses profile " + std::to_string(mContext->profile()));
        return -1;
    }
    return io;
}

bool ContextImpl::run(void* const* bindings, int32_t batch, cudaStream_t stream, bool sync, const char* call)
{
    if (!bindings)
    {
        usageError(std::string(call) + ": bindings is null");
        return false;
    }
    const int32_t offset = mContext->profile() * mEngine.bindingsPerProfile();
    std::unique_ptr<backends::Stream> onStream = backends::cpuDevice().createStream(stream);
    Status s = mContext->enqueue(bindings + offset, batch, *onStream, mProfiler);
    if (s && sync)
        s = onStream->synchronize();
    if (!s)
    {
        mReporter.error(s.code() == nvinfer1::ErrorCode::kINVALID_ARGUMENT ? nvinfer1::ErrorCode::kINVALID_ARGUMENT
                                                                             : nvinfer1::ErrorCode::kFAILED_EXECUTION,
            std::string(call) + ": " + s.message());
        return false;
    }
    return true;
}

bool ContextImpl::execute(int32_t batchSize, void* const* bindings) noexcept
{
    if (!mEngine.hasImplicitBatchDimension())
    {
        usageError("execute: the engine has an explicit batch dimension; use executeV2()");
        return false;
    }
    if (batchSize < 1)
    {
        usageError("execute: batch size " + std::to_string(batchSize) + " must be at least 1");
        return false;
    }
    return run(bindings, batchSize, nullptr, true, "execute");
}

bool ContextImpl::enqueue(int32_t batchSize, void* const* bindings, cudaStream_t stream, cudaEvent_t*) noexcept
{
    if (!mEngine.hasImplicitBatchDimension())
    {
        usageError("enqueue: the engine has an explicit batch dimension; use enqueueV2()");
        return false;
    }
    if (batchSize < 1)
    {
        usageError("enqueue: batch size " + std::to_string(batchSize) + " must be at least 1");
        return false;
    }
    return run(bindings, batchSize, stream, false, "enqueue");
}

bool ContextImpl::executeV2(void* const* bindings) noexcept
{
    if (mEngine.hasImplicitBatchDimension())
    {
        usageError("executeV2: the engine has an implicit batch dimension; use execute(batchSize, bindings)");
        return false;
    }
    if (!mContext->allInputDimsSpecified())
    {
        usageError("executeV2: not all input dimensions are specified (setBindingDimensions)");
        return false;
    }
    return run(bindings, 0, nullptr, true, "executeV2");
}

bool ContextImpl::enqueueV2(void* const* bindings, cudaStream_t stream, cudaEvent_t*) noexcept
{
    if (mEngine.hasImplicitBatchDimension())
    {
        usageError("enqueueV2: the engine has an implicit batch dimension; use enqueue(batchSize, ...)");
        return false;
    }
    if (!mContext->allInputDimsSpecified())
    {
        usageError("enqueueV2: not all input dimensions are specified (setBindingDimensions)");
        return false;
    }
    return run(bindings, 0, stream, false, "enqueueV2");
}

void ContextImpl::setDeviceMemory(void* memory) noexcept
{
    if (!memory && mEngine.getDeviceMemorySize() > 0)
    {
        usageError("setDeviceMemory: memory is null but the engine needs " + std::to_string(mEngine.getDeviceMemorySize()) + " bytes");
        return;
    }
    if (reinterpret_cast<uintptr_t>(memory) % 256 != 0)
    {
        usageError("setDeviceMemory: memory must be 256-byte aligned");
        return;
    }
    mContext->setDeviceMemory(memory);
}

nvinfer1::Dims ContextImpl::getStrides(int32_t bindingIndex) const noexcept
{
    const nvinfer1::Dims d = getBindingDimensions(bindingIndex);
    return d.nbDims < 0 ? d : contiguousStrides(d);
}

bool ContextImpl::setOptimizationProfile(int32_t profileIndex) noexcept
{
    Status s = mContext->setProfile(profileIndex);
    if (!s)
    {
        mReporter.error(s.withContext("setOptimizationProfile"));
        return false;
    }
    return true;
}

bool ContextImpl::setOptimizationProfileAsync(int32_t profileIndex, cudaStream_t) noexcept
{
    return setOptimizationProfile(profileIndex);
}

bool ContextImpl::setBindingDimensions(int32_t bindingIndex, nvinfer1::Dims dimensions) noexcept
{
    if (mEngine.hasImplicitBatchDimension())
    {
        usageError("setBindingDimensions: only explicit-batch engines have dynamic dimensions");
        return false;
    }
    const int32_t io = currentIo(bindingIndex, "setBindingDimensions");
    if (io < 0)
        return false;
    if (!isValidRank(dimensions))
    {
        usageError("setBindingDimensions: invalid rank " + std::to_string(dimensions.nbDims));
        return false;
    }
    Status s = mContext->setInputDims(io, dimensions);
    if (!s)
    {
        mReporter.error(s.withContext("setBindingDimensions"));
        return false;
    }
    return true;
}

nvinfer1::Dims ContextImpl::getBindingDimensions(int32_t bindingIndex) const noexcept
{
    int32_t profile, io;
    if (!mEngine.splitBinding(bindingIndex, profile, io))
        return invalidDims();
    if (profile != mContext->profile())
        return mEngine.getBindingDimensions(bindingIndex);
    return mEngine.toApiDims(mContext->ioDims(io));
}

bool ContextImpl::setInputShapeBinding(int32_t bindingIndex, const int32_t*) noexcept
{
    usageError("setInputShapeBinding: binding " + std::to_string(bindingIndex) + " is not a shape binding (Kiln engines have none yet)");
    return false;
}

bool ContextImpl::getShapeBinding(int32_t bindingIndex, int32_t*) const noexcept
{
    usageError("getShapeBinding: binding " + std::to_string(bindingIndex) + " is not a shape binding");
    return false;
}

bool ContextImpl::setTensorAddress(const char* tensorName, void* data) noexcept
{
    const int32_t io = mEngine.ioIndexOf(tensorName);
    if (io < 0)
    {
        usageError(std::string("setTensorAddress: no I/O tensor named '") + (tensorName ? tensorName : "(null)") + "'");
        return false;
    }
    mTensorAddresses[static_cast<size_t>(io)] = data;
    return true;
}

const void* ContextImpl::getTensorAddress(const char* tensorName) const noexcept
{
    const int32_t io = mEngine.ioIndexOf(tensorName);
    return io < 0 ? nullptr : mTensorAddresses[static_cast<size_t>(io)];
}

bool ContextImpl::setInputShape(const char* tensorName, const nvinfer1::Dims& dims) noexcept
{
    const int32_t io = mEngine.ioIndexOf(tensorName);
    if (io < 0)
    {
        usageError(std::string("setInputShape: no I/O tensor named '") + (tensorName ? tensorName : "(null)") + "'");
        return false;
    }
    return setBindingDimensions(io + mContext->profile() * mEngine.bindingsPerProfile(), dims);
}

nvinfer1::Dims ContextImpl::getTensorShape(const char* tensorName) const noexcept
{
    const int32_t io = mEngine.ioIndexOf(tensorName);
    return io < 0 ? invalidDims() : getBindingDimensions(io + mContext->profile() * mEngine.bindingsPerProfile());
}

bool ContextImpl::enqueueV3(cudaStream_t stream) noexcept
{
    if (mEngine.hasImplicitBatchDimension())
    {
        usageError("enqueueV3: the engine has an implicit batch dimension; use execute(batchSize, bindings)");
        return false;
    }
    // Lay the addresses out as a bindings array of the current profile.
    std::vector<void*> bindings(static_cast<size_t>(mEngine.getNbBindings()), nullptr);
    const size_t offset = static_cast<size_t>(mContext->profile() * mEngine.bindingsPerProfile());
    for (size_t i = 0; i < mTensorAddresses.size(); ++i)
        bindings[offset + i] = mTensorAddresses[i];
    if (!mContext->allInputDimsSpecified())
    {
        usageError("enqueueV3: not all input shapes are specified (setInputShape)");
        return false;
    }
    return run(bindings.data(), 0, stream, false, "enqueueV3");
}

} // namespace kiln::api
