"""Writes UFF MetaGraphs the way NVIDIA's TensorFlow-to-UFF converter lays them out (Kiln's own
schema, src/parsers/uff/proto/kiln_uff.proto, compiled by tests/support/kiln_protos.py).

    g = UffGraph()
    x = g.input("in", [-1, 28, 28, 1])
    w = g.const("conv/kernel", kernel_hwio)
    y = g.node("conv/Conv2D", "Conv", [x, w], inputs_orders=g.orders("N+C_+CK"), strides=[1, 1])
    g.write("model.uff", outputs=[y])

Const values go into referenced_data as raw little-endian blobs (key weights_<node>), orders as
dim_orders_list entries (key orders_<name>); nodes are written from the outputs backwards with
MarkOutput_0 last, as the converter writes them.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from kiln_protos import uff_pb2  # noqa: E402

INC = 0x7FFFFFFF
DEC = -0x80000000

# Orders by their converter names: the canonical index of every axis ('+' = the spatial run).
ORDERS = {
    "N+C": [0, 2, INC, 1],
    "NC+": [0, 1, 2, INC],
    "+CK": [2, INC, 1, 0],
    "+KC": [2, INC, 0, 1],
    "NC": [0, 1],
    "CK": [1, 0],
    "KC": [0, 1],
}

DTYPES = {
    np.dtype("float32"): uff_pb2.DT_FLOAT32,
    np.dtype("float16"): uff_pb2.DT_FLOAT16,
    np.dtype("int32"): uff_pb2.DT_INT32,
    np.dtype("int64"): uff_pb2.DT_INT64,
    np.dtype("int8"): uff_pb2.DT_INT8,
    np.dtype("int16"): uff_pb2.DT_INT16,
}


class Ref:
    """A field value that refers to a referenced_data key."""

    def __init__(self, key):
        self.key = key


class DType:
    """A field value of type dtype."""

    def __init__(self, value):
        self.value = value


def set_data(data, value):
    """Stores a Python value in a uff Data message."""
    if isinstance(value, Ref):
        data.ref = value.key
    elif isinstance(value, DType):
        data.dtype = value.value
    elif isinstance(value, bool):
        data.b = value
    elif isinstance(value, (int, np.integer)):
        data.i = int(value)
    elif isinstance(value, float):
        data.d = value
    elif isinstance(value, str):
        data.s = value
    elif isinstance(value, bytes):
        data.blob = value
    elif isinstance(value, (list, tuple)):
        # SetInParent: an empty list is still a list (the oneof must be set).
        if all(isinstance(v, (int, np.integer)) for v in value):
            data.i_list.SetInParent()
            data.i_list.val.extend(int(v) for v in value)
        else:
            data.d_list.SetInParent()
            data.d_list.val.extend(float(v) for v in value)
    else:
        raise TypeError("cannot store %r in a UFF Data" % (value,))


class UffGraph:
    def __init__(self):
        self.meta = uff_pb2.MetaGraph()
        self.meta.version = 1
        self.meta.descriptor_core_version = 1
        d = self.meta.descriptors.add()
        d.id = "tensorflow_extension"
        d.version = 1
        self.nodes = []  # in creation order (inputs before their users)

    def node(self, node_id, op, inputs=(), **fields):
        n = uff_pb2.Node()
        n.id = node_id
        n.operation = op
        n.inputs.extend(inputs)
        for key, value in fields.items():
            set_data(n.fields[key], value)
        self.nodes.append(n)
        return node_id

    def input(self, node_id, shape, dtype=np.float32):
        return self.node(node_id, "Input", dtype=DType(DTYPES[np.dtype(dtype)]), shape=list(shape))

    def const(self, node_id, array):
        array = np.asarray(array)
        key = "weights_" + node_id
        self.meta.referenced_data[key].blob = array.astype(array.dtype.newbyteorder("<")).tobytes()
        return self.node(node_id, "Const", dtype=DType(DTYPES[array.dtype]), shape=list(array.shape), values=Ref(key))

    def orders(self, name):
        """A ref to referenced_data['orders_<name>'], e.g. orders('N+C_+CK')."""
        key = "orders_" + name
        if key not in self.meta.referenced_data:
            lst = self.meta.referenced_data[key].dim_orders_list
            for part in name.split("_"):
                lst.val.add().orders[-1].val.extend(ORDERS[part])
        return Ref(key)

    def binary(self, node_id, func, a, b):
        return self.node(node_id, "Binary", [a, b], func=func)

    def serialize(self, outputs):
        g = self.meta.graphs.add()
        g.id = "main"
        for n in reversed(self.nodes):
            g.nodes.add().CopyFrom(n)
        mark = g.nodes.add()
        mark.id = "MarkOutput_0"
        mark.operation = "MarkOutput"
        mark.inputs.extend(outputs)
        data = self.meta.SerializeToString(deterministic=True)  # sorted map keys: same bytes every run
        del self.meta.graphs[:]
        return data

    def write(self, path, outputs):
        with open(path, "wb") as f:
            f.write(self.serialize(outputs))


F32 = np.float32


def rand(rng, *shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(F32)


def he(rng, shape, fan_in):
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(F32)


class Model:
    """A graph, its inputs (name, order, TF shape without the batch, generator) and a forward
    function computing the outputs (dict name -> TF-layout array) from the inputs."""

    def __init__(self, name, weights="float", batches=(1,), rtol=1e-4, atol=1e-4):
        self.name = name
        self.g = UffGraph()
        self.weights = weights
        self.batches = batches
        self.rtol = rtol
        self.atol = atol
        self.inputs = []
        self.outputs = []
        self.forward = None

    def input(self, name, order, shape, make=None, dtype=F32):
        self.inputs.append((name, order, list(shape), make))
        return self.g.input(name, [-1] + list(shape), dtype)
