"""The ``[[beams]]`` tables of a study file: the neutrino sources (a reactor core, the Sun, a
Galactic supernova), tagged by ``source``; :func:`parse_beams` gives the specs the studies read.
"""

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, field_validator, model_validator

from nusim.errors import ConfigError
from nusim.schema.core import TAGS, Direction, Table, Vector3, fail, number, one_of, validate

# ---------------------------------------------------------------------------------------------
# allowed values: the modules that own them, imported when a file is validated


def _fuels():
    from nusim.sources.reactor import FISSION_FRACTIONS

    return tuple(FISSION_FRACTIONS)


def _reactor_spectra():
    from nusim.sources.reactor import REACTOR_SPECTRA

    return tuple(REACTOR_SPECTRA)


def _solar_models():
    from nusim.sources.solar import SOLAR_MODELS

    return tuple(SOLAR_MODELS)


def _oscillations():
    from nusim.sources.solar import OSCILLATION_PARAMETERS

    return tuple(OSCILLATION_PARAMETERS)


# ---------------------------------------------------------------------------------------------
# [[beams]]


class ReactorBeam(Table):
    """A reactor core: ν̄_e from fission, at the fibre point (on − off is the reactor's signal)."""

    source: Literal["reactor"] = Field(description="the neutrino source")
    label: str | None = Field(None, description="name in tables and figures (default: the "
                              "source); unique among the beams")
    thermal_power_GW: number(gt=0, msg="must be > 0 [GW] (a reactor that is off: on = false)") \
        = Field(description="thermal power [GW]")
    distance_m: number(gt=0, what="[m]") | None = Field(
        None, description="core centre from the fibre point [m], with direction")
    direction: Direction | None = Field(None, description="from the fibre point towards the "
                                        "core, lab frame (any length)")
    position_m: Vector3 | None = Field(None, description="core centre in the lab frame [m] "
                                       "(instead of distance_m and direction)")
    core_radius_m: number(ge=0) = Field(0.0, description="core cylinder radius [m] (0 and 0: "
                                        "a point core)")
    core_height_m: number(ge=0) = Field(0.0, description="core cylinder height [m]")
    core_axis: Direction = Field([0.0, 0.0, 1.0], description="core cylinder axis, lab frame")
    fuel: one_of(_fuels, "fuel") = Field("daya-bay", description="fission-fraction preset "
                                         "(nusim.sources.reactor)")
    antineutrinos_per_fission: number(gt=0) | None = Field(
        None, description="rescales the spectrum to this many ν̄ per fission (7.1: the paper's "
        "5e13 cm⁻² s⁻¹ at 10 m; default: the spectrum model's own)")
    spectrum_model: one_of(_reactor_spectra, "spectrum model") = Field(
        "huber-mueller", description="per-isotope spectrum model (nusim.sources.reactor)")
    on: bool = Field(True, description="false: the reactor is off (no beam)")

    @model_validator(mode="after")
    def _placement(self):
        has_pos = self.position_m is not None
        has_dir = self.distance_m is not None or self.direction is not None
        if has_pos == has_dir:
            fail("give either position_m = [x, y, z] (core centre, lab frame [m]) or "
                 "distance_m with direction (from the fibre point towards the core)",
                 "position_m")
        if has_dir and (self.distance_m is None or self.direction is None):
            fail("distance_m and direction go together", "distance_m")
        for key in ("core_radius_m", "core_height_m"):
            if getattr(self, key) > 50:
                fail(f"{getattr(self, key)} m is not a reactor core; lengths are in metres (a "
                     "3 m core: 1.5 and 3.0)", key)
        if (self.core_radius_m > 0) != (self.core_height_m > 0):
            fail("give both core_radius_m and core_height_m > 0 (a cylinder), or both 0 (a "
                 "point core)", "core_radius_m")
        return self


class SunBeam(Table):
    """The Sun at the apparatus' [site], at the study's times: ν_e and ν_μ,τ channels."""

    source: Literal["sun"] = Field(description="the neutrino source")
    label: str | None = Field(None, description="name in tables and figures (default: the "
                              "source)")
    model: one_of(_solar_models, "solar model") = Field(
        "B16-GS98", description="standard solar model preset (nusim.sources.solar)")
    oscillation: one_of(_oscillations, "oscillation preset") = Field(
        "NuFIT-5.2", description="oscillation-parameter preset of P_ee (nusim.sources.solar)")


class SupernovaBeam(Table):
    """A Galactic supernova burst seen from the apparatus' [site]."""

    source: Literal["supernova"] = Field(description="the neutrino source")
    label: str | None = Field(None, description="name in tables and figures (default: the "
                              "source)")
    distance_kpc: number(gt=0, msg="must be > 0 [kpc] (10: the paper's Galactic supernova)") \
        = Field(10.0, description="distance [kpc]")
    ra_deg: number() | None = Field(None, description="right ascension [deg] (default: the "
                                    "Galactic centre)")
    dec_deg: number(ge=-90, le=90, what="[deg]") | None = Field(
        None, description="declination [deg] (with ra_deg)")
    duration_s: number(gt=0, what="[s]") = Field(10.0, description="burst duration [s]")
    time_utc: str | None = Field(None, description="time of the burst, UTC ISO "
                                 "(\"2026-06-21T08:00:00\"; default: the study's time)")

    @model_validator(mode="after")
    def _sky(self):
        if (self.ra_deg is None) != (self.dec_deg is None):
            fail("give both ra_deg and dec_deg, or neither (the Galactic centre)", "ra_deg")
        return self


Beam = Annotated[ReactorBeam | SunBeam | SupernovaBeam, Field(discriminator="source")]
BEAM_MODELS = {"reactor": ReactorBeam, "sun": SunBeam, "supernova": SupernovaBeam}
TAGS.update(BEAM_MODELS)


def _beam_list(v):
    if isinstance(v, list) and not v:
        fail("give at least one [[beams]] table (reactor, sun or supernova)")
    return v


def check_labels(beams):
    """``fail`` (field ``beams``) unless the labels of ``beams`` are unique."""
    labels = [b.label for b in beams]
    if len(set(labels)) != len(labels):
        fail(f"beam labels must be unique ({labels}); set label = \"...\" in each table",
             "beams")


def label_defaults(beams):
    """``beams`` with each missing label set to the beam's source."""
    for b in beams:
        if b.label is None:
            b.label = b.source
    return beams


Beams = Annotated[list[Beam], Field(description="the neutrino sources ([[beams]] tables)")]
_BEAMS = TypeAdapter(list[Beam])


def beam_dicts(beams):
    """The beam specs as the studies read them (dicts, keys in declaration order)."""
    return [b.model_dump() for b in beams]


def parse_beams(raw, path, table_name="beams"):
    """Validated beam specs (list of dicts) of the ``[[beams]]`` list ``raw`` (None: missing)."""
    if raw is None:
        raise ConfigError(path, table_name, "missing required key")
    if isinstance(raw, list) and not raw:
        raise ConfigError(path, table_name, "give at least one [[beams]] table (reactor, sun "
                          "or supernova)")
    beams = label_defaults(validate(_BEAMS, raw, path, table_name))
    labels = [b.label for b in beams]
    if len(set(labels)) != len(labels):
        raise ConfigError(path, table_name, f"beam labels must be unique ({labels}); set "
                          "label = \"...\" in each table")
    return beam_dicts(beams)


class BeamsTable(Table):
    """A table with a ``beams`` list: at least one beam."""

    @field_validator("beams", mode="before", check_fields=False)
    @classmethod
    def _some_beams(cls, v):
        return _beam_list(v)
