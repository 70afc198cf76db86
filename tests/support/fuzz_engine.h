// Shared by Kiln's parser fuzz targets (ONNX, Caffe, UFF): build a parsed network into an engine
// with small limits and run it once on zero-filled inputs. Any crash, leak, sanitizer report or
// hang is a finding; errors reported through the API (build or run returning false) are not.
// KILN_FUZZ_VERBOSE=1 makes note() say how far each input got (to check the seeds).
#pragma once

#include "NvInfer.h"

#include <cstdint>
#include <memory>

namespace kiln
{
namespace fuzz
{

//! A logger that drops everything (the fuzzers check behaviour, not messages).
nvinfer1::ILogger& quietLogger();

//! Reads KILN_FUZZ_VERBOSE and sets KILN_NUM_THREADS=1 unless set; call from LLVMFuzzerInitialize.
void initialize();

//! One line on stderr when KILN_FUZZ_VERBOSE is set.
void note(const char* what);

//! Calls destroy() on TensorRT-style objects.
struct Destroy
{
    template <typename T> void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T> using Ptr = std::unique_ptr<T, Destroy>;

//! Builds \p network (small workspace; dynamic inputs get a profile with each unknown extent 1
//! to 2; implicit-batch networks get max batch \p batch) and, when every binding is static and
//! small, runs it once (with \p batch items for implicit batch).
void buildAndRun(nvinfer1::IBuilder& builder, nvinfer1::INetworkDefinition& network, int32_t batch = 1);

} // namespace fuzz
} // namespace kiln
