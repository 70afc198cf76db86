#!/usr/bin/env bash
# Installs what Kiln needs to build and test on Debian 12: a C++17 compiler, CMake, GoogleTest,
# Google Benchmark, protobuf, Debian's ONNX packages (libonnx-dev for the parser,
# libonnx-testdata for the conformance runner), oneDNN (libdnnl-dev, the onednn CPU tactics),
# clang (the fuzz target), zlib (kiln refit reads np.savez_compressed archives), and the pinned Python
# packages of tests/onnx/models/requirements.txt (onnx, onnxruntime, numpy: tests and benchmarks
# only). Installs only what is missing; needs root (or sudo) when something is.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v clang++ >/dev/null 2>&1 || need+=(clang)
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
[ -f /usr/include/benchmark/benchmark.h ] || need+=(libbenchmark-dev)
[ -f /usr/include/google/protobuf/message.h ] || need+=(libprotobuf-dev)
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
[ -f /usr/include/onnx/onnx_pb.h ] || need+=(libonnx-dev)
[ -d /usr/share/libonnx-testdata/data/node ] || need+=(libonnx-testdata)
[ -f /usr/include/dnnl.hpp ] || need+=(libdnnl-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
# Python packages for the ONNX model generator and ONNX Runtime references, at pinned versions.
req=tests/onnx/models/requirements.txt
if ! python3 - "$req" <<'PY' 2>/dev/null
import sys, importlib.metadata as md
for line in open(sys.argv[1]):
    line = line.split('#')[0].strip()
    if line:
        name, version = line.split('==')
        assert md.version(name) == version, name
PY
then
  echo "installing Python packages: $(grep -v '^#' "$req" | tr '\n' ' ')"
  python3 -m pip install -q -r "$req" 2>/dev/null || python3 -m pip install -q --break-system-packages -r "$req"
fi
