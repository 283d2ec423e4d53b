"""Time to a 10 % directional-beam energy in the realistic case: the wake (surface) estimator
against brute-force pair sums of the same physics, in the same run.

    python benchmarks/bench_wake.py [--core] [--target 0.1] [--seed 1]

The case is the one of runs/directional-convergence.toml (nusim.studies.directional_convergence
.realistic_case): a tungsten attractor and a copper pendulum, cylinders 1 cm × 1 cm, 10 cm apart,
in the antineutrino beam of a 2.9 GW reactor 10 m away and 1 m below their plane (point core;
``--core`` adds the 3 m core). Prints:

1. the wake estimator (``directional_interaction``, 8 replicas) with the surface samples per
   replica doubled, from 8192 (2^16 with the core), until error/|value| ≤ target in two
   consecutive runs that agree within 3σ (below ~1e4 samples the replicas mostly miss the rare
   large contributions near the silhouettes: the estimate is skewed low and its stated error is
   too small — a 512-sample run once claimed 10 % and was 14.5 % (4σ) low):
   per step the samples, wall time, the retarded energy U_R ± error; then the time to target
   (the first of the two runs, and the sum of the doubling), a long reference run and the
   target run's actual deviation from it, and the sampling throughput in samples/s (the kernel
   sums alone, without the set-up: meshes and the cached a(w) table of the spectrum). Surface pairs
   are not counted: the kernel returns only the channel sums;
2. the brute-force pair sum of the exact kernel (``interact`` with the ``Beam`` kernel, retarded,
   8 replicas), given about the wall time of the wake's doubling up to the target: U_R ± error
   and its error relative to the wake value, reported as an upper bound when |U| < 2σ (house rule);
3. a plain-numpy baseline of the same surface double integral: area-area pairs only (strategy C
   of nusim.engine.wake, uniform by area, no importance sampling), its pairs/s and its error.

No timing is asserted anywhere; numbers depend on the machine and its load.
"""

import argparse
import math
import time

import numpy as np

from nusim import units
from nusim.engine import directional as d
from nusim.engine import wake
from nusim.engine.interact import interact
from nusim.engine.pairsum import Beam
from nusim.engine.result import Estimate
from nusim.physics import wake_kernel
from nusim.studies.directional_convergence import realistic_case

REPLICAS = 8


def wake_to_target(att, pen, beam, target, seed, start=8192, max_samples=2**23):
    """Double the samples per replica until two consecutive runs both have error/|U_R| ≤ target
    and agree within 3σ (a single run can understate its error when the few samples miss the
    rare large contributions). Returns (rows, index of the first of the two)."""
    rows, n = [], start
    print(f"  {'samples':>9s} {'seconds':>8s} {'U_R [J]':>24s} {'err/|U_R|':>10s}")
    while True:
        r = d.directional_interaction(att, pen, beam, samples=n, replicas=REPLICAS, seed=seed,
                                      derivatives=False, self_force=False, progress=False)
        e = r.estimates["energy_retarded_J"]
        rel = e.error / abs(e.value) if e.value else math.inf
        rows.append((n, r.seconds, e, rel))
        shown = (f"{e.value:11.4e} ± {e.error:9.2e}" if not e.is_upper_bound
                 else f"|U_R| < {e.bound:9.2e} (95 %)")
        print(f"  {n:9d} {r.seconds:8.2f} {shown:>24s} {rel:10.3f}")
        if len(rows) >= 2:
            (_, _, e0, r0), (_, _, e1, r1) = rows[-2], rows[-1]
            if (r0 <= target and r1 <= target and not e0.is_upper_bound
                    and not e1.is_upper_bound
                    and abs(e0.value - e1.value) <= 3 * math.hypot(e0.error, e1.error)):
                return rows, len(rows) - 2
        if n >= max_samples:
            return rows, None
        n *= 2


def sampling_throughput(att, pen, beam, samples, seed):
    """Samples/s of the wake kernel sums alone (mesh and table prepared once), one replica."""
    table = wake_kernel.surface_kernel_table(beam.spectrum)
    base = wake.transverse_base(beam.k_hat)
    v1, f1 = d.body_mesh(att)
    v2, f2 = d.body_mesh(pen)
    m1, m2 = wake.mesh_arrays(v1, f1, base), wake.mesh_arrays(v2, f2, base)
    dist = float(np.linalg.norm(v2.mean(0) - v1.mean(0)))
    r_min, r_max = wake.offset_range(m1, m2, table, dist)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(99,)))
    draws = wake.draw(samples, rng, beam.k_hat, beam.profile, emitter=beam.emitter)
    norm = beam.emitter.flux_norm(beam.reference_point_m) if beam.emitter is not None else 0.0
    wake.wake_channel_sums(m1, m2, table, base, draws, r_min, r_max, flux_norm=norm)  # warm
    t0 = time.perf_counter()
    reps = 3
    for _ in range(reps):
        wake.wake_channel_sums(m1, m2, table, base, draws, r_min, r_max, flux_norm=norm)
    dt = (time.perf_counter() - t0) / reps
    t0 = time.perf_counter()
    wake_kernel.surface_kernel_table.__wrapped__(beam.spectrum)  # uncached build
    return samples / dt, time.perf_counter() - t0, table, (m1, m2, base)


def numpy_area_pairs(att, pen, beam, table, meshes, n_pairs, seed):
    """Plain-numpy area-area estimate of U_R (strategy C alone): (U_R [J] per replica, pairs/s).

    x₁, x₂ uniform by area on each mesh; U_R = n₁n₂ A₁A₂ ⟨(n̂₁⊥·n̂₂⊥) 2θ(Δz) 𝒢(w)⟩ with
    𝒢 = −(G_F²Φ/2π) a(w), w = s²/2|Δz| (nusim.engine.wake), a(w) by linear interpolation.
    """
    m1, m2, base = meshes
    k = base[2]
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(77,)))
    w_grid = table.step * np.arange(table.a.size)
    vals, t0 = [], time.perf_counter()
    for _ in range(REPLICAS):
        pts, nrm = [], []
        for m in (m1, m2):
            j = np.minimum(np.searchsorted(m.cdf, rng.random(n_pairs)), m.cdf.size - 1)
            r1, r2 = rng.random(n_pairs), rng.random(n_pairs)
            flip = r1 + r2 > 1
            r1, r2 = np.where(flip, 1 - r1, r1), np.where(flip, 1 - r2, r2)
            pts.append(m.v0[j] + r1[:, None] * m.e1[j] + r2[:, None] * m.e2[j])
            nrm.append(m.normal[j])
        delta = pts[1] - pts[0]
        dz = delta @ k
        s2 = np.einsum("ij,ij->i", delta, delta) - dz**2
        w = s2 / (2 * np.maximum(np.abs(dz), 1e-300)) / units.HBARC_EV_M        # [eV⁻¹]
        a = np.interp(w, w_grid, table.a, right=0.0)
        perp = (np.einsum("ij,ij->i", nrm[0], nrm[1]) - (nrm[0] @ k) * (nrm[1] @ k))
        f = perp * 2 * (dz > 0) * a
        vals.append(float(f.mean()) * m1.area_m2 * m2.area_m2)
    dt = time.perf_counter() - t0
    n1, n2 = d.charge_density(att, beam.charge), d.charge_density(pen, beam.charge)
    return np.asarray(vals) * wake.energy_scale_J(table, n1, n2), REPLICAS * n_pairs / dt


def naive_pairs(att, pen, beam, seconds, seed):
    """Brute-force retarded pair sums for about ``seconds``: (InteractionResult, N per body)."""
    kernel = Beam(beam.spectrum, tuple(beam.k_hat), "retarded", beam.charge)
    interact([att], [pen], kernel, 64, seed, replicas=2, progress=False)    # compile / load
    t0 = time.perf_counter()
    interact([att], [pen], kernel, 2000, seed, replicas=2, progress=False)
    rate = 2 * 2000**2 / (time.perf_counter() - t0)                         # pairs/s
    n = max(64, int(math.sqrt(rate * seconds / REPLICAS)))
    t0 = time.perf_counter()
    res = interact([att], [pen], kernel, n, seed, replicas=REPLICAS, progress=False)
    return res, n, time.perf_counter() - t0, rate


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--core", action="store_true", help="also the 3 m finite core")
    parser.add_argument("--target", type=float, default=0.1, help="relative error to reach")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for core in (False, True) if args.core else (False,):
        att, pen, beam, reactor = realistic_case(core=core)
        name = "3 m core" if core else "point core"
        tilt = math.asin(abs(beam.k_hat[2]))
        print(f"\n== {name}: W attractor → Cu pendulum, 10 cm; reactor 2.9 GW, 10 m, beam "
              f"tilted {tilt:.3f} rad; N_F = {d.fresnel_number(att, pen, beam):.3g}; α = 0 "
              f"estimate {d.naive_energy_J(att, pen, beam, beam.charge):.4g} J")
        d.directional_interaction(att, pen, beam, samples=64, replicas=2, derivatives=False,
                                  self_force=False, progress=False)             # compile / load
        print(f"wake estimator, {REPLICAS} replicas, samples per replica doubled until "
              f"err/|U_R| ≤ {args.target:g}:")
        rows, hit = wake_to_target(att, pen, beam, args.target, args.seed,
                                   start=8192 if not core else 65536)
        if hit is None:
            print(f"  → {args.target:.0%} NOT reached up to {rows[-1][0]} samples")
            continue
        n_hit, sec_hit, e_hit, _ = rows[hit]
        upto, total = sum(r[1] for r in rows[:hit + 1]), sum(r[1] for r in rows)
        print(f"  → {args.target:.0%} reached at {n_hit} samples × {REPLICAS} replicas "
              f"(confirmed by the next doubling): {sec_hit:.2f} s for that run, {upto:.2f} s "
              f"for the doubling up to it, {total:.2f} s with the confirmation")
        n_ref = min(max(32 * n_hit, 2**20), 2**22)
        ref = d.directional_interaction(att, pen, beam, samples=n_ref, replicas=REPLICAS,
                                        seed=args.seed + 1000, derivatives=False,
                                        self_force=False, progress=False)
        e_ref = ref.estimates["energy_retarded_J"]
        print(f"  reference run ({n_ref} samples, {ref.seconds:.1f} s): {e_ref.summary()}")
        dev = e_hit.value - e_ref.value
        pull = dev / math.hypot(e_hit.error, e_ref.error)
        print(f"  the {n_hit}-sample run deviates from it by {dev / abs(e_ref.value):+.1%} "
              f"= {pull:+.1f} σ (combined errors)")
        if abs(pull) > 3 or abs(dev / e_ref.value) > args.target:
            print(f"  NOTE: at {n_hit} samples the stated error understates the actual deviation:"
                  f" with few samples most replicas miss the rare large contributions (a skewed "
                  f"estimator), so its mean runs low and its scatter is small; trust errors "
                  f"only where they keep falling as N^(-1/2) (runs/directional-convergence.toml)")
        rate, table_s, table, meshes = sampling_throughput(att, pen, beam, max(n_hit, 2**16),
                                                           args.seed)
        e_wake = e_ref
        print(f"  throughput of the kernel sums: {rate:.3e} samples/s (one replica of "
              f"{max(n_hit, 2**16)}); set-up per spectrum (cached afterwards): the a(w) "
              f"table, {table_s:.2f} s ({table.a.size} points)")
        if core:
            continue
        for budget in (upto, max(10.0, upto)):
            res, n, dt, pair_rate = naive_pairs(att, pen, beam, budget, args.seed)
            e = Estimate("U_R, brute-force pairs", res.energy_J, res.energy_err_J, "J", n,
                         REPLICAS, args.seed)
            print(f"\nbrute-force pair sums of the exact retarded kernel (interact, Beam "
                  f"kernel), {n} points per body × {REPLICAS} replicas = "
                  f"{REPLICAS * n * n:.3g} pairs in {dt:.2f} s ({pair_rate:.3e} pairs/s):")
            print(f"  U_R = {res.energy_J:.4g} ± {res.energy_err_J:.3g} J  →  {e.summary()}")
            truth = abs(e_wake.value)
            print(f"  error / |U_R(wake)| = {res.energy_err_J / truth:.3g}; "
                  f"|value − U_R(wake)| / |U_R(wake)| = "
                  f"{abs(res.energy_J - e_wake.value) / truth:.3g}")
            if res.energy_err_J == 0 or e.bound < truth:
                print("  its replica error is blind: almost no pair falls within the kernel's "
                      "coherence width (√(2z/σ_E) ~ 0.1 µm), so it returns ~0 with a 'bound' "
                      "that excludes the true value — wrong, and confidently so (design note §2)")
            else:
                print("  its error is far above the value it should measure: noise, not a "
                      "signal (design note §2); per house rules at best an upper bound")
        print(f"\nplain-numpy baseline (area-area surface pairs, no importance sampling), "
              f"{REPLICAS} replicas:")
        for n_pairs in (10_000, 100_000):
            vals, prate = numpy_area_pairs(att, pen, beam, table, meshes, n_pairs, args.seed)
            e = Estimate.from_replicas("U_R, numpy area pairs", vals, "J", n_pairs, args.seed)
            print(f"  {n_pairs:7d} pairs/replica: {prate:.3e} pairs/s; {e.summary()}; "
                  f"error / |U_R(wake)| = {e.error / abs(e_wake.value):.3g}")
        print("  its replica error is blind to what it never samples: the kernel's core is "
              "√(z/E) ~ 0.1 µm wide, so the area pairs return ~0 and a 'bound' that excludes "
              "the true value (the same estimator reproduces the quadrature at N_F = 3)")
        print(f"  (numba wake estimator: {rate:.3e} samples/s with three importance-sampled "
              f"strategies; compare errors at equal time, not rates)")


if __name__ == "__main__":
    main()
