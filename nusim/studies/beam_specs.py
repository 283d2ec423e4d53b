"""Neutrino beams named in a study file: ``[[beams]]`` tables → sources → DirectionalBeams.

A study names its beams (SI inputs, unit-suffixed keys; every error names the file and the
dotted field)::

    [[beams]]
    source = "reactor"
    thermal_power_GW = 2.9
    distance_m = 10.0              # core centre from the fibre point (or position_m = [x, y, z])
    direction = [-1.0, 0.0, -0.1]  # from the apparatus towards the core, lab frame
    core_radius_m = 1.5            # 0 and 0: a point core
    core_height_m = 3.0
    fuel = "daya-bay"              # fission-fraction preset (nusim.sources.reactor)
    antineutrinos_per_fission = 7.1  # optional: rescales the spectrum (7.1: the paper's 5e13)
    on = true                      # false: reactor off (no beam)

    [[beams]]
    source = "sun"                 # the site (and lab azimuth) come from the apparatus [site]
    model = "B16-GS98"             # standard solar model preset

    [[beams]]
    source = "supernova"
    distance_kpc = 10.0
    ra_deg = 266.405               # optional (default: the Galactic centre)
    dec_deg = -28.936
    duration_s = 10.0

Times (the Sun's and the supernova's direction) are set by the study (dates, hours). The
reactor's spectrum and flux are evaluated at the fibre point; each sample of the wake
estimator takes its own direction and 1/d² weight from the core's emission points.
"""

import functools

import numpy as np

from nusim.errors import ConfigError

#: charge channel → the neutrinos that couple through it
CHANNEL_NAMES = {"e": "ν_e", "mu": "ν_μ,τ"}


def parse_beams(doc, path, table_name="beams"):
    """Validated beam specifications of a study document (list of dicts), declared in
    :mod:`nusim.schema.study` (``ReactorBeam``, ``SunBeam``, ``SupernovaBeam``)."""
    from nusim.schema import study as schema

    return schema.parse_beams(doc.get(table_name), path, table_name)


def reactor_position(spec, point_m):
    """Core centre [m] in the lab frame of a reactor spec, relative to ``point_m``."""
    if spec["position_m"] is not None:
        return np.asarray(spec["position_m"], float)
    d = np.asarray(spec["direction"], float)
    return np.asarray(point_m, float) + spec["distance_m"] * d / np.linalg.norm(d)


def make_reactor(spec, point_m, path="<study>", field="beams", **override):
    """The :class:`nusim.sources.Reactor` of a reactor spec (``override`` replaces keys)."""
    from nusim.sources import Reactor

    s = {**spec, **override}
    try:
        return Reactor(s["thermal_power_GW"], reactor_position(s, point_m), fuel=s["fuel"],
                       spectrum_model=s["spectrum_model"],
                       antineutrinos_per_fission=s["antineutrinos_per_fission"],
                       core_radius_m=s["core_radius_m"], core_height_m=s["core_height_m"],
                       core_axis=s["core_axis"])
    except ValueError as exc:
        raise ConfigError(path, field, str(exc)) from None


def make_sun(spec, site, path="<study>", field="beams"):
    """The :class:`nusim.sources.Sun` of a sun spec at the apparatus ``site`` (dict)."""
    if not site:
        raise ConfigError(path, field, "a sun beam needs the apparatus' [site] (latitude_deg, "
                          "longitude_deg, altitude_m, azimuth_deg); add it to the apparatus "
                          "file")
    try:
        return _sun(float(site["latitude_deg"]), float(site["longitude_deg"]),
                    float(site.get("altitude_m", 0.0)), spec["model"], spec["oscillation"],
                    float(site.get("azimuth_deg", 0.0)))
    except ValueError as exc:
        raise ConfigError(path, field, str(exc)) from None


@functools.lru_cache(maxsize=16)
def _sun(lat, lon, alt, model, oscillation, azimuth):
    """A Sun per site and model, built once per process (its P_ee tables cost 0.1 s; the object
    holds no state that changes)."""
    from nusim.sources import Sun

    return Sun(lat, lon, alt, model, oscillation=oscillation, azimuth_deg=azimuth)


def make_supernova(spec, site, path="<study>", field="beams"):
    """The :class:`nusim.sources.Supernova` of a supernova spec seen from ``site``."""
    from nusim.sources import Supernova

    if not site:
        raise ConfigError(path, field, "a supernova beam needs the apparatus' [site]")
    kw = {} if spec["ra_deg"] is None else {"ra_deg": spec["ra_deg"], "dec_deg": spec["dec_deg"]}
    try:
        return Supernova(spec["distance_kpc"], duration_s=spec["duration_s"],
                         latitude_deg=site["latitude_deg"], longitude_deg=site["longitude_deg"],
                         altitude_m=site.get("altitude_m", 0.0), **kw)
    except ValueError as exc:
        raise ConfigError(path, field, str(exc)) from None


def beams_at(spec, *, point_m, site=None, time_utc=None, path="<study>", field="beams"):
    """The (label, DirectionalBeam) list of one beam spec at the fibre point and a time.

    A reactor gives one ν̄_e beam (charge channel "e"; none when off); the Sun and a supernova
    one beam per charge channel ("e": ν_e and ν̄_e; "mu": ν_μ, ν_τ and antiparticles)."""
    from nusim.engine import beams as _beams
    from nusim.engine.directional import reactor_beam

    label = spec["label"]
    if spec["source"] == "reactor":
        if not spec["on"]:
            return []
        return [(f"{label} ν̄_e", reactor_beam(make_reactor(spec, point_m, path, field),
                                               point_m))]
    if time_utc is None:
        raise ConfigError(path, field, f"the {spec['source']} beam needs a time (the study's "
                          "dates/hours or time_utc)")
    if spec["source"] == "sun":
        beams = sun_beams_at(spec, site, time_utc, path, field)
    else:
        beams = _beams.supernova_beams(make_supernova(spec, site, path, field), time_utc)
    return [(f"{label} {CHANNEL_NAMES[c]}", b) for c, b in beams.items()]


@functools.lru_cache(maxsize=8)
def _sun_of_the_day(model, oscillation, site_items, date):
    """(Sun, reference time, its beams) for one date: the spectra are fitted once per date."""
    from nusim.engine import beams as _beams
    from nusim.sources import Sun

    site = dict(site_items)
    sun = Sun(site["latitude_deg"], site["longitude_deg"], site.get("altitude_m", 0.0), model,
              oscillation=oscillation, azimuth_deg=site.get("azimuth_deg", 0.0))
    ref = f"{date}T12:00:00"
    return sun, ref, _beams.sun_beams(sun, ref)


def sun_beams_at(spec, site, time_utc, path="<study>", field="beams"):
    """The Sun's beams {"e", "mu"} at ``time_utc``: the spectra of the date's noon (fitted once
    per date; P_ee does not depend on the time of day, the day-night effect being neglected)
    scaled by (d_noon/d(t))² for the Earth–Sun distance, with the direction and production-
    region profile of ``time_utc``. Equal to ``nusim.engine.beams.sun_beams(sun, time_utc)`` up
    to the fit of a scaled spectrum (the fits are linear in the flux)."""
    import dataclasses

    from nusim.engine.directional import DirectionalBeam

    make_sun(spec, site, path, field)            # validates the site and the presets
    sun, ref, beams = _sun_of_the_day(spec["model"], spec["oscillation"],
                                      tuple(sorted(site.items())), str(time_utc)[:10])
    factor = (float(sun.distance_au(ref)) / float(sun.distance_au(time_utc))) ** 2
    k = tuple(np.asarray(sun.direction(time_utc), float))
    prof = sun.angular_profile(time_utc)
    out = {}
    for c, b in beams.items():
        spec_t = dataclasses.replace(b.spectrum, flux=tuple(factor * x for x in b.spectrum.flux))
        out[c] = DirectionalBeam(spec_t, k, prof, c)
    return out


def describe(spec):
    """A one-line description of a beam spec for tables and figure titles."""
    if spec["source"] == "reactor":
        core = ("point core" if spec["core_radius_m"] == 0 else
                f"{2 * spec['core_radius_m']:g} m × {spec['core_height_m']:g} m core")
        where = (f"at {spec['position_m']} m" if spec["position_m"] is not None else
                 f"{spec['distance_m']:g} m towards {spec['direction']}")
        state = "" if spec["on"] else " (off)"
        return f"reactor {spec['thermal_power_GW']:g} GW_th {where}, {core}{state}"
    if spec["source"] == "sun":
        return f"Sun ({spec['model']}, {spec['oscillation']})"
    return f"supernova at {spec['distance_kpc']:g} kpc"
