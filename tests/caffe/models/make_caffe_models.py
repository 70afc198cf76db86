#!/usr/bin/env python3
"""Writes Kiln's Caffe model test set: deploy prototxts of public Caffe architectures (layer lists
written out here from the published deploy files), caffemodels with seeded random weights, the same
networks in ONNX, seeded random inputs and ONNX Runtime's outputs as the references.

    python3 tests/caffe/models/make_caffe_models.py OUTDIR [--only NAME ...] [--skip-self-test]

OUTDIR/<model>/{deploy.prototxt, weights.caffemodel, model.onnx (if under 50 MB, or --keep-onnx),
input_<blob>.npy, output_<blob>.npy}, OUTDIR/manifest.json (details) and OUTDIR/manifest.txt
(for models_test.cpp):

    model <name> <deploy path> <caffemodel path>
    input <blob> <N,C,H,W> <npy path>
    output <blob> <npy path> <rtol> <atol>
    implicit                   also parse into an implicit-batch network (input CHW, execute(1))
    half <rtol> <atol>         also parse with DataType::kHALF weights; compare with these tolerances
    end

Paths are relative to OUTDIR. An output passes when |kiln - ort| <= atol + rtol * |ort| elementwise.

The builder, and how the ONNX graphs reproduce Caffe's semantics: caffe_net.py.

Weights keep activations O(1): He-initialised convolutions and dense layers, BatchNorm statistics
calibrated on a separate random input (one ONNX Runtime pass where each BatchNorm normalises with
its input's own statistics) and then perturbed, the classifier scaled so the logits have rms 3.
Nets with LRN get inputs at pixel scale (std 50), as the originals see them, so that LRN's small
alpha has a visible effect.
"""

import argparse
import itertools
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree when ctest runs this
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
    from kiln_protos import caffe_pb2
    from caffe_net import Net, ave_divisors, caffe_pool_ref, end_pad, pool_size, run_session
except ImportError as e:  # the ctest setup step must fail loudly, not skip
    sys.stderr.write("make_caffe_models.py: missing Python module (%s). Install the pinned versions with\n"
                     "    python3 -m pip install -r tests/onnx/models/requirements.txt\n"
                     "and protoc (protobuf-compiler) for tests/support/kiln_protos.py\n" % e)
    sys.exit(2)

# rtol, and atol as a fraction of max|reference| of that output. Float32 weights and arithmetic on
# both sides; Kiln folds BatchNorm/Scale, accumulates in another order and uses its own exp, so
# bits differ at the 1e-6 relative level (1e-5 after 50 layers). A real semantic slip (floor
# instead of ceil pooling, a wrong average divisor, LRN ignored, BatchNorm factor ignored) moves
# outputs by far more than these.
RTOL, ATOL_FRAC = 1e-3, 1e-4
# kHALF parse: Kiln rounds every weight (and the BatchNorm/Scale values it folds) to half, which
# perturbs the outputs by about as much as ONNX Runtime does with fp16-rounded initializers. The
# generator measures that deviation; the tolerance is HALF_MARGIN times it (and at least the fp32
# one), with rtol HALF_RTOL.
HALF_MARGIN, HALF_RTOL = 4.0, 1e-2


# ---- architectures (layer lists of the published deploy files; batch 1) -----------------------

def lenet():
    """Caffe examples/mnist/lenet.prototxt."""
    n = Net("LeNet", seed=1)
    h = n.input("data", [1, 1, 28, 28], "layer")
    h = n.pool("pool1", n.conv("conv1", h, 20, 5), "MAX", 2, 2)
    h = n.pool("pool2", n.conv("conv2", h, 50, 5), "MAX", 2, 2)
    h = n.relu("relu1", n.ip("ip1", h, 500))
    n.softmax("prob", n.ip("ip2", h, 10))
    return n


def cifar10(full):
    """Caffe examples/cifar10/cifar10_quick.prototxt and cifar10_full.prototxt. The 3x3/2 pools
    round up (32 -> 16 -> 8 -> 4) and the AVE ones divide edge windows by their clipped size."""
    n = Net("CIFAR10_full_deploy" if full else "CIFAR10_quick_test", seed=11 if full else 10,
            input_std=50.0 if full else 1.0)
    h = n.input("data", [1, 3, 32, 32], "layer")
    h = n.relu("relu1", n.pool("pool1", n.conv("conv1", h, 32, 5, p=2), "MAX", 3, 2))
    if full:
        h = n.lrn("norm1", h, 3, 5e-05, 0.75, within=True)
    h = n.pool("pool2", n.relu("relu2", n.conv("conv2", h, 32, 5, p=2)), "AVE", 3, 2)
    if full:
        h = n.lrn("norm2", h, 3, 5e-05, 0.75, within=True)
    h = n.pool("pool3", n.relu("relu3", n.conv("conv3", h, 64, 5, p=2)), "AVE", 3, 2)
    h = n.ip("ip1", h, 10) if full else n.ip("ip2", n.ip("ip1", h, 64), 10)
    n.softmax("prob", h)
    return n


def alexnet():
    """BVLC models/bvlc_alexnet/deploy.prototxt (LRN before pooling, group-2 convolutions)."""
    n = Net("AlexNet", seed=3, input_std=50.0)
    h = n.input("data", [1, 3, 227, 227], "layer")
    h = n.relu("relu1", n.conv("conv1", h, 96, 11, s=4))
    h = n.pool("pool1", n.lrn("norm1", h, 5, 1e-4, 0.75), "MAX", 3, 2)
    h = n.relu("relu2", n.conv("conv2", h, 256, 5, p=2, g=2))
    h = n.pool("pool2", n.lrn("norm2", h, 5, 1e-4, 0.75), "MAX", 3, 2)
    h = n.relu("relu3", n.conv("conv3", h, 384, 3, p=1))
    h = n.relu("relu4", n.conv("conv4", h, 384, 3, p=1, g=2))
    h = n.pool("pool5", n.relu("relu5", n.conv("conv5", h, 256, 3, p=1, g=2)), "MAX", 3, 2)
    for i in (6, 7):
        h = n.dropout("drop%d" % i, n.relu("relu%d" % i, n.ip("fc%d" % i, h, 4096)))
    n.softmax("prob", n.ip("fc8", h, 1000))
    return n


def googlenet():
    """BVLC models/bvlc_googlenet/deploy.prototxt: 9 inception modules; every 3x3/2 pool rounds
    up (112 -> 56 -> 28 -> 14 -> 7)."""
    n = Net("GoogleNet", seed=4, input_std=50.0)
    h = n.input("data", [1, 3, 224, 224], "layer")
    h = n.relu("conv1/relu_7x7", n.conv("conv1/7x7_s2", h, 64, 7, s=2, p=3))
    h = n.lrn("pool1/norm1", n.pool("pool1/3x3_s2", h, "MAX", 3, 2), 5, 1e-4, 0.75)
    h = n.relu("conv2/relu_3x3_reduce", n.conv("conv2/3x3_reduce", h, 64, 1))
    h = n.relu("conv2/relu_3x3", n.conv("conv2/3x3", h, 192, 3, p=1))
    h = n.pool("pool2/3x3_s2", n.lrn("conv2/norm2", h, 5, 1e-4, 0.75), "MAX", 3, 2)

    def inception(tag, x, c1, c3r, c3, c5r, c5, cp):
        p = "inception_%s/" % tag
        a = n.relu(p + "relu_1x1", n.conv(p + "1x1", x, c1, 1))
        b = n.relu(p + "relu_3x3_reduce", n.conv(p + "3x3_reduce", x, c3r, 1))
        b = n.relu(p + "relu_3x3", n.conv(p + "3x3", b, c3, 3, p=1))
        c = n.relu(p + "relu_5x5_reduce", n.conv(p + "5x5_reduce", x, c5r, 1))
        c = n.relu(p + "relu_5x5", n.conv(p + "5x5", c, c5, 5, p=2))
        d = n.relu(p + "relu_pool_proj", n.conv(p + "pool_proj", n.pool(p + "pool", x, "MAX", 3, 1, 1), cp, 1))
        return n.concat(p + "output", [a, b, c, d])

    h = inception("3b", inception("3a", h, 64, 96, 128, 16, 32, 32), 128, 128, 192, 32, 96, 64)
    h = n.pool("pool3/3x3_s2", h, "MAX", 3, 2)
    for tag, widths in (("4a", (192, 96, 208, 16, 48, 64)), ("4b", (160, 112, 224, 24, 64, 64)),
                        ("4c", (128, 128, 256, 24, 64, 64)), ("4d", (112, 144, 288, 32, 64, 64)),
                        ("4e", (256, 160, 320, 32, 128, 128))):
        h = inception(tag, h, *widths)
    h = n.pool("pool4/3x3_s2", h, "MAX", 3, 2)
    h = inception("5b", inception("5a", h, 256, 160, 320, 32, 128, 128), 384, 192, 384, 48, 128, 128)
    h = n.dropout("pool5/drop_7x7_s1", n.pool("pool5/7x7_s1", h, "AVE", 7, 1), 0.4)
    n.softmax("prob", n.ip("loss3/classifier", h, 1000))
    return n


def squeezenet(version):
    """DeepScale SqueezeNet v1.0 / v1.1 deploy.prototxt: fire modules (squeeze 1x1, expand 1x1 and
    3x3, Concat), ceil-mode 3x3/2 pools, conv10 + global AVE pool + Softmax."""
    v11 = version == "1.1"
    n = Net("SqueezeNet_v" + version, seed=12 if v11 else 13)
    h = n.input("data", [1, 3, 227, 227], "layer" if v11 else "shape")
    h = n.relu("relu_conv1", n.conv("conv1", h, 64, 3, s=2) if v11 else n.conv("conv1", h, 96, 7, s=2))

    def fire(i, x, s, e):
        p = "fire%d/" % i
        sq = n.relu(p + "relu_squeeze1x1", n.conv(p + "squeeze1x1", x, s, 1))
        a = n.relu(p + "relu_expand1x1", n.conv(p + "expand1x1", sq, e, 1))
        b = n.relu(p + "relu_expand3x3", n.conv(p + "expand3x3", sq, e, 3, p=1))
        return n.concat(p + "concat", [a, b])

    pools_after = (1, 3, 5) if v11 else (1, 4, 8)
    h = n.pool("pool1", h, "MAX", 3, 2)
    for i, (s, e) in enumerate([(16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192),
                                (64, 256), (64, 256)], start=2):
        h = fire(i, h, s, e)
        if i in pools_after:
            h = n.pool("pool%d" % i, h, "MAX", 3, 2)
    h = n.relu("relu_conv10", n.conv("conv10", n.dropout("drop9", h), 1000, 1, p=0 if v11 else 1))  # v1.0: 15x15
    n.softmax("prob", n.pool("pool10", h, "AVE", global_pool=True))
    return n


def mobilenet_v1():
    """shicai/MobileNet-Caffe mobilenet_deploy.prototxt: depthwise = group convolution, each
    convolution followed by BatchNorm + Scale + ReLU. Every BatchNorm stores factor 0 here (Caffe
    then uses zero mean and variance): the Scale layers carry the normalisation."""
    n = Net("MOBILENET", seed=21)
    h = n.input("data", [1, 3, 224, 224], "dim")

    def unit(name, relu_name, x, cout, k, s, g=1):
        h = n.conv(name, x, cout, k, s=s, p=k // 2, g=g, bias=False)
        n.bn_scale(name + "/bn", name + "/scale", h, factor=0.0, eps=1e-5)
        return n.relu(relu_name, h)

    h, cin = unit("conv1", "relu1", h, 32, 3, 2), 32
    for tag, cout, s in [("2_1", 64, 1), ("2_2", 128, 2), ("3_1", 128, 1), ("3_2", 256, 2), ("4_1", 256, 1),
                         ("4_2", 512, 2)] + [("5_%d" % i, 512, 1) for i in range(1, 6)] + [("5_6", 1024, 2),
                                                                                            ("6", 1024, 1)]:
        h = unit("conv%s/dw" % tag, "relu%s/dw" % tag, h, cin, 3, s, g=cin)
        h, cin = unit("conv%s/sep" % tag, "relu%s/sep" % tag, h, cout, 1, 1), cout
    h = n.pool("pool6", h, "AVE", global_pool=True)
    n.softmax("prob", n.conv("fc7", h, 1000, 1))
    return n


def mobilenet_v2():
    """shicai/MobileNet-Caffe mobilenet_v2_deploy.prototxt: inverted residuals (expand 1x1, depthwise
    3x3, linear 1x1, each with BatchNorm to "<conv>/bn" + Scale in place; Eltwise SUM when the shape
    is kept). As published, the 64-wide blocks keep the resolution and the first 96-wide one has
    stride 2; names count on after each stride-2 block (conv4_7 -> conv5_1). ReLU6 is written as
    Clip 0..6 here (the original has ReLU). BatchNorm factors are 999.98, as Caffe's solver leaves them."""
    n = Net("MOBILENET_V2", seed=22)
    h = n.input("data", [1, 3, 224, 224], "dim")

    def unit(name, x, cout, k, s=1, g=1, act=True, gamma=(0.7, 1.3)):
        h = n.conv(name, x, cout, k, s=s, p=k // 2, g=g, bias=False)
        h = n.bn_scale(name + "/bn", name + "/scale", h, factor=999.98, gamma=gamma, top=name + "/bn")
        return n.clip(name.replace("conv", "relu", 1), h, 0.0, 6.0) if act else h

    h, cin, major, minor = unit("conv1", h, 32, 3, 2), 32, 2, 0
    for t, c, reps, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 1), (6, 96, 3, 2),
                          (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(reps):
            minor += 1
            tag = "conv%d_%d" % (major, minor)
            stride = s if i == 0 else 1
            y = unit(tag + "/expand", h, cin * t, 1)
            y = unit(tag + "/dwise", y, cin * t, 3, s=stride, g=cin * t)
            y = unit(tag + "/linear", y, c, 1, act=False, gamma=(0.3, 0.8))
            if stride == 1 and cin == c:
                y = n.eltwise_sum("block_%d_%d" % (major, minor), [h, y])
            h, cin = y, c
            if stride == 2:
                major, minor = major + 1, 0
    h = n.pool("pool6", unit("conv6_4", h, 1280, 1), "AVE", global_pool=True)
    n.softmax("prob", n.conv("fc7", h, 1000, 1))
    return n


def resnet50():
    """KaimingHe/deep-residual-networks ResNet-50-deploy.prototxt: legacy input_dim, stride 2 on
    the first 1x1 of a stage, BatchNorm (use_global_stats) + Scale (bias_term) in place after every
    convolution, Eltwise SUM + ReLU, AVE pool 7, fc1000, prob. BatchNorm factors 0.9..1.1."""
    n = Net("ResNet-50", seed=50)
    h = n.input("data", [1, 3, 224, 224], "dim")

    def unit(name, x, cout, k, s=1, relu=True, gamma=(0.7, 1.3)):
        suffix = name[3:] if name.startswith("res") else "_" + name  # bn2a_branch2a, bn_conv1
        h = n.conv(name, x, cout, k, s=s, p=(k - 1) // 2, bias=name == "conv1")  # only conv1 has a bias
        n.bn_scale("bn" + suffix, "scale" + suffix, h, factor=float(n.rng.uniform(0.9, 1.1)), gamma=gamma)
        return n.relu(name + "_relu", h) if relu else h

    h = n.pool("pool1", unit("conv1", h, 64, 7, 2), "MAX", 3, 2)
    for stage, (blocks, w) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)], start=2):
        for j in range(blocks):
            tag = "res%d%s" % (stage, "abcdef"[j])
            s = 2 if j == 0 and stage > 2 else 1
            sc = unit(tag + "_branch1", h, 4 * w, 1, s, relu=False) if j == 0 else h
            y = unit(tag + "_branch2a", h, w, 1, s)
            y = unit(tag + "_branch2b", y, w, 3)
            y = unit(tag + "_branch2c", y, 4 * w, 1, relu=False, gamma=(0.1, 0.4))
            h = n.relu(tag + "_relu", n.eltwise_sum(tag, [sc, y]))
    h = n.pool("pool5", h, "AVE", 7, 1)
    n.softmax("prob", n.ip("fc1000", h, 1000))
    return n


def mtcnn_rnet():
    """MTCNN det2.prototxt (R-Net): PReLU after every convolution and the 128-wide InnerProduct,
    ceil-mode 3x3/2 pools (22 -> 11 -> 4), two heads: prob1 (Softmax) and conv5-2 (box offsets)."""
    n = Net("RNet", seed=30, logit_rms=1.0)  # two classes: 0.9/0.1 rather than saturated
    h = n.input("data", [1, 3, 24, 24], "dim")
    h = n.pool("pool1", n.prelu("prelu1", n.conv("conv1", h, 28, 3)), "MAX", 3, 2)
    h = n.pool("pool2", n.prelu("prelu2", n.conv("conv2", h, 48, 3)), "MAX", 3, 2)
    h = n.prelu("prelu3", n.conv("conv3", h, 64, 2))
    h = n.prelu("prelu4", n.ip("conv4", h, 128))
    logits, classifier = n.ip("conv5-1", h, 2), n.last_weighted
    n.output(n.ip("conv5-2", h, 4))
    n.softmax("prob1", logits, classifier)
    return n


# name -> (factory, options). The deploy's input form (Input layer, input + input_shape, input +
# input_dim) is the published one, set in each factory. Caffemodel variants: snapshot (Data/loss/
# Accuracy layers around the weights), legacy (num/channels/height/width blob shapes), v1
# (NetParameter field 2, V1LayerParameter), fp16 (NVCaffe raw_data FLOAT16). implicit: also test
# an implicit-batch network; half: also test a DataType::kHALF parse.
MODELS = {
    "lenet": (lenet, {"snapshot": True, "implicit": True}),
    "cifar10_quick": (lambda: cifar10(False), {"snapshot": True, "legacy": True, "implicit": True}),
    "cifar10_full": (lambda: cifar10(True), {"snapshot": True, "legacy": True, "v1": True}),
    "alexnet": (alexnet, {"snapshot": True}),
    "googlenet": (googlenet, {"fp16": True}),
    "squeezenet1_0": (lambda: squeezenet("1.0"), {}),
    "squeezenet1_1": (lambda: squeezenet("1.1"), {"implicit": True}),
    "mobilenet_v1": (mobilenet_v1, {}),
    "mobilenet_v2": (mobilenet_v2, {"half": True}),
    "resnet50": (resnet50, {}),
    "mtcnn_rnet": (mtcnn_rnet, {}),
}


# ---- self-tests of the emulation and of the written files --------------------------------------

def self_test(so):
    """ONNX emulation of Caffe pooling and of LRN WITHIN_CHANNEL against numpy transcriptions."""
    # Output sizes worked out by hand from Caffe's PoolingLayer::Reshape.
    assert [pool_size(112, 3, 2, 0), pool_size(32, 3, 2, 0), pool_size(13, 3, 2, 0, ceil=False)] == [56, 16, 6]
    assert [pool_size(3, 2, 2, 1), pool_size(5, 2, 2, 1), pool_size(14, 3, 1, 1)] == [2, 3, 14]  # 1st: 3 -> 2
    assert list(ave_divisors(16, 3, 2, 0, 8)) == [3] * 7 + [2] and list(ave_divisors(3, 2, 2, 1, 2)) == [2, 2]
    rng = np.random.default_rng(7)
    cases = 0
    for h, k, s, ave, ceil in itertools.product(range(3, 12), range(1, 5), range(1, 4), (0, 1), (1, 0)):
        for p in range(k):
            w = h + 1
            if h + 2 * p < k or max(end_pad(h, k, s, p, ceil), end_pad(w, k, s, p, ceil)) >= k:
                continue  # Caffe refuses it, or ONNX Runtime cannot pad that far
            n = Net("pooltest", 0)
            x = rng.standard_normal((1, 2, h, w)).astype(np.float32)
            n.input("x", list(x.shape), "shape")
            y, oh, ow = n.pool_onnx("x", h, w, ave, k, s, p, ceil)
            n.output(n.set("y", y, (1, 2, oh, ow)))
            got = run_session(n.onnx_model(), so).run(["y"], {"x": x})[0]
            ref = caffe_pool_ref(x, ave, k, s, p, ceil)
            if got.shape != ref.shape or not np.allclose(got, ref, rtol=1e-5, atol=1e-6):
                raise AssertionError("pooling emulation differs from Caffe: H %d W %d k %d s %d p %d %s %s" % (
                    h, w, k, s, p, "AVE" if ave else "MAX", "ceil" if ceil else "floor"))
            cases += 1
    # LRN WITHIN_CHANNEL: x / (1 + alpha/size^2 * sum of x^2 over the zero-padded size x size window)^beta
    n = Net("lrntest", 0)
    x = (rng.standard_normal((1, 3, 7, 6)) * 40).astype(np.float32)
    n.input("x", list(x.shape), "shape")
    n.output(n.lrn("y", "x", 3, 5e-5, 0.75, within=True))
    got = run_session(n.onnx_model(), so).run(["y"], {"x": x})[0]
    padded = np.pad(x.astype(np.float64) ** 2, ((0, 0), (0, 0), (1, 1), (1, 1)))
    window = sum(padded[:, :, i:i + 7, j:j + 6] for i in range(3) for j in range(3))
    ref = x / (1 + 5e-5 / 9 * window) ** 0.75
    assert np.allclose(got, ref, rtol=1e-5, atol=1e-5), "LRN WITHIN_CHANNEL emulation"
    return cases + 1


def verify_caffemodel(net, path, opts):
    """Reads the caffemodel back with the parser's schema and checks every weighted layer's blobs."""
    with open(path, "rb") as f:
        msg = caffe_pb2.NetParameter.FromString(f.read())
    layers = {l.name: l for l in (msg.layers if opts.get("v1") else msg.layer)}
    assert not (msg.layers and msg.layer)
    for e in net.entries:
        if not e["blobs"]:
            continue
        layer = layers[e["lp"].name]
        assert len(layer.blobs) == len(e["blobs"]), e["lp"].name
        for b, arr in zip(layer.blobs, e["blobs"]):
            if opts.get("legacy"):
                dims = [b.num, b.channels, b.height, b.width]
                want = [1] * (4 - arr.ndim) + list(arr.shape)
            else:
                dims, want = list(b.shape.dim), list(arr.shape)
            if opts.get("fp16"):
                assert b.raw_data_type == caffe_pb2.FLOAT16 and not len(b.data)
                data = np.frombuffer(b.raw_data, dtype="<f2").astype(np.float32)
            else:
                data = np.array(b.data, dtype=np.float32)
            assert dims == want and np.array_equal(data, arr.reshape(-1)), "blob of %s" % e["lp"].name


# ---- writing one model -------------------------------------------------------------------------

def build(name, outdir, so, check, keep_onnx=False):
    factory, opts = MODELS[name]
    t0 = time.time()
    net = factory()
    (inp, shape), = net.inputs
    rng = np.random.default_rng(1000 + sum(map(ord, name)))
    calib = (rng.standard_normal(shape, dtype=np.float32) * np.float32(net.input_std)).astype(np.float32)
    x = (rng.standard_normal(shape, dtype=np.float32) * np.float32(net.input_std)).astype(np.float32)
    net.calibrate(so, {inp: calib})
    if opts.get("fp16"):
        net.round_weights_fp16()  # the reference uses exactly the stored half values
    mdir = os.path.join(outdir, name)
    os.makedirs(mdir, exist_ok=True)
    rel = lambda f: os.path.join(name, f)
    net.write_deploy(os.path.join(outdir, rel("deploy.prototxt")))
    caffemodel = os.path.join(outdir, rel("weights.caffemodel"))
    net.write_caffemodel(caffemodel, **{k: opts.get(k, False) for k in ("v1", "legacy", "fp16", "snapshot")})
    model = net.onnx_model()
    if model.ByteSize() < 50e6 or keep_onnx:  # AlexNet's and ResNet-50's only with --keep-onnx
        onnx.save(model, os.path.join(outdir, rel("model.onnx")))
    np.save(os.path.join(outdir, rel("input_%s.npy" % inp)), x)
    t1 = time.time()
    results = run_session(model, so).run(net.outputs, {inp: x})
    ort_seconds = time.time() - t1
    entry = {"name": name, "deploy": rel("deploy.prototxt"), "caffemodel": rel("weights.caffemodel"),
             "onnx": rel("model.onnx") if os.path.exists(os.path.join(outdir, rel("model.onnx"))) else None,
             "input": {"blob": inp, "shape": shape, "npy": rel("input_%s.npy" % inp), "std": net.input_std},
             "variants": sorted(k for k, v in opts.items() if v), "layers": len(net.deploy.layer),
             "params": int(sum(a.size for e in net.entries for a in e["blobs"])),
             "caffemodel_bytes": os.path.getsize(caffemodel), "ort_seconds": round(ort_seconds, 3), "outputs": []}
    half = run_session(net.onnx_model(round16=True), so).run(net.outputs, {inp: x}) if opts.get("half") else None
    for k, (blob, value) in enumerate(zip(net.outputs, results)):
        scale = float(np.max(np.abs(value)))
        if not np.all(np.isfinite(value)) or scale > 1e4 or scale < 1e-3:
            raise RuntimeError("%s: output %s is not O(1) (max %g)" % (name, blob, scale))
        path = rel("output_%s.npy" % blob.replace("/", "_"))
        np.save(os.path.join(outdir, path), value)
        out = {"blob": blob, "npy": path, "shape": list(value.shape), "max_abs": scale, "std": float(np.std(value)),
               "rtol": RTOL, "atol": float("%.3g" % (ATOL_FRAC * scale))}
        if half is not None:
            dev = float(np.max(np.abs(half[k] - value)))
            out["half_deviation"] = dev
            out["half_rtol"], out["half_atol"] = HALF_RTOL, float("%.3g" % max(HALF_MARGIN * dev, out["atol"]))
        entry["outputs"].append(out)
    if check and entry["caffemodel_bytes"] < 40e6:
        verify_caffemodel(net, caffemodel, opts)
    entry["implicit"] = bool(opts.get("implicit"))
    entry["seconds"] = round(time.time() - t0, 2)
    return entry


def write_text_manifest(path, entries):
    lines = ["# Kiln Caffe model manifest (written by make_caffe_models.py); paths relative to this file",
             "# tolerances: pass if |kiln - ort| <= atol + rtol*|ort| elementwise; rtol %g, atol %g x max|ort| "
             "(float32 on both sides: only accumulation order, BatchNorm/Scale folding and exp differ)"
             % (RTOL, ATOL_FRAC),
             "# half: DataType::kHALF weights; atol = %g x the deviation ONNX Runtime shows with fp16-rounded "
             "initializers" % HALF_MARGIN]
    for e in entries:
        lines.append("model %s %s %s" % (e["name"], e["deploy"], e["caffemodel"]))
        i = e["input"]
        lines.append("input %s %s %s" % (i["blob"], ",".join(map(str, i["shape"])), i["npy"]))
        for o in e["outputs"]:
            lines.append("output %s %s %g %g" % (o["blob"], o["npy"], o["rtol"], o["atol"]))
        if e["implicit"]:
            lines.append("implicit")
        if "half_atol" in e["outputs"][0]:
            lines.append("half %g %g" % (e["outputs"][0]["half_rtol"], max(o["half_atol"] for o in e["outputs"])))
        lines.append("end")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--only", nargs="*", choices=sorted(MODELS), help="build only these models")
    ap.add_argument("--skip-self-test", action="store_true")
    ap.add_argument("--keep-onnx", action="store_true", help="also write the ONNX models over 50 MB")
    ap.add_argument("--threads", type=int, default=2, help="ONNX Runtime intra-op threads")
    args = ap.parse_args()
    start = time.time()
    os.makedirs(args.outdir, exist_ok=True)
    manifest_txt = os.path.join(args.outdir, "manifest.txt")
    if os.path.exists(manifest_txt):
        os.remove(manifest_txt)  # a failed run must not leave an old manifest behind
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # each node as written
    if not args.skip_self_test:
        t0 = time.time()
        print("self-test: %d pooling/LRN cases match Caffe's formulas (%.1f s)" % (self_test(so), time.time() - t0))
    entries = []
    for name in (args.only or list(MODELS)):
        e = build(name, args.outdir, so, not args.skip_self_test, args.keep_onnx)
        entries.append(e)
        print("%-14s %3d layers %9d params %6.1f MB  ort %.3f s  total %5.2f s  %-26s %s" % (
            name, e["layers"], e["params"], e["caffemodel_bytes"] / 1e6, e["ort_seconds"], e["seconds"],
            ",".join(e["variants"]), ", ".join("%s%s max %.3g" % (o["blob"], o["shape"], o["max_abs"])
                                               for o in e["outputs"])))
    manifest = {"generator": "tests/caffe/models/make_caffe_models.py",
                "versions": {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__},
                "reference": "onnxruntime CPUExecutionProvider, graph optimizations disabled", "models": entries}
    with open(os.path.join(args.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    write_text_manifest(manifest_txt, entries)
    print("wrote %d models to %s in %.1f s" % (len(entries), args.outdir, time.time() - start))


if __name__ == "__main__":
    main()
