// libFuzzer target for nvcaffeparser1::ICaffeParser::parseBuffers (public API only).
//
// Input layout: byte 0 holds flags (bit 0: implicit-batch network, bit 1: kHALF weights), bytes
// 1-2 the length L of the deploy text (little-endian), then L bytes of deploy prototxt and the
// rest as the caffemodel. When it parses, every blob the deploy file names is marked as an
// output candidate (the last layer's first top), and the network is built and run once
// (support/fuzz_engine.h). tests/caffe/fuzz/make_seeds.py writes the seeds in this layout.
#include "NvCaffeParser.h"
#include "NvInfer.h"
#include "support/fuzz_engine.h"

#include <cstdint>
#include <string>

using kiln::fuzz::Ptr;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    kiln::fuzz::initialize();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 3)
        return 0;
    const uint8_t flags = data[0];
    const size_t deployLength = std::min<size_t>(data[1] | (size_t{data[2]} << 8), size - 3);
    const char* deploy = reinterpret_cast<const char*>(data + 3);
    const char* model = deploy + deployLength;
    const size_t modelLength = size - 3 - deployLength;

    Ptr<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(kiln::fuzz::quietLogger()));
    if (!builder)
        return 0;
    const uint32_t networkFlags
        = (flags & 1) ? 0u : 1u << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kEXPLICIT_BATCH);
    Ptr<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(networkFlags));
    Ptr<nvcaffeparser1::ICaffeParser> parser(nvcaffeparser1::createCaffeParser());
    if (!network || !parser)
        return 0;
    // The caffemodel is always given (possibly empty): generated weights for a fuzzed deploy file
    // could ask for gigabytes.
    const nvcaffeparser1::IBlobNameToTensor* blobs = parser->parseBuffers(deploy, deployLength, model, modelLength,
        *network, (flags & 2) ? nvinfer1::DataType::kHALF : nvinfer1::DataType::kFLOAT);
    if (!blobs)
    {
        kiln::fuzz::note("not parsed");
        return 0;
    }
    // Mark the tensor of the last layer's output, found through the blob map as a user would.
    if (network->getNbLayers() > 0)
    {
        nvinfer1::ILayer* last = network->getLayer(network->getNbLayers() - 1);
        nvinfer1::ITensor* out = last && last->getNbOutputs() > 0 ? last->getOutput(0) : nullptr;
        nvinfer1::ITensor* found = out ? blobs->find(out->getName()) : nullptr;
        if (found && !found->isNetworkInput())
            network->markOutput(*found);
    }
    if (blobs->find(nullptr) != nullptr)
        __builtin_trap(); // find(nullptr) must give nullptr
    kiln::fuzz::buildAndRun(*builder, *network);
    return 0;
}
