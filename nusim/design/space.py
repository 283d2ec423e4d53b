"""The design space of a parametrised torsion balance: parameters, ranges, choices, constraints.

A design is a dict of the parameters in :data:`PARAMETERS` (SI, unit-suffixed names). A design
file (``[design_search.parameters]``) gives each parameter either a fixed value or a free range
``{min = …, max = …}`` (continuous) or ``{choices = [...]}`` (discrete: the number of plates,
materials); parameters it does not name keep :data:`DEFAULTS`. ``[design_search.constraints]``
sets the practical limits of :data:`CONSTRAINT_DEFAULTS` (checked by
:func:`nusim.design.builder.violations`).

The optimiser moves the continuous parameters in the unit cube ([0, 1] per parameter, linear in
the parameter): :func:`to_unit` / :func:`from_unit`. Everything here is plain data and
functions; :class:`Space` only holds the parsed declaration.

The geometry the parameters describe is in :mod:`nusim.design.builder`.
"""

import itertools
import math
from dataclasses import dataclass

from nusim.config import reject_unknown, take
from nusim.errors import ConfigError
from nusim.geometry.materials import MATERIALS

#: name → (kind, unit, what it is). kind: "length" (> 0 or ≥ 0, [m]), "angle" ([deg]),
#: "count" (integer ≥ 1), "material" (a preset of nusim.geometry.materials)
PARAMETERS = {
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

#: a design like geometries/reactor-proposal.toml but with plates (assumed: a Cu dumbbell of
#: two 2 cm plates at a 4 cm lever arm, one W plate 5 cm upstream)
DEFAULTS = {
    "gap_m": 0.05, "attractor_thickness_m": 0.02, "attractor_width_m": 0.04,
    "attractor_height_m": 0.04, "n_plates": 1, "plate_spacing_m": 0.005, "offset_y_m": 0.0,
    "offset_z_m": 0.0, "tilt_deg": 0.0, "attractor_material": "tungsten",
    "pendulum_thickness_m": 0.02, "pendulum_width_m": 0.02, "pendulum_height_m": 0.02,
    "lever_arm_m": 0.04, "pendulum_material": "copper",
}

#: practical limits (checked by nusim.design.builder.violations); each documented in
#: docs/design-search.md with its reason
CONSTRAINT_DEFAULTS = {
    "max_pendulum_mass_kg": 0.2,      # assumed: a 20 µm-class W fibre's safe load ~0.2 kg
    "max_attractor_mass_kg": 50.0,    # assumed: what a precision turntable carries
    "min_gap_m": 0.003,               # assumed: 1 mm shield + 1 mm clearance each side
    "min_thickness_m": 0.001,         # assumed: a plate thinner than 1 mm is not flat to µm
    "min_lever_arm_m": 0.01,          # assumed: room for the mirror and the fibre attachment
    "min_turntable_clearance_m": 0.003,  # assumed: the attractor turns about the fibre; its
                                          # innermost point clears the pendulum's circle by this
}


@dataclass(frozen=True)
class Space:
    """A parsed design declaration: ``fixed`` (name → value), ``continuous`` (name → (lo, hi)),
    ``discrete`` (name → tuple of choices), ``start`` (name → starting value of a continuous
    parameter), ``constraints`` (name → limit)."""

    fixed: dict
    continuous: dict
    discrete: dict
    start: dict
    constraints: dict

    @property
    def continuous_names(self):
        return tuple(self.continuous)

    @property
    def discrete_names(self):
        return tuple(self.discrete)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value(name, value, path, field):
    kind = PARAMETERS[name][0]
    if kind == "material":
        if not isinstance(value, str) or value not in MATERIALS:
            raise ConfigError(path, field, f"unknown material {value!r}. Known: "
                              f"{', '.join(MATERIALS)}")
        return value
    if kind == "count":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 20:
            raise ConfigError(path, field, f"expected an integer from 1 to 20, got {value!r}")
        return value
    if not _number(value) or not math.isfinite(value):
        raise ConfigError(path, field, f"expected a number [{PARAMETERS[name][1]}], got "
                          f"{value!r}")
    value = float(value)
    if kind == "length" and value <= 0 and name != "plate_spacing_m":
        raise ConfigError(path, field, f"must be > 0 m, got {value!r}")
    if kind == "length" and value < 0:
        raise ConfigError(path, field, f"must be ≥ 0 m, got {value!r}")
    if kind == "angle" and abs(value) >= 80:
        raise ConfigError(path, field, f"|tilt| must stay below 80°, got {value!r}")
    return value


def parse_space(table, path, prefix):
    """A :class:`Space` from the design file's ``parameters`` and ``constraints`` tables
    (``table`` is the study's section; ``prefix`` its dotted name for errors)."""
    params = take(table, "parameters", dict, path, prefix, required=True)
    reject_unknown(params, PARAMETERS, path, f"{prefix}.parameters")
    fixed, continuous, discrete, start = dict(DEFAULTS), {}, {}, {}
    for name, spec in params.items():
        field = f"{prefix}.parameters.{name}"
        kind = PARAMETERS[name][0]
        if not isinstance(spec, dict):
            fixed[name] = _check_value(name, spec, path, field)
            continue
        if "choices" in spec:
            reject_unknown(spec, ("choices",), path, field)
            choices = take(spec, "choices", list, path, field)
            if not choices:
                raise ConfigError(path, f"{field}.choices", "give at least one choice")
            if kind not in ("count", "material"):
                raise ConfigError(path, f"{field}.choices", f"{name} is continuous: give "
                                  "{min = …, max = …}, not choices")
            discrete[name] = tuple(_check_value(name, c, path, f"{field}.choices")
                                   for c in choices)
            del fixed[name]
            continue
        reject_unknown(spec, ("min", "max", "start"), path, field)
        if kind in ("count", "material"):
            raise ConfigError(path, field, f"{name} is discrete: give {{choices = [...]}} or "
                              "a fixed value")
        lo = _check_value(name, take(spec, "min", float, path, field, required=True), path,
                          f"{field}.min")
        hi = _check_value(name, take(spec, "max", float, path, field, required=True), path,
                          f"{field}.max")
        if not hi > lo:
            raise ConfigError(path, f"{field}.max", f"max ({hi!r}) must exceed min ({lo!r})")
        continuous[name] = (lo, hi)
        if "start" in spec:
            s = _check_value(name, take(spec, "start", float, path, field), path,
                             f"{field}.start")
            if not lo <= s <= hi:
                raise ConfigError(path, f"{field}.start", f"{s!r} is outside [{lo!r}, {hi!r}]")
            start[name] = s
        del fixed[name]
    cons = take(table, "constraints", dict, path, prefix, default={})
    reject_unknown(cons, CONSTRAINT_DEFAULTS, path, f"{prefix}.constraints")
    constraints = dict(CONSTRAINT_DEFAULTS)
    for name, value in cons.items():
        field = f"{prefix}.constraints.{name}"
        if not _number(value) or not value >= 0:
            raise ConfigError(path, field, f"expected a number ≥ 0, got {value!r}")
        constraints[name] = float(value)
    return Space(fixed, continuous, discrete, start, constraints)


def space_from_dicts(*, fixed=None, continuous=None, discrete=None, start=None,
                     constraints=None):
    """A :class:`Space` built in Python (tests, notebooks): unnamed parameters keep
    :data:`DEFAULTS`, unnamed constraints :data:`CONSTRAINT_DEFAULTS`."""
    continuous = {k: (float(a), float(b)) for k, (a, b) in (continuous or {}).items()}
    discrete = {k: tuple(v) for k, v in (discrete or {}).items()}
    free = set(continuous) | set(discrete)
    unknown = (free | set(fixed or {})) - set(PARAMETERS)
    if unknown:
        raise ConfigError("<python>", sorted(unknown)[0], f"unknown design parameter. Known: "
                          f"{', '.join(PARAMETERS)}")
    fx = {k: v for k, v in {**DEFAULTS, **(fixed or {})}.items() if k not in free}
    return Space(fx, continuous, discrete, dict(start or {}),
                 {**CONSTRAINT_DEFAULTS, **(constraints or {})})


def discrete_combinations(space):
    """Every combination of the discrete choices, as dicts (one empty dict if none)."""
    names = space.discrete_names
    return [dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(space.discrete[n] for n in names))]


def to_unit(space, values):
    """The continuous parameters of ``values`` in the unit cube, a list in
    ``space.continuous_names`` order."""
    return [(values[n] - lo) / (hi - lo) for n, (lo, hi) in space.continuous.items()]


def from_unit(space, u, discrete_values=None):
    """The full design (dict) at unit-cube point ``u`` (clipped to [0, 1]) with the discrete
    ``discrete_values`` and the fixed parameters."""
    out = dict(space.fixed)
    out.update(discrete_values or {})
    for x, (n, (lo, hi)) in zip(u, space.continuous.items(), strict=True):
        out[n] = lo + min(max(float(x), 0.0), 1.0) * (hi - lo)
    return out


def start_unit(space):
    """The starting unit-cube point: the declared ``start`` values, else the middle."""
    return [(space.start[n] - lo) / (hi - lo) if n in space.start else 0.5
            for n, (lo, hi) in space.continuous.items()]
