"""Benchmark: the near-field estimator for extended sources against the wake estimator (prints;
no assertions).

Eight geometries — six in the beam of a 2.9 GW reactor with its real 3 m core 10 m away, two in
the Sun's beam at Seattle on 2026-06-21 (08:00 and 09:00 UTC, night: the beam climbs through the
balance) — each term computed by both estimators in the same run: the retarded energy and the
torque about a vertical fibre with errors, their pull (difference / combined error), wall time,
and the time to 1 % extrapolated from the measured error as t·(err/1 %)² (Monte Carlo errors
fall as 1/√samples). The wake estimator is the baseline.

Usage: python benchmarks/bench_nearfield.py [--nf-samples N] [--wake-samples N] [--quick]
"""

import argparse
import math
import time

import numpy as np

from nusim.engine.directional import directional_interaction, reactor_beam
from nusim.geometry import shapes
from nusim.geometry.bodies import Body, Pose
from nusim.sources.reactor import Reactor

AXIS = ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0))


def _body(name, material, shape, pos, rot=(0, 0, 0)):
    return Body(name, "attractor" if name == "src" else "pendulum", material, shape,
                Pose.from_euler_deg("xyz", rot, position_m=pos))


def geometries():
    """(label, source, target, beam) for the eight cases."""
    core = reactor_beam(Reactor(2.9, (-9.95, 0.0, -1.0), antineutrinos_per_fission=7.1,
                                core_radius_m=1.5, core_height_m=3.0), (0.0, 0.0, 0.0))
    cyl = shapes.Cylinder(radius_m=0.01, height_m=0.02)
    cases = [
        ("core: box → cylinder", _body("src", "tungsten", shapes.Box((0.02, 0.02, 0.02)),
                                       (-0.03, 0.005, 0.0), (0, 0, 20)),
         _body("tgt", "copper", cyl, (0.03, 0.0, 0.004))),
        ("core: cylinder → cylinder, offset", _body("src", "tungsten",
                                                    shapes.Cylinder(radius_m=0.012,
                                                                    height_m=0.01),
                                                    (-0.04, 0.0, 0.0)),
         _body("tgt", "copper", shapes.Cylinder(radius_m=0.008, height_m=0.02),
               (0.04, 0.01, 0.0))),
        ("core: sphere → box", _body("src", "tungsten", shapes.Sphere(radius_m=0.01),
                                     (-0.05, 0.0, 0.0)),
         _body("tgt", "copper", shapes.Box((0.01, 0.03, 0.02)), (0.02, -0.005, 0.003))),
        ("core: annulus → cylinder, below", _body("src", "tungsten",
                                                  shapes.Annulus(inner_radius_m=0.02,
                                                                 outer_radius_m=0.05,
                                                                 height_m=0.01),
                                                  (-0.04, 0.0, -0.03)),
         _body("tgt", "copper", cyl, (0.03, 0.0, 0.0))),
        ("core: plate → plate, 3 mm gap", _body("src", "tungsten",
                                                shapes.Box((0.003, 0.03, 0.03)),
                                                (-0.0035, 0.0, 0.0)),
         _body("tgt", "copper", shapes.Box((0.002, 0.03, 0.03)), (0.0025, 0.0, 0.0))),
        ("core: tilted box → sphere", _body("src", "tungsten", shapes.Box((0.03, 0.01, 0.01)),
                                            (-0.06, 0.0, 0.01), (10, 30, 45)),
         _body("tgt", "copper", shapes.Sphere(radius_m=0.008), (0.02, 0.004, 0.0))),
    ]
    out = [(lab, s, t, core) for lab, s, t in cases]
    from nusim.engine.beams import sun_beams
    from nusim.sources import Sun

    sun = Sun(47.659, -122.303)
    att = _body("src", "tungsten-alloy", shapes.Annulus(inner_radius_m=0.02,
                                                        outer_radius_m=0.05, height_m=0.01),
                (0.04, 0.03, -0.03))
    for hour in (8, 9):
        bm = sun_beams(sun, f"2026-06-21T{hour:02d}:00:00")["e"]
        out.append((f"Sun {hour:02d}:00 UTC (ν_e): annulus → cylinder", att,
                    _body("tgt", "copper", cyl, (0.03, 0.0, 0.0)), bm))
    return out


def _to_one_percent(est, seconds):
    rel = est.error / abs(est.value) if est.value else math.inf
    return seconds * (rel / 0.01) ** 2, rel


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nf-samples", type=int, default=40_000)
    ap.add_argument("--wake-samples", type=int, default=200_000)
    ap.add_argument("--quick", action="store_true", help="a quarter of the samples")
    a = ap.parse_args()
    div = 4 if a.quick else 1
    np.seterr(all="ignore")
    cases = geometries()
    lab, s, t, bm = cases[0]
    for est in ("nearfield", "wake"):                     # compile outside the timings
        directional_interaction(s, t, bm, samples=500, replicas=2, estimator=est, axis=AXIS,
                                derivatives="torque", self_force=False, progress=False)
    print(f"near-field estimator ({a.nf_samples // div} samples) vs wake estimator "
          f"({a.wake_samples // div} samples), 8 replicas, torque by differences")
    ratios = []
    for lab, s, t, bm in cases:
        row = {}
        for est, n in (("nearfield", a.nf_samples // div), ("wake", a.wake_samples // div)):
            t0 = time.perf_counter()
            r = directional_interaction(s, t, bm, samples=n, replicas=8, seed=1, estimator=est,
                                        axis=AXIS, derivatives="torque", self_force=False,
                                        progress=False)
            row[est] = (r, time.perf_counter() - t0)
        print(f"\n{lab}")
        for key in ("energy_retarded_J", "torque_retarded_Nm"):
            (rn, tn), (rw, tw) = row["nearfield"], row["wake"]
            en, ew = rn[key], rw[key]
            comb = math.hypot(en.error, ew.error)
            pull = (en.value - ew.value) / comb if comb > 0 else 0.0
            t1n, reln = _to_one_percent(en, tn)
            t1w, relw = _to_one_percent(ew, tw)
            print(f"  {key:20s} near-field {en.value: .4e} ± {reln:6.2%} ({tn:5.1f} s)   "
                  f"wake {ew.value: .4e} ± {relw:6.2%} ({tw:5.1f} s)   pull {pull:+.1f}")
            print(f"  {'':20s} time to 1 %: near-field {t1n:9.1f} s   wake {t1w:9.1f} s   "
                  f"speed-up ×{t1w / t1n:.0f}")
            if math.isfinite(t1w / t1n):
                ratios.append(t1w / t1n)
    if ratios:
        print(f"\nmedian speed-up to 1 %: ×{np.median(ratios):.0f} (range ×{min(ratios):.0f}"
              f"–×{max(ratios):.0f})")


if __name__ == "__main__":
    main()
