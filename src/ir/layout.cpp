#include "ir/layout.h"

namespace kiln::ir
{

const char* layoutName(Layout layout)
{
    switch (layout)
    {
    case Layout::kLinear: return "linear";
    case Layout::kChannels8: return "nChw8c";
    case Layout::kChannels16: return "nChw16c";
    }
    return "unknown";
}

Status checkLayout(Layout layout, const nvinfer1::Dims& dims)
{
    if (layout == Layout::kLinear)
        return Status::ok();
    if (!isLayout(static_cast<int32_t>(layout)))
        return invalidArgument("unknown tensor layout " + std::to_string(static_cast<int32_t>(layout)));
    const int32_t block = channelBlock(layout);
    if (dims.nbDims != 4 || dims.d[1] <= 0 || dims.d[1] % block != 0)
        return invalidArgument(std::string("layout ") + layoutName(layout) + " needs a 4-D tensor whose channel extent is a multiple of "
            + std::to_string(block));
    return Status::ok();
}

} // namespace kiln::ir
