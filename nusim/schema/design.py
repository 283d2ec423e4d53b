"""The ``[design_search]`` study kind of the study-file schema: the design parameters of
:mod:`nusim.design` (each fixed, free over a range or a discrete choice), the practical
constraints, the noise model and guardrails of the search, and its reactor ``[[beams]]``.
"""

import math
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, PrivateAttr, create_model, model_validator
from pydantic_core import core_schema

from nusim.schema.beams import Beams, BeamsTable, beam_dicts, check_labels, label_defaults
from nusim.schema.common import GravitySamples, Replicas, material_names, table_4_entries
from nusim.schema.core import METRES_HINT, Range, Table, fail, number, one_of

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
            if not isinstance(v, str) or v not in material_names():
                fail(f"unknown material {v!r}. Known: {', '.join(material_names())}", field)
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
    sensitivity: one_of(table_4_entries, "experiment") = Field(
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


class DesignSearchFile(BeamsTable):
    design_search: DesignSearch
    beams: Beams

    @model_validator(mode="after")
    def _reactors(self):
        check_labels(label_defaults(self.beams))
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
