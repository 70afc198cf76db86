// IEEE binary16 conversions for the parsers' kHALF weights and FP16 blobs.
#pragma once

#include <cstdint>

namespace kiln
{
namespace parsers
{

//! IEEE binary16 from float with round-to-nearest-even (overflow gives infinity, NaN stays NaN).
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t bits);

} // namespace parsers
} // namespace kiln
