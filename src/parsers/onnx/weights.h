// Constant values known while parsing: initializers, Constant nodes and folded subgraphs. The
// parser owns their memory (WeightsArena) until it is destroyed, as TensorRT's parser does.
#pragma once

#include "NvInfer.h"
#include "status.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace onnx
{
class TensorProto;
}

namespace kiln::onnx
{

//! Memory for converted weights; addresses stay valid until the arena is destroyed.
class WeightsArena
{
public:
    void* allocate(size_t bytes);

private:
    std::deque<std::unique_ptr<uint8_t[]>> mBlocks;
};

//! A constant tensor: FLOAT, INT32 or BOOL (one byte per element), any rank up to 8.
struct ShapedWeights
{
    nvinfer1::DataType type{nvinfer1::DataType::kFLOAT};
    std::vector<int64_t> shape;
    void* data{nullptr};
    int32_t onnxType{0}; //!< the element type in the model (0 when made by the parser)

    int64_t count() const;
    size_t bytes() const;
    double at(int64_t i) const;
    void set(int64_t i, double v);
    std::vector<int64_t> ints() const;
    std::vector<float> floats() const;
    nvinfer1::Weights trt() const;
};

size_t elementSize(nvinfer1::DataType type);
ShapedWeights makeWeights(WeightsArena& arena, nvinfer1::DataType type, std::vector<int64_t> shape);
//! The largest constant the parser generates itself (ConstantOfShape, Range, masks, folded values).
constexpr int64_t kMaxGeneratedElements = int64_t{1} << 28;
//! makeWeights for a shape that comes from the model's values: refuses negative extents and more
//! than kMaxGeneratedElements elements instead of allocating them.
OnnxExpected<ShapedWeights> makeGeneratedWeights(WeightsArena& arena, nvinfer1::DataType type, std::vector<int64_t> shape);
ShapedWeights makeScalarWeights(WeightsArena& arena, nvinfer1::DataType type, double value);
ShapedWeights makeIntVector(WeightsArena& arena, const std::vector<int64_t>& values);

//! Where a TensorProto's external data is looked up, and how conversions are reported.
struct TensorSource
{
    std::string modelDir; //!< external data paths are relative to it; empty for in-memory models
    std::vector<std::string>* warnings{nullptr};
};

//! Converts \p tensor: INT64 and the other integer types become INT32 (values outside INT32 are
//! clamped, with a warning), DOUBLE, FLOAT16 and BFLOAT16 become FLOAT.
OnnxExpected<ShapedWeights> convertTensor(
    const ::onnx::TensorProto& tensor, WeightsArena& arena, const TensorSource& source);

//! The Kiln type an ONNX element type maps to, or false for types Kiln cannot hold.
bool kilnTypeOf(int32_t onnxType, nvinfer1::DataType& type);
const char* onnxTypeName(int32_t onnxType);

} // namespace kiln::onnx
