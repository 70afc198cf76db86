#include "common/reporter.h"

#include <atomic>
#include <cstdio>

namespace kiln
{

namespace
{
std::atomic<nvinfer1::ILogger*> gLogger{nullptr};
} // namespace

void rememberLogger(nvinfer1::ILogger* logger)
{
    if (logger)
        gLogger.store(logger);
}

nvinfer1::ILogger* rememberedLogger()
{
    return gLogger.load();
}

Reporter::Reporter(nvinfer1::ILogger* logger, nvinfer1::IErrorRecorder* recorder)
    : mLogger(logger)
{
    setRecorder(recorder);
}

Reporter::Reporter(const Reporter& other)
    : mLogger(other.mLogger)
{
    setRecorder(other.mRecorder);
}

Reporter& Reporter::operator=(const Reporter& other)
{
    if (this != &other)
    {
        mLogger = other.mLogger;
        setRecorder(other.mRecorder);
    }
    return *this;
}

Reporter::~Reporter()
{
    setRecorder(nullptr);
}

void Reporter::setRecorder(nvinfer1::IErrorRecorder* recorder)
{
    if (recorder == mRecorder)
        return;
    if (recorder)
        recorder->incRefCount();
    if (mRecorder)
        mRecorder->decRefCount();
    mRecorder = recorder;
}

void Reporter::log(Severity severity, const std::string& message) const
{
    if (mLogger)
        mLogger->log(severity, message.c_str());
    else if (severity <= Severity::kERROR)
        std::fprintf(stderr, "[kiln] %s\n", message.c_str());
}

void Reporter::error(nvinfer1::ErrorCode code, const std::string& message) const
{
    log(Severity::kERROR, message);
    if (mRecorder)
        mRecorder->reportError(code, message.c_str());
}

} // namespace kiln
