// Shared by the UFF parser tests: an error recorder, a parse fixture with an implicit-batch
// network, and expectFailure() for graphs that must be refused with an error naming the node.
#pragma once

#include "NvInfer.h"
#include "NvUffParser.h"
#include "support/harness.h"
#include "uff_writer.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace ufftest
{

using namespace nvinfer1;
using kiln::test::CapturingLogger;
using kiln::test::UniquePtr;
using nvuffparser::UffInputOrder;

//! Records errors and its reference count.
class Recorder : public IErrorRecorder
{
public:
    int32_t getNbErrors() const noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        return static_cast<int32_t>(mErrors.size());
    }
    ErrorCode getErrorCode(int32_t i) const noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        return i >= 0 && i < static_cast<int32_t>(mErrors.size()) ? mErrors[static_cast<size_t>(i)].first
                                                                  : ErrorCode::kSUCCESS;
    }
    ErrorDesc getErrorDesc(int32_t i) const noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        return i >= 0 && i < static_cast<int32_t>(mErrors.size()) ? mErrors[static_cast<size_t>(i)].second.c_str()
                                                                  : nullptr;
    }
    bool hasOverflowed() const noexcept override { return false; }
    void clear() noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mErrors.clear();
    }
    bool reportError(ErrorCode code, ErrorDesc desc) noexcept override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mErrors.emplace_back(code, desc ? desc : "");
        return false;
    }
    RefCount incRefCount() noexcept override { return ++mRefs; }
    RefCount decRefCount() noexcept override { return --mRefs; }
    int32_t refs() const { return mRefs; }
    std::string all() const
    {
        std::lock_guard<std::mutex> lock(mMutex);
        std::string s;
        for (const auto& e : mErrors)
            s += e.second + "\n";
        return s;
    }

private:
    mutable std::mutex mMutex;
    std::vector<std::pair<ErrorCode, std::string>> mErrors;
    int32_t mRefs{0};
};

//! A builder, an implicit-batch network and a parser with a recorder; errors are expected.
struct Fixture
{
    CapturingLogger logger;
    UniquePtr<IBuilder> builder;
    UniquePtr<INetworkDefinition> network;
    UniquePtr<nvuffparser::IUffParser> parser;
    Recorder recorder;

    explicit Fixture(bool explicitBatch = false)
    {
        logger.expectErrors();
        builder.reset(createInferBuilder(logger));
        network.reset(builder->createNetworkV2(
            explicitBatch ? 1U << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH) : 0U));
        parser.reset(nvuffparser::createUffParser());
        parser->setErrorRecorder(&recorder);
    }
    ~Fixture() { parser.reset(); }
    bool parse(const std::string& bytes, DataType type = DataType::kFLOAT)
    {
        return parser->parseBuffer(bytes.data(), bytes.size(), *network, type);
    }
};

//! in [-1, 4, 4, 2] -> relu -> out: the base the broken graphs start from.
inline Graph reluGraph()
{
    Graph g;
    g.node("out", "Activation", {"in"}).field("func", str("relu"));
    g.input("in", {-1, 4, 4, 2});
    g.node("MarkOutput_0", "MarkOutput", {"out"});
    return g;
}

//! Parses \p g with input "in" registered as (2, 4, 4) kNCHW and output "out"; expects failure and
//! an error (recorded and logged) that contains every string of \p needles.
inline void expectFailure(Graph g, const std::vector<std::string>& needles, bool registerIn = true)
{
    Fixture f;
    if (registerIn)
    {
        ASSERT_TRUE(f.parser->registerInput("in", Dims3(2, 4, 4), UffInputOrder::kNCHW));
    }
    ASSERT_TRUE(f.parser->registerOutput("out"));
    EXPECT_FALSE(f.parse(g.serialize()));
    ASSERT_GT(f.recorder.getNbErrors(), 0);
    const std::string recorded = f.recorder.all();
    for (const std::string& n : needles)
    {
        EXPECT_NE(recorded.find(n), std::string::npos) << "'" << n << "' not in the recorded error: " << recorded;
        EXPECT_TRUE(f.logger.hasError(n)) << "'" << n << "' not in the logged errors: " << f.logger.errors();
    }
}

} // namespace ufftest
