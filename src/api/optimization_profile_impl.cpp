#include "api/optimization_profile_impl.h"

#include "common/dims.h"

namespace kiln::api
{

namespace
{
int32_t selectorIndex(nvinfer1::OptProfileSelector select)
{
    const auto i = static_cast<int32_t>(select);
    return i >= 0 && i < 3 ? i : -1;
}
} // namespace

bool OptimizationProfileImpl::setDimensions(const char* inputName, nvinfer1::OptProfileSelector select, nvinfer1::Dims dims) noexcept
{
    const int32_t s = selectorIndex(select);
    if (!inputName || s < 0 || !isValidRank(dims))
        return false;
    for (int32_t i = 0; i < dims.nbDims; ++i)
        if (dims.d[i] < 0)
            return false;
    Entry& e = mEntries[inputName];
    // Consistency with what is already set: equal ranks and min <= opt <= max.
    for (int32_t o = 0; o < 3; ++o)
    {
        if (!e.set[o] || o == s)
            continue;
        if (e.dims[o].nbDims != dims.nbDims)
            return false;
        for (int32_t i = 0; i < dims.nbDims; ++i)
            if ((o < s && e.dims[o].d[i] > dims.d[i]) || (o > s && e.dims[o].d[i] < dims.d[i]))
                return false;
    }
    e.dims[s] = makeDims(toVector(dims));
    e.set[s] = true;
    return true;
}

nvinfer1::Dims OptimizationProfileImpl::getDimensions(const char* inputName, nvinfer1::OptProfileSelector select) const noexcept
{
    const int32_t s = selectorIndex(select);
    if (!inputName || s < 0)
        return invalidDims();
    auto it = mEntries.find(inputName);
    if (it == mEntries.end() || !it->second.set[s])
        return invalidDims();
    return it->second.dims[s];
}

bool OptimizationProfileImpl::setShapeValues(
    const char* inputName, nvinfer1::OptProfileSelector select, const int32_t* values, int32_t nbValues) noexcept
{
    const int32_t s = selectorIndex(select);
    if (!inputName || s < 0 || nbValues < 0 || (nbValues > 0 && !values))
        return false;
    mEntries[inputName].values[s].assign(values, values + nbValues);
    return true;
}

int32_t OptimizationProfileImpl::getNbShapeValues(const char* inputName) const noexcept
{
    if (!inputName)
        return -1;
    auto it = mEntries.find(inputName);
    return it == mEntries.end() || it->second.values[0].empty() ? -1 : static_cast<int32_t>(it->second.values[0].size());
}

const int32_t* OptimizationProfileImpl::getShapeValues(const char* inputName, nvinfer1::OptProfileSelector select) const noexcept
{
    const int32_t s = selectorIndex(select);
    if (!inputName || s < 0)
        return nullptr;
    auto it = mEntries.find(inputName);
    return it == mEntries.end() || it->second.values[s].empty() ? nullptr : it->second.values[s].data();
}

bool OptimizationProfileImpl::setExtraMemoryTarget(float target) noexcept
{
    if (!(target >= 0.f && target <= 1.f))
        return false;
    mExtraMemoryTarget = target;
    return true;
}

bool OptimizationProfileImpl::isValid() const noexcept
{
    if (mEntries.empty())
        return false;
    for (const auto& [name, e] : mEntries)
        if (!(e.set[0] && e.set[1] && e.set[2]) && e.values[0].empty())
            return false;
    return true;
}

Expected<builder::ProfileSpec> OptimizationProfileImpl::toSpec() const
{
    builder::ProfileSpec spec;
    for (const auto& [name, e] : mEntries)
    {
        if (!(e.set[0] && e.set[1] && e.set[2]))
        {
            if (!e.values[0].empty())
                return unsupported("input '" + name + "': shape-tensor inputs (setShapeValues) are not supported yet");
            return invalidConfig("input '" + name + "' lacks kMIN, kOPT or kMAX dimensions in the optimization profile");
        }
        builder::ProfileSpec::Entry entry;
        entry.input = name;
        entry.min = e.dims[0];
        entry.opt = e.dims[1];
        entry.max = e.dims[2];
        spec.entries.push_back(entry);
    }
    return spec;
}

} // namespace kiln::api
