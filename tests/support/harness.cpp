#include "support/harness.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace kiln::test
{

HostTensor HostTensor::floats(std::vector<int32_t> dims, std::vector<float> values)
{
    HostTensor t;
    t.type = nvinfer1::DataType::kFLOAT;
    t.dims = std::move(dims);
    t.f = std::move(values);
    return t;
}

HostTensor HostTensor::ints(std::vector<int32_t> dims, std::vector<int32_t> values)
{
    HostTensor t;
    t.type = nvinfer1::DataType::kINT32;
    t.dims = std::move(dims);
    t.i = std::move(values);
    return t;
}

HostTensor HostTensor::bools(std::vector<int32_t> dims, std::vector<uint8_t> values)
{
    HostTensor t;
    t.type = nvinfer1::DataType::kBOOL;
    t.dims = std::move(dims);
    t.b = std::move(values);
    return t;
}

HostTensor HostTensor::zeros(nvinfer1::DataType type, std::vector<int32_t> dims)
{
    HostTensor t;
    t.type = type;
    t.dims = std::move(dims);
    const auto n = static_cast<size_t>(t.count());
    if (type == nvinfer1::DataType::kINT32)
        t.i.assign(n, 0);
    else if (type == nvinfer1::DataType::kBOOL)
        t.b.assign(n, 0);
    else
        t.f.assign(n, 0.f);
    return t;
}

int64_t HostTensor::count() const
{
    int64_t n = 1;
    for (int32_t d : dims)
        n *= d;
    return n;
}

size_t HostTensor::bytes() const
{
    switch (type)
    {
    case nvinfer1::DataType::kINT32: return i.size() * 4;
    case nvinfer1::DataType::kBOOL: return b.size();
    default: return f.size() * 4;
    }
}

void* HostTensor::data()
{
    return const_cast<void*>(static_cast<const HostTensor*>(this)->data());
}

const void* HostTensor::data() const
{
    switch (type)
    {
    case nvinfer1::DataType::kINT32: return i.data();
    case nvinfer1::DataType::kBOOL: return b.data();
    default: return f.data();
    }
}

nvinfer1::Dims HostTensor::apiDims() const
{
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(dims.size());
    for (size_t k = 0; k < dims.size() && k < 8; ++k)
        d.d[k] = dims[k];
    return d;
}

Rng::Rng(uint32_t defaultSeed)
    : mSeed(defaultSeed)
{
    if (const char* env = std::getenv("KILN_TEST_SEED"))
        mSeed = static_cast<uint32_t>(std::strtoul(env, nullptr, 10));
    mEngine.seed(mSeed);
}

float Rng::uniform(float lo, float hi)
{
    return std::uniform_real_distribution<float>(lo, hi)(mEngine);
}

int32_t Rng::uniformInt(int32_t lo, int32_t hi)
{
    return std::uniform_int_distribution<int32_t>(lo, hi)(mEngine);
}

std::vector<float> randomFloats(int64_t n, Rng& rng, float lo, float hi)
{
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v)
        x = rng.uniform(lo, hi);
    return v;
}

nvinfer1::Dims toDims(const std::vector<int32_t>& extents)
{
    nvinfer1::Dims d{};
    d.nbDims = static_cast<int32_t>(std::min<size_t>(extents.size(), nvinfer1::Dims::MAX_DIMS));
    for (int32_t k = 0; k < d.nbDims; ++k)
        d.d[k] = extents[static_cast<size_t>(k)];
    return d;
}

HostTensor randomTensor(std::vector<int32_t> dims, Rng& rng, float lo, float hi)
{
    HostTensor t;
    t.dims = std::move(dims);
    t.f = randomFloats(t.count(), rng, lo, hi);
    return t;
}

HostTensor randomInts(std::vector<int32_t> dims, Rng& rng, int32_t lo, int32_t hi)
{
    HostTensor t;
    t.type = nvinfer1::DataType::kINT32;
    t.dims = std::move(dims);
    t.i.resize(static_cast<size_t>(t.count()));
    for (auto& x : t.i)
        x = rng.uniformInt(lo, hi);
    return t;
}

namespace
{
std::string dimsString(const std::vector<int32_t>& d)
{
    std::ostringstream s;
    s << "[";
    for (size_t i = 0; i < d.size(); ++i)
        s << (i ? "," : "") << d[i];
    s << "]";
    return s.str();
}
} // namespace

void expectClose(const HostTensor& actual, const std::vector<int32_t>& expectedDims, const std::vector<double>& expected,
    double rtol, double atol)
{
    ASSERT_EQ(dimsString(actual.dims), dimsString(expectedDims)) << "output dimensions differ";
    ASSERT_EQ(actual.type, nvinfer1::DataType::kFLOAT) << "output is not FLOAT";
    ASSERT_EQ(actual.f.size(), expected.size());
    int reported = 0;
    int64_t bad = 0;
    for (size_t k = 0; k < expected.size(); ++k)
    {
        const double a = actual.f[k], e = expected[k];
        const bool ok = (std::isnan(e) && std::isnan(a)) || (std::isinf(e) && a == e) || std::fabs(a - e) <= atol + rtol * std::fabs(e);
        if (!ok)
        {
            ++bad;
            if (reported++ < 8)
                ADD_FAILURE() << "element " << k << ": got " << a << ", expected " << e << " (|diff| " << std::fabs(a - e) << ")";
        }
    }
    EXPECT_EQ(bad, 0) << bad << " of " << expected.size() << " elements differ";
}

void expectEqualInts(const HostTensor& actual, const std::vector<int32_t>& expectedDims, const std::vector<int32_t>& expected)
{
    ASSERT_EQ(dimsString(actual.dims), dimsString(expectedDims)) << "output dimensions differ";
    if (actual.type == nvinfer1::DataType::kBOOL)
    {
        ASSERT_EQ(actual.b.size(), expected.size());
        for (size_t k = 0; k < expected.size(); ++k)
            ASSERT_EQ(static_cast<int32_t>(actual.b[k]), expected[k]) << "element " << k;
        return;
    }
    ASSERT_EQ(actual.type, nvinfer1::DataType::kINT32);
    ASSERT_EQ(actual.i, expected);
}

void CapturingLogger::log(Severity severity, const char* msg) noexcept
{
    std::lock_guard<std::mutex> lock(mMutex);
    mMessages.emplace_back(severity, msg ? msg : "");
    if (mEcho)
        std::fprintf(stderr, "[%d] %s\n", static_cast<int>(severity), msg ? msg : "");
    if (severity <= Severity::kERROR && !mExpectErrors)
        ADD_FAILURE() << "unexpected error logged: " << (msg ? msg : "");
}

std::string CapturingLogger::errors() const
{
    std::lock_guard<std::mutex> lock(mMutex);
    std::string s;
    for (const auto& [sev, m] : mMessages)
        if (sev <= Severity::kERROR)
            s += m + "\n";
    return s;
}

std::string CapturingLogger::all() const
{
    std::lock_guard<std::mutex> lock(mMutex);
    std::string s;
    for (const auto& [sev, m] : mMessages)
        s += m + "\n";
    return s;
}

bool CapturingLogger::hasError(const std::string& needle) const
{
    return errors().find(needle) != std::string::npos;
}

void CapturingLogger::clear()
{
    std::lock_guard<std::mutex> lock(mMutex);
    mMessages.clear();
}

NetworkHarness::NetworkHarness(bool explicitBatch)
    : mExplicit(explicitBatch)
{
    mBuilder.reset(nvinfer1::createInferBuilder(mLogger));
    const uint32_t flags = explicitBatch ? 1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH) : 0u;
    mNetwork.reset(mBuilder->createNetworkV2(flags));
    mConfig.reset(mBuilder->createBuilderConfig());
    mRuntime.reset(nvinfer1::createInferRuntime(mLogger));
}

NetworkHarness::~NetworkHarness() = default;

nvinfer1::ITensor* NetworkHarness::input(const std::string& name, const HostTensor& value)
{
    HostTensor v = value;
    nvinfer1::Dims d = v.apiDims();
    if (!mExplicit)
    {
        // Implicit batch: the value holds batch items; the network input leaves the batch out.
        d.nbDims -= 1;
        for (int32_t k = 0; k < d.nbDims; ++k)
            d.d[k] = v.dims[static_cast<size_t>(k) + 1];
    }
    nvinfer1::ITensor* t = mNetwork->addInput(name.c_str(), v.type, d);
    mInputs.emplace_back(name, std::move(v));
    return t;
}

void NetworkHarness::markOutput(nvinfer1::ITensor* tensor)
{
    ASSERT_NE(tensor, nullptr);
    if (std::string(tensor->getName()).find("output") != std::string::npos)
        tensor->setName(("out" + std::to_string(mOutputs.size())).c_str());
    mNetwork->markOutput(*tensor);
    mOutputs.push_back(tensor->getName());
}

nvinfer1::ICudaEngine* NetworkHarness::build()
{
    if (mEngine)
        return mEngine.get();
    if (!mExplicit)
        mBuilder->setMaxBatchSize(mBatch);
    UniquePtr<nvinfer1::ICudaEngine> built(mBuilder->buildEngineWithConfig(*mNetwork, *mConfig));
    if (!built)
        return nullptr;
    if (!mRoundTrip)
    {
        mEngine = std::move(built);
        return mEngine.get();
    }
    UniquePtr<nvinfer1::IHostMemory> blob(built->serialize());
    if (!blob)
        return nullptr;
    mEngine.reset(mRuntime->deserializeCudaEngine(blob->data(), blob->size(), nullptr));
    return mEngine.get();
}

std::vector<HostTensor> NetworkHarness::run()
{
    nvinfer1::ICudaEngine* engine = build();
    if (!engine)
    {
        ADD_FAILURE() << "engine build failed:\n" << mLogger.errors();
        return {};
    }
    UniquePtr<nvinfer1::IExecutionContext> ctx(engine->createExecutionContext());
    if (!ctx)
    {
        ADD_FAILURE() << "createExecutionContext failed:\n" << mLogger.errors();
        return {};
    }
    const int32_t nb = engine->getNbBindings();
    std::vector<void*> bindings(static_cast<size_t>(nb), nullptr);
    for (auto& [name, value] : mInputs)
    {
        const int32_t b = engine->getBindingIndex(name.c_str());
        if (b < 0)
            continue; // an input the network does not use
        bindings[static_cast<size_t>(b)] = value.data();
        if (mExplicit)
        {
            EXPECT_TRUE(ctx->setBindingDimensions(b, value.apiDims())) << mLogger.errors();
        }
    }
    std::vector<HostTensor> outputs;
    for (const std::string& name : mOutputs)
    {
        const int32_t b = engine->getBindingIndex(name.c_str());
        if (b < 0)
        {
            ADD_FAILURE() << "no binding for output " << name;
            return {};
        }
        nvinfer1::Dims d = ctx->getBindingDimensions(b);
        std::vector<int32_t> dims;
        if (!mExplicit)
            dims.push_back(mBatch);
        for (int32_t k = 0; k < d.nbDims; ++k)
            dims.push_back(d.d[k]);
        outputs.push_back(HostTensor::zeros(engine->getBindingDataType(b), dims));
    }
    for (size_t k = 0; k < mOutputs.size(); ++k)
        bindings[static_cast<size_t>(engine->getBindingIndex(mOutputs[k].c_str()))] = outputs[k].data();
    const bool ok = mExplicit ? ctx->executeV2(bindings.data()) : ctx->execute(mBatch, bindings.data());
    if (!ok)
    {
        ADD_FAILURE() << "execution failed:\n" << mLogger.errors();
        return {};
    }
    return outputs;
}

} // namespace kiln::test
