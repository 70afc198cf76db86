// libFuzzer target for nvuffparser::IUffParser::parseBuffer (public API only).
//
// Input layout: byte 0 picks the registrations (bits 0-6: one of kPresets, fixed input and output
// names; bit 7: kHALF weights instead of kFLOAT), the rest is the UFF file. What parses is built
// into an implicit-batch engine (max batch 2) and, when its bindings are small, run once with
// batch 2 on zero-filled inputs (support/fuzz_engine.h).
//
// Built by tests/uff/fuzz/CMakeLists.txt (-DKILN_BUILD_FUZZERS=ON, clang); make_seeds.py writes the
// seeds in tests/uff/fuzz/corpus/ with the same leading byte.
#include "NvInfer.h"
#include "NvUffParser.h"
#include "support/fuzz_engine.h"

#include <cstdint>
#include <vector>

using kiln::fuzz::Ptr;

namespace
{

constexpr int32_t kBatch = 2;

struct Registration
{
    const char* name;
    nvinfer1::Dims dims;
    nvuffparser::UffInputOrder order;
};

//! Registration sets: inputs, and whether "out" is registered (else MarkOutput names the outputs).
struct Preset
{
    std::vector<Registration> inputs;
    bool registerOut;
};

const std::vector<Preset>& presets()
{
    using O = nvuffparser::UffInputOrder;
    static const std::vector<Preset> p{
        {{{"in", nvinfer1::Dims3(2, 4, 4), O::kNCHW}}, true},
        {{{"in", nvinfer1::Dims3(4, 4, 2), O::kNHWC}}, true},
        {{{"in", nvinfer1::Dims{1, {8}, {}}, O::kNC}}, true},
        {{{"in", nvinfer1::Dims3(2, 4, 4), O::kNCHW}}, false},
        {{{"in", nvinfer1::Dims3(4, 4, 2), O::kNHWC}, {"ids", nvinfer1::Dims{1, {5}, {}}, O::kNC}}, false},
    };
    return p;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    kiln::fuzz::initialize();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    const Preset& preset = presets()[static_cast<size_t>(data[0] & 0x7F) % presets().size()];
    const nvinfer1::DataType weights = (data[0] & 0x80) ? nvinfer1::DataType::kHALF : nvinfer1::DataType::kFLOAT;
    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(kiln::fuzz::quietLogger()));
    if (!builder)
        return 0;
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(0));
    Ptr<nvuffparser::IUffParser> parser(nvuffparser::createUffParser());
    if (!network || !parser)
        return 0;
    for (const Registration& r : preset.inputs)
        parser->registerInput(r.name, r.dims, r.order);
    if (preset.registerOut)
        parser->registerOutput("out");
    const bool parsed = parser->parseBuffer(reinterpret_cast<const char*>(data + 1), size - 1, *network, weights);
    if (parsed)
        kiln::fuzz::buildAndRun(*builder, *network, kBatch);
    else
        kiln::fuzz::note("not parsed");
    // Destroyed in reverse order: parser (it owns the converted weights), network, builder.
    return 0;
}
