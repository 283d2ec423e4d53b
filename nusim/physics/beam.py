"""The long-distance pair potential of a real beam: a spectrum and an angular profile.

For one direction of travel k̂ and E r ≫ 1, eq. (4.12) of [1] summed over the spectrum (eq. C.9,
dΦ/dE = φ(E)) is, per G_F² g₁g₂ [eV⁵],

    V_sym(r) = −(1/π r) [cos²(α/2) Re χ(Δ₋) + sin²(α/2) Re χ(Δ₊)],
    V_ret(r) = −(1/π r) (1 + cos α) Re χ(Δ₋)                        (design note §7),

with Δ∓ = r ∓ r·k̂ the path differences and χ(t) = ∫ dE φ(E) E e^{iEt} [eV⁴] the spectrum's
characteristic function. Δ₋ is computed as |r × k̂|²/(r + r·k̂), never as r(1 − cos α).

**Spectrum.** A :class:`BeamSpectrum` is a sum of Gaussian components in energy (weights Φ_k,
centres μ_k ≥ 4σ_k, widths σ_k ≥ 0): lines are single components (σ = line width), and a tabulated
continuum is fitted by non-negative least squares on log-spaced components whose widths follow
their spacing. Then χ(t) = Σ_k Φ_k (μ_k + iσ_k² t) e^{iμ_k t − σ_k² t²/2} exactly (the component
tails below E = 0 are < e^{−8} of each component and are included consistently). This makes the
kernel analytic at every t, from the needle (E Δ ≲ 1) to the far region.

**Angular profile.** Averaging over the directions k̂ of a profile p(k̂) (per steradian, ∫p dΩ = 1):

* point profile: exact, as above;
* Gaussian profile (δ ~ N(0, σ²) per transverse axis), paraxial, per energy: the needle term
  ⟨e^{iEΔ₋}⟩ = e^{iEA/(1 − iEτ)}/(1 − iEτ), A = ρ²/(2z), τ = zσ², z = r·k̂₀, ρ = |r × k̂₀|
  (complex Gaussian integral); on the axis this is the factor 1/(1 + (Ezσ²)²) of design note §4;
* smooth profiles in the regime E r θ² ≫ 1 (θ the profile's width; every extended physical
  source): the needle of angular width (E r)^{-1/2} samples the profile locally and, because
  ∫₀^∞ Re χ(t) dt = 0 (Abel), only its curvature survives:
  ⟨Re χ(Δ₋)⟩ = −(π/r²) Φ⟨1/E⟩ ∇²p(r̂) [1 + O(1/(E r θ²))], ∇² the angular Laplacian at the
  pair direction. This is the near-field result of design note §4 (weight ⟨1/E⟩, not ⟨E⟩).

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (4.12), (4.14), (C.9).
[2] nusim design note (shared/design/directional-force-between-bodies.md) §1, §3, §4, §7.
"""

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import scipy.optimize
import scipy.special

from nusim.errors import ArgumentError
from nusim.physics._checks import choice, positive

KERNELS = ("symmetric", "retarded")


@dataclass(frozen=True)
class BeamSpectrum:
    """A beam spectrum as Gaussian components: flux_k [eV³], mean_k [eV], sigma_k [eV].

    ``fit_residual`` is the relative L2 residual of the fit's density dΦ/dE to a tabulated
    continuum (0 for lines and analytic Gaussians); ``label`` says what was fitted.
    ``fit_report`` (read-only mapping or None; not part of equality or the hash, so cached
    kernel tables are shared) holds the errors of what the estimators use against the tabulated
    spectrum, from :func:`spectrum_fit_report`: ``flux_rel_error``,
    ``mean_inverse_energy_rel_error``, ``kernel_max_error`` (max |Δa(w)|/a(0)), ...
    """

    flux: tuple
    mean: tuple
    sigma: tuple
    fit_residual: float = 0.0
    label: str = ""
    fit_report: object = field(default=None, compare=False)

    def arrays(self):
        """(flux, mean, sigma) as float arrays [eV³, eV, eV]."""
        return (np.asarray(self.flux, float), np.asarray(self.mean, float),
                np.asarray(self.sigma, float))

    @property
    def total_flux(self):
        """Φ = Σ Φ_k [eV³]."""
        return float(np.sum(self.flux))

    @property
    def mean_energy(self):
        """Flux-weighted ⟨E⟩ [eV]."""
        f, m, _ = self.arrays()
        return float(f @ m / f.sum())

    @property
    def mean_inverse_energy(self):
        """Flux-weighted ⟨1/E⟩ [eV⁻¹], each component averaged with the same 64-node
        Gauss–Hermite rule that :func:`gaussian_profile_potential` integrates energies with."""
        f, m, s = self.arrays()
        x, w = _hermite_nodes(64)
        inv = (w / (m[:, None] + s[:, None] * x)).sum(1) / math.sqrt(2 * math.pi)
        return float(f @ inv / f.sum())

    def density(self, energy):
        """dΦ/dE of the representation at ``energy`` [eV] -> [eV²]."""
        f, m, s = self.arrays()
        e = np.asarray(energy, float)[..., None]
        return np.sum(f * np.exp(-0.5 * ((e - m) / s) ** 2) / (math.sqrt(2 * math.pi) * s), -1)

    def chi(self, t):
        """χ(t) = ∫ dE φ(E) E e^{iEt} [eV⁴] at path differences t [eV⁻¹] (complex)."""
        f, m, s = self.arrays()
        t = np.asarray(t, float)[..., None]
        return np.sum(f * (m + 1j * s**2 * t) * np.exp(1j * m * t - 0.5 * (s * t) ** 2), -1)


def line_spectrum(energy, flux, width=0.0):
    """A line of ``flux`` [eV³] at ``energy`` [eV] with Gaussian ``width`` σ [eV] (0: the
    monochromatic beam of eq. 4.1, whose χ(t) = Φ E e^{iEt} never decays)."""
    energy = float(positive("energy", energy, "line_spectrum", unit="eV"))
    width = float(positive("width", width, "line_spectrum", allow_zero=True, unit="eV"))
    return BeamSpectrum((float(flux),), (energy,), (width,), label=f"line {energy:.6g} eV")


def gaussian_beam_spectrum(flux, energy_mean, energy_sigma):
    """The Gaussian spectrum of eq. (C.3) as dΦ/dE = Φ₀ E² N(E; E₀, σ)/B (eqs. C.2, C.3).

    The E² factor times a Gaussian is not a Gaussian; this helper fits it (for E₀ ≥ 6σ) with
    Gaussian components like any continuum. flux Φ₀ [eV³], energy_mean E₀ [eV], energy_sigma
    σ_E [eV].
    """
    lo, hi = energy_mean - 7 * energy_sigma, energy_mean + 7 * energy_sigma
    if lo <= 0:
        raise ArgumentError("gaussian_beam_spectrum: needs energy_mean ≥ 7 energy_sigma")
    e = np.linspace(lo, hi, 2001)
    shape = e**2 * np.exp(-0.5 * ((e - energy_mean) / energy_sigma) ** 2)
    return fit_spectrum(e, shape * flux / np.trapezoid(shape, e), label="gaussian (C.3)")


SPACINGS = ("log", "linear")


def _component_inverse_energy(mean, sigma):
    """⟨1/E⟩ of each Gaussian component [eV⁻¹] with the 64-node Gauss–Hermite rule of
    :attr:`BeamSpectrum.mean_inverse_energy` (so a constraint on it is exact for that property)."""
    x, w = _hermite_nodes(64)
    return (w / (mean[:, None] + sigma[:, None] * x)).sum(1) / math.sqrt(2 * math.pi)


def fit_spectrum(energy, dphi_de, n_components=48, label="tabulated", *, spacing="log",
                 width_factor=0.85, start_quantile=None, constrain_moments=False, report=True):
    """Fit a tabulated continuum dΦ/dE [eV²] on ``energy`` [eV] (increasing) with Gaussians.

    Components: ``spacing="log"`` (default, for spectra spanning decades) log-spaced from the
    table's lowest energy with a positive value (at least 1e-4 × the top; or the energy below
    which a fraction ``start_quantile`` of the flux lies, if given) to its highest;
    ``spacing="linear"`` evenly spaced from the ``start_quantile`` (default 1e-4) energy to the
    top — better for one physical component (one β spectrum: the Sun's pp, ⁸B, ...). Widths
    σ_k = ``width_factor`` × the spacing of neighbours, capped at μ_k/4.5. Non-negative least
    squares on the table grid (rows weighted by the grid spacing: the L2 norm of the integral);
    with ``constrain_moments`` (off by default, which keeps earlier fits bit-identical) two heavily weighted rows make the fit reproduce the table's Φ
    and Φ⟨1/E⟩ (the weight of the near-field formulas and of the wake kernel's integral) to
    ~1e-7; the weights are then rescaled so that the total flux is exact (trapezoid on the
    table). ``report``: attach :func:`spectrum_fit_report` against the table (kernel a(w) by
    Gauss–Hermite, no kernel table) as ``fit_report``.

    Notes
    -----
    Measured (tests/physics/test_spectrum_fit.py): the Sun's components with 32 linear
    components each reproduce a(w) to < 1e-3 of a(0) (pp 8e-4, the √ edge of its endpoint);
    reactor and supernova spectra with 48 log components to < 1e-4.
    """
    choice("spacing", spacing, SPACINGS, "fit_spectrum")
    e = np.asarray(energy, float)
    y = np.asarray(dphi_de, float)
    if e.ndim != 1 or e.shape != y.shape or e.size < 8 or np.any(np.diff(e) <= 0):
        raise ArgumentError("fit_spectrum: energy must be increasing, same length as dphi_de, "
                            "≥ 8 points")
    if np.any(y < 0) or not np.any(y > 0):
        raise ArgumentError("fit_spectrum: dphi_de must be ≥ 0 and not all zero")
    support = e[y > 0]
    hi = support[-1]
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(e))])
    q = start_quantile if start_quantile is not None else (1e-4 if spacing == "linear" else None)
    lo = max(support[0], e[-1] * 1e-4)
    if q is not None:
        lo = max(lo, float(np.interp(q * cum[-1], cum, e)))
    if spacing == "log":
        ratio = (hi / lo) ** (1 / max(n_components - 1, 1))
        mu = lo * ratio ** np.arange(n_components)
        sig = np.minimum(width_factor * mu * (ratio - 1), mu / 4.5)
    else:
        mu = np.linspace(lo, hi, n_components)
        sig = np.minimum(width_factor * (hi - lo) / max(n_components - 1, 1), mu / 4.5)
    basis = np.exp(-0.5 * ((e[:, None] - mu) / sig) ** 2) / (math.sqrt(2 * math.pi) * sig)
    # weight rows by the local grid spacing so the fit is in the L2 sense of the integral
    w = np.sqrt(np.gradient(e))
    rows, rhs = basis * w[:, None], y * w
    total = float(cum[-1])
    reference = TabulatedSpectrum(e, y)
    if constrain_moments:
        inv_total = reference.mean_inverse_energy * total
        if not np.isfinite(inv_total):
            raise ArgumentError("fit_spectrum: dphi_de is non-zero at E = 0, so ⟨1/E⟩ diverges; "
                                "start the table at the spectrum's threshold or pass "
                                "constrain_moments=False")
        big = 1e3 * float(np.linalg.norm(rhs))
        rows = np.vstack([rows, big * np.ones(mu.size) / total,
                          big * _component_inverse_energy(mu, sig) / inv_total])
        rhs = np.concatenate([rhs, [big, big]])
    coef, _ = scipy.optimize.nnls(rows, rhs, maxiter=50 * n_components)
    model = basis @ coef
    resid = float(np.sqrt(np.trapezoid((model - y) ** 2, e) / np.trapezoid(y**2, e)))
    coef *= total / coef.sum()
    keep = coef > 0
    spec = BeamSpectrum(tuple(coef[keep]), tuple(mu[keep]), tuple(sig[keep]), resid, label)
    if report:
        spec = dataclasses.replace(spec, fit_report=spectrum_fit_report(spec, reference,
                                                                        kernel_table=False))
    return spec


def combine(*spectra, label=""):
    """Sum of beam spectra (e.g. continuum + lines) along the same direction."""
    f = np.concatenate([s.arrays()[0] for s in spectra])
    m = np.concatenate([s.arrays()[1] for s in spectra])
    s_ = np.concatenate([s.arrays()[2] for s in spectra])
    return BeamSpectrum(tuple(f), tuple(m), tuple(s_),
                        max(s.fit_residual for s in spectra), label or " + ".join(
                            s.label for s in spectra))


@dataclass(frozen=True)
class TabulatedSpectrum:
    """A tabulated spectrum as the reference a Gaussian fit is judged against.

    energy (n,) [eV] increasing, ≥ 0; dphi_de (n,) [eV²] ≥ 0, linearly interpolated between the
    nodes (zero outside); lines: tuple of (energy [eV], flux [eV³]) treated as exact lines.
    Every moment below is exact for this piecewise-linear interpolant (closed forms per
    segment), so the reference's only error is the table's own.
    """

    energy: np.ndarray
    dphi_de: np.ndarray
    lines: tuple = ()

    def _segments(self):
        e, y = np.asarray(self.energy, float), np.asarray(self.dphi_de, float)
        slope = np.diff(y) / np.diff(e)
        return e, y, slope, y[:-1] - slope * e[:-1]

    @property
    def total_flux(self):
        """Φ = ∫ φ dE + Σ lines [eV³]."""
        e, y = np.asarray(self.energy, float), np.asarray(self.dphi_de, float)
        return float(np.trapezoid(y, e) + sum(f for _, f in self.lines))

    @property
    def mean_inverse_energy(self):
        """⟨1/E⟩ [eV⁻¹] (∫ (A + BE)/E dE = A ln(E₂/E₁) + B(E₂ − E₁) per segment); infinite if
        φ(0) > 0."""
        e, y, slope, icpt = self._segments()
        lo = e[:-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(lo > 0, np.log(e[1:] / np.where(lo > 0, lo, 1.0)), np.inf)
            part = np.where(np.abs(icpt) > 0, icpt * logs, 0.0) + slope * np.diff(e)
        total = float(part.sum() + sum(f / en for en, f in self.lines))
        return total / self.total_flux

    def kernel_a(self, w):
        """a(w) = (1/Φ) ∫ dE φ(E) [π/2 − Si(E w)] [1] at w (m,) [eV⁻¹] (wake_kernel's a).

        Per segment φ = A + B E and, with g(x) = π/2 − Si(x),
        ∫ g(Ew) dE = E g(Ew) − cos(Ew)/w,
        ∫ E g(Ew) dE = (E²/2) g(Ew) + [sin(Ew)/w² − E cos(Ew)/w]/2.
        """
        w = np.atleast_1d(np.asarray(w, float))
        e, y, slope, icpt = self._segments()
        out = np.full(w.shape, 0.5 * math.pi)
        pos = w > 0
        wp = w[pos][None, :]
        x = e[:, None] * wp
        si, _ = scipy.special.sici(x)
        g = 0.5 * math.pi - si
        cos, sin = np.cos(x), np.sin(x)
        f0 = e[:, None] * g - cos / wp
        f1 = 0.5 * e[:, None] ** 2 * g + 0.5 * (sin / wp**2 - e[:, None] * cos / wp)
        cont = (icpt[:, None] * np.diff(f0, axis=0) + slope[:, None] * np.diff(f1, axis=0)).sum(0)
        for en, f in self.lines:
            cont = cont + f * (0.5 * math.pi - scipy.special.sici(en * w[pos])[0])
        out[pos] = cont / self.total_flux
        return out

    def w_grid(self, n=400):
        """A w grid [eV⁻¹] spanning the kernel: 0, then log-spaced from 0.01/E_max to
        300/E_min (E_min the energy above which 99.9 % of the flux lies)."""
        e, y = np.asarray(self.energy, float), np.asarray(self.dphi_de, float)
        energies = [e[y > 0].max() if np.any(y > 0) else 0.0] + [en for en, _ in self.lines]
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(e))])
        points = [(en, f) for en, f in self.lines]
        if cum[-1] > 0:
            points.append((float(np.interp(1e-3 * cum[-1], cum, e)), cum[-1]))
        e_lo = min(en for en, _ in points)
        return np.concatenate([[0.0], np.geomspace(0.01 / max(energies), 300 / e_lo, n - 1)])


def spectrum_fit_report(spectrum, reference, w=None, kernel_table=True):
    """Errors of a BeamSpectrum against its TabulatedSpectrum reference, for what the
    estimators use: Φ, ⟨1/E⟩ and the surface kernel a(w) (:mod:`nusim.physics.wake_kernel`).

    Returns a read-only mapping: ``flux_rel_error`` (fit/ref − 1), ``mean_inverse_energy_rel_error``
    (``spectrum.mean_inverse_energy``, the Gauss–Hermite value the near-field formulas use),
    ``kernel_mean_inverse_energy_rel_error`` (the kernel table's ∫a dw, used by the wake
    estimator), ``kernel_max_error`` = max_w |a_fit(w) − a_ref(w)|/a(0) on ``w`` (default
    ``reference.w_grid()``), ``kernel_error_at_w`` [eV⁻¹] where that maximum is, and
    ``density_l2_residual`` (``spectrum.fit_residual``). With ``kernel_table=False`` the fit's
    a(w) is computed directly from the components (no table; the table agrees to ~1e-6).
    """
    from nusim.physics import wake_kernel

    w = reference.w_grid() if w is None else np.asarray(w, float)
    ref_a = reference.kernel_a(w)
    ref_inv = reference.mean_inverse_energy
    if kernel_table:
        table = wake_kernel.surface_kernel_table(spectrum)
        fit_a = wake_kernel.a_function(w, table)
        table_inv = table.mean_inverse_energy
    else:
        fit_a = gaussian_kernel_a(w, spectrum)
        table_inv = spectrum.mean_inverse_energy
    diff = np.abs(fit_a - ref_a) / (0.5 * math.pi)
    j = int(np.argmax(diff))
    return MappingProxyType({
        "flux_rel_error": spectrum.total_flux / reference.total_flux - 1,
        "mean_inverse_energy_rel_error": spectrum.mean_inverse_energy / ref_inv - 1,
        "kernel_mean_inverse_energy_rel_error": table_inv / ref_inv - 1,
        "kernel_max_error": float(diff[j]),
        "kernel_error_at_w": float(w[j]),
        "density_l2_residual": float(spectrum.fit_residual),
    })


def gaussian_kernel_a(w, spectrum, n_nodes=64):
    """a(w) of a Gaussian-component spectrum by Gauss–Hermite quadrature of π/2 − Si(E w) per
    component (components with σ w > 8 contribute e^{−32}: set to 0, as in the kernel table;
    lines evaluated at their energy) [1]; w (m,) [eV⁻¹]."""
    w = np.atleast_1d(np.asarray(w, float))
    f, m, s = spectrum.arrays()
    x, wt = _hermite_nodes(n_nodes)
    wt = wt / math.sqrt(2 * math.pi)
    out = np.zeros(w.shape)
    for fk, mk, sk in zip(f, m, s):
        e = mk + sk * x
        val = ((0.5 * math.pi - scipy.special.sici(np.outer(w, e))[0]) * wt).sum(1)
        out += fk * np.where(sk * w > 8, 0.0, val)
    return out / f.sum()


def path_differences(r_vec, k_hat):
    """(r, z, Δ₋, Δ₊) for pair vectors r_vec (n, 3) [eV⁻¹] and unit direction k_hat (3,).

    Δ₋ = r − r·k̂ and Δ₊ = r + r·k̂ [eV⁻¹], each computed without cancellation as
    |r × k̂|²/(r ± z) on the side where r ± z is not small.
    """
    r_vec = np.atleast_2d(np.asarray(r_vec, float))
    k = np.asarray(k_hat, float) / np.linalg.norm(k_hat)
    r = np.linalg.norm(r_vec, axis=1)
    z = r_vec @ k
    rho2 = np.sum(np.cross(r_vec, k) ** 2, axis=1)
    d_minus = np.where(z > 0, rho2 / np.where(z > 0, r + z, 1.0), r - z)
    d_plus = np.where(z < 0, rho2 / np.where(z < 0, r - z, 1.0), r + z)
    return r, z, d_minus, d_plus


def point_source_potential(r_vec, k_hat, spectrum, kernel="symmetric"):
    """Long-distance beam potential per G_F² g₁g₂ for one direction of travel, any spectrum.

    Implements eq. (4.12) of [1] summed over the spectrum as in eq. (C.9) (see module
    docstring); ``kernel="retarded"`` uses the wake kernel of design note §7 with r pointing from
    the scattering body to the body that feels the force. numpy reference implementation (the
    numba twin is ``nusim.engine.kernels.beam_point_potential``).

    Parameters
    ----------
    r_vec : (n, 3) array, pair vectors [eV⁻¹], |r| E ≫ 1
    k_hat : (3,) array, unit direction of travel of the beam
    spectrum : BeamSpectrum
    kernel : {"symmetric", "retarded"}

    Returns
    -------
    (n,) array, V/(G_F² g₁g₂) [eV⁵]
    """
    choice("kernel", kernel, KERNELS, "point_source_potential")
    r, z, d_minus, d_plus = path_differences(r_vec, k_hat)
    cos_a = z / r
    if kernel == "retarded":
        return -(1 + cos_a) * spectrum.chi(d_minus).real / (math.pi * r)
    return -(0.5 * (1 + cos_a) * spectrum.chi(d_minus).real
             + 0.5 * (1 - cos_a) * spectrum.chi(d_plus).real) / (math.pi * r)


def gaussian_profile_factor(energy, a, tau):
    """Paraxial average of e^{iEΔ₋} over a Gaussian profile near the forward axis:
    e^{iEA/(1 − iEτ)}/(1 − iEτ).

    energy E [eV]; a = A = ρ²/(2z) [eV⁻¹]; tau = τ = zσ² [eV⁻¹], z > 0; broadcast -> complex [1].
    Derivation: for k̂ = k̂₀ + δ, δ ~ N(0, σ²1₂), Δ₋(δ) = Δ₀ − s·δ + zδ²/2 + O(rδ³) with s the
    transverse part of r; the complex Gaussian integral gives
    e^{iEΔ₀ − E²σ²ρ²/(2(1 − iEτ))}/(1 − iEτ), which for z > 0 equals the form above times
    e^{−iE(r − z)²/(2z)}; that last phase only reflects the tangent-plane approximation (the
    exact Δ₋ vanishes at k̂ ∥ r̂) and is dropped, see :func:`_profile_factor`.
    On the axis (A = 0) its real part is 1/(1 + (Ezσ²)²), design note §4.
    """
    d = 1 - 1j * energy * tau
    return np.exp(1j * energy * a / d) / d


def _profile_factor(energy, z, rho2, d_minus, sigma):
    """⟨e^{iEΔ₋}⟩ over the Gaussian profile for pairs on either side (z ≷ 0) [complex].

    Forward side (z > 0): the exact Δ₋ = 2r sin²(γ/2) depends only on the angle γ between k̂
    and r̂, so the average is done in the tangent plane with Δ = (c/2)|δ − δ_r|², centred on the
    pair direction δ_r (Δ = 0 there, as exactly) and with c = 2z²/(r + z) so that Δ(δ = 0) is the
    exact Δ₋ (c → r on the axis). A constant phase error here would not be harmless: since
    ∫₀^∞ Im χ dt = Φ ≠ 0 it would leak into the result at O(phase × Φ/r). Backward side (z ≤ 0):
    the profile only damps e^{iEΔ₋} by exp(−E²σ²ρ²/2(1 − iEzσ²)) (general complex Gaussian).
    """
    fwd = z > 0
    zpos = np.where(fwd, z, 1.0)
    r = np.sqrt(z**2 + rho2)
    c = 2 * zpos**2 / (r + zpos)
    g_fwd = gaussian_profile_factor(energy, d_minus, c * sigma**2)
    d = 1 - 1j * energy * z * sigma**2
    g_gen = np.exp(1j * energy * d_minus - energy**2 * sigma**2 * rho2 / (2 * d)) / d
    return np.where(fwd, g_fwd, g_gen)


@functools.lru_cache(maxsize=8)
def _hermite_nodes(n):
    """Probabilists' Gauss–Hermite nodes and weights (cached: they are constants)."""
    return np.polynomial.hermite_e.hermegauss(n)


@functools.lru_cache(maxsize=8)
def _legendre_nodes(n):
    """Gauss–Legendre nodes and weights on [−1, 1] (cached: they are constants)."""
    return np.polynomial.legendre.leggauss(n)


def _component_profile_average(weight, mu, sig, z, rho2, d_minus, sigma, n_gh=64, n_gl=2048):
    """weight × Re ∫ dE N(E; μ, σ_k) E ⟨e^{iEΔ₋}⟩ for pair arrays z, rho2, d_minus (n,) [eV⁻¹].

    A line (σ_k = 0) is evaluated at its energy. Otherwise, with phase slope |dψ/dE| estimated
    at μ (A(1 − μ²τ²)/(1 + μ²τ²)² near the forward axis, Δ₋ elsewhere): where the component's
    range μ ± 8σ_k holds no stationary point (μτ = 1) and σ_k|ψ'| > 25 the integral is below
    e^{−300} of the component and is set to 0; where σ_k|ψ'| ≤ 25, 64-node Gauss–Hermite is exact
    to round-off; with a stationary point in range, composite Gauss–Legendre (2048 nodes, μ ± 8σ).
    """
    if sig == 0:
        return weight * mu * _profile_factor(mu, z, rho2, d_minus, sigma).real
    out = np.zeros(z.shape)
    fwd = z > 0
    zpos = np.where(fwd, z, 1.0)
    tau = 2 * zpos**2 / (np.sqrt(z**2 + rho2) + zpos) * sigma**2
    a = d_minus
    with np.errstate(over="ignore", invalid="ignore"):
        slope = np.where(fwd, np.abs(a * (1 - (mu * tau) ** 2) / (1 + (mu * tau) ** 2) ** 2),
                         d_minus)
    stationary = fwd & (tau > 0) & (np.abs(1 / np.where(tau > 0, tau, 1.0) - mu) < 8 * sig)
    use_gh = ~stationary & (sig * slope <= 25)
    for mask, rule in ((use_gh, "gh"), (stationary, "gl")):
        if not mask.any():
            continue
        x, w = _hermite_nodes(n_gh) if rule == "gh" else _legendre_nodes(n_gl)
        if rule == "gh":
            e = mu + sig * x
            dens = w / math.sqrt(2 * math.pi)
        else:
            e = mu + 8 * sig * x
            dens = np.exp(-0.5 * (8 * x) ** 2) / math.sqrt(2 * math.pi) * 8 * w
        g = _profile_factor(e[None, :], z[mask, None], rho2[mask, None], d_minus[mask, None],
                            sigma)
        out[mask] = (g * (dens * e)).real.sum(1)
    return weight * out


def gaussian_profile_potential(r_vec, k_hat, sigma, spectrum, kernel="symmetric"):
    """Beam potential per G_F² g₁g₂ averaged over a Gaussian angular profile (σ per axis), for
    any E r σ² (the reference path; vectorised numpy).

    Implements eq. (4.12) of [1] averaged over the spectrum (eq. C.9) and over directions
    k̂ ≈ k̂₀ + δ, δ ~ N(0, σ²1₂) (paraxial: σ ≪ 1), using the closed-form profile average of
    e^{iEΔ} (:func:`gaussian_profile_factor`) for both path differences and a numerical energy
    integral per Gaussian component of the spectrum (:func:`_component_profile_average`). The
    weights cos²(α/2), sin²(α/2) are taken at k̂₀ (their variation is O(σ²)).

    Parameters
    ----------
    r_vec : (n, 3) [eV⁻¹]; k_hat : (3,) mean direction; sigma : profile width [rad] per axis
    spectrum : BeamSpectrum; kernel : {"symmetric", "retarded"}

    Returns
    -------
    (n,) array, V/(G_F² g₁g₂) [eV⁵]; σ = 0 gives :func:`point_source_potential`.
    """
    choice("kernel", kernel, KERNELS, "gaussian_profile_potential")
    sigma = float(positive("sigma", sigma, "gaussian_profile_potential", allow_zero=True,
                           unit="rad"))
    r_vec = np.atleast_2d(np.asarray(r_vec, float))
    k = np.asarray(k_hat, float) / np.linalg.norm(k_hat)
    r, z, d_minus, d_plus = path_differences(r_vec, k)
    rho2 = np.sum(np.cross(r_vec, k) ** 2, axis=1)
    f, mu, sg = spectrum.arrays()

    def average(zz, dd):
        return sum(_component_profile_average(fk, mk, sk, zz, rho2, dd, sigma)
                   for fk, mk, sk in zip(f, mu, sg))

    cos_a = z / r
    fwd = average(z, d_minus)
    if kernel == "retarded":
        return -(1 + cos_a) * fwd / (math.pi * r)
    bwd = average(-z, d_plus)
    return -(0.5 * (1 + cos_a) * fwd + 0.5 * (1 - cos_a) * bwd) / (math.pi * r)


def smooth_profile_potential(r_vec, laplacian_forward, laplacian_backward, spectrum,
                             kernel="symmetric"):
    """Beam potential per G_F² g₁g₂ for a smooth extended profile, E r θ² ≫ 1 (near field).

    V_ret = (2/r³) Φ⟨1/E⟩ ∇²p(r̂),  V_sym = (1/r³) Φ⟨1/E⟩ [∇²p(r̂) + ∇²p(−r̂)]
    (module docstring; design note §4: only curvature of the profile survives, weight ⟨1/E⟩).

    Parameters
    ----------
    r_vec : (n, 3) [eV⁻¹]
    laplacian_forward : (n,) array, angular Laplacian of the profile density p [sr⁻¹ rad⁻²]
        at the direction r̂ (so at k̂ ∥ r̂: the forward needle)
    laplacian_backward : (n,) array, the same at −r̂ (backward needle; symmetric kernel only)
    spectrum : BeamSpectrum; kernel : {"symmetric", "retarded"}

    Returns
    -------
    (n,) array, V/(G_F² g₁g₂) [eV⁵]
    """
    choice("kernel", kernel, KERNELS, "smooth_profile_potential")
    r = np.linalg.norm(np.atleast_2d(r_vec), axis=1)
    scale = spectrum.total_flux * spectrum.mean_inverse_energy / r**3
    if kernel == "retarded":
        return 2 * scale * np.asarray(laplacian_forward)
    return scale * (np.asarray(laplacian_forward) + np.asarray(laplacian_backward))


def gaussian_profile_laplacian(theta, sigma):
    """∇²p for the Gaussian profile p = e^{−θ²/2σ²}/(2πσ²) at angle θ [rad] from k̂₀ [sr⁻¹ rad⁻²]:
    p (θ²/σ⁴ − 2/σ²)."""
    p = np.exp(-0.5 * (theta / sigma) ** 2) / (2 * math.pi * sigma**2)
    return p * (theta**2 / sigma**4 - 2 / sigma**2)


def radial_profile_laplacian(theta, theta_table, density_table):
    """∇²p = p'' + p'/θ of an axisymmetric profile p(θ) given as a table [sr⁻¹ rad⁻²].

    theta [rad] where to evaluate; theta_table (m,) increasing from 0, density_table (m,) the
    density per solid angle normalised to ∫p dΩ = 1 (small-angle). Derivatives by second-order
    finite differences on the table, linearly interpolated; p'/θ → p''(0) at θ = 0.
    """
    th = np.asarray(theta_table, float)
    p = np.asarray(density_table, float)
    d1 = np.gradient(p, th)
    d2 = np.gradient(d1, th)
    with np.errstate(divide="ignore", invalid="ignore"):
        lap = d2 + np.where(th > 0, d1 / np.where(th > 0, th, 1.0), d2)
    return np.interp(np.asarray(theta, float), th, lap, right=0.0)


def disk_rim_potential(r_vec, k_hat, radius, spectrum, kernel="symmetric", n_nodes=64):
    """Beam potential per G_F² g₁g₂ for a uniform disk profile of angular radius θ₀, near field.

    Inside or outside a uniform disk the density has no curvature, so the near-field needle
    (angular width (E r)^{-1/2}) only survives within a few widths of the rim. There the rim is
    straight on the needle's scale and the needle average over the half plane {η·n < d} (d the
    signed angular distance of r̂ inside the rim) is, with D = d √(E r/π),
        ⟨Re χ(Δ₋)⟩ = p₀ Re ∫ dE φ(E) E (π√2/(E r)) e^{iπ/4} [(1 + i)/2 + C(D) + i S(D)],
    p₀ = 1/(2π(1 − cos θ₀)) and C, S the Fresnel integrals (scipy.special.fresnel); it vanishes
    deep inside (the Abel limit ∫₀^∞ Re χ = 0) and far outside. Each Gaussian energy component is
    integrated with ``n_nodes`` Gauss–Hermite nodes (lines exactly). Rim curvature (relative
    O((E r)^{-1/2}/θ₀)) is neglected. r_vec (n, 3) [eV⁻¹], k_hat (3,), radius θ₀ [rad] ->
    (n,) V/(G_F² g₁g₂) [eV⁵].
    """
    import scipy.special

    choice("kernel", kernel, KERNELS, "disk_rim_potential")
    r_vec = np.atleast_2d(np.asarray(r_vec, float))
    k = np.asarray(k_hat, float) / np.linalg.norm(k_hat)
    r = np.linalg.norm(r_vec, axis=1)
    cos_a = np.clip(r_vec @ k / r, -1, 1)
    p0 = 1 / (2 * math.pi * (1 - math.cos(radius)))
    f, mu, sg = spectrum.arrays()
    x, w = _hermite_nodes(n_nodes)
    w = w / math.sqrt(2 * math.pi)

    def rim(beta):
        d = radius - beta
        acc = np.zeros(r.size)
        for fk, mk, sk in zip(f, mu, sg):
            e = np.array([mk]) if sk == 0 else mk + sk * x
            we = np.array([1.0]) if sk == 0 else w
            dd = d[:, None] * np.sqrt(e[None, :] * r[:, None] / math.pi)
            s_f, c_f = scipy.special.fresnel(dd)
            val = (math.pi * math.sqrt(2) / r[:, None]) * np.exp(1j * math.pi / 4) * (
                (1 + 1j) / 2 + c_f + 1j * s_f)
            acc += fk * (val.real * we).sum(1)
        return p0 * acc

    fwd = rim(np.arccos(cos_a))
    if kernel == "retarded":
        return -(1 + cos_a) * fwd / (math.pi * r)
    bwd = rim(math.pi - np.arccos(cos_a))
    return -(0.5 * (1 + cos_a) * fwd + 0.5 * (1 - cos_a) * bwd) / (math.pi * r)
