"""The schema of study files (``runs/*.toml``): the ``[study]`` table, each study kind's table and
the ``[[beams]]`` tables, declared once; :func:`params` gives each kind's parameter dict ``p``.

Every relative path (``apparatus``) is relative to the study file. Units are in the key names
(SI: ``_m``, ``_deg``, ``_GW``, ``_MeV``, ``_per_cm2_s``; ``_rad`` where radians are meant).
docs/study-files.md is generated from these models (``python -m nusim.schema.docs``).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, TypeAdapter, ValidationInfo, \
    create_model, field_validator, model_validator
from pydantic_core import core_schema

from nusim.errors import ConfigError
from nusim.schema.core import (METRES_HINT, TAGS, Direction, Range, Table, Vector3, fail, number,
                               numbers, one_of, relative_file, validate)

# ---------------------------------------------------------------------------------------------
# allowed values: the modules that own them, imported when a file is validated


def _table_4():
    from nusim.studies.experiments import TABLE_4

    return tuple(TABLE_4)


def _materials():
    from nusim.geometry.materials import MATERIALS

    return tuple(MATERIALS)


def _engine_estimators():
    from nusim.engine.directional import ESTIMATORS

    return ESTIMATORS


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


#: estimators of the whole-apparatus signal studies
SIGNAL_ESTIMATORS = ("auto", "wake", "pairs")


# ---------------------------------------------------------------------------------------------
# [study]


class Study(Table):
    """The [study] table every study file has."""

    name: str = Field(description="name of the study (the default output folder)")
    kind: str = Field(description="study kind: one of the kinds below")
    output_dir: str | None = Field(None, description="output folder, relative to the study file "
                                   "(default: output/<name> beside it)")
    description: str = Field("", description="one line, shown by nusim run --list")
    expected_runtime: str = Field("", description="free text, e.g. \"~2 min\" (on 2 cores), "
                                  "shown by nusim run --list")

    @field_validator("kind")
    @classmethod
    def _kind(cls, v, info: ValidationInfo):
        kinds = (info.context or {}).get("kinds") or tuple(KIND_MODELS)
        if v not in kinds:
            fail(f"unknown study kind {v!r}. Known kinds: {', '.join(kinds)}")
        return v

    @model_validator(mode="after")
    def _output_dir(self):
        if self.output_dir is not None and not self.output_dir.strip():
            fail("empty path. Give a folder, relative to the study file, e.g. "
                 f"\"../output/{self.name}\"", "output_dir")
        return self


def study_header(doc, path, kinds):
    """The validated [study] table of a parsed study file (a dict; ``output_dir`` None when not
    given), after checking the top-level tables (``study``, ``beams`` and the ``kinds``)."""
    if not isinstance(doc, dict):
        raise ConfigError(path, "<file>", "expected a TOML document of tables")
    allowed = ("study", "beams", *kinds)
    extra = [k for k in doc if k not in allowed]
    if extra:
        raise ConfigError(path, extra[0], f"unknown key. Allowed keys here: "
                          f"{', '.join(sorted(allowed))}")
    if "study" not in doc:
        raise ConfigError(path, "study", "missing required key")
    return validate(Study, doc["study"], path, "study", {"kinds": tuple(kinds)}).model_dump()


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


def _check_labels(beams):
    labels = [b.label for b in beams]
    if len(set(labels)) != len(labels):
        fail(f"beam labels must be unique ({labels}); set label = \"...\" in each table",
             "beams")


def _label_defaults(beams):
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
    beams = _label_defaults(validate(_BEAMS, raw, path, table_name))
    labels = [b.label for b in beams]
    if len(set(labels)) != len(labels):
        raise ConfigError(path, table_name, f"beam labels must be unique ({labels}); set "
                          "label = \"...\" in each table")
    return beam_dicts(beams)


class _Beams(Table):
    """A table with a ``beams`` list: at least one beam."""

    @field_validator("beams", mode="before", check_fields=False)
    @classmethod
    def _some_beams(cls, v):
        return _beam_list(v)


class _Apparatus(Table):
    """A table with an ``apparatus`` file: relative to the study file, and there."""

    @field_validator("apparatus", check_fields=False)
    @classmethod
    def _apparatus(cls, v, info: ValidationInfo):
        return str(relative_file(v, info, "apparatus"))


# ---------------------------------------------------------------------------------------------
# keys the neutrino-signal studies share


Samples = number(int, ge=100, le=10**8, what="samples per replica per term (2e4: a quick look; "
                 "2e5: per-cent errors for a point core)")
Replicas = number(int, ge=2, le=1000, what="replicas (errors come from their scatter; 8 is the "
                  "default)")
Seed = number(int, ge=0, what="(the study seed, a non-negative integer)")
GravitySamples = number(int, ge=64, le=10**7, what="points per body (gravity costs bodies² × "
                        "points² per replica)")


class SignalCommon(_Apparatus):
    """Keys every neutrino-signal study (reactor_signal, day_modulation) accepts."""

    apparatus: str = Field(description="apparatus file, relative to the study file")
    samples: Samples = Field(20_000, description="Monte Carlo samples per replica per term "
                             "(the same cost for every estimator)")
    replicas: Replicas = Field(8, description="independent replicas: the errors")
    seed: Seed = Field(1, description="study seed")
    estimator: one_of(SIGNAL_ESTIMATORS, "estimator") = Field(
        "auto", description="wake estimator choice (auto: near-field where it holds)")
    gravity_samples: GravitySamples = Field(4096, description="points per body for gravity of "
                                            "the same geometry")


Angles = numbers(float, "angles [deg]", empty=True, keep=True)


class ReactorSignal(SignalCommon):
    """[reactor_signal]: the neutrino torque a reactor puts on a torsion balance (on − off),
    its harmonics in the attractor angle, δV/V_gravity and an optional direction scan."""

    angles_deg: Angles | None = Field(None, description="attractor angles [deg] (default: the "
                                      "apparatus' attractor_motion.angles_deg)")
    harmonics: numbers(int, ge=1, msg="expected positive integers (orders of the "
                       "attractor-rotation harmonics), e.g. [1, 2, 3]") = Field(
        [1, 2, 3], description="orders of the attractor-rotation harmonics fitted")
    sensitivity: one_of(_table_4, "experiment") = Field(
        "washington-1999", description="table-4 entry to compare δV/V_gravity with")
    scan_azimuths_deg: Angles = Field([], description="reactor azimuths about the fibre axis "
                                      "[deg] to scan (same distance and height); [] for none")
    scan_attractor_angle_deg: number() = Field(0.0, description="attractor angle of the scan "
                                               "[deg]")
    scan_cores: list[one_of(("point", "real"), "core", "Use")] = Field(
        ["point", "real"], description="cores of the scan: \"point\" and/or \"real\"")
    time_utc: str | None = Field(None, description="UTC time (ISO) of any sun or supernova "
                                 "beam's direction")


class ReactorSignalFile(_Beams):
    reactor_signal: ReactorSignal
    beams: Beams

    @model_validator(mode="after")
    def _sources(self):
        _check_labels(_label_defaults(self.beams))
        if not any(b.source == "reactor" for b in self.beams):
            fail("a reactor_signal study needs a [[beams]] table with source = \"reactor\" "
                 "(for the Sun over a day use the day_modulation study kind)", "beams")
        if any(b.source != "reactor" for b in self.beams) and self.reactor_signal.time_utc \
                is None:
            fail("a sun or supernova beam needs the time (UTC, e.g. \"2026-06-21T12:00:00\") at "
                 "which to take its direction", ("reactor_signal", "time_utc"))
        return self

    def params(self):
        return {**self.reactor_signal.model_dump(), "beams": beam_dicts(self.beams)}


def _dates(v):
    if not isinstance(v, list):
        return v
    if not v:
        fail("give at least one date, e.g. [\"2026-06-21\"]")
    for i, d in enumerate(v):
        try:
            datetime.strptime(str(d), "%Y-%m-%d")
        except ValueError:
            fail(f"{d!r} is not a date YYYY-MM-DD (UTC)", (i,))
    return v


class DayModulation(SignalCommon):
    """[day_modulation]: the neutrino torque over 24 h of solar beam: 1/day and 2/day
    harmonics, the Sun-direction projection as a differential acceleration, gravity."""

    dates: Annotated[list[str | date], Field(description="UTC dates, YYYY-MM-DD")]
    n_times: number(int, ge=5, le=1440, what="times per day (the 2/day harmonic needs ≥ 5)") \
        = Field(48, description="equally spaced times per date from 00:00 UTC")
    attractor_angle_deg: number() = Field(0.0, description="attractor angle [deg]")
    rotation_angles_deg: Angles = Field([], description="attractor angles [deg] at each time, "
                                        "for a rotating attractor ([]: none)")
    rotation_harmonic: number(int, ge=1) = Field(1, description="harmonic of the attractor "
                                                 "rotation taken at each time")
    dipole_angle_deg: number() | None = Field(None, description="the dipole's angle from North "
                                              "[deg] (default: from the apparatus)")

    @field_validator("dates", mode="before")
    @classmethod
    def _valid_dates(cls, v):
        return _dates(v)

    @model_validator(mode="after")
    def _rotation(self):
        ang, h = self.rotation_angles_deg, self.rotation_harmonic
        if ang and len(set(ang)) < 2 * h + 1:
            fail(f"need at least {2 * h + 1} distinct angles for harmonic {h}",
                 "rotation_angles_deg")
        return self


class DayModulationFile(_Beams):
    day_modulation: DayModulation
    beams: Beams

    @model_validator(mode="after")
    def _sun(self):
        _label_defaults(self.beams)
        if len(self.beams) != 1 or self.beams[0].source != "sun":
            fail("a day_modulation study takes exactly one [[beams]] table with source = "
                 "\"sun\" (for a reactor use reactor_signal)", "beams")
        return self

    def params(self):
        return {**self.day_modulation.model_dump(), "beams": beam_dicts(self.beams)}


# ---------------------------------------------------------------------------------------------
# [realistic_table]

#: above this many pair terms per configuration the sum is estimated by term sampling
MAX_TERMS = 600
NTimes = number(int, ge=1, le=288, what="times of day for the Sun")


class Experiment(_Beams, _Apparatus):
    """[[realistic_table.experiments]]: one table-4 experiment (an apparatus and its
    sensitivity) and its plausible sources."""

    apparatus: str = Field(description="apparatus file, relative to the study file")
    sensitivity: one_of(_table_4, "table-4 entry") = Field(description="its table-4 entry")
    beams: Beams
    label: str | None = Field(None, description="name in the table (default: the apparatus "
                              "file's stem)")
    attractor_angle_deg: number() = Field(0.0, description="attractor angle [deg]")
    samples: Samples | None = Field(None, description="overrides the study's samples")
    n_times: NTimes | None = Field(None, description="overrides the study's n_times")
    note: str = Field("", description="a note printed with the row")
    observable: str | None = Field(None, description="what the balance measures: energy, "
                                   "torque or differential_acceleration (default: that of the "
                                   "table-4 experiment)")
    max_terms: number(int, ge=10, le=10**6, what="pair terms (above it the sum over pairs is "
                      "estimated by term sampling)") = Field(
        MAX_TERMS, description="pair terms per configuration above which the sum is sampled")
    gravity_samples: GravitySamples | None = Field(None, description="overrides the study's "
                                                   "gravity_samples")

    @model_validator(mode="after")
    def _labels(self):
        _check_labels(_label_defaults(self.beams))
        from nusim.studies import experiments, observables

        default = experiments.TABLE_4[self.sensitivity].observable
        if self.observable is None:
            self.observable = default
        elif self.observable not in observables.OBSERVABLES:
            fail(f"unknown observable {self.observable!r}. Known: "
                 f"{', '.join(observables.OBSERVABLES)} (default: the table-4 experiment's, "
                 f"here {default!r})", "observable")
        return self


class RealisticTable(Table):
    """[realistic_table]: table 4's experiments against the realistic neutrino force, next to
    the α = 0 estimate, with the suppression factors between them."""

    samples: Samples = Field(20_000, description="Monte Carlo samples per replica per term")
    replicas: Replicas = Field(8, description="independent replicas: the errors")
    seed: Seed = Field(1, description="study seed")
    estimator: one_of(SIGNAL_ESTIMATORS, "estimator") = Field("auto", description="wake "
                                                              "estimator choice")
    gravity_samples: GravitySamples = Field(4096, description="points per body for gravity")
    date: str = Field("2026-06-21", description="UTC date of the Sun's day")
    n_times: NTimes = Field(8, description="times of day for the Sun")
    experiments: list[Experiment] = Field(description="the experiments "
                                          "([[realistic_table.experiments]])")

    @field_validator("experiments", mode="before")
    @classmethod
    def _some(cls, v):
        if isinstance(v, list) and not v:
            fail("give at least one [[realistic_table.experiments]] table")
        return v


class RealisticTableFile(Table):
    realistic_table: RealisticTable

    def params(self):
        t = self.realistic_table
        p = t.model_dump(exclude={"experiments"})
        p["experiments"] = []
        for e in t.experiments:
            d = e.model_dump()
            d["beams"] = beam_dicts(e.beams)
            d["label"] = e.label if e.label is not None else Path(e.apparatus).stem
            for key in ("samples", "n_times", "gravity_samples"):
                if d[key] is None:
                    d[key] = p[key]
            p["experiments"].append(d)
        return p


# ---------------------------------------------------------------------------------------------
# [smearing]

#: the variables a smearing scan may run over: (smallest, largest) value
SCAN_RANGES = {"body_radius_m": (1e-12, 1.0), "separation_m": (1e-6, 1e3),
               "energy_spread": (0.0, 1 / 6), "source_sigma_rad": (0.0, 0.1),
               "beam_angle_rad": (0.0, math.pi / 2)}
#: the base-point keys, in the order of the study's ``p["base"]``
BASE_KEYS = ("energy_MeV", "energy_spread", "flux_per_cm2_s", "separation_m", "beam_angle_rad",
             "source_sigma_rad", "body_radius_m", "target_ratio", "material")


def check_point(pt, regime, field=()):
    """``fail`` (naming ``field`` + key) unless the smearing point ``pt`` is physical."""
    def need(ok, key, what):
        if not ok:
            fail(f"{what} (got {pt[key]!r})", (*field, key))

    need(pt["energy_MeV"] > 0, "energy_MeV", "must be a positive energy [MeV]")
    need(0 <= pt["energy_spread"] <= 1 / 6, "energy_spread",
         "must lie in [0, 1/6] (σ_E/E of a Gaussian line: E₀ ≥ 6σ keeps it away from E = 0)")
    need(pt["flux_per_cm2_s"] > 0, "flux_per_cm2_s", "must be a positive flux [cm⁻² s⁻¹]")
    need(pt["separation_m"] > 0, "separation_m", "must be a positive distance [m]")
    need(0 <= pt["beam_angle_rad"] <= math.pi / 2, "beam_angle_rad",
         "must lie in [0, π/2] [rad] (the even potential repeats beyond)")
    need(0 <= pt["source_sigma_rad"] <= 0.1, "source_sigma_rad",
         "must lie in [0, 0.1] [rad] (Gaussian profile, paraxial)")
    need(pt["material"] in _materials(), "material",
         f"unknown material. Known: {', '.join(sorted(_materials()))}")
    need(0 < pt["target_ratio"] <= 1, "target_ratio", "must lie in (0, 1] (target radius / a)")
    if regime == "bodies":
        need(pt["body_radius_m"] > 0, "body_radius_m", "must be a positive radius [m]")
        need(pt["separation_m"] > (1 + pt["target_ratio"]) * pt["body_radius_m"],
             "separation_m", "the spheres overlap: the separation must exceed a (1 + "
             "target_ratio); increase separation_m or decrease body_radius_m")
    elif pt["source_sigma_rad"] > 0 and pt["beam_angle_rad"] > 0.1:
        need(False, "beam_angle_rad", "with a source profile the point-pair closed form is "
             "paraxial: keep beam_angle_rad ≤ 0.1 [rad] or set source_sigma_rad = 0")


class SmearingPoint(Table):
    """The physical point of the smearing study (the base every scan starts from)."""

    energy_MeV: number() = Field(1.0, description="mean energy of the Gaussian line [MeV]")
    energy_spread: number() = Field(0.1, description="σ_E/E of the line [1], in [0, 1/6]")
    flux_per_cm2_s: number() = Field(5e13, description="flux [cm⁻² s⁻¹] (sets the joules "
                                     "only; every fraction is flux-independent)")
    separation_m: number() = Field(0.1, description="centre distance D [m]")
    beam_angle_rad: number() = Field(0.0, description="angle α between the pair axis and the "
                                     "beam [rad], in [0, π/2]")
    source_sigma_rad: number() = Field(0.0, description="Gaussian angular profile, σ per "
                                       "transverse axis [rad], in [0, 0.1]")
    body_radius_m: number() = Field(0.01, description="source sphere radius a [m] (bodies "
                                    "regime; 0: point pair)")
    target_ratio: number() = Field(0.7, description="target radius / a, in (0, 1]")
    material: str = Field("copper", description="material preset of both bodies "
                          "(nusim.geometry.materials)")


class SmearingScan(Table):
    """[[smearing.scans]]: one variable over a list of values, from the base point (any base
    key given here overrides it for this scan)."""

    name: str | None = Field(None, description="name of the scan (default: \"<variable> "
                             "(<regime>)\")")
    regime: one_of(("point", "bodies"), "regime", None, "Use \"point\" (two point masses, "
                   "closed forms) or \"bodies\" (two spheres, Monte Carlo)") = Field(
        description="point (two point masses, closed forms) or bodies (two spheres, Monte "
        "Carlo)")
    variable: one_of(tuple(SCAN_RANGES), "variable") = Field(description="the scanned key")
    values: list[float] = Field(description="values of the variable, in its range")
    energy_MeV: number() | None = Field(None, description="overrides the base point")
    energy_spread: number() | None = Field(None, description="overrides the base point")
    flux_per_cm2_s: number() | None = Field(None, description="overrides the base point")
    separation_m: number() | None = Field(None, description="overrides the base point")
    beam_angle_rad: number() | None = Field(None, description="overrides the base point")
    source_sigma_rad: number() | None = Field(None, description="overrides the base point")
    body_radius_m: number() | None = Field(None, description="overrides the base point")
    target_ratio: number() | None = Field(None, description="overrides the base point")
    material: str | None = Field(None, description="overrides the base point")

    @field_validator("values", mode="before")
    @classmethod
    def _values(cls, v, info: ValidationInfo):
        var = info.data.get("variable")
        if var is None:
            return v
        lo, hi = SCAN_RANGES[var]
        if not (isinstance(v, list) and v and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) and lo <= x <= hi
                for x in v)):
            fail(f"expected a non-empty list of numbers in [{lo:g}, {hi:g}] for {var}, got "
                 f"{v!r}")
        return [float(x) for x in v]

    @model_validator(mode="after")
    def _variable(self):
        if self.regime == "point" and self.variable == "body_radius_m":
            fail("a point pair has no size: scan body_radius_m with regime = \"bodies\" (its "
                 "small-a end is the point-pair limit)", "variable")
        if getattr(self, self.variable) is not None:
            fail(f"{self.variable} is the scanned variable: give its values in 'values' only",
                 self.variable)
        return self


class Smearing(SmearingPoint):
    """[smearing]: the surviving fraction of the 1/r potential against the eq. 4.14 criterion
    and the Fresnel number, point pairs (closed forms) to cm bodies (Monte Carlo)."""

    samples: number(int, ge=100, le=10**8, what="(surface samples or lines per replica)") \
        = Field(20_000, description="surface samples or lines per replica")
    pair_samples: number(int, ge=16, le=10**8, what="(pair evaluations per replica)") = Field(
        100_000, description="pair evaluations per replica (brute-force pairs)")
    replicas: number(int, ge=2, le=1000, what="(independent replicas: the errors)") = Field(
        8, description="independent replicas: the errors")
    seed: number(int, ge=0, le=2**63 - 1, what="(the study seed)") = Field(
        1, description="study seed")
    estimator: one_of(_engine_estimators, "estimator") = Field(
        "auto", description="directional estimator (nusim.engine.directional)")
    criterion_samples: number(int, ge=100, le=10**7, what="(samples of the criterion variable "
                              "per point)") = Field(20_000, description="samples of the "
                                                   "criterion variable per point")
    scans: list[SmearingScan] = Field(description="the scans ([[smearing.scans]])")

    @field_validator("scans", mode="before")
    @classmethod
    def _some(cls, v):
        if isinstance(v, list) and not v:
            fail("no scans. Add [[smearing.scans]] tables with regime, variable and values")
        return v

    @model_validator(mode="after")
    def _points(self):
        base = {k: getattr(self, k) for k in BASE_KEYS}
        check_point(base, "bodies" if base["body_radius_m"] > 0 else "point")
        for i, s in enumerate(self.scans):
            point = {**base, **{k: getattr(s, k) for k in BASE_KEYS
                                if getattr(s, k) is not None}}
            if s.regime == "point":
                point["body_radius_m"] = 0.0
            for v in s.values:
                check_point({**point, s.variable: v}, s.regime, ("scans", i))
        return self


class SmearingFile(Table):
    smearing: Smearing

    def params(self):
        s = self.smearing
        base = {k: getattr(s, k) for k in BASE_KEYS}
        p = {"base": base}
        p.update({k: getattr(s, k) for k in ("samples", "pair_samples", "replicas", "seed",
                                              "estimator", "criterion_samples")})
        p["scans"] = []
        for sc in s.scans:
            point = {**base, **{k: getattr(sc, k) for k in BASE_KEYS
                                if getattr(sc, k) is not None}}
            if sc.regime == "point":
                point["body_radius_m"] = 0.0
            p["scans"].append({"name": sc.name or f"{sc.variable} ({sc.regime})",
                               "regime": sc.regime, "variable": sc.variable,
                               "values": list(sc.values), "point": point})
        return p


# ---------------------------------------------------------------------------------------------
# [apparatus_torque]


class ApparatusTorque(_Apparatus):
    """[apparatus_torque]: energy, force and fibre torque on the pendulum for each attractor
    angle (Newtonian or Yukawa), with replica errors."""

    apparatus: str = Field(description="apparatus file, relative to the study file")
    kernel: one_of(("gravity", "yukawa"), "kernel") = Field("gravity", description="pair "
                                                            "potential")
    alpha: number() = Field(1.0, description="Yukawa strength α relative to gravity [1]")
    lambda_m: number() = Field(0.01, description="Yukawa range λ [m] (> 0 for kernel = "
                               "\"yukawa\")")
    samples: number(int, ge=16, le=10**7, what="points per body") = Field(
        4096, description="points per body")
    replicas: number(int, ge=2, msg="need at least 2 for an error") = Field(
        8, description="independent replicas: the errors")
    method: one_of(("random", "sobol"), "method") = Field("sobol", description="sampling: "
                                                          "pseudo-random or scrambled Sobol")
    seed: Seed = Field(1, description="study seed")
    angles_deg: Angles | None = Field(None, description="attractor angles [deg] (default: the "
                                      "apparatus' attractor_motion.angles_deg)")

    @model_validator(mode="after")
    def _range(self):
        if self.kernel == "yukawa" and not self.lambda_m > 0:
            fail(f"must be a positive range [m], got {self.lambda_m!r}", "lambda_m")
        return self


class ApparatusTorqueFile(Table):
    apparatus_torque: ApparatusTorque

    def params(self):
        return self.apparatus_torque.model_dump()


# ---------------------------------------------------------------------------------------------
# [paper_figures]

Positive = number(gt=0, msg="must be a positive number")


def _positive_list(what):
    return numbers(float, f"positive numbers ({what})", gt=0)


Alphas = numbers(float, "angles in degrees within [0, 180]", ge=0, le=180,
                 msg="expected a non-empty list of angles in degrees within [0, 180]", keep=True)


class PaperFigures(Table):
    """[paper_figures]: figures 3, 4 and 5 of the founding paper and its material table (every
    key optional; the defaults are the paper's inputs, §5.2)."""

    fig3_alphas_deg: Alphas = Field([0.0, 30.0, 60.0, 90.0], description="figure 3: angles α "
                                    "[deg]")
    fig3_ell_min: number() = Field(0.5, description="figure 3: smallest ℓ = E r [1]")
    fig3_ell_max: number() = Field(20.0, description="figure 3: largest ℓ [1]")
    fig4_alphas_deg: Alphas = Field([30.0, 45.0, 60.0, 90.0], description="figure 4: angles α "
                                    "[deg]")
    fig4_ell_max: number(ge=1, le=2000, what="(the quadrature of eq. 4.8 costs ∝ ℓ²)") = Field(
        60.0, description="figure 4: largest ℓ [1]")
    fig4_quadrature_points: number(int, ge=2) = Field(60, description="figure 4: points of the "
                                                      "eq. 4.8 quadrature")
    fig5_reactor_flux_at_10m_per_cm2_s: Positive = Field(5e13, description="reactor flux at "
                                                         "10 m [cm⁻² s⁻¹]")
    fig5_reactor_energy_MeV: Positive = Field(2.0, description="reactor energy [MeV]")
    fig5_reactor_distances_m: _positive_list("reactor distances [m]") = Field(
        [1.0, 10.0], description="reactor distances [m] (flux scaled as 1/d²)")
    fig5_reactor_r_max_over_distance: Positive = Field(0.5, description="reactor lines stop at "
                                                       "r = this × d [1]")
    fig5_pp_flux_per_cm2_s: Positive = Field(5.99e10, description="solar pp flux [cm⁻² s⁻¹]")
    fig5_pp_energy_MeV: Positive = Field(0.3, description="solar pp energy [MeV]")
    fig5_be7_flux_per_cm2_s: Positive = Field(4.84e9, description="solar ⁷Be flux [cm⁻² s⁻¹]")
    fig5_be7_energies_MeV: _positive_list("⁷Be line energies [MeV]") = Field(
        [0.862, 0.384], description="⁷Be line energies [MeV]")
    fig5_be7_branching: _positive_list("⁷Be branching fractions [1]") = Field(
        [0.896, 0.104], description="⁷Be branching fractions [1], one per line, summing to 1")
    fig5_supernova_flux_per_cm2_s: Positive = Field(1e12, description="supernova flux "
                                                    "[cm⁻² s⁻¹]")
    fig5_supernova_energy_MeV: Positive = Field(10.0, description="supernova energy [MeV]")
    fig5_delta_z_over_a: _positive_list("δ_{Z/A} values [1]") = Field(
        [0.1, 0.01], description="δ_{Z/A} of the eq. 5.4 lines [1]")
    fig5_coupling_factor: Positive = Field(1.0, description="c of δV/V = c G_F² Φ E/(π G_N "
                                           "m_p²) [1]")
    fig5_r_min_m: Positive = Field(1e-7, description="smallest separation drawn [m]")
    fig5_r_max_m: Positive = Field(1e8, description="largest separation drawn [m]")
    material_n_e: number(ge=0, le=1, msg="the ν_e fraction must lie in [0, 1] (0.55: solar pp "
                         "at the Earth)") = Field(0.55, description="ν_e fraction of the mixed "
                                                  "beam of the material table [1]")
    material_attractor: str = Field("U", description="attractor element of the material table "
                                    "(a chemical symbol)")

    @model_validator(mode="after")
    def _cross(self):
        if not 0 < self.fig3_ell_min < self.fig3_ell_max:
            fail("need 0 < fig3_ell_min < fig3_ell_max", "fig3_ell_min")
        n, b = len(self.fig5_be7_energies_MeV), self.fig5_be7_branching
        if n != len(b):
            fail(f"give one branching fraction per ⁷Be line ({n} energies, {len(b)} "
                 "fractions)", "fig5_be7_branching")
        if abs(sum(b) - 1.0) > 1e-3:
            fail(f"the fractions must sum to 1 (got {sum(b):.6g}); e.g. [0.896, 0.104]",
                 "fig5_be7_branching")
        if not self.fig5_r_min_m < self.fig5_r_max_m:
            fail("need fig5_r_min_m < fig5_r_max_m", "fig5_r_min_m")
        from nusim.physics import couplings

        try:
            couplings.element_data(self.material_attractor)
        except ValueError:
            fail(f"{self.material_attractor!r} is not a chemical element symbol. Give a "
                 "chemical symbol, e.g. \"U\" (the Washington 1999 attractor)",
                 "material_attractor")
        return self


class PaperFiguresFile(Table):
    paper_figures: PaperFigures = Field(default_factory=PaperFigures)

    def params(self):
        return self.paper_figures.model_dump()


# ---------------------------------------------------------------------------------------------
# [directional_suppression], [directional_convergence]

#: largest Fresnel number accepted (E ≈ 2e9 eV for a = 1 cm, D = 10 cm at 1e13)
MAX_FRESNEL = 1e15


def _material(noun="material"):
    return one_of(_materials, noun, sort=True)


class DirectionalSuppression(Table):
    """[directional_suppression]: U/U_(α=0) of two coaxial spheres against the Fresnel number,
    wake estimator against references (every key optional)."""

    fresnel_numbers: numbers(float, "positive Fresnel numbers E a²/D", sort=True, ge=1e-300,
                             le=MAX_FRESNEL) = Field(
        [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6, 1e8, 1e10, 1e12],
        description="Fresnel numbers N_F = E a²/D [1] (sorted)")
    radius_m: number(gt=0, msg="must be a positive radius [m]") = Field(
        0.01, description="sphere radius a [m]")
    distance_m: number() = Field(0.1, description="centre distance D [m] (> 2a)")
    mismatch_ratio: number(gt=0, lt=1, what="(b/a; b = a has a divergent near-field limit)") \
        = Field(0.7, description="b/a of the mismatched pair [1]")
    material: _material() = Field("copper", description="material preset of the spheres")
    flux_per_cm2_s: number(gt=0, msg="must be a positive flux [cm⁻² s⁻¹]") = Field(
        5e13, description="beam flux [cm⁻² s⁻¹]")
    samples: number(int, ge=100, le=10**8, what="surface samples per replica") = Field(
        300_000, description="surface samples per replica")
    pairs_samples: number(int, ge=16, le=100_000, what="points per body (brute-force pairs "
                          "cost its square)") = Field(2000, description="points per body of "
                                                      "the brute-force pairs")
    replicas: number(int, ge=2, msg="need at least 2 for an error") = Field(
        8, description="independent replicas: the errors")
    seed: number(int, ge=0) = Field(1, description="study seed")
    estimator: one_of(_engine_estimators, "estimator") = Field(
        "auto", description="directional estimator (nusim.engine.directional)")
    reference_max_fresnel: number(ge=0, le=300, what="(0: no reference quadrature; it costs "
                                  "∝ N_F², ~0.5 s at 30)") = Field(
        30.0, description="largest N_F of the reference quadrature [1]")
    reference_points: number(int, ge=2, msg="need at least 2 points for the reference curve") \
        = Field(40, description="points of the reference curve")

    @model_validator(mode="after")
    def _overlap(self):
        if not self.distance_m > 2 * self.radius_m:
            fail(f"the centre distance {self.distance_m!r} m must exceed the diameter "
                 f"{2 * self.radius_m!r} m (the spheres may not overlap)", "distance_m")
        return self


class DirectionalSuppressionFile(Table):
    directional_suppression: DirectionalSuppression = Field(
        default_factory=DirectionalSuppression)

    def params(self):
        return self.directional_suppression.model_dump()


PositiveC = number(gt=0, msg="must be positive")


class DirectionalConvergence(Table):
    """[directional_convergence]: relative error of the retarded energy against samples and
    wall time, a tungsten attractor and a copper pendulum in a reactor beam (every key
    optional)."""

    samples: numbers(int, "integer surface samples per replica", sort=True, ge=10,
                     le=10**8) = Field([1000, 3000, 10_000, 30_000, 100_000, 300_000,
                                        1_000_000, 3_000_000],
                                       description="sample counts scanned (sorted)")
    replicas: number(int, ge=2, msg="need at least 2 for an error") = Field(
        8, description="independent replicas: the errors")
    seed: number(int, ge=0) = Field(1, description="study seed")
    thermal_power_GW: PositiveC = Field(2.9, description="reactor thermal power [GW]")
    antineutrinos_per_fission: PositiveC = Field(7.1, description="ν̄ per fission [1]")
    reactor_distance_m: PositiveC = Field(10.0, description="reactor from the apparatus "
                                          "midpoint [m]")
    reactor_depth_m: number() = Field(1.0, description="reactor below the bodies' plane [m], "
                                      "in [0, reactor_distance_m)")
    core_radius_m: PositiveC = Field(1.5, description="finite core radius [m]")
    core_height_m: PositiveC = Field(3.0, description="finite core height [m]")
    separation_m: PositiveC = Field(0.1, description="attractor–pendulum separation [m]")
    body_radius_m: PositiveC = Field(0.005, description="cylinder radius of both bodies [m]")
    body_height_m: PositiveC = Field(0.01, description="cylinder height of both bodies [m]")
    attractor_material: _material() = Field("tungsten", description="attractor material preset")
    pendulum_material: _material() = Field("copper", description="pendulum material preset")
    spectrum_components: number(int, ge=2, le=200, what="Gaussian components of the spectrum "
                                "fit") = Field(48, description="Gaussian components of the "
                                               "reactor spectrum fit")

    @model_validator(mode="after")
    def _geometry(self):
        if not 0 <= self.reactor_depth_m < self.reactor_distance_m:
            fail(f"must lie in [0, reactor_distance_m), got {self.reactor_depth_m!r}",
                 "reactor_depth_m")
        if not self.separation_m > 2 * self.body_radius_m:
            fail(f"the bodies overlap: separation {self.separation_m!r} m ≤ 2 × body_radius_m",
                 "separation_m")
        reach = self.separation_m + math.hypot(self.core_radius_m, self.core_height_m / 2)
        if not self.reactor_distance_m > reach:
            fail("the core would reach the apparatus; move the reactor further away",
                 "reactor_distance_m")
        return self


class DirectionalConvergenceFile(Table):
    directional_convergence: DirectionalConvergence = Field(
        default_factory=DirectionalConvergence)

    def params(self):
        return self.directional_convergence.model_dump()


# ---------------------------------------------------------------------------------------------
# [design_search]

#: the design parameters of nusim.design (a dumbbell pendulum and a stack of attractor plates):
#: name → (kind, unit, what it is). kind: "length" ([m], > 0; plate_spacing_m ≥ 0), "offset"
#: ([m], any sign), "angle" ([deg], |value| < 80), "count" (integer 1 … 20), "material" (a
#: preset of nusim.geometry.materials). nusim.design.space and nusim.design.builder read them.
DESIGN_PARAMETERS = {
    "gap_m": ("length", "m", "face-to-face gap along the beam between the attractor stack's "
              "downstream face and the upstream face of the test mass in its wake"),
    "attractor_thickness_m": ("length", "m", "thickness of each attractor plate along the beam"),
    "attractor_width_m": ("length", "m", "width of each attractor plate across the beam "
                          "(horizontal, along the lever arm)"),
    "attractor_height_m": ("length", "m", "height of each attractor plate (vertical)"),
    "n_plates": ("count", "", "number of attractor plates stacked along the beam"),
    "plate_spacing_m": ("length", "m", "free space between neighbouring attractor plates"),
    "offset_y_m": ("offset", "m", "horizontal offset of the attractor's centre from the test "
                   "mass's centre across the beam (along the lever arm, outwards positive)"),
    "offset_z_m": ("offset", "m", "vertical offset of the attractor's centre from the test "
                   "mass's centre"),
    "tilt_deg": ("angle", "deg", "tilt of every attractor plate about the vertical through its "
                 "centre (0: faces perpendicular to the beam's horizontal direction)"),
    "attractor_material": ("material", "", "material of the attractor plates"),
    "pendulum_thickness_m": ("length", "m", "thickness of each test mass along the beam"),
    "pendulum_width_m": ("length", "m", "width of each test mass along the lever arm"),
    "pendulum_height_m": ("length", "m", "height of each test mass (vertical)"),
    "lever_arm_m": ("length", "m", "distance of each test mass's centre from the fibre"),
    "pendulum_material": ("material", "", "material of the two test masses"),
}

#: the value of each design parameter a study file does not name: a design like
#: geometries/reactor-proposal.toml but with plates (assumed: a Cu dumbbell of two 2 cm plates
#: at a 4 cm lever arm, one W plate 5 cm upstream)
DESIGN_DEFAULTS = {
    "gap_m": 0.05, "attractor_thickness_m": 0.02, "attractor_width_m": 0.04,
    "attractor_height_m": 0.04, "n_plates": 1, "plate_spacing_m": 0.005, "offset_y_m": 0.0,
    "offset_z_m": 0.0, "tilt_deg": 0.0, "attractor_material": "tungsten",
    "pendulum_thickness_m": 0.02, "pendulum_width_m": 0.02, "pendulum_height_m": 0.02,
    "lever_arm_m": 0.04, "pendulum_material": "copper",
}

#: estimators of every design evaluation (the winner is re-estimated with "wake" too)
DESIGN_ESTIMATORS = ("auto", "nearfield", "wake")
_DISCRETE = ("count", "material")


@dataclass(frozen=True)
class DesignValue:
    """One design parameter of ``[design_search.parameters]``: a fixed value, a free range
    ``{min, max, start}`` (continuous kinds) or ``{choices = [...]}`` (count and material)."""

    name: str
    kind: str
    unit: str

    def value(self, v, field=()):
        """One value of the parameter, checked (a length or angle as a float)."""
        if self.kind == "material":
            if not isinstance(v, str) or v not in _materials():
                fail(f"unknown material {v!r}. Known: {', '.join(_materials())}", field)
            return v
        if self.kind == "count":
            if not (isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 20):
                fail(f"expected an integer from 1 to 20, got {v!r}", field)
            return v
        hint = f". {METRES_HINT}" if self.unit == "m" else ""
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            fail(f"expected a number [{self.unit}], got {v!r}{hint}", field)
        v = float(v)
        if self.kind == "length" and self.name == "plate_spacing_m" and v < 0:
            fail(f"must be ≥ 0 m, got {v!r}{hint}", field)
        if self.kind == "length" and self.name != "plate_spacing_m" and v <= 0:
            fail(f"must be > 0 m, got {v!r}{hint}", field)
        if self.kind == "angle" and abs(v) >= 80:
            fail(f"|tilt| must stay below 80°, got {v!r}", field)
        return v

    def _unknown(self, v, allowed):
        extra = [k for k in v if k not in allowed]
        if extra:
            fail(f"unknown key. Allowed keys here: {', '.join(sorted(allowed))}", (extra[0],))

    def check(self, v):
        """The fixed value, {"min", "max"[, "start"]} or {"choices": [...]}, checked."""
        if not isinstance(v, dict):
            return self.value(v)
        if "choices" in v:
            self._unknown(v, ("choices",))
            c = v["choices"]
            if not isinstance(c, list):
                fail(f"expected a list of choices, e.g. [1, 2], got {c!r}", ("choices",))
            if not c:
                fail("give at least one choice", ("choices",))
            if self.kind not in _DISCRETE:
                fail(f"{self.name} is continuous: give {{min = …, max = …}}, not choices",
                     ("choices",))
            return {"choices": [self.value(x, ("choices", i)) for i, x in enumerate(c)]}
        self._unknown(v, ("min", "max", "start"))
        if self.kind in _DISCRETE:
            fail(f"{self.name} is discrete: give {{choices = [...]}} or a fixed value")
        for key in ("min", "max"):
            if key not in v:
                fail("missing required key", (key,))
        lo, hi = self.value(v["min"], ("min",)), self.value(v["max"], ("max",))
        if not hi > lo:
            fail(f"max ({hi!r}) must exceed min ({lo!r})", ("max",))
        out = {"min": lo, "max": hi}
        if "start" in v:
            out["start"] = self.value(v["start"], ("start",))
            if not lo <= out["start"] <= hi:
                fail(f"{out['start']!r} is outside [min, max] = [{lo!r}, {hi!r}]", ("start",))
        return out

    def doc_type(self):
        """The type as docs/study-files.md shows it."""
        return {"count": "integer or table", "material": "string or table"}.get(
            self.kind, "number or table")

    def doc_allowed(self):
        """The allowed values as docs/study-files.md shows them."""
        fixed = {"length": "> 0" if self.name != "plate_spacing_m" else "≥ 0", "offset": "any",
                 "angle": "(-80, 80)", "count": "1 … 20", "material": "a material preset"}
        free = ("`{choices = [...]}`" if self.kind in _DISCRETE else
                "`{min = …, max = …, start = …}` (start optional)")
        return f"fixed: {fixed[self.kind]}; free: {free}"

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_plain_validator_function(self.check)

    def __get_pydantic_json_schema__(self, schema, handler):
        return {"description": self.doc_allowed()}


class _DesignParameters(Table):
    """[design_search.parameters]: each design parameter fixed (a value), free over a range
    (`{min = …, max = …, start = …}`; start optional, default the middle) or a discrete choice
    (`{choices = [...]}`: n_plates and the materials); a parameter not named keeps its
    default. At least one must be free. The order of the free ones is the optimiser's."""

    _order: list = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_order(cls, data, handler):
        m = handler(data)
        m._order = list(data)
        return m

    @model_validator(mode="after")
    def _some_free(self):
        if not any(isinstance(getattr(self, k), dict) for k in DESIGN_PARAMETERS):
            fail("no free parameter: give at least one {min = …, max = …} or "
                 "{choices = [...]}")
        return self

    def space(self, constraints):
        """The ``p["space"]`` dict: fixed (every parameter not free, in declaration order),
        continuous ({name: [min, max]}), discrete ({name: [choices]}) and start (in the file's
        order), constraints."""
        fixed, continuous, discrete, start = {}, {}, {}, {}
        for name in DESIGN_PARAMETERS:
            v = getattr(self, name)
            if not isinstance(v, dict):
                fixed[name] = v
        for name in self._order:
            v = getattr(self, name)
            if isinstance(v, dict) and "choices" in v:
                discrete[name] = list(v["choices"])
            elif isinstance(v, dict):
                continuous[name] = [v["min"], v["max"]]
                if "start" in v:
                    start[name] = v["start"]
        return {"fixed": fixed, "continuous": continuous, "discrete": discrete, "start": start,
                "constraints": constraints}


DesignParameters = create_model(
    "DesignParameters", __base__=_DesignParameters, __doc__=_DesignParameters.__doc__,
    **{name: (Annotated[float | int | str | dict, DesignValue(name, kind, unit)],
              Field(DESIGN_DEFAULTS[name], description=desc + (f" [{unit}]" if unit else "")))
       for name, (kind, unit, desc) in DESIGN_PARAMETERS.items()})


def _limit(unit):
    hint = METRES_HINT if unit == "m" else ""
    return Annotated[float, Range(ge=0, what=f"[{unit}]", hint=hint)]


class DesignConstraints(Table):
    """[design_search.constraints]: the practical limits a design must meet (checked by
    nusim.design.builder.violations; an infeasible design is never evaluated). Each default is
    an assumption, argued in docs/design-search.md."""

    max_pendulum_mass_kg: _limit("kg") = Field(
        0.2, description="largest mass of the pendulum [kg] (assumed: a 20 µm-class W fibre's "
        "safe load)")
    max_attractor_mass_kg: _limit("kg") = Field(
        50.0, description="largest mass of the attractor stack [kg] (assumed: what a precision "
        "turntable carries)")
    min_gap_m: _limit("m") = Field(0.003, description="smallest gap [m], tilt included "
                                   "(assumed: 1 mm shield + 1 mm clearance each side)")
    min_thickness_m: _limit("m") = Field(0.001, description="thinnest attractor plate or test mass "
                                         "[m] (assumed: thinner is not flat to µm)")
    min_lever_arm_m: _limit("m") = Field(0.01, description="shortest lever arm [m] (assumed: "
                                         "room for the mirror and the fibre attachment)")
    min_turntable_clearance_m: _limit("m") = Field(
        0.003, description="clearance [m] of the attractor's innermost point from the "
        "pendulum's circle as it turns about the fibre (assumed)")


def _noise_defaults():
    from nusim.design.noise import NoiseModel

    return NoiseModel().to_dict()


_NOISE = _noise_defaults()


class DesignNoise(Table):
    """[design_search.noise]: the fibre's thermal torque noise (nusim.design.noise.NoiseModel,
    structural damping); each default an assumption, argued in docs/design-search.md."""

    temperature_K: number(gt=0, msg="must be a positive number [K]") = Field(
        _NOISE["temperature_K"], description="fibre temperature [K] (a room-temperature "
        "laboratory)")
    quality_factor: number(gt=0, msg="must be a positive number (Q of the torsional mode)") \
        = Field(_NOISE["quality_factor"], description="Q of the torsional mode [1] "
                "(tungsten-fibre class)")
    free_period_s: number(gt=0, msg="must be a positive number [s]") = Field(
        _NOISE["free_period_s"], description="free period T₀ of the pendulum [s] (Eöt-Wash "
        "class)")
    modulation_period_s: number(gt=0, msg="must be a positive number [s]") = Field(
        _NOISE["modulation_period_s"], description="period of the attractor's in/out square "
        "wave [s] (2 T₀, below resonance)")
    integration_time_s: number(gt=0, msg="must be a positive number [s]") = Field(
        _NOISE["integration_time_s"], description="total measuring time t [s] (1e6 s ≈ 12 "
        "days)")


class DesignTolerances(Table):
    """[design_search.tolerances]: the guardrail that moves the winner's plates at random."""

    tilt_urad: number(ge=0, what="[µrad]") = Field(10.0, description="rms tilt of each attractor "
                                                   "plate per axis [µrad]")
    displacement_um: number(ge=0, what="[µm]") = Field(
        5.0, description="rms displacement of each plate per axis [µm] (flatness and placement)")
    draws: number(int, ge=0, le=1000, what="random draws (0: skip)") = Field(
        4, description="random draws of tilts and displacements (0: no tolerance guardrail)")


class DesignPowerProfile(Table):
    """[design_search.power_profile]: the guardrail that changes the core's power profile."""

    enabled: bool = Field(True, description="the winner under a uniform and a peaked "
                          "(bare-cylinder J₀·cos) core power profile, as angular tables")


@dataclass(frozen=True)
class ZeroOrSamples:
    """0 (skip) or a sample count in [100, 1e8]."""

    def check(self, v):
        if not (v == 0 or 100 <= v <= 10**8):
            fail(f"must be 0 (skip) or lie in [100, 1e8] samples per replica per term, got "
                 f"{v!r}")
        return v

    def doc_allowed(self):
        return "0 or [100, 1e8]"

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_after_validator_function(self.check, handler(source))


Fraction = "(a fraction of each parameter's range)"


class DesignSearch(Table):
    """[design_search]: the torsion-balance design with the best signal-to-noise ratio of the
    modulated neutrino torque against the fibre's thermal noise, in reactor beams
    (docs/design-search.md)."""

    samples: number(int, ge=100, le=10**8, what="samples per replica per term (16 000: ~1 s "
                    "per design with the near-field estimator)") = Field(
        16_000, description="Monte Carlo samples per replica per term, every evaluation")
    replicas: Replicas = Field(8, description="independent replicas: the errors")
    seed: number(int, ge=0, le=2**63 - 1, what="(the study seed)") = Field(
        1, description="study seed; the same for every evaluation (common random numbers)")
    gravity_samples: GravitySamples = Field(1024, description="points per body for gravity of "
                                            "the same bodies")
    estimator: one_of(DESIGN_ESTIMATORS, "estimator") = Field(
        "auto", description="estimator of every evaluation (auto: near-field where it holds)")
    sensitivity: one_of(_table_4, "experiment") = Field(
        "washington-1999", description="table-4 entry to compare δ = Δτ_ν/τ_grav with")
    max_evaluations: number(int, ge=1, le=100_000, what="objective calls (120: ~3 min on 2 "
                            "cores)") = Field(120, description="objective-call budget, "
                                              "screening + Nelder–Mead")
    screen_points: number(int, ge=0, le=1000, what="Sobol points (0: the start only)") = Field(
        6, description="feasible Sobol points per discrete combination besides the start")
    refine_combos: number(int, ge=0, le=1000, what="combinations") = Field(
        1, description="how many screened discrete combinations Nelder–Mead refines")
    profile_points: number(int, ge=0, le=100, what="points per parameter (0: no profiles)") \
        = Field(7, description="points per continuous parameter of the profiles through the "
                "optimum")
    polish_rounds: number(int, ge=0, le=20, what="axis-scan moves (0: profiles only)") = Field(
        2, description="moves to a better profile point, each profiled again")
    xatol: number(ge=1e-6, le=0.5, what=Fraction) = Field(
        0.02, description="Nelder–Mead simplex size at convergence [1] (of each range)")
    initial_step: number(ge=1e-3, le=1.0, what=Fraction) = Field(
        0.2, description="Nelder–Mead initial step [1] (of each range)")
    profile_span: number(ge=1e-3, le=1.0, what=Fraction) = Field(
        0.3, description="half-width of each profile [1] (of each range)")
    final_samples: Annotated[int, ZeroOrSamples()] = Field(
        64_000, description="samples of the winner's re-estimate with fresh seeds (0: skip)")
    wake_samples: Annotated[int, ZeroOrSamples()] = Field(
        100_000, description="samples of the winner's re-estimate with the wake estimator (0: "
        "skip)")
    fresh_seed: number(int, ge=0, what="(a non-negative seed other than seed)") | None = Field(
        None, description="seed of the re-estimates (default: seed + 1000)")
    noise: DesignNoise = Field(default_factory=DesignNoise, description="the thermal noise "
                               "model ([design_search.noise])")
    tolerances: DesignTolerances = Field(default_factory=DesignTolerances, description="the "
                                         "tolerance guardrail ([design_search.tolerances])")
    power_profile: DesignPowerProfile = Field(
        default_factory=DesignPowerProfile, description="the core-power guardrail "
        "([design_search.power_profile])")
    parameters: DesignParameters = Field(description="the design: fixed and free parameters "
                                         "([design_search.parameters])")
    constraints: DesignConstraints = Field(default_factory=DesignConstraints, description="the "
                                           "practical limits ([design_search.constraints])")

    @model_validator(mode="after")
    def _fresh(self):
        if self.fresh_seed == self.seed:
            fail(f"must differ from seed = {self.seed} (the re-estimate needs fresh random "
                 f"numbers), got {self.fresh_seed!r}", "fresh_seed")
        return self


class DesignSearchFile(_Beams):
    design_search: DesignSearch
    beams: Beams

    @model_validator(mode="after")
    def _reactors(self):
        _check_labels(_label_defaults(self.beams))
        for i, b in enumerate(self.beams):
            if b.source != "reactor":
                fail(f"{b.source!r}: a design_search study takes reactor beams only (the Sun's "
                     "direction changes over the day: use day_modulation)", ("beams", i,
                                                                            "source"))
        if not any(b.on for b in self.beams):
            fail("every reactor is off (on = false): nothing to optimise", "beams")
        return self

    def params(self):
        t = self.design_search
        p = t.model_dump(exclude={"parameters", "constraints"})
        if p["fresh_seed"] is None:
            p["fresh_seed"] = t.seed + 1000
        p["space"] = t.parameters.space(t.constraints.model_dump())
        p["beams"] = beam_dicts(self.beams)
        return p


# ---------------------------------------------------------------------------------------------
# the kinds

#: study kind -> the model of the file's tables it reads (its kind table, and [[beams]])
KIND_MODELS = {
    "reactor_signal": ReactorSignalFile,
    "day_modulation": DayModulationFile,
    "smearing": SmearingFile,
    "realistic_table": RealisticTableFile,
    "apparatus_torque": ApparatusTorqueFile,
    "paper_figures": PaperFiguresFile,
    "directional_suppression": DirectionalSuppressionFile,
    "directional_convergence": DirectionalConvergenceFile,
    "design_search": DesignSearchFile,
}


def params(kind, doc, path):
    """The validated parameters ``p`` of study kind ``kind`` from the parsed study file ``doc``
    at ``path`` (ConfigError naming the file and the dotted field otherwise)."""
    model = KIND_MODELS[kind]
    if kind in doc and not isinstance(doc[kind], dict):
        raise ConfigError(path, kind, f"expected a table ([{kind}]), got {doc[kind]!r}")
    data = {k: doc[k] for k in model.model_fields if k in doc}
    return validate(model, data, path).params()
