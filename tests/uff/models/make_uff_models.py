#!/usr/bin/env python3
"""Writes Kiln's UFF test models: small TensorFlow-style graphs covering every op the UFF parser
supports, seeded random weights and inputs, and reference outputs computed with NumPy using TF
semantics (tf_reference.py; TensorFlow itself is not needed).

    python3 tests/uff/models/make_uff_models.py OUTDIR

OUTDIR/<model>.uff, OUTDIR/<model>.b<batch>.<in|out>.<tensor>.npy, and OUTDIR/manifest.txt
(line-based, for tests/uff/uff_models_test.cpp):

    model <name> <uff file> <float|half> <rtol> <atol> <batch sizes, comma-separated>
    input <name> <nchw|nhwc|nc> <dims without the batch, comma-separated>
    output <name>
    end

Inputs registered as nchw are stored channels first ([B, C, H, W]); the outputs follow the
parser's documented rule: with an nchw input, rank-4 TF outputs are stored [B, C, H, W], every
other output in TF order. Integer outputs (ArgMax, integer gathers) are int32.
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree when ctest runs this

try:
    import numpy as np
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from uff_builder import F32, Model, he, rand
    import tf_reference as tf
    from models_ops import OP_MODELS
except ImportError as e:  # the ctest setup step must fail loudly, not skip
    sys.stderr.write("make_uff_models.py: %s (needs numpy and protoc; see tests/support/kiln_protos.py)\n" % e)
    sys.exit(2)

# ---- models -----------------------------------------------------------------------------------

def conv_nchw(rng):
    """Strided SAME conv + bias + relu6, dilated SAME conv, VALID conv, strided conv with explicit
    padding; input registered NCHW."""
    m = Model("conv_nchw", batches=(1, 2))
    g = m.g
    x = m.input("in", "nchw", [12, 12, 3])
    w1, b1 = he(rng, (3, 3, 3, 8), 27), rand(rng, 8, lo=-0.2, hi=0.2)
    w2 = he(rng, (3, 3, 8, 6), 72)
    w3 = he(rng, (3, 3, 6, 5), 54)
    c1 = g.node("conv1/Conv2D", "Conv", [x, g.const("conv1/kernel", w1)], inputs_orders=g.orders("N+C_+CK"),
                strides=[2, 2], dilation=[1, 1], implicit_padding="same")
    c1 = g.binary("conv1/BiasAdd", "add", c1, g.const("conv1/bias", b1))
    c1 = g.node("conv1/Relu6", "Activation", [c1], func="relu6")
    c2 = g.node("conv2/Conv2D", "Conv", [c1, g.const("conv2/kernel", w2)], inputs_orders=g.orders("N+C_+CK"),
                strides=[1, 1], dilation=[2, 2], implicit_padding="same")
    c3 = g.node("conv3/Conv2D", "Conv", [c2, g.const("conv3/kernel", w3)], inputs_orders=g.orders("N+C_+CK"),
                strides=[1, 1], dilation=[1, 1])
    mean = g.node("mean", "Reduce", [c3], func="mean", axes=[1, 2], keepdims=False)
    # Explicit padding: all pre values (H, W) then all post values.
    w4 = he(rng, (2, 3, 6, 3), 36)
    c4 = g.node("conv4/Conv2D", "Conv", [c2, g.const("conv4/kernel", w4)], inputs_orders=g.orders("N+C_+CK"),
                strides=[2, 1], padding=[1, 0, 2, 1])
    m.outputs = [c3, mean, c1, c4]

    def forward(i):
        h1 = tf.ACTIVATIONS["relu6"](tf.conv2d(i["in"], w1, (2, 2), (1, 1), "SAME") + b1)
        h2 = tf.conv2d(h1, w2, (1, 1), (2, 2), "SAME")
        h3 = tf.conv2d(h2, w3, (1, 1), (1, 1), "VALID")
        h4 = tf.conv2d(h2, w4, (2, 1), (1, 1), [(1, 2), (0, 1)])
        return {c3: h3, mean: h3.mean(axis=(1, 2)), c1: h1, c4: h4}
    m.forward = forward
    return m


def depthwise_pool(rng):
    """Depthwise conv (number_groups = C), batch norm, elu, avg pool SAME, max pool, LRN; NHWC input."""
    m = Model("depthwise_pool", batches=(1, 2))
    g = m.g
    x = m.input("in", "nhwc", [10, 10, 4])
    wd = he(rng, (3, 3, 4, 2), 9)
    gamma, beta = rand(rng, 8, lo=0.5, hi=1.5), rand(rng, 8, lo=-0.5, hi=0.5)
    mean, var = rand(rng, 8, lo=-0.3, hi=0.3), rand(rng, 8, lo=0.5, hi=2.0)
    d = g.node("dw/depthwise", "Conv", [x, g.const("dw/depthwise_kernel", wd)], inputs_orders=g.orders("N+C_+CK"),
               number_groups=4, strides=[1, 1], dilation=[1, 1], implicit_padding="same")
    bn = g.node("bn/FusedBatchNorm", "BatchNorm",
                [d, g.const("bn/gamma", gamma), g.const("bn/beta", beta), g.const("bn/mean", mean),
                 g.const("bn/var", var)], epsilon=1e-3, inputs_orders=g.orders("N+C"))
    e = g.node("elu", "Activation", [bn], func="elu")
    avg = g.node("avgpool", "Pool", [e], func="avg", kernel=[3, 3], strides=[2, 2], implicit_padding="same",
                 inputs_orders=g.orders("N+C"))
    mx = g.node("maxpool", "Pool", [avg], func="max", kernel=[2, 2], strides=[1, 1], inputs_orders=g.orders("N+C"))
    n = g.node("lrn", "LRN", [mx], window_size=2, alpha=0.05, beta=0.75, k=1.5, inputs_orders=g.orders("N+C"))
    m.outputs = [n, avg]

    def forward(i):
        h = tf.depthwise_conv2d(i["in"], wd, padding="SAME")
        h = tf.ACTIVATIONS["elu"](tf.batch_norm(h, gamma, beta, mean, var, 1e-3))
        a = tf.pool(h, (3, 3), (2, 2), "SAME", "avg")
        p = tf.pool(a, (2, 2), (1, 1), "VALID", "max")
        return {n: tf.lrn(p, 2, 1.5, 0.05, 0.75), avg: a}
    m.forward = forward
    return m


def deconv(rng):
    """ConvTranspose with SAME padding (cropped) and VALID; input registered NCHW."""
    m = Model("deconv", batches=(1, 2))
    g = m.g
    x = m.input("in", "nchw", [5, 5, 4])
    w1 = he(rng, (3, 3, 6, 4), 36)
    w2 = he(rng, (3, 3, 3, 6), 54)
    d1 = g.node("up1/conv2d_transpose", "ConvTranspose",
                [x, g.const("up1/kernel", w1), g.const("up1/output_shape", np.array([1, 9, 9, 6], np.int32))],
                inputs_orders=g.orders("N+C_+KC"), strides=[2, 2], dilation=[1, 1], implicit_padding="same")
    d2 = g.node("up2/conv2d_transpose", "ConvTranspose",
                [d1, g.const("up2/kernel", w2), g.const("up2/output_shape", np.array([1, 19, 19, 3], np.int32))],
                inputs_orders=g.orders("N+C_+KC"), strides=[2, 2], dilation=[1, 1])
    m.outputs = [d2, d1]

    def forward(i):
        h1 = tf.conv2d_transpose(i["in"], w1, (9, 9), (2, 2), "SAME")
        return {d1: h1, d2: tf.conv2d_transpose(h1, w2, (19, 19), (2, 2), "VALID")}
    m.forward = forward
    return m


def mlp_nc(rng):
    """FullyConnected with CK and KC kernels, bias adds, LeakyRelu, Softmax; every activation."""
    m = Model("mlp_nc", batches=(1, 2, 3))
    g = m.g
    x = m.input("in", "nc", [16])
    w1, b1 = he(rng, (16, 12), 16), rand(rng, 12, lo=-0.2, hi=0.2)
    w2, b2 = he(rng, (10, 12), 12), rand(rng, 10, lo=-0.2, hi=0.2)  # KC
    h = g.node("fc1/MatMul", "FullyConnected", [x, g.const("fc1/kernel", w1)], inputs_orders=g.orders("NC_CK"))
    h = g.binary("fc1/BiasAdd", "add", h, g.const("fc1/bias", b1))
    h = g.node("fc1/LeakyRelu", "LeakyRelu", [h], alpha=0.1)
    logits = g.node("fc2/MatMul", "FullyConnected", [h, g.const("fc2/kernel", w2)], inputs_orders=g.orders("NC_KC"))
    logits = g.binary("fc2/BiasAdd", "add", logits, g.const("fc2/bias", b2))
    prob = g.node("prob", "Softmax", [logits], axis=-1, inputs_orders=g.orders("NC"))
    acts = [g.node("act_" + f, "Activation", [logits], func=f) for f in sorted(tf.ACTIVATIONS)]
    m.outputs = [prob] + acts

    def forward(i):
        a = i["in"].astype(np.float64) @ w1 + b1
        a = np.where(a > 0, a, 0.1 * a)
        lg = a @ w2.T.astype(np.float64) + b2
        out = {prob: tf.softmax(lg)}
        for f, name in zip(sorted(tf.ACTIVATIONS), acts):
            out[name] = tf.ACTIVATIONS[f](lg)
        return out
    m.forward = forward
    return m


def half_weights(rng):
    """Conv + batch norm + FC run with kHALF weights: the reference uses the weights (and the
    folded batch-norm scale and shift, computed in float32) rounded to float16."""
    m = Model("half_weights", weights="half", batches=(1, 2), rtol=2e-4, atol=2e-4)
    g = m.g
    x = m.input("in", "nhwc", [8, 8, 2])
    w1, b1 = he(rng, (3, 3, 2, 4), 18), rand(rng, 4, lo=-0.3, hi=0.3)
    w2, b2 = he(rng, (256, 5), 256), rand(rng, 5, lo=-0.3, hi=0.3)
    gamma, beta = rand(rng, 4, lo=0.5, hi=1.5), rand(rng, 4, lo=-0.5, hi=0.5)
    mean, var = rand(rng, 4, lo=-0.3, hi=0.3), rand(rng, 4, lo=0.5, hi=2.0)
    h = g.node("conv/Conv2D", "Conv", [x, g.const("conv/kernel", w1)], inputs_orders=g.orders("N+C_+CK"),
               strides=[1, 1], implicit_padding="same")
    h = g.binary("conv/BiasAdd", "add", h, g.const("conv/bias", b1))
    h = g.node("bn", "BatchNorm", [h, g.const("bn/gamma", gamma), g.const("bn/beta", beta), g.const("bn/mean", mean),
                                   g.const("bn/var", var)], epsilon=1e-3)
    h = g.node("flatten", "Flatten", [h])
    h = g.node("fc/MatMul", "FullyConnected", [h, g.const("fc/kernel", w2)], inputs_orders=g.orders("NC_CK"))
    out = g.binary("fc/BiasAdd", "add", h, g.const("fc/bias", b2))
    m.outputs = [out]

    def r16(a):
        return a.astype(np.float16).astype(np.float64)

    scale64 = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + 1e-3)
    scale, shift = scale64.astype(F32), (beta - mean.astype(np.float64) * scale64).astype(F32)

    def forward(i):
        h = tf.conv2d(i["in"], r16(w1), padding="SAME") + r16(b1)
        h = h * r16(scale) + r16(shift)
        return {out: h.reshape(h.shape[0], -1) @ r16(w2) + r16(b2)}
    m.forward = forward
    return m


def nchw_graph(rng):
    """A graph that is NCHW itself (orders NC+, Input [-1, C, H, W]), registered with kNHWC (the
    graph's own order): conv with full-rank strides, BN, pools and LRN on TF axis 1."""
    m = Model("nchw_graph", batches=(1, 2))
    g = m.g
    x = m.input("in", "nhwc", [3, 7, 7])
    w = he(rng, (3, 3, 3, 4), 27)
    gamma, beta = rand(rng, 4, lo=0.5, hi=1.5), rand(rng, 4, lo=-0.5, hi=0.5)
    mean, var = rand(rng, 4, lo=-0.3, hi=0.3), rand(rng, 4, lo=0.5, hi=2.0)
    c = g.node("conv", "Conv", [x, g.const("conv/kernel", w)], inputs_orders=g.orders("NC+_+CK"),
               strides=[1, 1, 2, 2], dilation=[1, 1, 1, 1], implicit_padding="same")
    bn = g.node("bn", "BatchNorm", [c, g.const("bn/gamma", gamma), g.const("bn/beta", beta), g.const("bn/mean", mean),
                                    g.const("bn/var", var)], epsilon=1e-3, inputs_orders=g.orders("NC+"))
    p = g.node("pool", "Pool", [bn], func="avg", kernel=[1, 1, 3, 3], strides=[1, 1, 1, 1], implicit_padding="same",
               inputs_orders=g.orders("NC+"))
    n = g.node("lrn", "LRN", [p], window_size=1, alpha=0.2, beta=0.5, k=2.0, inputs_orders=g.orders("NC+"))
    m.outputs = [n, c]

    def forward(i):
        h = tf.conv2d(i["in"].transpose(0, 2, 3, 1), w, (2, 2), (1, 1), "SAME")
        hc = h
        h = tf.batch_norm(h, gamma, beta, mean, var, 1e-3)
        h = tf.lrn(tf.pool(h, (3, 3), (1, 1), "SAME", "avg"), 1, 2.0, 0.2, 0.5)
        return {n: h.transpose(0, 3, 1, 2), c: hc.transpose(0, 3, 1, 2)}
    m.forward = forward
    return m


MODELS = [conv_nchw, depthwise_pool, deconv, mlp_nc, half_weights, nchw_graph]


# ---- writing ----------------------------------------------------------------------------------

def store_layout(array, order_is_nchw):
    """A TF-layout array as the network stores it (channels first for rank 4 when nchw)."""
    if order_is_nchw and array.ndim == 4:
        return np.ascontiguousarray(array.transpose(0, 3, 1, 2))
    return np.ascontiguousarray(array)


def write_model(model, out_dir, manifest, rng):
    path = model.name + ".uff"
    model.g.write(os.path.join(out_dir, path), model.outputs)
    nchw = any(order == "nchw" for _, order, _, _ in model.inputs)
    manifest.append("model %s %s %s %g %g %s" % (model.name, path, model.weights, model.rtol, model.atol,
                                                 ",".join(str(b) for b in model.batches)))
    for name, order, shape, _ in model.inputs:
        dims = [shape[-1]] + shape[:-1] if order == "nchw" else shape
        manifest.append("input %s %s %s" % (name, order, ",".join(str(d) for d in dims)))
    for name in model.outputs:
        manifest.append("output %s" % name)
    manifest.append("end")
    for batch in model.batches:
        values = {}
        for name, order, shape, make in model.inputs:
            v = make(rng, [batch] + shape) if make else rand(rng, batch, *shape)
            values[name] = v
            np.save(os.path.join(out_dir, "%s.b%d.in.%s.npy" % (model.name, batch, name.replace("/", "_"))),
                    store_layout(v, order == "nchw"))
        outputs = model.forward(values)
        for name in model.outputs:
            o = np.asarray(outputs[name])
            o = o.astype(np.int32) if np.issubdtype(o.dtype, np.integer) else o.astype(F32)
            if o.ndim == 0 or o.shape[0] != batch:
                raise SystemExit("%s: output %s has shape %s for batch %d" % (model.name, name, o.shape, batch))
            np.save(os.path.join(out_dir, "%s.b%d.out.%s.npy" % (model.name, batch, name.replace("/", "_"))),
                    store_layout(o, nchw))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    seed = 20240
    for make in MODELS + OP_MODELS:
        rng = np.random.RandomState(seed)
        seed += 1
        write_model(make(rng), out_dir, manifest, rng)
    with open(os.path.join(out_dir, "manifest.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    print("make_uff_models.py: wrote %d models to %s" % (len(MODELS) + len(OP_MODELS), out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
