// IRefitter (TRT_API.md §7.1) over a refittable engine: the weights of the network as built are
// addressed by (network layer name, WeightsRole); refitCudaEngine() runs the build's optimizer again
// on the network with the new weights, checks that it reaches the same engine layers, writes their
// new weights into the engine and packs them again for the same tactics (builder/refit.h).
#pragma once

#include "NvInferRuntime.h"
#include "api/engine_impl.h"

#include <map>
#include <string>
#include <vector>

namespace kiln::api
{

class RefitterImpl final : public nvinfer1::IRefitter
{
public:
    //! nullptr (and an error through \p reporter) when \p engine is not refittable.
    static RefitterImpl* create(EngineImpl& engine, const Reporter& reporter);

    bool setWeights(const char* layerName, nvinfer1::WeightsRole role, nvinfer1::Weights weights) noexcept override;
    bool refitCudaEngine() noexcept override;
    int32_t getMissing(int32_t size, const char** layerNames, nvinfer1::WeightsRole* roles) noexcept override;
    int32_t getAll(int32_t size, const char** layerNames, nvinfer1::WeightsRole* roles) noexcept override;
    void destroy() noexcept override { delete this; }
    bool setDynamicRange(const char* tensorName, float min, float max) noexcept override;
    float getDynamicRangeMin(const char* tensorName) const noexcept override;
    float getDynamicRangeMax(const char* tensorName) const noexcept override;
    int32_t getTensorsWithDynamicRange(int32_t size, const char** tensorNames) const noexcept override;
    void setErrorRecorder(nvinfer1::IErrorRecorder* recorder) noexcept override { mReporter.setRecorder(recorder); }
    nvinfer1::IErrorRecorder* getErrorRecorder() const noexcept override { return mReporter.recorder(); }

private:
    RefitterImpl(EngineImpl& engine, const Reporter& reporter);

    //! One refittable (layer, role) of the network.
    struct Entry
    {
        std::string layer;
        nvinfer1::WeightsRole role;
        nvinfer1::DataType type;
        int64_t count;
        int32_t group; //!< entries of one group are refit together (fused into the same engine weights)
    };

    int32_t find(const std::string& layer, nvinfer1::WeightsRole role) const;
    std::vector<int32_t> missing() const;
    Status refit();
    void error(nvinfer1::ErrorCode code, const std::string& message) const;

    EngineImpl& mEngine;
    Reporter mReporter;
    std::vector<Entry> mEntries;
    //! By entry index: the caller's weights, which must stay valid until refitCudaEngine() returns
    //! (TRT_API.md §7.1); a successful refit copies them into the engine and forgets them.
    std::map<int32_t, nvinfer1::Weights> mSet;
};

} // namespace kiln::api
