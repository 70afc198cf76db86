#!/usr/bin/env python3
"""Small Caffe networks, one per layer type and option, with numpy references.

    make_layer_cases.py <out_dir>

Each case is a deploy prototxt, a caffemodel with seeded weights (written with Kiln's own schema,
tests/support/kiln_protos.py), an input and the output numpy computes with Caffe's semantics
(written here from the layer definitions: ceil-mode pooling that drops a window starting in the
padding, average pooling that counts padding, BatchNorm's moving-average factor, LRN across and
within channels, ...). manifest.txt has one line per case:

    name input_blob output_blob modes rtol atol

modes: "explicit" (N = 1 from input.npy[0:1]) and/or "implicit" (the whole input, batch 2).
tests/caffe/layer_cases_test.cpp parses, builds and runs each with Kiln and compares.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from kiln_protos import caffe_pb2  # noqa: E402

RNG = np.random.RandomState(20240)


# ---- numpy references -------------------------------------------------------------------------

def conv2d(x, w, b, stride=(1, 1), pad=(0, 0), dil=(1, 1), group=1):
    n, c, h, wd = x.shape
    k, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    oh = (h + 2 * pad[0] - (dil[0] * (kh - 1) + 1)) // stride[0] + 1
    ow = (wd + 2 * pad[1] - (dil[1] * (kw - 1) + 1)) // stride[1] + 1
    y = np.zeros((n, k, oh, ow), np.float64)
    kg = k // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * kg:(g + 1) * kg].astype(np.float64)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dil[0]: i * dil[0] + stride[0] * (oh - 1) + 1: stride[0],
                           j * dil[1]: j * dil[1] + stride[1] * (ow - 1) + 1: stride[1]]
                y[:, g * kg:(g + 1) * kg] += np.einsum("nchw,kc->nkhw", patch, ws[:, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def deconv2d(x, w, b, stride, pad, group=1):
    n, c, h, wd = x.shape
    _, kg, kh, kw = w.shape
    k = kg * group
    full = np.zeros((n, k, (h - 1) * stride + kh, (wd - 1) * stride + kw), np.float64)
    cg = c // group
    for g in range(group):
        for i in range(kh):
            for j in range(kw):
                contrib = np.einsum("nchw,ck->nkhw", x[:, g * cg:(g + 1) * cg], w[g * cg:(g + 1) * cg, :, i, j])
                full[:, g * kg:(g + 1) * kg, i: i + stride * (h - 1) + 1: stride, j: j + stride * (wd - 1) + 1: stride] += contrib
    y = full[:, :, pad: full.shape[2] - pad, pad: full.shape[3] - pad]
    return y + b.reshape(1, -1, 1, 1)


def caffe_pool(x, method, k, s, p, ceil=True):
    n, c, h, w = x.shape

    def extent(size, kk, ss, pp):
        span = (size + 2 * pp - kk) / ss
        o = (math.ceil(span) if ceil else math.floor(span)) + 1
        if pp > 0 and (o - 1) * ss >= size + pp:
            o -= 1
        return o

    oh, ow = extent(h, k[0], s[0], p[0]), extent(w, k[1], s[1], p[1])
    y = np.zeros((n, c, oh, ow), np.float64)
    for i in range(oh):
        for j in range(ow):
            hs, ws = i * s[0] - p[0], j * s[1] - p[1]
            if method == "max":
                he, we = min(hs + k[0], h), min(ws + k[1], w)
                hs, ws = max(hs, 0), max(ws, 0)
                y[:, :, i, j] = x[:, :, hs:he, ws:we].max(axis=(2, 3))
            else:
                he, we = min(hs + k[0], h + p[0]), min(ws + k[1], w + p[1])
                size = (he - hs) * (we - ws)
                hs, ws, he, we = max(hs, 0), max(ws, 0), min(he, h), min(we, w)
                y[:, :, i, j] = x[:, :, hs:he, ws:we].sum(axis=(2, 3)) / size
    return y


def lrn_across(x, size, alpha, beta, k):
    sq = x.astype(np.float64) ** 2
    c = x.shape[1]
    acc = np.zeros_like(sq)
    half = (size - 1) // 2
    for ch in range(c):
        acc[:, ch] = sq[:, max(0, ch - half): min(c, ch + half + 1)].sum(axis=1)
    return x / (k + alpha / size * acc) ** beta


def lrn_within(x, size, alpha, beta):
    avg = caffe_pool(x.astype(np.float64) ** 2, "ave", (size, size), (1, 1), ((size - 1) // 2,) * 2)
    return x * (1 + alpha * avg) ** (-beta)


# ---- writing ----------------------------------------------------------------------------------

def blob(arr, fp16=False, legacy=False):
    b = caffe_pb2.BlobProto()
    arr = np.asarray(arr, np.float32)
    if legacy:
        dims = [1] * (4 - arr.ndim) + list(arr.shape)
        b.num, b.channels, b.height, b.width = dims
    else:
        b.shape.dim.extend(arr.shape)
    if fp16:
        b.raw_data_type = caffe_pb2.FLOAT16
        b.raw_data = arr.astype("<f2").tobytes()
    else:
        b.data.extend(arr.ravel().tolist())
    return b


class Case:
    def __init__(self, name, in_shape, layers, weights, x, y, out="y", modes="explicit,implicit", rtol=1e-4, atol=1e-5):
        self.__dict__.update(locals())


def deploy_text(case):
    head = 'name: "%s"\ninput: "x"\ninput_shape { dim: 1 %s }\n' % (
        case.name, " ".join("dim: %d" % d for d in case.in_shape[1:]))
    return head + "\n".join(case.layers) + "\n"


def model_bytes(case):
    net = caffe_pb2.NetParameter()
    net.name = case.name
    data = net.layer.add()  # a training-only layer the parser must ignore
    data.name, data.type = "train-data", "Data"
    data.top.extend(["x", "label"])
    for name, blobs in case.weights.items():
        layer = net.layer.add()
        layer.name, layer.type = name, "Weights"
        layer.blobs.extend(blobs)
    return net.SerializeToString()


def rand(*shape, lo=-1.0, hi=1.0):
    return RNG.uniform(lo, hi, size=shape).astype(np.float32)


def layer(name, type_, bottoms, tops, params=""):
    b = " ".join('bottom: "%s"' % t for t in ([bottoms] if isinstance(bottoms, str) else bottoms))
    t = " ".join('top: "%s"' % t for t in ([tops] if isinstance(tops, str) else tops))
    return 'layer { name: "%s" type: "%s" %s %s %s }' % (name, type_, b, t, params)


# ---- the cases --------------------------------------------------------------------------------

def cases():
    out = []
    x = rand(2, 4, 9, 8)
    w = rand(6, 2, 3, 2) * 0.5
    b = rand(6)
    out.append(Case("conv_geometry", x.shape,
                    [layer("conv", "Convolution", "x", "y", "convolution_param { num_output: 6 kernel_h: 3 kernel_w: 2 "
                           "stride_h: 2 stride_w: 1 pad_h: 0 pad_w: 1 dilation: 2 group: 2 }")],
                    {"conv": [blob(w), blob(b)]}, x, conv2d(x, w, b, (2, 1), (0, 1), (2, 2), 2)))
    w = rand(3, 4, 1, 1)
    out.append(Case("conv_no_bias_fp16_blobs", x.shape,
                    [layer("conv", "Convolution", "x", "y", "convolution_param { num_output: 3 kernel_size: 1 bias_term: false }")],
                    {"conv": [blob(w, fp16=True)]}, x, conv2d(x, w.astype(np.float16).astype(np.float32), None)))
    x = rand(2, 4, 5, 6)
    w = rand(4, 3, 4, 4) * 0.5
    b = rand(6)
    out.append(Case("deconv_group", x.shape,
                    [layer("up", "Deconvolution", "x", "y", "convolution_param { num_output: 6 kernel_size: 4 stride: 2 pad: 1 group: 2 }")],
                    {"up": [blob(w), blob(b)]}, x, deconv2d(x, w, b, 2, 1, 2)))
    x = rand(2, 3, 8, 7)
    out.append(Case("pool_max_ceil_pad", x.shape, [layer("p", "Pooling", "x", "y", "pooling_param { pool: MAX kernel_size: 3 stride: 2 pad: 1 }")],
                    {}, x, caffe_pool(x, "max", (3, 3), (2, 2), (1, 1))))
    out.append(Case("pool_ave_ceil_pad", x.shape, [layer("p", "Pooling", "x", "y", "pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 }")],
                    {}, x, caffe_pool(x, "ave", (3, 3), (2, 2), (1, 1))))
    out.append(Case("pool_ave_ceil_overhang", x.shape, [layer("p", "Pooling", "x", "y", "pooling_param { pool: AVE kernel_h: 3 kernel_w: 2 stride: 2 }")],
                    {}, x, caffe_pool(x, "ave", (3, 2), (2, 2), (0, 0))))
    out.append(Case("pool_max_floor", x.shape, [layer("p", "Pooling", "x", "y", "pooling_param { pool: MAX kernel_size: 3 stride: 2 round_mode: FLOOR }")],
                    {}, x, caffe_pool(x, "max", (3, 3), (2, 2), (0, 0), ceil=False)))
    out.append(Case("pool_max_drops_padding_window", (2, 3, 5, 5),
                    [layer("p", "Pooling", "x", "y", "pooling_param { pool: MAX kernel_size: 3 stride: 3 pad: 1 }")],
                    {}, x[:, :, :5, :5], caffe_pool(x[:, :, :5, :5], "max", (3, 3), (3, 3), (1, 1))))
    out.append(Case("pool_global_ave", x.shape, [layer("p", "Pooling", "x", "y", "pooling_param { pool: AVE global_pooling: true }")],
                    {}, x, x.mean(axis=(2, 3), keepdims=True)))
    x = rand(2, 3, 4, 5)
    w = rand(60, 7) * 0.2
    b = rand(7)
    out.append(Case("inner_product_transpose", x.shape,
                    [layer("fc", "InnerProduct", "x", "y", "inner_product_param { num_output: 7 transpose: true }")],
                    {"fc": [blob(w, legacy=True), blob(b, legacy=True)]}, x, x.reshape(2, -1) @ w + b))
    x = rand(2, 3, 4, 5)
    acts = [
        ("relu_slope", 'relu_param { negative_slope: 0.1 }', "ReLU", np.where(x > 0, x, 0.1 * x)),
        ("sigmoid", "", "Sigmoid", 1 / (1 + np.exp(-x))),
        ("tanh", "", "TanH", np.tanh(x)),
        ("elu", "elu_param { alpha: 0.5 }", "ELU", np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
        ("bnll", "", "BNLL", np.log1p(np.exp(x))),
        ("absval", "", "AbsVal", np.abs(x)),
        ("clip", "clip_param { min: -0.5 max: 0.7 }", "Clip", np.clip(x, -0.5, 0.7)),
        ("power", "power_param { power: 3 scale: 0.5 shift: 1.5 }", "Power", (1.5 + 0.5 * x) ** 3),
        ("softmax_channels", "", "Softmax", np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)),
        ("softmax_axis3", "softmax_param { axis: 3 }", "Softmax", np.exp(x) / np.exp(x).sum(axis=3, keepdims=True)),
        ("softmax_with_loss", "", "SoftmaxWithLoss", np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)),
    ]
    for name, params, type_, ref in acts:
        out.append(Case(name, x.shape, [layer("a", type_, "x", "y", params)], {}, x, ref))
    out.append(Case("dropout_in_place", x.shape, [layer("t", "TanH", "x", "y"),
                    layer("d", "Dropout", "y", "y", "dropout_param { dropout_ratio: 0.3 }")], {}, x, np.tanh(x)))
    slope = rand(3, lo=0.0, hi=0.5)
    out.append(Case("prelu_channels", x.shape, [layer("pr", "PReLU", "x", "y")], {"pr": [blob(slope)]}, x,
                    np.where(x > 0, x, slope.reshape(1, 3, 1, 1) * x)))
    out.append(Case("prelu_shared", x.shape, [layer("pr", "PReLU", "x", "y", "prelu_param { channel_shared: true }")],
                    {"pr": [blob([0.2])]}, x, np.where(x > 0, x, 0.2 * x)))
    x = rand(2, 7, 5, 4)
    out.append(Case("lrn_across", x.shape, [layer("n", "LRN", "x", "y", "lrn_param { local_size: 5 alpha: 0.3 beta: 0.75 k: 2 }")],
                    {}, x, lrn_across(x, 5, 0.3, 0.75, 2.0)))
    out.append(Case("lrn_within", x.shape,
                    [layer("n", "LRN", "x", "y", "lrn_param { local_size: 3 alpha: 0.4 beta: 0.75 norm_region: WITHIN_CHANNEL }")],
                    {}, x, lrn_within(x, 3, 0.4, 0.75)))
    x = rand(2, 3, 4, 5)
    two = [layer("a", "Power", "x", "x2", "power_param { scale: 2 }"), layer("b", "TanH", "x", "x3")]
    x2, x3 = 2 * x, np.tanh(x)
    out.append(Case("eltwise_sum_coeff", x.shape, two + [layer("e", "Eltwise", ["x", "x2", "x3"], "y",
                    "eltwise_param { operation: SUM coeff: 1 coeff: -0.5 coeff: 3 }")], {}, x, x - 0.5 * x2 + 3 * x3))
    out.append(Case("eltwise_prod", x.shape, two + [layer("e", "Eltwise", ["x", "x2", "x3"], "y", "eltwise_param { operation: PROD }")],
                    {}, x, x * x2 * x3))
    out.append(Case("eltwise_max", x.shape, two + [layer("e", "Eltwise", ["x", "x2", "x3"], "y", "eltwise_param { operation: MAX }")],
                    {}, x, np.maximum(np.maximum(x, x2), x3)))
    out.append(Case("concat_channels", x.shape, two + [layer("c", "Concat", ["x", "x2", "x3"], "y")], {}, x,
                    np.concatenate([x, x2, x3], axis=1)))
    out.append(Case("concat_height", x.shape, two + [layer("c", "Concat", ["x", "x3"], "y", "concat_param { axis: 2 }")], {}, x,
                    np.concatenate([x, x3], axis=2)))
    mean, var = rand(3), rand(3, lo=0.5, hi=2.0)
    gamma, beta = rand(3, lo=0.5, hi=1.5), rand(3)
    for name, f in [("batchnorm_scale_factor", 4.0), ("batchnorm_scale_zero_factor", 0.0)]:
        g = 0.0 if f == 0 else 1.0 / f
        bn = (x - (mean * g).reshape(1, 3, 1, 1)) / np.sqrt((var * g).reshape(1, 3, 1, 1) + 1e-3)
        out.append(Case(name, x.shape, [layer("bn", "BatchNorm", "x", "x", "batch_norm_param { use_global_stats: true eps: 0.001 }"),
                                        layer("sc", "Scale", "x", "x", "scale_param { bias_term: true }"),
                                        layer("copy", "Split", "x", "y")],
                        {"bn": [blob(mean), blob(var), blob([f])], "sc": [blob(gamma), blob(beta)]}, x,
                        bn * gamma.reshape(1, 3, 1, 1) + beta.reshape(1, 3, 1, 1)))
    out.append(Case("scale_no_bias_and_bias", x.shape, [layer("sc", "Scale", "x", "s"), layer("bi", "Bias", "s", "y")],
                    {"sc": [blob(gamma)], "bi": [blob(beta)]}, x, x * gamma.reshape(1, 3, 1, 1) + beta.reshape(1, 3, 1, 1)))
    out.append(Case("crop", x.shape, [layer("small", "Pooling", "x", "s", "pooling_param { pool: MAX kernel_size: 2 stride: 2 }"),
                                      layer("cr", "Crop", ["x", "s"], "y", "crop_param { axis: 2 offset: 1 offset: 2 }")],
                    {}, x, x[:, :, 1:3, 2:5]))
    reductions = [
        ("reduction_sum_axis1", "operation: SUM axis: 1", x.reshape(2, -1).sum(axis=1)),
        ("reduction_asum_axis2_coeff", "operation: ASUM axis: 2 coeff: 2", 2 * np.abs(x).sum(axis=(2, 3))),
        ("reduction_sumsq_axis3", "operation: SUMSQ axis: -1", (x ** 2).sum(axis=3)),
        ("reduction_mean_axis1", "operation: MEAN axis: 1", x.reshape(2, -1).mean(axis=1)),
    ]
    for name, params, ref in reductions:
        out.append(Case(name, x.shape, [layer("r", "Reduction", "x", "y", "reduction_param { %s }" % params)], {}, x, ref))
    out.append(Case("reshape_infer", x.shape, [layer("r", "Reshape", "x", "y", "reshape_param { shape { dim: 0 dim: -1 dim: 2 } }")],
                    {}, x, x.reshape(2, -1, 2)))
    out.append(Case("reshape_axis_range", x.shape,
                    [layer("r", "Reshape", "x", "y", "reshape_param { shape { dim: 12 } axis: 1 num_axes: 2 }")], {}, x, x.reshape(2, 12, 5)))
    out.append(Case("permute", x.shape, [layer("p", "Permute", "x", "y", "permute_param { order: 0 order: 2 order: 3 order: 1 }")],
                    {}, x, x.transpose(0, 2, 3, 1)))
    out.append(Case("flatten", x.shape, [layer("f", "Flatten", "x", "y")], {}, x, x.reshape(2, -1)))
    out.append(Case("flatten_range", x.shape, [layer("f", "Flatten", "x", "y", "flatten_param { axis: 2 end_axis: 3 }")], {}, x,
                    x.reshape(2, 3, 20)))
    return out


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "caffe_layer_cases"
    os.makedirs(out_dir, exist_ok=True)
    # Self-check of the pooling reference against the definition on a hand-worked case: 3x3 input,
    # kernel 2, stride 2, no pad, ceil: windows rows/cols {0,1} and {2}; averages divide by the
    # window clipped to the input (no padding): [[0+1+3+4]/4, (2+5)/2], [(6+7)/2, 8/1]].
    t = np.arange(9, dtype=np.float64).reshape(1, 1, 3, 3)
    assert np.allclose(caffe_pool(t, "ave", (2, 2), (2, 2), (0, 0)), [[[[2.0, 3.5], [6.5, 8.0]]]])
    # 5 + 2·1 − 3 = 4, ceil(4/3) + 1 = 3 windows, but the third would start at 6 − 1 = 5, in the padding.
    assert caffe_pool(np.zeros((1, 1, 5, 5)), "max", (3, 3), (3, 3), (1, 1)).shape[2] == 2
    lines = []
    for c in cases():
        folder = os.path.join(out_dir, c.name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "deploy.prototxt"), "w") as f:
            f.write(deploy_text(c))
        with open(os.path.join(folder, "model.caffemodel"), "wb") as f:
            f.write(model_bytes(c))
        np.save(os.path.join(folder, "input.npy"), np.ascontiguousarray(c.x, np.float32))
        np.save(os.path.join(folder, "expected.npy"), np.ascontiguousarray(c.y, np.float32))
        lines.append("%s x %s %s %g %g" % (c.name, c.out, c.modes, c.rtol, c.atol))
    with open(os.path.join(out_dir, "manifest.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d Caffe layer cases to %s" % (len(lines), out_dir))


if __name__ == "__main__":
    main()
