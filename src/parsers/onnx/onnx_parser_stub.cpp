// The ONNX parser is declared but not built yet: its factory says so and returns nullptr.
#include "NvOnnxConfig.h"
#include "NvOnnxParser.h"

namespace
{
const char* const kNotBuilt
    = "nvonnxparser: the ONNX parser is not built yet in this version of Kiln (planned milestone); "
      "define the network through the INetworkDefinition API instead";
}

extern "C" TENSORRTAPI void* createNvOnnxParser_INTERNAL(void* /*network*/, void* logger, int /*version*/)
{
    if (logger)
        static_cast<nvinfer1::ILogger*>(logger)->log(nvinfer1::ILogger::Severity::kERROR, kNotBuilt);
    return nullptr;
}

extern "C" TENSORRTAPI int getNvOnnxParserVersion()
{
    return NV_ONNX_PARSER_VERSION;
}

namespace nvonnxparser
{
TENSORRTAPI IOnnxConfig* createONNXConfig()
{
    if (nvinfer1::ILogger* logger = getLogger())
        logger->log(nvinfer1::ILogger::Severity::kERROR, kNotBuilt);
    return nullptr;
}
} // namespace nvonnxparser
