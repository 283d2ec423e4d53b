"""Each experiment's own observable (nusim.studies.observables) and the suppression factors of
the realistic table (nusim.studies.suppression): closed forms and a read-back of a known
differential acceleration through the torque it makes."""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nusim.engine.result import Estimate
from nusim.errors import ArgumentError
from nusim.geometry import load_apparatus, shapes
from nusim.geometry.bodies import Body, Pose
from nusim.geometry.materials import material
from nusim.studies import experiments, observables, suppression

ROOT = Path(__file__).resolve().parents[2]


def _est(name, value, error, unit):
    return Estimate(name, value, error, unit, 1000, 4, 1)


@dataclass
class _Gravity:
    energy: float
    force: tuple
    torque: float

    @property
    def torque_Nm(self):
        return self.torque

    def estimate(self, name):
        if name == "energy_J":
            return _est(name, self.energy, 1e-3 * abs(self.energy), "J")
        if name == "torque_Nm":
            return _est(name, self.torque, 1e-3 * abs(self.torque), "N m")
        i = int(name[len("force_N["):-1])
        return _est(name, self.force[i], 1e-3 * abs(self.force[i]) + 1e-30, "N")


@dataclass
class _Signal:
    totals: dict
    gravity: _Gravity


def test_every_table4_entry_names_a_known_observable():
    for key, s in experiments.TABLE_4.items():
        assert s.observable in observables.OBSERVABLES, key
        assert s.observable_note, key
    assert experiments.TABLE_4["washington-2007"].observable == "differential_acceleration"
    assert experiments.TABLE_4["washington-1999"].observable == "differential_acceleration"


def test_dipole_moment_of_a_two_body_dipole_ignores_the_axial_offset():
    """|D_A| = m ρ⊥ for one body of material A at lever ρ⊥ (its height along the fibre does
    not count)."""
    be = Body("be", "pendulum", material("beryllium"), shapes.Sphere(0.005),
              Pose(position_m=np.array([0.02, 0.0, 0.3])))
    ti = Body("ti", "pendulum", material("titanium"), shapes.Sphere(0.005),
              Pose(position_m=np.array([-0.02, 0.0, 0.3])))
    k = observables.dipole_moment_kg_m([be, ti], np.zeros(3), np.array([0.0, 0.0, 1.0]))
    assert k == pytest.approx(be.mass_kg * 0.02, rel=1e-12)


def test_a_known_differential_acceleration_is_read_back_from_its_torque():
    """Washington 1999's pendulum: Δa applied to the Cu bodies (along the direction that turns
    the dipole most, ⊥ to D_Cu) makes τ = Σ_Cu (ρ_i × m_i Δa)·n̂; the observable reads
    δ = Δa/|a_grav| back to round-off."""
    app = load_apparatus(ROOT / "geometries" / "washington-1999.toml")
    pend = app.by_role("pendulum")
    point, axis = app.axis
    d = sum(b.mass_kg * (np.asarray(b.centre_of_mass_m) - point) for b in pend
            if b.material.name == "copper")
    d_perp = d - (d @ axis) * axis
    da = 3e-15 * np.cross(axis, d_perp / np.linalg.norm(d_perp))        # ⊥ D, |Δa| = 3e-15
    tau = sum(float(np.cross(np.asarray(b.centre_of_mass_m) - point, b.mass_kg * da) @ axis)
              for b in pend if b.material.name == "copper")
    mass = sum(b.mass_kg for b in pend)
    a_grav = 9.2e-7
    grav = _Gravity(-1e-12, (a_grav * mass * 0.6, a_grav * mass * 0.8, 0.0), 1e-12)
    sig = _Signal({"torque_total_retarded_Nm": _est("tau", tau, 0.1 * abs(tau), "N m")}, grav)
    r, num, den = observables.ratio("differential_acceleration", sig, pend, (point, axis))
    assert num.value == pytest.approx(3e-15, rel=1e-9)
    assert den.value == pytest.approx(a_grav, rel=1e-12)
    assert r.value == pytest.approx(3e-15 / a_grav, rel=1e-9)
    assert r.error == pytest.approx(0.1 * r.value, rel=1e-2)     # the torque's 10 % dominates


def test_torque_and_energy_ratios_and_a_non_dipole():
    grav = _Gravity(-2e-10, (1e-9, 0.0, 0.0), 4e-11)
    sig = _Signal({"torque_total_retarded_Nm": _est("tau", 8e-47, 2e-47, "N m"),
                   "energy_retarded_J": _est("U", -1e-45, 1e-47, "J")}, grav)
    body = Body("w", "pendulum", material("tungsten"), shapes.Sphere(0.01))
    r, _, _ = observables.ratio("torque", sig, [body], (np.zeros(3), np.array([0, 0, 1.0])))
    assert r.value == pytest.approx(2e-36)
    r, _, _ = observables.ratio("energy", sig, [body], (np.zeros(3), np.array([0, 0, 1.0])))
    assert r.value == pytest.approx(5e-36)
    with pytest.raises(ArgumentError, match="no composition dipole"):
        observables.ratio("differential_acceleration", sig, [body],
                          (np.zeros(3), np.array([0, 0, 1.0])))


def test_a_one_material_ring_is_no_dipole_despite_round_off():
    """Washington 2020's pendulum (138 platinum wedges on rings) has |D_A| ~ 1e-22 kg m of
    round-off, not 0: the observable must still refuse it (found in review: dividing by the
    round-off made δ 1e22 too large)."""
    app = load_apparatus(ROOT / "geometries" / "washington-2020.toml")
    pend = app.by_role("pendulum")
    grav = _Gravity(-1e-12, (1e-12, 0.0, 0.0), 1e-12)
    sig = _Signal({"torque_total_retarded_Nm": _est("tau", 1e-47, 1e-48, "N m")}, grav)
    with pytest.raises(ArgumentError, match="no composition dipole"):
        observables.ratio("differential_acceleration", sig, pend, app.axis)


def test_blur_factor_closed_forms():
    """The Gaussian blur factor |e^{iEA/(1−iEτ)}/(1−iEτ)|: 1/√(1+N²) on the axis (A = 0),
    exp(−E²Aτ) for Eτ ≪ 1, and no suppression without blur."""
    assert suppression._blur_log10(2.0, 0.0, 0.0) == 0.0
    e, tau = 3.0, 5.0
    assert suppression._blur_log10(e, 0.0, tau) == pytest.approx(
        -0.5 * math.log10(1 + (e * tau) ** 2), rel=1e-14)
    e, a, tau = 10.0, 2.0, 1e-4
    assert suppression._blur_log10(e, a, tau) == pytest.approx(
        -(e * e * a * tau) / math.log(10), rel=1e-3)


def test_transverse_variance_of_a_sphere_and_a_box():
    """a²/5 for a sphere; (a² + b²)/24 per axis for a box of sides a, b across the beam."""
    s = Body("s", "pendulum", material("copper"), shapes.Sphere(0.1))
    assert suppression.transverse_variance_m2(s, [0, 0, 1]) == pytest.approx(0.01 / 5, rel=1e-3)
    b = Body("b", "pendulum", material("copper"), shapes.Box((0.1, 0.2, 0.3)))
    assert suppression.transverse_variance_m2(b, [0, 0, 1]) == pytest.approx(
        (0.01 + 0.04) / 24, rel=1e-3)
    assert suppression.transverse_variance_m2(b, [1, 0, 0]) == pytest.approx(
        (0.04 + 0.09) / 24, rel=1e-3)
