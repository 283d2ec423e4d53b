"""Apparatus TOML files: loading, and every validation error naming file and field."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import trimesh

from nusim.errors import NusimError
from nusim.geometry import load_apparatus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "geometries" / "example-torsion-balance.toml"

GOOD_BODY = '''[[bodies]]
name = "a"
role = "pendulum"
material = "copper"
shape = "sphere"
radius_m = 0.01
position_m = [0.0, 0.0, 0.0]
'''


def test_example_apparatus_loads_with_exact_masses():
    app = load_apparatus(EXAMPLE)
    assert set(app.bodies) == {"mass-east", "mass-west", "attractor"}
    cyl = app.bodies["mass-east"]
    # true solid: m = ρ π r² h exactly (copper density from the material table)
    assert cyl.mass_kg == pytest.approx(cyl.material.density_kg_m3 * np.pi * 0.01**2 * 0.02,
                                        rel=1e-12, abs=0)
    ring = app.bodies["attractor"]
    assert ring.volume_m3 == pytest.approx(np.pi * (0.05**2 - 0.02**2) * 0.01, rel=1e-12, abs=0)
    assert np.allclose(ring.centre_of_mass_m, [0.04, 0.03, -0.03])
    assert [b.name for b in app.by_role("pendulum")] == ["mass-east", "mass-west"]
    point, direction = app.axis
    assert np.allclose(direction, [0, 0, 1])
    assert len(app.attractor_angles_deg) == 6


def _write(tmp_path, text, name="app.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(("text", "match"), [
    ("[[bodies]\n", r"<syntax>: not valid TOML"),
    (GOOD_BODY.replace('"copper"', '"unobtainium"'), r"bodies\[0\]\.material: .*unobtainium"),
    (GOOD_BODY.replace('"sphere"', '"torus"'), r"bodies\[0\]\.shape: unknown shape 'torus'"),
    (GOOD_BODY.replace("0.01", "20.0"), r"bodies\[0\]\.radius_m: .*did you give millimetres"),
    (GOOD_BODY.replace("0.01", "-1.0"), r"bodies\[0\]\.radius_m: must be a positive length"),
    (GOOD_BODY.replace('"pendulum"', '"rotor"'), r"bodies\[0\]\.role: unknown role 'rotor'"),
    (GOOD_BODY + "colour = 1\n", r"bodies\[0\]\.colour: unknown key"),
    (GOOD_BODY.replace("[0.0, 0.0, 0.0]", "[0.0, 0.0]"), r"bodies\[0\]\.position_m: expected 3"),
    (GOOD_BODY + GOOD_BODY.replace('"a"', '"b"'), r"bodies: bodies 'a' and 'b' overlap"),
    (GOOD_BODY + GOOD_BODY, r"bodies\[1\]\.name: duplicate body name 'a'"),
    ("[site]\nlatitude_deg = 95.0\n" + GOOD_BODY, r"site\.latitude_deg: must lie in"),
    ("[apparatus]\nname = 'x'\n", r"bodies: missing required key"),
])
def test_validation_errors_name_file_and_field(tmp_path, text, match):
    path = _write(tmp_path, text)
    with pytest.raises(NusimError, match=match) as info:
        load_apparatus(path)
    assert str(path) in str(info.value)


def test_mesh_body_from_file_and_bad_mesh(tmp_path):
    box = trimesh.creation.box(extents=(20.0, 10.0, 5.0))          # millimetres
    box.export(tmp_path / "box.stl")
    text = GOOD_BODY.replace('shape = "sphere"\nradius_m = 0.01',
                             'shape = "mesh"\nmesh = "box.stl"\nmesh_unit = "mm"')
    app = load_apparatus(_write(tmp_path, text))
    assert app.bodies["a"].volume_m3 == pytest.approx(20e-3 * 10e-3 * 5e-3, rel=1e-9, abs=0)
    open_box = trimesh.Trimesh(box.vertices, box.faces[:-2], process=False)
    open_box.export(tmp_path / "open.stl")
    with pytest.raises(NusimError, match=r"open\.stl.*open edges") as info:
        load_apparatus(_write(tmp_path, text.replace("box.stl", "open.stl"), "bad.toml"))
    assert "a" in str(info.value)
    with pytest.raises(NusimError, match=r"bodies\[0\]\.mesh: mesh file .*missing\.stl.* not found"):
        load_apparatus(_write(tmp_path, text.replace("box.stl", "missing.stl"), "m.toml"))


def test_geometry_show_cli(tmp_path):
    out = subprocess.run([sys.executable, "-m", "nusim", "geometry", "show", str(EXAMPLE), "-o",
                          str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert re.search(r"mass-east\s+pendulum\s+copper\s+0\.0562", out.stdout)
    assert (tmp_path / "example-torsion-balance.png").stat().st_size > 0
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD_BODY.replace('"copper"', '"unobtainium"'))
    out = subprocess.run([sys.executable, "-m", "nusim", "geometry", "show", str(bad)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and "bodies[0].material" in out.stderr
    assert "Traceback" not in out.stderr


def test_attractor_motion_rotates_about_its_axis():
    app = load_apparatus(EXAMPLE)
    moved = app.attractors_at(90.0)[0]
    # attractor centre (0.04, 0.03, −0.03) rotated by +90° about z through the origin
    assert np.allclose(moved.centre_of_mass_m, [-0.03, 0.04, -0.03], atol=1e-15)
    assert moved.mass_kg == app.bodies["attractor"].mass_kg
    back = app.attractors_at(360.0)[0]
    assert np.allclose(back.centre_of_mass_m, app.bodies["attractor"].centre_of_mass_m)


@pytest.mark.parametrize(("text", "match"), [
    ("[pendulum]\nfibre_axis = [0.0, 0.0, 0.0]\n" + GOOD_BODY,
     r"pendulum\.fibre_axis: must be a non-zero direction"),
    ("[attractor_motion]\naxis = [0.0, 0.0, 0.0]\n" + GOOD_BODY,
     r"attractor_motion\.axis: must be a non-zero direction"),
    (GOOD_BODY.replace('shape = "sphere"\nradius_m = 0.01',
                       'shape = "mesh"\nmesh = "x.stl"\nmesh_unit = "furlong"'),
     r"bodies\[0\]\.mesh_unit: unknown unit 'furlong'"),
])
def test_axis_and_unit_errors(tmp_path, text, match):
    path = _write(tmp_path, text)
    with pytest.raises(NusimError, match=match):
        load_apparatus(path)


def test_missing_apparatus_file_message(tmp_path):
    with pytest.raises(NusimError, match=r"no such file\. Give the path of an apparatus TOML"):
        load_apparatus(tmp_path / "nope.toml")


# ------------------------------------------------------------------------------------------------
# rotation_deg: intrinsic x-y-z Euler angles (issue 11)
# ------------------------------------------------------------------------------------------------

LONG_BOX = GOOD_BODY.replace('shape = "sphere"\nradius_m = 0.01',
                             'shape = "box"\nsize_m = [0.1, 0.02, 0.01]')


def _rx(deg):
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _ry(deg):
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rz(deg):
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def test_rotation_deg_two_axis_turn_is_intrinsic_xyz(tmp_path):
    """[90, 90, 0] on a box long along x: 90° about x leaves x alone; then 90° about the *turned*
    y axis (lab z) takes x to lab +y. By hand, R = Rx(90) Ry(90) = [[0,0,1],[1,0,0],[0,1,0]]:
    body x -> lab +y, body y -> lab +z, body z -> lab +x. The extrinsic reading (the old bug,
    R = Ry(90) Rx(90)) sends body x to lab −z."""
    text = LONG_BOX.replace("position_m = [0.0, 0.0, 0.0]",
                            "position_m = [0.1, 0.2, 0.3]\nrotation_deg = [90.0, 90.0, 0.0]")
    body = load_apparatus(_write(tmp_path, text)).bodies["a"]
    expected = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    # round-off: cos(π/2) = 6e-17 in float64, products of two such terms
    np.testing.assert_allclose(body.pose.rotation, expected, rtol=0, atol=1e-15)
    lo, hi = body.bounds_m
    # the 0.1 m edge now lies along lab y, the 0.02 m edge along z, the 0.01 m edge along x
    np.testing.assert_allclose(hi - lo, [0.01, 0.1, 0.02], rtol=1e-14)
    # the end of the long axis, body (0.045, 0, 0), is inside at lab position + (0, 0.045, 0)
    # and would be outside at position + (0, 0, −0.045) (where the extrinsic reading puts it)
    ends = np.array([[0.1, 0.2 + 0.045, 0.3], [0.1, 0.2, 0.3 - 0.045]])
    assert body.contains(ends).tolist() == [True, False]


def test_rotation_deg_three_angles_against_hand_built_matrices(tmp_path):
    """General angles: R = Rx(a) Ry(b) Rz(c) with the elementary matrices written out here
    (independent of scipy's sequence strings)."""
    text = LONG_BOX.replace("position_m = [0.0, 0.0, 0.0]", "rotation_deg = [30.0, -45.0, 70.0]")
    body = load_apparatus(_write(tmp_path, text)).bodies["a"]
    expected = _rx(30.0) @ _ry(-45.0) @ _rz(70.0)
    # float64 round-off of three 3x3 products: a few ulp of 1
    np.testing.assert_allclose(body.pose.rotation, expected, rtol=0, atol=1e-14)
    extrinsic = _rz(70.0) @ _ry(-45.0) @ _rx(30.0)
    assert np.abs(body.pose.rotation - extrinsic).max() > 0.1      # the two readings differ


@pytest.mark.parametrize("path", sorted((ROOT / "geometries").glob("*.toml")),
                         ids=lambda p: p.name)
def test_bundled_apparatus_files_load_unrotated(path):
    """Bundled files turn bodies about one axis at most (bricks and wedges around a ring are
    boxes turned about z), where the intrinsic and extrinsic readings of rotation_deg agree, so
    the convention fix leaves their bodies where they were; and the unit-slip limits admit them."""
    import tomllib

    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    for b in doc.get("bodies", []):
        angles = b.get("rotation_deg", [0, 0, 0])
        assert sum(1 for a in angles if a != 0) <= 1, (path, b.get("name"), angles)
    app = load_apparatus(path)
    for body in app.bodies.values():
        rot = np.asarray(body.pose.rotation)
        np.testing.assert_allclose(rot @ rot.T, np.eye(3), atol=1e-12)


# ------------------------------------------------------------------------------------------------
# millimetre-for-metre slips and declared large bodies (issue 11)
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "field", "hint"), [
    (GOOD_BODY.replace("radius_m = 0.01", "radius_m = 10"), r"radius_m",
     r"body 'a': 10 m is larger than a laboratory body may be \(at most 1 m\): did you give "
     r"millimetres\? Lengths are in metres: 10 mm is 0\.01\. If the body really is this large, "
     r'declare it in its table: scale = "site" \(up to 1000 m\) or scale = "planetary"'),
    (LONG_BOX.replace("[0.1, 0.02, 0.01]", "[0.1, 25.4, 0.01]"), r"size_m\[1\]",
     r"25\.4 mm is 0\.0254"),
    (GOOD_BODY.replace("[0.0, 0.0, 0.0]", "[40.0, 0.0, 0.0]"), r"position_m",
     r"body 'a' at \[40\.0, 0\.0, 0\.0\] is 40 m from the fibre point, further than a laboratory "
     r"body may be \(at most 10 m\).* 40 mm is 0\.04\. If the body really is this far away"),
    (GOOD_BODY.replace("radius_m = 0.01", "radius_m = 0.01\nscale = \"galactic\""), r"scale",
     r"unknown scale 'galactic'\. Scales: laboratory, site, planetary"),
    (GOOD_BODY.replace("radius_m = 0.01", "radius_m = 2e9\nscale = \"planetary\""),
     r"radius_m", r"at most 1e\+08 m.* No scale admits it"),
])
def test_millimetre_slips_name_file_field_value_and_fix(tmp_path, text, field, hint):
    path = _write(tmp_path, text)
    where = rf"^{re.escape(str(path))}: bodies\[0\]\.{field}: "
    with pytest.raises(NusimError, match=where + ".*" + hint):
        load_apparatus(path)


def test_mesh_in_millimetres_declared_as_metres_is_caught(tmp_path):
    trimesh.creation.box(extents=(20.0, 10.0, 5.0)).export(tmp_path / "box.stl")   # mm
    text = GOOD_BODY.replace('shape = "sphere"\nradius_m = 0.01',
                             'shape = "mesh"\nmesh = "box.stl"\nmesh_unit = "m"')
    with pytest.raises(NusimError, match=r"bodies\[0\]\.mesh_unit: with mesh_unit = 'm' the mesh "
                       r"'box\.stl' is 20 m across.*Give its unit in mesh_unit"):
        load_apparatus(_write(tmp_path, text))


EARTH_RADIUS_M = 6.371e6    # IUGG mean radius R1 = 6371.0088 km (Moritz 2000, GRS 80), rounded

EARTH = f'''[[bodies]]
name = "earth"
role = "fixed"
material = "stainless-steel-304"
shape = "sphere"
radius_m = {EARTH_RADIUS_M}
position_m = [0.0, 0.0, {-(EARTH_RADIUS_M + 2.0)}]
scale = "planetary"
'''


def test_declared_planet_loads_next_to_a_laboratory_body(tmp_path):
    """The Earth of a Washington 2007-style model: a planetary body 2 m below a test mass."""
    app = load_apparatus(_write(tmp_path, GOOD_BODY + EARTH))
    earth = app.bodies["earth"]
    rho = earth.material.density_kg_m3
    # true solid: ρ 4πR³/3 exactly, to float64 round-off
    assert earth.mass_kg == pytest.approx(rho * 4.0 / 3.0 * np.pi * EARTH_RADIUS_M**3,
                                          rel=1e-12, abs=0)
    np.testing.assert_array_equal(earth.centre_of_mass_m, [0.0, 0.0, -(EARTH_RADIUS_M + 2.0)])
    # the same body without its declaration is refused, and the message offers it
    undeclared = EARTH.replace('scale = "planetary"\n', "")
    with pytest.raises(NusimError, match=r"bodies\[1\]\.radius_m: body 'earth': 6\.371e\+06 m is "
                       r'larger than a laboratory body.* scale = "planetary" \(up to 1e\+08 m\)'):
        load_apparatus(_write(tmp_path, GOOD_BODY + undeclared, "undeclared.toml"))


def test_documented_example_loads_as_the_page_says(tmp_path):
    """docs/apparatus-files.md: its complete example loads, and the bar of the worked rotation
    example has the bounds the page prints (long edge along lab +y)."""
    page = (ROOT / "docs" / "apparatus-files.md").read_text()
    block = re.search(r"```toml\n(.*?)```", page, re.S).group(1)
    app = load_apparatus(_write(tmp_path, block, "small-example.toml"))
    assert list(app.bodies) == ["mass-east", "mass-west", "bar", "earth"]
    # bounds from the page; round-off of cos(π/2) terms (~1e-17 m) and of 0.06 ± 0.005
    np.testing.assert_allclose(app.bodies["bar"].bounds_m,
                               [[0.055, -0.05, -0.01], [0.065, 0.05, 0.01]], rtol=0, atol=1e-15)
    assert "# [[0.055, -0.05, -0.01], [0.065, 0.05, 0.01]]" in page


def test_attractor_angles_must_be_numbers(tmp_path):
    """A non-number in attractor_motion.angles_deg is a ConfigError naming the field (it was
    a plain ValueError from float() deep in the loader)."""
    from nusim.errors import ConfigError

    text = (ROOT / "geometries" / "example-torsion-balance.toml").read_text()
    bad = text.replace("angles_deg = [0.0, 30.0, 60.0, 90.0, 120.0, 150.0]",
                       'angles_deg = ["a", 30.0]')
    assert bad != text
    path = tmp_path / "bad.toml"
    path.write_text(bad)
    with pytest.raises(ConfigError, match=r"attractor_motion\.angles_deg: expected a non-empty"):
        load_apparatus(path)
