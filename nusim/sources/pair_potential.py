"""The smeared long-distance pair potential of a source: spectrum × angular profile, per g₁g₂.

The physics is in :mod:`nusim.physics.beam` (eq. 4.12 averaged over the spectrum as in eq. C.9
and over the angular profile); this module takes a source (SI boundary: MeV, cm⁻² s⁻¹, metres,
UTC) and pair vectors in metres, builds the beam spectrum and the profile's Gaussian components,
and picks the method per component:

* σ = 0 (point profile): the exact kernel (numba ``beam_point_potential``);
* σ > 0 with E r σ² ≫ 1 for every pair (τ = r_min σ² ≥ 1e3 ⟨1/E⟩): the near-field curvature
  formula (numba ``beam_gaussian_profile_near_field``), accurate to O(1/(E r σ²)) ≤ 1e-3;
* otherwise: the exact paraxial Gaussian average (numpy reference, slower);
* uniform disk: the rim (Fresnel straight-edge) formula, the only near-field contribution of a
  profile without curvature (numpy);
* radial table (the Sun's production region): the near-field curvature formula with the
  table's Laplacian (requires E r θ_rms² ≫ 1; the sharp-rim part of a table is not modelled).

Results are V/(g₁g₂) in joules per pair (multiply by the two bodies' charges for the flavour).
"""

import dataclasses
import math

import numpy as np

from nusim import units
from nusim.engine import kernels
from nusim.errors import ArgumentError
from nusim.physics import beam
from nusim.physics._checks import choice
from nusim.sources import profiles

METHODS = ("auto", "exact", "near-field")
#: τ/⟨1/E⟩ above which the near-field formula is used by ``method="auto"`` (error ~ its inverse)
NEAR_FIELD_THRESHOLD = 1e3


#: FWHM of a Gaussian in units of its σ (source lines give their width as a FWHM)
FWHM_PER_SIGMA = 2 * math.sqrt(2 * math.log(2))


def _support_top(source, kw, where, grid):
    """Highest energy of ``grid`` [MeV] one step past the last positive value of the
    spectrum, or None if the spectrum is zero there."""
    dphi = np.asarray(source.spectrum(grid, **kw, **where), float)
    pos = np.flatnonzero(dphi > 0)
    if pos.size == 0:
        return None
    return float(grid[min(pos[-1] + 1, grid.size - 1)])


def beam_spectrum(source, flavour=None, n_grid=3000, n_components=48, *, parts=None,
                  spacing=None, report=True, **where):
    """The source's spectrum (continuum fit + lines) as a BeamSpectrum in natural units.

    Parameters
    ----------
    source : a nusim source (CONVENTIONS.md); flavour : flavour key or None (all)
    n_grid : table points per fitted continuum; n_components : Gaussians per fitted continuum
    parts : None (fit the continuum as one table) or a sequence of dicts of keyword arguments
        for ``source.spectrum`` whose continua are fitted separately and summed, e.g.
        ``[{"component": c} for c in solar.CONTINUUM_COMPONENTS]`` for the Sun or
        ``[{"flavour": "nu_e"}, {"flavour": "nubar_e"}]``; each part gets its own energy range
        (up to its last non-zero value) and its own components. Lines come from
        ``source.lines(flavour, **where)`` once.
    spacing : component spacing of :func:`nusim.physics.beam.fit_spectrum` (default "log" for
        one table, "linear" for parts, which are single physical spectra); with ``parts`` each
        fit is also constrained to its table's Φ and ⟨1/E⟩ (without, the fit is the earlier
        one: reactor results unchanged)
    report : attach a ``fit_report`` (:func:`nusim.physics.beam.spectrum_fit_report` with the
        wake estimator's kernel table) against the tabulated spectrum on the union of the fit
        grids plus the exact lines
    **where : point_m / time_utc

    Returns
    -------
    BeamSpectrum (flux [eV³], means and widths [eV]); lines are Gaussians of σ = FWHM/2.3548
    (``width_MeV`` of a source line is its FWHM).
    """
    lo, hi = source.energy_range_MeV
    spacing = spacing or ("linear" if parts else "log")
    fits, grids = [], []
    if hi > lo:
        probe = np.linspace(lo, hi, 20 * n_grid + 1)
        for extra in (parts or [{}]):
            kw = {"flavour": flavour, **extra}
            if parts:
                top = _support_top(source, kw, where, probe)
                if top is None:
                    continue
                e_mev = np.linspace(lo, top, n_grid)
            else:
                e_mev = np.linspace(lo, hi, n_grid)
            dphi = np.asarray(source.spectrum(e_mev, **kw, **where), float)
            if np.any(dphi > 0):
                # dΦ/dE [cm⁻² s⁻¹ MeV⁻¹] -> [eV³ per eV] = [eV²]
                fits.append(beam.fit_spectrum(
                    units.MeV_to_eV(e_mev), units.flux_per_cm2_s_to_eV3(dphi) / 1e6,
                    n_components=n_components, spacing=spacing, report=False,
                    constrain_moments=bool(parts),
                    label=("continuum " + ", ".join(f"{v}" for v in extra.values())).strip()))
                grids.append(e_mev)
    lines, line_ref = [], []
    for line in source.lines(flavour=flavour, **where):
        if line["flux_per_cm2_s"] > 0:
            energy = units.MeV_to_eV(line["energy_MeV"])
            flux = units.flux_per_cm2_s_to_eV3(line["flux_per_cm2_s"])
            lines.append(beam.line_spectrum(
                energy, flux, units.MeV_to_eV(line.get("width_MeV", 0.0)) / FWHM_PER_SIGMA))
            line_ref.append((energy, flux))
    if not fits and not lines:
        raise ArgumentError(f"beam_spectrum: the source has no flux for flavour={flavour!r} at "
                            f"{where!r}")
    spec = beam.combine(*fits, *lines)
    if report:
        if grids:
            e_ref = np.unique(np.round(np.concatenate(grids), 12))
            y_ref = np.zeros(e_ref.size)
            for extra in (parts or [{}]):
                kw = {"flavour": flavour, **extra}
                y_ref += np.asarray(source.spectrum(e_ref, **kw, **where), float)
            ref = beam.TabulatedSpectrum(units.MeV_to_eV(e_ref),
                                         units.flux_per_cm2_s_to_eV3(y_ref) / 1e6,
                                         tuple(line_ref))
        else:
            ref = beam.TabulatedSpectrum(np.array([0.0, 1.0]), np.zeros(2), tuple(line_ref))
        spec = dataclasses.replace(spec, fit_report=beam.spectrum_fit_report(spec, ref))
    return spec


def pair_potential_natural(r_vec, k_hat, spectrum, profile, kernel="symmetric", method="auto"):
    """V/(G_F² g₁g₂) [eV⁵] for pair vectors r_vec (n, 3) [eV⁻¹] (natural units core)."""
    choice("kernel", kernel, beam.KERNELS, "pair_potential")
    choice("method", method, METHODS, "pair_potential")
    r_vec = np.ascontiguousarray(np.atleast_2d(r_vec), dtype=float)
    k = np.asarray(k_hat, float) / np.linalg.norm(k_hat)
    retarded = kernel == "retarded"
    r_norm = np.linalg.norm(r_vec, axis=1)
    if isinstance(profile, profiles.UniformDisk):
        return beam.disk_rim_potential(r_vec, k, profile.radius_rad, spectrum, kernel)
    if isinstance(profile, profiles.RadialTable):
        width2 = profiles.mean_square_angle(profile)
        if method != "near-field" and r_norm.min() * width2 < NEAR_FIELD_THRESHOLD * (
                spectrum.mean_inverse_energy):
            raise ArgumentError("pair_potential: a tabulated profile is only modelled in the near "
                                "field E r θ² ≫ 1; the closest pair is too close for that. Use a "
                                "Gaussian profile of the same width (profiles.Gaussian) instead")
        th, dens = profiles.normalised_radial_density(profile)
        cos_a = np.clip(r_vec @ k / r_norm, -1, 1)
        lap_f = beam.radial_profile_laplacian(np.arccos(cos_a), th, dens)
        lap_b = beam.radial_profile_laplacian(np.pi - np.arccos(cos_a), th, dens)
        return beam.smooth_profile_potential(r_vec, lap_f, lap_b, spectrum, kernel)
    weights, sigmas = profiles.gaussian_components(profile)
    f, m, s = spectrum.arrays()
    r_min = float(r_norm.min())
    total = np.zeros(r_vec.shape[0])
    out = np.empty(r_vec.shape[0])
    for w, sig in zip(weights, sigmas):
        if sig == 0:
            kernels.beam_point_potential(r_vec, k, f, m, s, retarded, out)
            total += w * out
            continue
        near = r_min * sig**2 >= NEAR_FIELD_THRESHOLD * spectrum.mean_inverse_energy
        if method == "near-field" or (method == "auto" and near):
            kernels.beam_gaussian_profile_near_field(
                r_vec, k, sig, spectrum.total_flux * spectrum.mean_inverse_energy, retarded, out)
            total += w * out
        else:
            total += w * beam.gaussian_profile_potential(r_vec, k, sig, spectrum, kernel)
    return total


def pair_potential(source, pair_vectors_m, *, flavour=None, kernel="symmetric", method="auto",
                   profile=None, spectrum=None, **where):
    """Smeared long-distance pair potential of ``source`` per g₁g₂ [J], for pair vectors [m].

    Implements eq. (4.12) of the founding paper averaged over the spectrum (eq. C.9) and over
    the source's angular profile (nusim.physics.beam); ``kernel="retarded"`` is the wake kernel
    (design note §7), with each pair vector pointing from the body that scatters to the body
    that feels the force.

    Parameters
    ----------
    source : a nusim source (CONVENTIONS.md); pair_vectors_m : (n, 3) [m], lab frame
    flavour : flavour key or None (all); kernel : {"symmetric", "retarded"}
    method : {"auto", "exact", "near-field"}; profile : override the source's angular profile
    spectrum : a precomputed BeamSpectrum (reuse across calls); **where : point_m / time_utc

    Returns
    -------
    (n,) array, V/(g₁g₂) [J]
    """
    spec = spectrum if spectrum is not None else beam_spectrum(source, flavour, **where)
    k_hat = np.asarray(source.direction(**where), float)
    prof = profile if profile is not None else source.angular_profile(**where)
    r_nat = units.m_to_inv_eV(np.asarray(pair_vectors_m, float))
    v = pair_potential_natural(r_nat, k_hat, spec, prof, kernel, method)
    return units.eV_to_J(units.G_F**2 * v)
