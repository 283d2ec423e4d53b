"""Regressions of the surface (wake) estimator's numba kernels.

Kernel tables at w beyond 2**63 table steps: a pair with |Δz| ~ 0 and a finite transverse
offset has w = s²/2|Δz| → ∞ (the area-pair strategies draw such pairs now and then). In numba,
int(x) of x ≥ 2**63, inf or nan is INT64_MIN, which passed the ``j >= size − 1`` test, so the
interpolation read memory next to the table (negative index wrap-around) with t = x − j ~ 1e19:
a value ~1e57 × whatever lay there, i.e. history-dependent replica sums ~1e58 too large (torques
of 1e11 N m for the Sun's beam on the example torsion balance after other beams had been built).
The tables here are views into larger arrays whose next element is not 0, so the out-of-table
read is deterministic.
"""

import math

import numba as nb
import numpy as np
import pytest

from nusim.engine import wake_kernels as wk
from nusim.physics.wake_kernel import table_eval

N = 64
STEP = 1e-8


def _tables():
    """(a, a', b, b') tables of N nodes, each followed in memory by large non-zero values."""
    store = np.full((4, N + 16), 7.0e3)
    w = np.arange(N) * STEP
    store[0, :N] = np.exp(-w / (10 * STEP))
    store[1, :N] = -store[0, :N] / (10 * STEP)
    store[2, :N] = w / (10 * STEP) * store[0, :N]
    store[3, :N] = (1 / (10 * STEP) - w / (10 * STEP) ** 2) * store[0, :N]
    store[2, 0] = 0.0
    return tuple(store[k, :N] for k in range(4))


@nb.njit
def _eval(w, step, v, d):
    return table_eval(w, step, v, d)


@nb.njit
def _a_prime(w, step, v, d):
    return wk._a_prime(w, step, v, d)


@pytest.mark.parametrize("w", [N * STEP, 1e3, 2.0**63 * STEP, 1e19 * STEP, 1e300, math.inf,
                               math.nan])
def test_table_eval_beyond_the_table_is_zero(w):
    a, da, b, db = _tables()
    assert _eval(w, STEP, a, da) == 0.0
    assert _eval(w, STEP, b, db) == 0.0
    assert _a_prime(w, STEP, b, db) == 0.0


def test_table_eval_inside_the_table_unchanged():
    a, da, _, _ = _tables()
    for w in (0.0, 0.37 * STEP, 12.5 * STEP, (N - 1.5) * STEP):
        ref = math.exp(-w / (10 * STEP))
        assert _eval(w, STEP, a, da) == pytest.approx(ref, rel=1e-4)


def test_pair_nearly_perpendicular_to_the_beam_adds_nothing():
    """A surface pair with Δz = 1e-15 m across 0.1 m (w ≈ 5e18 table steps) lies beyond the
    kernel table: it must add exactly 0 to every channel, energies and torques included."""
    a, da, b, db = _tables()
    acc = np.zeros((1, wk.N_CHANNELS))
    tax = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 0.0])
    s = 0.1
    for dz in (1e-15, 1e-300, 5e-324):
        wk._pair(acc, 0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, s, 0.0, dz, 1.0, 1.0,
                 1000, 1000, 1e-3, 1e-9, 1.0, 0.2, math.log(1e9), STEP, a, da, b, db, 1.0,
                 1.0, s, 0.0, dz, tax, 1.0, 1.0, 2, 0.0)
    assert np.all(acc == 0.0), acc
