"""The apparatus files of the founding paper's table-4 experiments (geometries/*.toml, issue 10).

Each file loads, names its lab, cites or assumes every body, and reproduces the key numbers it
cites (reference/neutrino-sources-and-experiments.md Part B; docs/experiments.md). ``nusim
geometry show`` runs on each.
"""

import math
import re
import time
import tomllib
from pathlib import Path

import numpy as np
import periodictable
import pytest

from nusim.cli import main
from nusim.geometry import load_apparatus
from nusim.geometry import materials as mat

GEOMETRIES = Path(__file__).resolve().parents[2] / "geometries"
# file stem -> (latitude_deg, longitude_deg) of its lab, reference Part B "Lab locations"
SEATTLE, IRVINE, WUHAN = (47.660, -122.303), (33.644, -117.843), (30.51, 114.41)
EXPERIMENTS = {
    "washington-2007": SEATTLE,
    "washington-1999": SEATTLE,
    "irvine-1985-near": IRVINE,
    "irvine-1985-far": IRVINE,
    "wuhan-2012": WUHAN,
    "wuhan-2020": WUHAN,
    "washington-2020": SEATTLE,
    "levitated-microsphere": (41.320, -72.922),   # assumed in the file (Part B lists no lab)
}
# Part B gives coordinates to ±0.01°; the files copy them, so only typing slips are checked.
SITE_TOLERANCE_DEG = 0.005
# float64 round-off of sums of a few hundred O(1) terms
ROUNDOFF = 1e-12
G_NEWTON = 6.67430e-11   # CODATA 2018 [m³ kg⁻¹ s⁻²]; only ratios of fields are tested below


@pytest.fixture(scope="module")
def loaded():
    """Each file loaded once (the loader's overlap check included), with its CPU time [s]."""
    out = {}
    for stem in EXPERIMENTS:
        start = time.process_time()
        app = load_apparatus(GEOMETRIES / f"{stem}.toml")
        out[stem] = (app, time.process_time() - start)
    return out


@pytest.fixture(scope="module")
def apparatus(loaded):
    return {stem: app for stem, (app, _) in loaded.items()}


def _raw(stem):
    return tomllib.loads((GEOMETRIES / f"{stem}.toml").read_text())


def _section_text(stem, table):
    """The text of ``[table]`` up to the next table header (comments included)."""
    text = (GEOMETRIES / f"{stem}.toml").read_text()
    match = re.search(rf"^\[{table}\]\n(.*?)(?=^\[)", text, flags=re.S | re.M)
    assert match, f"{stem}: no [{table}] table"
    return match.group(1)


def _gap(lower_bodies, upper_bodies, axis=2):
    """Distance between the highest face of ``lower_bodies`` and the lowest of ``upper_bodies``."""
    top = max(b.bounds_m[1][axis] for b in lower_bodies)
    bottom = min(b.bounds_m[0][axis] for b in upper_bodies)
    return bottom - top


@pytest.mark.parametrize("stem", list(EXPERIMENTS))
def test_file_has_site_fibre_motion_and_a_note_on_every_body(stem, apparatus):
    app = apparatus[stem]
    assert app.name == stem
    lat, lon = EXPERIMENTS[stem]
    assert app.site["latitude_deg"] == pytest.approx(lat, abs=SITE_TOLERANCE_DEG)
    assert app.site["longitude_deg"] == pytest.approx(lon, abs=SITE_TOLERANCE_DEG)
    raw = _raw(stem)
    for table in ("site", "pendulum", "attractor_motion"):
        assert table in raw, f"{stem}: [{table}] missing"
        note = _section_text(stem, table)
        assert "source" in note or "assumed" in note, f"{stem}: [{table}] says nowhere where " \
                                                      "its numbers come from"
    for body in raw["bodies"]:
        text = (body.get("source", "") + body.get("assumed", "")).strip()
        assert len(text) > 10, f"{stem}: body {body['name']!r} has no source or assumed note"
    assert app.by_role("pendulum")
    assert app.by_role("attractor")
    # rotations turn about one axis only (z, for wedges and bricks), where the intrinsic and the
    # pre-issue-11 extrinsic readings of rotation_deg agree (docs/apparatus-files.md)
    for body in raw["bodies"]:
        angles = body.get("rotation_deg", [0.0, 0.0, 0.0])
        assert sum(a != 0.0 for a in angles) <= 1, f"{stem}: {body['name']}: {angles}"


def test_washington_2007_dipole_and_earth(apparatus):
    app = apparatus["washington-2007"]
    be = [b for b in app.by_role("pendulum") if b.material.name == "beryllium"]
    ti = [b for b in app.by_role("pendulum") if b.material.name == "titanium"]
    assert len(be) == len(ti) == 4
    # Part B1: 4.84 g per body [R]; ours 4.833 g from the assumed Ø 15 × 14.8 mm cylinder
    for b in be + ti:
        assert b.mass_kg == pytest.approx(4.84e-3, rel=0.005)
    # the Ti bore is sized to the Be mass; 5.7603 mm is rounded to 0.1 µm (2e-5 relative)
    assert ti[0].mass_kg == pytest.approx(be[0].mass_kg, rel=1e-4)
    earth = app.bodies["earth"]
    # PREM mean density × (4/3)π R³ with R = 6371 km against the Earth's mass 5.9722e24 kg
    # (IAU 2015 nominal GM / CODATA G); PREM's 5.514 is rounded, hence 0.1 %
    assert earth.mass_kg == pytest.approx(5.9722e24, rel=1e-3)
    centre = np.asarray(earth.centre_of_mass_m)
    distance = np.linalg.norm(centre)
    assert distance - 6.371e6 == pytest.approx(1.0, abs=1e-3)    # 1 m above ground (assumed)
    # horizontal (northward) pull in the plumb-line frame = ω² R sin φ cos φ (Part B finding 3)
    g_total = G_NEWTON * earth.mass_kg / distance**2
    g_north = g_total * centre[1] / distance
    omega, phi = 7.2921159e-5, math.radians(47.660)
    expected = omega**2 * 6.371e6 * math.sin(phi) * math.cos(phi)
    assert expected == pytest.approx(0.01687, rel=1e-3)           # the reference's number
    assert g_north == pytest.approx(expected, rel=1e-4)           # 5 digits of the offset
    # turning the Earth by 90° (turntable) moves the pull to West
    turned = app.attractors_at(90.0)[0].pose.position_m
    assert turned[0] == pytest.approx(-centre[1], rel=1e-9)


def test_washington_1999_three_tonnes_at_the_published_radii(apparatus):
    app = apparatus["washington-1999"]
    uranium = app.by_role("attractor")
    # "a 3-ton 238U attractor" [V: abstract]; the brief asks for 10 %, the file holds 3.000 t
    assert sum(b.mass_kg for b in uranium) == pytest.approx(3000.0, rel=0.10)
    assert sum(b.mass_kg for b in uranium) == pytest.approx(3000.0, rel=1e-5)
    # inner faces of the first row at 10.2 cm, outer faces of the last at 44.6 cm [V: §5.1]
    radial = []
    for b in uranium:
        r = np.hypot(*np.asarray(b.pose.position_m)[:2])
        depth = b.shape.size_m[0]
        radial.append((r - depth / 2, r + depth / 2))
    assert min(r for r, _ in radial) == pytest.approx(0.102, abs=1e-9)
    assert max(r for _, r in radial) == pytest.approx(0.446, abs=1e-9)
    cu = [b for b in app.by_role("pendulum") if b.material.name == "copper"]
    pb = [b for b in app.by_role("pendulum") if b.material.name == "lead"]
    assert len(cu) == len(pb) == 4
    for b in cu + pb:
        assert b.mass_kg == pytest.approx(0.010, rel=1e-5)       # equal-mass dipole (assumed)
    # horizontal field at the centre: the file states 1.08e-6 m/s² (published 9.2e-7).
    # Sobol estimate with 2^12 points per brick; its error is < 0.5 % here (2^16 gives 1.0834e-6)
    rng = np.random.default_rng(0)
    field = np.zeros(3)
    for b in uranium:
        p = b.pose.apply(b.shape.sample(4096, rng, "sobol"))
        field += G_NEWTON * b.mass_kg / len(p) * (p / np.linalg.norm(p, axis=1)[:, None]**3).sum(0)
    assert field[0] == pytest.approx(1.08e-6, rel=0.01)
    assert abs(field[1]) < 1e-3 * field[0]                     # symmetric about the x axis


def test_irvine_1985_distances(apparatus):
    far = apparatus["irvine-1985-far"]
    bar = far.bodies["bar"]
    assert bar.shape.size_m[0] == pytest.approx(0.60)            # 60 cm bar [V: abstract]
    for name in ("far-mass-ne", "far-mass-sw"):                  # 105 cm from the axis [V]
        assert np.hypot(*far.bodies[name].centre_of_mass_m[:2]) == pytest.approx(1.05, rel=1e-6)
    near_y = far.bodies["near-mass"].centre_of_mass_m[1]
    assert near_y - bar.bounds_m[1][1] == pytest.approx(0.05, rel=1e-9)   # 5 cm from the side [V]
    near = apparatus["irvine-1985-near"]
    tube, mass = near.bodies["tube"], near.bodies["test-mass"]
    # the tube wall spans 2.5–5 cm from the test-mass centre: table 4's "2–5 cm"
    assert np.allclose(tube.centre_of_mass_m, mass.centre_of_mass_m, atol=ROUNDOFF)
    assert (tube.shape.inner_radius_m, tube.shape.outer_radius_m) == (0.025, 0.05)


def test_wuhan_2012_plate_gap(apparatus):
    app = apparatus["wuhan-2012"]
    test_plate, attractor = app.bodies["test-plate-east"], app.bodies["attractor-east"]
    # separations down to 0.4 mm [V]: faces normal to y
    gap = test_plate.bounds_m[0][1] - attractor.bounds_m[1][1]
    assert gap == pytest.approx(4e-4, rel=1e-9)
    assert test_plate.mass_kg == pytest.approx(4.99e-3, rel=1e-3)   # 12 × 12 × 1.8 mm W (assumed)


def test_wuhan_2020_eightfold_and_gap(apparatus):
    app = apparatus["wuhan-2020"]
    pend, att = app.by_role("pendulum"), app.by_role("attractor")
    assert len(pend) == len(att) == 8
    assert _gap(att, pend) == pytest.approx(295e-6, rel=1e-9)     # 2016 minimum gap [V]
    # a sector's box has the sector's area: Δθ/2 (r_o² − r_i²) with Δθ = 22.5°
    area = math.radians(22.5) / 2 * (0.035**2 - 0.015**2)
    assert pend[0].volume_m3 == pytest.approx(area * 0.2e-3, rel=1e-9)
    # turning by one period (45°) maps the attractor onto itself; positions are written to 1 nm
    moved = np.array([b.pose.position_m for b in app.attractors_at(45.0)])
    before = np.array([b.pose.position_m for b in att])
    nearest = np.linalg.norm(moved[:, None, :] - before[None, :, :], axis=2).min(axis=1)
    assert np.all(nearest < 1e-8)


def test_washington_2020_folds_and_52_um(apparatus):
    app = apparatus["washington-2020"]
    for role in ("pendulum", "attractor"):
        bodies = app.by_role(role)
        assert sum("18-" in b.name for b in bodies) == 18
        assert sum("120-" in b.name for b in bodies) == 120
    det, att = app.by_role("pendulum"), app.by_role("attractor")
    assert _gap(att, det) == pytest.approx(52e-6, rel=1e-9)       # 52 µm [V: abstract]
    # the 18 script wedges: 10° of a 23.5–26 mm ring, 54 µm of Pt, as boxes of equal area
    wedge18 = app.bodies["det18-000"]
    area = math.radians(10.0) / 2 * (0.026**2 - 0.0235**2)
    assert wedge18.volume_m3 == pytest.approx(area * 54e-6, rel=1e-9)
    assert wedge18.material.name == "platinum"


def test_washington_2020_loads_within_budget(loaded):
    # The brief's budget is 2 s; measured 1.75–1.8 s of CPU on the shared 2-core machine, 97 % of
    # it the loader's pairwise overlap check over 38k body pairs (0.06 s without it). The bound
    # allows 40 % for CPU time inflated by other jobs on the same cores.
    _, cpu_s = loaded["washington-2020"]
    assert cpu_s < 2.5


def test_levitated_microsphere_gap_and_drive(apparatus):
    app = apparatus["levitated-microsphere"]
    sphere = app.bodies["microsphere"]
    assert 2 * sphere.shape.radius_m == pytest.approx(7.6e-6)     # Ø 7.6 µm [R]
    fingers = app.by_role("attractor")
    face = min(b.bounds_m[0][0] for b in fingers)
    assert face - sphere.shape.radius_m == pytest.approx(1e-6, rel=1e-9)   # table 4: 1 µm
    # angle k moves the attractor by k × 6.25 µm along y: the lever is 1 m + 44.8 µm to the
    # finger's centre (4.5e-5 relative) and the angles are written to 1e-9° (3e-6 relative)
    for k, angle in enumerate(app.attractor_angles_deg):
        shift = (np.asarray(app.attractors_at(angle)[4].pose.position_m)
                 - np.asarray(fingers[4].pose.position_m))
        assert shift[1] == pytest.approx(k * 6.25e-6, rel=1e-4, abs=1e-12)
        assert abs(shift[0]) < 1e-9


def test_added_materials_are_cited():
    earth = mat.material("earth-bulk")
    assert earth.density_kg_m3 == 5514.0                         # PREM mean density
    assert "PREM" in earth.source
    assert "McDonough" in earth.source
    assert math.fsum(w for _, w in earth.mass_fractions) == pytest.approx(1.0, abs=ROUNDOFF)
    # bulk Earth: Fe 32.0 of the 98.96 wt % kept
    assert dict(earth.mass_fractions)["Fe"] == pytest.approx(32.0 / 98.96, rel=1e-9)
    silicon = mat.material("silicon")
    # independent table (periodictable, from CRC): 2.33 g/cm³
    ref = periodictable.elements.symbol("Si").density * 1000.0
    assert silicon.density_kg_m3 == pytest.approx(ref, rel=0.01)


@pytest.mark.parametrize("stem", list(EXPERIMENTS))
def test_geometry_show_runs(stem, tmp_path, capsys):
    rc = main(["geometry", "show", str(GEOMETRIES / f"{stem}.toml"), "-o", str(tmp_path)])
    assert rc == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{stem}: ")
    assert (tmp_path / f"{stem}.png").stat().st_size > 0
