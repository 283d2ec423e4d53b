"""Momentum balance of the retarded (wake) kernel of design note §7 for two point bodies.

F₁ + F₂ from the closed-form gradient of U_R against the interference momentum transfer of
coherent scattering, computed by an independent angular quadrature (nusim.reference_methods.scattering).
"""

import math

import numpy as np
import pytest

from nusim.physics import directional_integral
from nusim.reference_methods import scattering as sc
from nusim.units import G_F, flux_per_cm2_s_to_eV3

E = 2e6                                   # eV, a reactor/solar energy
FLUX = flux_per_cm2_s_to_eV3(6e10)        # eV³, the solar ν flux at Earth
K = np.array([0.3, -0.5, 0.81]) / np.linalg.norm([0.3, -0.5, 0.81])  # beam, off the axes
_E1, _E2 = sc._frame(K)
DIRECTIONS = {
    "downstream": K,
    "upstream": -K,
    "perpendicular": _E1,
    "generic": math.cos(1.0) * K + math.sin(1.0) * (0.6 * _E1 + 0.8 * _E2),  # α = 1 rad
}
E_D = [0.5, 2.0, 10.0, 50.0]              # E|d|
CHARGES = [(1.3, -0.7), (1.0, 1.0)]       # unlike and like charges


def _amp(g1, g2):
    """A = G_F² g₁g₂ Φ E/π [eV⁴], the prefactor of U_R."""
    return G_F**2 * g1 * g2 * FLUX * E / math.pi


def _fd_gradient(func, r_vec, h):
    """Fourth-order central finite difference of a scalar func at r_vec, Cartesian steps h."""
    grad = np.zeros(3)
    for i in range(3):
        e = np.zeros(3)
        e[i] = h
        grad[i] = (-func(r_vec + 2 * e) + 8 * func(r_vec + e) - 8 * func(r_vec - e)
                   + func(r_vec - 2 * e)) / (12 * h)
    return grad


def _u_r(r_vec, g1=1.3, g2=-0.7):
    return float(sc.retarded_potential(r_vec, K, energy=E, g1=g1, g2=g2, flux=FLUX))


def _v_paper(r_vec, g1=1.3, g2=-0.7):
    """The paper's even potential, eqs. (4.5)/(B.14): V = −(g₁g₂/π³) G_F² Φ E² I(E r, α)."""
    r = float(np.linalg.norm(r_vec))
    alpha = math.acos(max(-1.0, min(1.0, float(r_vec @ K) / r)))
    i_sym = float(directional_integral(E * r, alpha, backend="numpy"))
    return -g1 * g2 * G_F**2 * FLUX * E**2 * i_sym / math.pi**3


@pytest.mark.parametrize("ed", [0.5, 5.0, 50.0])
@pytest.mark.parametrize("direction", list(DIRECTIONS))
def test_gradient_matches_finite_difference(direction, ed):
    r_vec = DIRECTIONS[direction] * ed / E
    got = sc.retarded_potential_gradient(r_vec, K, energy=E, g1=1.3, g2=-0.7, flux=FLUX)
    # Step E h = 1e-3: truncation ~ (E h)⁴/30 ≈ 3e-14 and round-off ~ 1e-16/(E h) = 1e-13 of
    # E|U| ~ |∇U|, so 1e-9 of |∇U| is a wide margin that still catches any wrong term.
    ref = _fd_gradient(_u_r, r_vec, 1e-3 / E)
    scale = float(np.linalg.norm(ref))
    assert got == pytest.approx(ref, rel=0, abs=1e-9 * scale)


@pytest.mark.parametrize("ed", [0.5, 3.0, 40.0, 1e4])
@pytest.mark.parametrize("alpha", [0.0, 0.4, math.pi / 2, 2.5, math.pi])
def test_potential_is_retarded_directional_integral(alpha, ed):
    # U_R = −(g₁g₂/π³) G_F² Φ E² I_R(ℓ, α) with I_R from nusim.physics.directional (an
    # independent implementation of the same design-note formula), equal to round-off: 1e-13,
    # plus the phase, which both sides round differently by ~1e-16 × ℓ rad (1e-12 at ℓ = 1e4).
    r_vec = (math.cos(alpha) * K + math.sin(alpha) * _E1) * ed / E
    i_r = float(directional_integral(ed, alpha, kernel="retarded", backend="numpy"))
    ref = -1.3 * -0.7 * G_F**2 * FLUX * E**2 * i_r / math.pi**3
    scale = _amp(1.3, -0.7) * E / ed          # A/r, the natural size of U_R
    assert _u_r(r_vec) == pytest.approx(ref, rel=0, abs=(1e-13 + 1e-15 * ed) * abs(scale))


@pytest.mark.parametrize(("g1", "g2"), CHARGES)
@pytest.mark.parametrize("ed", E_D)
@pytest.mark.parametrize("direction", list(DIRECTIONS))
def test_pair_forces_balance_interference_momentum_transfer(direction, ed, g1, g2):
    d_vec = DIRECTIONS[direction] * ed / E
    f1, f2 = sc.retarded_pair_forces(d_vec, K, energy=E, g1=g1, g2=g2, flux=FLUX)
    p_int = sc.interference_momentum_transfer(d_vec, K, energy=E, g1=g1, g2=g2, flux=FLUX)
    scale = float(np.linalg.norm(f2))
    # Not a null test: the wake forces are far from reciprocal (|F₁ + F₂| ≥ 0.12 |F₂| here).
    assert np.linalg.norm(f1 + f2) > 0.05 * scale
    # The quadrature is converged (next test); what is left is round-off of a sum whose terms are
    # ~4(E|d|)² times the result (≈ 3e-13 relative at E|d| = 50): 1e-11 |F₂| is a 30× margin.
    assert f1 + f2 == pytest.approx(p_int, rel=0, abs=1e-11 * scale)


@pytest.mark.parametrize("ed", E_D)
@pytest.mark.parametrize("direction", list(DIRECTIONS))
def test_interference_quadrature_is_converged(direction, ed):
    d_vec = DIRECTIONS[direction] * ed / E
    kw = {"energy": E, "g1": 1.3, "g2": -0.7, "flux": FLUX}
    n_c, n_phi = sc.default_nodes(E, ed / E)
    p = sc.interference_momentum_transfer(d_vec, K, **kw)
    p_fine = sc.interference_momentum_transfer(d_vec, K, nodes=(2 * n_c, 2 * n_phi), **kw)
    # Doubling both node counts changes nothing beyond round-off: 1e-13 plus the cancellation
    # term 1e-15 (E|d|)² (see the balance test).
    scale = float(np.linalg.norm(p_fine))
    assert p == pytest.approx(p_fine, rel=0, abs=(1e-13 + 1e-15 * ed**2) * scale)


def test_undersampled_quadrature_misses_the_balance():
    # The check has teeth: with a quarter of the needed azimuth/cos θ nodes at E|d| = 50 the
    # quadrature is off by far more than any tolerance above.
    d_vec = DIRECTIONS["generic"] * 50.0 / E
    kw = {"energy": E, "g1": 1.3, "g2": -0.7, "flux": FLUX}
    f1, f2 = sc.retarded_pair_forces(d_vec, K, **kw)
    p_coarse = sc.interference_momentum_transfer(d_vec, K, nodes=12, **kw)
    assert np.linalg.norm(p_coarse - (f1 + f2)) > 1e-3 * np.linalg.norm(f1 + f2)


@pytest.mark.parametrize("ed", [0.5, 5.0, 50.0])
@pytest.mark.parametrize("direction", ["generic", "perpendicular", "downstream"])
def test_even_potential_pair_forces_cancel(direction, ed):
    # The paper's even V (eq. 4.8 closed form, from nusim.physics.directional) by finite
    # differences: F₁ + F₂ = 0 (Newton's third law), while V's force on body 2 equals the
    # even part of the wake forces, (F₂ − F₁)/2 from the closed-form gradient of U_R.
    d_vec = DIRECTIONS[direction] * ed / E
    h = 1e-3 / E
    fv2 = -_fd_gradient(_v_paper, d_vec, h)
    fv1 = -_fd_gradient(_v_paper, -d_vec, h)
    f1, f2 = sc.retarded_pair_forces(d_vec, K, energy=E, g1=1.3, g2=-0.7, flux=FLUX)
    scale = float(np.linalg.norm(fv2))
    assert scale > 0.0
    # finite-difference error 1e-13 relative (as in the gradient test); 1e-9 margin
    assert fv1 + fv2 == pytest.approx(np.zeros(3), rel=0, abs=1e-9 * scale)
    assert fv2 == pytest.approx(0.5 * (f2 - f1), rel=0, abs=1e-9 * scale)


@pytest.mark.parametrize("g", [1.0, -26.0])
@pytest.mark.parametrize("energy", [1e3, 2e6, 1e9])
@pytest.mark.parametrize("k_hat", [K, np.array([0.0, 0.0, -1.0]), _E2])
def test_self_force_is_flux_energy_transport_cross_section(k_hat, energy, g):
    # Φ ∫dΩ'|f|² E (k̂ − k̂') = ΦEσ_tr k̂, σ_tr = 2E²G_F²g²/(3π): the integrand is a low-degree
    # polynomial in cos θ and the azimuth, so the rule is exact up to the round-off of a
    # 48 × 48-node sum (seen: ≤ 2e-14 relative); 1e-13 allows for it.
    got = sc.self_momentum_transfer(k_hat, energy=energy, g=g, flux=FLUX)
    sigma_tr = 2 * energy**2 * G_F**2 * g**2 / (3 * math.pi)
    ref = FLUX * energy * sigma_tr * k_hat
    assert sc.transport_cross_section(energy=energy, g=g) == pytest.approx(
        sigma_tr, rel=0, abs=1e-15 * sigma_tr)
    assert got == pytest.approx(ref, rel=0, abs=1e-13 * float(np.linalg.norm(ref)))


@pytest.mark.parametrize("ed", [0.5, 3.0, 1e3, 1e6])
def test_downstream_on_axis_is_twice_the_symmetric_leading_term(ed):
    # Design note §7: on the axis downstream U_R = −2A/d exactly, so F₂ = −2A/d² k̂, twice the
    # paper's leading (1/r) term −A/d² k̂, at every E d. Upstream, U_R(−d k̂) = −A sin(2Ed)/(E d²),
    # so F₁·k̂ = −2A cos(2Ed)/d² + 2A sin(2Ed)/(E d³): only terms with phase 2Ed. Closed forms
    # against the general gradient; round-off 1e-16 × E d in the phase, hence 1e-12 + 1e-15 E d.
    d = ed / E
    a = _amp(1.0, 1.0)
    f1, f2 = sc.retarded_pair_forces(d * K, K, energy=E, g1=1.0, g2=1.0, flux=FLUX)
    tol = (1e-12 + 1e-15 * ed) * 2 * a / d**2
    assert f2 == pytest.approx(-2 * a / d**2 * K, rel=0, abs=tol)
    f1_axis = -2 * a * math.cos(2 * ed) / d**2 + 2 * a * math.sin(2 * ed) / (E * d**3)
    assert f1 == pytest.approx(f1_axis * K, rel=0, abs=tol)


def test_upstream_on_axis_has_no_smooth_term():
    # Averaged over one period of the phase 2Ed (any real body does this), d²F·k̂ is −2A
    # downstream and vanishes upstream up to O(1/(E d)²) ≈ 1e-6 at E d = 1e3.
    a = _amp(1.0, 1.0)
    x, w = np.polynomial.legendre.leggauss(64)
    d = (1e3 + 0.5 * math.pi * (x + 1)) / E           # E d over [1e3, 1e3 + π]
    up, down = [], []
    for di in d:
        f1, f2 = sc.retarded_pair_forces(di * K, K, energy=E, g1=1.0, g2=1.0, flux=FLUX)
        up.append(di**2 * f1 @ K)
        down.append(di**2 * f2 @ K)
    mean_up = 0.5 * w @ np.array(up)
    mean_down = 0.5 * w @ np.array(down)
    assert mean_down == pytest.approx(-2 * a, rel=0, abs=1e-12 * 2 * a)
    assert mean_up == pytest.approx(0.0, rel=0, abs=1e-5 * 2 * a)


def test_like_charges_attract_the_downstream_body():
    # The sign convention: like charges pull body 2 back towards body 1 (against k̂), as the
    # paper's V < 0 does, and the interference then takes momentum *out of* the forward flow
    # of the bodies (F₁ + F₂ against k̂ on the axis).
    d_vec = 7.0 / E * K
    f1, f2 = sc.retarded_pair_forces(d_vec, K, energy=E, g1=1.0, g2=1.0, flux=FLUX)
    p_int = sc.interference_momentum_transfer(d_vec, K, energy=E, g1=1.0, g2=1.0, flux=FLUX)
    a = _amp(1.0, 1.0)
    assert f2 @ K == pytest.approx(-2 * a * (E / 7.0) ** 2, rel=0, abs=1e-12 * a * (E / 7) ** 2)
    assert p_int @ K < 0.0


def test_amplitude_normalisation_and_phase():
    # f0² = E²G_F²g²/(2π²); the phase is E(k̂ − k̂')·x; cos(θ/2) vanishes backwards.
    f0 = sc.amplitude_normalisation(energy=E, g=2.0)
    assert f0**2 == pytest.approx(E**2 * G_F**2 * 4.0 / (2 * math.pi**2), rel=0,
                                  abs=1e-15 * f0**2)
    x = np.array([1.0, 2.0, -0.5]) / E
    k_out = np.stack([K, -K, _E1])
    f = sc.point_scattering_amplitude(k_out, K, energy=E, g=2.0, position=x)
    ref = f0 * np.array([1.0, 0.0, math.sqrt(0.5)]) * np.exp(1j * E * ((K - k_out) @ x))
    assert f == pytest.approx(ref, rel=0, abs=1e-15 * abs(f0))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"d_vec": [0.0, 0.0, 0.0]}, r"interference_momentum_transfer: d_vec must be non-zero"),
    ({"d_vec": [1.0, 2.0]}, r"d_vec must be a 3-vector, shape \(3,\); got shape \(2,\)"),
    ({"k_hat": [0.0, 0.0, 2.0]}, r"k_hat must be a unit vector .* got \|k_hat\| = 2\.0"),
    ({"energy": -1.0}, r"energy must be positive \[eV\]; got -1\.0"),
    ({"flux": 0.0}, r"flux must be positive \[eV³\]; got 0\.0"),
    ({"g1": float("nan")}, r"interference_momentum_transfer: g1 contains NaN"),
    ({"nodes": 1}, r"nodes=1: need at least 2 nodes in cos θ and 3 in azimuth"),
    ({"nodes": "many"}, r"nodes='many' must be an int or a pair of ints"),
])
def test_bad_arguments_are_named(kwargs, match):
    args = {"d_vec": [0.0, 0.0, 1.0], "k_hat": [0.0, 0.0, 1.0], "energy": 1.0, "g1": 1.0,
            "g2": 1.0, "flux": 1.0} | kwargs
    d_vec, k_hat = args.pop("d_vec"), args.pop("k_hat")
    with pytest.raises(ValueError, match=match):
        sc.interference_momentum_transfer(d_vec, k_hat, **args)


def test_pair_forces_reject_zero_separation():
    with pytest.raises(ValueError, match=r"retarded_pair_forces: d_vec must be non-zero"):
        sc.retarded_pair_forces(np.zeros(3), K, energy=E, g1=1.0, g2=1.0, flux=FLUX)
