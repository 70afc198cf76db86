#!/usr/bin/env python3
"""kiln refit from the command line.

usage: refit_test.py files|onnx <kiln binary> <work dir>

files: the weights readers through `kiln refit` (no refittable engine needed): .npz written by
       numpy (np.savez, np.savez_compressed; float32/float16/int32) and .wts files are listed;
       malformed files (truncated, bad magic, Fortran order, unsupported dtype, damaged archive,
       ...) fail with a message and exit code 1, never a crash; unknown weight names are named.
onnx:  a small CNN (Conv+bias, BatchNormalization, Relu, Conv, Gemm, MatMul+Add) built with
       `kiln build --refit`, refit by ONNX initializer name (plus '<layer>:<role>' names for the
       folded batch norm) from .npz and .wts, run with `kiln run` and compared with ONNX Runtime
       on the same new weights; refitting part of a fused group fails and names the missing pairs.
"""
import os
import struct
import subprocess
import sys
import zipfile

import numpy as np

KILN = None
FAILURES = []


def kiln(*args):
    p = subprocess.run([KILN, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what, detail=""):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, detail, file=sys.stderr)
    else:
        print("ok:", what)


def refit_fails(weights, expect, *extra):
    """kiln refit with weights that must be refused: exit code 1 and every string of expect in stderr."""
    rc, out, err = kiln("refit", "--loadEngine", "absent.engine", "--weights", weights, "--saveEngine", "o.engine", *extra)
    ok = rc == 1 and all(e in err for e in expect)
    check(ok, "refused %s (%s)" % (os.path.basename(weights), ", ".join(expect)), "rc=%d stderr=%s" % (rc, err))


def npy_bytes(header, data=b"", version=1):
    """A .npy with this header dict text (padded as numpy pads it)."""
    h = header.encode()
    pre = 10 if version == 1 else 12
    h += b" " * ((64 - (pre + len(h) + 1) % 64) % 64) + b"\n"
    size = struct.pack("<H", len(h)) if version == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([version, 0]) + size + h + data


def stored_npz(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def wts_text(entries):
    """TensorRT sample .wts: count, then 'name type count hex...' (type 0 float32, 1 float16)."""
    lines = [str(len(entries))]
    for name, a in entries.items():
        if a.dtype == np.float16:
            vals = ["%x" % v for v in a.ravel().view(np.uint16)]
            lines.append("%s 1 %d %s" % (name, a.size, " ".join(vals)))
        else:
            vals = ["%x" % v for v in a.astype(np.float32).ravel().view(np.uint32)]
            lines.append("%s 0 %d %s" % (name, a.size, " ".join(vals)))
    return "\n".join(lines) + "\n"


def test_files():
    rng = np.random.default_rng(3)
    arrays = {"conv1:kernel": rng.standard_normal((4, 3, 3, 3)).astype(np.float32),
              "conv1:bias": rng.standard_normal(4).astype(np.float16),
              "idx:constant": np.arange(6, dtype=np.int32).reshape(2, 3),
              "s:scale": np.float32(2.5)}
    listing = ["'conv1:kernel' float32 4x3x3x3", "'conv1:bias' float16 4", "'idx:constant' int32 2x3", "'s:scale' float32 scalar"]
    np.savez("good.npz", **arrays)
    np.savez_compressed("goodc.npz", **arrays)
    with open("good.wts", "w") as f:
        f.write(wts_text({k: v for k, v in arrays.items() if k != "idx:constant"}))
    for path, expect in [("good.npz", listing), ("goodc.npz", listing),
                         ("good.wts", ["'conv1:kernel' float32 108", "'conv1:bias' float16 4", "'s:scale' float32 1"])]:
        rc, out, err = kiln("refit", "--loadEngine", "absent.engine", "--weights", path, "--saveEngine", "o.engine", "--verbose")
        # Read and listed; then the (absent) engine stops it.
        check(rc == 1 and all(e in out for e in expect) and "absent.engine" in err, "reads " + path, out + err)

    # Malformed archives and arrays.
    good = open("good.npz", "rb").read()
    open("truncated.npz", "wb").write(good[: len(good) // 2])
    refit_fails("truncated.npz", ["truncated"])
    open("short.npz", "wb").write(good[:10])
    refit_fails("short.npz", ["not a .npz"])
    open("badmagic.npz", "wb").write(b"XX" + good[2:])
    refit_fails("badmagic.npz", ["truncated or malformed local header"])
    open("garbage.npz", "wb").write(os.urandom(3000))
    refit_fails("garbage.npz", ["not a .npz"])
    damaged = bytearray(open("goodc.npz", "rb").read())
    damaged[60:80] = b"\xff" * 20
    open("damaged.npz", "wb").write(bytes(damaged))
    refit_fails("damaged.npz", ["conv1:kernel"])
    plain = bytearray(good)
    i = plain.find(b"\x93NUMPY")
    plain[i + 200] ^= 0xFF  # a value byte of the first array: only the CRC sees it
    open("crc.npz", "wb").write(bytes(plain))
    refit_fails("crc.npz", ["CRC mismatch"])
    np.savez("fortran.npz", **{"a:kernel": np.asfortranarray(np.ones((3, 4), np.float32))})
    refit_fails("fortran.npz", ["Fortran-ordered"])
    np.savez("f64.npz", **{"a:kernel": np.ones(3)})
    refit_fails("f64.npz", ["dtype '<f8' is not supported"])
    np.savez("i64.npz", **{"a:kernel": np.ones(3, np.int64)})
    refit_fails("i64.npz", ["dtype '<i8' is not supported"])
    np.savez("big.npz", **{"a:kernel": np.ones(3, ">f4")})
    refit_fails("big.npz", ["dtype '>f4' is not supported"])
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
    stored_npz("shortdata.npz", {"a:kernel.npy": npy_bytes(hdr, b"\0" * 12)})
    refit_fails("shortdata.npz", ["truncated data"])
    stored_npz("longdata.npz", {"a:kernel.npy": npy_bytes(hdr, b"\0" * 20)})
    refit_fails("longdata.npz", ["follow the array"])
    stored_npz("v2.npz", {"a:kernel.npy": npy_bytes(hdr, b"\0" * 16, version=2)})
    rc, out, err = kiln("refit", "--loadEngine", "absent.engine", "--weights", "v2.npz", "--saveEngine", "o.engine", "--verbose")
    check(rc == 1 and "'a:kernel' float32 4" in out, "reads a version 2 .npy", out + err)
    stored_npz("npymagic.npz", {"a:kernel.npy": b"NOTNUMPY" + b"\0" * 40})
    refit_fails("npymagic.npz", ["bad magic"])
    stored_npz("hdrlie.npz", {"a:kernel.npy": b"\x93NUMPY\x01\x00\xff\xff{'descr'"})
    refit_fails("hdrlie.npz", ["truncated .npy header"])
    stored_npz("badhdr.npz", {"a:kernel.npy": npy_bytes("{'descr': '<f4', 'shape': (4x,), 'fortran_order': False}", b"\0" * 16)})
    refit_fails("badhdr.npz", ["malformed .npy header"])
    stored_npz("hugeshape.npz", {"a:kernel.npy": npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }")})
    refit_fails("hugeshape.npz", ["too large"])
    stored_npz("notnpy.npz", {"readme.txt": b"hello"})
    refit_fails("notnpy.npz", ["'readme.txt' is not a .npy"])
    np.save("single.npy", np.ones(3, np.float32))
    refit_fails("single.npy", ["single .npy"])
    open("short.wts", "w").write("2\nw 0 4 3f800000 3f800000\n")
    refit_fails("short.wts", ["ends after 2 of 4"])
    open("badtype.wts", "w").write("1\nw 7 1 3f800000\n")
    refit_fails("badtype.wts", ["unsupported type 7"])
    open("notcount.wts", "w").write("hello\n")
    refit_fails("notcount.wts", ["number of blobs"])

    # Names: neither '<layer>:<role>' nor (without --onnx) anything else.
    np.savez("names.npz", **{"conv1:kernel": np.ones(3, np.float32), "foo": np.ones(1, np.float32),
                             "conv1:weights": np.ones(1, np.float32)})
    refit_fails("names.npz", ["2 unknown weight name", "'foo'", "'conv1:weights'"])
    # Argument errors.
    rc, _, err = kiln("refit", "--weights", "good.npz")
    check(rc == 2 and "--loadEngine" in err, "refit without --loadEngine/--saveEngine is a usage error", err)
    rc, _, err = kiln("refit", "--loadEngine", "a", "--weights", "good.npz", "--saveEngine", "b", "--bogus", "1")
    check(rc == 2 and "--bogus" in err, "unknown option", err)
    rc, _, err = kiln("refit", "--loadEngine", "a", "--weights", "absent.npz", "--saveEngine", "b")
    check(rc == 1 and "absent.npz" in err, "absent weights file", err)


# ---- the ONNX round trip ------------------------------------------------------------------------

def make_model():
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(7)
    init = {
        "W1": rng.standard_normal((4, 3, 3, 3)), "B1": rng.standard_normal(4),
        "gamma": rng.uniform(0.5, 1.5, 4), "beta": rng.standard_normal(4),
        "mean": rng.standard_normal(4) * 0.1, "var": rng.uniform(0.5, 1.5, 4),
        "W2": rng.standard_normal((6, 4, 3, 3)) * 0.3, "B2": rng.standard_normal(6),
        "Wg": rng.standard_normal((5, 96)) * 0.1, "Cg": rng.standard_normal(5),
        "M": rng.standard_normal((5, 3)), "Ab": rng.standard_normal(3),
    }
    init = {k: v.astype(np.float32) for k, v in init.items()}
    nodes = [
        helper.make_node("Conv", ["x", "W1", "B1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], ["n1"], name="bn1", epsilon=1e-5),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "W2", "B2"], ["c2"], name="conv2", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Flatten", ["r2"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "Wg", "Cg"], ["g"], name="gemm1", transB=1),
        helper.make_node("MatMul", ["g", "M"], ["m"], name="matmul1"),
        helper.make_node("Add", ["m", "Ab"], ["y"], name="add1"),
    ]
    graph = helper.make_graph(nodes, "refit_cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
                              [numpy_helper.from_array(v, k) for k, v in init.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model, init


def with_initializers(model, values):
    import onnx
    from onnx import numpy_helper
    m = onnx.ModelProto()
    m.CopyFrom(model)
    for t in m.graph.initializer:
        if t.name in values:
            t.CopyFrom(numpy_helper.from_array(values[t.name], t.name))
    return m


def ort_run(model, x):
    import onnxruntime as ort
    s = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return s.run(None, {"x": x})[0]


def kiln_run(engine, outdir):
    os.makedirs(outdir, exist_ok=True)
    rc, out, err = kiln("run", "--loadEngine", engine, "--input", "x=x.npy", "--outputDir", outdir)
    check(rc == 0, "kiln run " + engine, out + err)
    return np.load(os.path.join(outdir, "y.npy")) if rc == 0 else None


def close(a, b):
    return a is not None and a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-5)


def test_onnx():
    import onnx
    model, init = make_model()
    onnx.save(model, "m.onnx")
    rng = np.random.default_rng(11)
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    np.save("x.npy", x)
    rc, out, err = kiln("build", "--onnx", "m.onnx", "--refit", "--saveEngine", "a.engine")
    check(rc == 0, "kiln build --refit", out + err)
    if rc:
        return
    before = kiln_run("a.engine", "out_a")
    check(close(before, ort_run(model, x)), "the refittable engine matches ONNX Runtime")

    # New values for every initializer. The batch norm's are folded into a Scale layer ('bn1') by the
    # parser, so they are given by layer and role, computed as the parser computes them.
    new = {k: (rng.standard_normal(v.shape) * (0.3 if v.ndim > 1 else 1.0)).astype(np.float32) for k, v in init.items()}
    new["var"] = rng.uniform(0.5, 1.5, 4).astype(np.float32)
    new["gamma"] = rng.uniform(0.5, 1.5, 4).astype(np.float32)
    scale = (new["gamma"].astype(np.float64) / np.sqrt(new["var"].astype(np.float64) + 1e-5))
    shift = new["beta"] - new["mean"].astype(np.float64) * scale
    entries = {k: v for k, v in new.items() if k not in ("gamma", "beta", "mean", "var")}
    entries["bn1:scale"] = scale.astype(np.float32)
    entries["bn1:shift"] = shift.astype(np.float32)
    expected = ort_run(with_initializers(model, new), x)
    check(not close(before, expected), "the new weights change the output")

    np.savez("new.npz", **entries)
    rc, out, err = kiln("refit", "--loadEngine", "a.engine", "--weights", "new.npz", "--onnx", "m.onnx", "--saveEngine", "b.engine")
    check(rc == 0, "kiln refit (.npz by initializer names)", out + err)
    check(close(kiln_run("b.engine", "out_b"), expected), "the refit engine matches ONNX Runtime with the new weights")

    np.savez_compressed("newc.npz", **entries)
    rc, out, err = kiln("refit", "--loadEngine", "a.engine", "--weights", "newc.npz", "--onnx", "m.onnx", "--saveEngine", "c.engine")
    check(rc == 0, "kiln refit (np.savez_compressed)", out + err)
    check(close(kiln_run("c.engine", "out_c"), expected), "the compressed refit matches too")

    with open("new.wts", "w") as f:
        f.write(wts_text(entries))
    rc, out, err = kiln("refit", "--loadEngine", "a.engine", "--weights", "new.wts", "--onnx", "m.onnx", "--saveEngine", "d.engine")
    check(rc == 0, "kiln refit (.wts)", out + err)
    check(close(kiln_run("d.engine", "out_d"), expected), "the .wts refit matches too")

    # Part of a fused group: conv1's kernel without the batch norm folded into it.
    np.savez("part.npz", W1=new["W1"])
    rc, out, err = kiln("refit", "--loadEngine", "a.engine", "--weights", "part.npz", "--onnx", "m.onnx", "--saveEngine", "p.engine")
    check(rc == 1 and "missing" in err and "'bn1' scale" in err and "'bn1' shift" in err and not os.path.exists("p.engine"),
          "a partial group fails and names the missing pairs", "rc=%d %s" % (rc, err))
    # Unknown names, and initializers the parser transforms (not in its refit map).
    np.savez("unknown.npz", W1=new["W1"], nosuch=np.ones(2, np.float32), gamma=new["gamma"])
    rc, out, err = kiln("refit", "--loadEngine", "a.engine", "--weights", "unknown.npz", "--onnx", "m.onnx", "--saveEngine", "u.engine")
    check(rc == 1 and "'nosuch'" in err and "'gamma'" in err and "'W1'" not in err, "unknown names are named", err)
    # A wrong count is refused by the engine.
    np.savez("count.npz", **{**entries, "B1": np.ones(5, np.float32)})
    rc, out, err = kiln("refit", "--loadEngine", "a.engine", "--weights", "count.npz", "--onnx", "m.onnx", "--saveEngine", "w.engine")
    check(rc == 1 and "'conv1' bias" in err, "a wrong count is refused", err)
    # An engine built without --refit.
    rc, out, err = kiln("build", "--onnx", "m.onnx", "--saveEngine", "plain.engine")
    rc, out, err = kiln("refit", "--loadEngine", "plain.engine", "--weights", "new.npz", "--onnx", "m.onnx", "--saveEngine", "q.engine")
    check(rc == 1 and "refit" in err, "an engine built without --refit is refused", err)


def main():
    global KILN
    if len(sys.argv) != 4 or sys.argv[1] not in ("files", "onnx"):
        print(__doc__, file=sys.stderr)
        return 2
    KILN = os.path.abspath(sys.argv[2])
    os.makedirs(sys.argv[3], exist_ok=True)
    os.chdir(sys.argv[3])
    test_files() if sys.argv[1] == "files" else test_onnx()
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        return 1
    print("REFIT-%s-OK" % sys.argv[1].upper())
    return 0


if __name__ == "__main__":
    sys.exit(main())
