#!/usr/bin/env python3
"""Latency of Kiln vs ONNX Runtime on the generated ONNX models, measured in the same run.

For each model of a make_models.py folder: `kiln bench --onnx` (median of --iterations runs after
--warmup runs) and an ONNX Runtime CPU session on the same inputs (same number of timed runs, all
graph optimizations on, intra-op threads = KILN_NUM_THREADS or the CPU count). Prints both medians
and the ratio Kiln/ORT (below 1 means Kiln is faster).

    bench/onnx_vs_ort.py build/onnx_models --kiln build/tools/kiln/kiln [--model resnet50] [--iterations 10]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort


def kiln_median(kiln, model_dir, model, run, iterations, warmup):
    cmd = [kiln, "bench", "--onnx", os.path.join(model_dir, model["file"]), "--iterations", str(iterations),
           "--warmup", str(warmup), "--no-profile"]
    loads = [f'{i["name"]}:{os.path.join(model_dir, i["npy"])}' for i in run["inputs"]]
    cmd += ["--loadInputs", ",".join(loads)]
    shapes = [f'{i["name"]}:{"x".join(str(d) for d in i["shape"])}' for i in run["inputs"]]
    cmd += ["--shapes", ",".join(shapes)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = re.search(r"median ([0-9.]+)", out)
    b = re.search(r"build time: ([0-9.]+) ms", out)
    return float(m.group(1)), float(b.group(1)) if b else float("nan")


def ort_median(model_dir, model, run, iterations, warmup, threads):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    start = time.perf_counter()
    sess = ort.InferenceSession(os.path.join(model_dir, model["file"]), opts, providers=["CPUExecutionProvider"])
    load_ms = (time.perf_counter() - start) * 1e3
    feeds = {i["name"]: np.load(os.path.join(model_dir, i["ort_npy"])) for i in run["inputs"]}
    for _ in range(warmup):
        sess.run(None, feeds)
    times = []
    for _ in range(iterations):
        t = time.perf_counter()
        sess.run(None, feeds)
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), load_ms


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models")
    p.add_argument("--kiln", required=True)
    p.add_argument("--model", action="append")
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    manifest = json.load(open(os.path.join(a.models, "manifest.json")))
    threads = int(os.environ.get("KILN_NUM_THREADS", os.cpu_count() or 1))
    print(f"{threads} threads for both; median of {a.iterations} runs after {a.warmup} warm-up runs")
    print(f'{"model":<14} {"run":<8} {"kiln ms":>10} {"ort ms":>10} {"kiln/ort":>9}  {"kiln build ms":>13} {"ort load ms":>11}')
    for model in manifest["models"]:
        if a.model and model["name"] not in a.model:
            continue
        for run in model["runs"]:
            k, kb = kiln_median(a.kiln, a.models, model, run, a.iterations, a.warmup)
            o, ol = ort_median(a.models, model, run, a.iterations, a.warmup, threads)
            print(f'{model["name"]:<14} {run["label"]:<8} {k:>10.2f} {o:>10.2f} {k / o:>9.2f}  {kb:>13.1f} {ol:>11.1f}')
    return 0


if __name__ == "__main__":
    sys.exit(main())
