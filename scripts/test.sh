#!/usr/bin/env bash
# Builds Kiln and runs its test suite. `scripts/test.sh` is the Release build; with
# `--sanitize` the same suite is built with AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${KILN_DATA_DIR:-../shared/data}
BUILD=${KILN_BUILD_DIR:-build}
ARGS=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  BUILD=${KILN_BUILD_DIR:-build-asan}
  ARGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DKILN_SANITIZE=address;undefined")
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
scripts/install_deps.sh
cmake -S . -B "$BUILD" "${ARGS[@]}" -DKILN_DATA_DIR="$(realpath "$DATA")" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
# The optimizer's IR verifier runs after every pass in every test (docs/optimizer.md).
export KILN_VERIFY_PASSES=${KILN_VERIFY_PASSES:-1}
# oneDNN's OpenMP threads sleep between calls instead of spinning against Kiln's pool and the
# other tests running beside them (README: threads).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)"
