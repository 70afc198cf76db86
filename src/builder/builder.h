// The builder: network graph + build options -> EnginePlan.
#pragma once

#include "common/reporter.h"
#include "ir/graph.h"
#include "builder/timing_cache.h"
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
    //! The application's selector (not owned), or nullptr for the default selection.
    nvinfer1::IAlgorithmSelector* algorithmSelector{nullptr};
    //! kVERBOSE keeps every candidate's time and workspace in the engine (for inspection).
    nvinfer1::ProfilingVerbosity profilingVerbosity{nvinfer1::ProfilingVerbosity::kDEFAULT};
    //! The application's timing cache (not owned; read and updated), or nullptr for a cache local
    //! to this build.
    TimingCache* timingCache{nullptr};
};

//! A network after the optimizer: the graph, with its layers in execution order (the engine plan's
//! layers, before the layout choice adds Reformat layers).
struct OptimizedNetwork
{
    std::unique_ptr<ir::Graph> graph;
    std::vector<ir::Layer*> order;
    bool implicitBatch{false}; //!< the network had an implicit batch (the graph now has it as axis 0)
};

//! The first steps of a build: copy \p network, drop dead layers, lower implicit batch, optimize.
//! buildPlan() starts with it; refit runs it again on the network with new weights.
Expected<OptimizedNetwork> optimizeNetwork(const ir::Graph& network, const optimizer::OptimizerOptions& options,
    const Reporter& reporter);

struct SelectionStats;

//! Builds an engine plan; errors name the layer, tensor or profile at fault.
//! \p stats (optional) receives what tactic selection did.
Expected<std::unique_ptr<plan::EnginePlan>> buildPlan(const ir::Graph& network, const BuildOptions& options,
    const backends::Allocator& allocator, const Reporter& reporter, SelectionStats* stats = nullptr);

} // namespace kiln::builder
