// Helpers for layer tests over FLOAT, INT32 and BOOL data alike (gather and scatter tests).
#pragma once

#include "support/harness.h"

#include <vector>

namespace kiln::test
{

//! The values of \p t as doubles, whatever its type.
inline std::vector<double> valuesOf(const HostTensor& t)
{
    if (t.type == nvinfer1::DataType::kINT32)
        return std::vector<double>(t.i.begin(), t.i.end());
    if (t.type == nvinfer1::DataType::kBOOL)
        return std::vector<double>(t.b.begin(), t.b.end());
    return std::vector<double>(t.f.begin(), t.f.end());
}

//! Seeded random data of \p type: floats, ints in [-1000, 1000], or booleans.
inline HostTensor randomData(nvinfer1::DataType type, const std::vector<int32_t>& dims, Rng& rng)
{
    if (type == nvinfer1::DataType::kFLOAT)
        return randomTensor(dims, rng);
    if (type == nvinfer1::DataType::kINT32)
        return randomInts(dims, rng, -1000, 1000);
    HostTensor t = HostTensor::zeros(nvinfer1::DataType::kBOOL, dims);
    for (uint8_t& v : t.b)
        v = static_cast<uint8_t>(rng.uniformInt(0, 1));
    return t;
}

//! Exact comparison: data movement copies values, so FLOAT results must match bit for bit too.
inline void expectValues(const HostTensor& actual, nvinfer1::DataType type, const std::vector<int32_t>& dims,
    const std::vector<double>& expected)
{
    if (type == nvinfer1::DataType::kFLOAT)
        expectClose(actual, dims, expected, 0, 0);
    else
        expectEqualInts(actual, dims, std::vector<int32_t>(expected.begin(), expected.end()));
}

} // namespace kiln::test
