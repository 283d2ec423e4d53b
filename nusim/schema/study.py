"""The schema of study files (``runs/*.toml``): the ``[study]`` table, the study kinds
(:data:`KIND_MODELS`, one model per kind of the file's tables it reads) and :func:`params`, which
gives each kind's parameter dict ``p``.

Every relative path (``apparatus``) is relative to the study file. Units are in the key names
(SI: ``_m``, ``_deg``, ``_GW``, ``_MeV``, ``_per_cm2_s``; ``_rad`` where radians are meant).
docs/study-files.md is generated from these models (``python -m nusim.schema.docs``).

Each table is declared in a module of its own, and its names are re-exported here:

* :mod:`nusim.schema.beams` — the ``[[beams]]`` tables (reactor, sun, supernova);
* :mod:`nusim.schema.common` — keys and allowed values several kinds share;
* :mod:`nusim.schema.signals` — ``reactor_signal``, ``day_modulation``, ``realistic_table``;
* :mod:`nusim.schema.smearing` — ``smearing``;
* :mod:`nusim.schema.torque` — ``apparatus_torque``;
* :mod:`nusim.schema.figures` — ``paper_figures``;
* :mod:`nusim.schema.directional` — ``directional_suppression``, ``directional_convergence``;
* :mod:`nusim.schema.design` — ``design_search``.
"""

from pydantic import Field, ValidationInfo, field_validator, model_validator

from nusim.errors import ConfigError
from nusim.schema.beams import (BEAM_MODELS, Beam, Beams, ReactorBeam, SunBeam, SupernovaBeam,
                                beam_dicts, parse_beams)
from nusim.schema.common import Angles, GravitySamples, Replicas, Samples, Seed
from nusim.schema.core import TAGS, Table, fail, validate
from nusim.schema.design import (DESIGN_DEFAULTS, DESIGN_ESTIMATORS, DESIGN_PARAMETERS,
                                 DesignConstraints, DesignNoise, DesignParameters,
                                 DesignPowerProfile, DesignSearch, DesignSearchFile,
                                 DesignTolerances, DesignValue, Fraction, ZeroOrSamples)
from nusim.schema.directional import (MAX_FRESNEL, DirectionalConvergence,
                                      DirectionalConvergenceFile, DirectionalSuppression,
                                      DirectionalSuppressionFile, PositiveC)
from nusim.schema.figures import Alphas, PaperFigures, PaperFiguresFile, Positive
from nusim.schema.signals import (MAX_TERMS, SIGNAL_ESTIMATORS, DayModulation, DayModulationFile,
                                  Experiment, NTimes, ReactorSignal, ReactorSignalFile,
                                  RealisticTable, RealisticTableFile, SignalCommon)
from nusim.schema.smearing import (BASE_KEYS, SCAN_RANGES, Smearing, SmearingFile, SmearingPoint,
                                   SmearingScan, check_point)
from nusim.schema.torque import ApparatusTorque, ApparatusTorqueFile

__all__ = [
    "Study", "study_header", "KIND_MODELS", "params",
    # [[beams]]
    "BEAM_MODELS", "Beam", "Beams", "ReactorBeam", "SunBeam", "SupernovaBeam", "beam_dicts",
    "parse_beams", "TAGS",
    # keys several kinds share
    "Angles", "GravitySamples", "Replicas", "Samples", "Seed",
    # the kinds
    "SIGNAL_ESTIMATORS", "SignalCommon", "ReactorSignal", "ReactorSignalFile", "DayModulation",
    "DayModulationFile", "MAX_TERMS", "NTimes", "Experiment", "RealisticTable",
    "RealisticTableFile",
    "SCAN_RANGES", "BASE_KEYS", "check_point", "SmearingPoint", "SmearingScan", "Smearing",
    "SmearingFile",
    "ApparatusTorque", "ApparatusTorqueFile",
    "Positive", "Alphas", "PaperFigures", "PaperFiguresFile",
    "MAX_FRESNEL", "DirectionalSuppression", "DirectionalSuppressionFile", "PositiveC",
    "DirectionalConvergence", "DirectionalConvergenceFile",
    "DESIGN_PARAMETERS", "DESIGN_DEFAULTS", "DESIGN_ESTIMATORS", "DesignValue",
    "DesignParameters", "DesignConstraints", "DesignNoise", "DesignTolerances",
    "DesignPowerProfile", "ZeroOrSamples", "Fraction", "DesignSearch", "DesignSearchFile",
]

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
