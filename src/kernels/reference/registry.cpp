// The reference kernel table, one row per layer kind, generated from ir/layer_kinds.def: a kind
// without its run<Name>() fails to link.
#include "kernels/kernel.h"

namespace kiln::kernels::reference
{

KernelFn kernelFor(ir::LayerKind kind)
{
    static const KernelFn kTable[] = {
#define KILN_LAYER_KIND(Name, Type) &run##Name,
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND
    };
    static_assert(sizeof(kTable) / sizeof(kTable[0]) == ir::kLayerKindCount, "one reference kernel per layer kind");
    const auto index = static_cast<int32_t>(kind);
    return index >= 0 && index < ir::kLayerKindCount ? kTable[index] : nullptr;
}

} // namespace kiln::kernels::reference
