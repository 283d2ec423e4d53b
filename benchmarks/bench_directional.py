"""Throughput of I(ℓ, α) (eq. 4.8): closed form (numba and numpy) and our quadrature of eq. (4.8),
next to a plain nested scipy.integrate.quad of eq. (4.8) in the same run.

    python benchmarks/bench_directional.py [--n 10000000] [--quick]

Prints evaluations per second and, for the quadratures, the absolute error against the closed
form. The nested-quad baseline integrates eq. (4.8) exactly as printed (inner φ integral with
the |…| inside the sine, outer ξ integral), with QUADPACK's default tolerances and limit=200.
"""

import argparse
import math
import time
import warnings

import numba
import numpy as np
import scipy.integrate

from nusim.physics import directional_integral


def nested_quad_eq_4_8(ell, alpha):
    """Eq. (4.8) by nested scipy.integrate.quad (the baseline a user would write first)."""
    c, s = math.cos(alpha), math.sin(alpha)

    def inner(xi):
        g = lambda phi: math.sin(2 * ell * xi * abs(c * xi + s * math.sqrt(1 - xi * xi)  # noqa: E731
                                                    * math.cos(phi)))
        return xi * (1 - xi * xi) * scipy.integrate.quad(g, 0, math.pi, limit=200)[0]

    j = scipy.integrate.quad(inner, -1, 1, limit=200)[0]
    return math.pi**2 / (2 * ell) * (3 + math.cos(2 * alpha)) - 2 * math.pi * j


def timed(fn, min_seconds=0.5):
    """(seconds per call, last result), repeating fn for at least min_seconds."""
    n, t0 = 0, time.perf_counter()
    while True:
        out = fn()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= min_seconds:
            return dt / n, out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000_000, help="closed-form batch size")
    parser.add_argument("--quick", action="store_true", help="skip ℓ = 1000 for nested quad")
    args = parser.parse_args()

    rng = np.random.default_rng(1)
    ell = 10 ** rng.uniform(-2, 12, args.n)
    alpha = rng.uniform(0, math.pi, args.n)
    directional_integral(ell[:10000], alpha[:10000], backend="numba")  # compile / load cache
    directional_integral(ell[:10000], alpha[:10000], kernel="retarded", backend="numba")
    print(f"closed form of eq. (4.8), batch of {args.n:.0e} random (ℓ ∈ [1e-2, 1e12], α ∈ [0, π]);"
          f" numba threads = {numba.get_num_threads()}")
    for backend in ("numba", "numpy"):
        for kernel in ("symmetric", "retarded"):
            sec, _ = timed(lambda b=backend, k=kernel: directional_integral(ell, alpha, kernel=k,
                                                                             backend=b))
            print(f"  {backend:6s} {kernel:9s}: {args.n / sec:10.3e} evaluations/s")

    print("\nquadrature of eq. (4.8): ours (rotated sphere, Gauss–Legendre × trapezoid) vs "
          "nested scipy quad")
    print(f"  {'ℓ':>6s} {'α':>6s} {'ours eval/s':>12s} {'ours |err|':>11s} "
          f"{'nested eval/s':>14s} {'nested |err|':>13s} {'speed-up':>9s}")
    for l in (10.0, 100.0, 1000.0):
        a = math.radians(40.0)
        exact = float(directional_integral(l, a))
        sec_ours, ours = timed(lambda l=l: directional_integral(l, a, method="quadrature"))
        if args.quick and l > 100:
            print(f"  {l:6g} {40:5d}° {1 / sec_ours:12.3e} {abs(float(ours) - exact):11.1e} "
                  f"{'skipped':>14s}")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", scipy.integrate.IntegrationWarning)
            sec_nest, nest = timed(lambda l=l: nested_quad_eq_4_8(l, a), min_seconds=0.1)
        print(f"  {l:6g} {40:5d}° {1 / sec_ours:12.3e} {abs(float(ours) - exact):11.1e} "
              f"{1 / sec_nest:14.3e} {abs(nest - exact):13.1e} {sec_nest / sec_ours:8.0f}×")


if __name__ == "__main__":
    main()
