#!/usr/bin/env bash
# Fuzzes nvonnxparser::IParser::parse (then engine build and one run) with libFuzzer, the whole
# library built by clang with AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   scripts/fuzz.sh [seconds [libFuzzer options...]]      (default 60 seconds)
#
# Builds only onnx_parse_fuzzer (and nvinfer, nvonnxparser) in build-fuzz, copies the seeds of
# tests/onnx/fuzz/corpus/ into a scratch corpus (the repository's seeds stay unchanged), and fuzzes
# for the given time. Exits non-zero on any crash, sanitizer report, leak, timeout (-timeout=10) or
# out-of-memory (-rss_limit_mb=2048); the reproducer is written to build-fuzz/fuzz-artifacts/.
# Reproduce one with: build-fuzz/tests/onnx/fuzz/onnx_parse_fuzzer <file>  (KILN_FUZZ_VERBOSE=1 says
# how far the input got: parsed, built, ran). Extra arguments go to libFuzzer (later ones win), e.g.
# `scripts/fuzz.sh 600 -fork=1 -ignore_timeouts=1` to keep going past hangs.
#
# Environment: KILN_FUZZ_BUILD_DIR (build-fuzz), KILN_FUZZ_JOBS (build parallelism, 2),
# KILN_FUZZ_CORPUS (keep the grown corpus in this folder instead of a temporary one),
# KILN_FUZZ_SEED and KILN_FUZZ_RUNS (a fixed seed and number of inputs make a run repeatable: CI
# uses them, so its result depends on the code, not on luck; the time limit stays a backstop).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TIME=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
BUILD=$(realpath -m "${KILN_FUZZ_BUILD_DIR:-build-fuzz}")
JOBS=${KILN_FUZZ_JOBS:-2}

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is needed (apt-get install clang)" >&2
  exit 1
fi

# -O1 with line tables (asserts stay on); sanitizers and coverage come from the Kiln options.
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  "-DKILN_SANITIZE=address;undefined" -DKILN_BUILD_FUZZERS=ON \
  -DKILN_BUILD_TESTS=OFF -DKILN_BUILD_TOOLS=OFF >/dev/null
start=$(date +%s)
cmake --build "$BUILD" -j"$JOBS" --target onnx_parse_fuzzer
echo "fuzz.sh: build took $(( $(date +%s) - start )) s"
FUZZER="$BUILD/tests/onnx/fuzz/onnx_parse_fuzzer"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/kiln-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
CORPUS=${KILN_FUZZ_CORPUS:-$SCRATCH/corpus}
mkdir -p "$CORPUS" "$BUILD/fuzz-artifacts"
cp "$ROOT"/tests/onnx/fuzz/corpus/* "$CORPUS/"
CORPUS=$(realpath "$CORPUS")

# parse() resolves external data against the working folder: run in an empty one.
mkdir -p "$SCRATCH/cwd"
cd "$SCRATCH/cwd"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KILN_NUM_THREADS=${KILN_NUM_THREADS:-1}
status=0
REPEATABLE=()
[ -n "${KILN_FUZZ_SEED:-}" ] && REPEATABLE+=(-seed="$KILN_FUZZ_SEED")
[ -n "${KILN_FUZZ_RUNS:-}" ] && REPEATABLE+=(-runs="$KILN_FUZZ_RUNS")
"$FUZZER" -max_total_time="$TIME" -max_len=65536 -timeout=10 -rss_limit_mb=2048 "${REPEATABLE[@]}" \
  -artifact_prefix="$BUILD/fuzz-artifacts/" -print_final_stats=1 "$@" "$CORPUS" || status=$?
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: FAILED (exit $status); reproducers in $BUILD/fuzz-artifacts/" >&2
  exit "$status"
fi
echo "fuzz.sh: no findings (time limit $TIME s)"
