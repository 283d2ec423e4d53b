"""Benchmark of the whole-apparatus neutrino signal (prints; no assertions).

1. A 48-point 24-hour curve of the solar-beam torque on the example torsion balance
   (geometries/example-torsion-balance.toml, Seattle, 2026-06-21): wall time, and how many points
   are resolved to ≤ 5 %, resolved worse, honest 95 % bounds, or exact zeros (causal, out of
   reach). Baseline in the same run: building the Sun's beams per time the way a user would
   (``nusim.engine.beams.sun_beams`` at every time: the spectra fitted anew) against the study's
   per-date fit scaled by the Earth–Sun distance.
2. An 8-angle real-core reactor scan of the reactor proposal (geometries/reactor-proposal.toml,
   2.9 GW, 10 m, 3 m core): wall time and the torque's errors per angle. Baseline in the same run:
   one attractor → pendulum term at the sample count the convergence study documents for a 3 m
   core (5e5 per replica for ~10 %), timed once, × the number of terms of the scan.

Usage: python benchmarks/bench_apparatus.py [--samples-day N] [--samples-reactor N] [--quick]
"""

import argparse
import time

import numpy as np

from nusim.studies import day_modulation, reactor_signal
from nusim.studies.run import load_study

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _classify(curve, rel=0.05):
    out = {"≤5 %": 0, ">5 %": 0, "bound": 0, "exact 0": 0}
    for v, e, b, z in zip(curve["values"], curve["errors"], curve["upper_bound"],
                          curve["exact_zero"], strict=True):
        if z is not None:
            out["exact 0"] += 1
        elif b:
            out["bound"] += 1
        elif e <= rel * abs(v):
            out["≤5 %"] += 1
        else:
            out[">5 %"] += 1
    return out


def day_curve(samples, n_times):
    cfg = load_study(ROOT / "runs" / "day-modulation.toml")
    p = dict(cfg["day_modulation"], samples=samples, n_times=n_times)
    tasks = day_modulation.tasks(p)
    day_modulation.run_task(p, tasks[0])                       # compile, fit the day's spectra
    t0 = time.perf_counter()
    results = [day_modulation.run_task(p, t) for t in tasks]
    dt = time.perf_counter() - t0
    data = day_modulation.reduce(p, tasks, results)
    curve = data["dates"][0]["curves"]["torque_total_retarded_Nm"]
    print(f"\n1. 24-h curve, example torsion balance, Sun 2026-06-21: {n_times} times × "
          f"{samples} samples × {p['replicas']} replicas per term")
    print(f"   wall time {dt:.1f} s ({dt / n_times:.2f} s per time)")
    print(f"   total retarded torque per point: {_classify(curve)}")
    h1 = data["_estimates"]["dates"][0]["harmonics"]["torque_total_retarded_Nm"][0]
    print(f"   1/day amplitude: {h1['amplitude'].summary()}")
    # baseline: the Sun's beams fitted anew at every time (what a user loop does)
    from nusim.engine.beams import sun_beams
    from nusim.sources import Sun

    site = {"latitude_deg": 47.659, "longitude_deg": -122.303}
    sun = Sun(site["latitude_deg"], site["longitude_deg"])
    t0 = time.perf_counter()
    for hour in (3, 15):
        sun_beams(sun, f"2026-06-21T{hour:02d}:00:00")
    per = (time.perf_counter() - t0) / 2
    print(f"   baseline: sun_beams fitted per time {per:.2f} s each → {per * n_times:.0f} s for "
          f"the beams alone (the study fits once per date and scales: ~0.3 s per time)")


def reactor_scan(samples, baseline_samples):
    cfg = load_study(ROOT / "runs" / "default.toml")
    p = dict(cfg["reactor_signal"], samples=samples, scan_azimuths_deg=[],
             angles_deg=[0, 45, 90, 135, 180, 225, 270, 315])
    tasks = reactor_signal.tasks(p)
    reactor_signal.run_task(p, tasks[0])                       # compile
    t0 = time.perf_counter()
    results = [reactor_signal.run_task(p, t) for t in tasks]
    dt = time.perf_counter() - t0
    print(f"\n2. 8-angle scan, reactor proposal, 3 m core: {samples} samples × "
          f"{p['replicas']} replicas per term")
    print(f"   wall time {dt:.1f} s ({dt / len(tasks):.2f} s per angle)")
    n_terms = 0
    for t, r in zip(tasks, results, strict=True):
        est = r.totals["torque_total_retarded_Nm"]
        att = r.totals["torque_attractor_retarded_Nm"]
        run = sum(1 for term in r.terms if term.estimator not in ("none", ""))
        n_terms += run
        print(f"   {t[1]:5.0f}°  total {est.summary()[:70]}")
        print(f"          attractor {att.summary()[:66]}")
    # baseline: one term at the documented 3 m-core sample count
    from nusim.engine.apparatus_signal import apparatus_bodies
    from nusim.engine.directional import directional_interaction
    from nusim.geometry import load_apparatus
    from nusim.studies import beam_specs

    app = load_apparatus(p["apparatus"])
    pend, others, axis = apparatus_bodies(app, 0.0)
    point, _ = app.axis
    (_, beam), = beam_specs.beams_at(p["beams"][0], point_m=point)
    t0 = time.perf_counter()
    r = directional_interaction(others[0], pend[0], beam, samples=baseline_samples, replicas=8,
                                seed=1, axis=axis, self_force=False, progress=False)
    one = time.perf_counter() - t0
    tq = r["torque_retarded_Nm"]
    print(f"   baseline: one term at {baseline_samples} samples (the documented 3 m-core count) "
          f"{one:.1f} s → {one * max(n_terms, 1):.0f} s for the scan's {n_terms} computed terms; "
          f"that term: {tq.summary()[:80]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples-day", type=int, default=40_000)
    ap.add_argument("--samples-reactor", type=int, default=20_000)
    ap.add_argument("--baseline-samples", type=int, default=500_000)
    ap.add_argument("--quick", action="store_true", help="12 times, small baseline")
    a = ap.parse_args()
    n_times = 12 if a.quick else 48
    base = 50_000 if a.quick else a.baseline_samples
    np.seterr(all="ignore")
    day_curve(a.samples_day, n_times)
    reactor_scan(a.samples_reactor, base)


if __name__ == "__main__":
    main()
