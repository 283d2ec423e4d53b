"""I(ℓ, α) of eq. (4.8): closed form vs an independent quadrature, special cases, limits, I_R."""

import math

import mpmath
import numpy as np
import pytest

from nusim.physics import directional_integral
from nusim.physics import directional as d

PI2 = math.pi**2
ELLS = np.logspace(-2, 3, 11)
ALPHAS = np.linspace(0.0, math.pi, 9)


def test_closed_form_matches_quadrature_of_eq_4_8_on_grid():
    # The brief asks ≤ 1e-9 absolute over ℓ ∈ [1e-2, 1e3], α ∈ [0, π]. Both sides are
    # exponentially convergent / exact, so the residual is float64 round-off (~1e-14 × ℓ-scale).
    ell, alpha = np.meshgrid(ELLS, ALPHAS, indexing="ij")
    exact = directional_integral(ell, alpha)
    quad = directional_integral(ell, alpha, method="quadrature")
    assert np.max(np.abs(exact - quad)) < 1e-9
    # and relative to the natural scale π²/ℓ of I: the quadrature sums ~4e6 O(1) terms with
    # phases up to 2ℓ rad carrying ~1e-16·ℓ absolute error, so ~1e-12 at ℓ = 1e3
    assert np.max(np.abs(exact - quad) * ell / PI2) < 1e-11


@pytest.mark.parametrize("ell", [0.01, 0.7, 3.0, 25.0, 400.0])
def test_axis_eq_4_9(ell):
    # eq. (4.9) is the closed form at α = 0: only round-off separates them.
    assert d.integral_on_axis(ell) == pytest.approx(directional_integral(ell, 0.0), rel=1e-13, abs=0)
    assert d.integral_on_axis(ell) == pytest.approx(
        directional_integral(ell, 0.0, method="quadrature"), rel=1e-11, abs=0)


@pytest.mark.parametrize("ell", [0.05, 1.0, 4.0, 17.0, 60.0])
def test_perpendicular_eq_4_10_struve(ell):
    # eq. (4.10) by Gauss–Legendre over the Struve H0 integral vs the closed form π² cos ℓ/ℓ;
    # scipy's struve is accurate to ~1e-13 relative, the quadrature is converged.
    closed = directional_integral(ell, math.pi / 2)
    assert closed == pytest.approx(PI2 * math.cos(ell) / ell, rel=1e-12, abs=1e-14)
    assert d.integral_perpendicular(ell) == pytest.approx(closed, abs=1e-10 * PI2 / ell)
    assert d.struve_bracket(ell) == pytest.approx(math.cos(ell), abs=1e-10)


@pytest.mark.parametrize("alpha_deg", [30, 45, 60, 90])
def test_asymptotic_eq_4_11_matches_eq_4_8_at_large_ell(alpha_deg):
    # Figure 4: ℓ·I from eq. (4.8) (quadrature) vs ℓ·I from eq. (4.11). The neglected term is
    # (π² c/ℓ) cos ℓ sin(cℓ) in ℓ·I, so the difference is bounded by π²|cos α|/ℓ.
    alpha = math.radians(alpha_deg)
    ell = np.array([50.0, 100.0, 300.0])
    quad = ell * directional_integral(ell, alpha, method="quadrature")
    asym = ell * d.asymptotic_integral(ell, alpha)
    assert np.all(np.abs(quad - asym) <= PI2 * abs(math.cos(alpha)) / ell + 1e-10)
    # at larger ℓ the closed form carries the comparison (exact vs quadrature is tested above)
    big = np.logspace(3, 12, 10)
    diff = big * (directional_integral(big, alpha) - d.asymptotic_integral(big, alpha))
    assert np.all(np.abs(diff) <= PI2 / big * 1.0000001)


def test_short_distance_limit():
    # ℓ → 0: I → (π²/2ℓ)(3 + cos 2α) (design note §1) with O(ℓ²) relative corrections.
    ell = 1e-3
    expected = PI2 / (2 * ell) * (3 + np.cos(2 * ALPHAS))
    assert np.allclose(directional_integral(ell, ALPHAS), expected, rtol=1e-6)


def test_small_angle_eq_4_13():
    # eq. (4.13) vs eq. (4.11) for α ≪ 1 with α²ℓ = O(1): the phase differs by ℓα⁴/24 and the
    # amplitude by O(α²), the second term is O(α²).
    alpha = np.array([1e-3, 3e-4, 1e-4])
    ell = 2.0 / alpha**2
    small = d.integral_small_angle(ell, alpha)
    asym = d.asymptotic_integral(ell, alpha)
    assert np.all(np.abs(small - asym) * ell / PI2 <= 2 * alpha**2 + ell * alpha**4)


@pytest.mark.parametrize(("ell", "alpha"), [(1e12, 1e-7), (1e12, 3e-6), (1e15, 1e-8),
                                            (3.7e9, 2e-5), (1e10, math.pi - 1e-6)])
def test_tiny_angles_keep_precision(ell, alpha):
    # A 40-digit mpmath evaluation of the same closed form is the reference. With the phase as
    # 2ℓ sin²(α/2) the float64 result is limited by the rounding of ℓ and α themselves
    # (relative phase error ~1e-16, absolute ≤ 1e-16·ℓα² ≲ 1e-3 here, so rel 1e-12 on I at
    # these phases ≲ 5); computing 1 − cos α in float64 would be wrong by ~100 %.
    mpmath.mp.dps = 40
    l_mp, a_mp = mpmath.mpf(ell), mpmath.mpf(alpha)
    c = mpmath.cos(a_mp)
    ref = (mpmath.pi**2 / l_mp) * (mpmath.cos(a_mp / 2) ** 2 * mpmath.cos((1 - c) * l_mp)
                                   + mpmath.sin(a_mp / 2) ** 2 * mpmath.cos((1 + c) * l_mp)
                                   + (c / l_mp) * mpmath.cos(l_mp) * mpmath.sin(c * l_mp))
    scale = PI2 / ell
    for backend in ("numpy", "numba"):
        got = directional_integral(ell, alpha, backend=backend)
        phase_err = 1e-16 * max(ell * alpha**2, 1.0)
        assert abs(got - float(ref)) <= scale * (1e-12 + phase_err)


def test_numba_kernel_equals_numpy_twin():
    # Same formula, two compilers: numpy's SIMD sin/cos and LLVM's differ by a few ulp, which
    # moves phases ~ℓ by ~4e-16·ℓ rad; agreement is round-off plus that (on the π²/ℓ scale).
    rng = np.random.default_rng(20261124)
    ell = 10 ** rng.uniform(-3, 12, 5000)
    alpha = rng.uniform(0, math.pi, 5000)
    for kernel in ("symmetric", "retarded"):
        a = directional_integral(ell, alpha, kernel=kernel, backend="numpy")
        b = directional_integral(ell, alpha, kernel=kernel, backend="numba")
        assert np.all(np.abs(a - b) * ell / PI2 < 1e-12 + 2e-15 * ell)


def test_retarded_even_part_is_symmetric_kernel():
    # Design note §7: V = [U_R(r) + U_R(−r)]/2, i.e. [I_R(α) + I_R(π − α)]/2 = I(α); checked
    # against the independent quadrature of eq. (4.8) as well.
    ell, alpha = np.meshgrid(np.logspace(-2, 2.5, 8), ALPHAS, indexing="ij")
    ir = directional_integral(ell, alpha, kernel="retarded")
    ir_back = directional_integral(ell, math.pi - alpha, kernel="retarded")
    even = 0.5 * (ir + ir_back)
    assert np.allclose(even, directional_integral(ell, alpha), rtol=0, atol=1e-12 * PI2 / 1e-2)
    quad = directional_integral(ell, alpha, method="quadrature")
    assert np.max(np.abs(even - quad) * ell / PI2) < 1e-12


def test_retarded_axis_is_twice_eq_4_13_and_upstream_has_no_1_over_r():
    ell = np.logspace(0, 12, 13)
    # downstream on the axis: exactly 2 × the leading term π²/ℓ of eq. (4.13), at every ℓ
    assert np.allclose(directional_integral(ell, 0.0, kernel="retarded"),
                       2 * d.integral_small_angle(ell, 0.0), rtol=1e-14)
    # near the axis: I_R/(2 × eq. 4.13) = 1 + O(α²) + O(1/ℓ)
    alpha = 1e-4
    big = 2.0 / alpha**2 * np.array([0.5, 1.0, 1.7])
    ratio_err = (directional_integral(big, alpha, kernel="retarded")
                 - 2 * d.integral_small_angle(big, alpha)) * big / PI2
    assert np.all(np.abs(ratio_err) <= 2 * (alpha**2 + 1 / big + big * alpha**4))
    # upstream (α = π): I_R = (π²/ℓ²) sin 2ℓ — no 1/ℓ term survives
    up = directional_integral(ell, math.pi, kernel="retarded")
    assert np.all(np.abs(up) <= PI2 / ell**2 * (1 + 1e-12))
    # at 90° the two kernels agree (to round-off in phases ~ℓ, i.e. ~4e-16·ℓ rad)
    diff = (directional_integral(ell, math.pi / 2, kernel="retarded")
            - directional_integral(ell, math.pi / 2))
    assert np.all(np.abs(diff) * ell / PI2 <= 1e-12 + 2e-15 * ell)


@pytest.mark.parametrize("ell", [0.3, 2.0, 9.0, 30.0])
def test_isotropic_average_reproduces_r_minus_4_law(ell):
    # Below eq. (4.10): averaging I over cos α must give the r⁻⁴ potential of eq. (2.8) for a
    # monochromatic isotropic flux; normalisation derived in isotropic_average_integral.
    # Averaged with 64-point Gauss–Legendre in cos α (integrand is an entire function of
    # cos α of bandwidth 2ℓ ≤ 60, so the rule is exact to round-off), from the quadrature of
    # eq. (4.8) (independent of the closed form) and from the closed form.
    x, w = np.polynomial.legendre.leggauss(64)
    alpha = np.arccos(x)
    target = d.isotropic_average_integral(ell)
    from_closed = 0.5 * w @ directional_integral(ell, alpha)
    assert from_closed == pytest.approx(target, rel=1e-10, abs=1e-12 * PI2 / ell)
    from_quad = 0.5 * w @ directional_integral(ell, alpha, method="quadrature")
    assert from_quad == pytest.approx(target, rel=1e-10, abs=1e-12 * PI2 / ell)


def test_potential_normalisations():
    # eq. (4.5): V = −(1/π³) Φ E² I; eq. (4.12) is its ℓ ≫ 1 form; eq. (4.13) at α = 0 is
    # eq. (5.3), −ΦE/(πr).
    r, energy, flux = 3e7, 2e6, 1e-10  # eV⁻¹, eV, eV³
    alpha = 0.4
    v = d.directional_potential(r, alpha, energy, flux)
    assert v == pytest.approx(-flux * energy**2 / math.pi**3
                              * directional_integral(energy * r, alpha), rel=1e-15, abs=0)
    assert d.directional_potential_long_distance(r, alpha, energy, flux) == pytest.approx(
        v, rel=0, abs=abs(flux * energy / (math.pi * r)) / (energy * r))
    assert d.directional_potential_small_angle(r, 0.0, energy, flux) == pytest.approx(
        -flux * energy / (math.pi * r), rel=1e-15, abs=0)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"ell": -1.0, "alpha": 0.1}, r"directional_integral: ell must be positive"),
    ({"ell": 1.0, "alpha": 4.0}, r"alpha must lie in \[0, π\]"),
    ({"ell": 1.0, "alpha": -0.1}, r"alpha must lie in \[0, π\]"),
    ({"ell": 1.0, "alpha": 0.1, "method": "simpson"}, r"method='simpson' is not one of"),
    ({"ell": 1.0, "alpha": 0.1, "kernel": "advanced"}, r"kernel='advanced' is not one of"),
    ({"ell": 1.0, "alpha": 0.1, "method": "quadrature", "kernel": "retarded"},
     r"symmetric kernel"),
    ({"ell": "far", "alpha": 0.1}, r"ell='far' is not a number"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        directional_integral(**kwargs)
