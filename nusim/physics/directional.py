"""Directional (beam) background: the integral I(ℓ, α) and the pair potential it gives.

A monochromatic beam of energy E (eq. 4.1) along k̂ modifies the neutrino-pair exchange between two
particles at separation r, at angle α to k̂, to V_bkg = −(g₁g₂/π³) G_F² Φ E² I(ℓ, α) with ℓ = E r
(eqs. 4.5, 4.6, B.14). Natural units throughout: ℓ [1], α [rad], r [eV⁻¹], E [eV], Φ [eV³];
potentials are returned per G_F² g₁g₂, in [eV⁵].

Paths to I:

* ``"exact"``: the elementary closed form of the double integral (4.8), from the design note
  (shared/design/directional-force-between-bodies.md §1), the production path;
* ``"quadrature"``: an independent numerical evaluation of eq. (4.8) itself (see
  :func:`_quadrature_symmetric`), used by the tests to check the closed form;
* ``"asymptotic"``: the long-distance form (4.11).

Phases are computed as (1 − cos α) ℓ = 2ℓ sin²(α/2) and (1 + cos α) ℓ = 2ℓ cos²(α/2), so that tiny
angles (α ~ 1e-7 with ℓ ~ 1e12) keep their precision.

References
----------
[1] M. Ghosh, Y. Grossman, W. Tangarife, X.-J. Xu, B. Yu, "Neutrino forces in neutrino
    backgrounds", JHEP 02 (2023) 092, arXiv:2209.07082.
[2] nusim design note, "The directional background force between extended bodies" (§1, §7).
"""

import math

import numpy as np
import scipy.special

from nusim.errors import ArgumentError
from nusim.physics._checks import as_array, choice, positive

_PI2 = math.pi**2
METHODS = ("exact", "quadrature", "asymptotic")
KERNELS = ("symmetric", "retarded")
BACKENDS = ("auto", "numba", "numpy")
#: Above this many elements ``backend="auto"`` uses the numba kernel (compilation is cached).
_NUMBA_MIN_SIZE = 4096


def _check_ell_alpha(ell, alpha, func):
    ell = positive("ell", ell, func, unit="1")
    alpha = as_array("alpha", alpha, func)
    if ((alpha < 0) | (alpha > math.pi)).any():
        bad = alpha[(alpha < 0) | (alpha > math.pi)].flat[0]
        raise ArgumentError(f"{func}: alpha must lie in [0, π] [rad] (the angle between the "
                            f"pair vector and the flux); got {bad!r}. Use |α| folded into "
                            "[0, π].") from None
    return ell, alpha


def _half_angle_weights(alpha):
    """(cos²(α/2), sin²(α/2)) computed from the half angle, accurate at α → 0 and α → π."""
    return np.cos(0.5 * alpha) ** 2, np.sin(0.5 * alpha) ** 2


def _exact_symmetric(ell, alpha):
    """Closed form of eq. (4.8) (design note §1), numpy version.

    I = (π²/ℓ){cos²(α/2) cos[(1−c)ℓ] + sin²(α/2) cos[(1+c)ℓ] + (c/ℓ) cos ℓ sin(cℓ)}, c = cos α.
    ℓ [1], α [rad] -> I [1].
    """
    c2, s2 = _half_angle_weights(alpha)
    p1, p2 = 2 * ell * s2, 2 * ell * c2
    # cos ℓ sin(cℓ) = [sin((1+c)ℓ) − sin((1−c)ℓ)]/2 with c = c2 − s2: two phases instead of four
    return (_PI2 / ell) * (c2 * np.cos(p1) + s2 * np.cos(p2)
                           + (0.5 * (c2 - s2) / ell) * (np.sin(p2) - np.sin(p1)))


def _exact_retarded(ell, alpha):
    """Retarded kernel of design note §7, numpy version.

    I_R = (π²/ℓ){(1 + c) cos[(1−c)ℓ] − (c/ℓ) sin[(1−c)ℓ]}, c = cos α; its even part
    [I_R(α) + I_R(π − α)]/2 is I of eq. (4.8). ℓ [1], α [rad] -> I_R [1].
    """
    c2, s2 = _half_angle_weights(alpha)
    phase = 2 * ell * s2
    return (_PI2 / ell) * (2 * c2 * np.cos(phase) - ((c2 - s2) / ell) * np.sin(phase))


def asymptotic_integral(ell, alpha, kernel="symmetric"):
    """Long-distance form of I(ℓ, α) for ℓ ≫ 1.

    Implements eq. (4.11) of [1] (symmetric kernel); for ``kernel="retarded"`` the leading
    1/ℓ term of I_R, (π²/ℓ)(1 + cos α) cos[(1 − cos α)ℓ] (design note §7).

    Parameters
    ----------
    ell : array_like, ℓ = E r [1], > 0
    alpha : array_like, angle between r and the flux [rad], in [0, π]

    Returns
    -------
    ndarray, broadcast shape [1]

    Notes
    -----
    The neglected term is (π² c/ℓ²) cos ℓ sin(cℓ) (symmetric) or (π² c/ℓ²) sin[(1−c)ℓ]
    (retarded): absolute error ≤ π²/ℓ², relative to the 1/ℓ scale ≤ 1/ℓ
    (tests/physics/test_directional.py::test_asymptotic_matches_exact_at_large_ell).
    """
    ell, alpha = _check_ell_alpha(ell, alpha, "asymptotic_integral")
    choice("kernel", kernel, KERNELS, "asymptotic_integral")
    c2, s2 = _half_angle_weights(alpha)
    if kernel == "retarded":
        return (_PI2 / ell) * 2 * c2 * np.cos(2 * ell * s2)
    return (_PI2 / ell) * (c2 * np.cos(2 * ell * s2) + s2 * np.cos(2 * ell * c2))


def _quadrature_nodes(ell):
    """Nodes and weights on the hemisphere x = q̂·r̂ > 0 for :func:`_quadrature_symmetric`.

    β ∈ [0, π/2]: composite Gauss–Legendre, ≲ 15 rad of phase per 24-node panel;
    ψ ∈ [0, π]: trapezoid rule of a smooth periodic integrand (spectral accuracy), with
    more nodes than the largest Fourier index ~ ℓ sin 2β sin α /2 · 2 of the integrand.
    """
    n_panels = int(math.ceil(ell / 4.0)) + 1
    x, w = np.polynomial.legendre.leggauss(24)
    edges = np.linspace(0.0, 0.5 * math.pi, n_panels + 1)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    beta = (mid[:, None] + half[:, None] * x[None, :]).ravel()
    w_beta = (half[:, None] * w[None, :]).ravel()
    m = int(math.ceil(0.5 * ell + 6.0 * ell ** (1.0 / 3.0))) + 24
    psi = np.linspace(0.0, math.pi, m + 1)
    w_psi = np.full(m + 1, math.pi / m)
    w_psi[[0, -1]] *= 0.5
    return beta, w_beta, psi, w_psi


def _quadrature_symmetric(ell, alpha, chunk=2_000_000):
    """Eq. (4.8) by numerical quadrature, the independent check of the closed form.

    Implements eq. (4.8) (= B.13) of [1]. The double integral
    J = ∫₋₁¹ dξ ξ(1−ξ²) ∫₀^π dφ sin(2ℓξ|cξ + s√(1−ξ²) cos φ|) runs over half the unit sphere of
    q̂ (ξ = q̂·k̂, x = q̂·r̂). Its integrand is even under q̂ → −q̂, so J is the integral over the
    hemisphere x > 0; in spherical coordinates about r̂ (x = cos β, azimuth ψ),
    ξ = c cos β + s sin β cos ψ and
        J = 2 ∫₀^{π/2} sin β dβ ∫₀^π dψ ξ(1−ξ²) sin(2ℓ ξ cos β),
    which has no kink (|x| = x) and no endpoint singularity, so Gauss–Legendre in β and the
    trapezoid rule in the periodic ψ converge exponentially. I = (π²/2ℓ)(3 + cos 2α) − 2πJ.
    Scalar ℓ [1], α [rad] -> I [1]. Work ∝ ℓ² (about 4e6 integrand evaluations at ℓ = 1000).
    """
    beta, w_beta, psi, w_psi = _quadrature_nodes(ell)
    c, s = math.cos(alpha), math.sin(alpha)
    cos_psi = np.cos(psi)
    rows = max(1, chunk // psi.size)
    total = 0.0
    for start in range(0, beta.size, rows):
        b = beta[start:start + rows, None]
        cb = np.cos(b)
        xi = c * cb + s * np.sin(b) * cos_psi[None, :]
        vals = xi * (1 - xi * xi) * np.sin(2 * ell * xi * cb)
        total += float((np.sin(b[:, 0]) * w_beta[start:start + rows]) @ (vals @ w_psi))
    j = 2.0 * total
    return (_PI2 / (2 * ell)) * (3 + math.cos(2 * alpha)) - 2 * math.pi * j


def directional_integral(ell, alpha, method="exact", kernel="symmetric", backend="auto"):
    """The dimensionless directional integral I(ℓ, α) of eq. (4.7).

    Implements eq. (4.8) of [1] (``method="exact"``: its closed form, design note §1;
    ``"quadrature"``: eq. (4.8) integrated numerically; ``"asymptotic"``: eq. (4.11)).
    ``kernel="retarded"`` gives I_R of design note §7, whose even part is I.

    Parameters
    ----------
    ell : array_like, ℓ = E r (eq. 4.6) [1], > 0; the closed form is valid for any ℓ (tested
        1e-3 to 1e15; for ℓ ≳ 1e13 the phase itself is uncertain by ℓ·1e-16 rad, as is ℓ)
    alpha : array_like, angle between the pair vector and the flux direction [rad], in [0, π]
    method : {"exact", "quadrature", "asymptotic"}
    kernel : {"symmetric", "retarded"}; "quadrature" exists for the symmetric kernel only
    backend : {"auto", "numba", "numpy"} for ``method="exact"``; both give the same numbers to
        float64 round-off; "auto" uses numba above a few thousand elements

    Returns
    -------
    ndarray, broadcast shape of ``ell`` and ``alpha`` [1]

    Notes
    -----
    Closed form and quadrature agree to < 1e-9 absolute over ℓ ∈ [1e-2, 1e3], α ∈ [0, π]
    (tests/physics/test_directional.py). The quadrature costs ∝ ℓ² and is meant for checks.
    """
    func = "directional_integral"
    choice("method", method, METHODS, func)
    choice("kernel", kernel, KERNELS, func)
    choice("backend", backend, BACKENDS, func)
    ell, alpha = _check_ell_alpha(ell, alpha, func)
    if method == "asymptotic":
        return asymptotic_integral(ell, alpha, kernel)
    if method == "quadrature":
        if kernel == "retarded":
            raise ArgumentError(f"{func}: method='quadrature' integrates eq. (4.8), the symmetric "
                                "kernel; use method='exact' for kernel='retarded'")
        ell_b, alpha_b = np.broadcast_arrays(ell, alpha)
        out = np.array([_quadrature_symmetric(float(l), float(a))
                        for l, a in zip(ell_b.ravel(), alpha_b.ravel())])
        return out.reshape(ell_b.shape)
    use_numba = backend == "numba" or (backend == "auto"
                                       and np.broadcast(ell, alpha).size >= _NUMBA_MIN_SIZE)
    if use_numba:
        from nusim.engine import kernels

        nb_kernel = (kernels.directional_integral_retarded if kernel == "retarded"
                     else kernels.directional_integral_exact)
        return kernels.run_flat(nb_kernel, ell, alpha)
    numpy_form = _exact_retarded if kernel == "retarded" else _exact_symmetric
    return numpy_form(*np.broadcast_arrays(ell, alpha))


def integral_on_axis(ell):
    """I(ℓ, α = 0) = (π²/ℓ)[1 + sin 2ℓ/(2ℓ)].

    Implements eq. (4.9) of [1]. ell : array_like [1], > 0 -> ndarray [1].
    """
    ell = positive("ell", ell, "integral_on_axis", unit="1")
    return (_PI2 / ell) * (1 + np.sin(2 * ell) / (2 * ell))


def struve_bracket(ell, n_nodes=None):
    """The bracket of eq. (4.10): 1 − 4ℓ ∫₀¹ dξ ξ(1−ξ²) H₀(2ℓξ√(1−ξ²)), by quadrature.

    Implements the Struve-H₀ integral of eq. (4.10) of [1] numerically (scipy.special.struve),
    with ξ = sin θ so that √(1−ξ²) = cos θ and the integrand is smooth; Gauss–Legendre with
    ``n_nodes`` (default 60 + 2ℓ) nodes. The closed form (design note §1) says it equals cos ℓ.
    ell : float [1], > 0 -> float [1].
    """
    ell = float(positive("ell", ell, "struve_bracket", unit="1"))
    n = n_nodes or int(60 + 2 * ell)
    x, w = np.polynomial.legendre.leggauss(n)
    theta = 0.25 * math.pi * (x + 1)
    xi, ct = np.sin(theta), np.cos(theta)
    integrand = xi * ct**2 * scipy.special.struve(0, 2 * ell * xi * ct) * ct
    return 1 - 4 * ell * float(0.25 * math.pi * (w @ integrand))


def integral_perpendicular(ell):
    """I(ℓ, α = π/2) = (π²/ℓ)[1 − 4ℓ ∫₀¹ dξ ξ(1−ξ²) H₀(2ℓξ√(1−ξ²))].

    Implements eq. (4.10) of [1] by quadrature of the Struve integral (:func:`struve_bracket`).
    ell : array_like [1], > 0 -> ndarray [1].
    """
    ell = positive("ell", ell, "integral_perpendicular", unit="1")
    bracket = np.vectorize(struve_bracket, otypes=[float])(ell)
    return (_PI2 / ell) * bracket


def integral_small_angle(ell, alpha):
    """I for α ≪ 1 and ℓ ≫ 1 with α²ℓ arbitrary: (π²/ℓ) cos(α²ℓ/2).

    Implements eq. (4.13) of [1] (in units of I). ell [1] > 0, alpha [rad] -> ndarray [1].
    Notes: relative error O(α²) + O(1/ℓ) with respect to eq. (4.11).
    """
    ell, alpha = _check_ell_alpha(ell, alpha, "integral_small_angle")
    return (_PI2 / ell) * np.cos(0.5 * alpha**2 * ell)


def isotropic_average_integral(ell):
    """Average of I(ℓ, α) over cos α ∈ [−1, 1]: (π²/2ℓ⁴)(sin 2ℓ − 2ℓ cos 2ℓ).

    The isotropic consistency stated below eq. (4.10) of [1]: a monochromatic flux Φ spread
    uniformly over directions, n₊ + n₋ = 2π² Φ δ(κ − E)/E² (so that ∫ d³k/(2π)³ (n₊+n₋) = Φ),
    put into eq. (2.8) with m_ν = 0 gives V = −(Φ/(2πE²r⁴))[sin 2Er − 2Er cos 2Er]; equating to
    −(1/π³)ΦE²⟨I⟩ (eq. 4.5) gives this ⟨I⟩, the r⁻⁴ law. ell : array_like [1] -> ndarray [1].
    """
    ell = positive("ell", ell, "isotropic_average_integral", unit="1")
    return (_PI2 / (2 * ell**4)) * (np.sin(2 * ell) - 2 * ell * np.cos(2 * ell))


def directional_potential(r, alpha, energy, flux, method="exact", kernel="symmetric"):
    """Beam background potential per G_F² g₁g₂: V = −(1/π³) Φ E² I(E r, α).

    Implements eqs. (4.5) and (B.14) of [1]; ``kernel="retarded"`` uses I_R (design note §7).

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0
    alpha : array_like, angle between r and the flux direction [rad], in [0, π]
    energy : float or array_like, neutrino energy E [eV], > 0
    flux : float, number flux Φ (neutrinos + antineutrinos) [eV³], ≥ 0
    method, kernel : as in :func:`directional_integral`

    Returns
    -------
    ndarray, V_bkg/(G_F² g₁g₂) [eV⁵]
    """
    func = "directional_potential"
    r = positive("r", r, func, unit="eV^-1")
    energy = positive("energy", energy, func, unit="eV")
    flux = positive("flux", flux, func, allow_zero=True, unit="eV^3")
    return -(flux * energy**2 / math.pi**3) * directional_integral(energy * r, alpha, method,
                                                                    kernel)


def directional_potential_long_distance(r, alpha, energy, flux):
    """V_bkg(r ≫ 1/E, α) per G_F² g₁g₂: −(ΦE/πr){cos²(α/2)cos[(1−c)Er] + sin²(α/2)cos[(1+c)Er]}.

    Implements eq. (4.12) of [1]. r [eV⁻¹] > 0, alpha [rad] in [0, π], energy [eV] > 0,
    flux [eV³] ≥ 0 -> ndarray [eV⁵].
    """
    func = "directional_potential_long_distance"
    r = positive("r", r, func, unit="eV^-1")
    energy = positive("energy", energy, func, unit="eV")
    flux = positive("flux", flux, func, allow_zero=True, unit="eV^3")
    return -(flux * energy**2 / math.pi**3) * asymptotic_integral(energy * r, alpha)


def directional_potential_small_angle(r, alpha, energy, flux):
    """V_bkg(r ≫ 1/E, α ≪ 1) per G_F² g₁g₂: −(ΦE/πr) cos(α²Er/2).

    Implements eq. (4.13) of [1]; at α = 0 it is eq. (5.3). r [eV⁻¹] > 0, alpha [rad],
    energy [eV] > 0, flux [eV³] ≥ 0 -> ndarray [eV⁵].
    """
    func = "directional_potential_small_angle"
    r = positive("r", r, func, unit="eV^-1")
    energy = positive("energy", energy, func, unit="eV")
    flux = positive("flux", flux, func, allow_zero=True, unit="eV^3")
    return -(flux * energy**2 / math.pi**3) * integral_small_angle(energy * r, alpha)
