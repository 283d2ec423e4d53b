"""Energy-smeared beam potential, eq. (C.9): normalisation, closed form vs quadrature, limits."""

import math

import numpy as np
import pytest
import scipy.integrate

from nusim.physics import directional as d
from nusim.physics import smearing as s

E0, SIGMA, FLUX = 2.0e6, 0.2e6, 1.0  # eV, eV, eV³ (flux is a pure scale factor)


def _naive(r):
    """|eq. 5.3| at E0: the natural scale ΦE/(πr) of the potential [eV⁵]."""
    return FLUX * E0 / (math.pi * r)


def test_gaussian_normalisation_eq_c_4():
    # B of eq. (C.4) against direct quadrature, and its O(σ³) expansion √(2π)E0²σ.
    for e0, sig in [(2e6, 2e5), (1.0, 0.5), (3.0, 2.0)]:
        direct = scipy.integrate.quad(lambda e: e**2 * math.exp(-(e - e0) ** 2 / (2 * sig**2)),
                                      0, e0 + 40 * sig, points=[e0], epsrel=1e-12,
                                      limit=200)[0]
        assert s.gaussian_normalisation(e0, sig) == pytest.approx(direct, rel=1e-10, abs=0)
    # expansion: relative correction is σ²/E0² = 1e-2 for (2e6, 2e5)
    assert s.gaussian_normalisation(E0, SIGMA) == pytest.approx(
        math.sqrt(2 * math.pi) * E0**2 * SIGMA, rel=1.5 * (SIGMA / E0) ** 2, abs=0)


def test_gaussian_spectrum_normalised_as_eq_c_2():
    # 2π ∫ E² f_g dE = Φ0 (eqs. C.2, C.7), for a narrow and a wide Gaussian.
    for sig in (SIGMA, 1.5 * E0):
        val = scipy.integrate.quad(
            lambda e, sig=sig: 2 * math.pi * e**2 * s.gaussian_spectrum_f(e, 3.0, E0, sig),
            0, E0 + 40 * sig, points=[E0], epsrel=1e-12, limit=200)[0]
        assert val == pytest.approx(3.0, rel=1e-9, abs=0)


@pytest.mark.parametrize("kernel", ["symmetric", "retarded"])
@pytest.mark.parametrize("r", [3e-6, 1e-5, 1e-4, 1.0, 1e6])  # eV⁻¹: E0 r = 6 ... 2e12
@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.2, math.pi / 2, 2.5, math.pi])
def test_gaussian_closed_form_matches_fourier_quadrature(kernel, r, alpha):
    # Two independent evaluations of eq. (C.9) for f_g: analytic Gaussian moments vs QAWO
    # quadrature of the closed-form I over [E0 − 9.9σ, E0 + 12σ]. The range cut leaves edge
    # terms ~ f(edge)/κ ~ e^{-49} of the scale, so agreement is set by quadrature round-off.
    f = lambda e: s.gaussian_spectrum_f(e, FLUX, E0, SIGMA)  # noqa: E731
    num = s.smeared_potential(r, alpha, f, E0 - 9.9 * SIGMA, E0 + 12 * SIGMA, kernel=kernel)
    closed = s.gaussian_smeared_potential(r, alpha, FLUX, E0, SIGMA, kernel=kernel)
    assert abs(num - closed) <= 1e-9 * _naive(r)


@pytest.mark.parametrize("kernel", ["symmetric", "retarded"])
def test_monochromatic_limit_eq_c_11(kernel):
    # σ → 0: eq. (C.9) → eq. (C.11) = eq. (4.5). The first correction is O((σ r)²) in the
    # phases and O(σ²/E0²) in the amplitudes; σ = 1e-7 E0 and E0 r ≤ 1e3 keep both ≤ 1e-8.
    sig = 1e-7 * E0
    r = np.array([1e-6, 1e-5, 1e-4, 5e-4])
    for alpha in (0.0, 0.7, math.pi / 2, 2.9):
        smeared = s.gaussian_smeared_potential(r, alpha, FLUX, E0, sig, kernel=kernel)
        mono = d.directional_potential(r, alpha, E0, FLUX, kernel=kernel)
        assert np.all(np.abs(smeared - mono) <= 1e-8 * _naive(r))


def test_on_axis_spread_does_not_wash_out():
    # α = 0, E r ≫ 1: no oscillating phase, so V = −(1/πr) ∫ dΦ/dE E dE = −Φ⟨E⟩_Φ/(πr) with the
    # flux-weighted mean ⟨E⟩_Φ = (E0³ + 3E0σ²)/(E0² + σ²) (full-line Gaussian moments).
    r = 1e6  # eV⁻¹, E0 r = 2e12
    mean_e = (E0**3 + 3 * E0 * SIGMA**2) / (E0**2 + SIGMA**2)
    expected = -FLUX * mean_e / (math.pi * r)
    got = s.gaussian_smeared_potential(r, 0.0, FLUX, E0, SIGMA)
    assert got == pytest.approx(expected, rel=1e-7, abs=0)  # 1/ℓ² terms ~ 1e-24; B's erf tail ~1e-22


def test_off_axis_spread_washes_out_as_eq_4_14():
    # Small α, ℓ ≫ 1: the leading term is −(Φ/πr)⟨E cos(κ₁E)⟩ with κ₁ = 2r sin²(α/2); for the
    # Gaussian its envelope is exp(−κ₁²σ²/2): the 1/r term survives only while α²rσ/2 ≲ 1,
    # the statement of eq. (4.14) with Δ(Er) = σ r.
    r = 1e3
    for x in (0.3, 1.0, 3.0):  # x = κ₁σ
        alpha = 2 * math.asin(math.sqrt(x / (2 * r * SIGMA)))
        kappa = 2 * r * math.sin(alpha / 2) ** 2
        smeared = s.gaussian_smeared_potential(r, alpha, FLUX, E0, SIGMA)
        m = E0 + 1j * kappa * SIGMA**2
        lead = -(FLUX / (math.pi * r)) * np.real(
            np.exp(1j * kappa * E0 - 0.5 * (kappa * SIGMA) ** 2) * (m**3 + 3 * m * SIGMA**2)
        ) / (E0**2 + SIGMA**2) * math.cos(alpha / 2) ** 2
        assert smeared == pytest.approx(lead, abs=1e-6 * _naive(r))
        envelope = abs(smeared) / _naive(r)
        assert envelope <= math.exp(-0.5 * x**2) * (1 + 5 * x * SIGMA / E0) + 1e-6
    assert s.coherent_angle_limit(1e6) == pytest.approx(math.sqrt(math.pi / 1e6), abs=0)


def test_general_spectrum_against_dense_gauss_legendre():
    # A non-Gaussian smooth spectrum (dΦ/dE ∝ E² e^{-E/T} on [0.1, 8] MeV): Fourier quadrature
    # vs brute-force composite Gauss–Legendre of E⁴ f(E) I(E r, α) at moderate E r, where the
    # brute force is converged (4000 panels × 20 nodes over ≤ 2e3 rad of phase).
    t = 1e6
    spectrum = lambda e: e**2 * np.exp(-e / t) / t**3  # noqa: E731  (eV² per unit Φ)
    f = s.f_from_spectrum(spectrum)
    lo, hi = 0.1e6, 8e6
    x, w = np.polynomial.legendre.leggauss(20)
    edges = np.linspace(lo, hi, 4001)
    half = 0.5 * np.diff(edges)
    nodes = ((edges[:-1] + edges[1:])[:, None] / 2 + half[:, None] * x).ravel()
    weights = (half[:, None] * w).ravel()
    for r, alpha in [(2e-5, 0.4), (1e-4, 2.0), (1e-4, 0.0)]:
        for kernel in ("symmetric", "retarded"):
            integrand = nodes**4 * f(nodes) * d.directional_integral(nodes * r, alpha,
                                                                     kernel=kernel)
            brute = -(2 / math.pi**2) * weights @ integrand
            got = s.smeared_potential(r, alpha, f, lo, hi, kernel=kernel)
            assert got == pytest.approx(brute, rel=1e-9, abs=1e-12 * t / r)


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"energy_mean/energy_sigma = 2 < 6"):
        s.gaussian_smeared_potential(1.0, 0.1, 1.0, 2.0, 1.0)
    with pytest.raises(ValueError, match=r"energy_max .* must exceed energy_min"):
        s.smeared_potential(1.0, 0.1, lambda e: 1.0, 2.0, 1.0)
    with pytest.raises(ValueError, match=r"f must be a callable"):
        s.smeared_potential(1.0, 0.1, 3.0, 1.0, 2.0)
    with pytest.raises(ValueError, match=r"r must be positive"):
        s.smeared_potential(-1.0, 0.1, lambda e: 1.0, 1.0, 2.0)
