// Reductions (Reduce*), ArgMax/ArgMin and TopK.
#include "helpers.h"

#include <algorithm>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::ReduceOperation;

enum class Pre
{
    kNONE,
    kABS,
    kSQUARE,
    kEXP
};
enum class Post
{
    kNONE,
    kSQRT,
    kLOG
};

OnnxExpected<Outputs> reduce(Node& node, ReduceOperation op, Pre pre = Pre::kNONE, Post post = Post::kNONE)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    // Axes moved from an attribute to an input in opset 13 (ReduceSum) and 18 (the others).
    const bool axesInput = node.opset >= (node.proto.op_type() == "ReduceSum" ? 13 : 18);
    std::vector<int64_t> axes;
    if (axesInput)
    {
        if (node.has(1))
        {
            KILN_ONNX_ASSIGN(axes, node.constInts(1, "axes"));
        }
    }
    else
        axes = node.attrs.ints("axes");
    const bool keep = node.attrs.i("keepdims", 1) != 0;
    if (axes.empty())
    {
        if (axesInput && node.attrs.i("noop_with_empty_axes", 0) != 0)
            return Outputs{Value::of(identity(node.ctx, x))};
        for (int32_t i = 0; i < rank; ++i)
            axes.push_back(i);
    }
    uint32_t mask = 0;
    for (int64_t a : axes)
    {
        KILN_ONNX_CHECK(normalizeAxis(a, rank), kINVALID_NODE, "axis is out of range");
        mask |= 1u << a;
    }
    ITensor* in = x;
    switch (pre)
    {
    case Pre::kABS: in = unary(node.ctx, x, nvinfer1::UnaryOperation::kABS); break;
    case Pre::kSQUARE: in = elementwise(node.ctx, x, x, ElementWiseOperation::kPROD); break;
    case Pre::kEXP: in = unary(node.ctx, x, nvinfer1::UnaryOperation::kEXP); break;
    case Pre::kNONE: break;
    }
    KILN_ONNX_NOT_NULL(in);
    ITensor* out;
    if (rank == 0)
        out = identity(node.ctx, in);
    else
    {
        nvinfer1::IReduceLayer* l = node.network().addReduce(*in, op, mask, keep);
        KILN_ONNX_NOT_NULL(l);
        out = l->getOutput(0);
    }
    if (post == Post::kSQRT)
        out = unary(node.ctx, out, nvinfer1::UnaryOperation::kSQRT);
    else if (post == Post::kLOG)
        out = unary(node.ctx, out, nvinfer1::UnaryOperation::kLOG);
    return single(out);
}

OnnxExpected<Outputs> argExtreme(Node& node, nvinfer1::TopKOperation op)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    int64_t axis = node.attrs.i("axis", 0);
    KILN_ONNX_CHECK(normalizeAxis(axis, rank), kINVALID_NODE, "axis is out of range");
    const bool last = node.attrs.i("select_last_index", 0) != 0;
    const int32_t extent = x->getDimensions().d[axis];
    ITensor* in = x;
    if (last)
    {
        // The last extreme is the first one of the input reversed along the axis.
        KILN_ONNX_CHECK(extent > 0, kUNSUPPORTED_NODE, "select_last_index needs a static extent along the axis");
        nvinfer1::Dims start = x->getDimensions(), size = x->getDimensions(), stride = x->getDimensions();
        for (int32_t i = 0; i < rank; ++i)
        {
            start.d[i] = i == axis ? extent - 1 : 0;
            stride.d[i] = i == axis ? -1 : 1;
        }
        KILN_ONNX_CHECK(isStatic(size), kUNSUPPORTED_NODE, "select_last_index needs a static input shape");
        nvinfer1::ISliceLayer* s = node.network().addSlice(*x, start, size, stride);
        KILN_ONNX_NOT_NULL(s);
        in = s->getOutput(0);
    }
    nvinfer1::ITopKLayer* l = node.network().addTopK(*in, op, 1, 1u << axis);
    KILN_ONNX_NOT_NULL(l);
    ITensor* idx = l->getOutput(1);
    if (last)
        idx = elementwise(node.ctx, scalarConstant(node.ctx, DataType::kINT32, extent - 1, rank), idx, ElementWiseOperation::kSUB);
    if (node.attrs.i("keepdims", 1) == 0)
        idx = squeeze(node.ctx, idx, {axis});
    return single(idx);
}

} // namespace

KILN_ONNX_IMPORTER(ReduceSum) { return reduce(node, ReduceOperation::kSUM); }
KILN_ONNX_IMPORTER(ReduceMean) { return reduce(node, ReduceOperation::kAVG); }
KILN_ONNX_IMPORTER(ReduceMax) { return reduce(node, ReduceOperation::kMAX); }
KILN_ONNX_IMPORTER(ReduceMin) { return reduce(node, ReduceOperation::kMIN); }
KILN_ONNX_IMPORTER(ReduceProd) { return reduce(node, ReduceOperation::kPROD); }
KILN_ONNX_IMPORTER(ReduceL1) { return reduce(node, ReduceOperation::kSUM, Pre::kABS); }
KILN_ONNX_IMPORTER(ReduceL2) { return reduce(node, ReduceOperation::kSUM, Pre::kSQUARE, Post::kSQRT); }
KILN_ONNX_IMPORTER(ReduceSumSquare) { return reduce(node, ReduceOperation::kSUM, Pre::kSQUARE); }
KILN_ONNX_IMPORTER(ReduceLogSum) { return reduce(node, ReduceOperation::kSUM, Pre::kNONE, Post::kLOG); }
KILN_ONNX_IMPORTER(ReduceLogSumExp) { return reduce(node, ReduceOperation::kSUM, Pre::kEXP, Post::kLOG); }
KILN_ONNX_IMPORTER(ArgMax) { return argExtreme(node, nvinfer1::TopKOperation::kMAX); }
KILN_ONNX_IMPORTER(ArgMin) { return argExtreme(node, nvinfer1::TopKOperation::kMIN); }

KILN_ONNX_IMPORTER(TopK)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const int32_t rank = x->getDimensions().nbDims;
    int64_t axis = node.attrs.i("axis", -1);
    KILN_ONNX_CHECK(normalizeAxis(axis, rank), kINVALID_NODE, "axis is out of range");
    int64_t k = 0;
    if (node.opset < 10)
        k = node.attrs.i("k", 0);
    else
    {
        KILN_ONNX_ASSIGN(std::vector<int64_t> kv, node.constInts(1, "K"));
        KILN_ONNX_CHECK(kv.size() == 1, kINVALID_NODE, "K must hold one value");
        k = kv[0];
    }
    KILN_ONNX_CHECK(k >= 0, kINVALID_NODE, "K must not be negative");
    KILN_ONNX_CHECK(node.attrs.i("sorted", 1) != 0, kUNSUPPORTED_NODE, "unsorted TopK is not supported");
    const bool largest = node.attrs.i("largest", 1) != 0;
    nvinfer1::ITopKLayer* l = node.network().addTopK(*x, largest ? nvinfer1::TopKOperation::kMAX : nvinfer1::TopKOperation::kMIN,
        static_cast<int32_t>(k), 1u << axis);
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0)), Value::of(l->getOutput(1))};
}

} // namespace kiln::onnx
