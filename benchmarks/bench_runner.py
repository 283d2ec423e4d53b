"""The study runner on 1 and 2 local Dask workers against the embedded run, in the same run.

    python benchmarks/bench_runner.py [--tasks 100] [--samples 40000] [--keep DIR]

The study: the smearing kind, one scan of ``--tasks`` sphere radii (1 mm to 1 cm, copper, 10 cm
apart, 1 MeV line; the wake estimator at every point, so the tasks cost alike), ``--samples``
surface samples × 8 replicas per task (~0.5 s per task on one core of a quiet 2-core machine).
Runs, each into its own folder:

1. embedded, numba on 1 thread (the serial baseline: the sum of the task times);
2. ``--workers 1``: a LocalCluster of one single-threaded worker process;
3. ``--workers 2``: two of them;
4. embedded, numba on every core (the default mode).

Prints per run the wall time of the task phase (a cluster's start and stop included) and of the
whole run (with the reduction and the figures), and the cores the tasks obtained (their CPU time
over the task phase without start/stop: below the workers' count when other work shares the
cores); then the speed-up of 2 workers over 1, the runner's overhead per task (the task phase
on 1 worker without start/stop minus the tasks' own wall time), and checks that every run
gave the same numbers (results.json without wall times, CSV bytes). The machine's 1-minute load
average is printed before each run: other work on the cores slows every mode, and takes from 2
workers what they would gain on an idle machine.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

STUDY = """[study]
name = "bench-runner"
kind = "smearing"

[smearing]
samples = {samples}
replicas = 8
seed = 1
criterion_samples = 2000

[[smearing.scans]]
name = "body size"
regime = "bodies"
variable = "body_radius_m"
values = [{values}]
"""


def _numbers(out):
    from nusim.studies.runner import reproducible_results

    out = Path(out)
    return reproducible_results(out / "results.json"), (out / "smearing.csv").read_bytes()


def _load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed_run_task(p, task):
    """The smearing kind's task with its CPU and wall time (keys ending in "seconds": not
    part of the reproducible results)."""
    from nusim.studies import smearing_study

    c0, t0 = time.process_time(), time.perf_counter()
    row = smearing_study.run_task(p, task)
    return {"row": row, "cpu_seconds": time.process_time() - c0,
            "wall_seconds": time.perf_counter() - t0}


def timed_reduce(p, task_list, results):
    from nusim.studies import smearing_study

    data = smearing_study.reduce(p, task_list, [r["row"] for r in results])
    data["bench_task_cpu_seconds"] = [r["cpu_seconds"] for r in results]
    data["bench_task_wall_seconds"] = [r["wall_seconds"] for r in results]
    return data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=100)
    ap.add_argument("--samples", type=int, default=40_000)
    ap.add_argument("--keep", default=None, help="folder for the runs' output (default: temp)")
    args = ap.parse_args(argv)

    import numba

    from nusim.studies import smearing_study
    from nusim.studies.run import load_study, run_study
    from nusim.studies.runner import Execution, execute

    # the smearing kind, its tasks timed (what a CPU-shared machine gave each task)
    kind = SimpleNamespace(KIND=smearing_study.KIND, tasks=smearing_study.tasks,
                           run_task=timed_run_task, reduce=timed_reduce,
                           write=smearing_study.write)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-runner-"))
    folder.mkdir(parents=True, exist_ok=True)
    study = folder / "study.toml"
    radii = ", ".join(f"{r:.6g}" for r in np.geomspace(1e-3, 1e-2, args.tasks))
    study.write_text(STUDY.format(samples=args.samples, values=radii))
    # compile (or load) the kernels once, outside every timing
    warm = folder / "warm.toml"
    warm.write_text(STUDY.format(samples=200, values="1e-3"))
    run_study(warm, output_dir=folder / "warm", progress=False)
    config = load_study(study)

    print(f"study: {args.tasks} tasks (smearing, bodies regime, {args.samples} samples × 8 "
          f"replicas each); {os.cpu_count()} cores")
    print(f"load average (1, 5, 15 min) before: {_load()}")
    default_threads = numba.get_num_threads()
    runs = [("embedded, numba 1 thread", None, 1), ("--workers 1", 1, default_threads),
            ("--workers 2", 2, default_threads),
            (f"embedded, numba {default_threads} threads", None, default_threads)]
    rows = {}
    for name, workers, threads in runs:
        numba.set_num_threads(threads)
        out = folder / name.replace(" ", "_").replace(",", "").replace("-", "")
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        files = execute(kind, config, out, execution=Execution(workers=workers),
                        progress=False)
        wall = time.perf_counter() - t0
        doc = json.loads((out / "results.json").read_text())["results"]
        run = files.task_seconds - files.cluster_seconds
        cpu, task_wall = sum(doc["bench_task_cpu_seconds"]), sum(doc["bench_task_wall_seconds"])
        rows[name] = {"tasks": files.task_seconds, "run": run, "numbers": _numbers(out),
                      "task_wall": task_wall}
        print(f"  {name:27s} task phase {files.task_seconds:6.1f} s (cluster start/stop "
              f"{files.cluster_seconds:4.1f} s), whole run {wall:6.1f} s; "
              f"{files.task_seconds / args.tasks:.3f} s/task; cores obtained "
              f"{cpu / run:.2f}; load before {load:.2f}", flush=True)
    numba.set_num_threads(default_threads)
    print(f"load average (1, 5, 15 min) after:  {_load()}")
    one, two = rows["--workers 1"], rows["--workers 2"]
    print(f"speed-up 1 → 2 workers: {one['tasks'] / two['tasks']:.2f}× (task phase; aim "
          f"≥ 1.8×), {one['run'] / two['run']:.2f}× without the cluster's start and stop")
    print(f"runner overhead per task on 1 worker: "
          f"{(one['run'] - one['task_wall']) / args.tasks * 1e3:.1f} ms (task phase without "
          f"start/stop, minus the tasks' own wall time, over the tasks)")
    print(f"2 workers against the default embedded run: "
          f"{rows[runs[3][0]]['tasks'] / two['tasks']:.2f}×")
    ref = rows[runs[0][0]]["numbers"]
    same = all(r["numbers"] == ref for r in rows.values())
    print(f"identical numbers in every mode: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
