// File formats the tools and tests read and write, using only the public API types:
// TensorRT .wts weights, binary PGM images, NumPy .npy arrays, and the Caffe BlobProto mean image.
#pragma once

#include "NvInfer.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln::tools
{

//! Weights loaded from a .wts file; the values stay owned here for as long as the map lives.
struct WtsBlob
{
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    std::vector<uint32_t> values; //!< the raw bit patterns (FLOAT: 32 bits; HALF: low 16 bits used)
    std::vector<uint16_t> halves; //!< HALF values packed, when type == kHALF

    nvinfer1::Weights weights() const
    {
        if (type == nvinfer1::DataType::kHALF)
            return nvinfer1::Weights{type, halves.data(), static_cast<int64_t>(halves.size())};
        return nvinfer1::Weights{type, values.data(), static_cast<int64_t>(values.size())};
    }
};
using WtsMap = std::map<std::string, WtsBlob>;

//! Reads TensorRT's wts v1 text format: "<count>\n" then per blob "<name> <type> <size> <hex>...".
//! Returns false with \p error set on a malformed file.
bool readWts(const std::string& path, WtsMap& out, std::string& error);

//! Reads a binary PGM (P5, maxval <= 255). Returns false with \p error set otherwise.
bool readPgm(const std::string& path, int32_t& height, int32_t& width, std::vector<uint8_t>& pixels, std::string& error);

//! A NumPy array: float32 ('<f4'), int32 ('<i4') or bool ('|b1'), C order.
struct NpyArray
{
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    std::vector<int32_t> shape;
    std::vector<uint8_t> bytes;
    int64_t count() const;
};
bool readNpy(const std::string& path, NpyArray& out, std::string& error);
bool writeNpy(const std::string& path, const NpyArray& array, std::string& error);

//! Reads a Caffe BlobProto (.binaryproto) with float data, e.g. the MNIST mean image.
bool readBlobProto(const std::string& path, std::vector<int32_t>& shape, std::vector<float>& data, std::string& error);

} // namespace kiln::tools
