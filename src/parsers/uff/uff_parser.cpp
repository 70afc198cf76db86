// The IUffParser API: registrations, parse/parseBuffer, and the library entry points.
#include "uff_parser.h"

#include "common/proto_io.h"

#include <new>

namespace kiln::uffparser
{

namespace
{

const char* orderName(nvuffparser::UffInputOrder order)
{
    switch (order)
    {
    case nvuffparser::UffInputOrder::kNCHW: return "kNCHW";
    case nvuffparser::UffInputOrder::kNHWC: return "kNHWC";
    case nvuffparser::UffInputOrder::kNC: return "kNC";
    }
    return "an unknown order";
}

} // namespace

UffParser::UffParser() = default;

bool UffParser::apiError(const std::string& message)
{
    mDiagnostics.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, message);
    return false;
}

bool UffParser::registerInput(const char* inputName, nvinfer1::Dims inputDims, nvuffparser::UffInputOrder inputOrder)
{
    if (!inputName || !*inputName)
        return apiError("registerInput: the input name is empty");
    const std::string name = inputName;
    const auto order = static_cast<int32_t>(inputOrder);
    if (order < 0 || order > 2)
        return apiError("registerInput('" + name + "'): order " + std::to_string(order) + " is not a UffInputOrder");
    // The network adds the batch axis, so the registered dims may use one axis less than Dims holds.
    if (inputDims.nbDims < 1 || inputDims.nbDims >= nvinfer1::Dims::MAX_DIMS)
        return apiError("registerInput('" + name + "'): dims must have 1 to "
            + std::to_string(nvinfer1::Dims::MAX_DIMS - 1) + " axes (the batch is left out)");
    for (int32_t k = 0; k < inputDims.nbDims; ++k)
        if (inputDims.d[k] <= 0)
            return apiError("registerInput('" + name + "'): dims " + toString(inputDims) + " must be positive");
    if (inputOrder == nvuffparser::UffInputOrder::kNC && inputDims.nbDims != 1)
        return apiError("registerInput('" + name + "'): kNC takes dims (C); these are " + toString(inputDims));
    if (inputOrder == nvuffparser::UffInputOrder::kNCHW && inputDims.nbDims < 2)
        return apiError(
            "registerInput('" + name + "'): kNCHW takes dims (C, H, ...); these are " + toString(inputDims));
    for (const InputRegistration& r : mSettings.inputs)
        if (r.name == name)
            return apiError("registerInput('" + name + "'): the input is already registered");
    mSettings.inputs.push_back(InputRegistration{name, inputDims, inputOrder});
    mDiagnostics.verbose("registered input '" + name + "' " + toString(inputDims) + " " + orderName(inputOrder));
    return true;
}

bool UffParser::registerOutput(const char* outputName)
{
    if (!outputName || !*outputName)
        return apiError("registerOutput: the output name is empty");
    const std::string name = outputName;
    for (const std::string& o : mSettings.outputs)
        if (o == name)
            return apiError("registerOutput('" + name + "'): the output is already registered");
    mSettings.outputs.push_back(name);
    return true;
}

bool UffParser::parse(const char* file, nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightsType)
{
    if (!file || !*file)
        return apiError("parse: the file name is empty");
    std::string bytes, error;
    if (!parsers::readWholeFile(file, parsers::kMaxProtobufBytes, bytes, error))
        return apiError("parse: " + error);
    return parseBytes(bytes.data(), bytes.size(), network, weightsType, std::string("'") + file + "'");
}

bool UffParser::parseBuffer(
    const char* buffer, std::size_t size, nvinfer1::INetworkDefinition& network, nvinfer1::DataType weightsType)
{
    if (!buffer && size > 0)
        return apiError("parseBuffer: the buffer is null");
    static const char kEmpty = 0;
    return parseBytes(buffer ? buffer : &kEmpty, size, network, weightsType, "the buffer");
}

bool UffParser::parseBytes(const void* data, std::size_t size, nvinfer1::INetworkDefinition& network,
    nvinfer1::DataType weightsType, const std::string& source)
{
    try
    {
        if (!network.hasImplicitBatchDimension())
            return apiError("UFF networks have an implicit batch dimension: create the network with createNetworkV2(0) "
                            "(the one given has an explicit batch dimension)");
        if (weightsType != nvinfer1::DataType::kFLOAT && weightsType != nvinfer1::DataType::kHALF)
            return apiError("weights type " + std::to_string(static_cast<int32_t>(weightsType))
                + " is not supported: kFLOAT or kHALF");
        ::kiln::uff::MetaGraph meta;
        std::string error;
        if (!parsers::parseBinary(data, size, parsers::kMaxProtobufBytes, meta, error))
            return apiError(source + " is not a UFF file: " + error);
        for (const ::kiln::uff::Descriptor& d : meta.descriptors())
            if (d.id() != "tensorflow_extension" && d.id() != "custom" && !d.optional())
                mDiagnostics.warning("unknown UFF descriptor '" + d.id() + "' (version " + std::to_string(d.version())
                    + "); its operations may not be supported");
        mDiagnostics.verbose("UFF version " + std::to_string(meta.version()) + ", core descriptor version "
            + std::to_string(meta.descriptor_core_version()));
        mWeights.setFloatType(weightsType);
        Converter converter(network, mWeights, mSettings, meta);
        const Status status = converter.run();
        for (const std::string& w : converter.warnings())
            mDiagnostics.warning(w);
        if (!status.isOk())
        {
            mDiagnostics.error(status.code(), "parsing " + source + " failed: " + status.message());
            return false;
        }
        return true;
    }
    catch (const std::bad_alloc&)
    {
        mDiagnostics.error(nvinfer1::ErrorCode::kFAILED_ALLOCATION, "parsing " + source + " ran out of memory");
    }
    catch (const std::exception& e)
    {
        mDiagnostics.error(nvinfer1::ErrorCode::kINTERNAL_ERROR, "parsing " + source + " failed: " + e.what());
    }
    return false;
}

} // namespace kiln::uffparser

namespace nvuffparser
{

FieldMap::FieldMap(const char* name_, const void* data_, const FieldType type_, int32_t length_)
    : name(name_)
    , data(data_)
    , type(type_)
    , length(length_)
{
}

TENSORRTAPI IUffParser* createUffParser() TRTNOEXCEPT
{
    return new (std::nothrow) kiln::uffparser::UffParser();
}

// Protobuf's global state is shared with the other parser libraries of the process (libnvonnxparser
// and the Caffe parser use the same protobuf runtime), and google::protobuf::ShutdownProtobufLibrary
// cannot be undone: a parser used after it would touch freed descriptors. So this is a no-op;
// protobuf releases its memory at exit, and parsers can still be created after this call.
TENSORRTAPI void shutdownProtobufLibrary() TRTNOEXCEPT {}

} // namespace nvuffparser

extern "C" TENSORRTAPI void* createNvUffParser_INTERNAL()
{
    return nvuffparser::createUffParser();
}
