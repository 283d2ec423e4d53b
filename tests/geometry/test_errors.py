"""Deliberate geometry errors are nusim's own (issue 11): NusimError subclasses, still ValueError
for callers that caught the old plain ValueError."""

import numpy as np
import pytest

from nusim import errors
from nusim.geometry import bodies as bd
from nusim.geometry import materials as mat
from nusim.geometry import shapes as sh

CASES = [
    ("material density", lambda: mat.make_material("x", -1.0, {"Cu": 1.0}, "assumed: test"),
     r"make_material|density_kg_m3"),
    ("unknown material", lambda: mat.material("unobtainium"), r"unknown material"),
    ("mass fractions (from physics.couplings)",
     lambda: mat.make_material("x", 1000.0, {"Cu": 0.5}, "assumed: test"),
     r"make_material: mass_fractions: .*sum to 0\.5"),
    ("shape length", lambda: sh.Cylinder(-1.0, 1.0), r"Cylinder: radius_m"),
    ("sampling method", lambda: sh.Sphere(1.0).sample(4, np.random.default_rng(0), "halton"),
     r"unknown sampling method"),
    ("pose", lambda: bd.Pose(rotation=np.diag([1.0, 1.0, -1.0])), r"not a proper rotation"),
    ("body role", lambda: bd.Body("b", "rotor", "copper", sh.Sphere(0.01)), r"unknown role"),
    ("sample_body", lambda: bd.sample_body("b", 4, np.random.default_rng(0)), r"not a Body"),
]


@pytest.mark.parametrize(("what", "call", "match"), CASES, ids=[c[0] for c in CASES])
def test_deliberate_geometry_errors_are_nusim_argument_errors(what, call, match):
    with pytest.raises(errors.ArgumentError, match=match) as info:
        call()
    assert isinstance(info.value, errors.NusimError) and isinstance(info.value, ValueError)
    assert type(info.value) is errors.ArgumentError, what      # not a plain ValueError


def test_geometry_error_lives_in_errors_and_is_reexported():
    assert sh.GeometryError is errors.GeometryError
    err = errors.GeometryError("a.stl", "mass1", "watertight", "3 open edges")
    assert str(err) == "a.stl: bodies.mass1.mesh: watertight: 3 open edges"
    assert isinstance(err, errors.NusimError)
