"""NumPy implementations of the TensorFlow ops the UFF test models use, with TF's semantics
(NHWC data, HWIO kernels, SAME/VALID padding with the extra cell at the end, average pooling over
the cells inside the input only). Computed in float64; callers cast the result to float32.
"""
import numpy as np


def same_pads(size, kernel, stride, dilation=1):
    """TF SAME padding (before, after) of one spatial axis."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def _pads(x, kernel, strides, dilation, padding):
    if isinstance(padding, (list, tuple)):  # explicit [(top, bottom), (left, right)]
        return [tuple(p) for p in padding]
    if padding == "SAME":
        return [same_pads(x.shape[1 + a], kernel[a], strides[a], dilation[a]) for a in range(2)]
    return [(0, 0), (0, 0)]


def _windows(xp, kernel, strides, dilation, out_hw):
    """Yields (i, j, patch) with patch[n, oh, ow, c] = xp[n, oh*s + i*d, ow*s + j*d, c]."""
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            h0, w0 = i * dilation[0], j * dilation[1]
            patch = xp[:, h0:h0 + (out_hw[0] - 1) * strides[0] + 1:strides[0],
                       w0:w0 + (out_hw[1] - 1) * strides[1] + 1:strides[1], :]
            yield i, j, patch


def _out_hw(padded_hw, kernel, strides, dilation):
    return [(padded_hw[a] - ((kernel[a] - 1) * dilation[a] + 1)) // strides[a] + 1 for a in range(2)]


def conv2d(x, w, strides=(1, 1), dilation=(1, 1), padding="VALID", groups=1):
    """tf.nn.conv2d with an HWIO kernel [kh, kw, C/groups, K] (grouped when groups > 1)."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    kh, kw, cg, k = w.shape
    pads = _pads(x, (kh, kw), strides, dilation, padding)
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    out_hw = _out_hw(xp.shape[1:3], (kh, kw), strides, dilation)
    y = np.zeros((x.shape[0], out_hw[0], out_hw[1], k))
    kg = k // groups
    for i, j, patch in _windows(xp, (kh, kw), strides, dilation, out_hw):
        for g in range(groups):
            y[..., g * kg:(g + 1) * kg] += patch[..., g * cg:(g + 1) * cg] @ w[i, j, :, g * kg:(g + 1) * kg]
    return y


def depthwise_conv2d(x, w, strides=(1, 1), dilation=(1, 1), padding="VALID"):
    """tf.nn.depthwise_conv2d: kernel [kh, kw, C, M]; output channel c*M + m."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    kh, kw, c, m = w.shape
    pads = _pads(x, (kh, kw), strides, dilation, padding)
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    out_hw = _out_hw(xp.shape[1:3], (kh, kw), strides, dilation)
    y = np.zeros((x.shape[0], out_hw[0], out_hw[1], c, m))
    for i, j, patch in _windows(xp, (kh, kw), strides, dilation, out_hw):
        y += patch[..., :, None] * w[i, j]
    return y.reshape(x.shape[0], out_hw[0], out_hw[1], c * m)


def conv2d_transpose(x, w, output_hw, strides, padding):
    """tf.nn.conv2d_transpose: kernel [kh, kw, K(out), C(in)], output spatial size output_hw."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    kh, kw, k, c = w.shape
    n, h, wi, _ = x.shape
    full = ((h - 1) * strides[0] + kh, (wi - 1) * strides[1] + kw)
    y = np.zeros((n, full[0], full[1], k))
    for a in range(h):
        for b in range(wi):
            for i in range(kh):
                for j in range(kw):
                    y[:, a * strides[0] + i, b * strides[1] + j, :] += x[:, a, b, :] @ w[i, j].T
    pre = [0, 0]
    if padding == "SAME":
        for ax in range(2):
            size = (h, wi)[ax]
            total = max((size - 1) * strides[ax] + (kh, kw)[ax] - output_hw[ax], 0)
            pre[ax] = total // 2
    out = np.zeros((n, output_hw[0], output_hw[1], k))
    hh = min(output_hw[0], full[0] - pre[0])
    ww = min(output_hw[1], full[1] - pre[1])
    out[:, :hh, :ww, :] = y[:, pre[0]:pre[0] + hh, pre[1]:pre[1] + ww, :]
    return out


def pool(x, kernel, strides, padding, func):
    """tf.nn.max_pool / avg_pool (SAME averages over the cells inside the input)."""
    x = x.astype(np.float64)
    pads = _pads(x, kernel, strides, (1, 1), padding)
    fill = -np.inf if func == "max" else 0.0
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=fill)
    ones = np.pad(np.ones_like(x), ((0, 0), pads[0], pads[1], (0, 0)))
    out_hw = _out_hw(xp.shape[1:3], kernel, strides, (1, 1))
    if func == "max":
        y = np.full((x.shape[0], out_hw[0], out_hw[1], x.shape[3]), -np.inf)
        for _, _, patch in _windows(xp, kernel, strides, (1, 1), out_hw):
            y = np.maximum(y, patch)
        return y
    total = np.zeros((x.shape[0], out_hw[0], out_hw[1], x.shape[3]))
    count = np.zeros_like(total)
    for (_, _, patch), (_, _, valid) in zip(_windows(xp, kernel, strides, (1, 1), out_hw),
                                            _windows(ones, kernel, strides, (1, 1), out_hw)):
        total += patch
        count += valid
    return total / count


def lrn(x, depth_radius, bias, alpha, beta):
    """tf.nn.local_response_normalization over the last axis."""
    x = x.astype(np.float64)
    sq = x * x
    c = x.shape[-1]
    s = np.zeros_like(x)
    for ch in range(c):
        lo, hi = max(0, ch - depth_radius), min(c, ch + depth_radius + 1)
        s[..., ch] = sq[..., lo:hi].sum(axis=-1)
    return x / (bias + alpha * s) ** beta


def batch_norm(x, gamma, beta, mean, variance, epsilon):
    """tf.nn.fused_batch_norm in inference mode, channels last."""
    return (x.astype(np.float64) - mean) / np.sqrt(variance.astype(np.float64) + epsilon) * gamma + beta


def softmax(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "softplus": lambda x: np.log1p(np.exp(x)),
}

UNARY = {
    "neg": np.negative, "exp": np.exp, "log": np.log, "abs": np.abs, "sqrt": np.sqrt,
    "rsqrt": lambda x: 1 / np.sqrt(x), "square": np.square, "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "sinh": np.sinh, "cosh": np.cosh, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "asinh": np.arcsinh, "acosh": np.arccosh, "atanh": np.arctanh, "ceil": np.ceil, "floor": np.floor,
}

BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
    "min": np.minimum, "max": np.maximum, "pow": np.power,
}

REDUCE = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min, "mean": np.mean}
