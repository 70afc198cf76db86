// The UFF parser is declared but not built yet: its factory says so and returns nullptr.
#include "NvUffParser.h"

#include <cstdio>

namespace nvuffparser
{

FieldMap::FieldMap(const char* name_, const void* data_, const FieldType type_, int32_t length_)
    : name(name_)
    , data(data_)
    , type(type_)
    , length(length_)
{
}

TENSORRTAPI IUffParser* createUffParser() TRTNOEXCEPT
{
    const char* msg = "nvuffparser: the UFF parser is not built yet in this version of Kiln (planned milestone)";
    if (nvinfer1::ILogger* logger = getLogger())
        logger->log(nvinfer1::ILogger::Severity::kERROR, msg);
    else
        std::fprintf(stderr, "%s\n", msg);
    return nullptr;
}
TENSORRTAPI void shutdownProtobufLibrary() TRTNOEXCEPT {}

} // namespace nvuffparser

extern "C" TENSORRTAPI void* createNvUffParser_INTERNAL()
{
    return nvuffparser::createUffParser();
}
