"""Cost of one design-search evaluation: seconds and the relative error of Δτ per sample count.

The budget of runs/design-search.toml is ~100 evaluations; this prints what one costs for the
bundled study's start design (the reactor proposal in plates), near-field estimator (the
search) and wake estimator (the reference re-estimate), so a user can size ``samples``,
``max_evaluations`` and ``wake_samples`` for their machine.

    python benchmarks/bench_design_search.py
"""

import time
from pathlib import Path

import numpy as np

from nusim.config import load_toml
from nusim.design import noise, objective
from nusim.design import space as sp
from nusim.studies import beam_specs
from nusim.studies import design_search as ds

STUDY = Path(__file__).resolve().parents[1] / "runs" / "design-search.toml"


def main():
    p = ds.params(load_toml(STUDY), STUDY)
    beams = [b for s in p["beams"] for b in beam_specs.beams_at(s, point_m=np.zeros(3))]
    space = ds._space(p)
    d = sp.from_unit(space, sp.start_unit(space), {k: v[0] for k, v in space.discrete.items()})
    kw = {"constraints": space.constraints, "noise_model": noise.NoiseModel(**p["noise"]),
          "replicas": p["replicas"], "seed": p["seed"], "gravity_samples": p["gravity_samples"]}
    objective.evaluate(d, beams, samples=1000, **kw)            # numba compilation
    print(f"{'estimator':10s} {'samples':>8s} {'seconds':>8s} {'Δτ [N m]':>22s} {'rel. err':>8s}")
    for est, counts in (("auto", (5_000, 20_000, 64_000)), ("wake", (20_000, 60_000))):
        for n in counts:
            t0 = time.perf_counter()
            rec = objective.evaluate(d, beams, samples=n, estimator=est, **kw)
            dt = time.perf_counter() - t0
            e = rec["delta_torque"]
            rel = e.error / abs(e.value) if e.value else float("inf")
            print(f"{est:10s} {n:8d} {dt:8.2f} {e.value:12.3e} ± {e.error:8.2e} {rel:8.2f}")


if __name__ == "__main__":
    main()
