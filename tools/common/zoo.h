// A small zoo of networks defined through the public API, for the kiln tool, tests and benchmarks.
#pragma once

#include "NvInfer.h"
#include "common/io_formats.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace kiln::tools
{

//! Keeps generated weights alive until the engine is built (the network only points at them).
class WeightStore
{
public:
    nvinfer1::Weights add(std::vector<float> values)
    {
        mBlobs.push_back(std::move(values));
        return nvinfer1::Weights{nvinfer1::DataType::kFLOAT, mBlobs.back().data(), static_cast<int64_t>(mBlobs.back().size())};
    }

private:
    std::deque<std::vector<float>> mBlobs;
};

struct ZooOptions
{
    bool explicitBatch{true};
    int32_t maxBatch{1};      //!< explicit batch: the profile's max (min 1, opt maxBatch)
    int32_t inputSize{224};   //!< ResNet: square input extent
    int32_t numClasses{1000}; //!< ResNet: classifier outputs
    uint32_t seed{1};         //!< random weights
};

//! LeNet as the MNIST samples define it: input "data" 1x28x28, Scale(0.0125) -> conv 20x5x5 -> max
//! pool 2 -> conv 50x5x5 -> max pool 2 -> FC 500 -> ReLU -> FC 10 -> SoftMax "prob". Weights from
//! a .wts map (names conv1filter, conv1bias, ... as in mnistapi.wts) or, if \p wts is null, random.
//! Explicit batch: input dims {-1,1,28,28}; the caller adds the profile. Returns false with
//! \p error on failure.
bool buildLeNet(nvinfer1::INetworkDefinition& network, const WtsMap* wts, WeightStore& store, const ZooOptions& options,
    std::string& error);

//! A ResNet-18-shaped network (conv7x7/2, max pool, 4 stages of 2 basic blocks with batch norm as
//! channel scales, global average pool, FC, SoftMax) with seeded random weights. Input "input"
//! 3 x inputSize x inputSize, output "prob".
bool buildResNet18(nvinfer1::INetworkDefinition& network, WeightStore& store, const ZooOptions& options, std::string& error);

//! ResNet-50 (v1.5 bottlenecks, 3-4-6-3 blocks, widths 64..512 ×4, batch norm as channel scales)
//! with seeded random weights; same input and output as buildResNet18. 25.6 M weights.
bool buildResNet50(nvinfer1::INetworkDefinition& network, WeightStore& store, const ZooOptions& options, std::string& error);
//! buildResNet18 / buildResNet50 by depth (18 or 50).
bool buildResNet(nvinfer1::INetworkDefinition& network, WeightStore& store, const ZooOptions& options, int32_t depth,
    std::string& error);

//! Calls \p refitter.setWeights for every weight of \p source's convolution, fully connected, scale
//! and constant layers (by layer name and role), e.g. to refit an engine built from the same network
//! defined with other weights. Returns how many setWeights calls succeeded.
int setWeightsFrom(nvinfer1::IRefitter& refitter, const nvinfer1::INetworkDefinition& source);

//! Names of the zoo networks: "lenet", "resnet18", "resnet50".
const std::vector<std::string>& zooNames();

} // namespace kiln::tools
