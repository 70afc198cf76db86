// Named weight arrays from files, for refitting engines: NumPy .npz archives (np.savez, stored;
// np.savez_compressed, deflate: needs zlib at build time) and TensorRT's sample .wts text files.
//
// Every reader checks the file against its own sizes and fails with a message saying what is wrong
// (truncated, bad magic, unsupported dtype or order, ...); none trusts a length it has not checked.
//
//   std::vector<kiln::tools::NamedWeights> weights;
//   std::string error;
//   if (!kiln::tools::readWeightsFile("new.npz", weights, error)) { report(error); }
//   refitter->setWeights(layer, role, weights[0].weights());   // the values live in weights[0]
#pragma once

#include "NvInfer.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::tools
{

//! One named array. FLOAT ('<f4'), HALF ('<f2') or INT32 ('<i4'); the values are owned here.
struct NamedWeights
{
    std::string name; //!< the .npz key (member name without ".npy") or the .wts blob name
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    std::vector<int64_t> shape; //!< .npy shape; .wts has none: {count}
    std::vector<uint8_t> bytes; //!< little-endian values, C order

    int64_t count() const;
    //! A view of the values, valid while this object lives unchanged.
    nvinfer1::Weights weights() const;
};

//! "float32", "float16" or "int32".
const char* typeName(nvinfer1::DataType type);

//! Reads \p path by its format: a ZIP archive (.npz) or, for names ending in .wts, TensorRT's sample
//! .wts text format ("<count>" then "<name> <type 0|1> <size> <hex>..." per blob). The arrays come
//! in archive order (.npz) or by name (.wts). False with \p error on any problem.
bool readWeightsFile(const std::string& path, std::vector<NamedWeights>& out, std::string& error);

//! An .npz archive in memory; \p what names it in messages. Members must be .npy arrays (see
//! parseNpy); stored and (with zlib) deflated members are read; CRCs are checked.
bool parseNpz(
    const uint8_t* data, size_t size, const std::string& what, std::vector<NamedWeights>& out, std::string& error);

//! One .npy array in memory (format versions 1 to 3): dtype '<f4', '<f2' or '<i4', C order, and
//! exactly the data its shape needs. \p out.name is left as it is.
bool parseNpy(const uint8_t* data, size_t size, const std::string& what, NamedWeights& out, std::string& error);

//! Whether this build reads np.savez_compressed archives.
bool npzDeflateSupported();

} // namespace kiln::tools
