// Diagnostics of the Caffe and UFF parsers: messages go to the process-wide logger (getLogger(),
// the logger last given to createInferBuilder or createInferRuntime) and errors also go to the
// error recorder set on the parser. Public API only.
#pragma once

#include "NvInferRuntimeCommon.h"

#include <string>

namespace kiln
{
namespace parsers
{

class Diagnostics
{
public:
    //! \p prefix starts every message ("nvcaffeparser1", "nvuffparser").
    explicit Diagnostics(std::string prefix);
    ~Diagnostics();
    Diagnostics(const Diagnostics&) = delete;
    Diagnostics& operator=(const Diagnostics&) = delete;

    //! Replaces the recorder, keeping the reference counts of the old and new one in step.
    void setRecorder(nvinfer1::IErrorRecorder* recorder);
    nvinfer1::IErrorRecorder* recorder() const { return mRecorder; }

    void error(nvinfer1::ErrorCode code, const std::string& message);
    void warning(const std::string& message) const;
    void info(const std::string& message) const;
    void verbose(const std::string& message) const;

    //! Errors reported since the last reset.
    int errorCount() const { return mErrors; }
    void resetErrorCount() { mErrors = 0; }

private:
    void log(nvinfer1::ILogger::Severity severity, const std::string& message) const;

    std::string mPrefix;
    nvinfer1::IErrorRecorder* mRecorder{nullptr};
    int mErrors{0};
};

} // namespace parsers
} // namespace kiln
