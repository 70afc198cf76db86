//! \file NvOnnxConfig.h
//! Configuration object of the ONNX parser samples (applications may implement it themselves).

#ifndef NV_ONNX_CONFIG_H
#define NV_ONNX_CONFIG_H

#include "NvInfer.h"

namespace nvonnxparser
{

//! Options for parsing an ONNX model.
class IOnnxConfig
{
public:
    virtual ~IOnnxConfig() {}
    typedef int Verbosity; //!< A value of nvinfer1::ILogger::Severity.

    virtual void setModelDtype(const nvinfer1::DataType) TRTNOEXCEPT = 0;
    virtual nvinfer1::DataType getModelDtype() const TRTNOEXCEPT = 0;
    virtual const char* getModelFileName() const TRTNOEXCEPT = 0;
    virtual void setModelFileName(const char* onnxFilename) TRTNOEXCEPT = 0;
    virtual Verbosity getVerbosityLevel() const TRTNOEXCEPT = 0;
    virtual void addVerbosity() TRTNOEXCEPT = 0;
    virtual void reduceVerbosity() TRTNOEXCEPT = 0;
    virtual void setVerbosityLevel(Verbosity) TRTNOEXCEPT = 0;
    virtual const char* getTextFileName() const TRTNOEXCEPT = 0;
    virtual void setTextFileName(const char* textFileName) TRTNOEXCEPT = 0;
    virtual const char* getFullTextFileName() const TRTNOEXCEPT = 0;
    virtual void setFullTextFileName(const char* fullTextFileName) TRTNOEXCEPT = 0;
    virtual bool getPrintLayerInfo() const TRTNOEXCEPT = 0;
    virtual void setPrintLayerInfo(bool) TRTNOEXCEPT = 0;
    virtual void destroy() TRTNOEXCEPT = 0;
};

//! Creates the library's IOnnxConfig implementation; the caller destroys it.
TENSORRTAPI IOnnxConfig* createONNXConfig();

} // namespace nvonnxparser

#endif // NV_ONNX_CONFIG_H
