// IOptimizationProfile: min/opt/max dims per input name. Owned by the builder that created it.
#pragma once

#include "NvInferRuntime.h"
#include "builder/builder.h"

#include <map>
#include <string>

namespace kiln::api
{

class OptimizationProfileImpl final : public nvinfer1::IOptimizationProfile
{
public:
    bool setDimensions(const char* inputName, nvinfer1::OptProfileSelector select, nvinfer1::Dims dims) noexcept override;
    nvinfer1::Dims getDimensions(const char* inputName, nvinfer1::OptProfileSelector select) const noexcept override;
    bool setShapeValues(const char* inputName, nvinfer1::OptProfileSelector select, const int32_t* values,
        int32_t nbValues) noexcept override;
    int32_t getNbShapeValues(const char* inputName) const noexcept override;
    const int32_t* getShapeValues(const char* inputName, nvinfer1::OptProfileSelector select) const noexcept override;
    bool setExtraMemoryTarget(float target) noexcept override;
    float getExtraMemoryTarget() const noexcept override { return mExtraMemoryTarget; }
    bool isValid() const noexcept override;

    //! The profile as the builder takes it; fails if an entry lacks a selector.
    Expected<builder::ProfileSpec> toSpec() const;

private:
    struct Entry
    {
        nvinfer1::Dims dims[3]{};
        bool set[3]{false, false, false};
        std::vector<int32_t> values[3];
    };
    std::map<std::string, Entry> mEntries;
    float mExtraMemoryTarget{1.f};
};

} // namespace kiln::api
