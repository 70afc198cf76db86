// Element types: sizes, names, FP16 conversion.
#pragma once

#include "NvInferRuntimeCommon.h"

#include <cstddef>
#include <cstdint>

namespace kiln
{

using nvinfer1::DataType;

//! Bytes per element; 0 for a value outside the enum.
size_t elementSize(DataType type);
//! "FLOAT", "HALF", "INT8", "INT32", "BOOL", or "UNKNOWN(n)".
const char* dataTypeName(DataType type);
bool isValidDataType(DataType type);

float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);

} // namespace kiln
