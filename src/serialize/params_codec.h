// How a layer's parameters are stored in the engine file (serialize/engine_format.h, "layers"):
// the fields in LayerParams::visitFields order, each tagged with its FieldType, then the weights
// slots in visitWeights order as (type, count, offset into the weights block). Dims are stored as
// nbDims and d[0, nbDims) only.
#pragma once

#include "serialize/byte_io.h"
#include "serialize/engine_plan.h"

#include <string>

namespace kiln::serialize
{

void writeDims(ByteWriter& w, const nvinfer1::Dims& dims);
//! Fails \p r ("<what> has nbDims 9, outside [-1, 8]") on a rank outside [-1, 8].
nvinfer1::Dims readDims(ByteReader& r, const std::string& what);

//! Writes the field list of \p params.
void writeFields(ByteWriter& w, const ir::LayerParams& params);
//! Reads a field list into \p params, checking the count and every type tag; failures go to \p r
//! and name \p who ("layer 3 ('conv1', Convolution)").
void readFields(ByteReader& r, ir::LayerParams& params, const std::string& who);
//! Reads the weights slots of \p params and points each at its bytes in \p block, after checking
//! the type (FLOAT, INT32, INT8 or BOOL), the alignment and that the slot fits in the block.
void readWeightsSlots(ByteReader& r, ir::LayerParams& params, const plan::WeightsBlock& block, const std::string& who);

} // namespace kiln::serialize
