"""What each table-4 experiment measures, as a ratio of the neutrino signal to the Newtonian one.

The founding paper compares every experiment through δV/V_gravity (its table 4). An experiment
measures something narrower, and the realistic table divides like for like
(:attr:`nusim.studies.experiments.Sensitivity.observable`):

``"energy"``
    δ = U_ν,R / U_grav, the pendulum's retarded neutrino energy over its Newtonian energy in the
    same bodies (the paper's δV/V itself).
``"torque"``
    δ = τ_ν / τ_grav about the fibre at the same configuration [N m / N m].
``"differential_acceleration"``
    a composition dipole (bodies of material A and B on a balanced pendulum) turns by
    τ = (D_A × Δa)·n̂ under a differential acceleration Δa = a_A − a_B, with
    D_A = Σ_{i∈A} m_i ρ_i [kg m] the mass moment of the A bodies about the fibre (ρ_i ⊥ n̂; for
    a balanced dipole D_B = −D_A, so each material carries half of Δa with opposite signs and
    the sum is the same). The experiment reads its torque as Δa_⊥ = τ/|D_A| [m s⁻²] and divides
    by the attractor's acceleration; so does nusim: δ = (τ_ν/|D_A|) / |a_grav|, with
    |a_grav| = |F_grav|/M_pendulum. Table 4 divides Washington 2007's Δa by g = 9.8 m s⁻² (the
    Earth's whole pull, not its horizontal 0.017 m s⁻²) and so does |a_grav| here.

Every ratio is an :class:`~nusim.engine.result.Estimate` with the errors of numerator and
denominator propagated (first order); an exact zero of the neutrino signal stays exact.
"""

import dataclasses
import math

import numpy as np

from nusim.engine.result import Estimate
from nusim.errors import ArgumentError
from nusim.studies import signal_common as common

OBSERVABLES = ("energy", "torque", "differential_acceleration")


def needs_axis(observable):
    """True if the observable needs torques about the fibre (not the energy alone)."""
    return observable != "energy"


def dipole_moment_kg_m(pendulum, point_m, axis):
    """|D_A| [kg m]: the mass moment Σ m_i ρ_i⊥ of the bodies of the first body's material about
    the fibre through ``point_m`` [m] along the unit ``axis`` (module docstring)."""
    return _dipole(pendulum, point_m, axis)[0]


def _dipole(pendulum, point_m, axis):
    """(|D_A|, Σ_A m_i |ρ_i⊥|) [kg m]: the moment and the scale it cancels from."""
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    mat = pendulum[0].material.name
    d, scale = np.zeros(3), 0.0
    for b in pendulum:
        if b.material.name != mat:
            continue
        r = np.asarray(b.centre_of_mass_m, float) - np.asarray(point_m, float)
        rho = r - (r @ axis) * axis
        d += b.mass_kg * rho
        scale += b.mass_kg * float(np.linalg.norm(rho))
    return float(np.linalg.norm(d)), scale


#: |D_A| below this fraction of Σ_A m|ρ⊥| is round-off of a symmetric pendulum: no dipole
DIPOLE_TOLERANCE = 1e-9


def _magnitude(estimates, name, unit):
    """|v| of a vector of independent Estimates, with the first-order error."""
    v = np.array([e.value for e in estimates])
    s = np.array([e.error for e in estimates])
    mag = float(np.linalg.norm(v))
    err = float(np.linalg.norm(v * s) / mag) if mag > 0 else float(np.linalg.norm(s))
    e0 = estimates[0]
    return Estimate(name, mag, err, unit, e0.n_samples, e0.replicas, e0.seed,
                    samples_label=e0.samples_label)


def _scaled(est, factor, name, unit):
    from nusim.engine.apparatus_signal import scaled

    return dataclasses.replace(scaled(est, factor), name=name, unit=unit)


def ratio(observable, signal, pendulum, axis):
    """(δ Estimate or None, numerator Estimate, denominator Estimate or None) of ``signal``
    (an ApparatusSignal, or the table's term-sampled stand-in) for ``observable``.

    ``pendulum``: its Bodies; ``axis``: (point [m], unit direction) of the fibre. None when
    there is no Newtonian signal to divide by (no attractor) or it vanishes."""
    grav = common.gravity_estimates(signal)
    if observable == "energy":
        num = signal.totals["energy_retarded_J"]
        den = None if grav is None else grav["energy_J"]
    elif observable == "torque":
        num = signal.totals["torque_total_retarded_Nm"]
        den = None if grav is None else grav.get("torque_Nm")
    elif observable == "differential_acceleration":
        k, scale = _dipole(pendulum, *axis)
        if k <= DIPOLE_TOLERANCE * scale:
            raise ArgumentError("observable 'differential_acceleration': the pendulum is no "
                                f"composition dipole (the {pendulum[0].material.name} bodies' "
                                "mass moment about the fibre vanishes). Use observable = "
                                "\"torque\" for this apparatus")
        num = _scaled(signal.totals["torque_total_retarded_Nm"], 1.0 / k,
                      "Δa_⊥ = τ_ν/|D_A| (neutrino)", "m s^-2")
        den = None
        if grav is not None:
            mass = sum(b.mass_kg for b in pendulum)
            den = _magnitude([_scaled(f, 1.0 / mass, f"a_grav[{i}]", "m s^-2")
                              for i, f in enumerate(grav["force_N"])],
                             "|a_grav| = |F_grav|/M_pendulum", "m s^-2")
    else:
        raise ArgumentError(f"unknown observable {observable!r}; one of {OBSERVABLES}")
    if den is None or den.value == 0 or not math.isfinite(den.value):
        return None, num, den
    return common.ratio(num, den), num, den
