#!/usr/bin/env bash
# Fuzzes Kiln's parsers with libFuzzer, the whole library built by clang with AddressSanitizer +
# UndefinedBehaviorSanitizer. Each target parses its input, then builds and runs what parses:
#   onnx   nvonnxparser::IParser::parse                 seeds: tests/onnx/fuzz/corpus
#   caffe  nvcaffeparser1::ICaffeParser::parseBuffers   seeds: tests/caffe/fuzz/corpus
#   uff    nvuffparser::IUffParser::parseBuffer         seeds: tests/uff/fuzz/corpus
#
#   scripts/fuzz.sh [seconds [libFuzzer options...]]      (default 60 seconds per target)
#
# KILN_FUZZ_TARGETS picks targets (default: "onnx caffe uff"). Builds them in build-fuzz, copies
# each target's seeds into a scratch corpus (the repository's seeds stay unchanged), and fuzzes
# each for the given time. Exits non-zero on any crash, sanitizer report, leak, timeout
# (-timeout=10) or out-of-memory (-rss_limit_mb=2048); the reproducer is written to
# build-fuzz/fuzz-artifacts/<target>-. Reproduce one with:
#   build-fuzz/tests/<target>/fuzz/<target>_parse_fuzzer <file>
# (KILN_FUZZ_VERBOSE=1 says how far the input got: parsed, built, ran). Extra arguments go to
# libFuzzer (later ones win), e.g. `scripts/fuzz.sh 600 -fork=1 -ignore_timeouts=1`.
#
# Environment: KILN_FUZZ_BUILD_DIR (build-fuzz), KILN_FUZZ_JOBS (build parallelism, 2),
# KILN_FUZZ_CORPUS (keep the grown corpora in <dir>/<target> instead of temporary ones),
# KILN_FUZZ_SEED and KILN_FUZZ_RUNS (a fixed seed and number of inputs per target make a run
# repeatable: CI uses them, so its result depends on the code, not on luck; the time limit stays a
# backstop).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TIME=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
BUILD=$(realpath -m "${KILN_FUZZ_BUILD_DIR:-build-fuzz}")
JOBS=${KILN_FUZZ_JOBS:-2}
DEFAULT_TARGETS=""
for t in onnx caffe uff; do
  [ -f "tests/$t/fuzz/CMakeLists.txt" ] && DEFAULT_TARGETS="$DEFAULT_TARGETS $t"
done
TARGETS=${KILN_FUZZ_TARGETS:-$DEFAULT_TARGETS}

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
BINARIES=()
for t in $TARGETS; do
  if [ ! -f "$ROOT/tests/$t/fuzz/CMakeLists.txt" ]; then
    echo "fuzz.sh: unknown target '$t' (no tests/$t/fuzz)" >&2
    exit 2
  fi
  BINARIES+=("${t}_parse_fuzzer")
done
cmake --build "$BUILD" -j"$JOBS" --target "${BINARIES[@]}"
echo "fuzz.sh: build took $(( $(date +%s) - start )) s"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/kiln-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$BUILD/fuzz-artifacts" "$SCRATCH/cwd"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KILN_NUM_THREADS=${KILN_NUM_THREADS:-1}
REPEATABLE=()
[ -n "${KILN_FUZZ_SEED:-}" ] && REPEATABLE+=(-seed="$KILN_FUZZ_SEED")
[ -n "${KILN_FUZZ_RUNS:-}" ] && REPEATABLE+=(-runs="$KILN_FUZZ_RUNS")
failed=()
for t in $TARGETS; do
  FUZZER="$BUILD/tests/$t/fuzz/${t}_parse_fuzzer"
  CORPUS=${KILN_FUZZ_CORPUS:+$KILN_FUZZ_CORPUS/$t}
  CORPUS=${CORPUS:-$SCRATCH/corpus-$t}
  mkdir -p "$CORPUS"
  cp "$ROOT"/tests/"$t"/fuzz/corpus/* "$CORPUS/"
  CORPUS=$(realpath "$CORPUS")
  echo "fuzz.sh: == $t ($(ls "$CORPUS" | wc -l) seeds, up to $TIME s)"
  # The ONNX parser resolves external data against the working folder: run in an empty one.
  status=0
  (cd "$SCRATCH/cwd" && "$FUZZER" -max_total_time="$TIME" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    "${REPEATABLE[@]}" -artifact_prefix="$BUILD/fuzz-artifacts/$t-" -print_final_stats=1 "$@" "$CORPUS") || status=$?
  if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $t FAILED (exit $status); reproducers in $BUILD/fuzz-artifacts/$t-*" >&2
    failed+=("$t")
  fi
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: no findings in: $TARGETS (time limit $TIME s each)"
