"""Fibre-torque convergence: plain Monte Carlo against scrambled-Sobol (randomised quasi-Monte
Carlo) sampling, for the issue-4 case geometries/torque-convergence.toml (a two-cylinder dumbbell
above a nearly coaxial annulus: the torque is a small difference of large terms).

    python benchmarks/bench_torque_convergence.py [-o output/torque-convergence]

Prints, per method and N (points per body, 8 independent replicas each): the torque, its
replica standard error, the error relative to the converged torque (the largest Sobol run) and
the wall time; writes a PNG of that relative error against N and against seconds.
"""

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nusim.engine import interact  # noqa: E402
from nusim.geometry import load_apparatus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", default=str(ROOT / "output" / "torque-convergence"))
    args = parser.parse_args()
    app = load_apparatus(ROOT / "geometries" / "torque-convergence.toml")
    src, tgt = app.by_role("attractor"), app.by_role("pendulum")
    rows = {"random": [], "sobol": []}
    interact(src, tgt, "gravity", 64, seed=0, axis=app.axis, progress=False)  # compile first
    raw = {"random": [], "sobol": []}
    for method, ns in (("sobol", (256, 1024, 4096, 16384, 32768)),
                       ("random", (256, 1024, 4096, 16384))):
        for n in ns:
            t0 = time.perf_counter()
            r = interact(src, tgt, "gravity", n, seed=2026, axis=app.axis, replicas=8,
                         method=method, progress=False)
            raw[method].append((n, r.torque_Nm, r.torque_err_Nm, time.perf_counter() - t0))
    reference = raw["sobol"][-1][1]
    print(f"converged torque (Sobol, N = {raw['sobol'][-1][0]}): {reference:.6e} N m")
    print(f"{'method':7s} {'N/body':>7s} {'torque [N m]':>13s} {'± err':>10s} {'err/|T|':>9s}"
          f" {'seconds':>8s}")
    for method in ("random", "sobol"):
        for n, value, err, dt in raw[method]:
            rel = abs(err / reference)
            rows[method].append((n, rel, dt))
            print(f"{method:7s} {n:7d} {value:13.5e} {err:10.2e} {rel:9.2e} {dt:8.2f}")
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for method, data in rows.items():
        n, rel, dt = zip(*data, strict=True)
        axes[0].loglog(n, rel, "o-", label=method)
        axes[1].loglog(dt, rel, "o-", label=method)
    for ax in axes:
        ax.axhline(0.01, color="0.5", ls="--", lw=0.8)
        ax.set_ylabel("error / |converged torque| (8 replicas)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    axes[0].set_xlabel("points per body")
    axes[1].set_xlabel("wall time [s] (2 cores)")
    fig.suptitle("Torque convergence: two-cylinder pendulum over an off-axis annulus")
    path = out / "torque_convergence.png"
    fig.savefig(path, dpi=150)
    print(f"figure -> {path}")
    plates()


def plates():
    """Two 20 × 20 × 1 mm tungsten plates 50 µm apart: the force error against N."""
    from nusim.geometry import bodies, materials, shapes

    w = materials.material("tungsten")
    plate = shapes.Box((0.02, 0.02, 0.001))
    a = bodies.Body("lower", "attractor", w, plate)
    b = bodies.Body("upper", "pendulum", w, plate, bodies.Pose(position_m=(0, 0, 0.00105)))
    print("\nplates 50 µm apart: F_z and its replica error")
    print(f"{'method':7s} {'N/body':>7s} {'F_z [N]':>13s} {'± err':>10s} {'rel. err':>9s} "
          f"{'seconds':>8s}")
    for method in ("random", "sobol"):
        for n in (256, 1024, 4096, 16384):
            t0 = time.perf_counter()
            r = interact([a], [b], "gravity", n, seed=7, replicas=8, method=method,
                         progress=False)
            dt = time.perf_counter() - t0
            print(f"{method:7s} {n:7d} {r.force_N[2]:13.6e} {r.force_err_N[2]:10.2e} "
                  f"{abs(r.force_err_N[2] / r.force_N[2]):9.2e} {dt:8.2f}")


if __name__ == "__main__":
    main()
