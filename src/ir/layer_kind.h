// LayerKind: Kiln's enumeration of layer kinds, generated from layer_kinds.def.
#pragma once

#include "NvInfer.h"

#include <cstdint>

namespace kiln::ir
{

enum class LayerKind : int32_t
{
#define KILN_LAYER_KIND(Name, Type) k##Name,
#include "ir/layer_kinds.def"
#undef KILN_LAYER_KIND
    kCount
};

constexpr int32_t kLayerKindCount = static_cast<int32_t>(LayerKind::kCount);

//! "Convolution", "FullyConnected", ...
const char* layerKindName(LayerKind kind);
//! The public LayerType of a kind.
nvinfer1::LayerType toLayerType(LayerKind kind);
bool isValidLayerKind(int32_t value);

} // namespace kiln::ir
