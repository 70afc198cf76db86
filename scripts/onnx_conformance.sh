#!/usr/bin/env bash
# Runs the ONNX conformance runner over Debian's libonnx-testdata and refreshes
# docs/onnx_operators.md (CI runs the same runner as the ctest test onnx.conformance, which writes
# <build>/onnx_operators.md and fails below the target pass rates).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${KILN_BUILD_DIR:-build}
scripts/install_deps.sh
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target onnx_conformance
"$BUILD/tests/onnx/onnx_conformance" --data /usr/share/libonnx-testdata/data --report docs/onnx_operators.md "$@"
