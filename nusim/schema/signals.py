"""The neutrino-signal study kinds of the study-file schema: ``[reactor_signal]`` (a reactor's
torque on a torsion balance), ``[day_modulation]`` (the Sun over a day) and
``[realistic_table]`` (table 4's experiments against the realistic force), each with
``[[beams]]``.
"""

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from nusim.schema.beams import Beams, BeamsTable, beam_dicts, check_labels, label_defaults
from nusim.schema.common import (Angles, ApparatusTable, GravitySamples, Replicas, Samples, Seed,
                                 table_4_entries)
from nusim.schema.core import Table, fail, number, numbers, one_of

# ---------------------------------------------------------------------------------------------
# keys the neutrino-signal studies share

#: estimators of the whole-apparatus signal studies
SIGNAL_ESTIMATORS = ("auto", "wake", "pairs")


class SignalCommon(ApparatusTable):
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


# ---------------------------------------------------------------------------------------------
# [reactor_signal], [day_modulation]


class ReactorSignal(SignalCommon):
    """[reactor_signal]: the neutrino torque a reactor puts on a torsion balance (on − off),
    its harmonics in the attractor angle, δV/V_gravity and an optional direction scan."""

    angles_deg: Angles | None = Field(None, description="attractor angles [deg] (default: the "
                                      "apparatus' attractor_motion.angles_deg)")
    harmonics: numbers(int, ge=1, msg="expected positive integers (orders of the "
                       "attractor-rotation harmonics), e.g. [1, 2, 3]") = Field(
        [1, 2, 3], description="orders of the attractor-rotation harmonics fitted")
    sensitivity: one_of(table_4_entries, "experiment") = Field(
        "washington-1999", description="table-4 entry to compare δV/V_gravity with")
    scan_azimuths_deg: Angles = Field([], description="reactor azimuths about the fibre axis "
                                      "[deg] to scan (same distance and height); [] for none")
    scan_attractor_angle_deg: number() = Field(0.0, description="attractor angle of the scan "
                                               "[deg]")
    scan_cores: list[one_of(("point", "real"), "core", "Use")] = Field(
        ["point", "real"], description="cores of the scan: \"point\" and/or \"real\"")
    time_utc: str | None = Field(None, description="UTC time (ISO) of any sun or supernova "
                                 "beam's direction")


class ReactorSignalFile(BeamsTable):
    reactor_signal: ReactorSignal
    beams: Beams

    @model_validator(mode="after")
    def _sources(self):
        check_labels(label_defaults(self.beams))
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


class DayModulationFile(BeamsTable):
    day_modulation: DayModulation
    beams: Beams

    @model_validator(mode="after")
    def _sun(self):
        label_defaults(self.beams)
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


class Experiment(BeamsTable, ApparatusTable):
    """[[realistic_table.experiments]]: one table-4 experiment (an apparatus and its
    sensitivity) and its plausible sources."""

    apparatus: str = Field(description="apparatus file, relative to the study file")
    sensitivity: one_of(table_4_entries, "table-4 entry") = Field(description="its table-4 entry")
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
        check_labels(label_defaults(self.beams))
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
