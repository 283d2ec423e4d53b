"""The near-field gradient-overlap references of two spheres (design note §4, §7): closed forms,
an mpmath quadrature of the slice formula in its original variable z₁, a Fourier-space
(Hankel) evaluation with smoothed edges, exact identities between J_U, J_F and J_Σ, symmetries,
scaling, and convergence with the quadrature level."""

import math

import mpmath
import numpy as np
import pytest
import scipy.special

from nusim.reference_methods.near_field import (
    _lens_integral,
    column_gradient_overlap,
    gradient_overlap_energy,
    gradient_overlap_force,
)

# (a, b, D, offset). DISJOINT: the spheres do not intersect (some also overlap axially);
# INTERSECTING: they do, the only case where J_F ≠ J_Σ (module docstring).
DISJOINT = [
    (1.0, 0.6, 3.0, 0.0), (0.6, 1.0, 1.7, 0.0), (1.0, 0.6, 3.0, 0.3), (1.0, 1.0, 2.5, 0.5),
    (0.7, 1.0, 2.0, 1.2),
    (1.0, 0.6, 0.8, 1.4),     # side by side: centre distance 1.61 > 1.6, z ranges overlap
    (1.0, 0.6, 0.2, 1.59),    # nearly level, nearly touching: centre distance 1.6025
]
INTERSECTING = [
    (1.0, 0.6, 0.5, 0.0),     # coaxial
    (1.0, 0.6, 1.0, 1.0),     # centre distance 1.41, offset between |a − b| and a + b
    (1.0, 0.6, 0.3, 0.9),     # offset smaller than both radii
    (0.7, 1.0, 1.0, 0.5),     # smaller sphere upstream
]


def coaxial_column_closed_form(a, b):
    """J_Σ = 8π ∫₀^s r³ dr/(√(a² − r²)√(b² − r²)) = 4π[(a² + b²) asinh(s/δ) − ab], s = min(a, b),
    δ = √(|b² − a²|) (substitute u = s² − r², then ∫p dp/√(p(p + δ²)) is elementary)."""
    s = min(a, b)
    delta = math.sqrt(abs(b - a) * (a + b))
    return 4 * math.pi * ((a * a + b * b) * math.asinh(s / delta) - a * b)


@pytest.mark.parametrize(("a", "b"), [(1.0, 0.6), (0.6, 1.0), (1.0, 0.1), (1.0, 1.0 + 1e-6)])
def test_coaxial_column_overlap_against_closed_form(a, b):
    # b = a(1 + 1e-6) is next to the logarithmic divergence (J_Σ ≈ 4π·2a²·ln(…) ≈ 98): the
    # endpoint 1/√ singularities nearly merge. Tolerance: float64 round-off of the 1-D rule and
    # of asinh (observed ≤ 3e-15 relative).
    ref = coaxial_column_closed_form(a, b)
    assert column_gradient_overlap(a, b) == pytest.approx(ref, rel=1e-13, abs=1e-13)


def _slice_formula_mpmath(a, b, D, weight):
    """2π ∫dz₁ ρ₁²/√(b² − ρ₁²) Σ_± w(D ± √(b² − ρ₁²) − z₁): the coaxial slice formula in z₁ (the
    Jacobian 1/|dρ₂/dz₂| over the two roots z₂), by mpmath's tanh–sinh with breakpoints at the
    singular ends z₁ = ±√(a² − b²) (a > b) and the kink z₁ = (D² + a² − b²)/(2D)."""
    with mpmath.workdps(20):     # breakpoints and integrand at the same precision
        a, b, D = mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(D)

        def integrand(z1):
            r_sq = a * a - z1 * z1
            if r_sq >= b * b:
                return mpmath.mpf(0)
            h = mpmath.sqrt(b * b - r_sq)
            return r_sq / h * (weight(D + h - z1) + weight(D - h - z1))

        points = {-a, a}
        if a > b:
            z0 = mpmath.sqrt(a * a - b * b)
            points |= {-z0, z0}
        kink = (D * D + a * a - b * b) / (2 * D)
        if -a < kink < a:
            points.add(kink)
        return float(2 * mpmath.pi * mpmath.quad(integrand, sorted(points)))


@pytest.mark.parametrize(("a", "b", "D"), [(1.0, 0.6, 0.5), (0.6, 1.0, 0.5), (1.0, 0.6, 1.2),
                                           (1.0, 0.6, 3.0)])
def test_coaxial_slices_against_direct_z1_quadrature(a, b, D):
    # Independent of the module's u-substitution; mpmath's own error with the 1/√ ends at
    # ±√(a² − b²) is ~1e-12 relative (observed 9e-13), hence 1e-11.
    ref_u = _slice_formula_mpmath(a, b, D, abs)
    ref_f = _slice_formula_mpmath(a, b, D, lambda x: 1 if x > 0 else 0)
    assert gradient_overlap_energy(a, b, D) == pytest.approx(ref_u, rel=1e-11, abs=1e-12)
    assert gradient_overlap_force(a, b, D) == pytest.approx(ref_f, rel=1e-11, abs=1e-12)


@pytest.mark.parametrize(("a", "b", "D", "c"), DISJOINT)
def test_disjoint_spheres_force_equals_column_overlap_and_energy_is_linear(a, b, D, c):
    # Disjoint spheres, D > 0: on every line along k̂ the chord of sphere 2 lies above that of
    # sphere 1, so θ(z₂ − z₁) = 1 and |z₂ − z₁| = z₂ − z₁ wherever the integrand lives, and each
    # sphere is symmetric about its own mid-plane: J_F = J_Σ and J_U = D·J_Σ exactly, also for
    # the side-by-side cases whose z ranges overlap. The slice quadrature and the
    # transverse-plane quadrature are different code paths; tolerance: their quadrature errors
    # (observed ≤ 3e-13 relative).
    j_sigma = column_gradient_overlap(a, b, c)
    assert gradient_overlap_force(a, b, D, c) == pytest.approx(j_sigma, rel=1e-10, abs=1e-12)
    assert gradient_overlap_energy(a, b, D, c) == pytest.approx(D * j_sigma, rel=1e-10,
                                                                abs=1e-12)


@pytest.mark.parametrize("c", [0.4, 0.4 * (1 + 1e-9), 0.4 * (1 - 1e-9), 0.6, 1.0, 1.2])
@pytest.mark.parametrize(("a", "b"), [(1.0, 0.6), (0.6, 1.0)])
def test_tangent_and_degenerate_offsets(a, b, c):
    # Offsets where the quadratures' special points collide: c = |a − b| (the smaller disk
    # internally tangent to the larger, at the equator z₁ = 0 of the slices; at 1 ± 1e-9 the
    # tangency is nearly touched), c = b or a (a slice circle through the other centre),
    # c = 1.2. Slice and transverse-plane routes and the a ↔ b exchange must agree for
    # separated spheres (J_F = J_Σ); observed ≤ 3e-15 relative, tolerance 1e-10. (Before the
    # tangency was made a breakpoint, c = 0.4 was off by 3 % and, with a < b, by 226 %.)
    j_sigma = column_gradient_overlap(a, b, c)
    assert column_gradient_overlap(b, a, c) == pytest.approx(j_sigma, rel=1e-10, abs=1e-12)
    assert gradient_overlap_force(a, b, a + b + 1.0, c) == pytest.approx(j_sigma, rel=1e-10,
                                                                         abs=1e-12)


@pytest.mark.parametrize(("a", "b", "D", "c"), INTERSECTING)
def test_energy_derivative_is_twice_force_minus_column_overlap(a, b, D, c):
    # ∂|z₂ − z₁|/∂D = sign(z₂ − z₁) = 2θ(z₂ − z₁) − 1, so ∂J_U/∂D = 2J_F − J_Σ for any D.
    # Central difference with h = 1e-4·D: truncation h²J'''/6 ~ 1e-8 (observed ≤ 1.1e-8),
    # round-off 1e-16·J_U/h ~ 1e-11; tolerance 1e-6 of |J_Σ|.
    h = 1e-4 * D
    derivative = (gradient_overlap_energy(a, b, D + h, c)
                  - gradient_overlap_energy(a, b, D - h, c)) / (2 * h)
    j_sigma = column_gradient_overlap(a, b, c)
    expected = 2 * gradient_overlap_force(a, b, D, c) - j_sigma
    assert derivative == pytest.approx(expected, rel=0, abs=1e-6 * abs(j_sigma))
    # the intersection must matter here, or the test would only repeat the disjoint case
    assert abs(expected - j_sigma) > 1e-2 * abs(j_sigma)


@pytest.mark.parametrize(("a", "b", "D", "c"), [DISJOINT[2], DISJOINT[5], *INTERSECTING])
def test_exchange_symmetry(a, b, D, c):
    # the reflection z → D − z, x → c − x exchanges the spheres and reverses z₁, z₂: all three
    # integrals are symmetric under a ↔ b. The swapped geometry has different breakpoints and
    # nodes, so agreement tests the quadrature (observed ≤ 1e-14 relative; tolerance 1e-10).
    for func, args in ((gradient_overlap_energy, (D, c)), (gradient_overlap_force, (D, c)),
                       (column_gradient_overlap, (c,))):
        assert func(b, a, *args) == pytest.approx(func(a, b, *args), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize(("a", "b", "D", "c"), [DISJOINT[2], INTERSECTING[0], INTERSECTING[3]])
def test_scaling_with_length(a, b, D, c):
    # J_U ~ L³, J_F and J_Σ ~ L²; tanh–sinh nodes scale with the intervals, so only round-off
    # differs (tolerance 1e-12 relative).
    lam = 2.5
    scaled = (lam * a, lam * b, lam * D, lam * c)
    assert gradient_overlap_energy(*scaled) == pytest.approx(
        lam**3 * gradient_overlap_energy(a, b, D, c), rel=1e-12, abs=1e-14)
    assert gradient_overlap_force(*scaled) == pytest.approx(
        lam**2 * gradient_overlap_force(a, b, D, c), rel=1e-12, abs=1e-14)
    assert column_gradient_overlap(lam * a, lam * b, lam * c) == pytest.approx(
        lam**2 * column_gradient_overlap(a, b, c), rel=1e-12, abs=1e-14)


def _ball_transform(q, radius):
    """3-D Fourier transform of a unit ball at q_z = 0 (= 2-D transform of its column density)."""
    x = q * radius
    small = x < 1e-2
    safe_q = np.where(small, 1.0, q)
    return np.where(small, 4 * math.pi * radius**3 / 3 * (1 - x * x / 10),
                    4 * math.pi * (np.sin(x) - x * np.cos(x)) / safe_q**3)


def _smoothed_hankel(a, b, c, eps):
    """(1/2π)∫₀^∞ q³ Σ̂₁(q) Σ̂₂(q) J₀(qc) e^{−ε²q²} dq: ∫d²s ∇Σ₁·∇Σ₂ by Parseval, with both column
    densities' edges smoothed by Gaussians (∝ e^{−ε²q²/2} each), on Gauss–Legendre panels
    shorter than the fastest oscillation, to q = 7/ε (regulator e^{−49})."""
    q_max = 7 / eps
    n_panels = int(q_max * (a + b + c) / math.pi) + 10
    x, w = np.polynomial.legendre.leggauss(40)
    edges = np.linspace(0.0, q_max, n_panels + 1)
    half = 0.5 * np.diff(edges)
    q = ((edges[:-1] + edges[1:])[:, None] / 2 + half[:, None] * x).ravel()
    weights = (half[:, None] * w).ravel()
    f = (q**3 * _ball_transform(q, a) * _ball_transform(q, b) * scipy.special.j0(q * c)
         * np.exp(-(eps * q) ** 2))
    return float(weights @ f) / (2 * math.pi)


@pytest.mark.parametrize(("a", "b", "c"), [(1.0, 0.6, 1.2), (1.0, 1.0, 0.5), (0.8, 1.0, 0.9),
                                           (1.0, 0.6, 0.0)])
def test_column_overlap_against_smoothed_fourier_integral(a, b, c):
    # Brute force with smoothed edges, in Fourier space: the smoothing bias is O(ε²) when no
    # edge frequency a ± b ± c is small (all ≥ 0.4 here), so two Richardson steps over
    # ε = 0.04, 0.02, 0.01 leave ~1e-7 relative (observed ≤ 6e-7); tolerance 1e-5.
    j = [_smoothed_hankel(a, b, c, eps) for eps in (0.04, 0.02, 0.01)]
    r1, r2 = (4 * j[1] - j[0]) / 3, (4 * j[2] - j[1]) / 3
    extrapolated = (16 * r2 - r1) / 15
    ref = column_gradient_overlap(a, b, c)
    assert extrapolated == pytest.approx(ref, rel=1e-5, abs=1e-6)
    # and the unextrapolated smoothing bias is visible, so the extrapolation is doing work
    assert abs(j[0] - ref) > 1e-3 * abs(ref)


def _quarter_sum(weight):
    def combined(p, q):
        return sum(weight(s1, s2, p, q) for s1 in (1, -1) for s2 in (1, -1)) / 4
    return combined


@pytest.mark.parametrize(("a", "b", "D", "c"), [DISJOINT[5], *INTERSECTING[1:]])
def test_offset_energy_against_transverse_plane_quadrature(a, b, D, c):
    # Other exact reduction: the slice δ's integrated over z₁, z₂ first give
    # J_U = ∫d²s ∇p·∇q Σ_± |D ± q ∓ p| over the lens (p, q the half-chords = Σ/2), done in polar
    # coordinates about centre 1 (the J_Σ code path with a weight). The kinks D ± q ± p = 0 lie
    # inside the lens, so this converges only algebraically: level 6 is good to ~3e-7
    # (observed); tolerance 5e-6.
    def weight(s1, s2, p, q):
        return np.abs(D + s2 * q - s1 * p)
    lens = _lens_integral(a, b, c, _quarter_sum(weight), 6)
    assert gradient_overlap_energy(a, b, D, c) == pytest.approx(lens, rel=5e-6, abs=1e-8)


@pytest.mark.parametrize(("a", "b", "D"), [(1.0, 0.6, 0.5), (1.0, 0.6, 3.0), (0.7, 1.0, 1.0)])
def test_small_offset_tends_to_coaxial(a, b, D):
    # The offset routes (2-D slices, polar lens) must join the coaxial 1-D ones: the change is
    # O(c²) (J_Σ moves by 8e-6 at c = 1e-3 for a = 1, b = 0.6), so at c = 1e-4 it is ~1e-7;
    # tolerance 1e-6 relative.
    c = 1e-4
    for func, args in ((gradient_overlap_energy, (D,)), (gradient_overlap_force, (D,))):
        assert func(a, b, *args, c) == pytest.approx(func(a, b, *args), rel=1e-6, abs=1e-9)
    assert column_gradient_overlap(a, b, c) == pytest.approx(column_gradient_overlap(a, b),
                                                             rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(("a", "b", "D", "c"), [DISJOINT[2], DISJOINT[6], *INTERSECTING[1:]])
def test_converges_with_level(a, b, D, c):
    # Double-exponential convergence (each level halves the step): the error against level 5
    # (the default) falls at least a thousandfold from level 1 to level 3 (observed ≥ 2e4), and
    # level 4 already agrees with level 5 to 1e-12 relative (observed ≤ 7e-15; level 7 agrees
    # with level 5 to 7e-15 too).
    for func, args in ((gradient_overlap_energy, (D, c)), (gradient_overlap_force, (D, c)),
                       (column_gradient_overlap, (c,))):
        best = func(a, b, *args)
        err1 = abs(func(a, b, *args, level=1) - best)
        err3 = abs(func(a, b, *args, level=3) - best)
        assert err3 <= 1e-3 * err1
        assert func(a, b, *args, level=4) == pytest.approx(best, rel=1e-12, abs=1e-14)


def test_level_one_is_visibly_unconverged():
    # guards the convergence test above against a level argument that changes nothing
    a, b, D, c = INTERSECTING[2]
    coarse = gradient_overlap_force(a, b, D, c, level=1)
    assert abs(coarse - gradient_overlap_force(a, b, D, c)) > 1e-8


@pytest.mark.parametrize("func", [gradient_overlap_energy, gradient_overlap_force])
def test_equal_coaxial_radii_raise(func):
    with pytest.raises(ValueError, match=r"a == b .* diverges logarithmically"):
        func(0.5, 0.5, 2.0)
    # offset or unequal radii make it finite
    assert math.isfinite(func(0.5, 0.5, 2.0, 0.1))


def test_equal_coaxial_radii_raise_for_column_overlap():
    with pytest.raises(ValueError, match=r"column_gradient_overlap: a == b .* diverges"):
        column_gradient_overlap(0.5, 0.5)


def test_column_overlap_grows_logarithmically_towards_equal_radii():
    # J_Σ ≈ 4π·2a²·ln(2a/δ) − 4πa² as b → a (δ² = b² − a²): the divergence the error guards.
    # The asymptotic form drops O(ε ln ε) terms, ~1e-4 relative at ε = 1e-4; tolerance 1e-3.
    for eps in (1e-4, 1e-8):
        a, b = 1.0, 1.0 + eps
        delta = math.sqrt(eps * (2 + eps))
        approx = 4 * math.pi * (2 * math.log(2 / delta) - 1)
        assert column_gradient_overlap(a, b) == pytest.approx(approx, rel=1e-3, abs=1e-3)


def test_disjoint_silhouettes_give_zero_and_bad_arguments_raise():
    assert gradient_overlap_energy(1.0, 0.5, 1.0, 1.5) == 0.0
    assert gradient_overlap_force(1.0, 0.5, 1.0, 2.0) == 0.0
    assert column_gradient_overlap(1.0, 0.5, 1.6) == 0.0
    with pytest.raises(ValueError, match=r"gradient_overlap_energy: a must be positive"):
        gradient_overlap_energy(-1.0, 0.5, 2.0)
    with pytest.raises(ValueError, match=r"gradient_overlap_force: D must be positive"):
        gradient_overlap_force(1.0, 0.5, 0.0)
    with pytest.raises(ValueError, match=r"column_gradient_overlap: offset must be non-negative"):
        column_gradient_overlap(1.0, 0.5, -0.1)
