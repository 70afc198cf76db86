// Shared pieces of the kiln command-line tool: argument parsing, logging, engine files, inputs.
#pragma once

#include "NvInfer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kiln::cli
{

//! "--name value" and "--flag" arguments; positional arguments are rejected.
class Args
{
public:
    //! Parses argv[first..]; \p flags lists options that take no value. False (with error) on bad input.
    bool parse(int argc, char** argv, int first, const std::vector<std::string>& flags, std::string& error);
    bool has(const std::string& name) const { return mValues.count(name) != 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    //! All values of a repeatable option (e.g. --input a=x.npy --input b=y.npy).
    std::vector<std::string> all(const std::string& name) const;
    int64_t getInt(const std::string& name, int64_t fallback, std::string& error) const;
    //! Options given that are not in \p known.
    std::vector<std::string> unknown(const std::vector<std::string>& known) const;

private:
    std::multimap<std::string, std::string> mValues;
};

class Logger final : public nvinfer1::ILogger
{
public:
    explicit Logger(Severity threshold = Severity::kWARNING)
        : mThreshold(threshold)
    {
    }
    void log(Severity severity, const char* msg) noexcept override;
    void setThreshold(Severity s) { mThreshold = s; }

private:
    Severity mThreshold;
};

struct Destroy
{
    template <typename T>
    void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T>
using Ptr = std::unique_ptr<T, Destroy>;

bool readFile(const std::string& path, std::vector<char>& bytes, std::string& error);
bool writeFile(const std::string& path, const void* data, size_t size, std::string& error);

//! Parses "name:1x3x224x224[,name2:...]" into a map.
bool parseShapes(const std::string& text, std::map<std::string, nvinfer1::Dims>& out, std::string& error);
std::string dimsText(const nvinfer1::Dims& d);
int64_t volume(const nvinfer1::Dims& d);
size_t elementSize(nvinfer1::DataType t);

//! Host buffers for every binding of profile 0 of an engine, filled from .npy files, images or
//! seeded random values, and the dims each input runs with.
struct Bindings
{
    std::vector<std::vector<uint8_t>> buffers;
    std::vector<void*> pointers;
    std::vector<nvinfer1::Dims> dims; //!< per binding, without the batch for implicit-batch engines
    int32_t batch{1};
};

//! Networks from the Caffe parser (--deploy, --model, --output) and the UFF parser (--uff,
//! --uffInput, --output), built with --batch/--workspace/--fp16 (parser_networks.cpp).
nvinfer1::ICudaEngine* buildFromCaffe(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error);
nvinfer1::ICudaEngine* buildFromUff(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error);

//! Prepares inputs: --input name=file.npy, --pgm file (+ --mean binaryproto) for a 1x28x28 input,
//! --shapes for dynamic inputs, else the profile's kOPT dims; random values from --seed.
bool prepareBindings(nvinfer1::ICudaEngine& engine, nvinfer1::IExecutionContext& ctx, const Args& args, Bindings& b, std::string& error);

int commandBuild(int argc, char** argv);
int commandRun(int argc, char** argv);
int commandBench(int argc, char** argv);
int commandInspect(int argc, char** argv);
int commandRefit(int argc, char** argv);

//! Builds an engine from the zoo according to the build options in \p args; reports the build
//! time in \p buildMs.
nvinfer1::ICudaEngine* buildFromArgs(const Args& args, nvinfer1::ILogger& logger, double& buildMs, std::string& error);
//! Loads --loadEngine or builds from the zoo.
nvinfer1::ICudaEngine* engineFromArgs(const Args& args, nvinfer1::ILogger& logger, nvinfer1::IRuntime& runtime, double& buildMs, std::string& error);

//! Applies the shared build options (--workspace, --fp16, --int8, --refit, --minTiming, --avgTiming,
//! --noTimingCache, --profilingVerbosity, --timingCache [--ignoreTimingCacheMismatch]) to \p config and
//! builds; the timing cache file is loaded before and saved after a successful build.
nvinfer1::ICudaEngine* buildWithOptions(const Args& args, nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network,
    nvinfer1::IBuilderConfig& config, std::string& error);
//! Options understood by buildFromArgs, for usage text and unknown-option checks.
const std::vector<std::string>& buildOptionNames();

} // namespace kiln::cli
