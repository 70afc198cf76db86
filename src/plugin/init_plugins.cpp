// The plugin library. Kiln has no built-in plugins yet, so initialization registers nothing.
#include "NvInferPlugin.h"

extern "C" TENSORRTAPI bool initLibNvInferPlugins(void* /*logger*/, const char* /*libNamespace*/)
{
    return true;
}
