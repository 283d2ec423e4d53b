"""Argument checks shared by the physics functions: clear ``ArgumentError``s (a ``NusimError``
and a ``ValueError``), raised ``from None``."""

import numpy as np

from nusim.errors import ArgumentError


def as_array(name, value, func):
    """``value`` as a float array; an ArgumentError naming ``func`` and ``name`` if not numeric."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ArgumentError(f"{func}: {name}={value!r} is not a number or an array of "
                            "numbers") from None
    if np.isnan(arr).any():
        raise ArgumentError(f"{func}: {name} contains NaN") from None
    return arr


def positive(name, value, func, *, allow_zero=False, unit=""):
    """``value`` as a float array, checked > 0 (>= 0 with ``allow_zero``)."""
    arr = as_array(name, value, func)
    bad = arr < 0 if allow_zero else arr <= 0
    if bad.any():
        worst = arr[bad].flat[0] if arr.ndim else float(arr)
        need = "non-negative" if allow_zero else "positive"
        raise ArgumentError(f"{func}: {name} must be {need}{' [' + unit + ']' if unit else ''}; "
                            f"got {worst!r}") from None
    return arr


def choice(name, value, allowed, func):
    """``value`` checked to be one of ``allowed``; the error lists the valid choices."""
    if value not in allowed:
        raise ArgumentError(f"{func}: {name}={value!r} is not one of "
                            f"{', '.join(map(repr, allowed))}")
    return value
