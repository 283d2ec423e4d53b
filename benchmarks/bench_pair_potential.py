"""Throughput of the smeared beam pair potential (eq. 4.12 × spectrum × profile), numba kernels
against the numpy reference (the same formulas, vectorised) in the same run.

    python benchmarks/bench_pair_potential.py [--n 4000000]

Pairs: two 1 cm cubes 10 cm apart along a reactor beam (realistic: almost every pair is far from
the forward needle, where a spectral component is skipped once σ_k Δ > 8.6), and a "needle"
set where every pair lies within a few needle widths of the axis (worst case: every component
evaluated). Spectrum: a reactor-like E² e^{−E/1 MeV} continuum fitted with 48 components.
Prints pairs/s for the point kernel (symmetric and retarded) and for the near-field Gaussian
profile kernel, per run and per core.
"""

import argparse
import math
import time

import numba
import numpy as np

from nusim import units
from nusim.engine import kernels
from nusim.physics import beam


def timed(fn, min_seconds=0.5):
    n, t0 = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= min_seconds:
            return dt / n


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=4_000_000, help="pairs per batch")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    n = args.n
    cube = lambda c: c + rng.uniform(-0.005, 0.005, (n, 3))  # noqa: E731
    realistic = units.m_to_inv_eV(cube(np.array([0, 0, 0.1])) - cube(np.zeros(3)))
    z = units.m_to_inv_eV(rng.uniform(0.05, 0.15, n))
    rho = np.sqrt(z / 1e6) * rng.uniform(0, 3, n)
    needle = np.column_stack([rho, np.zeros(n), z])
    e = np.linspace(1e4, 1e7, 3000)
    shape = e**2 * np.exp(-e / 1e6)
    spec = beam.fit_spectrum(e, shape / np.trapezoid(shape, e))
    f, m, s = spec.arrays()
    k = np.array([0.0, 0.0, 1.0])
    out = np.empty(n)
    threads = numba.get_num_threads()
    kernels.beam_point_potential(realistic[:100], k, f, m, s, False, out[:100])
    kernels.beam_gaussian_profile_near_field(realistic[:100], k, 0.1, 1.0, False, out[:100])
    print(f"{n:.1e} pairs, {len(f)} spectral components, numba threads = {threads}")
    print(f"  {'kernel':38s} {'numba pairs/s':>14s} {'per core':>10s} {'numpy pairs/s':>14s}"
          f" {'speed-up':>9s}")
    sub = slice(0, min(n, 200_000))
    for label, pairs in (("point, realistic pairs", realistic), ("point, needle pairs", needle)):
        for retarded in (False, True):
            kname = "retarded" if retarded else "symmetric"
            t_nb = timed(lambda p=pairs, r=retarded: kernels.beam_point_potential(
                p, k, f, m, s, r, out))
            t_np = timed(lambda p=pairs, kn=kname: beam.point_source_potential(p[sub], k, spec,
                                                                                kn))
            rate_nb, rate_np = n / t_nb, (sub.stop - sub.start) / t_np
            print(f"  {label + ', ' + kname:38s} {rate_nb:14.3e} {rate_nb / threads:10.3e} "
                  f"{rate_np:14.3e} {rate_nb / rate_np:8.0f}×")
    sig = 0.15  # a 3 m core seen from 10 m: E r σ² ≫ 1, near-field regime
    fie = spec.total_flux * spec.mean_inverse_energy
    for retarded in (False, True):
        t_nb = timed(lambda r=retarded: kernels.beam_gaussian_profile_near_field(
            realistic, k, sig, fie, r, out))
        th = np.arccos(np.clip(realistic[sub] @ k / np.linalg.norm(realistic[sub], axis=1), -1, 1))
        t_np = timed(lambda: beam.smooth_profile_potential(
            realistic[sub], beam.gaussian_profile_laplacian(th, sig),
            beam.gaussian_profile_laplacian(math.pi - th, sig), spec,
            "retarded" if retarded else "symmetric"))
        rate_nb, rate_np = n / t_nb, (sub.stop - sub.start) / t_np
        label = f"gaussian near field, {'retarded' if retarded else 'symmetric'}"
        print(f"  {label:38s} {rate_nb:14.3e} {rate_nb / threads:10.3e} {rate_np:14.3e} "
              f"{rate_nb / rate_np:8.0f}×")


if __name__ == "__main__":
    main()
