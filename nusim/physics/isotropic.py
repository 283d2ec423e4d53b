"""Isotropic neutrino backgrounds (CνB-like): the background part of the two-neutrino potential.

A background of neutrinos and antineutrinos with isotropic occupation n₊(κ) + n₋(κ), κ = |k|,
adds to the vacuum potential (eq. 2.2) the term V_bkg(r) of eq. (2.8) (Dirac) or eq. (3.29)
(Majorana). This module gives that term for any isotropic occupation, for the Maxwell–Boltzmann
(eq. 3.1) and Fermi–Dirac (eq. 3.4) occupations of section 3 of [1], and every closed form of
section 3 (eqs. 3.9–3.34, tables 2 and 3) as its own function.

Units. Natural units ħ = c = k_B = 1: r [eV⁻¹]; T, m_nu, mu, κ [eV]. Every potential is returned
**per G_F² g₁g₂**, i.e. V_bkg/(G_F² g_V¹ g_V²) in [eV⁵]; multiply by G_F² [eV⁻⁴] and the two
vector couplings to get an energy [eV]. Dimensionless variables are those of eq. (3.7):
x = m_nu/T, b = r T, y = κ/T, and zeta = mu/T (ζ of section 3.2).

Numerical method. The potentials of eqs. (3.6), (3.16) and (3.31) need, for n(y) = e^{−y} (MB) or
n(y) = ½[1/(e^{y−ζ}+1) + 1/(e^{y+ζ}+1)] (FD, eq. 3.4; n = 1/(e^y+1) at ζ = 0, eq. 3.17),

    I(x, b)  = ∫₀^∞ dy h(y) n(y) sin(2by),                        h(y) = y/√(y² + x²),
    ∂I/∂b    = 2 ∫₀^∞ dy y h(y) n(y) cos(2by),
    K(x, b)  = I − b ∂I/∂b = ∫₀^∞ dy h(y) n(y) [sin u − u cos u],  u = 2by.

K is integrated as one integral with a series for sin u − u cos u at small u, because I and b∂I/∂b
cancel to O(b²) at b ≪ 1. The Dirac bracket of (3.6)/(3.16) is K + b²x² I and the Majorana
bracket of (3.31) is K. For b ≪ 1 the integrands barely oscillate and are integrated on the real
axis. For b ≳ 1 (the oscillatory regime where I ~ 1/b or 1/b³) the contour is rotated from the
real axis to the ray y = t e^{iθ} in the upper half plane, on which e^{2iby} decays exponentially
and the integrand no longer oscillates; the Fermi–Dirac poles at y = ±ζ + iπ(2j+1) that the rotation
sweeps over (only for |ζ| > π) are added as residues, and the branch points y = ±ix of h lie on the
imaginary axis, outside the sector. This replaces the cancellation of ~b³ oscillation lobes of a
real-axis Fourier quadrature (QUADPACK QAWF, whose accuracy at b = 1e4 for m ≫ T is ~1e-3) by a
cancellation of at most a factor ~b between the real and imaginary parts of a smooth integral.
Every quadrature is scipy.integrate.quad (QUADPACK QAGS/QAGP) with its error estimate checked;
:class:`nusim.errors.NumericsError` is raised when it is not below ``_REL_TOL`` (1e-9) relative.

For a user-supplied occupation (:func:`general_isotropic_potential`) the contour cannot be
rotated (its poles are unknown); there the oscillatory integrals are QUADPACK Fourier
quadratures (``quad(weight='sin'/'cos', wvar=2b)``: QAWO over the support, QAWF beyond), done
with two subdivisions whose spread is the error estimate. That path is accurate for rT up to
~1e4 at m = 0 but only up to rT ~ 1e2 for m ≳ T, and raises NumericsError beyond.

References
----------
[1] M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, doi:10.1007/JHEP02(2023)028, arXiv:2209.07082.
[2] R. Piessens, E. de Doncker-Kapenga, C. W. Überhuber, D. K. Kahaner, QUADPACK (Springer,
    1983): QAGS, QAWO, QAWF.
"""

import cmath
import math

import mpmath
import numpy as np
import scipy.special
from scipy.integrate import quad

from nusim.errors import ArgumentError, NumericsError
from nusim.physics._checks import as_array, choice, positive

DISTRIBUTIONS = ("FD", "MB")
NATURES = ("dirac", "majorana")

_PI3 = math.pi**3
#: Acceptance threshold on QUADPACK's relative error estimate for the FD/MB integrals.
_REL_TOL = 1e-9
#: Relative accuracy requested from QUADPACK (tighter than accepted, so that it stops early
#: only through round-off, and the round-off floor is then judged by _REL_TOL).
_EPSREL = 1e-12
#: Absolute floor of the acceptance test, as a fraction of ∫|integrand|: the float64 limit of a
#: sum whose terms cancel (only used where the integral crosses zero, e.g. ∂I/∂b).
_L1_FLOOR = 1e-12
#: Real-axis quadrature for b (MB) or b·max(1, |ζ|) (FD) below this, contour rotation above.
_B_SWITCH = 1.0
#: Truncation of the real-axis integrals at y = |ζ| + _Y_TAIL: the occupation is < e^{-60}.
_Y_TAIL = 60.0
#: Truncation of the rotated contour where |e^{2iby}| · |n| < e^{-80}.
_RAY_DECAY = 80.0
#: General path: QAGI below this b = r·kappa_scale, Fourier quadrature above.
_B_SWITCH_GENERAL = 0.25
#: Acceptance threshold of the general (user occupation) path, on QUADPACK's estimate and on
#: the difference of two Fourier quadratures with different subdivisions.
_REL_TOL_GENERAL = 1e-7
#: Below this u the kernel sin u − u cos u is evaluated from its Taylor series (to u¹⁷: the
#: next term is < 1e-17 relative at u = 0.5; the direct form loses one digit there).
_U_SERIES = 0.5
_KERNEL_SERIES = tuple((-1) ** (k + 1) * 2 * k / math.factorial(2 * k + 1) for k in range(1, 9))
#: Below this b the FD massless closed forms (3.18), (3.19) use their η-series in (2b)²
#: (radius 2b < 1; 120 terms reach 0.49¹²⁰ ~ 1e-37 at the switch, where the direct forms
#: lose under one digit).
_B_SERIES_FD = 0.35
_N_SERIES = 120


def _eta(s):
    """Dirichlet eta η(s) = (1 − 2^{1−s}) ζ(s) (real s > 1)."""
    return (1.0 - 2.0 ** (1.0 - s)) * float(scipy.special.zeta(s))


#: η(2k+2), k = 0 … _N_SERIES−1, for the series of eqs. (3.18)-(3.19) (an immutable tuple).
_ETA_EVEN = tuple(_eta(2 * k + 2) for k in range(_N_SERIES))


# ψ⁽²⁾(1) − ψ⁽²⁾(1/2) = 12 ζ(3) ≈ 14.4 (eq. 3.24) and (8/24)[ψ⁽⁴⁾(1) − ψ⁽⁴⁾(1/2)]
# = (8/24)·720 ζ(5) = 240 ζ(5) ≈ 248.9 (eq. 3.33 rewritten in the 1/(8π³) normalisation of
# table 3). Computed, not typed in; immutable floats.
_C_DIRAC = float(scipy.special.polygamma(2, 1.0) - scipy.special.polygamma(2, 0.5))
_C_MAJORANA = float(scipy.special.polygamma(4, 1.0) - scipy.special.polygamma(4, 0.5)) * 8.0 / 24.0


def nr_short_range_coefficient(nature="dirac"):
    """Numerical coefficient c of the short-range NR Fermi–Dirac potential −c G_F² g₁g₂/(8π³) ⋯.

    Implements the coefficients of eqs. (3.24) and (3.33) of [1] (table 3), computed from the
    polygamma functions: Dirac c = ψ⁽²⁾(1) − ψ⁽²⁾(1/2) = 12ζ(3) ("14.4"); Majorana
    c = (8/24)[ψ⁽⁴⁾(1) − ψ⁽⁴⁾(1/2)] = 240ζ(5) ("248.9", the 1/(24π³) of eq. 3.33 rewritten over
    8π³).

    Parameters
    ----------
    nature : {"dirac", "majorana"}

    Returns
    -------
    float, c [1]

    Notes
    -----
    Exact up to float64 round-off of scipy.special.polygamma (real argument).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.24), (3.33), table 3.
    """
    choice("nature", nature, NATURES, "nr_short_range_coefficient")
    return _C_DIRAC if nature == "dirac" else _C_MAJORANA


# --------------------------------------------------------------------------------------------
# Scalar building blocks of the numerics
# --------------------------------------------------------------------------------------------

def _logistic(u):
    """1/(1 + e^{−u}) for real u, without overflow."""
    if u >= 0.0:
        return 1.0 / (1.0 + math.exp(-u))
    e = math.exp(u)
    return e / (1.0 + e)


def _clogistic(w):
    """1/(1 + e^{−w}) for complex w, without overflow."""
    if w.real >= 0.0:
        return 1.0 / (1.0 + cmath.exp(-w))
    e = cmath.exp(w)
    return e / (1.0 + e)


def _h_real(y, x):
    """y/√(y² + x²) for real y ≥ 0 (1 at x = 0)."""
    if x == 0.0:
        return 1.0
    return y / math.hypot(y, x)


def _h_complex(y, x):
    """y/√(y² + x²) continued to the first quadrant (principal root; Im y² > 0 there)."""
    if x == 0.0:
        return 1.0
    if x >= 1.0:
        v = y / x
        return v / cmath.sqrt(v * v + 1.0)
    return y / cmath.sqrt(y * y + x * x)


def _kernel_k(u):
    """sin u − u cos u; Taylor series Σ_{k≥1} (−1)^{k+1} 2k u^{2k+1}/(2k+1)! for u < 0.5."""
    if u < _U_SERIES:
        u2 = u * u
        total = 0.0
        for c in reversed(_KERNEL_SERIES):
            total = c + u2 * total
        return u * u2 * total
    return math.sin(u) - u * math.cos(u)


def _occupation_real(dist, zeta):
    """n(y) on the real axis: e^{−y} (MB, eq. 3.8) or ½[FD(ζ) + FD(−ζ)] (FD, eqs. 3.4, 3.17)."""
    if dist == "MB":
        return lambda y: math.exp(-y)
    return lambda y: 0.5 * (_logistic(zeta - y) + _logistic(-zeta - y))


def _occupation_complex(dist, zeta):
    """n(y) continued to complex y."""
    if dist == "MB":
        return lambda y: cmath.exp(-y)
    return lambda y: 0.5 * (_clogistic(zeta - y) + _clogistic(-zeta - y))


def _checked_quad(f, a, b, points, what, func):
    """quad of a real scalar f on [a, b] with its error estimate checked (NumericsError)."""
    pts = sorted(p for p in (points or ()) if a < p < b) or None
    res = quad(f, a, b, points=pts, epsabs=0.0, epsrel=_EPSREL, limit=400, full_output=1)
    val, err = res[0], res[1]
    if err <= _REL_TOL * abs(val):
        return val
    l1 = quad(lambda t: abs(f(t)), a, b, points=pts, epsabs=0.0, epsrel=1e-6, limit=400,
              full_output=1)[0]
    if err <= _REL_TOL * abs(val) + _L1_FLOOR * l1 and math.isfinite(val):
        return val
    raise NumericsError(
        f"{func}: quadrature of {what} did not reach relative accuracy {_REL_TOL:g}: "
        f"value {val!r}, estimated error {err!r} (∫|f| = {l1!r}). Move the arguments away from "
        "this point, or report it with the arguments.")


def _ray_angle(dist, zeta):
    """Ray angle θ and the FD poles y_j = |ζ| + iπ(2j+1) enclosed between it and the real axis.

    θ = π/4 for MB and ζ = 0. For 0 < |ζ| < π no pole is enclosed and θ is the smaller of π/4 and
    half the angle of the lowest pole |ζ| + iπ. Otherwise the ray crosses the line Re y = |ζ|
    half-way between two poles, at Im y = 2πk with k = round(|ζ|/2π) ≥ 1 (so it stays ≥ π cos θ
    away from every pole), and encloses the k poles below it.
    """
    az = abs(zeta)
    if dist == "MB" or az == 0.0:
        return math.pi / 4, []
    k = round(az / (2 * math.pi))
    if k == 0:
        return min(math.pi / 4, 0.5 * math.atan2(math.pi, az)), []
    theta = math.atan2(2 * math.pi * k, az)
    return theta, [complex(az, math.pi * (2 * j + 1)) for j in range(k)]


def _integrals_ray(dist, x, b, zeta, func):
    """(Im J₀, Re J₁) with J_p = ∫₀^∞ y^p h n e^{2iby} dy, by rotating to y = t e^{iθ}.

    ∫₀^∞ F dy = e^{iθ} ∫₀^∞ F(t e^{iθ}) dt + 2πi Σ Res F over the sector 0 < arg y < θ; each FD
    pole of ½/(e^{y∓ζ}+1) has residue −½ y^p h(y) e^{2iby}.
    """
    omega = 2.0 * b
    theta, poles = _ray_angle(dist, zeta)
    rot = cmath.exp(1j * theta)
    occ = _occupation_complex(dist, zeta)
    decay = omega * math.sin(theta) + (math.cos(theta) if dist == "MB" else 0.0)
    t_max = _RAY_DECAY / decay
    points = [x]
    if dist == "FD" and zeta != 0.0:
        points.append(abs(zeta) / math.cos(theta))

    def f0(t):
        y = t * rot
        return (rot * _h_complex(y, x) * occ(y) * cmath.exp(1j * omega * y)).imag

    def f1(t):
        y = t * rot
        return (rot * y * _h_complex(y, x) * occ(y) * cmath.exp(1j * omega * y)).real

    where = f"x={x!r}, b={b!r}, zeta={zeta!r}"
    j0 = _checked_quad(f0, 0.0, t_max, points, f"Im J0 on the rotated contour ({where})", func)
    j1 = _checked_quad(f1, 0.0, t_max, points, f"Re J1 on the rotated contour ({where})", func)
    for y in poles:
        common = -1j * math.pi * _h_complex(y, x) * cmath.exp(1j * omega * y)
        j0 += common.imag
        j1 += (common * y).real
    return j0, j1


def _integrals_real(dist, x, b, zeta, want, func):
    """I, K, ∂I/∂b on the real axis (b·max(1,|ζ|) small: a few oscillations at most)."""
    omega = 2.0 * b
    occ = _occupation_real(dist, zeta)
    y_max = abs(zeta) + _Y_TAIL
    points = [x, abs(zeta)] if dist == "FD" else [x]
    where = f"x={x!r}, b={b!r}, zeta={zeta!r}"
    out = {}
    if "I" in want:
        out["I"] = _checked_quad(lambda y: _h_real(y, x) * occ(y) * math.sin(omega * y),
                                 0.0, y_max, points, f"I ({where})", func)
    if "K" in want:
        out["K"] = _checked_quad(lambda y: _h_real(y, x) * occ(y) * _kernel_k(omega * y),
                                 0.0, y_max, points, f"K ({where})", func)
    if "D" in want:
        out["D"] = 2.0 * _checked_quad(
            lambda y: y * _h_real(y, x) * occ(y) * math.cos(omega * y),
            0.0, y_max, points, f"dI/db ({where})", func)
    return out


def _integrals(dist, x, b, zeta, want, func):
    """Scalar I(x, b), K = I − b ∂I/∂b and D = ∂I/∂b for the MB or FD occupation.

    ``want`` is a subset of {"I", "K", "D"}; returns a dict with those keys.
    """
    if b == 0.0:
        out = {"I": 0.0, "K": 0.0}
        if "D" in want:
            out.update(_integrals_real(dist, x, 0.0, zeta, {"D"}, func))
        return out
    # the FD occupation extends to y ~ |ζ|, so its oscillation count is ~ b·max(1, |ζ|)
    if b * (max(1.0, abs(zeta)) if dist == "FD" else 1.0) < _B_SWITCH:
        return _integrals_real(dist, x, b, zeta, want, func)
    j0, j1 = _integrals_ray(dist, x, b, zeta, func)
    return {"I": j0, "K": j0 - 2.0 * b * j1, "D": 2.0 * j1}


def _broadcast_apply(scalar_fn, *arrays):
    """Apply a scalar function elementwise over the broadcast of ``arrays``; float for 0-d."""
    bc = np.broadcast_arrays(*arrays)
    out = np.empty(bc[0].shape, dtype=float)
    for idx in np.ndindex(out.shape):
        out[idx] = scalar_fn(*(float(a[idx]) for a in bc))
    return out[()]


# --------------------------------------------------------------------------------------------
# Dimensionless integrals I_MB (3.8), I_FD (3.17) and their b-derivatives
# --------------------------------------------------------------------------------------------

def _check_xb(x, b, func):
    return (positive("x", x, func, allow_zero=True, unit="1"),
            positive("b", b, func, allow_zero=True, unit="1"))


def mb_integral(x, b):
    """The Maxwell–Boltzmann integral I_MB(x, b) = ∫₀^∞ dy y e^{−y} sin(2by)/√(y² + x²).

    Implements eq. (3.8) of [1] numerically (real axis for b < 1, rotated contour for b ≥ 1).

    Parameters
    ----------
    x : array_like, m_ν/T [1], ≥ 0
    b : array_like, r T [1], ≥ 0

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [1]

    Notes
    -----
    Valid for every x ≥ 0, b ≥ 0. Relative accuracy ≤ 1e-9 (QUADPACK estimate, checked; else
    NumericsError). Measured for b ∈ [1e-4, 1e4]: ≤ 5e-16 against eq. (3.9) at x = 0; 6.0e-8
    against eq. (3.11) at x = 1e4, which is the O(1/x²) error of (3.11)
    (tests/physics/test_isotropic.py).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.8).
    """
    x, b = _check_xb(x, b, "mb_integral")
    return _broadcast_apply(lambda xi, bi: _integrals("MB", xi, bi, 0.0, {"I"}, "mb_integral")["I"],
                            x, b)


def mb_integral_db(x, b):
    """∂I_MB/∂b = 2 ∫₀^∞ dy y² e^{−y} cos(2by)/√(y² + x²).

    Implements the b-derivative of eq. (3.8) of [1] (the second term of eq. 3.6).

    Parameters
    ----------
    x : array_like, m_ν/T [1], ≥ 0
    b : array_like, r T [1], ≥ 0

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [1]

    Notes
    -----
    Relative accuracy ≤ 1e-9, or ≤ 1e-12 of ∫|integrand| near the zero of ∂I/∂b (QUADPACK
    estimate, checked); tested against the derivative of eq. (3.9).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.6), (3.8).
    """
    x, b = _check_xb(x, b, "mb_integral_db")
    return _broadcast_apply(
        lambda xi, bi: _integrals("MB", xi, bi, 0.0, {"D"}, "mb_integral_db")["D"], x, b)


def fd_integral(x, b, zeta=0.0):
    """The Fermi–Dirac integral I_FD(x, b) = ∫₀^∞ dy y n(y) sin(2by)/√(y² + x²).

    Implements eq. (3.17) of [1], with n(y) = 1/(e^y + 1) at zeta = 0 and, generalised to a
    chemical potential, n(y) = ½[1/(e^{y−ζ}+1) + 1/(e^{y+ζ}+1)] (eq. 3.4 halved), so that
    eq. (3.16) holds unchanged for μ ≠ 0.

    Parameters
    ----------
    x : array_like, m_ν/T [1], ≥ 0
    b : array_like, r T [1], ≥ 0
    zeta : array_like, μ/T [1]

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [1]

    Notes
    -----
    Valid for every x ≥ 0, b ≥ 0 and ζ. Relative accuracy ≤ 1e-9 (QUADPACK estimate, checked;
    else NumericsError). Measured for b ∈ [1e-4, 1e4]: ≤ 4e-16 against eq. (3.18) at x = 0;
    6.5e-8 against eq. (3.21) at x = 1e4, the O(1/x²) error of (3.21). For |ζ| ≥ π the FD poles
    swept by the contour rotation are added as residues (checked against mpmath.quadosc at
    ζ = 5 and against the real-axis general path for ζ up to 100).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.4), (3.17).
    """
    x, b = _check_xb(x, b, "fd_integral")
    zeta = as_array("zeta", zeta, "fd_integral")
    return _broadcast_apply(
        lambda xi, bi, zi: _integrals("FD", xi, bi, zi, {"I"}, "fd_integral")["I"], x, b, zeta)


def fd_integral_db(x, b, zeta=0.0):
    """∂I_FD/∂b = 2 ∫₀^∞ dy y² n(y) cos(2by)/√(y² + x²).

    Implements the b-derivative of eq. (3.17) of [1] (the second term of eqs. 3.16 and 3.31),
    with the occupation of :func:`fd_integral`.

    Parameters
    ----------
    x : array_like, m_ν/T [1], ≥ 0
    b : array_like, r T [1], ≥ 0
    zeta : array_like, μ/T [1]

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [1]

    Notes
    -----
    Relative accuracy ≤ 1e-9, or ≤ 1e-12 of ∫|integrand| near the zero of ∂I/∂b (QUADPACK
    estimate, checked); tested against the derivative of eq. (3.18).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.16), (3.17).
    """
    x, b = _check_xb(x, b, "fd_integral_db")
    zeta = as_array("zeta", zeta, "fd_integral_db")
    return _broadcast_apply(
        lambda xi, bi, zi: _integrals("FD", xi, bi, zi, {"D"}, "fd_integral_db")["D"],
        x, b, zeta)


# --------------------------------------------------------------------------------------------
# The general potentials
# --------------------------------------------------------------------------------------------

def _check_potential_args(r, T, m_nu, func):
    return (positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV"),
            positive("m_nu", m_nu, func, allow_zero=True, unit="eV"))


def isotropic_potential(r, T, m_nu, mu=0.0, distribution="FD", nature="dirac"):
    """Background part of the two-neutrino potential in a thermal isotropic background.

    Implements eq. (3.6) (MB, Dirac) and eq. (3.16) (FD, Dirac) of [1], and eq. (3.31) (FD,
    Majorana); MB + Majorana is eq. (3.29) with the MB occupation (3.5), i.e. eq. (3.6) with
    (1 + b²x²) → 1. For FD the chemical potential enters through the exact occupation (3.4),
    not the ζ-expansion (3.15).

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0
    T : array_like, background temperature [eV], > 0
    m_nu : array_like, neutrino mass [eV], ≥ 0
    mu : array_like, chemical potential μ [eV] (0 for Majorana)
    distribution : {"FD", "MB"}: Fermi–Dirac in κ (eq. 3.4) or Maxwell–Boltzmann in κ
        (eq. 3.1; note κ = |k| in the exponent, not E_k)
    nature : {"dirac", "majorana"}

    Returns
    -------
    ndarray (float for scalar input), broadcast shape of r, T, m_nu, mu:
    V_bkg/(G_F² g₁g₂) [eV⁵]

    Notes
    -----
    Valid for every r, T > 0 and m_ν ≥ 0 (as are the equations; the potential picture itself
    needs r ≫ 1/m_χ). Relative accuracy ≤ 1e-9 from the checked quadratures. Measured
    (tests/physics/test_isotropic.py): ≤ 7e-16 against the exact (3.10), (3.19) for
    rT ∈ [1e-4, 1e4]; ≤ 4e-12 against (3.23), (3.32) at m = 1e4 T, rT ∈ [1e2, 1e4] (where their
    NR error is negligible); ≤ 3e-15 against mpmath.quadosc of eq. (2.8) at random points
    (rT ∈ [1e-2, 1e2], m/T ≤ 1e2, |μ/T| ≤ 10). At rT ~ 1e8 round-off (∝ rT) reaches ~2e-8.
    Majorana neutrinos have no chemical potential (eq. 3.30).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.6), (3.16), (3.29), (3.31).
    """
    func = "isotropic_potential"
    choice("distribution", distribution, DISTRIBUTIONS, func)
    choice("nature", nature, NATURES, func)
    r, T, m_nu = _check_potential_args(r, T, m_nu, func)
    mu = as_array("mu", mu, func)
    if nature == "majorana" and np.any(mu != 0):
        bad = mu[mu != 0].flat[0] if mu.ndim else float(mu)
        raise ArgumentError(f"{func}: mu={bad!r} but nature='majorana' needs mu=0: a Majorana "
                            "neutrino is its own antiparticle, so n₊ = n₋ and there is no "
                            "chemical potential (eq. 3.30 of Ghosh et al. 2023). Use mu=0, or "
                            "nature='dirac'.")
    want = {"K"} if nature == "majorana" else {"I", "K"}

    def scalar(ri, ti, mi, ui):
        b, x, zeta = ri * ti, mi / ti, ui / ti
        if distribution == "MB":
            try:
                weight = math.cosh(zeta)
            except OverflowError:
                raise NumericsError(f"{func}: cosh(mu/T) overflows for mu/T={zeta!r} "
                                    "(MB occupation)") from None
        else:
            weight = 1.0
        w = want if x > 0.0 else {"K"}
        ints = _integrals(distribution, x, b, zeta, w, func)
        bracket = ints["K"]
        if nature == "dirac" and x > 0.0:
            bracket += (b * x) ** 2 * ints["I"]
        return -weight * ti / (2.0 * _PI3 * ri**4) * bracket

    return _broadcast_apply(scalar, r, T, m_nu, mu)


def _guess_kappa_scale(occupation, func):
    """κ maximising κ³ [n₊ + n₋](κ) on a log grid 1e-30 … 1e30 eV (0.05 decade)."""
    kappa = np.logspace(-30, 30, 1201)
    weights = np.zeros_like(kappa)
    with np.errstate(all="ignore"):
        for i, k in enumerate(kappa):
            try:
                weights[i] = k**3 * float(occupation(float(k)))
            except (OverflowError, ZeroDivisionError, ValueError):
                weights[i] = 0.0
    weights[~np.isfinite(weights)] = 0.0
    if not weights.max() > 0.0:
        raise NumericsError(f"{func}: could not find the momentum scale of the occupation on "
                            "1e-30 … 1e30 eV; pass kappa_scale [eV] explicitly")
    return float(kappa[int(np.argmax(weights))])


def _general_scalar(r, m, occupation, s, nature, func):
    """Scalar eq. (2.8)/(3.29) per G_F² g₁g₂, with κ = s y (s = kappa_scale)."""
    b, x = r * s, m / s
    omega = 2.0 * b

    def n(y):
        return float(occupation(s * y))

    def h(y):
        return _h_real(y, x)

    where = f"r={r!r}, m_nu={m!r}, kappa_scale={s!r}"
    need_s = nature == "dirac" and x > 0.0
    if b < _B_SWITCH_GENERAL:
        # few oscillations over the support: plain adaptive quadrature on [0, ∞), the bracket
        # as one kernel so that the O(b²) cancellation of its two terms is done analytically
        k_val = _checked_inf_quad(lambda y: h(y) * n(y) * _kernel_k(omega * y),
                                  f"K ({where})", func)
        s_val = (_checked_inf_quad(lambda y: h(y) * n(y) * math.sin(omega * y),
                                   f"S ({where})", func) if need_s else 0.0)
    else:
        # two Fourier quadratures with different subdivisions; their spread is the error
        s_two = _fourier_two_ways(lambda y: h(y) * n(y), omega, "sin")
        c_two = _fourier_two_ways(lambda y: y * h(y) * n(y), omega, "cos")
        a = (b * x) ** 2 if need_s else 0.0
        brackets = [sv - omega * cv + a * sv for sv, cv in zip(s_two[:2], c_two[:2], strict=True)]
        err = abs(brackets[0] - brackets[1]) + (1.0 + a) * s_two[2] + omega * c_two[2]
        if math.isfinite(brackets[0]) and err <= _REL_TOL_GENERAL * abs(brackets[0]):
            return -s / (4.0 * _PI3 * r**4) * brackets[0]
        raise NumericsError(
            f"{func}: Fourier quadrature of the bracket of eq. (2.8) ({where}) did not reach "
            f"relative accuracy {_REL_TOL_GENERAL:g}: value {brackets[0]!r}, error estimate "
            f"{err!r} (spread of two subdivisions plus QUADPACK estimates). At large "
            "r·kappa_scale with m_nu ≫ kappa_scale the real-axis Fourier integral cancels to "
            "~(r·kappa_scale)⁻² of its lobes; for FD/MB occupations use isotropic_potential, "
            "which rotates the contour.")
    bracket = k_val + ((b * x) ** 2 * s_val if need_s else 0.0)
    return -s / (4.0 * _PI3 * r**4) * bracket


def _checked_inf_quad(f, what, func):
    """quad on [0, ∞) (QAGI) with a checked error estimate."""
    res = quad(f, 0.0, np.inf, epsabs=0.0, epsrel=1e-11, limit=400, full_output=1)
    val, err = res[0], res[1]
    if err <= _REL_TOL_GENERAL * abs(val) and math.isfinite(val):
        return val
    raise NumericsError(f"{func}: quadrature of {what} did not reach relative accuracy "
                        f"{_REL_TOL_GENERAL:g}: value {val!r}, estimated error {err!r}. Check "
                        "that the occupation decays and that kappa_scale is its momentum scale.")


def _support_end(f):
    """y beyond which |f| < 1e-18 max|f| on a log grid 1e-3 … 1e6 (the grid end if never)."""
    ys = np.logspace(-3, 6, 181)
    vals = np.array([abs(f(float(y))) for y in ys])
    vals[~np.isfinite(vals)] = 0.0
    big = np.nonzero(vals > 1e-18 * vals.max())[0]
    return float(ys[min(big[-1] + 1, ys.size - 1)]) if big.size else 1.0


def _fourier_two_ways(f, omega, weight):
    """∫₀^∞ f(y) {sin, cos}(ωy) dy twice: QAWO on [0, Y] plus QAWF on [Y, ∞), Y = the end of
    the support of f (:func:`_support_end`) and Y' = 1.37 Y, so that the two subdivisions
    differ. Their difference measures the round-off of the cancelling oscillation lobes, which
    QUADPACK's own estimate misses at large ω. Returns (value, value', larger QUADPACK error).
    """
    y_end = _support_end(f)
    values, errors = [], []
    for y_cut in (y_end, 1.37 * y_end):
        head = quad(f, 0.0, y_cut, weight=weight, wvar=omega, epsabs=0.0, epsrel=1e-12,
                    limit=1000, full_output=1)
        tail = quad(f, y_cut, np.inf, weight=weight, wvar=omega,
                    epsabs=max(1e-3 * _REL_TOL_GENERAL * abs(head[0]), 1e-300), limlst=200,
                    limit=400, full_output=1)
        values.append(head[0] + tail[0])
        errors.append(head[1] + tail[1])
    return values[0], values[1], max(errors)


def general_isotropic_potential(r, occupation, m_nu=0.0, nature="dirac", kappa_scale=None):
    """Background potential of any isotropic neutrino distribution, per G_F² g₁g₂.

    Implements eq. (2.8) of [1] (Dirac, with the (1 + m_ν²r²) factor) and eq. (3.29) (Majorana):
    V = −(1/4π³r⁴) ∫₀^∞ dκ κ [n₊ + n₋](κ)/E_κ [(1 + m²r²|_Dirac) sin 2κr − 2κr cos 2κr].

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0
    occupation : callable, κ [eV] (a float) -> n₊(κ) + n₋(κ) [1]: the summed neutrino and
        antineutrino occupation, normalised so that ∫ d³k/(2π)³ n± is the number density
    m_nu : array_like, neutrino mass [eV], ≥ 0
    nature : {"dirac", "majorana"}
    kappa_scale : float or None, the momentum scale of the distribution [eV] (e.g. T for a
        thermal one, the mean energy for a supernova-like one). The integral runs over
        y = κ/kappa_scale, so the quadrature sees a distribution of width ~1; a wrong scale
        by many decades makes it slow or inaccurate. None: take the κ that maximises κ³ n(κ) on
        a log grid from 1e-30 to 1e30 eV (1201 calls of ``occupation``).

    Returns
    -------
    ndarray (float for scalar input), broadcast shape of r and m_nu: V_bkg/(G_F² g₁g₂) [eV⁵]

    Notes
    -----
    With b = r·kappa_scale: for b < 0.25 the integral runs over [0, ∞) by QAGI with the bracket
    as one kernel (its two terms cancel to O(b²)); for larger b the sine and cosine transforms
    are QUADPACK Fourier quadratures (QAWO up to the end of the support, QAWF beyond), done with
    two different subdivisions. Their spread plus the QUADPACK estimates must be below 1e-7 of
    the bracket, else NumericsError. Measured against :func:`isotropic_potential` (FD, MB, with
    and without μ; m = 0, 2T, 3T) and mpmath.quadosc: ≤ 1e-7 wherever it returns; it returns for
    m = 0 up to rT ~ 1e4 and for m ~ T up to rT ~ 1e2. Beyond, for m ≳ T, the real-axis Fourier
    integral (~(rT)⁻³ of its oscillation lobes) is lost to round-off and NumericsError is
    raised: use :func:`isotropic_potential`, which rotates the contour. The occupation must be
    finite and decay faster than 1/κ; numpy over/underflow flags raised inside it are ignored.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (2.8), (3.29), (B.4).
    """
    func = "general_isotropic_potential"
    if not callable(occupation):
        raise ArgumentError(f"{func}: occupation={occupation!r} is not callable; pass a function "
                            "κ [eV] -> n₊(κ) + n₋(κ)")
    choice("nature", nature, NATURES, func)
    r = positive("r", r, func, unit="eV^-1")
    m_nu = positive("m_nu", m_nu, func, allow_zero=True, unit="eV")
    if kappa_scale is None:
        s = _guess_kappa_scale(occupation, func)
    else:
        s = float(positive("kappa_scale", kappa_scale, func, unit="eV"))
    # Thermal occupations written with np.exp overflow harmlessly (to 0) far in the tail, where
    # QAGI/QAWF sample them: silence numpy's over/underflow flags there, and nothing else.
    with np.errstate(over="ignore", under="ignore"):
        return _broadcast_apply(
            lambda ri, mi: _general_scalar(ri, mi, occupation, s, nature, func), r, m_nu)


# --------------------------------------------------------------------------------------------
# Closed forms: Maxwell–Boltzmann (section 3.1)
# --------------------------------------------------------------------------------------------

def mb_integral_massless(b):
    """I_MB(0, b) = 2b/(1 + 4b²).

    Implements eq. (3.9) of [1].

    Parameters
    ----------
    b : array_like, r T [1], ≥ 0

    Returns
    -------
    ndarray, shape of b [1]

    Notes
    -----
    Exact (m_ν = 0).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.9).
    """
    b = positive("b", b, "mb_integral_massless", allow_zero=True, unit="1")
    return 2 * b / (1 + 4 * b * b)


def mb_potential_massless(r, T, mu=0.0):
    """V_bkg per G_F² g₁g₂ for massless Dirac or Majorana neutrinos, MB occupation (3.1).

    Implements eq. (3.10) of [1]: −(8/π³) cosh(μ/T) T⁴/[r (1 + 4r²T²)²].

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0
    T : array_like, temperature [eV], > 0
    mu : array_like, chemical potential [eV]

    Returns
    -------
    ndarray, broadcast shape [eV⁵]

    Notes
    -----
    Exact for m_ν = 0 (then Dirac = Majorana).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.10).
    """
    func = "mb_potential_massless"
    r, T = positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV")
    mu = as_array("mu", mu, func)
    b = r * T
    return -8.0 / _PI3 * np.cosh(mu / T) * T**4 / (r * (1 + 4 * b * b) ** 2)


def mb_potential_massless_short_range(r, T, mu=0.0):
    """V_bkg per G_F² g₁g₂ for m_ν = 0, r ≪ 1/T, MB: −(8/π³) cosh(μ/T) T⁴/r.

    Implements table 2 of [1] (MB, m_ν = 0, r ≪ 1/T), the b → 0 limit of eq. (3.10).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    mu : array_like [eV]

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error 8(rT)² + O((rT)⁴) with respect to eq. (3.10).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, table 2.
    """
    func = "mb_potential_massless_short_range"
    r, T = positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV")
    mu = as_array("mu", mu, func)
    return -8.0 / _PI3 * np.cosh(mu / T) * T**4 / r


def mb_potential_massless_long_range(r, T, mu=0.0):
    """V_bkg per G_F² g₁g₂ for m_ν = 0, r ≫ 1/T, MB: −cosh(μ/T)/(2π³ r⁵).

    Implements table 2 of [1] (MB, m_ν = 0, r ≫ 1/T), the b → ∞ limit of eq. (3.10).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0 (enters only through cosh(μ/T))
    mu : array_like [eV]

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error 1/(2(rT)²) + O((rT)⁻⁴) with respect to eq. (3.10).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, table 2.
    """
    func = "mb_potential_massless_long_range"
    r, T = positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV")
    mu = as_array("mu", mu, func)
    return -np.cosh(mu / T) / (2.0 * _PI3 * r**5)


def mb_integral_nonrelativistic(x, b):
    """I_MB(x ≫ 1, b) ≃ (1/x) 4b/(1 + 4b²)².

    Implements eq. (3.11) of [1].

    Parameters
    ----------
    x : array_like, m_ν/T [1], > 0
    b : array_like, r T [1], ≥ 0

    Returns
    -------
    ndarray, broadcast shape [1]

    Notes
    -----
    Leading order in 1/x: relative error ≈ 6/x² at b ≪ 1 (from y/√(y²+x²) ≈ y/x; measured
    6.0e-8 at x = 1e4), smaller at b ≫ 1.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.11).
    """
    func = "mb_integral_nonrelativistic"
    x = positive("x", x, func, unit="1")
    b = positive("b", b, func, allow_zero=True, unit="1")
    return 4 * b / (x * (1 + 4 * b * b) ** 2)


def _check_r_t_m(r, T, m_nu, func):
    return (positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV"),
            positive("m_nu", m_nu, func, unit="eV"))


def mb_potential_nonrelativistic(r, T, m_nu, mu=0.0):
    """V_bkg per G_F² g₁g₂ for Dirac neutrinos with m_ν ≫ T, MB occupation (3.1).

    Implements eq. (3.12) of [1]: −(2/π³) cosh(μ/T) m_ν T³/[r (1 + 4r²T²)²].

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0
    mu : array_like [eV]

    Returns
    -------
    ndarray, broadcast shape [eV⁵]

    Notes
    -----
    Keeps only the b²x² I term of eq. (3.6) with I from eq. (3.11): relative error O(T²/m²)
    (≈ 10 T²/m² at r ≪ 1/T, ≈ 4/(m²r²) at r ≫ 1/T).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.12).
    """
    func = "mb_potential_nonrelativistic"
    r, T, m_nu = _check_r_t_m(r, T, m_nu, func)
    mu = as_array("mu", mu, func)
    b = r * T
    return -2.0 / _PI3 * np.cosh(mu / T) * m_nu * T**3 / (r * (1 + 4 * b * b) ** 2)


def mb_potential_nonrelativistic_short_range(r, T, m_nu, mu=0.0):
    """V_bkg per G_F² g₁g₂, Dirac, m_ν ≫ T, r ≪ 1/T, MB: −(2/π³) cosh(μ/T) m_ν T³/r.

    Implements eq. (3.13) of [1] (table 2).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0
    mu : array_like [eV]

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error 8(rT)² + O(T²/m²) with respect to eq. (3.6).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.13).
    """
    func = "mb_potential_nonrelativistic_short_range"
    r, T, m_nu = _check_r_t_m(r, T, m_nu, func)
    mu = as_array("mu", mu, func)
    return -2.0 / _PI3 * np.cosh(mu / T) * m_nu * T**3 / r


def mb_potential_nonrelativistic_long_range(r, T, m_nu, mu=0.0):
    """V_bkg per G_F² g₁g₂, Dirac, m_ν ≫ T, r ≫ 1/T, MB: −cosh(μ/T) m_ν/(8π³ T r⁵).

    Implements eq. (3.14) of [1] (table 2).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0
    mu : array_like [eV]

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error 1/(2(rT)²) + O(1/(m r)²) with respect to eq. (3.6).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.14).
    """
    func = "mb_potential_nonrelativistic_long_range"
    r, T, m_nu = _check_r_t_m(r, T, m_nu, func)
    mu = as_array("mu", mu, func)
    return -np.cosh(mu / T) * m_nu / (8.0 * _PI3 * T * r**5)


# --------------------------------------------------------------------------------------------
# Closed forms: Fermi–Dirac, massless (section 3.2)
# --------------------------------------------------------------------------------------------

def _csch_coth(z):
    """(csch z, coth z) for z > 0 without overflow (exp(−z) forms)."""
    e = np.exp(-z)
    e2 = e * e
    return 2 * e / (1 - e2), (1 + e2) / (1 - e2)


def _eta_series(b, k_from, coeff):
    """Σ_{k ≥ k_from} (−1)^k coeff(k) η(2k+2) (2b)^{2k+1} (|2b| < 1), smallest terms first."""
    total = np.zeros_like(b)
    for k in reversed(range(k_from, _N_SERIES)):
        total = total + (-1) ** k * coeff(k) * _ETA_EVEN[k] * (2 * b) ** (2 * k + 1)
    return total


def fd_integral_massless(b):
    """I_FD(0, b) = ¼[1/b − 2π csch(2πb)].

    Implements eq. (3.18) of [1]. For b < 0.35 it is summed as the series
    Σ_{k≥0} (−1)^k η(2k+2) (2b)^{2k+1} (term-by-term integration of eq. 3.17), which avoids the
    cancellation of 1/b against 2π csch(2πb).

    Parameters
    ----------
    b : array_like, r T [1], ≥ 0

    Returns
    -------
    ndarray, shape of b [1]

    Notes
    -----
    Exact; float64 round-off (≲ 1e-15 relative) for all b.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.18).
    """
    b = positive("b", b, "fd_integral_massless", allow_zero=True, unit="1")
    small = b < _B_SERIES_FD
    bs = np.where(small, b, 0.0)
    bl = np.where(small, 1.0, b)
    csch, _ = _csch_coth(2 * math.pi * bl)
    with np.errstate(divide="ignore"):
        large = 0.25 * (1 / bl - 2 * math.pi * csch)
    return np.where(small, _eta_series(bs, 0, lambda k: 1.0), large)


def fd_potential_massless(r, T):
    """V_bkg per G_F² g₁g₂ for massless neutrinos, FD occupation (3.4) at μ = 0.

    Implements eq. (3.19) of [1]:
    −(1/4π³r⁵){1 − πrT csch(2πrT)[1 + 2πrT coth(2πrT)]}. For rT < 0.35 the brace is summed as
    Σ_{k≥1} (−1)^{k+1} 2k η(2k+2) (2rT)^{2k+2} (it is 2b[I − b ∂I/∂b] with the series of
    :func:`fd_integral_massless`), which avoids its O((rT)⁴) cancellation.

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0

    Returns
    -------
    ndarray, broadcast shape [eV⁵]

    Notes
    -----
    Exact for m_ν = 0, μ = 0 (Dirac = Majorana); float64 round-off for all rT.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.19).
    """
    func = "fd_potential_massless"
    r, T = positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV")
    r, T = np.broadcast_arrays(r, T)
    b = r * T
    small = b < _B_SERIES_FD
    bs = np.where(small, b, 0.0)
    z = 2 * math.pi * np.where(small, 1.0, b)
    csch, coth = _csch_coth(z)
    brace_large = 1 - 0.5 * z * csch * (1 + z * coth)
    brace_small = 2 * bs * _eta_series(bs, 1, lambda k: -2.0 * k)
    brace = np.where(small, brace_small, brace_large)
    return -brace / (4.0 * _PI3 * r**5)


def fd_potential_massless_short_range(r, T):
    """V_bkg per G_F² g₁g₂ for m_ν = 0, r ≪ 1/T, FD: −8η(4) T⁴/(π³ r) = −(7π/90) T⁴/r.

    Implements table 2 of [1] (FD, m_ν = 0, r ≪ 1/T), the b → 0 limit of eq. (3.19);
    η(4) = 7π⁴/720 is the Dirichlet eta function.

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error ≈ 8.3 (rT)² with respect to eq. (3.19).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, table 2.
    """
    func = "fd_potential_massless_short_range"
    r, T = positive("r", r, func, unit="eV^-1"), positive("T", T, func, unit="eV")
    return -8.0 * _eta(4) / _PI3 * T**4 / r


def fd_potential_massless_long_range(r):
    """V_bkg per G_F² g₁g₂ for m_ν = 0, r ≫ 1/T, FD at μ = 0: −1/(4π³ r⁵).

    Implements eq. (3.20) of [1] (table 2): exactly minus the vacuum potential (2.2), which the
    background screens.

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error ~ 4π²(rT)² e^{−2πrT} with respect to eq. (3.19).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.20).
    """
    r = positive("r", r, "fd_potential_massless_long_range", unit="eV^-1")
    return -1.0 / (4.0 * _PI3 * r**5)


# --------------------------------------------------------------------------------------------
# Closed forms: Fermi–Dirac, non-relativistic (sections 3.2, 3.3); complex polygamma by mpmath
# --------------------------------------------------------------------------------------------

def _mp_context(b):
    """A private mpmath context with enough digits for the O(b²) and O(1/b²) cancellations."""
    ctx = mpmath.MPContext()
    ctx.dps = 25 + int(2 * abs(math.log10(b))) if b > 0 else 25
    return ctx


def _nr_brackets(ctx, b):
    """A = ψ1(½+ib) − ψ1(½−ib) + ψ1(1−ib) − ψ1(1+ib), B = ψ2(½+ib) + ψ2(½−ib) − ψ2(1−ib)
    − ψ2(1+ib) of eqs. (3.21), (3.23), (3.32), in ``ctx`` precision."""
    ib = ctx.mpc(0, b)
    half, one = ctx.mpf(1) / 2, ctx.mpf(1)
    pg = ctx.polygamma
    a = pg(1, half + ib) - pg(1, half - ib) + pg(1, one - ib) - pg(1, one + ib)
    bb = pg(2, half + ib) + pg(2, half - ib) - pg(2, one - ib) - pg(2, one + ib)
    return a, bb


def _fd_integral_nr_scalar(x, b):
    if b == 0.0:
        return 0.0
    ctx = _mp_context(b)
    a, _ = _nr_brackets(ctx, b)
    return float(ctx.re(ctx.mpc(0, 1) / (8 * ctx.mpf(x)) * a))


def fd_integral_nonrelativistic(x, b):
    """I_FD(x ≫ 1, b) ≃ (i/8x)[ψ⁽¹⁾(½+ib) − ψ⁽¹⁾(½−ib) + ψ⁽¹⁾(1−ib) − ψ⁽¹⁾(1+ib)].

    Implements eq. (3.21) of [1], with the complex polygamma of mpmath at 25 + 2|log₁₀ b|
    digits (the bracket cancels to O(b) at b ≪ 1 and to O(1/b²) of each term at b ≫ 1).

    Parameters
    ----------
    x : array_like, m_ν/T [1], > 0
    b : array_like, r T [1], ≥ 0

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [1]

    Notes
    -----
    Leading order in 1/x (y/√(y²+x²) ≈ y/x): relative error ≈ 6η(5)/(η(3)x²) ≈ 6.5/x² at
    b ≪ 1, smaller at b ≫ 1. The closed form itself is evaluated to float64 round-off.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (3.21), (3.22).
    """
    func = "fd_integral_nonrelativistic"
    x = positive("x", x, func, unit="1")
    b = positive("b", b, func, allow_zero=True, unit="1")
    return _broadcast_apply(_fd_integral_nr_scalar, x, b)


def _fd_potential_nr_scalar(r, T, m, dirac):
    """Eq. (3.23) (dirac) or (3.32) per G_F² g₁g₂, scalar."""
    b = r * T
    ctx = _mp_context(b)
    a, bb = _nr_brackets(ctx, b)
    x = ctx.mpf(m) / ctx.mpf(T)
    factor = 1 + (ctx.mpf(b) * x) ** 2 if dirac else ctx.mpf(1)
    brace = a * factor - ctx.mpc(0, 1) * ctx.mpf(b) * bb
    pref = ctx.mpf(T) ** 2 / (16 * ctx.pi**3 * ctx.mpf(m) * ctx.mpf(r) ** 4)
    return float(ctx.re(-ctx.mpc(0, 1) * pref * brace))


def fd_potential_nonrelativistic_dirac(r, T, m_nu):
    """V_bkg per G_F² g₁g₂ for non-relativistic Dirac neutrinos (m_ν ≫ T), FD at μ = 0.

    Implements eq. (3.23) of [1]:
    −i (T²/16π³ m r⁴){[ψ⁽¹⁾(½+ib) − ψ⁽¹⁾(½−ib) + ψ⁽¹⁾(1−ib) − ψ⁽¹⁾(1+ib)](1 + b²x²)
    − ib[ψ⁽²⁾(½+ib) + ψ⁽²⁾(½−ib) − ψ⁽²⁾(1−ib) − ψ⁽²⁾(1+ib)]}, b = rT, x = m/T.

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [eV⁵]

    Notes
    -----
    Eq. (3.16) with I_FD from (3.21): relative error O(T²/m²) (≈ 6.5 T²/m² at r ≪ 1/T). Evaluated
    with mpmath at 25 + 2|log₁₀ rT| digits, so that the closed form is exact to float64 for
    rT ∈ [1e-8, 1e8].

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.23).
    """
    r, T, m_nu = _check_r_t_m(r, T, m_nu, "fd_potential_nonrelativistic_dirac")
    return _broadcast_apply(lambda ri, ti, mi: _fd_potential_nr_scalar(ri, ti, mi, True),
                            r, T, m_nu)


def fd_potential_nonrelativistic_dirac_short_range(r, T, m_nu):
    """V_bkg per G_F² g₁g₂, Dirac, m_ν ≫ T, r ≪ 1/T, FD: −[ψ⁽²⁾(1) − ψ⁽²⁾(½)] m_ν T³/(8π³ r).

    Implements eq. (3.24) of [1] (tables 2 and 3; the coefficient 14.4 = 12ζ(3) computed from
    the polygamma functions, :func:`nr_short_range_coefficient`).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error ≈ 8.6 (rT)² + 10.8 T²/m² with respect to eq. (3.16) (the T²/m² term is the
    Majorana-like part, eq. 3.33 over eq. 3.24, less the NR correction of I_FD).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.24).
    """
    r, T, m_nu = _check_r_t_m(r, T, m_nu, "fd_potential_nonrelativistic_dirac_short_range")
    return -_C_DIRAC / (8.0 * _PI3) * m_nu * T**3 / r


def fd_potential_nonrelativistic_dirac_long_range(r, T, m_nu):
    """V_bkg per G_F² g₁g₂, Dirac, m_ν ≫ T, r ≫ 1/T, FD: −m_ν/(32π³ T r⁵).

    Implements eq. (3.25) of [1] (tables 2 and 3).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error 1/(4(rT)²) + O(1/(m r)²) with respect to eq. (3.16).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.25).
    """
    r, T, m_nu = _check_r_t_m(r, T, m_nu, "fd_potential_nonrelativistic_dirac_long_range")
    return -m_nu / (32.0 * _PI3 * T * r**5)


def fd_potential_nonrelativistic_majorana(r, T, m_nu):
    """V_bkg per G_F² g₁g₂ for non-relativistic Majorana neutrinos (m_ν ≫ T), FD.

    Implements eq. (3.32) of [1]: eq. (3.23) with (1 + b²x²) → 1.

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0

    Returns
    -------
    ndarray (float for scalar input), broadcast shape [eV⁵]

    Notes
    -----
    Eq. (3.31) with I_FD from (3.21): relative error O(T²/m²) (≈ 15 T²/m² at r ≪ 1/T). The
    brace cancels to O(b²) at b ≪ 1; mpmath at 25 + 2|log₁₀ rT| digits keeps float64 accuracy.

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.32).
    """
    r, T, m_nu = _check_r_t_m(r, T, m_nu, "fd_potential_nonrelativistic_majorana")
    return _broadcast_apply(lambda ri, ti, mi: _fd_potential_nr_scalar(ri, ti, mi, False),
                            r, T, m_nu)


def fd_potential_nonrelativistic_majorana_short_range(r, T, m_nu):
    """V_bkg per G_F² g₁g₂, Majorana, m_ν ≫ T, r ≪ 1/T: −[ψ⁽⁴⁾(1) − ψ⁽⁴⁾(½)] T⁵/(24π³ m_ν r).

    Implements eq. (3.33) of [1] (table 3; = −248.9 T⁵/(8π³ m_ν r), the coefficient computed
    from the polygamma functions, :func:`nr_short_range_coefficient`).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error ≈ 12(rT)² + 15 T²/m² with respect to eq. (3.31).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.33).
    """
    r, T, m_nu = _check_r_t_m(r, T, m_nu, "fd_potential_nonrelativistic_majorana_short_range")
    return -_C_MAJORANA / (8.0 * _PI3) * T**5 / (m_nu * r)


def fd_potential_nonrelativistic_majorana_long_range(r, T, m_nu):
    """V_bkg per G_F² g₁g₂, Majorana, m_ν ≫ T, r ≫ 1/T: −1/(8π³ m_ν T r⁷).

    Implements eq. (3.34) of [1] (table 3).

    Parameters
    ----------
    r : array_like [eV⁻¹], > 0
    T : array_like [eV], > 0
    m_nu : array_like [eV], > 0

    Returns
    -------
    ndarray [eV⁵]

    Notes
    -----
    Relative error 3/(8(rT)²) + O(1/(m r)²) with respect to eq. (3.31).

    References
    ----------
    [1] Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eq. (3.34).
    """
    r, T, m_nu = _check_r_t_m(r, T, m_nu, "fd_potential_nonrelativistic_majorana_long_range")
    return -1.0 / (8.0 * _PI3 * m_nu * T * r**7)
