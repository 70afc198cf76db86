//! \file NvOnnxParser.h
//! The ONNX parser: fills an explicit-batch INetworkDefinition from an ONNX model.
//!
//! Status: declared; the implementation arrives with the ONNX parser milestone. Until then
//! createParser() logs an error saying the parser is not built yet and returns nullptr.

#ifndef NV_ONNX_PARSER_H
#define NV_ONNX_PARSER_H

#include "NvInfer.h"
#include <cstddef>
#include <utility>
#include <vector>

//! Nodes of a supported subgraph and whether the subgraph was fully supported.
typedef std::pair<std::vector<size_t>, bool> SubGraph_t;
typedef std::vector<SubGraph_t> SubGraphCollection_t;

#define NV_ONNX_PARSER_MAJOR 0
#define NV_ONNX_PARSER_MINOR 1
#define NV_ONNX_PARSER_PATCH 0

static const int NV_ONNX_PARSER_VERSION
    = ((NV_ONNX_PARSER_MAJOR * 10000) + (NV_ONNX_PARSER_MINOR * 100) + NV_ONNX_PARSER_PATCH);

class onnxTensorDescriptorV1;

//! The ONNX parser namespace.
namespace nvonnxparser
{

template <typename T>
inline int32_t EnumMax();

//! Kind of a parser error.
enum class ErrorCode : int
{
    kSUCCESS = 0,
    kINTERNAL_ERROR = 1,
    kMEM_ALLOC_FAILED = 2,
    kMODEL_DESERIALIZE_FAILED = 3,
    kINVALID_VALUE = 4,
    kINVALID_GRAPH = 5,
    kINVALID_NODE = 6,
    kUNSUPPORTED_GRAPH = 7,
    kUNSUPPORTED_NODE = 8
};
template <>
inline int32_t EnumMax<ErrorCode>()
{
    return 9;
}

//! One error found while parsing; owned by the parser.
class IParserError
{
public:
    virtual ErrorCode code() const = 0;
    virtual const char* desc() const = 0;
    virtual const char* file() const = 0;
    virtual int line() const = 0;
    virtual const char* func() const = 0;
    //! Index of the node at fault, or -1.
    virtual int node() const = 0;

protected:
    virtual ~IParserError() {}
};

//! Parses ONNX models into a network. The parser owns converted weights: keep it alive until the
//! engine is built.
class IParser
{
public:
    virtual bool parse(void const* serialized_onnx_model, size_t serialized_onnx_model_size) = 0;
    virtual bool parseFromFile(const char* onnxModelFile, int verbosity) = 0;
    //! The developer guide passes an ILogger::Severity; accepted as the same verbosity.
    bool parseFromFile(const char* onnxModelFile, nvinfer1::ILogger::Severity verbosity)
    {
        return parseFromFile(onnxModelFile, static_cast<int>(verbosity));
    }
    virtual bool supportsModel(void const* serialized_onnx_model, size_t serialized_onnx_model_size,
        SubGraphCollection_t& sub_graph_collection) = 0;
    virtual bool parseWithWeightDescriptors(void const* serialized_onnx_model, size_t serialized_onnx_model_size,
        uint32_t weight_count, onnxTensorDescriptorV1 const* weight_descriptors) = 0;
    virtual bool supportsOperator(const char* op_name) const = 0;
    virtual void destroy() = 0;
    virtual int getNbErrors() const = 0;
    virtual IParserError const* getError(int index) const = 0;
    virtual void clearErrors() = 0;
    //! The refit map of the last successful parse: one entry per (initializer, layer, role) where
    //! the parser passed an initializer of the main graph verbatim as the weights of a network layer
    //! (Conv W/B -> convolution kKERNEL/kBIAS; an initializer used as a tensor -> its Constant layer,
    //! kCONSTANT; ...). Initializers transformed before use (e.g. BatchNormalization parameters folded
    //! into a Scale, transposed kernels) are not listed; an initializer that feeds several layers is
    //! listed once per (layer, role), in model order of the initializers, then network order.
    //! Returns the number of entries and writes all of them into each non-null array (each must hold
    //! that many): call with nullptrs first for the size. The strings are owned by the parser and
    //! stay valid until it is destroyed or parses again. Empty after a failed parse.
    virtual int getRefitMap(const char** weightNames, const char** layerNames, nvinfer1::WeightsRole* roles) = 0;
    virtual ~IParser() noexcept {}
};

} // namespace nvonnxparser

extern "C" TENSORRTAPI void* createNvOnnxParser_INTERNAL(void* network, void* logger, int version);
extern "C" TENSORRTAPI int getNvOnnxParserVersion();

namespace nvonnxparser
{
namespace
{
//! Creates a parser that adds to \p network and reports through \p logger.
inline IParser* createParser(nvinfer1::INetworkDefinition& network, nvinfer1::ILogger& logger)
{
    return static_cast<IParser*>(createNvOnnxParser_INTERNAL(&network, &logger, NV_ONNX_PARSER_VERSION));
}
} // namespace
} // namespace nvonnxparser

#endif // NV_ONNX_PARSER_H
