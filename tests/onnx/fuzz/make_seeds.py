#!/usr/bin/env python3
"""Writes the seeds of tests/onnx/fuzz/corpus/, all built here with onnx.helper: hand_* are small
networks (CNN, shape arithmetic, external data, text format); op_* hold one operator each, with its
parameter inputs (weights, pads, starts, K, ...) as initializers, as Kiln (like TensorRT 7.2) needs
them constant. Needs the onnx and numpy modules; the output is reproducible.
Usage: make_seeds.py [corpus folder]."""
import os
import sys

import numpy as np
import onnx
from google.protobuf import text_format
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
rng = np.random.default_rng(7)


def op_seed(name, op, inputs, outputs, inits=(), opset=13, **attrs):
    """One-operator model: inputs are (name, shape) float graph inputs, inits numpy arrays by name."""
    graph = helper.make_graph(
        [helper.make_node(op, [i[0] for i in inputs] + [k for k, _ in inits], outputs, **attrs)],
        "seed_" + name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n, shape in inputs],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs],
        [numpy_helper.from_array(v, k) for k, v in inits],
    )
    save(model(graph, opset, check=False), "op_" + name + ".onnx")  # outputs carry no shapes


def f32(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


def i64(*values):
    return np.array(values, dtype=np.int64)


def op_seeds():
    op_seed("add_bcast", "Add", [("a", [2, 3, 4]), ("b", [4])], ["y"])
    op_seed("batchnorm", "BatchNormalization", [("x", [1, 2, 3, 3])], ["y"],
            [("s", f32(2)), ("bias", f32(2)), ("mean", f32(2)), ("var", np.abs(f32(2)) + 0.5)], epsilon=1e-3)
    op_seed("gather", "Gather", [("x", [5, 4])], ["y"], [("idx", i64(0, 3, -1))], axis=0)
    op_seed("gemm", "Gemm", [("a", [3, 5])], ["y"], [("b", f32(4, 5)), ("c", f32(4))], transB=1, alpha=0.5)
    op_seed("layernorm", "LayerNormalization", [("x", [2, 3, 4])], ["y"], [("g", f32(4)), ("b", f32(4))], opset=17, axis=-1)
    op_seed("maxpool_pads", "MaxPool", [("x", [1, 1, 5, 5])], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    op_seed("reduce_mean", "ReduceMean", [("x", [2, 3, 4])], ["y"], axes=[1], keepdims=1)
    op_seed("reshape", "Reshape", [("x", [2, 3, 4])], ["y"], [("shape", i64(0, -1))])
    op_seed("softmax", "Softmax", [("x", [2, 5])], ["y"], axis=1)
    op_seed("transpose", "Transpose", [("x", [2, 3, 4])], ["y"], perm=[2, 0, 1])
    op_seed("pad_reflect", "Pad", [("x", [1, 2, 4, 4])], ["y"], [("pads", i64(0, 0, 1, 2, 0, 0, 2, 1))], mode="reflect")
    op_seed("conv_strided", "Conv", [("x", [1, 2, 7, 7])], ["y"], [("w", f32(3, 2, 3, 3)), ("b", f32(3))],
            strides=[2, 2], pads=[1, 1, 1, 1], dilations=[1, 1])
    op_seed("convtranspose", "ConvTranspose", [("x", [1, 2, 3, 3])], ["y"], [("w", f32(2, 3, 3, 3))],
            strides=[2, 2], output_padding=[1, 1])
    op_seed("expand", "Expand", [("x", [3, 1])], ["y"], [("shape", i64(2, 3, 4))])
    op_seed("onehot", "OneHot", [("idx", [2, 3])], ["y"], [("depth", i64(5)), ("values", np.array([0, 1], np.float32))], axis=1)
    op_seed("range", "Range", [], ["y"], [("start", np.array(1.0, np.float32)), ("limit", np.array(7.0, np.float32)),
                                          ("delta", np.array(1.5, np.float32))])
    op_seed("resize_linear", "Resize", [("x", [1, 1, 3, 4])], ["y"],
            [("roi", np.zeros(0, np.float32)), ("scales", np.array([1, 1, 2, 1.5], np.float32))],
            mode="linear", coordinate_transformation_mode="half_pixel")
    op_seed("slice_steps", "Slice", [("x", [6, 5])], ["y"], [("starts", i64(5, 0)), ("ends", i64(0, 9)),
                                                             ("axes", i64(0, 1)), ("steps", i64(-2, 2))])
    op_seed("tile", "Tile", [("x", [2, 3])], ["y"], [("repeats", i64(2, 2))])
    op_seed("topk", "TopK", [("x", [3, 5])], ["values", "indices"], [("k", i64(2))], axis=1)
    op_seed("unsqueeze", "Unsqueeze", [("x", [3, 4])], ["y"], [("axes", i64(0, 3))])
    op_seed("einsum", "Einsum", [("a", [2, 3]), ("b", [3, 4])], ["y"], equation="ij,jk->ik")
    op_seed("cumsum", "CumSum", [("x", [2, 5])], ["y"], [("axis", i64(1))], exclusive=1)
    op_seed("where_mod", "Mod", [("a", [4])], ["y"], [("b", f32(4) + 2)], fmod=1)
    # Loop with a constant trip count whose body adds the iteration number to a carried value.
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Cast", ["i"], ["i_f"], to=TensorProto.FLOAT),
         helper.make_node("Add", ["acc_in", "i_f"], ["acc_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []), helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [2])])
    loop = helper.make_graph(
        [helper.make_node("Loop", ["trips", "", "x"], ["y"], body=body)], "seed_loop",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        [numpy_helper.from_array(i64(4).reshape(()), "trips")])
    save(model(loop), "op_loop.onnx")


def weights(name, shape):
    return numpy_helper.from_array(rng.uniform(-1, 1, shape).astype(np.float32), name)


def model(graph, opset=13, check=True):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="kiln-fuzz-seeds")
    m.ir_version = 8
    if check:
        onnx.checker.check_model(m)
    return m


def save(m, name):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(m.SerializeToString())


op_seeds()

# A small static CNN with initializers: Conv, BatchNormalization, Relu, MaxPool, Flatten, Gemm, Softmax.
cnn = helper.make_graph(
    [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["n"], epsilon=1e-5),
        helper.make_node("Relu", ["n"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["g"], transB=1),
        helper.make_node("Softmax", ["g"], ["prob"], axis=1),
    ],
    "small_cnn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("prob", TensorProto.FLOAT, [1, 10])],
    [
        weights("w", [4, 3, 3, 3]), weights("b", [4]),
        weights("scale", [4]), weights("bias", [4]), weights("mean", [4]),
        numpy_helper.from_array(np.full([4], 0.5, np.float32), "var"),
        weights("fc_w", [10, 64]), weights("fc_b", [10]),
    ],
)
save(model(cnn), "hand_small_cnn_static.onnx")

# An initializer kept as external data in a file that does not exist.
ext = weights("w_ext", [2, 3])
ext.ClearField("float_data")
ext.ClearField("raw_data")
ext.data_location = TensorProto.EXTERNAL
for key, value in (("location", "missing_weights.bin"), ("offset", "0"), ("length", "24")):
    entry = ext.external_data.add()
    entry.key, entry.value = key, value
ext_graph = helper.make_graph(
    [helper.make_node("Add", ["x", "w_ext"], ["y"])],
    "external_missing",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
    [ext],
)
m = helper.make_model(ext_graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="kiln-fuzz-seeds")
m.ir_version = 7
save(m, "hand_external_data_missing_file.onnx")

# Shape arithmetic on a static input (folded into constants): Shape, Slice, Concat, Reshape, then
# MatMul, Add, Sigmoid, and a Cast/ReduceSum side output.
shape_graph = helper.make_graph(
    [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Constant", [], ["zero"], value=numpy_helper.from_array(np.array([0], np.int64))),
        helper.make_node("Constant", [], ["one"], value=numpy_helper.from_array(np.array([1], np.int64))),
        helper.make_node("Constant", [], ["minus1"], value=numpy_helper.from_array(np.array([-1], np.int64))),
        helper.make_node("Slice", ["s", "zero", "one"], ["batch"]),
        helper.make_node("Concat", ["batch", "minus1"], ["target"], axis=0),
        helper.make_node("Reshape", ["x", "target"], ["flat"]),
        helper.make_node("MatMul", ["flat", "mw"], ["mm"]),
        helper.make_node("Add", ["mm", "mb"], ["pre"]),
        helper.make_node("Sigmoid", ["pre"], ["y"]),
        helper.make_node("Cast", ["pre"], ["ints"], to=TensorProto.INT32),
        helper.make_node("ReduceSum", ["ints"], ["total"], keepdims=0),
    ],
    "shape_math",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])],
    [
        helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5]),
        helper.make_tensor_value_info("total", TensorProto.INT32, []),
    ],
    [weights("mw", [12, 5]), weights("mb", [5])],
)
save(model(shape_graph), "hand_shape_math_reshape_matmul.onnx")

# Protobuf text format, with a dynamic batch dimension: Transpose, Unsqueeze, Where, ReduceMax.
text_graph = helper.make_graph(
    [
        helper.make_node("Transpose", ["x"], ["t"], perm=[0, 2, 1]),
        helper.make_node("Greater", ["t", "thr"], ["mask"]),
        helper.make_node("Where", ["mask", "t", "thr"], ["w"]),
        helper.make_node("ReduceMax", ["w"], ["y"], axes=[2], keepdims=1),
    ],
    "text_dynamic",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4, 1])],
    [numpy_helper.from_array(np.array([0.25], np.float32), "thr")],
)
with open(os.path.join(OUT, "hand_text_format_dynamic_batch.onnxtxt"), "w") as f:
    f.write(text_format.MessageToString(model(text_graph)))
