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
[1] M. Ghosh et al., JHEP 02 (2023) 028, arXiv:2209.07082, eqs. (4.12), (4.14), (C.9).
[2] nusim design note (shared/design/directional-force-between-bodies.md) §1, §3, §4, §7.
"""

import functools
import math
from dataclasses import dataclass

import numpy as np
import scipy.optimize

from nusim.physics._checks import choice, positive

KERNELS = ("symmetric", "retarded")


@dataclass(frozen=True)
class BeamSpectrum:
    """A beam spectrum as Gaussian components: flux_k [eV³], mean_k [eV], sigma_k [eV].

    ``fit_residual`` is the relative L2 residual of the fit to a tabulated continuum (0 for
    lines and analytic Gaussians); ``label`` says what was fitted.
    """

    flux: tuple
    mean: tuple
    sigma: tuple
    fit_residual: float = 0.0
    label: str = ""

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
        raise ValueError("gaussian_beam_spectrum: needs energy_mean ≥ 7 energy_sigma")
    e = np.linspace(lo, hi, 2001)
    shape = e**2 * np.exp(-0.5 * ((e - energy_mean) / energy_sigma) ** 2)
    return fit_spectrum(e, shape * flux / np.trapezoid(shape, e), label="gaussian (C.3)")


def fit_spectrum(energy, dphi_de, n_components=48, label="tabulated"):
    """Fit a tabulated continuum dΦ/dE [eV²] on ``energy`` [eV] (increasing) with Gaussians.

    Components are log-spaced from the table's lowest energy with a positive value to its
    highest; σ_k = 0.85 × the spacing of neighbours, capped at μ_k/4.5. Non-negative least squares
    on the table grid; the weights are then rescaled so that the total flux is exact.
    """
    e = np.asarray(energy, float)
    y = np.asarray(dphi_de, float)
    if e.ndim != 1 or e.shape != y.shape or e.size < 8 or np.any(np.diff(e) <= 0):
        raise ValueError("fit_spectrum: energy must be increasing, same length as dphi_de, ≥ 8 points")
    if np.any(y < 0) or not np.any(y > 0):
        raise ValueError("fit_spectrum: dphi_de must be ≥ 0 and not all zero")
    support = e[y > 0]
    lo, hi = max(support[0], e[-1] * 1e-4), support[-1]
    ratio = (hi / lo) ** (1 / max(n_components - 1, 1))
    mu = lo * ratio ** np.arange(n_components)
    sig = np.minimum(0.85 * mu * (ratio - 1), mu / 4.5)
    basis = np.exp(-0.5 * ((e[:, None] - mu) / sig) ** 2) / (math.sqrt(2 * math.pi) * sig)
    # weight rows by the local grid spacing so the fit is in the L2 sense of the integral
    w = np.sqrt(np.gradient(e))
    coef, _ = scipy.optimize.nnls(basis * w[:, None], y * w, maxiter=50 * n_components)
    total = np.trapezoid(y, e)
    model = basis @ coef
    resid = float(np.sqrt(np.trapezoid((model - y) ** 2, e) / np.trapezoid(y**2, e)))
    coef *= total / coef.sum()
    keep = coef > 0
    return BeamSpectrum(tuple(coef[keep]), tuple(mu[keep]), tuple(sig[keep]), resid, label)


def combine(*spectra, label=""):
    """Sum of beam spectra (e.g. continuum + lines) along the same direction."""
    f = np.concatenate([s.arrays()[0] for s in spectra])
    m = np.concatenate([s.arrays()[1] for s in spectra])
    s_ = np.concatenate([s.arrays()[2] for s in spectra])
    return BeamSpectrum(tuple(f), tuple(m), tuple(s_),
                        max(s.fit_residual for s in spectra), label or " + ".join(
                            s.label for s in spectra))


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
