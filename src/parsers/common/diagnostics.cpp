#include "diagnostics.h"

#include <cstdio>

namespace kiln
{
namespace parsers
{

Diagnostics::Diagnostics(std::string prefix)
    : mPrefix(std::move(prefix))
{
}

Diagnostics::~Diagnostics()
{
    setRecorder(nullptr);
}

void Diagnostics::setRecorder(nvinfer1::IErrorRecorder* recorder)
{
    if (recorder == mRecorder)
        return;
    if (recorder)
        recorder->incRefCount();
    if (mRecorder)
        mRecorder->decRefCount();
    mRecorder = recorder;
}

void Diagnostics::log(nvinfer1::ILogger::Severity severity, const std::string& message) const
{
    const std::string text = mPrefix + ": " + message;
    if (nvinfer1::ILogger* logger = getLogger())
        logger->log(severity, text.c_str());
    else if (severity <= nvinfer1::ILogger::Severity::kWARNING)
        std::fprintf(stderr, "%s\n", text.c_str());
}

void Diagnostics::error(nvinfer1::ErrorCode code, const std::string& message)
{
    ++mErrors;
    log(nvinfer1::ILogger::Severity::kERROR, message);
    if (mRecorder)
        mRecorder->reportError(code, (mPrefix + ": " + message).c_str());
}

void Diagnostics::warning(const std::string& message) const
{
    log(nvinfer1::ILogger::Severity::kWARNING, message);
}

void Diagnostics::info(const std::string& message) const
{
    log(nvinfer1::ILogger::Severity::kINFO, message);
}

void Diagnostics::verbose(const std::string& message) const
{
    log(nvinfer1::ILogger::Severity::kVERBOSE, message);
}

} // namespace parsers
} // namespace kiln
