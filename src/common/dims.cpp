#include "common/dims.h"

#include <algorithm>

// The out-of-line definition C++11 programs need when they odr-use Dims::MAX_DIMS (C++17 code has
// the inline one).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated"
constexpr int32_t nvinfer1::Dims::MAX_DIMS;
#pragma GCC diagnostic pop

namespace kiln
{

Dims invalidDims()
{
    Dims d{};
    d.nbDims = -1;
    return d;
}

Dims makeDims(std::initializer_list<int32_t> extents)
{
    return makeDims(std::vector<int32_t>(extents));
}

Dims makeDims(const std::vector<int32_t>& extents)
{
    Dims d{};
    d.nbDims = static_cast<int32_t>(std::min<size_t>(extents.size(), Dims::MAX_DIMS));
    for (int32_t i = 0; i < d.nbDims; ++i)
        d.d[i] = extents[i];
    return d;
}

std::vector<int32_t> toVector(const Dims& dims)
{
    if (!isValidRank(dims))
        return {};
    return std::vector<int32_t>(dims.d, dims.d + dims.nbDims);
}

bool isValidRank(const Dims& dims)
{
    return dims.nbDims >= 0 && dims.nbDims <= Dims::MAX_DIMS;
}

bool hasDynamicExtent(const Dims& dims)
{
    for (int32_t i = 0; i < dims.nbDims && i < Dims::MAX_DIMS; ++i)
        if (dims.d[i] < 0)
            return true;
    return false;
}

int64_t volume(const Dims& dims)
{
    return volume(dims, 0, dims.nbDims);
}

int64_t volume(const Dims& dims, int32_t begin, int32_t end)
{
    int64_t v = 1;
    for (int32_t i = std::max(begin, 0); i < end && i < Dims::MAX_DIMS; ++i)
    {
        if (dims.d[i] < 0)
            return -1;
        // Volumes that do not fit in 2^62 are as unusable as unknown ones (and must not overflow).
        if (dims.d[i] > 0 && v > (int64_t(1) << 62) / dims.d[i])
            return -1;
        v *= dims.d[i];
    }
    return v;
}

bool sameDims(const Dims& a, const Dims& b)
{
    if (a.nbDims != b.nbDims)
        return false;
    for (int32_t i = 0; i < a.nbDims && i < Dims::MAX_DIMS; ++i)
        if (a.d[i] != b.d[i])
            return false;
    return true;
}

std::string toString(const Dims& dims)
{
    if (!isValidRank(dims))
        return "[invalid rank " + std::to_string(dims.nbDims) + "]";
    std::string s = "[";
    for (int32_t i = 0; i < dims.nbDims; ++i)
    {
        if (i)
            s += ",";
        s += std::to_string(dims.d[i]);
    }
    return s + "]";
}

Dims prepend(const Dims& dims, int32_t extent)
{
    Dims out{};
    out.nbDims = std::min(dims.nbDims + 1, static_cast<int32_t>(Dims::MAX_DIMS));
    out.d[0] = extent;
    for (int32_t i = 1; i < out.nbDims; ++i)
        out.d[i] = dims.d[i - 1];
    return out;
}

Dims dropFirst(const Dims& dims)
{
    Dims out{};
    out.nbDims = std::max(dims.nbDims - 1, 0);
    for (int32_t i = 0; i < out.nbDims; ++i)
        out.d[i] = dims.d[i + 1];
    return out;
}

Dims contiguousStrides(const Dims& dims)
{
    Dims s{};
    s.nbDims = dims.nbDims;
    int32_t stride = 1;
    for (int32_t i = dims.nbDims - 1; i >= 0; --i)
    {
        s.d[i] = stride;
        stride *= std::max(dims.d[i], 1);
    }
    return s;
}

} // namespace kiln
