"""The ``[smearing]`` study kind of the study-file schema: a physical base point and the
``[[smearing.scans]]`` that run one variable of it over a list of values, each point checked
(:func:`check_point`).
"""

import math

from pydantic import Field, ValidationInfo, field_validator, model_validator

from nusim.schema.common import engine_estimators, material_names
from nusim.schema.core import Table, fail, number, one_of

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
    need(pt["material"] in material_names(), "material",
         f"unknown material. Known: {', '.join(sorted(material_names()))}")
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
    estimator: one_of(engine_estimators, "estimator") = Field(
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
