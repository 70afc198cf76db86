#!/usr/bin/env python3
"""What timed tactic selection costs and buys, measured in one run with the kiln tool.

1. Build time of a ResNet-50-sized network (the kiln zoo's resnet50: 224x224, 25.6 M weights, batch
   norm as channel scales) with a cold timing cache (empty file) and with the warm cache the cold build
   saved. Reports each median over --builds builds and the ratio cold/warm (target: >= 5).
2. Run time of the timed engine vs a reference-only engine of the same network (--tactics reference),
   both with `kiln bench` (median of --iterations runs after --warmup runs). Reports the ratio
   reference/timed (above 1: the timed engine is faster).
3. Run time of the timed engine vs the same engine with every tensor row-major
   (KILN_DISABLE_PASSES=layout_choice; the warm timing cache gives both the same tactics): what
   keeping tensors channel-blocked between oneDNN layers buys. The two are benchmarked in turn,
   --rounds times each, and the medians compared. Also counts the blocked tensors and Reformat layers.
4. The per-layer tactic table of the timed engine (`kiln inspect` of a --profilingVerbosity detailed
   build) with --table.

    bench/builder_bench.py --kiln build/tools/kiln/kiln [--zoo resnet50] [--builds 3] [--iterations 5] [--table]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile


def run(cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def build_ms(out):
    return float(re.search(r"in ([0-9.]+) ms", out).group(1))


def bench_median(kiln, engine, iterations, warmup):
    out = run([kiln, "bench", "--loadEngine", engine, "--iterations", str(iterations), "--warmup", str(warmup), "--no-profile"])
    return float(re.search(r"median ([0-9.]+)", out).group(1))


def print_table(info):
    """One row per engine layer: the network layers it covers, the chosen tactic, every candidate."""
    print(f'{"engine layer":<18} {"covers":<46} {"chosen tactic":<34} candidates (ms, workspace bytes)')
    for layer in info["Layers"]:
        covers = ",".join(s.split(".")[-1] if layer["Name"].split(".")[:-1] == s.split(".")[:-1] else s
                          for s in layer["SourceLayers"])
        cands = "  ".join(f'{c["TacticName"].split(".cpu.")[1]} {c["TimeMs"]:.3f}/{c["WorkspaceBytes"]}'
                          if c["TimeMs"] >= 0 else f'{c["TacticName"].split(".cpu.")[1]} -/{c["WorkspaceBytes"]}'
                          for c in layer["Candidates"])
        print(f'{layer["Name"]:<18} {covers:<46} {layer["TacticName"]:<34} {cands}')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kiln", required=True)
    p.add_argument("--zoo", default="resnet50")
    p.add_argument("--builds", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3, help="alternating benchmark rounds, layouts vs row-major")
    p.add_argument("--table", action="store_true", help="print the timed engine's per-layer tactic table")
    a = p.parse_args()
    threads = os.environ.get("KILN_NUM_THREADS", str(os.cpu_count()))
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "cache.bin")
        timed = os.path.join(tmp, "timed.engine")
        reference = os.path.join(tmp, "reference.engine")
        base = [a.kiln, "build", "--zoo", a.zoo]
        cold, warm = [], []
        for _ in range(a.builds):
            if os.path.exists(cache):
                os.remove(cache)
            cold.append(build_ms(run(base + ["--timingCache", cache])))
            warm.append(build_ms(run(base + ["--timingCache", cache])))
        run(base + ["--timingCache", cache, "--profilingVerbosity", "detailed", "--saveEngine", timed])
        run(base + ["--tactics", "reference", "--saveEngine", reference])
        row_major = os.path.join(tmp, "row_major.engine")
        run(base + ["--timingCache", cache, "--saveEngine", row_major], env=dict(os.environ, KILN_DISABLE_PASSES="layout_choice"))
        t_timed = bench_median(a.kiln, timed, a.iterations, a.warmup)
        t_ref = bench_median(a.kiln, reference, a.iterations, a.warmup)
        with_layouts, without_layouts = [], []
        for _ in range(a.rounds):
            with_layouts.append(bench_median(a.kiln, timed, a.iterations, a.warmup))
            without_layouts.append(bench_median(a.kiln, row_major, a.iterations, a.warmup))
        info = json.loads(run([a.kiln, "inspect", "--loadEngine", timed, "--json"]))
        blocked = {t["Name"] for layer in info["Layers"] for t in layer["Inputs"] + layer["Outputs"]
                   if t and t["Format"] != "kLINEAR"}
        reformats = sum(1 for layer in info["Layers"] if layer["LayerType"] == "Reformat")
        print(f"{a.zoo}, {threads} threads")
        print(f"build, cold timing cache: median {statistics.median(cold):9.1f} ms  ({', '.join(f'{x:.0f}' for x in cold)})")
        print(f"build, warm timing cache: median {statistics.median(warm):9.1f} ms  ({', '.join(f'{x:.0f}' for x in warm)})")
        print(f"cold / warm: {statistics.median(cold) / statistics.median(warm):.1f}x")
        print(f"run, timed engine:          median {t_timed:9.2f} ms over {a.iterations} runs")
        print(f"run, reference-only engine: median {t_ref:9.2f} ms over {a.iterations} runs")
        print(f"reference / timed: {t_ref / t_timed:.1f}x")
        print(f"layout choice: {len(blocked)} blocked tensors, {reformats} Reformat layers")
        print(f"run, chosen layouts: median {statistics.median(with_layouts):9.2f} ms  ({', '.join(f'{x:.2f}' for x in with_layouts)})")
        print(f"run, all row-major:  median {statistics.median(without_layouts):9.2f} ms  ({', '.join(f'{x:.2f}' for x in without_layouts)})")
        print(f"row-major / chosen layouts: {statistics.median(without_layouts) / statistics.median(with_layouts):.2f}x")
        if a.table:
            print_table(info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
