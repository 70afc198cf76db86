//! \file NvInferPlugin.h
//! The plugin library entry point. Kiln ships no built-in plugins yet; initLibNvInferPlugins()
//! succeeds and registers nothing, so programs that call it keep working.

#ifndef NV_INFER_PLUGIN_H
#define NV_INFER_PLUGIN_H

#include "NvInfer.h"

namespace nvinfer1
{
//! Namespace of the plugin library (samples write `using namespace plugin;`).
namespace plugin
{
} // namespace plugin
} // namespace nvinfer1

extern "C" {
//! Registers the library's plugin creators under \p libNamespace. Returns true on success.
TENSORRTAPI bool initLibNvInferPlugins(void* logger, const char* libNamespace);
} // extern "C"

#endif // NV_INFER_PLUGIN_H
