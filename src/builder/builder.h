// The builder: network graph + build options -> EnginePlan.
#pragma once

#include "common/reporter.h"
#include "ir/graph.h"
#include "optimizer/optimizer.h"
#include "serialize/engine_plan.h"

#include <memory>
#include <vector>

namespace kiln::builder
{

//! One optimization profile as the application gave it: per network input name, min/opt/max.
struct ProfileSpec
{
    struct Entry
    {
        std::string input;
        nvinfer1::Dims min{}, opt{}, max{};
    };
    std::vector<Entry> entries;
};

struct BuildOptions
{
    int32_t maxBatchSize{1};
    uint64_t maxWorkspaceSize{uint64_t(1) << 30};
    nvinfer1::BuilderFlags flags{0};
    std::vector<ProfileSpec> profiles;
    nvinfer1::DeviceType deviceType{nvinfer1::DeviceType::kCPU};
    int32_t minTimingIterations{1};
    int32_t avgTimingIterations{8};
    optimizer::OptimizerOptions optimizer;
};

//! Builds an engine plan; errors name the layer, tensor or profile at fault.
Expected<std::unique_ptr<plan::EnginePlan>> buildPlan(const ir::Graph& network, const BuildOptions& options,
    const backends::Allocator& allocator, const Reporter& reporter);

} // namespace kiln::builder
