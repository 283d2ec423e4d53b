"""Gravity pair evaluations per second: the numba pair-sum engine against a plain numpy broadcast
baseline (chunked so it fits in memory), in the same run, and the engine's peak memory vs N.

    python benchmarks/bench_engine.py [--n 1000 10000 100000] [--numpy-targets 2000]

Two uniform balls of N points each (radius 5 cm, centres 12 cm apart). The engine sums all N × N
pairs; the numpy baseline (``pairsum.pair_sums_numpy``, blocks of 2²⁰ pairs) sums N sources ×
min(N, --numpy-targets) targets, enough to time it. Peak memory: tracemalloc peak of the Python
heap during one engine call (numpy arrays are traced; the numba kernels allocate nothing) and the
process's maximum RSS, both in MiB, showing that memory is O(N), never O(N²).
"""

import argparse
import resource
import time
import tracemalloc

import numba
import numpy as np

from nusim.engine.pairsum import Gravity, pair_sums, pair_sums_numpy


def ball(rng, n, radius_m, centre_m):
    v = rng.standard_normal((n, 3))
    v /= np.linalg.norm(v, axis=1)[:, None]
    return np.asarray(centre_m) + v * (radius_m * rng.random(n) ** (1 / 3))[:, None]


def best_time(fn, *args, min_seconds=1.0, **kwargs):
    best, total = np.inf, 0.0
    while total < min_seconds:
        t0 = time.perf_counter()
        fn(*args, **kwargs)
        dt = time.perf_counter() - t0
        best, total = min(best, dt), total + dt
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 3000, 10000, 30000, 100000])
    parser.add_argument("--numpy-targets", type=int, default=2000)
    args = parser.parse_args()
    kernel = Gravity()
    axis = ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    rng = np.random.default_rng(0)
    print(f"numba {numba.__version__}, threads {numba.get_num_threads()}, float64, fastmath off")
    pair_sums(ball(rng, 64, 0.05, (0, 0, 0)), np.ones(64), ball(rng, 64, 0.05, (0.12, 0, 0)),
              np.ones(64), kernel, axis)      # compile / load cache outside the timings
    print(f"{'N':>7} {'numba pairs/s':>14} {'numpy pairs/s':>14} {'speed-up':>9} "
          f"{'peak heap MiB':>14} {'max RSS MiB':>12} {'inputs MiB':>11}")
    for n in args.n:
        src = ball(rng, n, 0.05, (0, 0, 0))
        tgt = ball(rng, n, 0.05, (0.12, 0, 0))
        w = np.full(n, 1.0 / n)
        t_nb = best_time(pair_sums, src, w, tgt, w, kernel, axis)
        nt = min(n, args.numpy_targets)
        t_np = best_time(pair_sums_numpy, src, w, tgt[:nt], w[:nt], kernel, axis,
                         chunk_pairs=1 << 20)
        tracemalloc.start()
        pair_sums(src, w, tgt, w, kernel, axis)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rate_nb, rate_np = n * n / t_nb, n * nt / t_np
        print(f"{n:>7} {rate_nb:>14.3e} {rate_np:>14.3e} {rate_nb / rate_np:>8.0f}x "
              f"{peak:>14.2f} {rss:>12.0f} {2 * 4 * n * 8 / 2**20:>11.2f}")


if __name__ == "__main__":
    main()
