"""GraphBuilder: builds ONNX graphs node by node with onnx.helper for make_models.py, and
calibrates batch-norm running statistics with ONNX Runtime."""

import math

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


class GraphBuilder:
    """Collects nodes and initializers. Batch-norm statistics are calibrated afterwards on a
    separate random input (calibrate()), so they match the data as a trained network's do."""

    def __init__(self, name, opset, seed):
        self.name = name
        self.opset = opset
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.inits = {}
        self.inputs = []
        self.outputs = []
        self.batchnorms = []  # (input tensor, mean initializer, var initializer)
        self.counter = {}

    def fresh(self, prefix):
        k = self.counter.get(prefix, 0)
        self.counter[prefix] = k + 1
        return "%s_%d" % (prefix, k)

    def init(self, prefix, array):
        name = self.fresh(prefix)
        self.inits[name] = np.array(array, order="C")
        return name

    def f32(self, prefix, value):
        return self.init(prefix, np.asarray(value, dtype=np.float32))

    def i64(self, prefix, value):
        return self.init(prefix, np.asarray(value, dtype=np.int64))

    def op(self, op_type, inputs, **attrs):
        out = self.fresh(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=self.fresh("n_" + op_type), **attrs))
        return out

    def add_input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def add_output(self, tensor, name, shape=None, elem_type=TensorProto.FLOAT):
        """Marks `tensor` as graph output `name`; shape None means 'from shape inference'."""
        self.nodes.append(helper.make_node("Identity", [tensor], [name], name=self.fresh("n_out")))
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def unsqueeze(self, x, axes):
        if self.opset >= 13:
            return self.op("Unsqueeze", [x, self.i64("axes", axes)])
        return self.op("Unsqueeze", [x], axes=axes)

    # ---- CNN pieces -------------------------------------------------------------------------
    def conv(self, x, cin, cout, k, stride=1, pad=0, group=1, bias=False):
        fan_in = (cin // group) * k * k
        w = self.rng.normal(0.0, math.sqrt(2.0 / fan_in), (cout, cin // group, k, k)).astype(np.float32)
        inputs = [x, self.init("W", w)]
        if bias:
            inputs.append(self.init("B", self.rng.normal(0.0, 0.05, cout).astype(np.float32)))
        return self.op("Conv", inputs, kernel_shape=[k, k], strides=[stride, stride],
                       pads=[pad] * 4, group=group, dilations=[1, 1])

    def bn(self, x, c, gamma=(0.7, 1.3)):
        scale = self.rng.uniform(gamma[0], gamma[1], c).astype(np.float32)
        beta = self.rng.normal(0.0, 0.1, c).astype(np.float32)
        mean = self.init("mean", np.zeros(c, dtype=np.float32))
        var = self.init("var", np.ones(c, dtype=np.float32))
        self.batchnorms.append((x, mean, var))
        return self.op("BatchNormalization", [x, self.init("gamma", scale), self.init("beta", beta), mean, var],
                       epsilon=1e-5)

    def relu(self, x):
        return self.op("Relu", [x])

    def linear_gemm(self, x, cin, cout):
        w = self.rng.normal(0.0, 1.0 / math.sqrt(cin), (cout, cin)).astype(np.float32)
        b = self.rng.normal(0.0, 0.05, cout).astype(np.float32)
        return self.op("Gemm", [x, self.init("fc_W", w), self.init("fc_B", b)], alpha=1.0, beta=1.0, transB=1)

    def graph_model(self, extra_outputs=(), free_batch=False):
        outputs = self.outputs + [helper.make_tensor_value_info(t, TensorProto.FLOAT, None) for t in extra_outputs]
        inits = [numpy_helper.from_array(v, k) for k, v in self.inits.items()]
        inputs = self.inputs
        if free_batch:  # calibration runs several images at once
            inputs = [onnx.ValueInfoProto() for _ in self.inputs]
            for mine, orig in zip(inputs, self.inputs):
                mine.CopyFrom(orig)
                mine.type.tensor_type.shape.dim[0].dim_param = "B"
        graph = helper.make_graph(self.nodes, self.name, inputs, outputs, inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", self.opset)],
                              producer_name="kiln-make-models")
        m.ir_version = 8  # onnx 1.17 writes IR 10 by default; 8 covers opsets <= 17 and older readers
        return m

    def calibrate(self, feeds):
        """Sets each batch-norm's running mean/var to the statistics of its input on `feeds` (a
        batch of images), as training leaves them, then perturbs them (mean by +-0.1 std, var by
        x0.8..1.25) so inference does not normalise exactly. One ONNX Runtime pass over a copy
        of the graph whose batch-norms normalise with the batch's own statistics."""
        if not self.batchnorms:
            return
        saved_nodes, saved_inits = self.nodes, dict(self.inits)
        stats = []
        nodes = []
        for node in saved_nodes:
            if node.op_type != "BatchNormalization":
                nodes.append(node)
                continue
            x, gamma, beta, mean, var = node.input
            c = self.inits[gamma].shape[0]
            tag = node.output[0]
            g4 = self.init("cal_gamma", self.inits[gamma].reshape(1, c, 1, 1))
            b4 = self.init("cal_beta", self.inits[beta].reshape(1, c, 1, 1))
            eps = self.f32("cal_eps", 1e-5)
            mk = helper.make_node
            nodes += [mk("ReduceMean", [x], [tag + "_mu"], axes=[0, 2, 3], keepdims=1),
                      mk("Sub", [x, tag + "_mu"], [tag + "_d"]),
                      mk("Mul", [tag + "_d", tag + "_d"], [tag + "_d2"]),
                      mk("ReduceMean", [tag + "_d2"], [tag + "_var"], axes=[0, 2, 3], keepdims=1),
                      mk("Add", [tag + "_var", eps], [tag + "_ve"]),
                      mk("Sqrt", [tag + "_ve"], [tag + "_sd"]),
                      mk("Div", [tag + "_d", tag + "_sd"], [tag + "_n"]),
                      mk("Mul", [tag + "_n", g4], [tag + "_s"]),
                      mk("Add", [tag + "_s", b4], [tag])]
            stats.append((tag, mean, var))
        self.nodes = nodes
        m = self.graph_model([t + s for t, _, _ in stats for s in ("_mu", "_var")], free_batch=True)
        self.nodes, self.inits = saved_nodes, saved_inits
        quiet = ort.SessionOptions()
        quiet.log_severity_level = 3  # the unused running statistics are expected here
        sess = ort.InferenceSession(m.SerializeToString(), quiet, providers=["CPUExecutionProvider"])
        names = [o.name for o in sess.get_outputs()]
        values = dict(zip(names, sess.run(names, feeds)))
        for tag, mean, var in stats:
            mu, v = values[tag + "_mu"].reshape(-1), values[tag + "_var"].reshape(-1)
            sd = np.sqrt(v)
            sd = np.maximum(sd, 0.1 * np.median(sd) + 1e-6)
            self.inits[mean] = (mu + self.rng.normal(0.0, 0.1, mu.shape) * sd).astype(np.float32)
            self.inits[var] = (sd * sd * self.rng.uniform(0.8, 1.25, mu.shape)).astype(np.float32)

    def model(self):
        m = self.graph_model()
        # Fill in output shapes (as exporters do), without keeping intermediate value_info.
        inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
        known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
        for out in m.graph.output:
            if out.type.tensor_type.HasField("shape"):
                continue
            if out.name in known and known[out.name].type.tensor_type.HasField("shape"):
                out.type.CopyFrom(known[out.name].type)
        onnx.checker.check_model(m, full_check=True)
        return m
