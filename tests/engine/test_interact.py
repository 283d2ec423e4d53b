"""interact() with real bodies (nusim.geometry.bodies): gravity of two tungsten spheres against
−G M₁M₂/D and G M₁M₂/D², within k·σ of the reported replica error (fixed seed)."""

import pytest

from nusim import constants
from nusim.engine import interact
from nusim.geometry.bodies import Body, Pose
from nusim.geometry.materials import material
from nusim.geometry.shapes import Sphere

G = constants.NEWTON_G.value
#: Monte Carlo assertions: |estimate − exact| < K_SIGMA × reported error
K_SIGMA = 4.0


def spheres():
    w = material("tungsten")
    return (Body("attractor", "attractor", w, Sphere(0.05), Pose((0.0, 0.0, 0.0))),
            Body("pendulum", "pendulum", w, Sphere(0.03), Pose((0.12, 0.0, 0.0))))


def test_two_sphere_bodies_gravity_and_reproducibility():
    a, b = spheres()
    gm = G * a.mass_kg * b.mass_kg
    axis = ((0.12, -0.1, 0.0), (0.0, 0.0, 1.0))
    res = interact([a], [b], "gravity", 3000, 1, axis=axis, progress=False)
    assert abs(res.energy_J + gm / 0.12) < K_SIGMA * res.energy_err_J
    assert abs(res.force_N[0] + gm / 0.12**2) < K_SIGMA * res.force_err_N[0]
    # arm (0, 0.1, 0) × F(−x̂) about ẑ → +0.1 |F|
    assert abs(res.torque_Nm - 0.1 * gm / 0.12**2) < K_SIGMA * res.torque_err_Nm
    assert abs(res.force_N[1]) < K_SIGMA * res.force_err_N[1]   # zero by symmetry
    again = interact([a], [b], "gravity", 3000, 1, axis=axis, progress=False)
    assert again.energy_J == res.energy_J     # same seed → same samples, same sums


def test_body_acting_on_itself_is_rejected():
    a, _ = spheres()
    with pytest.raises(ValueError, match="both a source and a target"):
        interact([a], [a], "gravity", 10, 0, progress=False)
