"""Covariance: rotating and translating the whole apparatus rotates the force and leaves the
energy and the torque about the co-moving axis unchanged (same seed → same body-frame points)."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from nusim.engine import interact
from nusim.geometry import bodies, materials, shapes

CU = materials.material("copper")
W = materials.material("tungsten")


def _setup(rot, shift):
    def pose(p, euler):
        r = rot * Rotation.from_euler("xyz", euler, degrees=True)
        return bodies.Pose(position_m=rot.apply(p) + shift, rotation=r.as_matrix())

    pend = [bodies.Body("m1", "pendulum", CU, shapes.Cylinder(0.01, 0.02),
                        pose([0.03, 0.0, 0.0], [0, 0, 0])),
            bodies.Body("m2", "pendulum", CU, shapes.Cylinder(0.01, 0.02),
                        pose([-0.03, 0.0, 0.0], [0, 0, 0]))]
    attr = [bodies.Body("a", "attractor", W, shapes.Box((0.02, 0.01, 0.03)),
                        pose([0.05, 0.04, -0.01], [10, 20, 30]))]
    axis = (rot.apply([0.0, 0.0, 0.0]) + shift, rot.apply([0.0, 0.0, 1.0]))
    return attr, pend, axis


def test_rigid_motion_covariance():
    r0 = interact(*_setup(Rotation.identity(), np.zeros(3))[:2], "gravity", 2048, seed=3,
                  axis=_setup(Rotation.identity(), np.zeros(3))[2], progress=False)
    rot = Rotation.from_euler("zyx", [37, -21, 64], degrees=True)
    attr, pend, axis = _setup(rot, np.array([0.3, -0.2, 1.1]))
    r1 = interact(attr, pend, "gravity", 2048, seed=3, axis=axis, progress=False)
    # identical body-frame samples: equal to float64 round-off (1e-10 relative)
    assert r1.energy_J == pytest.approx(r0.energy_J, rel=1e-10, abs=0)
    assert np.allclose(r1.force_N, rot.apply(np.array(r0.force_N)), rtol=1e-9,
                       atol=1e-9 * np.abs(r0.force_N).max())
    assert r1.torque_Nm == pytest.approx(r0.torque_Nm, rel=1e-8, abs=0)
