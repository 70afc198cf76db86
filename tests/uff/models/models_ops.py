"""UFF test models for the element-wise, shape, reduction and gather ops (make_uff_models.py
writes them). Each returns a Model whose forward() computes the TF result with NumPy."""
import numpy as np

import tf_reference as tf
from uff_builder import F32, Model, he, rand


def unary_binary(rng):
    """Every Unary function (on inputs in its domain) and every Binary function: tensor with
    tensor, tensor with broadcast constants on either side, float16 and folded constants."""
    m = Model("unary_binary", batches=(1, 2))
    g = m.g
    x = m.input("x", "nhwc", [3, 4, 5])
    y = m.input("y", "nhwc", [3, 4, 5])
    c_half = g.const("c_half", np.float32(0.5).reshape([]))
    t9 = g.binary("t9", "mul", g.node("t", "Activation", [x], func="tanh"), g.const("c09", np.array([0.9], F32)))
    pos = g.binary("pos", "add", g.node("absx", "Unary", [x], func="abs"), c_half)
    big = g.binary("big", "add", pos, g.const("c_one", np.array([[1.0]], F32)))
    x3 = g.binary("x3", "mul", x, g.const("c3", np.array([3.0], F32)))
    arg = {"log": pos, "sqrt": pos, "rsqrt": pos, "asin": t9, "acos": t9, "atanh": t9, "acosh": big,
           "ceil": x3, "floor": x3}
    unary = {f: g.node("u_" + f, "Unary", [arg.get(f, x)], func=f) for f in sorted(tf.UNARY)}

    pos_y = g.binary("pos_y", "add", g.node("absy", "Unary", [y], func="abs"), c_half)
    binary = {}
    for f in sorted(tf.BINARY):
        lhs, rhs = (pos, y) if f == "pow" else (x, pos_y if f == "div" else y)
        binary[f] = g.binary("b_" + f, f, lhs, rhs)
    c5 = rand(rng, 5)
    c41 = rand(rng, 4, 1)
    cfull = rand(rng, 1, 3, 4, 5)
    c311 = rand(rng, 3, 1, 1, lo=0.5, hi=2.0)
    c16 = rand(rng, 5).astype(np.float16)
    fa, fb = rand(rng, 5), rand(rng, 5)
    consts = {
        "k_add_c5": g.binary("k_add_c5", "add", x, g.const("c5", c5)),
        "k_mul_c41_first": g.binary("k_mul_c41_first", "mul", g.const("c41", c41), x),
        "k_sub_full_first": g.binary("k_sub_full_first", "sub", g.const("cfull", cfull), x),
        "k_div_c311_first": g.binary("k_div_c311_first", "div", g.const("c311", c311), pos),
        "k_pow_scalar": g.binary("k_pow_scalar", "pow", pos, g.const("c_two", np.float32(2.0).reshape([]))),
        "k_min_c5": g.binary("k_min_c5", "min", x, g.const("c5b", c5 * 0.5)),
        "k_max_first": g.binary("k_max_first", "max", g.const("c5c", -c5 * 0.5), x),
        "k_add_half": g.binary("k_add_half", "add", x, g.const("c16", c16)),
        "k_add_folded": g.binary("k_add_folded", "add", x,
                                 g.binary("fold_mul", "mul", g.const("fa", fa), g.const("fb", fb))),
    }
    m.outputs = [unary[f] for f in sorted(unary)] + [binary[f] for f in sorted(binary)] + sorted(consts.values())

    def forward(i):
        xv, yv = i["x"].astype(np.float64), i["y"].astype(np.float64)
        t9v = np.tanh(xv) * np.float32(0.9)
        posv = np.abs(xv) + 0.5
        args = {"log": posv, "sqrt": posv, "rsqrt": posv, "asin": t9v, "acos": t9v, "atanh": t9v,
                "acosh": posv + 1.0, "ceil": xv * 3, "floor": xv * 3}
        out = {unary[f]: tf.UNARY[f](args.get(f, xv)) for f in unary}
        pos_yv = np.abs(yv) + 0.5
        for f in binary:
            lhs, rhs = (posv, yv) if f == "pow" else (xv, pos_yv if f == "div" else yv)
            out[binary[f]] = tf.BINARY[f](lhs, rhs)
        out[consts["k_add_c5"]] = xv + c5
        out[consts["k_mul_c41_first"]] = c41 * xv
        out[consts["k_sub_full_first"]] = cfull - xv
        out[consts["k_div_c311_first"]] = c311 / posv
        out[consts["k_pow_scalar"]] = posv ** 2
        out[consts["k_min_c5"]] = np.minimum(xv, c5 * 0.5)
        out[consts["k_max_first"]] = np.maximum(-c5 * 0.5, xv)
        out[consts["k_add_half"]] = xv + c16.astype(np.float64)
        out[consts["k_add_folded"]] = xv + (fa * fb)
        return out
    m.forward = forward
    return m


def shape_ops(rng):
    """Transpose, Reshape (int64 target, and one computed with Shape/StridedSlice/Stack),
    Flatten, Squeeze, ExpandDims, Concat, Stack, StridedSlice (masks, negative stride, shrink),
    Pad (zeros and a given value), Identity, Softmax and ArgMax on a channels-first conv output; input registered NCHW."""
    m = Model("shape_ops", batches=(1, 2))
    g = m.g
    x = m.input("in", "nchw", [6, 6, 4])
    w = he(rng, (1, 1, 4, 4), 4)
    c = g.node("conv/Conv2D", "Conv", [x, g.const("conv/kernel", w)], inputs_orders=g.orders("N+C_+CK"),
               strides=[1, 1])
    i32 = lambda name, v: g.const(name, np.array(v, np.int32))  # noqa: E731
    o = {}
    o["transpose"] = g.node("transpose", "Transpose", [c], permutation=[0, 3, 1, 2])
    o["reshape"] = g.node("reshape", "Reshape", [c, g.const("reshape/shape", np.array([-1, 36, 4], np.int64))])
    o["flatten"] = g.node("flatten", "Flatten", [c])
    rmax = g.node("rmax", "Reduce", [c], func="max", axes=[2], keepdims=True)
    sq = g.node("squeeze", "Squeeze", [rmax], axes=[2])
    o["expand"] = g.node("expand", "ExpandDims", [sq], axis=1)
    o["concat_c"] = g.node("concat_c", "Concat", [c, x], axis=3)
    o["concat_w"] = g.node("concat_w", "Concat", [c, c], axis=-2)
    rmin = g.node("rmin", "Reduce", [c], func="min", axes=[2], keepdims=False)
    o["stack"] = g.node("stack", "Stack", [sq, rmin], axis=1)
    o["slice"] = g.node("slice", "StridedSlice", [c, i32("s/b", [0, 1, 0, 1]), i32("s/e", [0, 5, 0, 2]),
                                                  i32("s/s", [1, 2, -1, 1])],
                        begin_mask=5, end_mask=5, shrink_axis_mask=8)
    o["slice_neg"] = g.node("slice_neg", "StridedSlice", [c, i32("s2/b", [0, -4]), i32("s2/e", [0, -1]),
                                                          i32("s2/s", [1, 1])], begin_mask=1, end_mask=1)
    o["pad"] = g.node("pad", "Pad", [c, i32("pad/paddings", [[0, 0], [1, 2], [0, 1], [2, 0]])])
    o["pad_value"] = g.node("pad_value", "Pad", [c, i32("pad2/paddings", [[0, 0], [0, 1], [2, 0], [0, 0]]),
                                                 g.const("pad2/value", np.float32(1.5).reshape([]))])
    shape = g.node("shape", "Shape", [c])
    batch = g.node("batch", "StridedSlice", [shape, i32("b/b", [0]), i32("b/e", [1]), i32("b/s", [1])],
                   shrink_axis_mask=1)
    target = g.node("target", "Stack", [batch, g.const("minus_one", np.array(-1, np.int32))], axis=0)
    o["reshape_dynamic"] = g.node("reshape_dynamic", "Reshape", [c, target])
    o["identity"] = g.node("identity", "Identity", [g.node("identity_in", "Identity", [c])])
    o["softmax_c"] = g.node("softmax_c", "Softmax", [c], axis=3)
    o["argmax_c"] = g.node("argmax_c", "ArgMax", [c], axis=3)
    m.outputs = [o[k] for k in sorted(o)]

    def forward(i):
        cv = tf.conv2d(i["in"], w)
        n = cv.shape[0]
        mx = cv.max(axis=2)
        return {
            o["transpose"]: cv.transpose(0, 3, 1, 2),
            o["reshape"]: cv.reshape(n, 36, 4),
            o["flatten"]: cv.reshape(n, -1),
            o["expand"]: mx[:, None],
            o["concat_c"]: np.concatenate([cv, i["in"]], axis=3),
            o["concat_w"]: np.concatenate([cv, cv], axis=-2),
            o["stack"]: np.stack([mx, cv.min(axis=2)], axis=1),
            o["slice"]: cv[:, 1:5:2, ::-1, 1],
            o["slice_neg"]: cv[:, -4:-1],
            o["pad"]: np.pad(cv, [[0, 0], [1, 2], [0, 1], [2, 0]]),
            o["pad_value"]: np.pad(cv, [[0, 0], [0, 1], [2, 0], [0, 0]], constant_values=1.5),
            o["reshape_dynamic"]: cv.reshape(n, -1),
            o["identity"]: cv,
            o["softmax_c"]: tf.softmax(cv, axis=3),
            o["argmax_c"]: cv.argmax(axis=3),
        }
    m.forward = forward
    return m


def reduce_arg(rng):
    """Every Reduce function with and without keepdims, ArgMax/ArgMin, Softmax on a middle axis."""
    m = Model("reduce_arg", batches=(1, 2))
    g = m.g
    x = m.input("in", "nhwc", [5, 4, 6])
    t = g.node("t", "Activation", [x], func="tanh")
    o = {
        "sum": g.node("r_sum", "Reduce", [x], func="sum", axes=[1, 2], keepdims=False),
        "prod": g.node("r_prod", "Reduce", [t], func="prod", axes=[3], keepdims=True),
        "min": g.node("r_min", "Reduce", [x], func="min", axes=[-1]),
        "mean": g.node("r_mean", "Reduce", [x], func="mean", axes=[1], keepdims=True),
        "max": g.node("r_max", "Reduce", [x], func="max", axes=[2, 3], keepdims=False),
        "argmax": g.node("argmax", "ArgMax", [x], axis=3),
        "argmin": g.node("argmin", "ArgMin", [x], axis=1),
        "softmax": g.node("softmax", "Softmax", [x], axis=2),
        "all": g.node("r_all", "Reduce", [x], func="sum", axes=[3, 1, 2], keepdims=False),
    }
    m.outputs = [o[k] for k in sorted(o)]

    def forward(i):
        v = i["in"].astype(np.float64)
        return {
            o["sum"]: v.sum(axis=(1, 2)), o["prod"]: np.tanh(v).prod(axis=3, keepdims=True),
            o["min"]: v.min(axis=-1), o["mean"]: v.mean(axis=1, keepdims=True), o["max"]: v.max(axis=(2, 3)),
            o["argmax"]: v.argmax(axis=3), o["argmin"]: v.argmin(axis=1), o["softmax"]: tf.softmax(v, axis=2),
            o["all"]: v.sum(axis=(1, 2, 3)),
        }
    m.forward = forward
    return m


def gather(rng):
    """Gather of a constant table by INT32 network indices (embedding), GatherV2 of a network
    tensor by constant indices (matrix and scalar), and a Gather folded from constants."""
    m = Model("gather", batches=(1, 2))
    g = m.g
    ids = m.input("ids", "nc", [5], make=lambda r, shape: r.randint(0, 10, size=shape).astype(np.int32),
                  dtype=np.int32)
    x = m.input("x", "nhwc", [4, 6])
    table = rand(rng, 10, 3)
    vec = rand(rng, 8)
    emb = g.node("embedding", "Gather", [g.const("table", table), ids], indices_dtype=0, validate_indices=True)
    g2 = g.node("gather_matrix", "GatherV2", [x, g.const("idx2", np.array([[0, 2], [3, 1]], np.int32))], axis=2)
    g3 = g.node("gather_scalar", "GatherV2", [x, g.const("idx3", np.array(2, np.int32))], axis=1)
    folded = g.node("folded", "GatherV2", [g.const("vec", vec), g.const("idxf", np.array([7, 0, 3, 3, 1, 5], np.int32))],
                    axis=0)
    g4 = g.binary("gather_plus_folded", "add", g3, folded)
    m.outputs = [emb, g2, g4]

    def forward(i):
        xv = i["x"].astype(np.float64)
        return {emb: table[i["ids"]], g2: xv[:, :, [[0, 2], [3, 1]]], g4: xv[:, 2, :] + vec[[7, 0, 3, 3, 1, 5]]}
    m.forward = forward
    return m


OP_MODELS = [unary_binary, shape_ops, reduce_arg, gather]
