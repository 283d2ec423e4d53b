"""The design space of a parametrised torsion balance: parameters, ranges, choices, constraints.

A design is a dict of the parameters in :data:`PARAMETERS` (SI, unit-suffixed names). A design
file (``[design_search.parameters]``) gives each parameter either a fixed value or a free range
``{min = …, max = …}`` (continuous) or ``{choices = [...]}`` (discrete: the number of plates,
materials); parameters it does not name keep :data:`DEFAULTS`. ``[design_search.constraints]``
sets the practical limits of :data:`CONSTRAINT_DEFAULTS` (checked by
:func:`nusim.design.builder.violations`). The parameters, their defaults and the constraints are
declared once, with the study file's schema (:mod:`nusim.schema.design`, which validates the
file); the validated ``p["space"]`` becomes a :class:`Space` here.

The optimiser moves the continuous parameters in the unit cube ([0, 1] per parameter, linear in
the parameter): :func:`to_unit` / :func:`from_unit`. Everything here is plain data and
functions; :class:`Space` only holds the validated declaration.

The geometry the parameters describe is in :mod:`nusim.design.builder`.
"""

import itertools
from dataclasses import dataclass

from nusim.errors import ConfigError
from nusim.schema.design import DESIGN_DEFAULTS, DESIGN_PARAMETERS, DesignConstraints

#: name → (kind, unit, what it is), the design's defaults and the constraints' defaults, declared
#: with the study file's schema (kind: "length" (> 0 or ≥ 0, [m]), "offset" ([m]), "angle"
#: ([deg]), "count" (integer ≥ 1), "material" (a preset of nusim.geometry.materials))
PARAMETERS = DESIGN_PARAMETERS
DEFAULTS = DESIGN_DEFAULTS
#: practical limits (checked by nusim.design.builder.violations); each documented in
#: docs/design-search.md with its reason
CONSTRAINT_DEFAULTS = DesignConstraints.defaults()


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
