"""Why the realistic neutrino force is smaller than the paper's α = 0 estimate: a chain of
idealisations for one source → target pair, each step lifting one of them.

For the pair's centres (point bodies with the bodies' total weak charges Q₁, Q₂, in J):

U₀  the α = 0 estimate of the paper, −G_F²Φ⟨E⟩Q₁Q₂/(πD) (eq. 5.3, as figure 5 and eq. D.7);
U₁  the retarded point-pair energy at the real angle α between the pair and the beam, for a
    line at ⟨E⟩ (eq. 4.12, retarded kernel of design note §7): the wake's direction and the
    phase (1 − cos α)E r of eq. 4.13;
then, for the same point pair, the factor of the source's spectrum (eq. C.9: the energy spread
of eq. 4.14) and of its angular size (eq. 4.14's angular spread), in log₁₀ (for lab pairs
Δ(E r) ~ 1e12 and both are astronomically small: the 1/r term cannot survive, as the paper
says);
the factor of the bodies' size (Fresnel): the same 1/r term averaged over two *smooth* bodies,
    Gaussian mass profiles with the real bodies' transverse variances s₁², s₂² (no edges):
    a transverse offset ρ of variance σ² = s₁² + s₂² per axis changes the phase E(r − r·k̂)
    ≈ E|ρ₀ + ρ|²/(2z) (paraxial), and its Gaussian average is e^{iEA/(1−iEτ)}/(1−iEτ) with
    A = |ρ₀|²/(2z) the centres' path difference and τ = σ²/z: a factor 1/√(1 + N_F²) on the
    axis, N_F = Eσ²/z the Fresnel number (the same form as the source's angular size, whose τ
    is zθ²/2 per axis; the two blurs add in τ, and the smooth-body product uses their sum);
the edges: U₄, the Monte Carlo energy of the real bodies in the real beam (surface estimators),
    is what does survive — the wake of the bodies' edges (design note §3). Its ratio to the
    smooth-body product U₁ × spectrum × blur is the edges' factor: how much the sharp edges
    give back of what the smooth bulk loses (for lab bodies, hundreds of orders of magnitude).

A pair whose target lies upstream has U₄ = 0 exactly (causality): the wake's direction kills it.

Units: SI at the boundary (J); the point-pair potentials per G_F² g₁g₂ [eV⁵] come from
:mod:`nusim.physics.beam`.
"""

import math

import numpy as np

from nusim import units
from nusim.physics import beam as _beam


def point_pair_chain(source, target, bm, charge):
    """The idealisation chain of two Bodies' centres in a DirectionalBeam (module docstring).

    Returns {"U0_J", "U1_J"} (the α = 0 estimate and the monochromatic retarded point pair at ⟨E⟩
    and the real angle [J]) and log₁₀ factors: "spectrum_log10" ≤ log₁₀(Σ_k |χ_k(Δ₋)| / Φ⟨E⟩)
    (the spectrum's envelope at the pair's path difference Δ₋ = r − r·k̂; exact for one Gaussian
    component, an upper bound otherwise: eq. C.9 with Gaussian components, eq. 4.14), and
    "source_log10" = log₁₀ |e^{iEA/(1−iEτ)}/(1−iEτ)| at E = ⟨E⟩, A = Δ₋, τ = zσ², σ the source's
    rms radius/√2 per axis (the Gaussian-profile average of
    :func:`nusim.physics.beam.gaussian_profile_factor`, paraxial; 0 for a point source). Both
    are computed in logarithms: for lab pairs they are far below the smallest float.
    ``charge``: "e" or "mu" (the charges of the beam's flavour channel)."""
    from nusim.engine import nearfield
    from nusim.engine.directional import naive_energy_J

    q1 = source.mass_kg * source.material.charges_per_kg.of(charge)
    q2 = target.mass_kg * target.material.charges_per_kg.of(charge)
    r_vec = units.m_to_inv_eV(np.asarray(target.centre_of_mass_m, float)
                              - np.asarray(source.centre_of_mass_m, float))[None, :]
    sp = bm.spectrum
    line = _beam.line_spectrum(sp.mean_energy, sp.total_flux)
    v1 = _beam.point_source_potential(r_vec, bm.k_hat, line, kernel="retarded")
    u1 = float(units.eV_to_J(units.G_F**2 * q1 * q2 * float(v1[0])))
    _, z, d_minus, _ = _beam.path_differences(r_vec, bm.k_hat)
    t = float(d_minus[0])
    f, m, sg = sp.arrays()
    ln_terms = np.log(f) + 0.5 * np.log(m**2 + (sg**2 * t) ** 2) - 0.5 * (sg * t) ** 2
    top = float(ln_terms.max())
    spectrum_log10 = (top + math.log(np.exp(ln_terms - top).sum())
                      - math.log(sp.total_flux * sp.mean_energy)) / math.log(10)
    theta = nearfield.rms_angle_rad(bm) if nearfield.supports(bm) else 0.0
    source_log10 = 0.0 if float(z[0]) > 0 else None      # None: target upstream, no 1/r term
    if theta > 0 and float(z[0]) > 0:
        source_log10 = _blur_log10(sp.mean_energy, t, float(z[0]) * (theta / math.sqrt(2))**2)
    u0 = naive_energy_J(source, target, bm, charge)
    tau_src = float(z[0]) * (theta / math.sqrt(2)) ** 2 if theta > 0 else 0.0
    fresnel_log10 = n_fresnel = smooth_log10 = None
    if float(z[0]) > 0:
        sigma2 = units.m_to_inv_eV(1.0) ** 2 * (transverse_variance_m2(source, bm.k_hat)
                                                 + transverse_variance_m2(target, bm.k_hat))
        tau_body = sigma2 / float(z[0])
        n_fresnel = sp.mean_energy * tau_body
        fresnel_log10 = _blur_log10(sp.mean_energy, t, tau_body)
        if u1 != 0 and u0 != 0:
            smooth_log10 = (math.log10(abs(u1 / u0)) + float(spectrum_log10)
                            + _blur_log10(sp.mean_energy, t, tau_src + tau_body))
    return {"U0_J": u0, "U1_J": u1,
            "spectrum_log10": float(spectrum_log10), "source_log10": source_log10,
            "fresnel_log10": fresnel_log10, "fresnel_number": n_fresnel,
            "smooth_log10": smooth_log10}


def _blur_log10(e, a, tau):
    """log₁₀ |e^{iEA/(1−iEτ)}/(1−iEτ)| (module docstring) for E [eV], A, τ [eV⁻¹]."""
    x = (e * tau) ** 2
    return -(e * e * a * tau) / (1 + x) / math.log(10) - 0.5 * math.log10(1 + x)


def transverse_variance_m2(body, k_hat, n=4096):
    """The body's mass variance per transverse axis about its centre of mass [m²]: the mean of
    the two variances perpendicular to the beam direction ``k_hat`` (a fixed Sobol
    quadrature; for a sphere of radius a it is a²/5)."""
    from nusim.geometry.bodies import sample_body

    k = np.asarray(k_hat, float) / np.linalg.norm(k_hat)
    pts = sample_body(body, n, np.random.default_rng(2024), method="sobol").positions_m
    d = pts - pts.mean(axis=0)
    d_perp = d - np.outer(d @ k, k)
    return float((d_perp**2).sum(axis=1).mean() / 2)


def factor_text(num, den):
    """log₁₀ |num/den| as text, or why there is none ('0: upstream', '—')."""
    if den == 0:
        return "—"
    if num == 0:
        return "0"
    return f"{math.log10(abs(num / den)):+.1f}"
