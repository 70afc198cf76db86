// libFuzzer target for nvonnxparser::IParser::parse (public API only).
//
// Each input is handed to the ONNX parser as a model buffer (binary or text protobuf). When it
// parses, the network is also built into an engine with a small workspace (dynamic inputs get a
// small optimization profile) and, when all shapes are static and small, run once on zero-filled
// inputs. Any crash, leak, sanitizer report or hang is a finding; errors reported through the API
// (parse, build or run returning false) are not. KILN_FUZZ_VERBOSE=1 says how far each input got.
//
// Built by tests/onnx/fuzz/CMakeLists.txt (-DKILN_BUILD_FUZZERS=ON, clang); scripts/fuzz.sh runs it.
#include "NvInfer.h"
#include "NvOnnxParser.h"

#include "support/fuzz_engine.h"

#include <cstdint>
#include <cstring>

using kiln::fuzz::buildAndRun;
using kiln::fuzz::note;
using kiln::fuzz::Ptr;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    kiln::fuzz::initialize();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(kiln::fuzz::quietLogger()));
    if (!builder)
        return 0;
    const auto explicitBatch = 1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(explicitBatch));
    if (!network)
        return 0;
    Ptr<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, kiln::fuzz::quietLogger()));
    if (!parser)
        return 0;
    // A zero-length input still gets a valid (non-null) pointer.
    static const uint8_t kEmpty = 0;
    const bool parsed = parser->parse(size ? data : &kEmpty, size);
    // Read every reported error in full (its strings must be valid, NUL-terminated memory).
    size_t sink = 0;
    for (int32_t i = 0; i < parser->getNbErrors(); ++i)
        if (const nvonnxparser::IParserError* e = parser->getError(i))
            sink += static_cast<size_t>(e->code()) + static_cast<size_t>(e->line() + e->node())
                + (e->desc() ? std::strlen(e->desc()) : 0) + (e->file() ? std::strlen(e->file()) : 0)
                + (e->func() ? std::strlen(e->func()) : 0);
    if (parser->getNbErrors() > 0 && parser->getError(parser->getNbErrors()) != nullptr)
        __builtin_trap(); // out-of-range indices must give nullptr
    (void)sink;
    if (parsed)
        buildAndRun(*builder, *network);
    else
        note("not parsed");
    // Destroyed in reverse order: parser (it owns the converted weights), network, builder.
    return 0;
}
