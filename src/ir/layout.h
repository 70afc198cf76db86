// Memory layouts of activation tensors inside an engine. Network inputs and outputs are always
// kLinear (row-major); the builder's layout choice (builder/layout_choice.cpp) may keep tensors
// between layers whose tactics read and write a channel-blocked layout in that layout, with
// Reformat layers where a blocked tensor meets a layer that reads row-major.
//
//   kLinear       row-major, e.g. NCHW
//   kChannels8    NCHW with channels in blocks of 8:  [N][C/8][H][W][8]   (oneDNN nChw8c)
//   kChannels16   the same with blocks of 16:          [N][C/16][H][W][16] (oneDNN nChw16c,
//                 TensorFormat::kCHW16)
//
// A blocked tensor is 4-D and its channel extent (axis 1) is a multiple of the block, so it takes
// exactly as many bytes as the row-major one (no padding lanes).
#pragma once

#include "NvInfer.h"
#include "common/status.h"

#include <cstdint>
#include <string>

namespace kiln::ir
{

enum class Layout : int32_t
{
    kLinear = 0,
    kChannels8 = 1,
    kChannels16 = 2,
};

constexpr int32_t kNbLayouts = 3;

//! A set of layouts (bit i: Layout value i).
using LayoutSet = uint32_t;

constexpr LayoutSet layoutBit(Layout layout)
{
    return LayoutSet{1} << static_cast<uint32_t>(layout);
}

constexpr LayoutSet kLinearOnly = layoutBit(Layout::kLinear);
constexpr LayoutSet kAllLayouts = layoutBit(Layout::kLinear) | layoutBit(Layout::kChannels8) | layoutBit(Layout::kChannels16);

//! True when \p value is a Layout.
constexpr bool isLayout(int32_t value)
{
    return value >= 0 && value < kNbLayouts;
}

//! Channels per block: 1 for kLinear.
constexpr int32_t channelBlock(Layout layout)
{
    return layout == Layout::kChannels8 ? 8 : layout == Layout::kChannels16 ? 16 : 1;
}

//! "linear", "nChw8c", "nChw16c".
const char* layoutName(Layout layout);

//! Ok when a tensor of \p dims can be stored in \p layout: always for kLinear; for a blocked
//! layout, 4-D with a channel extent that is a positive multiple of the block.
Status checkLayout(Layout layout, const nvinfer1::Dims& dims);

} // namespace kiln::ir
