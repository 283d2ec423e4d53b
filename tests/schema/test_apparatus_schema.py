"""Apparatus files through the shared schema (nusim/schema/apparatus.py): each kind of mistake
fails with a ConfigError naming the file and the dotted field and saying what to do; a declared
planet loads; rotation_deg is intrinsic x-y-z."""

import numpy as np
import pytest

from nusim.errors import ConfigError
from nusim.geometry import load_apparatus
from nusim.schema.apparatus import BODY_SCALES, SHAPES, validate_apparatus

BODY = '''[[bodies]]
name = "a"
role = "pendulum"
material = "copper"
shape = "sphere"
radius_m = 0.01
'''
BOX = BODY.replace('shape = "sphere"\nradius_m = 0.01', 'shape = "box"\nsize_m = [0.1, 0.02, 0.01]')


def _load(tmp_path, text):
    path = tmp_path / "app.toml"
    path.write_text(text)
    return path, load_apparatus(path)


# (file text, the field in the message, the message)
CASES = [
    # unknown keys, with the allowed ones listed: top level, a table, a body of a given shape
    ("[lab]\nx = 1\n" + BODY, r"lab", r"unknown key\. Allowed keys here: apparatus, "
     r"attractor_motion, bodies, pendulum, site"),
    ("[site]\nlatitude_deg = 47.0\nlongitude_deg = 8.0\nelevation_m = 3.0\n" + BODY,
     r"site\.elevation_m", r"unknown key\. Allowed keys here: altitude_m, azimuth_deg, "
     r"latitude_deg, longitude_deg"),
    (BODY + "height_m = 0.02\n", r"bodies\[0\]\.height_m", r"unknown key\. Allowed keys here: "
     r"assumed, description, material, name, position_m, radius_m, role, rotation_deg, scale, "
     r"shape, source"),
    # wrong types
    (BODY.replace("0.01", '"1 cm"'), r"bodies\[0\]\.radius_m", r"expected float, got '1 cm'"),
    (BODY + "position_m = [0.0, 0.0]\n", r"bodies\[0\]\.position_m",
     r"expected 3 finite numbers \[x, y, z\], got \[0\.0, 0\.0\]"),
    (BODY + "position_m = [0.0, nan, 0.0]\n", r"bodies\[0\]\.position_m",
     r"expected 3 finite numbers"),
    (BODY.replace("0.01", "nan"), r"bodies\[0\]\.radius_m", r"expected a finite number"),
    ("bodies = [1]\n", r"bodies\[0\]", r"each \[\[bodies\]\] entry must be a table"),
    # out of range
    ("[site]\nlatitude_deg = 95.0\nlongitude_deg = 8.0\n" + BODY, r"site\.latitude_deg",
     r"must lie in \[-90, 90\] \[deg\], got 95\.0"),
    (BODY.replace("0.01", "-0.01"), r"bodies\[0\]\.radius_m", r"must be a positive length in "
     r"metres, got -0\.01\. Lengths are in metres: 1 cm is 0\.01"),
    (BOX.replace("0.02", "0.0"), r"bodies\[0\]\.size_m", r"every size must be positive"),
    ("[pendulum]\nfibre_axis = [0, 0, 0]\n" + BODY, r"pendulum\.fibre_axis",
     r"must be a non-zero direction vector"),
    ("[attractor_motion]\nangles_deg = []\n" + BODY, r"attractor_motion\.angles_deg",
     r"expected a non-empty list of angles in degrees"),
    # missing required keys
    (BODY.replace('material = "copper"\n', ""), r"bodies\[0\]\.material",
     r"missing required key"),
    (BODY.replace('shape = "sphere"\n', ""), r"bodies\[0\]\.shape", r"missing required key"),
    (BODY.replace("radius_m = 0.01\n", ""), r"bodies\[0\]\.radius_m", r"missing required key"),
    ("[site]\nlatitude_deg = 47.0\n" + BODY, r"site\.longitude_deg", r"missing required key"),
    ("[apparatus]\nname = 'x'\n", r"bodies", r"missing required key"),
    # bad literals, with the allowed values
    (BODY.replace('"pendulum"', '"rotor"'), r"bodies\[0\]\.role",
     r"unknown role 'rotor'\. Roles: pendulum, attractor, fixed"),
    (BODY.replace('"sphere"', '"torus"'), r"bodies\[0\]\.shape",
     r"unknown shape 'torus'\. Known: sphere, box, plate, cylinder, annulus, cone, mesh"),
    (BODY.replace('"copper"', '"unobtainium"'), r"bodies\[0\]\.material",
     r"unknown material 'unobtainium'\. Known: aluminium, .*tungsten"),
    (BODY + 'scale = "galactic"\n', r"bodies\[0\]\.scale",
     r"unknown scale 'galactic'\. Scales: laboratory, site, planetary \(default laboratory\)"),
    (BODY.replace('shape = "sphere"\nradius_m = 0.01',
                  'shape = "mesh"\nmesh = "a.stl"\nmesh_unit = "furlong"'),
     r"bodies\[0\]\.mesh_unit", r"unknown unit 'furlong'\. Give one of: m, cm, mm, um, in "
     r"\(never guessed\)"),
    # cross-field rules
    (BODY.replace('shape = "sphere"\nradius_m = 0.01', 'shape = "annulus"\ninner_radius_m = '
                  '0.05\nouter_radius_m = 0.02\nheight_m = 0.01'),
     r"bodies\[0\]\.inner_radius_m", r"inner radius 0\.05 m must be smaller than "
     r"outer_radius_m = 0\.02 m"),
    (BODY.replace('shape = "sphere"\nradius_m = 0.01', 'shape = "mesh"\nmesh = "nowhere.stl"\n'
                  'mesh_unit = "mm"'), r"bodies\[0\]\.mesh",
     r"mesh file '.*nowhere\.stl' not found \(paths are relative to the apparatus file\)"),
    (BODY + BODY.replace("radius_m = 0.01", "radius_m = 0.01\nposition_m = [1.0, 0.0, 0.0]"),
     r"bodies\[1\]\.name", r"duplicate body name 'a'"),
    # millimetres typed as metres: the hint and the way to declare a large body
    (BODY.replace("radius_m = 0.01", "radius_m = 10"), r"bodies\[0\]\.radius_m",
     r"body 'a': 10 m is larger than a laboratory body may be \(at most 1 m\): did you give "
     r"millimetres\? Lengths are in metres: 10 mm is 0\.01\. If the body really is this large, "
     r'declare it in its table: scale = "site" \(up to 1000 m\) or scale = "planetary" '
     r"\(up to 1e\+08 m\)"),
    (BOX.replace("[0.1, 0.02, 0.01]", "[0.1, 20.0, 0.01]"), r"bodies\[0\]\.size_m\[1\]",
     r"body 'a': 20 m is larger .* 20 mm is 0\.02"),
    (BODY + "position_m = [0.0, 0.0, -50.0]\n", r"bodies\[0\]\.position_m",
     r"body 'a' at \[0\.0, 0\.0, -50\.0\] is 50 m from the fibre point, further than a "
     r"laboratory body may be \(at most 10 m\).* Positions are in metres: 50 mm is 0\.05"),
]


@pytest.mark.parametrize(("text", "field", "message"), CASES,
                         ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)])
def test_each_kind_of_mistake_names_file_field_and_fix(tmp_path, text, field, message):
    path = tmp_path / "app.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=rf"^{path}: {field}: {message}") as info:
        load_apparatus(path)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_a_declared_planet_loads_where_an_undeclared_one_is_a_slip(tmp_path):
    earth = ('[[bodies]]\nname = "earth"\nrole = "fixed"\nmaterial = "earth-bulk"\n'
             'shape = "sphere"\nradius_m = 6.371e6\nposition_m = [0.0, 0.0, -6371002.0]\n')
    _, app = _load(tmp_path, BODY + earth + 'scale = "planetary"\n')
    # the whole Earth: its mass from ρ 4πR³/3 of the earth-bulk preset, to round-off
    rho = app.bodies["earth"].material.density_kg_m3
    assert app.bodies["earth"].mass_kg == pytest.approx(rho * 4 / 3 * np.pi * 6.371e6**3,
                                                        rel=1e-12, abs=0)
    with pytest.raises(ConfigError, match=r"bodies\[1\]\.radius_m: body 'earth': 6\.371e\+06 m "
                       r"is larger than a laboratory body.*scale = \"planetary\""):
        _load(tmp_path, BODY + earth)


def test_rotation_deg_is_intrinsic_xyz_a_long_box_turned_90_90_lies_along_plus_y(tmp_path):
    """R = Rx(90) Ry(90): body x → lab +y (the extrinsic reading would give −z)."""
    _, app = _load(tmp_path, BOX + "rotation_deg = [90.0, 90.0, 0.0]\n")
    lo, hi = app.bodies["a"].bounds_m
    # round-off: cos(π/2) = 6e-17 in float64 products
    np.testing.assert_allclose(hi - lo, [0.01, 0.1, 0.02], rtol=1e-14)
    long_axis = np.asarray(app.bodies["a"].pose.rotation) @ [1.0, 0.0, 0.0]
    np.testing.assert_allclose(long_axis, [0.0, 1.0, 0.0], atol=1e-15)


def test_schema_values_reach_the_apparatus(tmp_path):
    text = ('[site]\nlatitude_deg = 47\nlongitude_deg = -122.3\n[pendulum]\n'
            'fibre_axis = [0, 0, 2]\n[attractor_motion]\nangles_deg = [0, 90]\n' + BODY)
    _, app = _load(tmp_path, text)
    assert app.site == {"latitude_deg": 47.0, "longitude_deg": -122.3, "altitude_m": 0.0,
                        "azimuth_deg": 0.0}
    assert app.attractor_angles_deg == (0.0, 90.0)
    assert app.fibre_axis == (0.0, 0.0, 2.0)
    assert app.name == "app"


def test_every_shape_and_scale_is_declared():
    assert set(SHAPES) == {"sphere", "box", "plate", "cylinder", "annulus", "cone", "mesh"}
    assert list(BODY_SCALES) == ["laboratory", "site", "planetary"]
    model = validate_apparatus({"bodies": [{"name": "p", "role": "fixed", "material": "lead",
                                            "shape": "plate", "size_m": [1, 1, 0.1]}]}, "x")
    assert model.bodies[0].size_m == [1.0, 1.0, 0.1]
