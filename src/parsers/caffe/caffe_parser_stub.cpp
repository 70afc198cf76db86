// The Caffe parser is declared but not built yet: its factory says so and returns nullptr.
#include "NvCaffeParser.h"

#include <cstdio>

namespace
{
void reportNotBuilt()
{
    const char* msg = "nvcaffeparser1: the Caffe parser is not built yet in this version of Kiln (planned milestone)";
    if (nvinfer1::ILogger* logger = getLogger())
        logger->log(nvinfer1::ILogger::Severity::kERROR, msg);
    else
        std::fprintf(stderr, "%s\n", msg);
}
} // namespace

namespace nvcaffeparser1
{
TENSORRTAPI ICaffeParser* createCaffeParser() TRTNOEXCEPT
{
    reportNotBuilt();
    return nullptr;
}
TENSORRTAPI void shutdownProtobufLibrary() TRTNOEXCEPT {}
} // namespace nvcaffeparser1

extern "C" TENSORRTAPI void* createNvCaffeParser_INTERNAL()
{
    return nvcaffeparser1::createCaffeParser();
}
