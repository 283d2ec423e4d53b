"""The sources the CLI knows by name, built from command-line options, and their summaries."""

import numpy as np

from nusim.errors import ArgumentError

#: name -> one-line description (``nusim sources``)
SOURCES = {
    "reactor": "nuclear reactor antineutrinos (Huber-Mueller spectra, finite core, on/off)",
    "sun": "solar neutrinos (B16 SSM components, MSW-LMA flavour mix, 24-h track via astropy)",
    "supernova": "galactic core-collapse supernova burst (pinched spectra, 10 kpc default)",
    "relic": "cosmic neutrino background (Fermi-Dirac, T = 1.945 K, isotropic)",
}


def build(name, opts):
    """The source ``name`` from the parsed options ``opts`` (argparse namespace)."""
    from nusim import sources

    if name == "reactor":
        return sources.Reactor(opts.power_GW, position_m=(0.0, 0.0, 0.0),
                               antineutrinos_per_fission=opts.antineutrinos_per_fission,
                               core_radius_m=opts.core_radius_m, core_height_m=opts.core_height_m)
    if name == "sun":
        return sources.Sun(opts.latitude_deg, opts.longitude_deg, opts.altitude_m,
                           model=opts.solar_model)
    if name == "supernova":
        return sources.Supernova(opts.distance_kpc, latitude_deg=opts.latitude_deg,
                                 longitude_deg=opts.longitude_deg, altitude_m=opts.altitude_m)
    if name == "relic":
        return sources.RelicBackground()
    raise ArgumentError(f"unknown source {name!r}; known sources: {', '.join(SOURCES)}")


def where(name, opts):
    """The ``**where`` of the source's methods for these options (CONVENTIONS.md)."""
    if name == "reactor":
        return {"point_m": np.array([opts.distance_m, 0.0, 0.0])}
    if name in ("sun", "supernova"):
        return {"time_utc": opts.time_utc}
    return {}


def spectrum_curves(source, where_kw, energy_MeV):
    """{flavour: dΦ/dE (n,)} of the continuum for the flavours with flux [cm⁻² s⁻¹ MeV⁻¹]."""
    curves = {}
    for flavour in ("nu_e", "nu_x", "nubar_e", "nubar_x"):
        y = np.asarray(source.spectrum(energy_MeV, flavour=flavour, **where_kw), float)
        if np.any(y > 0):
            curves[flavour] = y
    return curves
