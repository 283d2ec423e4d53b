"""Energy smearing of the directional potential: a beam with a spectrum instead of one energy.

Appendix C of [1]: a directional flux n±(k) = (2π)³ f(E) δ(k̂ − k̂₀) (eq. C.1), normalised by
2π ∫ dE E² f(E) = Φ₀ (eqs. C.2, C.7), i.e. dΦ/dE = 2π E² f(E), gives
V(r) = −(2/π²) G_F² g₁g₂ ∫ dE E⁴ f(E) I(E r, α) (eq. C.9). Natural units: E [eV], r [eV⁻¹],
Φ [eV³], f [1] (dimensionless), dΦ/dE [eV²]; potentials per G_F² g₁g₂ in [eV⁵].

Every term of I (closed form, design note §1) and of I_R (§7) is a smooth function of E times
cos(κE) or sin(κE), with κ = (1 ∓ cos α) r. The spectrum integral is therefore done term by term
as a Fourier integral (QUADPACK QAWO via ``scipy.integrate.quad(weight=...)``), which stays
accurate for any κ: E r ~ 1e12 and α ~ 1e-6 included. For the Gaussian spectrum of eq. (C.3) the
same terms are Gaussian moments with a complex shift, integrated in closed form.

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, appendix C and eq. (4.14).
[2] nusim design note (shared/design/directional-force-between-bodies.md) §1, §4, §7.
"""

import math

import numpy as np
import scipy.integrate
import scipy.special

from nusim.errors import ArgumentError, NumericsError
from nusim.physics._checks import as_array, choice, positive
from nusim.physics.directional import KERNELS

#: E0/σ_E below which the full-line Gaussian closed form is refused (truncation ≤ e^{-18}).
_MIN_GAUSSIAN_E0_OVER_SIGMA = 6.0


def gaussian_normalisation(energy_mean, energy_sigma):
    """B = ∫₀^∞ dE E² exp[−(E − E₀)²/(2σ_E²)].

    Implements eq. (C.4) of [1] (exact expression, with the error function).
    energy_mean E₀ [eV] > 0, energy_sigma σ_E [eV] > 0 -> B [eV³].
    """
    e0 = positive("energy_mean", energy_mean, "gaussian_normalisation", unit="eV")
    s = positive("energy_sigma", energy_sigma, "gaussian_normalisation", unit="eV")
    return (e0 * s**2 * np.exp(-(e0**2) / (2 * s**2))
            + math.sqrt(math.pi / 2) * s * (e0**2 + s**2)
            * (1 + scipy.special.erf(e0 / (math.sqrt(2) * s))))


def gaussian_spectrum_f(energy, flux, energy_mean, energy_sigma):
    """Gaussian directional energy distribution f_g(E) = Φ₀/(2πB) exp[−(E − E₀)²/(2σ_E²)].

    Implements eq. (C.3) of [1] (the printed (E − E₀²) is a typo for (E − E₀)²), normalised
    as eq. (C.2): 2π ∫₀^∞ E² f_g dE = Φ₀. energy [eV], flux Φ₀ [eV³], energy_mean [eV],
    energy_sigma [eV] -> f_g [1].
    """
    e = as_array("energy", energy, "gaussian_spectrum_f")
    b = gaussian_normalisation(energy_mean, energy_sigma)
    return flux / (2 * math.pi * b) * np.exp(-((e - energy_mean) ** 2) / (2 * energy_sigma**2))


def f_from_spectrum(spectrum):
    """The paper's f(E) of eq. (C.1) from a flux spectrum dΦ/dE: f = (dΦ/dE)/(2πE²).

    From eqs. (C.2) and (C.7) of [1]. ``spectrum`` : callable E [eV] -> dΦ/dE [eV²];
    returns a callable E [eV] -> f [1].
    """
    return lambda e: spectrum(e) / (2 * math.pi * e**2)


def _fourier_terms(r, alpha, kernel):
    """I or I_R at fixed r, α written as Σ_k a_k(E) × (cos | sin)(κ_k E).

    Returns a list of (power p, coefficient, weight, κ) meaning coefficient × E^p × weight(κE)
    for the integrand E⁴ f(E) I(E r, α) divided by f(E) and π² (closed forms of design note
    §1 and §7): E⁴ I/π² = (E³/r)[c₂ cos κ₁E + s₂ cos κ₂E] + (c E²/2r²)[sin κ₂E − sin κ₁E],
    E⁴ I_R/π² = (E³/r) 2c₂ cos κ₁E − (c E²/r²) sin κ₁E, with c₂ = cos²(α/2), s₂ = sin²(α/2),
    κ₁ = 2r s₂ = (1 − cos α) r, κ₂ = 2r c₂ = (1 + cos α) r.
    """
    c2, s2 = math.cos(0.5 * alpha) ** 2, math.sin(0.5 * alpha) ** 2
    c = math.cos(alpha)
    k1, k2 = 2 * r * s2, 2 * r * c2
    if kernel == "retarded":
        return [(3, 2 * c2 / r, "cos", k1), (2, -c / r**2, "sin", k1)]
    return [(3, c2 / r, "cos", k1), (3, s2 / r, "cos", k2),
            (2, c / (2 * r**2), "sin", k2), (2, -c / (2 * r**2), "sin", k1)]


def _fourier_quad(func, a, b, weight, kappa, rtol):
    """∫_a^b func(E) weight(κE) dE by QUADPACK (QAWO for κ ≠ 0), with an accuracy check."""
    if kappa * (b - a) < 1e-8:
        g = (lambda e: func(e) * math.cos(kappa * e)) if weight == "cos" else (
            lambda e: func(e) * math.sin(kappa * e))
        val, err, info = scipy.integrate.quad(g, a, b, epsabs=0.0, epsrel=rtol, limit=400,
                                              full_output=1)[:3]
    else:
        val, err, info = scipy.integrate.quad(func, a, b, weight=weight, wvar=kappa, epsabs=0.0,
                                              epsrel=rtol, limit=400, full_output=1)[:3]
    scale = scipy.integrate.quad(lambda e: abs(func(e)), a, b, epsrel=1e-6, limit=200,
                                 full_output=1)[0]
    if err > max(rtol * abs(val), 1e-13 * scale) * 100:
        raise NumericsError(f"smeared_potential: spectrum integral did not converge "
                            f"(κ = {kappa:.3e} eV⁻¹, value {val:.3e}, error {err:.1e}); "
                            "check that f(E) is smooth on [energy_min, energy_max]")
    return val


def smeared_potential(r, alpha, f, energy_min, energy_max, kernel="symmetric", rtol=1e-10):
    """Beam potential averaged over an energy spectrum, per G_F² g₁g₂.

    Implements eq. (C.9) of [1]: V = −(2/π²) ∫ dE E⁴ f(E) I(E r, α), with the closed form of I
    (``kernel="symmetric"``) or I_R (``"retarded"``, design note §7), each term integrated as a
    Fourier integral (QAWO), so any E r (up to ~1e15) is handled.

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0
    alpha : array_like, angle between r and the flux [rad], in [0, π]
    f : callable, E [eV] -> f(E) [1] of eq. (C.1) (see :func:`f_from_spectrum`), smooth on the
        integration range
    energy_min, energy_max : float, integration range [eV], 0 < energy_min < energy_max
    kernel : {"symmetric", "retarded"}
    rtol : float, relative tolerance of each Fourier integral

    Returns
    -------
    ndarray, broadcast shape of r and alpha, V_bkg/(G_F² g₁g₂) [eV⁵]

    Notes
    -----
    A spectrum with a sharp edge inside the range contributes an edge term ∝ 1/κ that is real
    physics, not a numerical artefact. Accuracy ~rtol relative to the largest term; checked
    against the Gaussian closed form (:func:`gaussian_smeared_potential`) and eq. (C.11)
    (tests/physics/test_smearing.py).
    """
    func = "smeared_potential"
    choice("kernel", kernel, KERNELS, func)
    r = positive("r", r, func, unit="eV^-1")
    alpha = as_array("alpha", alpha, func)
    if ((alpha < 0) | (alpha > math.pi)).any():
        raise ArgumentError(f"{func}: alpha must lie in [0, π] [rad]")
    e_lo = float(positive("energy_min", energy_min, func, unit="eV"))
    e_hi = float(positive("energy_max", energy_max, func, unit="eV"))
    if e_hi <= e_lo:
        raise ArgumentError(f"{func}: energy_max ({e_hi!r} eV) must exceed energy_min "
                            f"({e_lo!r} eV)")
    if not callable(f):
        raise ArgumentError(f"{func}: f must be a callable E [eV] -> f(E) [1]; got {f!r}")
    r_b, a_b = np.broadcast_arrays(r, alpha)
    out = np.empty(r_b.shape)
    for idx in np.ndindex(r_b.shape):
        total = 0.0
        for power, coeff, weight, kappa in _fourier_terms(float(r_b[idx]), float(a_b[idx]),
                                                          kernel):
            if coeff == 0.0:
                continue
            total += coeff * _fourier_quad(lambda e, p=power: e**p * float(f(e)), e_lo, e_hi,
                                           weight, kappa, rtol)
        out[idx] = -2.0 * total
    return out


def _gaussian_fourier_moment(power, kappa, e0, sigma):
    """∫_{−∞}^{∞} E^p exp[−(E − E₀)²/2σ²] e^{iκE} dE for p = 2, 3 (complex) [eV^{p+1}].

    Completing the square: √(2π) σ e^{iκE₀ − κ²σ²/2} P_p(m), m = E₀ + iκσ², with the Gaussian
    moments P₂ = m² + σ², P₃ = m³ + 3mσ².
    """
    m = e0 + 1j * kappa * sigma**2
    poly = m**2 + sigma**2 if power == 2 else m**3 + 3 * m * sigma**2
    return math.sqrt(2 * math.pi) * sigma * np.exp(1j * kappa * e0 - 0.5 * (kappa * sigma) ** 2) * poly


def gaussian_smeared_potential(r, alpha, flux, energy_mean, energy_sigma, kernel="symmetric"):
    """Beam potential for the Gaussian spectrum of eq. (C.3), in closed form, per G_F² g₁g₂.

    Implements eq. (C.9) of [1] with f = f_g of eqs. (C.3)-(C.4): each term of I (or I_R) is a
    Gaussian moment times e^{iκE}, integrated analytically (the E < 0 tail of the Gaussian is
    included in the E integral but not in B; it is below e^{−E₀²/2σ²} ≤ 1.5e-8 relative,
    since E₀ ≥ 6σ is required). The factor e^{−κ²σ²/2} is the washing-out of eq. (4.14).

    Parameters
    ----------
    r : array_like, separation [eV⁻¹], > 0
    alpha : array_like, angle to the flux [rad], in [0, π]
    flux : float, Φ₀ [eV³]
    energy_mean, energy_sigma : float, E₀ and σ_E [eV], with E₀ ≥ 6 σ_E
    kernel : {"symmetric", "retarded"}

    Returns
    -------
    ndarray, V_bkg/(G_F² g₁g₂) [eV⁵]; tends to eq. (4.5) as σ_E → 0 (eq. C.11)
    """
    func = "gaussian_smeared_potential"
    choice("kernel", kernel, KERNELS, func)
    r = positive("r", r, func, unit="eV^-1")
    alpha = as_array("alpha", alpha, func)
    e0 = float(positive("energy_mean", energy_mean, func, unit="eV"))
    s = float(positive("energy_sigma", energy_sigma, func, unit="eV"))
    if e0 < _MIN_GAUSSIAN_E0_OVER_SIGMA * s:
        raise ArgumentError(f"{func}: energy_mean/energy_sigma = {e0 / s:.3g} < "
                            f"{_MIN_GAUSSIAN_E0_OVER_SIGMA:g}: the Gaussian reaches E < 0; use "
                            "smeared_potential with gaussian_spectrum_f instead")
    b = float(gaussian_normalisation(e0, s))
    r_b, a_b = np.broadcast_arrays(r, alpha)
    out = np.empty(r_b.shape)
    for idx in np.ndindex(r_b.shape):
        total = 0.0
        for power, coeff, weight, kappa in _fourier_terms(float(r_b[idx]), float(a_b[idx]),
                                                          kernel):
            g = _gaussian_fourier_moment(power, kappa, e0, s)
            total += coeff * (g.real if weight == "cos" else g.imag)
        out[idx] = -2.0 * flux / (2 * math.pi * b) * total
    return out


def coherent_angle_limit(spread_Er):
    """Largest α for which the 1/r potential survives a spread Δ(E r): α_max = √(π/Δ(Er)).

    Implements eq. (4.14) of [1], α² ≲ π/Δ(E_ν r). spread_Er : array_like [1], > 0 ->
    α_max [rad].
    """
    spread = positive("spread_Er", spread_Er, "coherent_angle_limit", unit="1")
    return np.sqrt(math.pi / spread)
