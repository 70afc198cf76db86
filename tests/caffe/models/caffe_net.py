"""Net: builds one network from a layer-by-layer description into a Caffe deploy prototxt, a
caffemodel (seeded random weights, written straight from numpy bytes) and the same network in ONNX,
for make_caffe_models.py.

How the ONNX graphs reproduce Caffe (and what the self-tests check first):
- Pooling: Caffe's output size (ceil by default; with padding, the last window must start inside
  the padded input) is emulated with explicit end pads and ceil_mode 0; average pooling divides
  by the window clipped to the padded input (pad counted, the ceil overhang not). ONNX Runtime
  divides by the full kernel there, so a constant divisor map corrects those outputs. The
  self-test compares this with a numpy transcription of Caffe's pooling loops.
- LRN WITHIN_CHANNEL: x / (1 + alpha * avgpool_{size x size}(x^2), zero padding counted)^beta.
- InnerProduct: Flatten (C, H, W order) + Gemm with W [num_output, K] (transB).
- BatchNorm: mean = blob0 * s, var = blob1 * s with s = 1 / blob2[0] (0 when blob2[0] is 0).
"""

import math

import numpy as np
import onnx
import onnxruntime as ort
from google.protobuf import text_format
from onnx import helper, numpy_helper
from kiln_protos import caffe_pb2

OPSET = 13
LOGIT_RMS = 3.0  # the classifier is scaled so that the logits have this rms (a confident net)


# ---- protobuf wire helpers (blobs are written as raw bytes: numpy -> packed floats) ----------

def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _key(field, wire):
    return _varint(field << 3 | wire)


def _ld(field, payload):
    return _key(field, 2) + _varint(len(payload)) + payload


def blob_parts(arr, legacy=False, fp16=False):
    """A BlobProto as (header bytes, raw data bytes): shape (7) or legacy num/channels/height/
    width (1-4), then packed floats (5) or NVCaffe FP16 storage (raw_data_type 10, raw_data 12)."""
    if legacy:
        assert arr.ndim <= 4
        dims = [1] * (4 - arr.ndim) + list(arr.shape)
        head = b"".join(_key(f, 0) + _varint(d) for f, d in zip((1, 2, 3, 4), dims))
    else:
        head = _ld(7, caffe_pb2.BlobShape(dim=list(arr.shape)).SerializeToString())
    if fp16:
        raw = arr.astype("<f2").tobytes()
        return head + _key(10, 0) + _varint(caffe_pb2.FLOAT16) + _key(12, 2) + _varint(len(raw)), raw
    raw = arr.astype("<f4").tobytes()
    return head + _key(5, 2) + _varint(len(raw)), raw


V1_TYPES = {"Data": 5, "Convolution": 4, "Pooling": 17, "InnerProduct": 14, "ReLU": 18, "LRN": 15,
            "Softmax": 20, "SoftmaxWithLoss": 21, "Accuracy": 1, "Dropout": 6, "Concat": 3, "Eltwise": 25}

# ---- Caffe pooling: output size and a numpy transcription of Caffe's loops -------------------

def pool_size(h, k, s, p, ceil=True):
    n = (-(-(h + 2 * p - k) // s) if ceil else (h + 2 * p - k) // s) + 1
    if p and (n - 1) * s >= h + p:  # the last window must start inside the padded input
        n -= 1
    return n


def end_pad(h, k, s, p, ceil=True):
    """The end padding with which ONNX's floor rule gives Caffe's output size."""
    return p + max(0, (pool_size(h, k, s, p, ceil) - 1) * s + k - h - 2 * p)


def ave_divisors(h, k, s, p, n):
    """Caffe's average-pool divisor per output row: the window clipped to the padded input."""
    return np.array([min(i * s - p + k, h + p) - (i * s - p) for i in range(n)], dtype=np.float64)


def caffe_pool_ref(x, ave, k, s, p, ceil=True):
    _, _, hh, ww = x.shape
    oh, ow = pool_size(hh, k, s, p, ceil), pool_size(ww, k, s, p, ceil)
    y = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            hs, ws = i * s - p, j * s - p
            if ave:
                size = (min(hs + k, hh + p) - hs) * (min(ws + k, ww + p) - ws)
                win = x[:, :, max(hs, 0):min(hs + k, hh), max(ws, 0):min(ws + k, ww)]
                y[:, :, i, j] = win.astype(np.float64).sum(axis=(2, 3)) / size
            else:
                y[:, :, i, j] = x[:, :, max(hs, 0):min(hs + k, hh), max(ws, 0):min(ws + k, ww)].max(axis=(2, 3))
    return y.astype(np.float32)


# ---- the network builder: one description -> deploy prototxt, caffemodel and ONNX graph -------

class Net:
    def __init__(self, name, seed, input_std=1.0, logit_rms=LOGIT_RMS):
        self.deploy = caffe_pb2.NetParameter(name=name)
        self.rng = np.random.default_rng(seed)
        self.input_std, self.logit_rms = input_std, logit_rms
        self.entries = []  # {"lp": deploy LayerParameter, "blobs": [float32 arrays]}
        self.blobs = {}  # Caffe blob -> (ONNX tensor, shape)
        self.ops = []  # ONNX NodeProtos, and BatchNorm records (dicts) expanded at export
        self.inits = {}
        self.bns = []
        self.inputs, self.outputs = [], []
        self.classifier = None  # (entry, logits tensor): scaled so the logits have rms logit_rms
        self.last_weighted = None
        self.count = 0

    # -- plumbing --
    def fresh(self, prefix="t"):
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def node(self, op, inputs, **attrs):
        out = self.fresh()
        self.ops.append(helper.make_node(op, inputs, [out], name=self.fresh("n_" + op), **attrs))
        return out

    def const(self, arr):
        name = self.fresh("w")
        self.inits[name] = arr
        return name

    def normal(self, std, shape):
        return (self.rng.standard_normal(shape, dtype=np.float32) * np.float32(std)).astype(np.float32)

    def layer(self, type_, name, bottoms, tops, **params):
        lp = self.deploy.layer.add(name=name, type=type_)
        lp.bottom.extend(bottoms)
        lp.top.extend(tops)
        for field, values in params.items():
            _fill(getattr(lp, field), values)
        e = {"lp": lp, "blobs": []}
        self.entries.append(e)
        return e

    def get(self, blob):
        return self.blobs[blob]

    def set(self, blob, tensor, shape):
        self.blobs[blob] = (tensor, tuple(shape))
        return blob

    # -- inputs and outputs --
    def input(self, name, shape, style):
        if style == "layer":
            self.layer("Input", name, [], [name])["lp"].input_param.shape.add(dim=shape)
        else:
            self.deploy.input.append(name)
            if style == "shape":
                self.deploy.input_shape.add(dim=shape)
            else:
                self.deploy.input_dim.extend(shape)
        self.inputs.append((name, list(shape)))
        return self.set(name, name, shape)

    def output(self, blob):
        self.outputs.append(blob)
        return blob

    # -- layers (each returns its top blob; in-place layers return their bottom) --
    def conv(self, name, bottom, n, k, s=1, p=0, g=1, bias=True, top=None):
        x, (b, c, h, w) = self.get(bottom)
        param = {"num_output": n, "kernel_size": [k]}
        for key, value, default in (("pad", [p], [0]), ("stride", [s], [1]), ("group", g, 1),
                                    ("bias_term", bias, True)):
            if value != default:
                param[key] = value
        e = self.layer("Convolution", name, [bottom], [top or name], convolution_param=param)
        e["blobs"].append(self.normal(math.sqrt(2.0 / (c // g * k * k)), (n, c // g, k, k)))
        inputs = [x, self.const(e["blobs"][0])]
        if bias:
            e["blobs"].append(self.normal(0.05, (n,)))
            inputs.append(self.const(e["blobs"][1]))
        self.last_weighted = e
        y = self.node("Conv", inputs, kernel_shape=[k, k], strides=[s, s], pads=[p] * 4, group=g)
        return self.set(top or name, y, (b, n, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1))

    def ip(self, name, bottom, n):
        x, shape = self.get(bottom)
        kdim = int(np.prod(shape[1:]))
        e = self.layer("InnerProduct", name, [bottom], [name], inner_product_param={"num_output": n})
        e["blobs"] += [self.normal(math.sqrt(2.0 / kdim), (n, kdim)), self.normal(0.05, (n,))]
        self.last_weighted = e
        if len(shape) > 2:
            x = self.node("Flatten", [x], axis=1)
        y = self.node("Gemm", [x, self.const(e["blobs"][0]), self.const(e["blobs"][1])], transB=1)
        return self.set(name, y, (shape[0], n))

    def pool(self, name, bottom, mode, k=None, s=1, p=0, global_pool=False):
        x, (b, c, h, w) = self.get(bottom)
        param = {"pool": getattr(caffe_pb2.PoolingParameter, mode)}
        if global_pool:
            param["global_pooling"] = True
            k, s, p = h, 1, 0
            assert h == w
        else:
            param.update({"kernel_size": k, "stride": s, "pad": p} if p else {"kernel_size": k, "stride": s})
        self.layer("Pooling", name, [bottom], [name], pooling_param=param)
        y, oh, ow = self.pool_onnx(x, h, w, mode == "AVE", k, s, p)
        return self.set(name, y, (b, c, oh, ow))

    def pool_onnx(self, x, h, w, ave, k, s, p, ceil=True):
        oh, ow = pool_size(h, k, s, p, ceil), pool_size(w, k, s, p, ceil)
        eh, ew = end_pad(h, k, s, p, ceil), end_pad(w, k, s, p, ceil)
        assert (h + p + eh - k) // s + 1 == oh and (w + p + ew - k) // s + 1 == ow
        assert max(eh, ew) < k, "ONNX Runtime needs pads < kernel"
        attrs = {"kernel_shape": [k, k], "strides": [s, s], "pads": [p, p, eh, ew]}
        if not ave:
            return self.node("MaxPool", [x], **attrs), oh, ow
        y = self.node("AveragePool", [x], count_include_pad=1, **attrs)  # divides by k*k
        div = np.outer(ave_divisors(h, k, s, p, oh), ave_divisors(w, k, s, p, ow))
        if np.any(div != k * k):
            y = self.node("Mul", [y, self.const((k * k / div).astype(np.float32).reshape(1, 1, oh, ow))])
        return y, oh, ow

    def relu(self, name, blob, slope=0.0):
        x, shape = self.get(blob)
        self.layer("ReLU", name, [blob], [blob], **({"relu_param": {"negative_slope": slope}} if slope else {}))
        return self.set(blob, self.node("LeakyRelu", [x], alpha=slope) if slope else self.node("Relu", [x]), shape)

    def prelu(self, name, blob):
        x, shape = self.get(blob)
        e = self.layer("PReLU", name, [blob], [blob])
        e["blobs"].append(self.rng.uniform(0.05, 0.4, shape[1]).astype(np.float32))
        slope = e["blobs"][0].reshape((shape[1],) + (1,) * (len(shape) - 2))
        return self.set(blob, self.node("PRelu", [x, self.const(slope)]), shape)

    def clip(self, name, blob, lo, hi):
        x, shape = self.get(blob)
        self.layer("Clip", name, [blob], [blob], clip_param={"min": lo, "max": hi})
        lo_t, hi_t = self.const(np.array(lo, np.float32)), self.const(np.array(hi, np.float32))
        return self.set(blob, self.node("Clip", [x, lo_t, hi_t]), shape)

    def dropout(self, name, blob, ratio=0.5):
        self.layer("Dropout", name, [blob], [blob], dropout_param={"dropout_ratio": ratio})
        return blob

    def lrn(self, name, bottom, size, alpha, beta, within=False):
        x, shape = self.get(bottom)
        param = {"local_size": size, "alpha": alpha, "beta": beta}
        if within:
            param["norm_region"] = caffe_pb2.LRNParameter.WITHIN_CHANNEL
        self.layer("LRN", name, [bottom], [name], lrn_param=param)
        if not within:
            return self.set(name, self.node("LRN", [x], size=size, alpha=alpha, beta=beta, bias=1.0), shape)
        q = (size - 1) // 2
        a = self.node("AveragePool", [self.node("Mul", [x, x])], kernel_shape=[size, size], strides=[1, 1],
                      pads=[q] * 4, count_include_pad=1)
        t = self.node("Add", [self.node("Mul", [a, self.const(np.array(alpha, np.float32))]),
                              self.const(np.array(1.0, np.float32))])
        d = self.node("Pow", [t, self.const(np.array(beta, np.float32))])
        return self.set(name, self.node("Div", [x, d]), shape)

    def concat(self, name, bottoms):
        xs = [self.get(b) for b in bottoms]
        self.layer("Concat", name, bottoms, [name])
        shape = list(xs[0][1])
        shape[1] = sum(s[1] for _, s in xs)
        return self.set(name, self.node("Concat", [t for t, _ in xs], axis=1), shape)

    def eltwise_sum(self, name, bottoms):
        (a, shape), (b, _) = self.get(bottoms[0]), self.get(bottoms[1])
        self.layer("Eltwise", name, bottoms, [name])
        return self.set(name, self.node("Add", [a, b]), shape)

    def softmax(self, name, bottom, classifier=None):
        """classifier: the layer whose weights set the logits' scale (default: the last one)."""
        x, shape = self.get(bottom)
        self.layer("Softmax", name, [bottom], [name])
        self.classifier = (classifier or self.last_weighted, x)
        return self.output(self.set(name, self.node("Softmax", [x], axis=1), shape))

    def bn_scale(self, bn_name, scale_name, blob, factor, gamma=(0.7, 1.3), eps=None, top=None):
        """BatchNorm (use_global_stats) from blob to top (default: in place), then Scale (bias_term)
        in place on top. The statistics are filled in by calibrate(); factor is what blob 2 stores
        (0: Caffe uses zero statistics)."""
        x, shape = self.get(blob)
        top = top or blob
        param = {"use_global_stats": True, **({"eps": eps} if eps else {})}
        bn = self.layer("BatchNorm", bn_name, [blob], [top], batch_norm_param=param)
        y = self.fresh()
        rec = {"entry": bn, "x": x, "y": y, "factor": factor, "eps": eps or 1e-5, "c": shape[1]}
        self.ops.append(rec)
        self.bns.append(rec)
        sc = self.layer("Scale", scale_name, [top], [top], scale_param={"bias_term": True})
        sc["blobs"] += [self.rng.uniform(gamma[0], gamma[1], shape[1]).astype(np.float32),
                        self.normal(0.1, (shape[1],))]
        rec["scale"] = sc
        g, b = (self.const(v.reshape(-1, 1, 1)) for v in sc["blobs"])  # views: later edits show
        return self.set(top, self.node("Add", [self.node("Mul", [y, g]), b]), shape)

    # -- export --
    def onnx_model(self, calibrate=False, round16=False):
        """The ONNX graph. calibrate: BatchNorms normalise with their input's own statistics and
        the statistics and the logits become extra outputs. round16: initializers fp16-rounded."""
        nodes, extra, inits = [], [], dict(self.inits)
        for op in self.ops:
            if not isinstance(op, dict):
                nodes.append(op)
                continue
            x, y, tag = op["x"], op["y"], op["y"] + "_"
            mk = helper.make_node
            if calibrate:
                eps = tag + "eps"
                inits[eps] = np.array(op["eps"], np.float32)
                nodes += [mk("ReduceMean", [x], [tag + "mu"], axes=[0, 2, 3], keepdims=1),
                          mk("Sub", [x, tag + "mu"], [tag + "d"]), mk("Mul", [tag + "d", tag + "d"], [tag + "d2"]),
                          mk("ReduceMean", [tag + "d2"], [tag + "var"], axes=[0, 2, 3], keepdims=1),
                          mk("Add", [tag + "var", eps], [tag + "ve"]), mk("Sqrt", [tag + "ve"], [tag + "sd"]),
                          mk("Div", [tag + "d", tag + "sd"], [y])]
                extra += [tag + "mu", tag + "var"]
                continue
            mean, var, factor = op["entry"]["blobs"]
            s = np.float32(0.0) if factor[0] == 0 else np.float32(1.0) / factor[0]  # Caffe's rule
            c = op["c"]
            for suffix, v in (("g", np.ones(c)), ("b", np.zeros(c)), ("m", mean * s), ("v", var * s)):
                inits[tag + suffix] = np.asarray(v, dtype=np.float32)
            nodes.append(mk("BatchNormalization", [x] + [tag + k for k in "gbmv"], [y], epsilon=op["eps"]))
        outputs = []
        for blob in self.outputs:
            nodes.append(helper.make_node("Identity", [self.get(blob)[0]], [blob], name="out_" + blob))
            outputs.append(helper.make_tensor_value_info(blob, onnx.TensorProto.FLOAT, None))
        if calibrate and self.classifier:
            extra.append(self.classifier[1])
        outputs += [helper.make_tensor_value_info(t, onnx.TensorProto.FLOAT, None) for t in extra]
        inputs = [helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, s) for n, s in self.inputs]
        conv = (lambda a: a.astype(np.float16).astype(np.float32)) if round16 else (lambda a: a)
        tensors = [numpy_helper.from_array(conv(np.ascontiguousarray(v)), k) for k, v in inits.items()]
        graph = helper.make_graph(nodes, self.deploy.name, inputs, outputs, tensors)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="kiln-make-caffe")
        m.ir_version = 8
        return m

    def calibrate(self, session_options, feeds):
        """One ONNX Runtime pass: sets BatchNorm statistics to their input's statistics (perturbed:
        mean by +-0.1 std, var x0.8..1.25) and scales the classifier for logits of rms logit_rms."""
        sess = run_session(self.onnx_model(calibrate=True), session_options)
        names = [o.name for o in sess.get_outputs()]
        values = dict(zip(names, sess.run(names, feeds)))
        for rec in self.bns:
            tag = rec["y"] + "_"
            mu, var = values[tag + "mu"].reshape(-1), values[tag + "var"].reshape(-1)
            sd = np.sqrt(var)
            sd = np.maximum(sd, 0.1 * np.median(sd) + 1e-6)
            m = (mu + self.rng.normal(0.0, 0.1, mu.shape) * sd).astype(np.float32)
            v = (sd * sd * self.rng.uniform(0.8, 1.25, mu.shape)).astype(np.float32)
            f = np.float32(rec["factor"])
            if f == 0:
                # Caffe ignores the stored statistics: BatchNorm gives x / sqrt(eps). The Scale
                # after it carries the normalisation instead (same function as with the stats).
                rec["entry"]["blobs"] = [m * 1000, v * 1000, np.zeros(1, np.float32)]
                gamma, beta = rec["scale"]["blobs"]
                inv = 1.0 / np.sqrt(v.astype(np.float64) + rec["eps"])
                beta[:] = beta - gamma * m * inv
                gamma[:] = gamma * inv * math.sqrt(rec["eps"])
            else:
                rec["entry"]["blobs"] = [m * f, v * f, np.array([f], np.float32)]
        if self.classifier:
            entry, logits = self.classifier
            factor = np.float32(self.logit_rms / max(float(np.sqrt(np.mean(np.square(values[logits])))), 1e-6))
            for arr in entry["blobs"]:
                arr *= factor

    def round_weights_fp16(self):
        for e in self.entries:
            for arr in e["blobs"]:
                arr[...] = arr.astype(np.float16).astype(np.float32)

    def write_deploy(self, path):
        with open(path, "w") as f:
            f.write("# %s deploy net written by tests/caffe/models/make_caffe_models.py\n" % self.deploy.name)
            f.write(text_format.MessageToString(self.deploy))

    def write_caffemodel(self, path, v1=False, legacy=False, fp16=False, snapshot=False):
        """snapshot: as a training snapshot: a Data layer first, no Input and no Softmax layers,
        SoftmaxWithLoss and Accuracy layers at the end (extra layers the parser must ignore)."""
        field, blob_field = (2, 6) if v1 else (100, 7)

        def put(f, type_, name, bottoms, tops, blobs=(), lp=None, include_test=False):
            if v1:  # names, type enum, bottoms, tops and blobs (the V1 era's params are not needed)
                head = caffe_pb2.V1LayerParameter(name=name, type=V1_TYPES[type_], bottom=bottoms, top=tops)
            else:
                head = caffe_pb2.LayerParameter(name=name, type=type_, bottom=bottoms, top=tops)
                if lp is not None:
                    head.CopyFrom(lp)  # the layer's params too, as Caffe writes them
            if include_test:
                head.include.add(phase=caffe_pb2.TEST)
            parts = [head.SerializeToString()]
            for h, r in (blob_parts(b, legacy, fp16) for b in blobs):
                parts += [_key(blob_field, 2) + _varint(len(h) + len(r)) + h, r]
            f.write(_key(field, 2) + _varint(sum(map(len, parts))))
            for part in parts:  # the large float arrays are written as they are, not concatenated
                f.write(part)

        with open(path, "wb") as f:
            f.write(_ld(1, self.deploy.name.encode()))
            if snapshot:
                put(f, "Data", "data", [], [self.inputs[0][0], "label"])
            for e in self.entries:
                lp = e["lp"]
                if (snapshot or v1) and lp.type == "Input" or snapshot and lp.type == "Softmax":
                    continue
                put(f, lp.type, lp.name, list(lp.bottom), list(lp.top), e["blobs"], None if v1 else lp)
            if snapshot:
                logits = list(self.deploy.layer)[-1].bottom[0]
                put(f, "SoftmaxWithLoss", "loss", [logits, "label"], ["loss"])
                put(f, "Accuracy", "accuracy", [logits, "label"], ["accuracy"], include_test=True)


def _fill(msg, values):
    for key, value in values.items():
        if isinstance(value, dict):
            _fill(getattr(msg, key), value)
        elif isinstance(value, list):
            getattr(msg, key).extend(value)
        else:
            setattr(msg, key, value)


def run_session(model, session_options):
    return ort.InferenceSession(model.SerializeToString(), session_options, providers=["CPUExecutionProvider"])
