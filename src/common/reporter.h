// Reporter: where every diagnostic of a library object goes. Messages go to the ILogger the
// object was created with; errors also go to the IErrorRecorder set on the object (or inherited
// from its creator). Thread-safe as long as the logger and recorder are.
#pragma once

#include "NvInferRuntimeCommon.h"
#include "common/status.h"

#include <string>

namespace kiln
{

using Severity = nvinfer1::ILogger::Severity;

class Reporter
{
public:
    explicit Reporter(nvinfer1::ILogger* logger = nullptr, nvinfer1::IErrorRecorder* recorder = nullptr);
    Reporter(const Reporter& other);
    Reporter& operator=(const Reporter& other);
    ~Reporter();

    nvinfer1::ILogger* logger() const { return mLogger; }
    nvinfer1::IErrorRecorder* recorder() const { return mRecorder; }
    //! Replaces the recorder, keeping the reference counts of both in step.
    void setRecorder(nvinfer1::IErrorRecorder* recorder);

    void log(Severity severity, const std::string& message) const;
    void verbose(const std::string& message) const { log(Severity::kVERBOSE, message); }
    void info(const std::string& message) const { log(Severity::kINFO, message); }
    void warning(const std::string& message) const { log(Severity::kWARNING, message); }
    //! Logs at kERROR and records \p code with the message.
    void error(nvinfer1::ErrorCode code, const std::string& message) const;
    void error(const Status& status) const { error(status.code(), status.message()); }

private:
    nvinfer1::ILogger* mLogger{nullptr};
    nvinfer1::IErrorRecorder* mRecorder{nullptr};
};

//! Remembers \p logger as the process-wide logger returned by getLogger().
void rememberLogger(nvinfer1::ILogger* logger);
nvinfer1::ILogger* rememberedLogger();

} // namespace kiln
