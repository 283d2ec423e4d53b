"""Bodies: poses, masses and centres of mass, exact-mass sample sets, overlap detection."""

import math

import numpy as np
import pytest
import trimesh

from nusim.errors import ArgumentError
from nusim.geometry import bodies as bd
from nusim.geometry import shapes as sh
from nusim.geometry.materials import make_material, material

# Round-off of a few float64 operations (relative).
ROUNDOFF = 1e-12
# Monte Carlo: k standard errors of the estimate from the same samples, fixed seeds.
K_SIGMA = 4.0


def test_pose_from_euler_and_validation():
    pose = bd.Pose.from_euler_deg("z", 90.0, position_m=(1.0, 0.0, 0.0))
    # a 90° turn about z takes x to y, then the shift by (1, 0, 0)
    np.testing.assert_allclose(pose.apply([[1.0, 0.0, 0.0]]), [[1.0, 1.0, 0.0]], atol=1e-15)
    p = np.random.default_rng(1).random((5, 3))
    np.testing.assert_allclose(pose.apply_inverse(pose.apply(p)), p, atol=1e-15)
    zyz = bd.Pose.from_euler_deg("ZYZ", [30.0, 40.0, 50.0])
    np.testing.assert_allclose(zyz.rotation @ zyz.rotation.T, np.eye(3), atol=1e-15)
    with pytest.raises(ArgumentError, match=r"Pose: rotation: not a proper rotation .*det = -1"):
        bd.Pose(rotation=np.diag([1.0, 1.0, -1.0]))
    with pytest.raises(ArgumentError, match=r"Pose: rotation: not a proper rotation \(max "
                                         r"\|R R\^T - 1\| = 0\.21"):
        bd.Pose(rotation=np.diag([1.1, 1.0, 1.0]))
    with pytest.raises(ArgumentError, match=r"Pose: position_m: must be 3 finite numbers"):
        bd.Pose(position_m=(0.0, 1.0))
    with pytest.raises(ValueError, match="read-only"):
        pose.rotation[0, 0] = 2.0                # read-only arrays


def test_body_mass_and_centre_of_mass():
    cyl = sh.Cylinder(0.02, 0.03)
    body = bd.Body("mass1", "pendulum", "tungsten", cyl,
                   bd.Pose.from_euler_deg("x", 90.0, position_m=(0.05, 0.0, 0.1)))
    assert body.material is material("tungsten")       # name resolved to the preset
    assert body.mass_kg == pytest.approx(19250.0 * math.pi * 0.02**2 * 0.03, rel=ROUNDOFF, abs=0)
    assert body.volume_m3 == cyl.volume_m3
    np.testing.assert_allclose(body.centre_of_mass_m, [0.05, 0.0, 0.1], atol=1e-15)
    # the cylinder axis (z) turned about x by 90° lies along −y: the lab box is 0.03 deep in y
    lo, hi = body.bounds_m
    np.testing.assert_allclose(hi - lo, [0.04, 0.03, 0.04], rtol=ROUNDOFF)
    # an off-centre mesh: centre of mass = R c + t
    mesh = trimesh.creation.box(extents=(0.01, 0.01, 0.01))
    mesh.apply_translation((0.02, 0.0, 0.0))
    pose = bd.Pose.from_euler_deg("z", 90.0, position_m=(0.0, 0.0, 1.0))
    b2 = bd.Body("m", "attractor", material("copper"), sh.MeshShape(mesh), pose)
    np.testing.assert_allclose(b2.centre_of_mass_m, [0.0, 0.02, 1.0], atol=1e-15)


def test_body_errors():
    with pytest.raises(ArgumentError, match=r"Body 'b': role: unknown role \('bob'\)\. Use one of "
                                         r"'pendulum', 'attractor', 'fixed'"):
        bd.Body("b", "bob", "copper", sh.Sphere(1.0))
    with pytest.raises(ArgumentError, match=r"unknown material \('kryptonite'\)"):
        bd.Body("b", "fixed", "kryptonite", sh.Sphere(1.0))
    with pytest.raises(ArgumentError, match=r"Body 'b': shape: not a shape"):
        bd.Body("b", "fixed", "copper", object())


@pytest.mark.parametrize("n", [1, 7, 1000, 99_991])
def test_sample_set_has_exact_total_mass_and_charges(n):
    body = bd.Body("a", "attractor", "lead", sh.Annulus(0.01, 0.05, 0.02),
                   bd.Pose(position_m=(0.0, 0.1, 0.0)))
    s = bd.sample_body(body, n, np.random.default_rng(3), "sobol")
    assert len(s) == n
    assert s.positions_m.shape == (n, 3)
    assert np.sum(s.mass_kg) == body.mass_kg            # exact, numpy's pairwise order
    assert math.fsum(s.mass_kg) == body.mass_kg         # exact, correctly rounded order
    assert np.cumsum(s.mass_kg)[-1] == body.mass_kg     # exact, sequential order
    assert np.ptp(s.mass_kg) <= np.spacing(body.mass_kg)   # equal up to one ulp of the total
    q = body.material.charges_per_kg
    assert np.sum(s.charge_e) == pytest.approx(body.mass_kg * q.e, rel=ROUNDOFF, abs=0)
    assert np.sum(s.charge_mu) == pytest.approx(body.mass_kg * q.mu, rel=ROUNDOFF, abs=0)
    assert body.contains(s.positions_m).all()
    assert s.body == "a"
    assert s.method == "sobol"
    with pytest.raises(ValueError, match="read-only"):
        s.mass_kg[0] = 0.0                              # read-only


def test_sample_body_is_reproducible_and_in_the_lab_frame():
    body = bd.Body("p", "pendulum", "copper", sh.Box((0.01, 0.02, 0.04)),
                   bd.Pose.from_euler_deg("y", 90.0, position_m=(0.3, 0.0, 0.0)))
    a = bd.sample_body(body, 20_000, np.random.default_rng(9))
    b = bd.sample_body(body, 20_000, np.random.default_rng(9))
    np.testing.assert_array_equal(a.positions_m, b.positions_m)
    n = len(a)
    mean = a.positions_m.mean(axis=0)
    sd = a.positions_m.std(axis=0)
    assert np.all(np.abs(mean - body.centre_of_mass_m) < K_SIGMA * sd / math.sqrt(n))
    # the box's long z edge (0.04) turned about y lies along x: <(x − x0)²> = 0.04²/12
    dx2 = (a.positions_m[:, 0] - 0.3)**2
    assert abs(dx2.mean() - 0.04**2 / 12) < K_SIGMA * dx2.std() / math.sqrt(n)


def test_custom_material_charges_flow_into_samples():
    water = make_material("water", 998.2, {"H": 0.111894, "O": 0.888106}, "CRC, 20 C")
    body = bd.Body("w", "fixed", water, sh.Sphere(0.1))
    s = bd.sample_body(body, 100, np.random.default_rng(0))
    assert s.charge_e[0] == pytest.approx(s.mass_kg[0] * water.charges_per_kg.e, rel=ROUNDOFF, abs=0)


def test_bodies_overlap_spheres():
    a = bd.Body("a", "pendulum", "copper", sh.Sphere(0.01))

    def at(x):
        return bd.Body("b", "attractor", "lead", sh.Sphere(0.01), bd.Pose(position_m=(x, 0, 0)))

    assert bd.bodies_overlap(a, at(0.015))          # centres 1.5 R apart: lens 16 % of a sphere
    # 0.1 R interpenetration: lens 0.37 % of a sphere, ~15 expected hits per direction at n = 4096
    assert bd.bodies_overlap(a, at(0.019))
    # 0.01 R interpenetration: lens 3.7e-5 of a sphere; found with n = 2^17 (~5 hits expected per
    # direction), documented as possibly missed at the default n
    assert bd.bodies_overlap(a, at(0.0199), n=2**17)
    assert not bd.bodies_overlap(a, at(0.0201))     # gap of 0.01 R
    assert not bd.bodies_overlap(a, at(0.5))        # bounding boxes apart (quick reject)
    big = bd.Body("shell", "fixed", "aluminium", sh.Sphere(1.0))
    assert bd.bodies_overlap(a, big)                # a inside big: found by sampling a


def test_bodies_overlap_plates_and_mesh():
    p1 = bd.Body("p1", "pendulum", "gold", sh.Plate((0.05, 0.05, 0.001)))
    gap = bd.Body("p2", "attractor", "gold", sh.Plate((0.05, 0.05, 0.001)),
                  bd.Pose(position_m=(0.0, 0.0, 0.001 + 50e-6)))     # 50 µm gap
    touch = bd.Body("p3", "attractor", "gold", sh.Plate((0.05, 0.05, 0.001)),
                    bd.Pose(position_m=(0.0, 0.0, 0.0009)))          # 100 µm interpenetration
    assert not bd.bodies_overlap(p1, gap)
    assert bd.bodies_overlap(p1, touch)
    cube = bd.Body("c", "fixed", "copper",
                   sh.MeshShape(trimesh.creation.box(extents=(0.02, 0.02, 0.02))))
    assert bd.bodies_overlap(p1, cube)
