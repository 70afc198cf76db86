#!/usr/bin/env python3
"""Compares Kiln's outputs for the generated ONNX models with ONNX Runtime's, as a table.

The models come from tests/onnx/models/make_models.py (MODELS below is its output folder, holding
manifest.json). Kiln's outputs are the .npy files `kiln run --onnx ... --outputDir DIR` writes,
one <output name>.npy per output.

  Compare one model (one run of it) with outputs already written by the CLI:
    scripts/onnx_demo.py MODELS --model resnet50 --kiln-outputs DIR [--run batch4]

  Run the CLI on every model and run, then compare all (the README's main job):
    scripts/onnx_demo.py MODELS --kiln build/tools/kiln/kiln --work build/demo/onnx

  Print the CLI command lines only:
    scripts/onnx_demo.py MODELS --kiln build/tools/kiln/kiln --work DIR --print-commands

An output passes when every element has |kiln - ort| <= atol + rtol * |ort| (the manifest's
per-output tolerances). "max rel" is over elements with |ort| > atol. Exit status 0 when all
compared outputs pass, 1 otherwise, 2 on usage errors.
"""

import argparse
import json
import os
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    sys.exit("onnx_demo.py needs numpy (pip install -r tests/onnx/models/requirements.txt)")


def compare(kiln, ort, rtol, atol):
    """(max abs err, max rel err, worst err/tolerance, passed) of two arrays of one shape."""
    kiln = kiln.astype(np.float64)
    ort = ort.astype(np.float64)
    err = np.abs(kiln - ort)
    ratio = err / (atol + rtol * np.abs(ort))
    big = np.abs(ort) > atol
    max_rel = float(np.max(err[big] / np.abs(ort[big]))) if np.any(big) else 0.0
    worst = float(np.max(ratio)) if ratio.size else 0.0
    passed = bool(np.all(ratio <= 1.0))  # NaN fails
    return float(np.max(err)) if err.size else 0.0, max_rel, worst, passed


def compare_run(models_dir, model, run, kiln_dir):
    """Rows [model, run, output, shape, max abs, max rel, worst/tol, verdict] for one run."""
    rows = []
    for out in run["outputs"]:
        ref = np.load(os.path.join(models_dir, out["npy"]))
        path = os.path.join(kiln_dir, out["name"] + ".npy")
        row = [model["name"], run["label"], out["name"], "x".join(map(str, ref.shape))]
        if not os.path.exists(path):
            rows.append(row + ["-", "-", "-", "FAIL (no %s)" % path])
            continue
        got = np.load(path)
        if got.shape != ref.shape:
            rows.append(row + ["-", "-", "-", "FAIL (shape %s)" % "x".join(map(str, got.shape))])
            continue
        max_abs, max_rel, worst, passed = compare(got, ref, out["rtol"], out["atol"])
        rows.append(row + ["%.3e" % max_abs, "%.3e" % max_rel, "%.3f" % worst, "pass" if passed else "FAIL"])
    return rows


def print_table(rows):
    header = ["model", "run", "output", "shape", "max abs err", "max rel err", "err/tol", "result"]
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join("%-*s" % (w, h) for w, h in zip(widths, header))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join("%-*s" % (w, c) for w, c in zip(widths, r)))


def kiln_command(kiln, models_dir, model, run, out_dir):
    cmd = [kiln, "run", "--onnx", os.path.join(models_dir, model["file"]),
           "--loadInputs", ",".join("%s:%s" % (i["name"], os.path.join(models_dir, i["npy"])) for i in run["inputs"]),
           "--outputDir", out_dir]
    if model.get("profile"):  # dynamic inputs: the run's actual shapes
        cmd += ["--shapes", ",".join("%s:%s" % (i["name"], "x".join(map(str, i["shape"])))
                                     for i in run["inputs"] if i["name"] in model["profile"])]
    return cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("models", help="make_models.py output folder (with manifest.json)")
    ap.add_argument("--model", action="append", help="model(s) to compare (default: all)")
    ap.add_argument("--run", help="run label for models with several runs (e.g. batch1, batch4)")
    ap.add_argument("--kiln-outputs", help="folder of Kiln's <output>.npy files for --model")
    ap.add_argument("--kiln", help="kiln CLI: run it for every selected model and run, then compare")
    ap.add_argument("--work", help="with --kiln: where outputs go (<work>/<model>/<run>/)")
    ap.add_argument("--print-commands", action="store_true", help="with --kiln: print the commands only")
    args = ap.parse_args()

    with open(os.path.join(args.models, "manifest.json")) as f:
        manifest = json.load(f)
    models = {m["name"]: m for m in manifest["models"]}
    chosen = args.model or list(models)
    for name in chosen:
        if name not in models:
            ap.error("no model %s in %s (have: %s)" % (name, args.models, ", ".join(models)))
    if bool(args.kiln) == bool(args.kiln_outputs):
        ap.error("give either --kiln-outputs (with one --model) or --kiln")

    rows = []
    if args.kiln_outputs:
        if len(chosen) != 1:
            ap.error("--kiln-outputs compares one --model")
        model = models[chosen[0]]
        runs = [r for r in model["runs"] if args.run in (None, r["label"])]
        if not runs:
            ap.error("model %s has no run %s (runs: %s)" % (model["name"], args.run,
                                                           ", ".join(r["label"] for r in model["runs"])))
        if len(runs) > 1:
            ap.error("model %s has runs %s: pick one with --run" % (model["name"], ", ".join(r["label"] for r in runs)))
        rows = compare_run(args.models, model, runs[0], args.kiln_outputs)
    else:
        if not args.work:
            ap.error("--kiln needs --work")
        for name in chosen:
            model = models[name]
            for run in model["runs"]:
                if args.run not in (None, run["label"]):
                    continue
                out_dir = os.path.join(args.work, name, run["label"])
                cmd = kiln_command(args.kiln, args.models, model, run, out_dir)
                if args.print_commands:
                    print(" ".join(cmd))
                    continue
                os.makedirs(out_dir, exist_ok=True)
                for stale in os.listdir(out_dir):
                    if stale.endswith(".npy"):
                        os.remove(os.path.join(out_dir, stale))
                done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if done.returncode != 0:
                    tail = done.stdout.strip().splitlines()[-1:] or ["(no output)"]
                    rows.append([name, run["label"], "-", "-", "-", "-", "-",
                                 "FAIL (kiln exit %d: %s)" % (done.returncode, tail[0][:100])])
                    continue
                rows += compare_run(args.models, model, run, out_dir)
        if args.print_commands:
            return 0
    print("Kiln vs ONNX Runtime %s (%s)" % (manifest["versions"]["onnxruntime"], manifest["reference"]))
    print_table(rows)
    failed = sum(1 for r in rows if r[-1] != "pass")
    print("%d of %d outputs pass" % (len(rows) - failed, len(rows)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
