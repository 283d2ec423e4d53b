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
