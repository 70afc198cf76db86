// QuantizeLinear and DequantizeLinear through IQuantizeLayer / IDequantizeLayer.
#include "helpers.h"

namespace kiln::onnx
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;

//! The saturation range of an ONNX integer type.
static std::pair<double, double> integerRange(int32_t onnxType)
{
    switch (onnxType)
    {
    case ::onnx::TensorProto::INT8: return {-128, 127};
    case ::onnx::TensorProto::UINT16: return {0, 65535};
    case ::onnx::TensorProto::INT16: return {-32768, 32767};
    case ::onnx::TensorProto::INT32: return {-2147483648.0, 2147483647.0};
    default: return {0, 255};
    }
}

//! QuantizeLinear / DequantizeLinear: scale and zero point per tensor or along `axis`.
template <typename Layer>
static OnnxExpected<ITensor*> quantization(Node& node, Layer* l)
{
    KILN_ONNX_NOT_NULL(l);
    int64_t axis = node.attrs.i("axis", 1);
    if (node.input(1).rank() > 0)
        KILN_ONNX_CHECK(normalizeAxis(axis, node.input(0).rank()), kINVALID_NODE, "axis is out of range");
    KILN_ONNX_CHECK(node.attrs.i("block_size", 0) == 0, kUNSUPPORTED_NODE, "blocked quantization is not supported");
    l->setAxis(static_cast<int32_t>(axis));
    if (node.has(2))
    {
        ITensor* zeroPoint = node.tensor(2);
        KILN_ONNX_NOT_NULL(zeroPoint);
        l->setInput(2, *zeroPoint);
    }
    return l->getOutput(0);
}

KILN_ONNX_IMPORTER(QuantizeLinear)
{
    ITensor* x = node.tensor(0);
    ITensor* scale = node.tensor(1);
    KILN_ONNX_NOT_NULL(x && scale ? x : nullptr);
    nvinfer1::IQuantizeLayer* l = node.network().addQuantize(*x, *scale);
    KILN_ONNX_ASSIGN(ITensor * out, quantization(node, l));
    l->setToType(DataType::kINT32);
    // Saturate to the zero point's type (UINT8 when there is none).
    const int32_t zpType = node.has(2) && node.input(2).isWeights() ? node.input(2).weights().onnxType : ::onnx::TensorProto::UINT8;
    const auto [lo, hi] = integerRange(zpType ? zpType : ::onnx::TensorProto::UINT8);
    out = elementwise(node.ctx, out, scalarConstant(node.ctx, DataType::kINT32, lo, out->getDimensions().nbDims), ElementWiseOperation::kMAX);
    out = elementwise(node.ctx, out, scalarConstant(node.ctx, DataType::kINT32, hi, out->getDimensions().nbDims), ElementWiseOperation::kMIN);
    return single(out);
}

KILN_ONNX_IMPORTER(DequantizeLinear)
{
    ITensor* x = node.tensor(0);
    ITensor* scale = node.tensor(1);
    KILN_ONNX_NOT_NULL(x && scale ? x : nullptr);
    KILN_ONNX_ASSIGN(ITensor * out, quantization(node, node.network().addDequantize(*x, *scale)));
    return single(out);
}

} // namespace kiln::onnx
