// IOnnxConfig: the settings object of TensorRT's ONNX samples (model file, data type, verbosity).
#include "NvOnnxConfig.h"

#include <algorithm>
#include <new>
#include <string>

namespace
{

class OnnxConfigImpl final : public nvonnxparser::IOnnxConfig
{
public:
    void setModelDtype(const nvinfer1::DataType type) noexcept override { mType = type; }
    nvinfer1::DataType getModelDtype() const noexcept override { return mType; }
    const char* getModelFileName() const noexcept override { return mModel.c_str(); }
    void setModelFileName(const char* name) noexcept override { mModel = name ? name : ""; }
    Verbosity getVerbosityLevel() const noexcept override { return mVerbosity; }
    void addVerbosity() noexcept override { mVerbosity = std::min(mVerbosity + 1, kMost); }
    void reduceVerbosity() noexcept override { mVerbosity = std::max(mVerbosity - 1, kLeast); }
    void setVerbosityLevel(Verbosity v) noexcept override { mVerbosity = std::clamp(v, kLeast, kMost); }
    const char* getTextFileName() const noexcept override { return mText.c_str(); }
    void setTextFileName(const char* name) noexcept override { mText = name ? name : ""; }
    const char* getFullTextFileName() const noexcept override { return mFullText.c_str(); }
    void setFullTextFileName(const char* name) noexcept override { mFullText = name ? name : ""; }
    bool getPrintLayerInfo() const noexcept override { return mPrintLayerInfo; }
    void setPrintLayerInfo(bool value) noexcept override { mPrintLayerInfo = value; }
    void destroy() noexcept override { delete this; }

private:
    static constexpr Verbosity kLeast = static_cast<Verbosity>(nvinfer1::ILogger::Severity::kINTERNAL_ERROR);
    static constexpr Verbosity kMost = static_cast<Verbosity>(nvinfer1::ILogger::Severity::kVERBOSE);

    nvinfer1::DataType mType{nvinfer1::DataType::kFLOAT};
    std::string mModel;
    std::string mText;
    std::string mFullText;
    Verbosity mVerbosity{static_cast<Verbosity>(nvinfer1::ILogger::Severity::kWARNING)};
    bool mPrintLayerInfo{false};
};

} // namespace

namespace nvonnxparser
{
TENSORRTAPI IOnnxConfig* createONNXConfig()
{
    return new (std::nothrow) OnnxConfigImpl();
}
} // namespace nvonnxparser
