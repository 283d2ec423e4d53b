"""Isotropic backgrounds (section 3 of Ghosh et al. 2023): general numerics vs the closed forms
(3.9)–(3.34), tables 2 and 3, an independent mpmath.quadosc evaluation of eq. (2.8), the
chemical potential, and argument errors.

Regime points: x = m/T and b = rT (eq. 3.7). "Deep in a regime" means x = 1e4 (NR), b = 1e-4
(r ≪ 1/T) or b = 1e3 (r ≫ 1/T); each tolerance is the size of the corrections the closed form
neglects there (derived in nusim/physics/isotropic.py Notes), with a factor ~2 of margin.
"""

import math

import mpmath
import numpy as np
import pytest

from nusim.errors import NumericsError
from nusim.physics import isotropic as iso
from nusim.physics.isotropic import general_isotropic_potential, isotropic_potential
from nusim.physics.vacuum import vacuum_potential

PI3 = math.pi**3
#: A CνB-like temperature [eV], so that r = b/T and m = xT exercise the unit scaling.
T_CNB = 1.68e-4
ZETA3 = float(mpmath.zeta(3))
ZETA5 = float(mpmath.zeta(5))
#: Quadrature acceptance of the FD/MB numerics (nusim.physics.isotropic._REL_TOL) with margin:
#: the integrands are smooth and the agreement is usually ~1e-12.
QUAD_RTOL = 2e-9


def rel(a, b):
    return np.max(np.abs(np.asarray(a) / np.asarray(b) - 1.0))


# ------------------------------------------------------------------------------------------
# Coefficients 14.4 and 248.9 (eqs. 3.24, 3.33)
# ------------------------------------------------------------------------------------------

def test_dirac_coefficient_14_4_from_polygamma():
    c = iso.nr_short_range_coefficient("dirac")
    # printed "14.4" in eq. (3.24) and tables 2, 3: reproduced to the printed digit
    assert round(c, 1) == 14.4
    # independent reference: mpmath's polygamma (exact to float64 round-off)
    ref = float(mpmath.polygamma(2, 1) - mpmath.polygamma(2, mpmath.mpf(1) / 2))
    assert c == pytest.approx(ref, rel=1e-14, abs=0)
    # ψ⁽²⁾(1) = −2ζ(3), ψ⁽²⁾(½) = −14ζ(3): the difference is 12ζ(3) exactly (round-off only)
    assert c == pytest.approx(12 * ZETA3, rel=1e-14, abs=0)


def test_majorana_coefficient_248_9_from_polygamma():
    c = iso.nr_short_range_coefficient("majorana")
    # printed "248.9" in eq. (3.33) and table 3: reproduced to the printed digit
    assert round(c, 1) == 248.9
    # (8/24)[ψ⁽⁴⁾(1) − ψ⁽⁴⁾(½)] with ψ⁽⁴⁾(1) − ψ⁽⁴⁾(½) = 720ζ(5): 240ζ(5); round-off only
    ref = float(mpmath.polygamma(4, 1) - mpmath.polygamma(4, mpmath.mpf(1) / 2))
    assert ref == pytest.approx(720 * ZETA5, rel=1e-14, abs=0)
    assert c == pytest.approx(ref * 8 / 24, rel=1e-14, abs=0)
    assert c == pytest.approx(240 * ZETA5, rel=1e-14, abs=0)


# ------------------------------------------------------------------------------------------
# Tables 2 and 3: the general numerics deep in each regime vs the table entries
# ------------------------------------------------------------------------------------------

def _table(dist, mass, rng, nature, r, T, m):
    """Table 2 (Dirac) and table 3 entries as printed in [1], per G_F² g₁g₂; the printed
    14.4 and 248.9 are used as their exact values 12ζ(3) and 240ζ(5) (tested above)."""
    if nature == "majorana":
        return {"short": -240 * ZETA5 / (8 * PI3) * T**5 / (m * r),
                "long": -1 / (8 * PI3) / (m * T) / r**7}[rng]
    entries = {
        ("MB", "m0", "short"): -8 / PI3 * T**4 / r,
        ("MB", "m0", "long"): -1 / (2 * PI3) / r**5,
        ("MB", "nr", "short"): -2 / PI3 * m * T**3 / r,
        ("MB", "nr", "long"): -1 / (8 * PI3) * m / T / r**5,
        ("FD", "m0", "short"): -7 * math.pi / 90 * T**4 / r,
        ("FD", "m0", "long"): -1 / (4 * PI3) / r**5,
        ("FD", "nr", "short"): -12 * ZETA3 / (8 * PI3) * m * T**3 / r,
        ("FD", "nr", "long"): -1 / (32 * PI3) * m / T / r**5,
    }
    return entries[(dist, mass, rng)]


# (distribution, mass regime, range regime, nature, tolerance, reason)
TABLE_CASES = [
    ("MB", "m0", "short", "dirac", 2e-7, "(1+4b²)⁻² = 1 − 8b², 8e-8 at b = 1e-4"),
    ("MB", "m0", "long", "dirac", 1e-6, "16b⁴/(1+4b²)² = 1 − 1/(2b²), 5e-7 at b = 1e3"),
    ("MB", "nr", "short", "dirac", 4e-7, "8b² + 10/x² = 1.8e-7 (eq. 3.11 and K neglected)"),
    ("MB", "nr", "long", "dirac", 1e-6, "1/(2b²) = 5e-7"),
    ("FD", "m0", "short", "dirac", 2e-7, "η-series next term 8.3b² = 8.3e-8"),
    ("FD", "m0", "long", "dirac", 1e-9, "corrections ~(2πb)² e^{−2πb} = 0; quadrature only"),
    ("FD", "nr", "short", "dirac", 4e-7, "8.6b² + 10.8/x² = 1.9e-7"),
    ("FD", "nr", "long", "dirac", 5e-7, "asymptotic series 1/(4b²) = 2.5e-7"),
    # table 3 (FD, m ≫ T): the Dirac row is the FD NR column of table 2, asked by name
    ("FD", "nr", "short", "majorana", 6e-7, "12b² + 15/x² = 2.7e-7"),
    ("FD", "nr", "long", "majorana", 8e-7, "asymptotic series 3/(8b²) = 3.8e-7"),
]


@pytest.mark.parametrize(("dist", "mass", "rng", "nature", "tol", "reason"), TABLE_CASES)
def test_tables_2_and_3_from_general_numerics(dist, mass, rng, nature, tol, reason):
    x = 0.0 if mass == "m0" else 1e4
    b = 1e-4 if rng == "short" else 1e3
    T = T_CNB
    r, m = b / T, x * T
    got = isotropic_potential(r, T, m, distribution=dist, nature=nature)
    # tolerance = the neglected corrections named in `reason`, with margin
    assert rel(got, _table(dist, mass, rng, nature, r, T, m)) < tol, reason


@pytest.mark.parametrize("rng", ["short", "long"])
def test_table_3_dirac_row(rng):
    # Table 3's Dirac row by nature="dirac" explicitly; corrections as in the FD NR cases above
    # (8.6b² + 10.8/x² = 1.9e-7 short; 1/(4b²) = 2.5e-7 long)
    b = 1e-4 if rng == "short" else 1e3
    r, m = b / T_CNB, 1e4 * T_CNB
    got = isotropic_potential(r, T_CNB, m, distribution="FD", nature="dirac")
    assert rel(got, _table("FD", "nr", rng, "dirac", r, T_CNB, m)) < 5e-7


# ------------------------------------------------------------------------------------------
# Dimensionless integrals: closed forms (3.9), (3.11), (3.18), (3.21) vs numerics
# ------------------------------------------------------------------------------------------

B_GRID = np.logspace(-4, 4, 17)


def test_mb_integral_massless_eq_3_9():
    # exact closed form; residual = quadrature error (accepted ≤ 1e-9)
    assert rel(iso.mb_integral(0.0, B_GRID), iso.mb_integral_massless(B_GRID)) < QUAD_RTOL


def test_fd_integral_massless_eq_3_18():
    # exact closed form; residual = quadrature error (accepted ≤ 1e-9)
    assert rel(iso.fd_integral(0.0, B_GRID), iso.fd_integral_massless(B_GRID)) < QUAD_RTOL


@pytest.mark.parametrize("b", [1e-6, 0.01, 0.25, 0.3499, 0.35, 1.0, 5.0, 50.0])
def test_fd_massless_closed_forms_to_round_off(b):
    # eqs. (3.18) and (3.19) are summed as η-series below b = 0.35 (their direct forms cancel
    # to O(b²) and O(b⁴)) and directly above; reference: the direct forms in mpmath at 60
    # digits (enough for the O(b⁴) = 1e-24 cancellation at b = 1e-6). Both branches must be
    # float64-exact: a few ulp (2e-15).
    with mpmath.workdps(60):
        bb = mpmath.mpf(b)
        z = 2 * mpmath.pi * bb
        i_ref = float((1 / bb - 2 * mpmath.pi * mpmath.csch(z)) / 4)
        brace = 1 - mpmath.pi * bb * mpmath.csch(z) * (1 + z * mpmath.coth(z))
        v_ref = float(-brace / (4 * mpmath.pi**3))
    assert float(iso.fd_integral_massless(b)) == pytest.approx(i_ref, rel=2e-15, abs=0)
    # V(r = b, T = 1) = −brace/(4π³ b⁵): compare b⁵ V with −brace/(4π³)
    assert float(iso.fd_potential_massless(b, 1.0)) * b**5 == pytest.approx(v_ref, rel=2e-15,
                                                                             abs=0)


def test_mb_integral_nonrelativistic_eq_3_11():
    # eq. (3.11) drops O(y²/x²) of y/√(y²+x²): relative ≤ 6/x² = 6e-8 at x = 1e4
    x = 1e4
    assert rel(iso.mb_integral(x, B_GRID), iso.mb_integral_nonrelativistic(x, B_GRID)) < 1e-7


def test_fd_integral_nonrelativistic_eq_3_21():
    # eq. (3.21) drops O(y²/x²): relative ≤ 6η(5)/(η(3)x²) = 6.5e-8 at x = 1e4
    x = 1e4
    assert rel(iso.fd_integral(x, B_GRID), iso.fd_integral_nonrelativistic(x, B_GRID)) < 1e-7


@pytest.mark.parametrize("b", [1e-3, 0.1, 0.3, 2.0, 30.0, 1e3])
def test_b_derivatives_against_closed_forms(b):
    # ∂/∂b of eqs. (3.9) and (3.18), the reference derivative by mpmath.diff at 30 digits
    # (so that the small-b cancellation in the reference is harmless); quadrature error only.
    with mpmath.workdps(30):
        d_mb = float(mpmath.diff(lambda t: 2 * t / (1 + 4 * t**2), b))
        d_fd = float(mpmath.diff(lambda t: (1 / t - 2 * mpmath.pi * mpmath.csch(2 * mpmath.pi
                                                                            * t)) / 4, b))
    assert iso.mb_integral_db(0.0, b) == pytest.approx(d_mb, rel=QUAD_RTOL, abs=0)
    assert iso.fd_integral_db(0.0, b) == pytest.approx(d_fd, rel=QUAD_RTOL, abs=0)


# ------------------------------------------------------------------------------------------
# Potentials: closed forms vs numerics, and closed forms vs their own limits
# ------------------------------------------------------------------------------------------

def test_mb_potential_massless_eq_3_10_all_b():
    r = B_GRID / T_CNB
    got = isotropic_potential(r, T_CNB, 0.0, distribution="MB")
    # exact closed form (Dirac = Majorana at m = 0); quadrature error only
    assert rel(got, iso.mb_potential_massless(r, T_CNB)) < QUAD_RTOL
    got_m = isotropic_potential(r, T_CNB, 0.0, distribution="MB", nature="majorana")
    assert rel(got_m, iso.mb_potential_massless(r, T_CNB)) < QUAD_RTOL


def test_fd_potential_massless_eq_3_19_all_b():
    r = B_GRID / T_CNB
    got = isotropic_potential(r, T_CNB, 0.0)
    # exact closed form (3.19); quadrature error only
    assert rel(got, iso.fd_potential_massless(r, T_CNB)) < QUAD_RTOL
    got_m = isotropic_potential(r, T_CNB, 0.0, nature="majorana")
    assert rel(got_m, iso.fd_potential_massless(r, T_CNB)) < QUAD_RTOL


@pytest.mark.parametrize("b", [1e2, 1e3, 3e3, 1e4])
def test_large_rT_accuracy_massless(b):
    # The oscillatory regime: V ~ 1/b relative to T⁴/r. Required ≤ 1e-6 relative to the exact
    # closed forms (3.10) and (3.19) up to b = 1e4 (achieved: quadrature error ~1e-12).
    r = b / T_CNB
    assert rel(isotropic_potential(r, T_CNB, 0.0, distribution="MB"),
               iso.mb_potential_massless(r, T_CNB)) < 1e-6
    assert rel(isotropic_potential(r, T_CNB, 0.0), iso.fd_potential_massless(r, T_CNB)) < 1e-6


@pytest.mark.parametrize("b", [1e2, 1e3, 3e3, 1e4])
def test_large_rT_accuracy_nonrelativistic(b):
    # m ≫ T at b ≫ 1: I ~ 1/b³. Against eqs. (3.23) and (3.32) (mpmath polygamma) the NR
    # corrections are O(1/(x b)²) ~ 1e-12 here, so ≤ 1e-6 tests the numerics alone.
    x, r = 1e4, b / T_CNB
    m = x * T_CNB
    assert rel(isotropic_potential(r, T_CNB, m),
               iso.fd_potential_nonrelativistic_dirac(r, T_CNB, m)) < 1e-6
    assert rel(isotropic_potential(r, T_CNB, m, nature="majorana"),
               iso.fd_potential_nonrelativistic_majorana(r, T_CNB, m)) < 1e-6


def test_mb_potential_nonrelativistic_eq_3_12():
    x = 1e4
    r, m = B_GRID / T_CNB, x * T_CNB
    got = isotropic_potential(r, T_CNB, m, distribution="MB")
    # eq. (3.12) drops K and the O(y²/x²) of eq. (3.11): ≤ 10/x² = 1e-7 (at b ≪ 1)
    assert rel(got, iso.mb_potential_nonrelativistic(r, T_CNB, m)) < 2e-7


def test_fd_potential_nonrelativistic_dirac_eq_3_23():
    x = 1e4
    r, m = B_GRID / T_CNB, x * T_CNB
    got = isotropic_potential(r, T_CNB, m)
    # eq. (3.23) = eq. (3.16) with the NR I_FD of (3.21): ≤ 6.5/x² = 6.5e-8
    assert rel(got, iso.fd_potential_nonrelativistic_dirac(r, T_CNB, m)) < 1e-7


def test_fd_potential_nonrelativistic_majorana_eq_3_32():
    x = 1e4
    r, m = B_GRID / T_CNB, x * T_CNB
    got = isotropic_potential(r, T_CNB, m, nature="majorana")
    # eq. (3.32) = eq. (3.31) with the NR I_FD: ≤ 15η(7)/(η(5)x²) = 1.5e-7
    assert rel(got, iso.fd_potential_nonrelativistic_majorana(r, T_CNB, m)) < 2e-7


@pytest.mark.parametrize(("general", "limit", "b", "tol", "reason"), [
    (iso.mb_potential_nonrelativistic, iso.mb_potential_nonrelativistic_short_range, 1e-4,
     2e-7, "(1+4b²)⁻² → 8b² = 8e-8"),
    (iso.mb_potential_nonrelativistic, iso.mb_potential_nonrelativistic_long_range, 1e4,
     1e-8, "1/(2b²) = 5e-9"),
    (iso.fd_potential_nonrelativistic_dirac, iso.fd_potential_nonrelativistic_dirac_short_range,
     1e-4, 5e-7, "8.6b² + K/(b²x²I) = 16η(5)/(η(3)x²) → 8.6e-8 + 1.7e-7"),
    (iso.fd_potential_nonrelativistic_dirac, iso.fd_potential_nonrelativistic_dirac_long_range,
     1e4, 1e-8, "1/(4b²) = 2.5e-9"),
    (iso.fd_potential_nonrelativistic_majorana,
     iso.fd_potential_nonrelativistic_majorana_short_range, 1e-4, 3e-7, "12η(7)/η(5) b² = 1.2e-7"),
    (iso.fd_potential_nonrelativistic_majorana,
     iso.fd_potential_nonrelativistic_majorana_long_range, 1e4, 1e-8, "3/(8b²) = 3.8e-9"),
])
def test_nonrelativistic_closed_forms_reach_their_limits(general, limit, b, tol, reason):
    # 3.12 → 3.13/3.14, 3.23 → 3.24/3.25, 3.32 → 3.33/3.34 at x = 1e4
    r, m = b / T_CNB, 1e4 * T_CNB
    assert rel(general(r, T_CNB, m), limit(r, T_CNB, m)) < tol, reason


@pytest.mark.parametrize(("general", "limit", "b", "tol", "reason"), [
    (iso.mb_potential_massless, iso.mb_potential_massless_short_range, 1e-4, 2e-7, "8b²"),
    (iso.mb_potential_massless, iso.mb_potential_massless_long_range, 1e4, 1e-8, "1/(2b²)"),
    (iso.fd_potential_massless, iso.fd_potential_massless_short_range, 1e-4, 2e-7, "8.3b²"),
])
def test_massless_closed_forms_reach_table_2(general, limit, b, tol, reason):
    r = b / T_CNB
    assert rel(general(r, T_CNB), limit(r, T_CNB)) < tol, reason


def test_fd_massless_long_range_screens_vacuum_eq_3_20():
    r = np.array([10.0, 1e2, 1e4]) / T_CNB
    # eq. (3.20) is exactly −eq. (2.2): round-off only
    assert np.allclose(iso.fd_potential_massless_long_range(r), -vacuum_potential(r),
                       rtol=1e-14, atol=0)
    # the full eq. (3.19), and the numerics, cancel the vacuum potential at rT ≥ 10 up to
    # (2πb)² e^{−2πb} < 1e-23 and the quadrature error (≤ 1e-9)
    assert np.max(np.abs(iso.fd_potential_massless(r, T_CNB) / vacuum_potential(r) + 1)) < 1e-14
    total = isotropic_potential(r, T_CNB, 0.0) + vacuum_potential(r)
    assert np.max(np.abs(total / vacuum_potential(r))) < QUAD_RTOL


# ------------------------------------------------------------------------------------------
# Independent check of eq. (2.8)/(3.29): mpmath.quadosc
# ------------------------------------------------------------------------------------------

def _quadosc_potential(r, T, m, mu, nature):
    """Eq. (2.8) (Dirac) or (3.29) (Majorana) with the FD occupation (3.4), by mpmath.quadosc
    at 20 digits, in units T = 1 and rescaled: V = T⁵ V̂(rT, m/T, μ/T)."""
    with mpmath.workdps(20):
        b, x, z = mpmath.mpf(r * T), mpmath.mpf(m / T), mpmath.mpf(mu / T)
        c = 1 + (x * b) ** 2 if nature == "dirac" else 1

        def f(k):
            n = 1 / (mpmath.exp(k - z) + 1) + 1 / (mpmath.exp(k + z) + 1)
            return k * n / mpmath.sqrt(k * k + x * x) * (c * mpmath.sin(2 * k * b)
                                                         - 2 * k * b * mpmath.cos(2 * k * b))

        val = mpmath.quadosc(f, [0, mpmath.inf], omega=2 * b)
        return float(-val / (4 * mpmath.pi**3 * b**4)) * T**5


@pytest.mark.parametrize(("b", "x", "zeta", "nature"), [
    (0.7, 2.0, 0.5, "dirac"),     # real-axis path, μ ≠ 0
    (20.0, 2.0, 0.0, "dirac"),    # rotated contour
    (20.0, 2.0, 0.0, "majorana"),
    (3.0, 1.0, 5.0, "dirac"),     # rotated contour with one FD pole swept (|ζ| > π)
])
def test_eq_2_8_against_mpmath_quadosc(b, x, zeta, nature):
    T = T_CNB
    r, m, mu = b / T, x * T, zeta * T
    ref = _quadosc_potential(r, T, m, mu, nature)
    # quadosc at 20 digits is exact at float64; our quadrature accepts ≤ 1e-9
    got = isotropic_potential(r, T, m, mu=mu, nature=nature)
    assert got == pytest.approx(ref, rel=QUAD_RTOL, abs=0)

    def occ(k):
        return 1 / (np.exp((k - mu) / T) + 1) + 1 / (np.exp((k + mu) / T) + 1)

    # the general real-axis path accepts ≤ 1e-7 (spread of two Fourier quadratures)
    got = general_isotropic_potential(r, occ, m, nature=nature, kappa_scale=T)
    assert got == pytest.approx(ref, rel=2e-7, abs=0)


# ------------------------------------------------------------------------------------------
# The general path (eq. 2.8 for any occupation)
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("b", [1e-3, 0.1, 0.6, 5.0, 50.0])
@pytest.mark.parametrize("x", [0.0, 3.0])
def test_general_path_reproduces_fd_and_mb(b, x):
    T = T_CNB
    r, m = b / T, x * T

    def fd(k):
        return 2 / (np.exp(k / T) + 1)

    def mb(k):
        return 2 * np.exp(-k / T)

    # two independent methods (real-axis QAGI/QAWO/QAWF vs rotated contour); the general
    # path accepts ≤ 1e-7
    for occ, dist in ((fd, "FD"), (mb, "MB")):
        for nature in ("dirac", "majorana"):
            got = general_isotropic_potential(r, occ, m, nature=nature, kappa_scale=T)
            ref = isotropic_potential(r, T, m, distribution=dist, nature=nature)
            assert got == pytest.approx(ref, rel=2e-7, abs=0)


def test_general_path_independent_of_kappa_scale():
    # κ = s y is a change of variables: the result cannot depend on s (nor on the automatic
    # choice); the general path accepts ≤ 1e-7 each
    T = T_CNB
    r, m = np.array([0.05, 2.0, 30.0]) / T, 2.0 * T

    def fd(k):
        return 2 / (np.exp(k / T) + 1)

    base = general_isotropic_potential(r, fd, m, kappa_scale=T)
    assert rel(general_isotropic_potential(r, fd, m, kappa_scale=3 * T), base) < 3e-7
    assert rel(general_isotropic_potential(r, fd, m), base) < 3e-7


def test_general_path_raises_where_real_axis_fourier_fails():
    # at rT = 1e4 with m = 3T the bracket is ~(rT)⁻³ of the oscillation lobes: the real-axis
    # quadrature cannot reach 1e-7 and must say so instead of returning a wrong number
    T = T_CNB

    def fd(k):
        return 2 / (np.exp(k / T) + 1)

    match = (r"general_isotropic_potential: Fourier quadrature of the bracket of eq\. \(2\.8\)"
             r".*use isotropic_potential")
    with pytest.raises(NumericsError, match=match):
        general_isotropic_potential(1e4 / T, fd, 3 * T, kappa_scale=T)


# ------------------------------------------------------------------------------------------
# Chemical potential
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("b", [0.3, 3.0])
@pytest.mark.parametrize("x", [0.0, 3.0])
@pytest.mark.parametrize("nature", ["dirac", "majorana"])
def test_mb_chemical_potential_is_exactly_cosh(b, x, nature):
    T = T_CNB
    r, m = b / T, x * T
    mu = 0.0 if nature == "majorana" else 0.8 * T
    base = isotropic_potential(r, T, m, distribution="MB", nature=nature)
    got = isotropic_potential(r, T, m, mu=mu, distribution="MB", nature=nature)
    # eq. (3.6): μ enters only through cosh(μ/T); same integrals, so round-off only
    assert got == pytest.approx(math.cosh(mu / T) * base, rel=1e-13, abs=0)

    # and from eq. (3.1) directly: n₊ + n₋ = e^{(μ−κ)/T} + e^{(−μ−κ)/T} in eq. (2.8), by the
    # independent general path (accepts ≤ 1e-7)
    def occ(k):
        return np.exp((mu - k) / T) + np.exp((-mu - k) / T)

    assert general_isotropic_potential(r, occ, m, nature=nature, kappa_scale=T) == \
        pytest.approx(got, rel=2e-7, abs=0)


@pytest.mark.parametrize("zeta", [0.5, 5.0, -7.0, 20.0])
@pytest.mark.parametrize(("b", "x"), [(0.3, 0.0), (0.3, 2.0), (3.0, 0.0), (3.0, 2.0),
                                      (30.0, 0.0)])
def test_fd_chemical_potential_exact_occupation(zeta, b, x):
    # exact eq. (3.4) with μ ≠ 0: rotated contour with residues of the swept FD poles
    # (|ζ| > π) vs the real-axis general path (accepts ≤ 1e-7)
    T = T_CNB
    r, m, mu = b / T, x * T, zeta * T

    def occ(k):
        return 1 / (np.exp((k - mu) / T) + 1) + 1 / (np.exp((k + mu) / T) + 1)

    got = isotropic_potential(r, T, m, mu=mu)
    ref = general_isotropic_potential(r, occ, m, kappa_scale=T)
    assert got == pytest.approx(ref, rel=2e-7, abs=0)


@pytest.mark.parametrize("b", [0.3, 3.0])
def test_fd_small_zeta_is_order_zeta_squared(b):
    # eq. (3.15): n₊ + n₋ = 2/(e^y+1) + O(ζ²). Exactly, ½[g(y−ζ) + g(y+ζ)] = g + (ζ²/2) g'' +
    # O(ζ⁴) with g = 1/(e^y+1); for m = 0, integrating by parts twice,
    # ∫ g'' [sin u − u cos u] dy = 4b² (I₀ + b I₀'), I₀ = I_FD(0, b) of eq. (3.18), so
    # ΔV = −(T/2π³r⁴)(ζ²/2) 4b² (I₀ + b I₀') + O(ζ⁴).
    T, zeta = T_CNB, 1e-2
    r = b / T
    z = 2 * math.pi * b
    i0 = float(iso.fd_integral_massless(b))
    di0 = 0.25 * (-1 / b**2 + 4 * math.pi**2 / (math.sinh(z) * math.tanh(z)))
    predicted = -T / (2 * PI3 * r**4) * 0.5 * zeta**2 * 4 * b**2 * (i0 + b * di0)
    delta = isotropic_potential(r, T, 0.0, mu=zeta * T) - isotropic_potential(r, T, 0.0)
    # the O(ζ⁴) remainder is ≲ 10ζ² = 1e-3 relative (FD derivatives are O(1)–O(10))
    assert delta == pytest.approx(predicted, rel=1e-3, abs=0)


def test_fd_small_zeta_scaling_massive():
    # O(ζ²) for m = 3T too: doubling ζ quadruples V(ζ) − V(0), up to O(ζ²) ≲ 10·(2ζ)² = 4e-3
    T = T_CNB
    r, m = 0.5 / T, 3 * T
    v0 = isotropic_potential(r, T, m)
    d1 = isotropic_potential(r, T, m, mu=0.01 * T) - v0
    d2 = isotropic_potential(r, T, m, mu=0.02 * T) - v0
    assert d2 / d1 == pytest.approx(4.0, rel=4e-3, abs=0)
    # and it is a small correction: |ΔV/V| ~ ζ² = 1e-4 (not O(ζ)), within a factor 10
    assert abs(d1 / v0) < 1e-3


# ------------------------------------------------------------------------------------------
# Shapes and argument errors
# ------------------------------------------------------------------------------------------

def test_vectorised_and_scalar_output():
    r = np.array([[0.01, 1.0, 10.0]]) / T_CNB
    T = np.array([[T_CNB], [2 * T_CNB]])
    v = isotropic_potential(r, T, 0.0)
    assert v.shape == (2, 3)
    # elementwise = scalar calls (same code path: exact)
    assert v[1, 2] == isotropic_potential(r[0, 2], 2 * T_CNB, 0.0)
    assert isinstance(isotropic_potential(1.0 / T_CNB, T_CNB, 0.0), float)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"r": -1.0}, r"isotropic_potential: r must be positive \[eV\^-1\]; got -1\.0"),
    ({"T": -1e-4}, r"isotropic_potential: T must be positive \[eV\]; got -0\.0001"),
    ({"T": 0.0}, r"isotropic_potential: T must be positive"),
    ({"m_nu": -0.1}, r"isotropic_potential: m_nu must be non-negative \[eV\]; got -0\.1"),
    ({"distribution": "BE"},
     r"isotropic_potential: distribution='BE' is not one of 'FD', 'MB'"),
    ({"nature": "weyl"},
     r"isotropic_potential: nature='weyl' is not one of 'dirac', 'majorana'"),
    ({"nature": "majorana", "mu": 1e-5},
     r"isotropic_potential: mu=1e-05 but nature='majorana' needs mu=0: a Majorana neutrino is "
     r"its own antiparticle"),
    ({"r": float("nan")}, r"isotropic_potential: r contains NaN"),
])
def test_isotropic_potential_argument_errors(kwargs, match):
    args = {"r": 1e3, "T": 1e-4, "m_nu": 0.05} | kwargs
    with pytest.raises(ValueError, match=match):
        isotropic_potential(**args)


def test_general_and_closed_form_argument_errors():
    with pytest.raises(ValueError, match=r"general_isotropic_potential: occupation=1\.0 is not "
                                         r"callable"):
        general_isotropic_potential(1.0, 1.0)
    with pytest.raises(ValueError, match=r"general_isotropic_potential: kappa_scale must be "
                                         r"positive \[eV\]; got -1\.0"):
        general_isotropic_potential(1.0, math.exp, kappa_scale=-1.0)
    with pytest.raises(ValueError, match=r"fd_integral: b must be non-negative \[1\]; got -1\.0"):
        iso.fd_integral(0.0, -1.0)
    with pytest.raises(ValueError, match=r"fd_potential_nonrelativistic_dirac: m_nu must be "
                                         r"positive \[eV\]; got 0\.0"):
        iso.fd_potential_nonrelativistic_dirac(1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match=r"nr_short_range_coefficient: nature='x' is not one"):
        iso.nr_short_range_coefficient("x")
