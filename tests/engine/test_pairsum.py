"""Pair-sum engine: closed forms, symmetries, chunking, the numpy twin, and Monte Carlo against
analytic gravity of spheres (k·σ of the reported replica error, fixed seeds)."""

import json
import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from nusim import constants, units
from nusim.engine import (Estimate, Gravity, InteractionResult, VacuumNeutrino, Yukawa, interact,
                          pair_sums)
from nusim.engine.pairsum import VACUUM_NU_C_J_M5, pair_sums_numpy
from nusim.errors import NumericsError
from nusim.physics.vacuum import vacuum_potential

G = constants.NEWTON_G.value
#: float64 sums of ≤ 1e6 terms of one sign: relative round-off ≲ 1e-12
RTOL_ROUNDOFF = 1e-12
#: Monte Carlo assertions: |estimate − exact| < K_SIGMA × reported error (fixed seeds)
K_SIGMA = 4.0
KERNELS = [Gravity(), Yukawa(0.7, 0.05), VacuumNeutrino("e")]


def ball(rng, n, radius_m, centre_m):
    """n points exactly uniform in a ball: isotropic direction × radius R u^{1/3}."""
    v = rng.standard_normal((n, 3))
    v /= np.linalg.norm(v, axis=1)[:, None]
    return np.asarray(centre_m) + v * (radius_m * rng.random(n) ** (1 / 3))[:, None]


def clouds(seed=1, n_src=700, n_tgt=500):
    rng = np.random.default_rng(seed)
    src = ball(rng, n_src, 0.05, (0.0, 0.0, 0.0))
    tgt = ball(rng, n_tgt, 0.04, (0.08, 0.06, -0.03))
    return src, rng.random(n_src), tgt, rng.random(n_tgt)


# ---- two points: closed forms --------------------------------------------------------------

@pytest.mark.parametrize("d", [np.array([0.3, 0.0, 0.0]), np.array([0.1, -0.2, 0.25])])
def test_gravity_two_points(d):
    m1, m2 = 2.0, 3.0
    e, f, _ = pair_sums([[0.0, 0.0, 0.0]], [m1], [d], [m2], "gravity")
    r = np.linalg.norm(d)
    assert e == pytest.approx(-G * m1 * m2 / r, rel=1e-15, abs=0)            # −G m₁m₂/r
    np.testing.assert_allclose(f, -G * m1 * m2 * d / r**3, rtol=1e-15)  # attractive, on target


def test_yukawa_two_points_and_infinite_range():
    m1, m2, alpha, lam, r = 2.0, 3.0, 0.5, 0.1, 0.25
    e, f, _ = pair_sums([[0, 0, 0]], [m1], [[0, 0, r]], [m2], Yukawa(alpha, lam))
    x = math.exp(-r / lam)
    assert e == pytest.approx(-G * alpha * m1 * m2 * x / r, rel=1e-14, abs=0)
    # F = −dU/dr ẑ = −Gα m₁m₂ e^{−r/λ}(1 + r/λ)/r² ẑ
    assert f[2] == pytest.approx(-G * alpha * m1 * m2 * x * (1 + r / lam) / r**2, rel=1e-14, abs=0)
    src, sw, tgt, tw = clouds()
    eg, fg, _ = pair_sums(src, sw, tgt, tw, Gravity())
    # λ = ∞ is exactly α × gravity (e^0 = 1); λ = 1e9 m differs by O(r/λ) ~ 1e-10
    ey, fy, _ = pair_sums(src, sw, tgt, tw, Yukawa(alpha, math.inf))
    assert ey == pytest.approx(alpha * eg, rel=RTOL_ROUNDOFF, abs=0)
    np.testing.assert_allclose(fy, alpha * fg, rtol=RTOL_ROUNDOFF)
    ey, fy, _ = pair_sums(src, sw, tgt, tw, Yukawa(alpha, 1e9))
    assert ey == pytest.approx(alpha * eg, rel=1e-9, abs=0)
    np.testing.assert_allclose(fy, alpha * fg, rtol=1e-9)


def test_vacuum_neutrino_two_points_against_physics_core():
    q1, q2, r = 1e25, 2e25, 0.01
    e, f, _ = pair_sums([[0, 0, 0]], [q1], [[r, 0, 0]], [q2], VacuumNeutrino("mu"))
    # eq. (2.2) in natural units via nusim.physics.vacuum, converted to J: independent route
    v_nat = units.G_F**2 * q1 * q2 * float(vacuum_potential(units.m_to_inv_eV(r)))
    assert e == pytest.approx(units.eV_to_J(v_nat), rel=1e-12, abs=0)   # unit conversion round-off
    assert e == pytest.approx(VACUUM_NU_C_J_M5 * q1 * q2 / r**5, rel=1e-15, abs=0)
    assert f[0] == pytest.approx(5 * VACUUM_NU_C_J_M5 * q1 * q2 / r**6, rel=1e-15, abs=0)  # repulsive
    assert VacuumNeutrino("mu").weight_field == "charge_mu"


def test_torque_is_r_cross_f_about_axis():
    p, n = np.array([0.01, -0.02, 0.03]), np.array([1.0, 2.0, 2.0])
    src = [[0.2, 0.1, -0.1]]
    tgt = np.array([[0.05, 0.04, 0.0], [-0.03, 0.02, 0.01]])
    e, f, tq = pair_sums(src, [5.0], tgt, [1.0, 2.0], "gravity", axis=(p, n))
    expected = 0.0
    for x, w in zip(tgt, [1.0, 2.0], strict=True):
        d = x - src[0]
        f_i = -G * 5.0 * w * d / np.linalg.norm(d) ** 3
        expected += np.dot(np.cross(x - p, f_i), n / 3.0)
    assert tq == pytest.approx(expected, rel=1e-13, abs=0)


# ---- symmetries, chunking, the numpy twin ----------------------------------------------------

@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.name)
def test_newton_third_law_and_energy_symmetry(kernel):
    src, sw, tgt, tw = clouds()
    e1, f1, _ = pair_sums(src, sw, tgt, tw, kernel)
    e2, f2, _ = pair_sums(tgt, tw, src, sw, kernel)
    assert e1 == pytest.approx(e2, rel=RTOL_ROUNDOFF, abs=0)
    np.testing.assert_allclose(f1, -f2, rtol=1e-10, atol=1e-12 * np.abs(f1).max())


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.name)
def test_chunk_size_independence(kernel):
    src, sw, tgt, tw = clouds()
    ax = ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    ref = pair_sums(src, sw, tgt, tw, kernel, ax)
    for cp in (20_000, 10**9):               # 28 targets × 700 sources; everything in one block
        e, f, t = pair_sums(src, sw, tgt, tw, kernel, ax, chunk_pairs=cp)
        assert e == pytest.approx(ref[0], rel=RTOL_ROUNDOFF, abs=0)
        np.testing.assert_allclose(f, ref[1], rtol=RTOL_ROUNDOFF)
        assert t == pytest.approx(ref[2], rel=RTOL_ROUNDOFF, abs=0)
    small = pair_sums(src[:10], sw[:10], tgt[:12], tw[:12], kernel, ax)
    one_pair_blocks = pair_sums(src[:10], sw[:10], tgt[:12], tw[:12], kernel, ax, chunk_pairs=1)
    for x, y in zip(small, one_pair_blocks, strict=True):
        np.testing.assert_allclose(x, y, rtol=RTOL_ROUNDOFF)


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.name)
def test_numba_matches_numpy_baseline(kernel):
    src, sw, tgt, tw = clouds()
    ax = ((0.01, 0.0, 0.0), (0.0, 1.0, 1.0))
    a = pair_sums(src, sw, tgt, tw, kernel, ax)
    b = pair_sums_numpy(src, sw, tgt, tw, kernel, ax, chunk_pairs=50_000)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_allclose(x, y, rtol=RTOL_ROUNDOFF)


def test_coincident_points_raise_numerics_error():
    src = np.array([[0.0, 0.0, 0.0], [0.1, 0.2, 0.3]])
    with pytest.raises(NumericsError, match=r"source sample 1 of 'attractor' and target sample "
                       r"0 of 'pendulum' coincide.*overlapping bodies"):
        pair_sums(src, [1.0, 1.0], [[0.1, 0.2, 0.3]], [1.0], "gravity",
                  names=("attractor", "pendulum"))


def test_bad_arguments_name_what_is_wrong():
    with pytest.raises(ValueError, match=r"kernel='newton' is not known; choose one of"):
        pair_sums([[0, 0, 0]], [1.0], [[1, 0, 0]], [1.0], "newton")
    with pytest.raises(ValueError, match=r"src_pos must have shape \(n, 3\)"):
        pair_sums([0, 0, 0], [1.0], [[1, 0, 0]], [1.0], "gravity")
    with pytest.raises(ValueError, match=r"direction must be a non-zero"):
        pair_sums([[0, 0, 0]], [1.0], [[1, 0, 0]], [1.0], "gravity", axis=((0, 0, 0), (0, 0, 0)))
    with pytest.raises(ValueError, match=r"flavour='tau' is not known"):
        VacuumNeutrino("tau")


# ---- Monte Carlo against analytic gravity ----------------------------------------------------

def replicas_of(fn, seed, n_rep=8):
    """Replica r from SeedSequence(seed).spawn(n_rep)[r]; returns the InteractionResult."""
    out = [fn(np.random.default_rng(s)) for s in np.random.SeedSequence(seed).spawn(n_rep)]
    e, f, t = zip(*out, strict=True)
    return InteractionResult.from_replicas(e, f, None if t[0] is None else t, n_samples=0,
                                           seed=seed)


def check_mc(value, error, exact):
    assert abs(value - exact) < K_SIGMA * error, (value, error, exact)


def test_two_uniform_spheres_energy_and_force():
    m1, m2, r1, r2, dist, n = 4.0, 1.5, 0.05, 0.03, 0.12, 3000
    c2 = np.array([0.0, dist, 0.0])

    def one(rng):
        a = ball(rng, n, r1, (0, 0, 0))
        b = ball(rng, n, r2, c2)
        return pair_sums(a, np.full(n, m1 / n), b, np.full(n, m2 / n), "gravity")

    res = replicas_of(one, seed=20240501)
    check_mc(res.energy_J, res.energy_err_J, -G * m1 * m2 / dist)       # −G M₁M₂/D
    check_mc(res.force_N[1], res.force_err_N[1], -G * m1 * m2 / dist**2)  # G M₁M₂/D², toward 1
    for k in (0, 2):
        check_mc(res.force_N[k], res.force_err_N[k], 0.0)
    # the error is small: 3000 points per ball × 8 replicas give 0.22 % (fixed seed; bound 0.3 %)
    assert res.energy_err_J < 3e-3 * G * m1 * m2 / dist


def test_point_and_sphere_shell_theorem():
    m_ball, m_pt, radius, dist, n = 7.0, 0.2, 0.05, 0.07, 20000
    pt = np.array([[dist / math.sqrt(3)] * 3])

    def one(rng):
        a = ball(rng, n, radius, (0, 0, 0))
        return pair_sums(a, np.full(n, m_ball / n), pt, [m_pt], "gravity")

    res = replicas_of(one, seed=7)
    check_mc(res.energy_J, res.energy_err_J, -G * m_ball * m_pt / dist)
    f_exact = -G * m_ball * m_pt / dist**2 * pt[0] / dist
    for k in range(3):
        check_mc(res.force_N[k], res.force_err_N[k], f_exact[k])


def test_dumbbell_pendulum_torque_from_point_mass():
    # fibre along z through the origin; two balls (radius b, mass m) at (±a, 0, 0); point mass M.
    # A uniform ball in a point's field feels r_c × F(centre) exactly (shell theorem), so the
    # closed form is the torque on two point masses.
    a, b, m, big_m, n = 0.04, 0.01, 0.05, 3.0, 4000
    src = np.array([[0.03, 0.09, 0.01]])
    axis = ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    exact = 0.0
    for sx in (a, -a):
        d = np.array([sx, 0, 0]) - src[0]
        exact += sx * (-G * big_m * m * d[1] / np.linalg.norm(d) ** 3)   # τ_z = x F_y − y F_x

    def one(rng):
        pend = np.vstack([ball(rng, n, b, (a, 0, 0)), ball(rng, n, b, (-a, 0, 0))])
        return pair_sums(src, [big_m], pend, np.full(2 * n, m / n), "gravity", axis)

    res = replicas_of(one, seed=11)
    check_mc(res.torque_Nm, res.torque_err_Nm, exact)
    assert res.torque_err_Nm < 5e-3 * abs(exact)   # measured: 1.6e-3 relative at 2 × 4000 points


# ---- interact with a stand-in body and sampler (bodies.py is written elsewhere) ---------------

@dataclass(frozen=True)
class BallBody:
    name: str
    radius_m: float
    mass_kg: float
    centre_m: tuple
    shape: str = "ball"
    pose: None = None


def ball_sampler(body, n, rng, method):
    pos = ball(rng, n, body.radius_m, body.centre_m)
    w = np.full(n, body.mass_kg / n)
    return SimpleNamespace(positions_m=pos, mass_kg=w, charge_e=0.5 * w, charge_mu=0.1 * w)


def test_interact_spheres_reproducible_with_errors():
    a = BallBody("attractor", 0.05, 4.0, (0.0, 0.0, 0.0))
    b = BallBody("pendulum", 0.03, 1.5, (0.12, 0.0, 0.0))
    kw = dict(samples=2000, seed=42, axis=((0.12, -0.1, 0.0), (0, 0, 1)), replicas=6,
              progress=False, sampler=ball_sampler)
    res = interact([a], [b], "gravity", **kw)
    check_mc(res.energy_J, res.energy_err_J, -G * 4.0 * 1.5 / 0.12)
    check_mc(res.force_N[0], res.force_err_N[0], -G * 4.0 * 1.5 / 0.12**2)
    # torque about a z axis through (0.12, −0.1): arm (0, 0.1, 0) × F(−x̂) → +0.1 |F| ẑ
    check_mc(res.torque_Nm, res.torque_err_Nm, 0.1 * G * 4.0 * 1.5 / 0.12**2)
    again = interact([a], [b], "gravity", chunk_pairs=100_000, **kw)
    assert again.energy_J == pytest.approx(res.energy_J, rel=RTOL_ROUNDOFF, abs=0)  # same seed, chunks
    other = interact([a], [b], "gravity", **{**kw, "seed": 43})
    assert other.energy_J != res.energy_J
    assert (res.replicas, res.n_samples, res.seed) == (6, 2000, 42)
    json.dumps(res.to_dict())
    # the ν kernels take the per-sample charges: charge_e = 0.5 m, charge_mu = 0.1 m here, and
    # the same seed gives the same samples, so U_e/U_μ = (0.5/0.1)² = 25 to round-off
    nu_e = interact([a], [b], VacuumNeutrino("e"), **kw)
    nu_mu = interact([a], [b], VacuumNeutrino("mu"), **kw)
    assert nu_e.energy_J == pytest.approx(25.0 * nu_mu.energy_J, rel=RTOL_ROUNDOFF, abs=0)
    assert nu_e.energy_J > 0                                      # repulsive for q₁q₂ > 0


def test_interact_rejects_bad_arguments():
    a = BallBody("a", 0.01, 1.0, (0.0, 0.0, 0.0))
    b = BallBody("b", 0.01, 1.0, (0.0, 0.0, 0.015))   # overlapping balls
    with pytest.raises(ValueError, match=r"is both a source and a target"):
        interact([a], [a], "gravity", 10, 0, progress=False, sampler=ball_sampler)
    with pytest.raises(ValueError, match=r"replicas=1 must be an integer >= 2"):
        interact([a], [b], "gravity", 10, 0, replicas=1, progress=False, sampler=ball_sampler)
    with pytest.raises(ValueError, match=r"seed=None must be a non-negative integer"):
        interact([a], [b], "gravity", 10, None, progress=False, sampler=ball_sampler)
    # points of overlapping bodies can coincide; force that with a one-point sampler
    def same_point(body, n, rng, method):
        return SimpleNamespace(positions_m=np.zeros((1, 3)), mass_kg=np.ones(1))
    with pytest.raises(NumericsError, match=r"of 'a' and target sample 0 of 'b' coincide"):
        interact([a], [b], "gravity", 1, 0, progress=False, sampler=same_point)


# ---- results ---------------------------------------------------------------------------------

def test_estimate_mean_error_and_upper_bound():
    est = Estimate.from_replicas("torque_Nm", [1.0, 2.0, 3.0, 4.0], "N m", 100, 5)
    assert est.value == 2.5
    assert est.error == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2, rel=1e-15, abs=0)
    assert not est.is_upper_bound
    assert "(2.50 ± 0.65)e+00 N m (100 samples/body × 4 replicas, seed 5)" in est.summary()
    zero = Estimate.from_replicas("torque_Nm", [-1.0, 1.0, -2.0, 2.5], "N m", 100, 5)
    assert zero.is_upper_bound                      # |0.125| < 2 × 0.98
    # bound = |mean| + t₀.₉₇₅(3) σ = 0.125 + 3.182 × 0.984
    assert zero.bound == pytest.approx(0.125 + 3.182446 * zero.error, rel=1e-6, abs=0)
    assert zero.summary().startswith("|torque_Nm| < 3.3 N m (95 %)")
    res = InteractionResult.from_replicas([1.0, 1.1], [[0, 0, 1], [0, 0, -1]], None,
                                          n_samples=10, seed=1)
    assert list(res.is_upper_bound("force_N")) == [False, False, True]
    with pytest.raises(ValueError, match="no axis was given"):
        res.estimate("torque_Nm")
