"""The whole-apparatus directional signal (nusim.engine.apparatus_signal): it is the sum of the
pairwise estimator calls with the same seeds, upstream bodies are exact causal zeros with their
reason, and internal wakes give a net pendulum torque only where symmetry allows one."""

import math

import numpy as np
import pytest

from nusim.engine import beams as nu_beams
from nusim.engine.apparatus_signal import (apparatus_signal, causal_zero_reason, combine,
                                           task_seed)
from nusim.engine.directional import directional_interaction, directional_self_interaction
from nusim.engine.result import Estimate
from nusim.geometry import bodies, materials, shapes

SAMPLES = 6000
REPLICAS = 6


def _sphere(name, role, radius_m, position_m, material="copper"):
    return bodies.Body(name, role, materials.material(material), shapes.Sphere(radius_m),
                       bodies.Pose.from_euler_deg("xyz", [0, 0, 0], position_m=position_m))


def _beam(direction=(1.0, 0.0, 0.0)):
    # a 2 MeV beam 0.5 MeV wide (FWHM; reactor-like) at the paper's reactor flux: N_F = E a²/D
    # ~ 1e10 for these bodies (wake estimator); every wake lies along the beam. A strictly
    # monochromatic line would leave the axial kernel b(w) undamped (Abel regulator only) and
    # the forces far noisier
    return nu_beams.monochromatic_beam(2.0, 5e13, direction, width_MeV=0.5)


AXIS = (np.zeros(3), np.array([0.0, 0.0, 1.0]))


def test_sum_equals_pairwise_calls_with_the_same_seeds():
    # a W attractor upstream of a two-sphere Cu pendulum along the beam (+x)
    p1 = _sphere("p1", "pendulum", 0.007, [0.0, 0.001, 0.0])
    p2 = _sphere("p2", "pendulum", 0.005, [0.05, 0.002, 0.0])
    att = _sphere("att", "attractor", 0.01, [-0.1, 0.0, 0.0], "tungsten")
    beam = _beam()
    sig = apparatus_signal([p1, p2], [att], [("b", beam)], axis=AXIS, samples=SAMPLES,
                           replicas=REPLICAS, seed=7, gravity=False)
    pend, others = [p1, p2], [att]
    tq = {"attractor": 0.0, "internal": 0.0, "self": 0.0}
    for ti, tgt in enumerate(pend):
        for si, src in enumerate(pend + others):
            if src is tgt:
                continue
            r = directional_interaction(src, tgt, beam, samples=SAMPLES, replicas=REPLICAS,
                                        seed=task_seed(7, 0, ti, si), axis=AXIS,
                                        self_force=False, progress=False)
            tq["internal" if si < 2 else "attractor"] += r["torque_retarded_Nm"].value
        r = directional_self_interaction(tgt, beam, samples=SAMPLES, replicas=REPLICAS,
                                         seed=task_seed(7, 0, -1, -1), axis=AXIS)
        lever = float(np.cross(tgt.centre_of_mass_m, beam.k_hat)[2])
        tq["self"] += lever * r["self_force_body_along_beam_N"].value
    for cat in tq:
        # the same random numbers in the same order: equal up to summation order (1e-12)
        got = sig[f"torque_{cat}_retarded_Nm"].value
        assert got == pytest.approx(tq[cat], rel=1e-9, abs=1e-300)
    total = sig["torque_total_retarded_Nm"].value
    assert total == pytest.approx(sum(tq.values()), rel=1e-9, abs=1e-300)
    assert sig["torque_attractor_retarded_Nm"].value != 0.0


def test_upstream_pendulum_is_an_exact_causal_zero_with_its_reason():
    # the attractor sits 10 cm downstream of the only pendulum body: no wake reaches it
    p = _sphere("bob", "pendulum", 0.007, [0.0, 0.0, 0.0])
    att = _sphere("att", "attractor", 0.01, [0.1, 0.0, 0.0], "tungsten")
    beam = _beam()
    reason = causal_zero_reason(att, p, beam)
    assert reason is not None and "upstream" in reason and "bob" in reason
    # the estimator itself returns exactly zero there (θ(Δz) support), not a small number
    raw = directional_interaction(att, p, beam, samples=2000, replicas=4, seed=1, axis=AXIS,
                                  self_force=False, progress=False)
    assert raw["energy_retarded_J"].value == 0.0
    assert raw["energy_symmetric_J"].value != 0.0        # the paper's even V is not causal
    sig = apparatus_signal([p], [att], [("b", beam)], axis=AXIS, samples=2000, replicas=4,
                           seed=1, gravity=False)
    (term,) = [t for t in sig.terms if t.category == "attractor"]
    assert term.exact_zero == reason
    assert "torque_attractor_retarded_Nm" in sig.exact_zeros
    assert "causal" in sig.summary() or "exactly" in sig.summary()
    # a downstream pendulum is not a causal zero
    assert causal_zero_reason(p, att, beam) is None


def test_causal_zero_respects_the_ray_tilt_of_an_extended_source():
    p = _sphere("bob", "pendulum", 0.007, [0.0, 0.0, 0.0])
    att = _sphere("att", "attractor", 0.01, [0.03, 0.0, 0.0], "tungsten")
    from nusim.sources import profiles

    # gap 1.3 cm, transverse span 2 cm: a plane wave is causal-zero, a 0.5 rad spread is not
    assert causal_zero_reason(att, p, _beam()) is not None
    wide = nu_beams.monochromatic_beam(2.0, 5e13, (1.0, 0.0, 0.0), width_MeV=0.5,
                                       profile=profiles.Gaussian(0.1))
    assert causal_zero_reason(att, p, wide) is None


def test_internal_wakes_torque_only_where_symmetry_allows():
    # two Cu spheres (1 cm and 0.7 cm) on a dumbbell, 6 cm apart along the beam. With both
    # centres on the x axis (y = 0) the reflection y → −y maps the pendulum, the beam and the
    # fibre onto themselves and flips τ_z: the internal torque must vanish, although the net
    # internal force does not (the wake is non-reciprocal). Offsetting the dumbbell by 1 mm
    # across the beam breaks the mirror: the downstream sphere's transverse wake force acts
    # on a 3 cm lever arm and the torque is non-zero (measured 5.6e-46 ± 0.7e-46 N m).
    torque = {}
    for dy in (0.0, 0.001):
        p1 = _sphere("west", "pendulum", 0.01, [-0.03, -dy, 0.0])
        p2 = _sphere("east", "pendulum", 0.007, [0.03, dy, 0.0])
        sig = apparatus_signal([p1, p2], [], [("b", _beam())], axis=AXIS, samples=20_000,
                               replicas=8, seed=3, gravity=False)
        fx = sig["force_internal_retarded_x_N"]
        assert abs(fx.value) > 5 * fx.error             # a net internal push along the beam
        torque[dy] = sig["torque_internal_retarded_Nm"]
    broken, mirror = torque[0.001], torque[0.0]
    assert abs(broken.value) > 4 * broken.error
    # zero within 3σ of the reported error (fixed seed) where the mirror forbids it, with an
    # error small against the torque the broken symmetry gives: the test can fail
    assert abs(mirror.value) < 3 * mirror.error
    assert mirror.error < 0.15 * abs(broken.value)


def test_reproducible_and_common_random_numbers():
    p = _sphere("bob", "pendulum", 0.007, [0.0, 0.001, 0.0])
    att = _sphere("att", "attractor", 0.01, [-0.1, 0.0, 0.0], "tungsten")
    kw = dict(axis=AXIS, samples=3000, replicas=4, seed=11, gravity=False)
    a = apparatus_signal([p], [att], [("b", _beam())], **kw)
    b = apparatus_signal([p], [att], [("b", _beam())], **kw)
    assert a["torque_total_retarded_Nm"].value == b["torque_total_retarded_Nm"].value
    assert a["energy_retarded_J"].replica_values == b["energy_retarded_J"].replica_values


def test_combine_sums_replicas_and_errors_in_quadrature():
    rng = np.random.default_rng(0)
    parts = [Estimate.from_replicas("x", rng.normal(1.0, 0.1, 8), "J", 10, 0) for _ in range(3)]
    tot = combine("sum", parts, "J", 10, 8, 0)
    assert tot.value == pytest.approx(sum(p.value for p in parts), rel=1e-12, abs=0)
    # the replica-wise sum of independent parts has the quadrature error in expectation; with
    # 8 replicas the error estimate itself scatters by ~1/√(2·7) ≈ 27 %: allow a factor 2
    quad = math.sqrt(sum(p.error**2 for p in parts))
    assert 0.5 * quad < tot.error < 2.0 * quad
    # without replica values: plain quadrature
    bare = [Estimate(p.name, p.value, p.error, "J", 10, 8, 0) for p in parts]
    assert combine("sum", bare, "J", 10, 8, 0).error == pytest.approx(quad, rel=1e-12, abs=0)
