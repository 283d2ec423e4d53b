"""Directional beams from SI inputs for every source: the Sun, a supernova, a reactor, a table.

Each builder returns a :class:`~nusim.engine.directional.DirectionalBeam` for
:func:`~nusim.engine.directional.directional_interaction`: a natural-unit spectrum of Gaussian
components, the direction of travel in the lab frame, the angular profile, and the charge channel
("e": ν_e and ν̄_e, which couple to electrons through W and Z; "mu": ν_μ, ν_τ and their
antiparticles, Z only). The spectrum's ``fit_report`` (a read-only mapping, see
:func:`nusim.physics.beam.spectrum_fit_report`) states the error of what the estimator uses —
the total flux, ⟨1/E⟩ and the surface kernel a(w) — against the tabulated spectrum the beam was
built from, so results can quote it (:func:`fit_summary`).

Accuracy (tests/engine/test_beams.py, tests/physics/test_spectrum_fit.py): the Sun's channels
(each of pp, ⁸B, hep, ¹³N, ¹⁵O, ¹⁷F fitted separately with 32 evenly spaced Gaussians, the
lines exact) reproduce Φ to 1e-6, ⟨1/E⟩ to 3e-4 (kernel table; 1e-6 for the Gauss–Hermite
value) and a(w) to 1.3e-3 of a(0); a reactor and a supernova to < 5e-4 in all three.

Units at the boundary: MeV, cm⁻² s⁻¹, cm⁻² s⁻¹ MeV⁻¹, metres, UTC times.
"""

# ruff: noqa: N803
# (unit-suffixed names such as energy_MeV are the boundary convention of the style guide)

import dataclasses

import numpy as np

from nusim import units
from nusim.engine.directional import DirectionalBeam, reactor_beam
from nusim.errors import ArgumentError
from nusim.physics import beam
from nusim.sources import profiles
from nusim.sources.pair_potential import FWHM_PER_SIGMA, beam_spectrum

__all__ = ["CHARGES", "SUN_FLAVOUR", "SUPERNOVA_FLAVOURS", "beam_from_spectrum", "fit_summary",
           "monochromatic_beam", "reactor_beam", "sun_beam", "sun_beams", "supernova_beam",
           "supernova_beams"]

#: charge channels of a DirectionalBeam
CHARGES = ("e", "mu")
#: the Sun's flavour key per charge channel (ν_e survives with P_ee, the rest arrives as ν_μ,τ)
SUN_FLAVOUR = {"e": "nu_e", "mu": "nu_x"}
#: a supernova's flavour keys per charge channel
SUPERNOVA_FLAVOURS = {"e": ("nu_e", "nubar_e"), "mu": ("nu_x", "nubar_x")}
#: Gaussians per physical component of the Sun's continuum (a(w) to 1.3e-3; 24 gives 2e-3)
SUN_COMPONENTS_PER_PART = 32
#: the Sun's continuum components, each fitted on its own
_SUN_PARTS = ("pp", "hep", "8B", "13N", "15O", "17F")


def _charge(charge, func):
    if charge not in CHARGES:
        raise ArgumentError(f"{func}: charge={charge!r} is not one of 'e' (ν_e, ν̄_e) or 'mu' "
                            f"(ν_μ, ν_τ); pass charge='e' or charge='mu'") from None
    return charge


def _direction(direction, func):
    try:
        d = np.asarray(direction, float)
    except (TypeError, ValueError):
        d = np.full(1, np.nan)
    if d.shape != (3,) or not np.all(np.isfinite(d)) or np.linalg.norm(d) == 0:
        raise ArgumentError(f"{func}: direction={direction!r} must be a finite, non-zero "
                            f"3-vector: give the direction of travel in the lab frame "
                            f"(from the source towards the apparatus)") from None
    return tuple(float(v) for v in d / np.linalg.norm(d))


def _check_profile(profile, func):
    """The profile, checked to be one the wake estimator can sample (a test draw)."""
    profile = profiles.Point() if profile is None else profile
    try:
        profiles.sample_offsets(profile, 4, np.random.default_rng(0))
    except TypeError:
        raise ArgumentError(f"{func}: profile={profile!r} is not a profile of "
                            f"nusim.sources.profiles (Point, Gaussian, UniformDisk, RadialTable, "
                            f"Samples)") from None
    return profile


def fit_summary(spectrum):
    """One line stating the spectrum fit's errors (for a result's notes), from ``fit_report``."""
    rep = getattr(spectrum, "fit_report", None)
    if not rep:
        return "spectrum: no fit report (analytic or user-built Gaussian components)"
    return (f"spectrum fit vs tabulated: flux {rep['flux_rel_error']:+.1e}, ⟨1/E⟩ "
            f"{rep['kernel_mean_inverse_energy_rel_error']:+.1e} (kernel table), max |Δa(w)|/a(0) "
            f"{rep['kernel_max_error']:.1e}, density L2 {rep['density_l2_residual']:.1e}")


# -- the Sun ------------------------------------------------------------------------------------

def sun_beam(sun, time_utc, charge, *, n_components=SUN_COMPONENTS_PER_PART, profile=None):
    """The Sun's DirectionalBeam of one charge channel at ``time_utc``.

    charge "e": the ν_e that survive (P_ee per component and energy, B16 fluxes); "mu": the
    1 − P_ee that arrive as ν_μ,τ. The flux is at the Earth–Sun distance of that time; the
    direction is ``sun.direction(time_utc)`` (lab frame, with the Sun's apparatus azimuth); the
    profile ``sun.angular_profile(time_utc)`` (the production region, a RadialTable that the
    wake estimator samples by its θ CDF) unless ``profile`` overrides it. Each continuum
    component is fitted separately with ``n_components`` Gaussians (the fit report is attached).

    Parameters
    ----------
    sun : nusim.sources.solar.Sun; time_utc : one UTC time (ISO string, datetime, datetime64)
    charge : "e" or "mu"; n_components : int, Gaussians per continuum component
    profile : None (the production region) or a nusim.sources.profiles profile

    Returns
    -------
    DirectionalBeam (charge ``charge``, no emitter)
    """
    func = "sun_beam"
    _charge(charge, func)
    if time_utc is None or np.ndim(np.asarray(time_utc, dtype=object)) != 0:
        raise ArgumentError(f"{func}: time_utc={time_utc!r} must be one UTC time (the beam's "
                            f"direction and distance depend on it)") from None
    spec = beam_spectrum(sun, SUN_FLAVOUR[charge], n_components=n_components,
                         parts=[{"component": c} for c in _SUN_PARTS], time_utc=time_utc)
    spec = _relabel(spec, f"Sun {SUN_FLAVOUR[charge]} at {time_utc}")
    prof = _check_profile(sun.angular_profile(time_utc) if profile is None else profile, func)
    return DirectionalBeam(spec, tuple(np.asarray(sun.direction(time_utc), float)), prof, charge)


def sun_beams(sun, time_utc, **options):
    """Both charge channels of the Sun at ``time_utc``: {"e": beam, "mu": beam} (:func:`sun_beam`
    options apply to both)."""
    return {c: sun_beam(sun, time_utc, c, **options) for c in CHARGES}


# -- a supernova --------------------------------------------------------------------------------

def supernova_beam(supernova, time_utc, charge, *, n_components=48):
    """A supernova's DirectionalBeam of one charge channel at ``time_utc``.

    charge "e": ν_e + ν̄_e; "mu": the heavy-lepton flavours ν_x + ν̄_x (four species). Each
    flavour's pinched spectrum is fitted separately (``n_components`` log-spaced Gaussians); the
    direction is ``supernova.direction(time_utc)`` (needs the Supernova's lab site); point
    profile. While the burst is off there is no flux and beam_spectrum raises.
    """
    func = "supernova_beam"
    _charge(charge, func)
    where = {} if time_utc is None else {"time_utc": time_utc}
    parts = [{"flavour": f} for f in SUPERNOVA_FLAVOURS[charge]]
    spec = beam_spectrum(supernova, None, n_components=n_components, parts=parts,
                         spacing="log", **where)
    spec = _relabel(spec, f"supernova {' + '.join(SUPERNOVA_FLAVOURS[charge])}")
    k = np.asarray(supernova.direction(time_utc), float)
    return DirectionalBeam(spec, tuple(k), _check_profile(supernova.angular_profile(time_utc),
                                                          func), charge)


def supernova_beams(supernova, time_utc, **options):
    """Both charge channels of a supernova: {"e": beam, "mu": beam}."""
    return {c: supernova_beam(supernova, time_utc, c, **options) for c in CHARGES}


# -- user-built beams ---------------------------------------------------------------------------

def _relabel(spec, label):
    return dataclasses.replace(spec, label=label)


def _lines(lines, func):
    out = []
    for i, line in enumerate(lines):
        try:
            vals = [float(v) for v in line]
        except (TypeError, ValueError):
            vals = []
        if len(vals) not in (2, 3) or not all(np.isfinite(vals)):
            raise ArgumentError(f"{func}: lines[{i}]={line!r} must be (energy_MeV, "
                                f"flux_per_cm2_s) or (energy_MeV, flux_per_cm2_s, "
                                f"width_MeV)") from None
        energy, flux, width = (*vals, 0.0)[:3]
        if energy <= 0 or flux < 0 or width < 0:
            raise ArgumentError(f"{func}: lines[{i}]={line!r}: the energy must be > 0 [MeV], "
                                f"the flux ≥ 0 [cm⁻² s⁻¹] and the width (FWHM) ≥ 0 "
                                f"[MeV]") from None
        out.append((energy, flux, width))
    return out


def beam_from_spectrum(energy_MeV, flux_per_cm2_s_MeV, direction, *, lines=(), charge="e",
                       profile=None, n_components=48, spacing="log"):
    """A DirectionalBeam from a tabulated spectrum and lines, in SI/MeV units.

    Parameters
    ----------
    energy_MeV : (n,) increasing energies [MeV], ≥ 0, n ≥ 8
    flux_per_cm2_s_MeV : (n,) dΦ/dE ≥ 0 [cm⁻² s⁻¹ MeV⁻¹], linearly interpolated, zero outside
        (all zero is allowed when ``lines`` carry the flux); must vanish at E = 0
    direction : (3,) direction of travel in the lab frame (normalised here)
    lines : sequence of (energy_MeV [MeV], flux_per_cm2_s [cm⁻² s⁻¹][, width_MeV (FWHM) [MeV]])
    charge : "e" (ν_e, ν̄_e) or "mu" (ν_μ, ν_τ); profile : a nusim.sources.profiles profile or
        None (a point)
    n_components, spacing : of :func:`nusim.physics.beam.fit_spectrum` ("log" for a spectrum
        spanning decades, "linear" for one physical spectrum)

    Returns
    -------
    DirectionalBeam whose spectrum carries a ``fit_report`` against the table

    Raises
    ------
    nusim.errors.ArgumentError naming the argument and what to give
    """
    func = "beam_from_spectrum"
    _charge(charge, func)
    k = _direction(direction, func)
    prof = _check_profile(profile, func)
    try:
        e = np.asarray(energy_MeV, float)
        y = np.asarray(flux_per_cm2_s_MeV, float)
    except (TypeError, ValueError):
        raise ArgumentError(f"{func}: energy_MeV and flux_per_cm2_s_MeV must be arrays of "
                            f"numbers") from None
    if e.ndim != 1 or e.shape != y.shape or e.size < 8:
        raise ArgumentError(f"{func}: energy_MeV and flux_per_cm2_s_MeV must be 1-D arrays of "
                            f"the same length ≥ 8; got shapes {e.shape} and {y.shape}") from None
    if not (np.all(np.isfinite(e)) and np.all(np.isfinite(y))):
        raise ArgumentError(f"{func}: energy_MeV and flux_per_cm2_s_MeV must be finite (no "
                            f"NaN or inf)") from None
    if e[0] < 0 or np.any(np.diff(e) <= 0):
        raise ArgumentError(f"{func}: energy_MeV must be strictly increasing and ≥ 0 [MeV]; "
                            f"sort the table and drop repeated energies") from None
    if np.any(y < 0):
        raise ArgumentError(f"{func}: flux_per_cm2_s_MeV must be ≥ 0 [cm⁻² s⁻¹ MeV⁻¹]; got "
                            f"{y[y < 0][0]!r} at {e[y < 0][0]!r} MeV") from None
    if e[0] == 0 and y[0] > 0 and y[0] <= 1e-9 * y.max():
        y = np.concatenate([[0.0], y[1:]])           # round-off of a vanishing spectrum
    if e[0] == 0 and y[0] > 0:
        raise ArgumentError(f"{func}: flux_per_cm2_s_MeV must vanish at E = 0 (⟨1/E⟩, which "
                            f"the near-field force is proportional to, diverges otherwise); "
                            f"start the table at the spectrum's threshold") from None
    line_list = _lines(lines, func)
    if not np.any(y > 0) and not any(f > 0 for _, f, _ in line_list):
        raise ArgumentError(f"{func}: the beam has no flux: give a positive "
                            f"flux_per_cm2_s_MeV somewhere or a line with flux > 0") from None
    parts, line_ref = [], []
    e_ev = units.MeV_to_eV(e)
    y_ev = units.flux_per_cm2_s_to_eV3(y) / 1e6
    if np.any(y > 0):
        # components start where 1e-4 of the flux lies below (not at 1e-4 × the top, which
        # wastes log-spaced components on an empty low-energy range)
        parts.append(beam.fit_spectrum(e_ev, y_ev, n_components=n_components, spacing=spacing,
                                       start_quantile=1e-4, constrain_moments=True,
                                       label="tabulated continuum",
                                       report=False))
    for energy, flux, width in line_list:
        if flux > 0:
            en, fl = units.MeV_to_eV(energy), units.flux_per_cm2_s_to_eV3(flux)
            parts.append(beam.line_spectrum(en, fl, units.MeV_to_eV(width) / FWHM_PER_SIGMA))
            line_ref.append((en, fl))
    spec = beam.combine(*parts, label="user spectrum")
    ref = beam.TabulatedSpectrum(e_ev, y_ev, tuple(line_ref))
    spec = dataclasses.replace(spec, fit_report=beam.spectrum_fit_report(spec, ref))
    return DirectionalBeam(spec, k, prof, charge)


def monochromatic_beam(energy_MeV, flux_per_cm2_s, direction, *, width_MeV=0.0, charge="e",
                       profile=None):
    """A DirectionalBeam of one line: ``flux_per_cm2_s`` [cm⁻² s⁻¹] at ``energy_MeV`` [MeV]
    with FWHM ``width_MeV`` [MeV] (0: monochromatic; the wake kernel then gives it the Abel
    regulator width of :mod:`nusim.physics.wake_kernel` and says so in the result)."""
    func = "monochromatic_beam"
    _charge(charge, func)
    k = _direction(direction, func)
    prof = _check_profile(profile, func)
    checks = (("energy_MeV", energy_MeV, "> 0 [MeV]", lambda v: v > 0),
              ("flux_per_cm2_s", flux_per_cm2_s, "> 0 [cm⁻² s⁻¹]", lambda v: v > 0),
              ("width_MeV", width_MeV, "≥ 0 [MeV] (the line's FWHM)", lambda v: v >= 0))
    for name, value, need, ok in checks:
        try:
            good = np.ndim(value) == 0 and np.isfinite(float(value)) and ok(float(value))
        except (TypeError, ValueError):
            good = False
        if not good:
            raise ArgumentError(f"{func}: {name}={value!r} must be a number {need}") from None
    energy, flux, width = float(energy_MeV), float(flux_per_cm2_s), float(width_MeV)
    spec = beam.line_spectrum(units.MeV_to_eV(energy), units.flux_per_cm2_s_to_eV3(flux),
                              units.MeV_to_eV(width) / FWHM_PER_SIGMA)
    return DirectionalBeam(spec, k, prof, charge)
