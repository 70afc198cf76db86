#include "half.h"

#include <cstring>

namespace kiln
{
namespace parsers
{

uint16_t floatToHalf(float value)
{
    uint32_t x = 0;
    std::memcpy(&x, &value, sizeof(x));
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t exponent = (x >> 23) & 0xFFu;
    uint32_t mantissa = x & 0x7FFFFFu;
    if (exponent == 0xFFu) // infinity or NaN (NaN keeps a mantissa bit so it stays NaN)
        return static_cast<uint16_t>(sign | 0x7C00u | (mantissa ? 0x200u | (mantissa >> 13) : 0u));
    const int32_t e = static_cast<int32_t>(exponent) - 127 + 15;
    if (e >= 0x1F)
        return static_cast<uint16_t>(sign | 0x7C00u);
    if (e <= 0)
    {
        // Subnormal half (or zero): m * 2^-24 with m = mantissa24 >> (14 - e), rounded to even.
        if (e < -10)
            return static_cast<uint16_t>(sign);
        mantissa |= 0x800000u;
        const uint32_t shift = static_cast<uint32_t>(14 - e);
        uint32_t half = mantissa >> shift;
        const uint32_t rest = mantissa & ((1u << shift) - 1u);
        const uint32_t halfway = 1u << (shift - 1u);
        if (rest > halfway || (rest == halfway && (half & 1u)))
            ++half;
        return static_cast<uint16_t>(sign | half);
    }
    uint32_t half = (static_cast<uint32_t>(e) << 10) | (mantissa >> 13);
    const uint32_t rest = mantissa & 0x1FFFu;
    // A carry out of the mantissa moves into the exponent, which is what rounding up must do (and
    // gives infinity from the largest finite value).
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u)))
        ++half;
    return static_cast<uint16_t>(sign | half);
}

float halfToFloat(uint16_t bits)
{
    const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
    const uint32_t exponent = (bits >> 10) & 0x1Fu;
    uint32_t mantissa = bits & 0x3FFu;
    uint32_t x = 0;
    if (exponent == 0x1Fu)
        x = sign | 0x7F800000u | (mantissa << 13);
    else if (exponent != 0)
        x = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
    else if (mantissa == 0)
        x = sign;
    else
    {
        // Subnormal: normalize the mantissa.
        int32_t e = -14;
        while (!(mantissa & 0x400u))
        {
            mantissa <<= 1;
            --e;
        }
        mantissa &= 0x3FFu;
        x = sign | (static_cast<uint32_t>(e + 127) << 23) | (mantissa << 13);
    }
    float f = 0.f;
    std::memcpy(&f, &x, sizeof(f));
    return f;
}

} // namespace parsers
} // namespace kiln
