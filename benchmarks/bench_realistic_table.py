"""Benchmark of the realistic table (runs/realistic-table.toml): wall time per experiment and
in total on this machine (the issue's aim: the whole table in ≤ 15 minutes on 2 cores), and
for the term-sampled Washington 2020 the baseline of summing every pair term, extrapolated
from the measured time per computed term (prints; no assertions).

Usage: python benchmarks/bench_realistic_table.py [--quick]
"""

import argparse
import time
from collections import defaultdict

import numpy as np

from nusim.studies import realistic_table as rt
from nusim.studies.run import load_study

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a quarter of the samples, 2 times")
    a = ap.parse_args()
    np.seterr(all="ignore")
    cfg = load_study(ROOT / "runs" / "realistic-table.toml")
    p = cfg["realistic_table"]
    if a.quick:
        for exp in p["experiments"]:
            exp["samples"] = max(500, exp["samples"] // 4)
            exp["n_times"] = min(exp["n_times"], 2)
    tasks = rt.tasks(p)
    per = defaultdict(float)
    results = []
    t_all = time.perf_counter()
    for t in tasks:
        t0 = time.perf_counter()
        results.append(rt.run_task(p, t))
        per[p["experiments"][t[0]]["label"]] += time.perf_counter() - t0
    total = time.perf_counter() - t_all
    data = rt.reduce(p, tasks, results)
    print(f"realistic table: {len(tasks)} tasks, {total:.0f} s in total "
          f"({total / 60:.1f} min; aim ≤ 15 min on 2 cores)")
    for label, sec in per.items():
        print(f"  {label:28s} {sec:7.1f} s")
    for e in data["rows"]:
        r = e.get("ratio")
        if r is not None and "term-sampled" in r.name:
            exp = next(x for x in p["experiments"] if x["label"] == e["experiment"])
            sig = next(res[0] for t, res in zip(tasks, results, strict=True)
                       if p["experiments"][t[0]]["label"] == e["experiment"] and res[0])
            n_done = len(sig.terms)
            n_all = int(r.name.split(" of ")[1].split(" terms")[0])
            per_term = per[e["experiment"]] / max(n_done * e["configurations"], 1)
            print(f"  baseline for {e['experiment']}: every one of {n_all} terms at "
                  f"{exp['samples']} samples ≈ {per_term * n_all * e['configurations'] / 3600:.1f}"
                  f" h ({per_term:.2f} s per term, {n_done} computed per configuration)")


if __name__ == "__main__":
    main()
