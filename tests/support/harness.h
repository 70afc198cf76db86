// Test support: host tensors, a seeded RNG, tolerant comparison, a capturing logger, and
// NetworkHarness, which builds a network through the public API, builds the engine (optionally
// through a serialize/deserialize round trip) and runs it on given inputs.
//
// Typical layer test:
//   kiln::test::NetworkHarness h;                       // explicit batch
//   auto x = h.input("x", kiln::test::randomTensor({2, 3, 5}, rng));
//   auto* layer = h.network().addUnary(*x, UnaryOperation::kEXP);
//   h.markOutput(layer->getOutput(0));
//   auto outs = h.run();                                // asserts build and run succeed
//   kiln::test::expectClose(outs[0], expected, kTolerance);
#pragma once

#include "NvInfer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace kiln::test
{

//! A tensor in host memory, FLOAT, INT32 or BOOL.
struct HostTensor
{
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    std::vector<int32_t> dims;
    std::vector<float> f;       //!< FLOAT values
    std::vector<int32_t> i;     //!< INT32 values
    std::vector<uint8_t> b;     //!< BOOL values

    static HostTensor floats(std::vector<int32_t> dims, std::vector<float> values);
    static HostTensor ints(std::vector<int32_t> dims, std::vector<int32_t> values);
    static HostTensor bools(std::vector<int32_t> dims, std::vector<uint8_t> values);
    static HostTensor zeros(nvinfer1::DataType type, std::vector<int32_t> dims);
    int64_t count() const;
    size_t bytes() const;
    void* data();
    const void* data() const;
    nvinfer1::Dims apiDims() const;
};

//! Seeded RNG; the seed is KILN_TEST_SEED if set, else the given default, and is printed via
//! SCOPED_TRACE-friendly seed() so failures can be replayed.
class Rng
{
public:
    explicit Rng(uint32_t defaultSeed = 1234);
    uint32_t seed() const { return mSeed; }
    float uniform(float lo, float hi);
    int32_t uniformInt(int32_t lo, int32_t hi); //!< inclusive
    std::mt19937& engine() { return mEngine; }

private:
    uint32_t mSeed;
    std::mt19937 mEngine;
};

//! Dims with these extents (at most Dims::MAX_DIMS).
nvinfer1::Dims toDims(const std::vector<int32_t>& extents);

HostTensor randomTensor(std::vector<int32_t> dims, Rng& rng, float lo = -1.f, float hi = 1.f);
HostTensor randomInts(std::vector<int32_t> dims, Rng& rng, int32_t lo, int32_t hi);
std::vector<float> randomFloats(int64_t n, Rng& rng, float lo = -1.f, float hi = 1.f);

//! Element-wise |a - e| <= atol + rtol·|e| with shapes equal; reports the first mismatches.
void expectClose(const HostTensor& actual, const std::vector<int32_t>& expectedDims,
    const std::vector<double>& expected, double rtol = 1e-5, double atol = 1e-5);
void expectEqualInts(const HostTensor& actual, const std::vector<int32_t>& expectedDims, const std::vector<int32_t>& expected);

//! Logger that records messages; errors fail the test unless expectErrors() was called.
class CapturingLogger : public nvinfer1::ILogger
{
public:
    void log(Severity severity, const char* msg) noexcept override;
    //! Errors are expected from now on (misuse tests); they are recorded, not failed.
    void expectErrors(bool expect = true) { mExpectErrors = expect; }
    //! All messages of severity <= kERROR joined with newlines.
    std::string errors() const;
    std::string all() const;
    bool hasError(const std::string& needle) const;
    void clear();
    void setEcho(bool echo) { mEcho = echo; }

private:
    mutable std::mutex mMutex;
    std::vector<std::pair<Severity, std::string>> mMessages;
    bool mExpectErrors{false};
    bool mEcho{false};
};

struct Destroyer
{
    template <typename T>
    void operator()(T* obj) const
    {
        if (obj)
            obj->destroy();
    }
};
template <typename T>
using UniquePtr = std::unique_ptr<T, Destroyer>;

//! Builds a network through the public API and runs it.
class NetworkHarness
{
public:
    //! \p explicitBatch selects createNetworkV2(kEXPLICIT_BATCH) or createNetworkV2(0).
    explicit NetworkHarness(bool explicitBatch = true);
    ~NetworkHarness();

    CapturingLogger& logger() { return mLogger; }
    nvinfer1::IBuilder& builder() { return *mBuilder; }
    nvinfer1::INetworkDefinition& network() { return *mNetwork; }
    nvinfer1::IBuilderConfig& config() { return *mConfig; }

    //! Adds a network input with \p value's type and dims (implicit batch: dims without the batch,
    //! the value holding batch() items) and remembers the value for run().
    nvinfer1::ITensor* input(const std::string& name, const HostTensor& value);
    //! Remembers \p value for the existing network input \p name (one a parser added); for
    //! implicit batch the value holds batch() items.
    void feed(const std::string& name, const HostTensor& value) { mInputs.emplace_back(name, value); }
    //! Marks \p tensor as an output (names it "out<k>" if unnamed).
    void markOutput(nvinfer1::ITensor* tensor);
    //! Batch size for implicit-batch runs (also the max batch size); default 1.
    void setBatch(int32_t batch) { mBatch = batch; }
    //! Round-trip the engine through serialize()/deserializeCudaEngine() before running.
    void setSerializeRoundTrip(bool on) { mRoundTrip = on; }

    //! Builds the engine; returns nullptr (the test decides whether that is a failure).
    nvinfer1::ICudaEngine* build();
    //! Builds (if needed) and runs with the remembered inputs; returns outputs in marking order.
    //! Adds a gtest failure and returns {} if anything fails.
    std::vector<HostTensor> run();

private:
    CapturingLogger mLogger;
    UniquePtr<nvinfer1::IBuilder> mBuilder;
    UniquePtr<nvinfer1::INetworkDefinition> mNetwork;
    UniquePtr<nvinfer1::IBuilderConfig> mConfig;
    UniquePtr<nvinfer1::IRuntime> mRuntime;
    UniquePtr<nvinfer1::ICudaEngine> mEngine;
    std::vector<std::pair<std::string, HostTensor>> mInputs;
    std::vector<std::string> mOutputs;
    int32_t mBatch{1};
    bool mRoundTrip{true};
    bool mExplicit;
};

} // namespace kiln::test
