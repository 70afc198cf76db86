// makeParams: default parameters per layer kind, generated from ir/layer_kinds.def.
#include "layers/all_kinds.h"

namespace kiln::ir
{

std::unique_ptr<LayerParams> makeParams(LayerKind kind)
{
    switch (kind)
    {
#define KILN_LAYER_KIND(Name, Type)                                                                                    \
    case LayerKind::k##Name: return std::make_unique<layers::Name##Params>();
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND
    case LayerKind::kCount: break;
    }
    return nullptr;
}

} // namespace kiln::ir
