#include "common/dtype.h"

#include <cmath>
#include <cstring>

namespace kiln
{

size_t elementSize(DataType type)
{
    switch (type)
    {
    case DataType::kFLOAT: return 4;
    case DataType::kHALF: return 2;
    case DataType::kINT8: return 1;
    case DataType::kINT32: return 4;
    case DataType::kBOOL: return 1;
    }
    return 0;
}

const char* dataTypeName(DataType type)
{
    switch (type)
    {
    case DataType::kFLOAT: return "FLOAT";
    case DataType::kHALF: return "HALF";
    case DataType::kINT8: return "INT8";
    case DataType::kINT32: return "INT32";
    case DataType::kBOOL: return "BOOL";
    }
    return "UNKNOWN";
}

bool isValidDataType(DataType type)
{
    return elementSize(type) != 0;
}

float halfToFloat(uint16_t h)
{
    const uint32_t sign = (h >> 15) & 1u;
    const uint32_t exponent = (h >> 10) & 0x1Fu;
    const uint32_t mantissa = h & 0x3FFu;
    float value;
    if (exponent == 0)
        value = std::ldexp(static_cast<float>(mantissa), -24);
    else if (exponent == 31)
        value = mantissa ? NAN : INFINITY;
    else
        value = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
    return sign ? -value : value;
}

uint16_t floatToHalf(float f)
{
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(bits));
    const uint32_t sign = (bits >> 16) & 0x8000u;
    if (std::isnan(f))
        return static_cast<uint16_t>(sign | 0x7E00u);
    const float a = std::fabs(f);
    if (a >= 65520.0f)
        return static_cast<uint16_t>(sign | 0x7C00u);
    if (a < 6.103515625e-05f) // subnormal half
    {
        const uint32_t m = static_cast<uint32_t>(std::nearbyint(a * 16777216.0f));
        return static_cast<uint16_t>(sign | m);
    }
    int e;
    const float frac = std::frexp(a, &e); // a = frac * 2^e, frac in [0.5, 1)
    uint32_t m = static_cast<uint32_t>(std::nearbyint((frac * 2.0f - 1.0f) * 1024.0f));
    int exponent = e - 1 + 15;
    if (m == 1024)
    {
        m = 0;
        ++exponent;
    }
    if (exponent >= 31)
        return static_cast<uint16_t>(sign | 0x7C00u);
    return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exponent) << 10) | m);
}

} // namespace kiln
