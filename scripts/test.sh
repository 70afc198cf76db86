#!/usr/bin/env bash
# Builds Kiln and runs its test suite. `scripts/test.sh` is the Release build; with
# `--sanitize` the same suite is built with AddressSanitizer + UndefinedBehaviorSanitizer. With
# `--tsan` only what the `threads`-labelled tests need (the concurrency test program and the kiln
# tool) is built with ThreadSanitizer, and those tests run restricted to Kiln's own tactics: oneDNN
# and its OpenMP runtime are not instrumented (scripts/tsan.supp lists only third-party code).
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
if [ "${1:-}" = "--tsan" ]; then
  BUILD=${KILN_BUILD_DIR:-build-tsan}
  scripts/install_deps.sh
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_SANITIZE=thread -DKILN_BUILD_BENCH=OFF \
    -DKILN_DATA_DIR="$(realpath "$DATA")" >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target kiln_concurrency_tests kiln
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$(realpath scripts/tsan.supp)}
  export KILN_TACTICS=${KILN_TACTICS:-im2col_gemm,gemm.avx2,pooling.cpu.direct,vector}
  export KILN_NUM_THREADS=${KILN_NUM_THREADS:-3}
  # threads.concurrency (the Concurrency.* program) and threads.one_vs_many_*; tests of programs
  # not built here are not labelled and do not run.
  ctest --test-dir "$BUILD" --output-on-failure -L threads
  exit 0
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
