#!/usr/bin/env python3
"""Writes Kiln's real-model ONNX test set: architectures built with onnx.helper, seeded random
weights, seeded random inputs, and the ONNX Runtime (CPUExecutionProvider) outputs as references.

    python3 tests/onnx/models/make_models.py OUTDIR [--only NAME ...]

(--only is for debugging: the manifests then list only those models.) Takes a few seconds.

OUTDIR/<model>/model.onnx, OUTDIR/<model>/*.npy, and two manifests listing the same things:
OUTDIR/manifest.json (for Python tools) and OUTDIR/manifest.txt (line-based, for the C++ test):

    model <name> <onnx path> <opset>
    profile <input> <min dims> <opt dims> <max dims>     (dims comma-separated; only dynamic inputs)
    run <label>
    input <name> <npy path for Kiln> <npy path for ONNX Runtime>
    output <name> <npy path> <rtol> <atol>
    end

Paths are relative to OUTDIR. An output passes when every element has |kiln - ort| <= atol +
rtol * |ort|; atol is given absolute, already scaled by the output's magnitude (see TOLERANCES).
INT64 inputs (token ids) are also written as INT32 copies: TensorRT-style engines take INT64
network inputs as INT32.

Weights are realistic in scale so activations stay O(1): He-initialised convolutions, batch-norm
running statistics calibrated on random images (as training leaves them) and then perturbed,
small gammas on the last batch-norm of each residual branch, 1/sqrt(fan_in) dense layers.
"""

import argparse
import json
import math
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree when ctest runs this

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    import onnxruntime as ort
    from graph_builder import GraphBuilder
except ImportError as e:  # the ctest setup step must fail loudly, not skip
    sys.stderr.write(
        "make_models.py: missing Python module (%s). Install the pinned versions with\n"
        "    python3 -m pip install -r tests/onnx/models/requirements.txt\n" % e)
    sys.exit(2)

# Relative tolerance, and absolute tolerance as a fraction of max|reference| of that output.
# Float32 everywhere; Kiln may fold batch-norm into convolutions, reorder accumulations and use
# other exp/erf implementations, so bit-exactness is not expected. Measured: ONNX Runtime with all
# graph optimizations (Conv+BN folding, fusions) differs from the unoptimized reference by at most
# 5% of these tolerances on every model, while a real bug moves outputs by far more (batch-norm
# epsilon 1e-3 instead of 1e-5 in resnet18: 14x the tolerance; the attention mask ignored: 860x).
TOLERANCES = {
    "cnn": (1e-3, 1e-4),
    # Softmax outputs are ~1e-3 each; errors in the logits propagate relatively, so the same
    # rtol holds and atol scaled to the largest probability is still tight.
    "softmax": (1e-3, 1e-4),
    # Four transformer blocks with LayerNorm (which divides by a computed std) and erf-GELU.
    # Same thresholds; stated separately so a looser one, if ever needed, is explained here.
    "transformer": (1e-3, 1e-4),
}


# ---- architectures ---------------------------------------------------------------------------

def resnet(name, depth, width, size, opset, seed):
    """torchvision-style ResNet (v1.5: stride on the 3x3 of a bottleneck)."""
    g = GraphBuilder(name, opset, seed)
    x = g.add_input("input", TensorProto.FLOAT, [1, 3, size, size])
    base = int(64 * width)
    h = g.relu(g.bn(g.conv(x, 3, base, 7, 2, 3), base))
    h = g.op("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    blocks = {18: [2, 2, 2, 2], 50: [3, 4, 6, 3]}[depth]
    bottleneck = depth >= 50
    expansion = 4 if bottleneck else 1
    cin = base
    for stage, n in enumerate(blocks):
        w = base * (2 ** stage)
        for b in range(n):
            stride = 2 if (stage > 0 and b == 0) else 1
            cout = w * expansion
            if bottleneck:
                y = g.relu(g.bn(g.conv(h, cin, w, 1), w))
                y = g.relu(g.bn(g.conv(y, w, w, 3, stride, 1), w))
                y = g.bn(g.conv(y, w, cout, 1), cout, gamma=(0.1, 0.4))
            else:
                y = g.relu(g.bn(g.conv(h, cin, w, 3, stride, 1), w))
                y = g.bn(g.conv(y, w, w, 3, 1, 1), w, gamma=(0.1, 0.4))
            if stride != 1 or cin != cout:
                sc = g.bn(g.conv(h, cin, cout, 1, stride), cout)
            else:
                sc = h
            h = g.relu(g.op("Add", [y, sc]))
            cin = cout
    h = g.op("GlobalAveragePool", [h])
    h = g.op("Flatten", [h], axis=1)
    g.add_output(g.linear_gemm(h, cin, 1000), "logits")
    return g, {"input": ("normal", [1, 3, size, size])}, "cnn"


def mobilenetv2(size, opset, seed):
    g = GraphBuilder("mobilenetv2", opset, seed)
    x = g.add_input("input", TensorProto.FLOAT, [1, 3, size, size])
    lo, hi = g.f32("clip_min", 0.0), g.f32("clip_max", 6.0)  # shared by every Clip

    def relu6(t):
        return g.op("Clip", [t, lo, hi])

    h = relu6(g.bn(g.conv(x, 3, 32, 3, 2, 1), 32))
    cin = 32
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                       (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = cin * t
            y = h
            if t != 1:
                y = relu6(g.bn(g.conv(y, cin, hidden, 1), hidden))
            y = relu6(g.bn(g.conv(y, hidden, hidden, 3, stride, 1, group=hidden), hidden))
            y = g.bn(g.conv(y, hidden, c, 1), c, gamma=(0.3, 0.8))
            if stride == 1 and cin == c:
                y = g.op("Add", [h, y])
            h, cin = y, c
    h = relu6(g.bn(g.conv(h, cin, 1280, 1), 1280))
    h = g.op("GlobalAveragePool", [h])
    h = g.op("Flatten", [h], axis=1)
    g.add_output(g.linear_gemm(h, 1280, 1000), "logits")
    return g, {"input": ("normal", [1, 3, size, size])}, "cnn"


def squeezenet(size, opset, seed):
    """SqueezeNet 1.1. At 161x161 every ceil_mode MaxPool rounds up (80 -> 40 -> 20 -> 10, where
    floor would give 39 -> 19 -> 9)."""
    g = GraphBuilder("squeezenet", opset, seed)
    x = g.add_input("data", TensorProto.FLOAT, [1, 3, size, size])

    def pool(t):
        return g.op("MaxPool", [t], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)

    def fire(t, cin, s, e1, e3):
        sq = g.relu(g.conv(t, cin, s, 1, bias=True))
        a = g.relu(g.conv(sq, s, e1, 1, bias=True))
        b = g.relu(g.conv(sq, s, e3, 3, 1, 1, bias=True))
        return g.op("Concat", [a, b], axis=1)

    h = pool(g.relu(g.conv(x, 3, 64, 3, 2, 0, bias=True)))
    h = pool(fire(fire(h, 64, 16, 64, 64), 128, 16, 64, 64))
    h = pool(fire(fire(h, 128, 32, 128, 128), 256, 32, 128, 128))
    h = fire(fire(h, 256, 48, 192, 192), 384, 48, 192, 192)
    h = fire(fire(h, 384, 64, 256, 256), 512, 64, 256, 256)
    h = g.relu(g.conv(h, 512, 1000, 1, bias=True))
    # Global pooling as the Caffe models write it: an AveragePool with the full window.
    side = (size - 3) // 2 + 1
    for _ in range(3):
        side = -(-(side - 3) // 2) + 1
    h = g.op("AveragePool", [h], kernel_shape=[side, side], strides=[1, 1])
    h = g.op("Flatten", [h], axis=1)
    # Scale the logits to a realistic spread before the softmax (a trained net is confident).
    h = g.op("Mul", [h, g.f32("logit_scale", 4.0)])
    g.add_output(g.op("Softmax", [h], axis=1), "prob")
    return g, {"data": ("normal", [1, 3, size, size])}, "softmax"


def bert(name, blocks, hidden, heads, seq, vocab, opset, seed, ln_op=False, with_mask=True):
    """BERT-style encoder as PyTorch/HF exports it: embeddings (Gather), position ids sliced by
    the sequence length read from Shape, LayerNorm spelled out (or the opset-17 op), attention
    with head reshapes built from Shape->Gather->Unsqueeze->Concat, erf-GELU, and a pooler."""
    g = GraphBuilder(name, opset, seed)
    dh = hidden // heads
    ffn = 4 * hidden
    ids = g.add_input("input_ids", TensorProto.INT64, [1, seq])
    inputs = {"input_ids": ("ids", [1, seq], vocab)}

    def ln(t):
        gamma = g.f32("ln_gamma", g.rng.uniform(0.8, 1.2, hidden))
        beta = g.f32("ln_beta", g.rng.normal(0.0, 0.1, hidden))
        if ln_op:
            return g.op("LayerNormalization", [t, gamma, beta], axis=-1, epsilon=1e-12)
        mean = g.op("ReduceMean", [t], axes=[-1], keepdims=1)
        d = g.op("Sub", [t, mean])
        var = g.op("ReduceMean", [g.op("Pow", [d, g.f32("two", 2.0)])], axes=[-1], keepdims=1)
        std = g.op("Sqrt", [g.op("Add", [var, g.f32("eps", 1e-12)])])
        return g.op("Add", [g.op("Mul", [g.op("Div", [d, std]), gamma]), beta])

    def dense(t, cin, cout):
        w = g.init("dense_W", g.rng.normal(0.0, 1.0 / math.sqrt(cin), (cin, cout)).astype(np.float32))
        b = g.f32("dense_B", g.rng.normal(0.0, 0.05, cout))
        return g.op("Add", [g.op("MatMul", [t, w]), b])

    def dim(t, axis):  # Shape -> Gather(scalar index) -> Unsqueeze: a 1-element shape tensor
        s = g.op("Shape", [t])
        return g.unsqueeze(g.op("Gather", [s, g.i64("idx", axis)], axis=0), [0])

    # Embeddings.
    word = g.f32("word_emb", g.rng.normal(0.0, 1.0, (vocab, hidden)))
    pos_table = g.f32("pos_emb", g.rng.normal(0.0, 0.5, (512, hidden)))
    pos_ids = g.i64("position_ids", np.arange(512, dtype=np.int64).reshape(1, 512))
    seq_len = dim(ids, 1)
    pos = g.op("Slice", [pos_ids, g.i64("zero", [0]), seq_len, g.i64("one", [1])])
    h = g.op("Add", [g.op("Gather", [word, ids], axis=0), g.op("Gather", [pos_table, pos], axis=0)])
    h = ln(h)

    mask_add = None
    if with_mask:
        mask = g.add_input("attention_mask", TensorProto.INT64, [1, seq])
        inputs["attention_mask"] = ("mask", [1, seq], int(seq * 0.8))
        m = g.op("Cast", [g.unsqueeze(mask, [1, 2])], to=TensorProto.FLOAT)
        mask_add = g.op("Mul", [g.op("Sub", [g.f32("one_f", 1.0), m]), g.f32("neg", -10000.0)])

    for blk in range(blocks):
        # Head split: block 0 uses the Shape chain, later blocks a constant with 0 (copy) dims.
        if blk == 0:
            split_shape = g.op("Concat", [dim(h, 0), dim(h, 1), g.i64("heads", [heads]),
                                          g.i64("dh", [dh])], axis=0)
        else:
            split_shape = g.i64("split_shape", [0, 0, heads, dh])

        def heads_of(t, perm):
            return g.op("Transpose", [g.op("Reshape", [t, split_shape])], perm=perm)

        q = heads_of(dense(h, hidden, hidden), [0, 2, 1, 3])
        k = heads_of(dense(h, hidden, hidden), [0, 2, 3, 1])
        v = heads_of(dense(h, hidden, hidden), [0, 2, 1, 3])
        scores = g.op("Div", [g.op("MatMul", [q, k]), g.f32("sqrt_dh", math.sqrt(dh))])
        if mask_add is not None:
            scores = g.op("Add", [scores, mask_add])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        if blk == 0:
            merge_shape = g.op("Concat", [dim(ctx, 0), dim(ctx, 1), g.i64("hid", [hidden])], axis=0)
        else:
            merge_shape = g.i64("merge_shape", [1, -1, hidden])
        ctx = g.op("Reshape", [ctx, merge_shape])
        h = ln(g.op("Add", [dense(ctx, hidden, hidden), h]))
        # Feed-forward with GELU(x) = x * 0.5 * (1 + erf(x / sqrt(2))), as torch exports it.
        u = dense(h, hidden, ffn)
        erf = g.op("Erf", [g.op("Div", [u, g.f32("sqrt2", math.sqrt(2.0))])])
        u = g.op("Mul", [g.op("Mul", [u, g.op("Add", [erf, g.f32("one_g", 1.0)])]), g.f32("half", 0.5)])
        h = ln(g.op("Add", [dense(u, ffn, hidden), h]))

    g.add_output(h, "last_hidden_state", [1, seq, hidden])
    first = g.op("Gather", [h, g.i64("cls", 0)], axis=1)  # [1, hidden]
    pw = g.init("pool_W", g.rng.normal(0.0, 1.0 / math.sqrt(hidden), (hidden, hidden)).astype(np.float32))
    pooled = g.op("Tanh", [g.op("Gemm", [first, pw, g.f32("pool_B", np.zeros(hidden))], transB=1)])
    g.add_output(pooled, "pooler_output", [1, hidden])
    return g, inputs, "transformer"


def dynamic_batch(opset, seed):
    """A small CNN with a symbolic batch dimension 'N'; x.view(x.size(0), -1) before the MLP."""
    g = GraphBuilder("dynamic_batch", opset, seed)
    x = g.add_input("x", TensorProto.FLOAT, ["N", 3, 32, 32])
    h = g.relu(g.conv(x, 3, 16, 3, 1, 1, bias=True))
    h = g.op("MaxPool", [h], kernel_shape=[2, 2], strides=[2, 2])
    h = g.relu(g.conv(h, 16, 32, 3, 1, 1, bias=True))
    h = g.op("MaxPool", [h], kernel_shape=[2, 2], strides=[2, 2])
    batch = g.unsqueeze(g.op("Gather", [g.op("Shape", [h]), g.i64("idx", 0)], axis=0), [0])
    h = g.op("Reshape", [h, g.op("Concat", [batch, g.i64("rest", [-1])], axis=0)])
    h = g.relu(g.linear_gemm(h, 32 * 8 * 8, 64))
    logits = g.linear_gemm(h, 64, 10)
    g.add_output(logits, "logits", ["N", 10])
    g.add_output(g.op("Softmax", [logits], axis=-1), "prob", ["N", 10])
    return g, {"x": ("normal", ["N", 3, 32, 32])}, "cnn"


# name -> factory returning (GraphBuilder, {input: spec}, tolerance kind)
MODELS = {
    "resnet50": lambda: resnet("resnet50", 50, 0.5, 112, 13, seed=50),
    "resnet18": lambda: resnet("resnet18", 18, 0.5, 112, 13, seed=18),
    "mobilenetv2": lambda: mobilenetv2(112, 13, seed=2),
    "squeezenet": lambda: squeezenet(161, 11, seed=10),
    "bert": lambda: bert("bert", 4, 256, 4, 128, 2000, 13, seed=4),
    "bert_ln17": lambda: bert("bert_ln17", 2, 256, 4, 128, 2000, 17, seed=17, ln_op=True),
    "dynamic_batch": lambda: dynamic_batch(13, seed=7),
}
# Models with a symbolic batch 'N': the batch sizes run, and the optimization profile for 'N'.
DYNAMIC = {"dynamic_batch": {"runs": [1, 4], "min": 1, "opt": 4, "max": 8}}


def make_input(rng, spec, batch):
    kind, shape = spec[0], [batch if d == "N" else d for d in spec[1]]
    if kind == "normal":
        return rng.normal(0.0, 1.0, shape).astype(np.float32)
    if kind == "ids":
        return rng.integers(0, spec[2], shape, dtype=np.int64)
    if kind == "mask":  # the first `valid` tokens are real, the rest padding
        m = np.zeros(shape, dtype=np.int64)
        m[..., :spec[2]] = 1
        return m
    raise ValueError(kind)


def build(name, outdir, session_options):
    g, input_specs, tol_kind = MODELS[name]()
    if g.batchnorms:  # CNNs with batch-norm: free batch dimension, 8 calibration images
        calib_rng = np.random.default_rng(99)
        feeds = {k: np.concatenate([make_input(calib_rng, spec, None) for _ in range(8)])
                 for k, spec in input_specs.items()}
        g.calibrate(feeds)
    model = g.model()
    mdir = os.path.join(outdir, name)
    os.makedirs(mdir, exist_ok=True)
    path = os.path.join(mdir, "model.onnx")
    onnx.save(model, path)
    sess = ort.InferenceSession(path, session_options, providers=["CPUExecutionProvider"])
    out_names = [o.name for o in sess.get_outputs()]
    rtol, atol_frac = TOLERANCES[tol_kind]
    rng = np.random.default_rng(1000 + sum(map(ord, name)))
    dyn = DYNAMIC.get(name)
    entry = {"name": name, "file": os.path.relpath(path, outdir), "opset": g.opset,
             "params": int(sum(np.prod(t.dims) for t in model.graph.initializer)),
             "nodes": len(model.graph.node), "bytes": os.path.getsize(path),
             "ops": sorted({n.op_type for n in model.graph.node}), "runs": []}
    if dyn:
        entry["profile"] = {}
        for iname, spec in input_specs.items():
            dims = lambda b: [b if d == "N" else d for d in spec[1]]
            entry["profile"][iname] = {"min": dims(dyn["min"]), "opt": dims(dyn["opt"]), "max": dims(dyn["max"])}
    for batch in (dyn["runs"] if dyn else [None]):
        label = "batch%d" % batch if batch else "default"
        suffix = "_b%d" % batch if batch else ""
        feeds, run = {}, {"label": label, "inputs": [], "outputs": []}
        for iname, spec in input_specs.items():
            value = make_input(rng, spec, batch)
            feeds[iname] = value
            ort_path = os.path.join(mdir, "input_%s%s.npy" % (iname, suffix))
            np.save(ort_path, value)
            kiln_path = ort_path
            if value.dtype == np.int64:
                kiln_path = os.path.join(mdir, "input_%s%s.i32.npy" % (iname, suffix))
                np.save(kiln_path, value.astype(np.int32))
            run["inputs"].append({"name": iname, "npy": os.path.relpath(kiln_path, outdir),
                                  "ort_npy": os.path.relpath(ort_path, outdir),
                                  "dtype": str(value.dtype), "shape": list(value.shape)})
        t0 = time.time()
        results = sess.run(out_names, feeds)
        run["ort_seconds"] = round(time.time() - t0, 4)
        for oname, value in zip(out_names, results):
            opath = os.path.join(mdir, "output_%s%s.npy" % (oname, suffix))
            np.save(opath, value)
            scale = float(np.max(np.abs(value)))
            if not np.all(np.isfinite(value)) or scale > 1e4:
                raise RuntimeError("%s: output %s is not O(1) (max %g)" % (name, oname, scale))
            run["outputs"].append({"name": oname, "npy": os.path.relpath(opath, outdir),
                                   "shape": list(value.shape), "max_abs": scale,
                                   "std": float(np.std(value)), "rtol": rtol,
                                   "atol": float("%.3g" % (atol_frac * max(scale, 1e-6)))})
        entry["runs"].append(run)
    entry["tolerance_note"] = ("pass if |kiln-ort| <= atol + rtol*|ort| elementwise; rtol %g, atol = %g x "
                               "max|ort| of that output (%s)" % (rtol, atol_frac, tol_kind))
    return entry


def write_text_manifest(path, entries):
    def dims(d):
        return ",".join(str(v) for v in d)
    lines = ["# Kiln real-model manifest (written by make_models.py); paths relative to this file"]
    for e in entries:
        lines.append("model %s %s %d" % (e["name"], e["file"], e["opset"]))
        for iname, p in e.get("profile", {}).items():
            lines.append("profile %s %s %s %s" % (iname, dims(p["min"]), dims(p["opt"]), dims(p["max"])))
        for run in e["runs"]:
            lines.append("run %s" % run["label"])
            for i in run["inputs"]:
                lines.append("input %s %s %s" % (i["name"], i["npy"], i["ort_npy"]))
            for o in run["outputs"]:
                lines.append("output %s %s %g %g" % (o["name"], o["npy"], o["rtol"], o["atol"]))
        lines.append("end")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def warn_on_unpinned_versions():
    """The references depend on ONNX Runtime's kernels: say so when they are not the pinned ones."""
    pins = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements.txt")
    have = {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__}
    with open(pins) as f:
        for line in f:
            name, _, version = line.strip().partition("==")
            if name in have and version and have[name] != version:
                sys.stderr.write("make_models.py: warning: %s %s installed, requirements.txt pins %s\n"
                                 % (name, have[name], version))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--only", nargs="*", choices=sorted(MODELS), help="build only these models")
    ap.add_argument("--threads", type=int, default=2, help="ONNX Runtime intra-op threads")
    args = ap.parse_args()
    warn_on_unpinned_versions()
    os.makedirs(args.outdir, exist_ok=True)
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    # No graph rewriting: the reference computes each node as written (no fused or approximated
    # kernels standing in for the spelled-out LayerNorm/GELU).
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    entries = []
    for name in (args.only or list(MODELS)):
        t0 = time.time()
        e = build(name, args.outdir, so)
        entries.append(e)
        print("%-14s opset %2d  %5.1f MB  %8d params  %4d nodes  ort %.3fs  total %.2fs  outputs %s" % (
            name, e["opset"], e["bytes"] / 1e6, e["params"], e["nodes"],
            sum(r["ort_seconds"] for r in e["runs"]), time.time() - t0,
            ", ".join("%s%s max %.3g" % (o["name"], o["shape"], o["max_abs"]) for o in e["runs"][0]["outputs"])))
    manifest = {"generator": "tests/onnx/models/make_models.py",
                "versions": {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__},
                "reference": "onnxruntime CPUExecutionProvider, graph optimizations disabled",
                "models": entries}
    with open(os.path.join(args.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    write_text_manifest(os.path.join(args.outdir, "manifest.txt"), entries)


if __name__ == "__main__":
    main()
