#!/usr/bin/env python3
"""Writes the seed corpus of uff_parse_fuzzer into tests/uff/fuzz/corpus/ (or the folder given).

    python3 tests/uff/fuzz/make_seeds.py [OUTDIR]

Each seed is one byte that picks the fuzzer's registrations (see uff_parse_fuzzer.cpp: preset
index in bits 0-6, bit 7 = kHALF weights) followed by a small UFF file (< 20 KB) that parses with
those registrations, so the fuzzer starts from graphs that reach the builder and the engine.
Seeded weights; regenerating gives the same bytes.
"""
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "models"))

import numpy as np  # noqa: E402
from uff_builder import UffGraph  # noqa: E402

# Presets of uff_parse_fuzzer.cpp.
NCHW_OUT, NHWC_OUT, NC_OUT, NCHW_MARK, NHWC_IDS_MARK = range(5)
HALF = 0x80


def f32(rng, *shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def i32(v):
    return np.array(v, np.int32)


def cnn(rng):
    """in (2,4,4) NCHW: conv SAME + bias + relu, max pool, flatten, FC -> out."""
    g = UffGraph()
    x = g.input("in", [-1, 4, 4, 2])
    h = g.node("conv", "Conv", [x, g.const("conv/k", f32(rng, 3, 3, 2, 3))], inputs_orders=g.orders("N+C_+CK"),
               strides=[1, 1], dilation=[1, 1], implicit_padding="same")
    h = g.binary("conv/bias", "add", h, g.const("conv/b", f32(rng, 3)))
    h = g.node("relu", "Activation", [h], func="relu")
    h = g.node("pool", "Pool", [h], func="max", kernel=[2, 2], strides=[2, 2], inputs_orders=g.orders("N+C"))
    h = g.node("flatten", "Flatten", [h])
    h = g.node("fc", "FullyConnected", [h, g.const("fc/k", f32(rng, 12, 4))], inputs_orders=g.orders("NC_CK"))
    out = g.binary("out", "add", h, g.const("fc/b", f32(rng, 4)))
    return g.serialize([out])


def depthwise(rng):
    """in (4,4,2) NHWC: depthwise conv, batch norm, avg pool SAME, LRN, elu -> out."""
    g = UffGraph()
    x = g.input("in", [-1, 4, 4, 2])
    h = g.node("dw", "Conv", [x, g.const("dw/k", f32(rng, 3, 3, 2, 2))], inputs_orders=g.orders("N+C_+CK"),
               number_groups=2, strides=[1, 1], implicit_padding="same")
    params = [g.const("bn/" + n, rng.uniform(0.5, 1.5, 4).astype(np.float32)) for n in ("g", "b", "m", "v")]
    h = g.node("bn", "BatchNorm", [h] + params, epsilon=1e-3, inputs_orders=g.orders("N+C"))
    h = g.node("avg", "Pool", [h], func="avg", kernel=[3, 3], strides=[2, 2], implicit_padding="same",
               inputs_orders=g.orders("N+C"))
    h = g.node("lrn", "LRN", [h], window_size=1, alpha=0.1, beta=0.75, k=1.0, inputs_orders=g.orders("N+C"))
    out = g.node("out", "Activation", [h], func="elu")
    return g.serialize([out])


def mlp(rng):
    """in (8) NC: FC (KC), leaky relu, unary and binary ops with constants, softmax -> out."""
    g = UffGraph()
    x = g.input("in", [-1, 8])
    h = g.node("fc", "FullyConnected", [x, g.const("fc/k", f32(rng, 6, 8))], inputs_orders=g.orders("NC_KC"))
    h = g.node("leaky", "LeakyRelu", [h], alpha=0.2)
    h = g.node("tanh", "Activation", [h], func="tanh")
    h = g.node("sq", "Unary", [h], func="square")
    h = g.binary("mul", "mul", g.const("c", f32(rng, 1, 6)), h)
    h = g.binary("max", "max", h, g.binary("folded", "sub", g.const("a", f32(rng, 6)), g.const("b", f32(rng, 6))))
    out = g.node("out", "Softmax", [h], axis=-1)
    return g.serialize([out])


def shapes(rng):
    """in (2,4,4) NCHW, outputs by MarkOutput: transpose, reshape from Shape, slices, pad, concat,
    stack, squeeze, expand dims, reductions, argmax."""
    g = UffGraph()
    x = g.input("in", [-1, 4, 4, 2])
    t = g.node("t", "Transpose", [x], permutation=[0, 3, 1, 2])
    shape = g.node("shape", "Shape", [x])
    batch = g.node("batch", "StridedSlice", [shape, g.const("b0", i32([0])), g.const("b1", i32([1])),
                                             g.const("b2", i32([1]))], shrink_axis_mask=1)
    target = g.node("target", "Stack", [batch, g.const("m1", i32(-1))], axis=0)
    r = g.node("r", "Reshape", [t, target])
    s = g.node("s", "StridedSlice", [x, g.const("s0", i32([0, 3, 0])), g.const("s1", i32([0, 0, 4])),
                                     g.const("s2", i32([1, -1, 2]))], begin_mask=1, end_mask=3)
    p = g.node("p", "Pad", [s, g.const("pads", i32([[0, 0], [1, 0], [0, 2], [1, 1]]))])
    c = g.node("c", "Concat", [x, x], axis=-1)
    red = g.node("red", "Reduce", [c], func="mean", axes=[1], keepdims=False)
    sq = g.node("sq", "Squeeze", [g.node("keep", "Reduce", [x], func="max", axes=[2], keepdims=True)], axes=[2])
    st = g.node("st", "Stack", [red, g.node("red2", "Reduce", [c], func="sum", axes=[2])], axis=2)
    e = g.node("e", "ExpandDims", [sq], axis=-1)
    a = g.node("a", "ArgMax", [x], axis=3)
    return g.serialize([r, p, st, e, a])


def gather(rng):
    """in (4,4,2) NHWC and ids (5) NC int32: embedding gather, GatherV2, ConvTranspose."""
    g = UffGraph()
    x = g.input("in", [-1, 4, 4, 2])
    ids = g.input("ids", [-1, 5], np.int32)
    emb = g.node("emb", "Gather", [g.const("table", f32(rng, 7, 3)), ids])
    gv = g.node("gv", "GatherV2", [x, g.const("idx", i32([1, 0]))], axis=3)
    d = g.node("up", "ConvTranspose", [gv, g.const("up/k", f32(rng, 2, 2, 3, 2)), g.const("up/shape", i32([1, 8, 8, 3]))],
               inputs_orders=g.orders("N+C_+KC"), strides=[2, 2], implicit_padding="same")
    return g.serialize([emb, d])


def custom(rng):
    """A custom op: refused (no plugin factory), the error path of the converter."""
    g = UffGraph()
    x = g.input("in", [-1, 4, 4, 2])
    out = g.node("out", "_FlattenConcat_TRT", [x], axis=1, ignoreBatch=False)
    return g.serialize([out])


SEEDS = [
    ("cnn_nchw.uffz", NCHW_OUT, cnn),
    ("cnn_nchw_half.uffz", NCHW_OUT | HALF, cnn),
    ("depthwise_nhwc.uffz", NHWC_OUT, depthwise),
    ("mlp_nc.uffz", NC_OUT, mlp),
    ("shapes_markoutput.uffz", NCHW_MARK, shapes),
    ("gather_ids.uffz", NHWC_IDS_MARK, gather),
    ("custom_op.uffz", NCHW_OUT, custom),
]


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    os.makedirs(out_dir, exist_ok=True)
    for i, (name, preset, make) in enumerate(SEEDS):
        data = bytes([preset]) + make(np.random.RandomState(700 + i))
        assert len(data) < 20000, name
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    print("make_seeds.py: wrote %d seeds to %s" % (len(SEEDS), out_dir))


if __name__ == "__main__":
    main()
