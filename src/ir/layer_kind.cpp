#include "ir/layer_kind.h"

namespace kiln::ir
{

const char* layerKindName(LayerKind kind)
{
    switch (kind)
    {
#define KILN_LAYER_KIND(Name, Type)                                                                                    \
    case LayerKind::k##Name: return #Name;
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND
    case LayerKind::kCount: break;
    }
    return "Unknown";
}

nvinfer1::LayerType toLayerType(LayerKind kind)
{
    switch (kind)
    {
#define KILN_LAYER_KIND(Name, Type)                                                                                    \
    case LayerKind::k##Name: return nvinfer1::LayerType::Type;
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND
    case LayerKind::kCount: break;
    }
    return nvinfer1::LayerType::kIDENTITY;
}

bool isValidLayerKind(int32_t value)
{
    return value >= 0 && value < kLayerKindCount;
}

} // namespace kiln::ir
