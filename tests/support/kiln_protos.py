"""Python classes for Kiln's own Caffe and UFF schemas, for the test-model generators.

    from kiln_protos import caffe_pb2, uff_pb2

The .proto files under src/parsers/ are compiled with the system protoc (protobuf-compiler) into a
cache folder beside this file's build output on first use, so the tests write files with exactly
the schema the parsers read.
"""
import importlib
import os
import subprocess
import sys
import tempfile

_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_PROTOS = {
    "kiln_caffe": os.path.join(_ROOT, "src", "parsers", "caffe", "proto"),
    "kiln_uff": os.path.join(_ROOT, "src", "parsers", "uff", "proto"),
}


def _load(stem):
    out = os.environ.get("KILN_PROTO_PY_DIR") or os.path.join(tempfile.gettempdir(), "kiln_protos_%d" % os.getuid())
    os.makedirs(out, exist_ok=True)
    src = os.path.join(_PROTOS[stem], stem + ".proto")
    target = os.path.join(out, stem + "_pb2.py")
    if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(src):
        subprocess.run(["protoc", "-I" + _PROTOS[stem], "--python_out=" + out, src], check=True)
    if out not in sys.path:
        sys.path.insert(0, out)
    return importlib.import_module(stem + "_pb2")


caffe_pb2 = _load("kiln_caffe")
uff_pb2 = _load("kiln_uff")
