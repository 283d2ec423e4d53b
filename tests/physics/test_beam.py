"""The smeared beam pair potential: point limit = eq. (4.12), Gaussian spectrum = appendix C,
profile averages against closed forms and independent quadratures, eq. (4.14) behaviour."""

import math

import numpy as np
import pytest

from nusim.engine import kernels
from nusim.physics import beam as b
from nusim.physics.directional import directional_potential_long_distance
from nusim.physics.smearing import gaussian_smeared_potential

E = 2e6          # eV
K = np.array([0.0, 0.0, 1.0])
LINE = b.line_spectrum(E, 1.0)


def _pairs(r, alpha):
    return np.array([[r * math.sin(alpha), 0.0, r * math.cos(alpha)]])


def _continuum():
    e = np.linspace(1e4, 1e7, 3000)
    shape = e**2 * np.exp(-e / 1e6)
    return b.fit_spectrum(e, shape / np.trapezoid(shape, e))


@pytest.mark.parametrize("r", [1e6, 1e9, 5e11])  # eV⁻¹: E r = 2e12 ... 1e18
@pytest.mark.parametrize("alpha", [0.0, 1e-7, 1e-6, 1e-4, 0.3, 1.5, 3.0, math.pi])
@pytest.mark.parametrize("kernel", ["symmetric", "retarded"])
def test_point_monochromatic_is_eq_4_12(r, alpha, kernel):
    # A monochromatic point source must give eq. (4.12) (retarded: its leading term 2c₂cos).
    # Both evaluate phases E(r ∓ z) to float64 relative precision; the tolerance allows 4 ulp
    # of the largest phase (E r up to 1e18 rad!) on top of round-off.
    got = b.point_source_potential(_pairs(r, alpha), K, LINE, kernel)[0]
    scale = E / (math.pi * r)
    if kernel == "symmetric":
        ref = float(directional_potential_long_distance(r, alpha, E, 1.0))
    else:
        ref = -scale * 2 * math.cos(alpha / 2) ** 2 * math.cos(2 * E * r * math.sin(alpha / 2) ** 2)
    phase = 2 * E * r
    assert abs(got - ref) <= scale * (1e-13 + 1e-15 * phase * max(alpha, 1e-30) ** 2
                                      + (1e-15 * phase if alpha > 1e-3 else 0))


@pytest.mark.parametrize("r", [1e5, 1e6])
@pytest.mark.parametrize("alpha", [0.0, 1e-3, 2e-3, 3e-3, math.pi])
def test_gaussian_spectrum_is_appendix_c(r, alpha):
    # The eq. (C.3) spectrum fitted with 48 Gaussian components (fit residual ~4e-6) against the
    # closed form of nusim.physics.smearing (independent: analytic Gaussian moments); the
    # agreement is set by the fit, observed ~1e-11 of the naive scale, asserted at 1e-8.
    spec = b.gaussian_beam_spectrum(1.0, 2e6, 0.2e6)
    got = b.point_source_potential(_pairs(r, alpha), K, spec)[0]
    ref = float(gaussian_smeared_potential(r, alpha, 1.0, 2e6, 0.2e6))
    assert abs(got - ref) <= 1e-8 * 2e6 / (math.pi * r)


def test_fit_preserves_flux_and_mean_energy():
    # a spectrum that vanishes smoothly at both ends of its table (a sharp cut would be smoothed
    # by the fit over ~σ_k, moving ⟨E⟩ by ~ the flux beyond the cut, ~0.2 % for a 10 MeV cut)
    e = np.linspace(1e4, 2.5e7, 4000)
    shape = e**2 * np.exp(-e / 1e6)
    spec = b.fit_spectrum(e, 3.0 * shape / np.trapezoid(shape, e))
    assert spec.total_flux == pytest.approx(3.0, rel=1e-12, abs=0)   # rescaled exactly
    # ⟨E⟩ of E² e^{-E/T} is 3T; the fit residual is ~2e-5
    mean_true = np.trapezoid(e * shape, e) / np.trapezoid(shape, e)
    assert spec.mean_energy == pytest.approx(mean_true, rel=1e-4, abs=0)
    assert spec.fit_residual < 1e-4
    dens = spec.density(e) / 3.0
    assert np.max(np.abs(dens - shape / np.trapezoid(shape, e))) < 1e-3 * np.max(
        shape / np.trapezoid(shape, e))


@pytest.mark.parametrize("sigma", [1e-7, 1e-6, 3e-6, 1e-5])
@pytest.mark.parametrize("z", [1e5, 1e6])
def test_gaussian_profile_on_axis_factor(sigma, z):
    # Design note §4: on the axis a Gaussian profile multiplies the retarded line term by
    # 1/(1 + (E z σ²)²) exactly (complex Gaussian integral); round-off only.
    got = b.gaussian_profile_potential(np.array([[0, 0, z]]), K, sigma, LINE, "retarded")[0]
    ref = -(2 * E / (math.pi * z)) / (1 + (E * z * sigma**2) ** 2)
    assert got == pytest.approx(ref, rel=1e-12, abs=0)


def test_gaussian_profile_zero_width_is_point():
    rng = np.random.default_rng(3)
    rv = rng.normal(size=(40, 3)) * 1e6
    spec = _continuum()
    for kernel in ("symmetric", "retarded"):
        a = b.gaussian_profile_potential(rv, K, 0.0, LINE, kernel)
        assert np.array_equal(a, b.point_source_potential(rv, K, LINE, kernel))
        a = b.gaussian_profile_potential(rv, K, 0.0, spec, kernel)
        assert np.allclose(a, b.point_source_potential(rv, K, spec, kernel), rtol=1e-12,
                           atol=1e-14 * 2e6 / 1e6)


@pytest.mark.parametrize(("sigma", "z"), [(1e-3, 1e6), (1e-4, 1e6)])
def test_near_field_curvature_formula_matches_exact_profile_average(sigma, z):
    # E r σ² = 1e6 and 1e4: the ⟨1/E⟩-weighted curvature law (design note §4) against the exact
    # paraxial profile average, across the profile (θ ≤ 4σ); the residual is O(1/(E r σ²))
    # plus the fit's ⟨1/E⟩ ~1e-4 → asserted at 3e-4 of the on-axis value.
    spec = _continuum()
    th = np.linspace(0, 4 * sigma, 9)
    rv = np.column_stack([z * np.sin(th), 0 * th, z * np.cos(th)])
    exact = b.gaussian_profile_potential(rv, K, sigma, spec, "retarded")
    near = b.smooth_profile_potential(rv, b.gaussian_profile_laplacian(th, sigma), 0 * th,
                                      spec, "retarded")
    assert np.max(np.abs(exact - near)) <= 3e-4 * abs(near[0])
    # and the far smaller value than the point source: the 1/r term is gone (eq. 4.14)
    point = b.point_source_potential(rv[:1], K, spec, "retarded")[0]
    assert abs(near[0]) < 1e-6 * abs(point) * 1e4 / (1e6 * z * sigma**2)


def test_eq_4_14_crossover():
    # The 1/r law survives while the angular spread keeps α²E r ≲ π (eq. 4.14): with x = E z σ²,
    # on-axis |V|/|V_point| = 1/(1 + x²): ≥ 0.9 for x ≤ 1/3, ≤ 0.1 for x ≥ 3.
    for x, bound in [(0.1, 0.99), (1 / 3, 0.9)]:
        sigma = math.sqrt(x / (E * 1e6))
        v = b.gaussian_profile_potential(np.array([[0, 0, 1e6]]), K, sigma, LINE, "retarded")[0]
        assert abs(v) / (2 * E / (math.pi * 1e6)) >= bound * (1 - 1e-9)
    for x in (3.0, 30.0):
        sigma = math.sqrt(x / (E * 1e6))
        v = b.gaussian_profile_potential(np.array([[0, 0, 1e6]]), K, sigma, LINE, "retarded")[0]
        assert abs(v) / (2 * E / (math.pi * 1e6)) <= 1 / (1 + x**2) * (1 + 1e-12)


def test_disk_rim_against_boundary_integral():
    # Independent method: for a line and a pair direction inside the disk, the paraxial needle
    # average is the polar boundary integral of design note §3,
    # ∫_disk e^{ia γ²} d²γ = (1/2ia) ∮ (e^{ia ρ(θ)²} − 1) dθ, a = E r/2, with ρ(θ) the distance to
    # the rim. The rim formula neglects the rim's curvature: error ~ (E r)^{-1/2}/θ₀ ~ 1e-3.
    # The periodic trapezoid rule converges once N exceeds the phase rate 2aρρ' ≲ 4e6: N = 2e7.
    r, th0 = 1e6, 1e-3
    p0 = 1 / (2 * math.pi * (1 - math.cos(th0)))
    a = E * r / 2
    n, chunk = 20_000_000, 2_000_000
    for depth in (2e-7, 6e-7, 1.5e-6):
        beta = th0 - depth
        total = 0j
        for start in range(0, n, chunk):
            theta = (np.arange(start, start + chunk) + 0.5) * (2 * math.pi / n)
            rho = -beta * np.cos(theta) + np.sqrt(th0**2 - (beta * np.sin(theta)) ** 2)
            total += np.sum(np.exp(1j * a * rho**2) - 1)
        integral = total / n * 2 * math.pi / (2j * a)
        ref = -(2 / (math.pi * r)) * E * p0 * integral.real      # retarded, cos α ≈ 1
        got = b.disk_rim_potential(_pairs(r, beta), K, th0, LINE, "retarded")[0]
        assert got == pytest.approx(ref, rel=3e-3, abs=3e-3 * abs(ref))


def test_numba_kernels_equal_numpy_twins():
    # Same formulas, two compilers: round-off in phases up to E r ~ 1e13 rad (4 ulp).
    rng = np.random.default_rng(5)
    rv = rng.normal(size=(3000, 3)) * 5e5
    rv[:1000] = np.column_stack([rng.uniform(0, 1e-3, 1000), np.zeros(1000),
                                 rng.uniform(1e4, 1e6, 1000)])      # needle pairs
    spec = _continuum()
    f, m, s = spec.arrays()
    k = np.array([0.0, 0.6, 0.8])
    for kk in (K, k):
        for retarded in (False, True):
            out = np.empty(len(rv))
            kernels.beam_point_potential(rv, kk, f, m, s, retarded, out)
            ref = b.point_source_potential(rv, kk, spec, "retarded" if retarded else "symmetric")
            scale = spec.total_flux * spec.mean_energy / np.linalg.norm(rv, axis=1)
            assert np.all(np.abs(out - ref) <= scale * 1e-12)
            kernels.beam_gaussian_profile_near_field(rv, kk, 1e-3, 2.0, retarded, out)
            cos_a = np.clip(rv @ kk / np.linalg.norm(rv, axis=1), -1, 1)
            th = np.arccos(cos_a)
            ref = b.smooth_profile_potential(
                rv, b.gaussian_profile_laplacian(th, 1e-3),
                b.gaussian_profile_laplacian(math.pi - th, 1e-3), b.BeamSpectrum((2.0,), (1.0,), (0.0,)),
                "retarded" if retarded else "symmetric")
            assert np.allclose(out, ref, rtol=1e-9, atol=0)
