// Weights of the UFF parser: decoding Const blobs into ConstTensors, and the memory of the
// weights handed to the network (FLOAT, or HALF when parse() is asked for kHALF weights). The
// parser owns that memory until it is destroyed, as TensorRT's parser does: the network keeps
// pointers to it until the engine is built.
#pragma once

#include "common/half.h"
#include "uff_types.h"

#include <deque>
#include <string>
#include <vector>

namespace kiln::uffparser
{

using parsers::floatToHalf;
using parsers::halfToFloat;

//! Memory for weights handed to network layers; addresses stay valid until it is destroyed.
class WeightsStore
{
public:
    //! kFLOAT or kHALF: the type floating-point weights are handed to layers in.
    void setFloatType(nvinfer1::DataType type) { mFloatType = type; }
    nvinfer1::DataType floatType() const { return mFloatType; }

    //! \p values as FLOAT or HALF weights (per setFloatType).
    nvinfer1::Weights floats(const std::vector<float>& values);
    //! \p values as INT32 weights.
    nvinfer1::Weights ints(const std::vector<int32_t>& values);
    //! No weights (count 0).
    nvinfer1::Weights empty() const { return nvinfer1::Weights{mFloatType, nullptr, 0}; }

private:
    void* allocate(size_t bytes);

    nvinfer1::DataType mFloatType{nvinfer1::DataType::kFLOAT};
    std::deque<std::vector<uint8_t>> mBlocks;
};

//! UFF DataType values (kiln_uff.proto).
enum class UffType : int32_t
{
    kInvalid = 0,
    kInt8 = 0x10008,
    kInt16 = 0x10010,
    kInt32 = 0x10020,
    kInt64 = 0x10040,
    kFloat16 = 0x20010,
    kFloat32 = 0x20020
};

//! Name of a UFF dtype for messages ("DT_FLOAT32", or the number when unknown).
std::string uffTypeName(int64_t dtype);
//! Bytes per element of a dtype the parser reads, 0 for others.
size_t uffTypeSize(int64_t dtype);

//! Decodes \p bytes (raw little-endian values of \p dtype) into \p out with \p shape. Fails when
//! the dtype is not readable or the byte count is not volume(shape) * element size.
Status decodeBlob(const std::string& bytes, int64_t dtype, const std::vector<int64_t>& shape, ConstTensor& out);

//! Number of elements of \p shape; fails on negative extents or more than \p limit elements.
Status checkedVolume(const std::vector<int64_t>& shape, int64_t limit, int64_t& volume);

} // namespace kiln::uffparser
