"""The Earth's night-time wake on a small body (nusim.physics.earth_wake): the closed forms
against the quadratures of nusim.reference_methods.near_field, limits, symmetries, flavour
weights and the Washington 2007 report."""

import math

import numpy as np
import pytest

from nusim.errors import ArgumentError
from nusim.physics import couplings
from nusim.physics import earth_wake as ew
from nusim.reference_methods import near_field as ref
from nusim.physics.beam import line_spectrum

UNIT = ew.EarthModel((1.0,), (1.0,), couplings.FlavourCharges(1.0, 1.0, 1.0), "unit", "test")


def laplacian_squared(s):
    """∇⊥⁴Σ of Σ = 2√(1 − s²): ∇²(−2L), L = (2 − s²)/(1 − s²)^{3/2}; L'' + L'/s worked by hand
    = (8 + 8s² − s⁴)/(1 − s²)^{7/2}."""
    return -2 * (8 + 8 * s * s - s**4) / (1 - s * s) ** 3.5


@pytest.mark.parametrize("zeta_deg", [0.0, 30.0, 60.0])
def test_column_curvature_against_two_sphere_quadrature(zeta_deg):
    """J_Σ/V_b of a small sphere (radius b, centre 2b above a unit sphere) → −∇²Σ − (b²/10)∇⁴Σ.

    The leading-only residual must be the b² term (within 5 % of it: the next, b⁴, term is
    (b/cos²ζ)² ≲ 1e-3 of it) and the corrected residual O(b⁴): < 10 (b/ℓ)⁴ with ℓ = 1 − sin ζ
    the distance to the limb, the column's scale (quadrature round-off ~3e-17/b² = 3e-13)."""
    z = math.radians(zeta_deg)
    for b in (0.03, 0.01):
        c = (1 + 2 * b) * math.sin(z)
        vol = 4 * math.pi / 3 * b**3
        quad = ref.column_gradient_overlap(1.0, b, c) / vol
        lead = -ew.column_laplacian(c, earth=UNIT)
        corr = -b * b / 10 * laplacian_squared(c)
        assert abs((quad - lead) / corr - 1) < 0.05 + 30 * b * b / math.cos(z) ** 4
        assert abs(quad / (lead + corr) - 1) < 10 * (b / (1 - math.sin(z))) ** 4


def test_closed_form_values_w4():
    """(W4) of the module docstring: uniform sphere at the surface, per unit density."""
    rho, r = 2.0, 3.0
    earth = ew.EarthModel((r,), (rho,), couplings.FlavourCharges(1.0, 1.0, 1.0), "t", "t")
    for zeta in (0.0, 0.3, 1.0, 1.4):
        c, s = math.cos(zeta), math.sin(zeta)
        a = 2 * rho / r     # A/(2G_F²Φ⟨1/E⟩ n Q) per unit density: 4n/R → 2ρ/R × 2
        g = ew.wake_geometry(zeta, earth=earth)
        # round-off only (closed forms of the same expressions in other variables)
        np.testing.assert_allclose(g.along_beam, a * (1 + c * c) / c**3, rtol=1e-12)
        np.testing.assert_allclose(g.transverse, a * s * (3 + c * c) / c**4, rtol=1e-12,
                                   atol=1e-15)
        np.testing.assert_allclose(g.up, a * (2 + s * s) / c**4, rtol=1e-12)
        np.testing.assert_allclose(g.horizontal, a * 2 * s / c**3, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("zeta_deg", [0.0, 24.2, 60.0, 78.0])
def test_closed_form_against_quadrature_method(zeta_deg):
    """Two independent methods: the closed forms (W2–W4) and the gradient-overlap quadratures
    (J_F by the slice route, the transverse force by differences of the lens-route J_Σ),
    extrapolated in body size. Tolerance 3e-5: quadratic extrapolation leaves O(t³/cos⁶ζ)
    ≲ 1e-5 at 78°, the 5-point difference (0.02)⁴ × O(10) ≈ 2e-6, round-off ≲ 1e-7."""
    z = math.radians(zeta_deg)
    a, b = ew.wake_geometry(z), ew.wake_geometry_quadrature(z)
    for f in ("along_beam", "up"):
        assert getattr(b, f) / getattr(a, f) == pytest.approx(1, rel=3e-5)
    if zeta_deg == 0.0:
        assert a.horizontal == 0.0
        assert abs(b.horizontal) < 1e-12 * a.up
    else:
        assert b.horizontal / a.horizontal == pytest.approx(1, rel=3e-5)
        assert b.transverse / a.transverse == pytest.approx(1, rel=3e-5)


def test_upstream_body_feels_nothing():
    """By day the body is upstream: zero. Reference: with the Earth downstream of the body, the
    slice-route J_F (force on the downstream sphere) equals J_Σ, so the share with the order
    reversed (the upstream body's force, J_Σ − J_F) vanishes to round-off."""
    g = ew.wake_geometry(np.radians([90.0, 120.0, 180.0]))
    assert np.all(g.along_beam == 0)
    assert np.all(g.up == 0)
    assert np.all(g.horizontal == 0)
    b, a, d = 0.01, 1.0, 1.0 + 0.02 + 1.0
    for c in (0.0, 0.3):
        jf = ref.gradient_overlap_force(b, a, d, c)
        assert abs(jf - ref.column_gradient_overlap(b, a, c)) < 1e-12 * abs(jf)


def test_direction_and_sign():
    """Like-sign charges: pushed downstream (along +k̂), upwards at night, horizontally towards
    the Sun's azimuth (against the beam's horizontal projection −sin ζ, design note §8)."""
    g = ew.wake_geometry(math.radians(50.0))
    assert g.along_beam > 0
    assert g.transverse > 0
    assert g.up > 0
    assert g.horizontal > 0


def test_layered_earth_and_mass():
    """PREM shells: total mass within 0.2 % of GM_E/G_N (PREM's own mass 5.974e24 kg); a single
    shell reproduces the uniform sphere; more central mass curves the column more at the nadir."""
    u, p = ew.uniform_earth(), ew.prem_shells_earth()
    assert p.mass_kg / u.mass_kg == pytest.approx(1, rel=2e-3)
    assert u.mass_kg == pytest.approx(5.9722e24, rel=1e-4)   # GM_E/G_N, IAU 2015 / CODATA 2018
    assert ew.wake_geometry(0.0, earth=p).up > 2 * ew.wake_geometry(0.0, earth=u).up


def _beams(p_ee, energy=3e5):
    # monochromatic stand-ins: Φ_e = P_ee Φ, Φ_μ = (1 − P_ee) Φ at one energy [eV]
    return {"e": line_spectrum(energy, p_ee * 1e-14), "mu": line_spectrum(energy,
                                                                          (1 - p_ee) * 1e-14)}


def test_flavour_weights():
    """local: CC·CC weighted like NC·CC (P_ee). decohered: for vacuum-like mass fractions
    p_i = |U_ei|² (P_ee = Σ|U_ei|⁴) the CC·CC weight is Σ|U_ei|⁶ (computed here from the
    mixing angles), to round-off."""
    from nusim.sources.solar import OSCILLATION_PARAMETERS
    o = OSCILLATION_PARAMETERS["NuFIT-5.2"]
    ue = np.array([(1 - o.sin2_theta13) * (1 - o.sin2_theta12),
                   (1 - o.sin2_theta13) * o.sin2_theta12, o.sin2_theta13])
    p_ee = float(np.sum(ue**2))
    loc = ew.channel_weights(_beams(p_ee), flavour="local")
    dec = ew.channel_weights(_beams(p_ee), flavour="decohered")
    assert loc["cc_cc"] == loc["nc_cc"] == pytest.approx(p_ee * loc["nc_nc"], rel=1e-12)
    assert dec["cc_cc"] / dec["nc_nc"] == pytest.approx(float(np.sum(ue**3)), rel=1e-12)


def test_common_mode_cancels():
    """Δa(Be, Be) = 0; Δa(Be, Ti) = a(Be) − a(Ti) (the field is common to both bodies)."""
    bm, z = _beams(0.55), math.radians(40.0)
    assert ew.differential_acceleration(z, bm, material_a="Be", material_b="Be").up == 0.0
    d = ew.differential_acceleration(z, bm)
    a, b = (ew.earth_wake_acceleration(z, m, bm) for m in ("Be", "Ti"))
    assert d.horizontal == pytest.approx(a.horizontal - b.horizontal, rel=1e-9)


def test_errors_name_the_argument():
    with pytest.raises(ArgumentError, match=r"wake_geometry: nadir_angle_rad must lie in"):
        ew.wake_geometry(-0.1)
    with pytest.raises(ArgumentError, match=r"flavour='coherent' is not one of"):
        ew.channel_weights(_beams(0.5), flavour="coherent")


@pytest.fixture(scope="module")
def seattle():
    from nusim.engine.beams import sun_beams
    from nusim.sources.solar import Sun
    sun = Sun(*ew.SEATTLE_DEG)
    return sun, sun_beams(sun, "2007-12-21T08:00:00", n_components=8)


def test_washington_2007_report(seattle):
    """The report: both methods agree (≤ 3e-5, see above), 24.2° minimum nadir angle at the
    December solstice (90° − (47.66° − 23.44°) from the lower culmination, ± 0.05°), and the
    signal ~40 orders of magnitude below the limits. Regression guard (2026-07, uniform Earth,
    decohered flavour, 8-Gaussian spectrum fit, ⟨1/E⟩ to 1e-6): max |Δa_h| = 2.2926e-54 m s⁻²
    within 1e-3."""
    sun, beams = seattle
    r = ew.washington_2007_earth_wake(("2007-12-21",), sun=sun, beams=beams,
                                      quadrature_points=2)
    night = r["nights"][0]
    assert night["min_nadir_angle_deg"] == pytest.approx(47.66 - 23.44, abs=0.05)
    assert r["methods_max_rel_difference"] < 3e-5
    assert r["max_abs_horizontal_m_s2"] == pytest.approx(2.2926e-54, rel=1e-3)
    assert r["ratio_to_sun_direction_limit"] < 1e-35
