"""The smearing study (issue 10, study 3): the surviving fraction of the 1/r potential against the
criterion variable of eq. 4.14 and against N_F, point pair to centimetre bodies."""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nusim import units
from nusim.errors import ConfigError
from nusim.physics import smearing
from nusim.studies import smearing_model as model
from nusim.studies import smearing_study as study
from nusim.studies.run import load_study

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "runs" / "smearing.toml"
BASE = {"energy_MeV": 1.0, "energy_spread": 0.0, "flux_per_cm2_s": 5e13, "separation_m": 0.1,
        "beam_angle_rad": 0.0, "source_sigma_rad": 0.0, "body_radius_m": 0.0,
        "target_ratio": 0.7, "material": "copper"}
E_R = 1e6 * units.m_to_inv_eV(0.1)          # E r at 1 MeV, 10 cm [1]


@pytest.mark.parametrize("alpha", [1e-6, 4e-6, 1e-5, 3e-5])
def test_point_pair_without_spread_is_eq_4_13(alpha):
    # eq. 4.13: V/V(α=0) = cos(α²Er/2); eq. 4.12 differs by α²/4 in amplitude and by
    # (1 − cos α)Er − α²Er/2 = −α⁴Er/24 in phase (1.7e-8 at α = 3e-5), plus 1/(Er) terms
    # (2e-12): tolerance twice those
    got = model.point_pair_fraction({**BASE, "beam_angle_rad": alpha})
    tol = 2 * (alpha**4 * E_R / 24 + alpha**2 / 4) + 1e-11
    assert got == pytest.approx(math.cos(alpha**2 * E_R / 2), abs=tol)


@pytest.mark.parametrize(("alpha", "spread"), [(5e-6, 0.1), (1e-5, 0.05), (1.5747e-5, 0.02)])
def test_point_pair_with_energy_spread_against_the_spectrum_quadrature(alpha, spread):
    # the closed form (χ(t) of the Gaussian line) against physics/smearing.py's independent QAWO
    # Fourier quadrature of eq. C.9 with f = (dΦ/dE)/(2πE²); tolerance: its rtol 1e-10 on the
    # largest term, × margin
    pt = {**BASE, "beam_angle_rad": alpha, "energy_spread": spread}
    spec = model.beam_of(pt).spectrum
    e0, sig = 1e6, spread * 1e6
    phi = spec.total_flux

    def dphi(e):
        return phi * np.exp(-0.5 * ((e - e0) / sig) ** 2) / (math.sqrt(2 * math.pi) * sig)

    r = units.m_to_inv_eV(0.1)
    v = smearing.smeared_potential(r, alpha, smearing.f_from_spectrum(dphi), e0 - 8 * sig,
                                   e0 + 8 * sig)
    want = float(v / (-phi * spec.mean_energy / (math.pi * r)))
    assert model.point_pair_fraction(pt) == pytest.approx(want, abs=1e-8)
    # and the washing-out of eq. 4.14: the envelope exp[−(πx/2)²/2] at x = α²σ_E r/π
    crit = model.criterion(pt, np.random.default_rng(0), 100)
    x = alpha**2 * spread * E_R / math.pi
    assert crit["x"] == pytest.approx(x, rel=1e-6)          # exact for a point pair
    assert crit["dominant"] == "energy spread"
    carrier = math.cos(alpha**2 * E_R / 2)
    # the envelope form drops the (1 + iσ²t/E) factor: relative O(σ_E/E × phase spread)
    assert model.point_pair_fraction(pt) == pytest.approx(
        carrier * float(model.gaussian_envelope(x)), abs=0.02)


def test_point_pair_on_axis_with_a_gaussian_source():
    # design note §4: an on-axis pair in a Gaussian profile keeps 1/(1 + (E z σ²)²); the
    # paraxial closed form is exact for a line on the axis up to O(σ²) (< 1e-10 here)
    for sigma in (3e-7, 1e-6, 3e-6):
        got = model.point_pair_fraction({**BASE, "source_sigma_rad": sigma})
        assert got == pytest.approx(1 / (1 + (E_R * sigma**2) ** 2), rel=1e-6)


def _small_study(tmp_path, body):
    text = ('[study]\nname = "t"\nkind = "smearing"\noutput_dir = "out"\n'
            'expected_runtime = "~1 s"\n\n' + body)
    path = tmp_path / "s.toml"
    path.write_text(text)
    return path


def _run(path):
    config = load_study(path)
    p = config["smearing"]
    tl = study.tasks(p)
    return p, tl, study.reduce(p, tl, [study.run_task(p, t) for t in tl])


def test_spread_scan_at_large_fresnel_number_moves_nothing_and_says_why(tmp_path):
    path = _small_study(tmp_path, '[smearing]\nsamples = 5000\nreplicas = 6\nseed = 3\n'
                        'criterion_samples = 2000\n\n[[smearing.scans]]\nregime = "bodies"\n'
                        'variable = "energy_spread"\nvalues = [1e-3, 0.03, 0.15]\n\n'
                        '[[smearing.scans]]\nregime = "point"\nvariable = "energy_spread"\n'
                        'beam_angle_rad = 1.5747e-5\nvalues = [1e-3, 0.03, 0.15]\n')
    _, _, data = _run(path)
    bodies, point = data["scans"]
    c = bodies["conclusion"]["constancy"]
    assert all(r["fresnel_number"] > 1e9 for r in bodies["points"])
    vals = [r["fraction"] for r in bodies["points"]]
    assert all(f["upper_bound"] is None and f["error"] > 0 for f in vals)
    # unchanged within errors: every point within 3σ of the weighted mean (the near-field
    # prediction ⟨1/E⟩⟨E⟩ moves it by 2 %, below the ~3 % errors at 5000 samples)
    assert c["unchanged_within_errors"], c
    for f in vals:
        assert abs(f["value"] - c["weighted_mean"]) < 3 * f["error"]
    text = bodies["conclusion"]["statement"]
    assert "unchanged within errors" in text
    assert "edges, not the spread, set the answer" in text
    assert bodies["conclusion"]["dominant_factor"] == "body size"
    # the same spreads kill the point pair (eq. 4.14): 1 → below 1e-6
    pf = [r["fraction"] for r in point["points"]]
    assert pf[0]["value"] > 0.99
    assert (pf[-1]["upper_bound"] or abs(pf[-1]["value"])) < 1e-6
    assert point["conclusion"]["dominant_factor"] == "energy spread"


@pytest.mark.parametrize(("body", "field", "message"), [
    ('[smearing]\nenergy_spread = 0.3\n[[smearing.scans]]\nregime = "point"\n'
     'variable = "beam_angle_rad"\nvalues = [1e-6]\n', "smearing.energy_spread", "1/6"),
    ('[smearing]\n[[smearing.scans]]\nregime = "point"\nvariable = "body_radius_m"\n'
     'values = [1e-6]\n', r"smearing.scans\[0\].variable", "a point pair has no size"),
    ('[smearing]\n[[smearing.scans]]\nregime = "bodies"\nvariable = "separation_m"\n'
     'values = [0.01]\n', r"smearing.scans\[0\].separation_m", "spheres overlap"),
    ('[smearing]\n[[smearing.scans]]\nregime = "cloud"\nvariable = "separation_m"\n'
     'values = [0.1]\n', r"smearing.scans\[0\].regime", "Use \"point\""),
    ('[smearing]\n[[smearing.scans]]\nregime = "point"\nvariable = "spin"\nvalues = [1]\n',
     r"smearing.scans\[0\].variable", "Known: body_radius_m"),
    ('[smearing]\nsample = 10\n[[smearing.scans]]\nregime = "point"\n'
     'variable = "separation_m"\nvalues = [0.1]\n', "smearing.sample", "unknown key"),
    ('[smearing]\n', "smearing.scans", "missing required key"),
])
def test_bad_study_file_fails_with_its_message(tmp_path, body, field, message):
    path = _small_study(tmp_path, body)
    with pytest.raises(ConfigError, match=rf"s\.toml: {field}: .*{message}"):
        load_study(path)


def test_bad_study_file_on_the_command_line(tmp_path):
    path = _small_study(tmp_path, '[smearing]\nreplicas = 1\n[[smearing.scans]]\n'
                        'regime = "point"\nvariable = "separation_m"\nvalues = [0.1]\n')
    out = subprocess.run([sys.executable, "-m", "nusim", "run", str(path)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 1
    assert "s.toml: smearing.replicas: must lie in [2, 1000]" in out.stderr


def test_reduced_run_of_the_whole_study_writes_its_files(tmp_path):
    text = STUDY.read_text()
    for key, value in (("samples", 2000), ("pair_samples", 10_000), ("replicas", 4),
                       ("criterion_samples", 2000)):
        text, n = re.subn(rf"^{key} = [0-9_]+", f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    path = tmp_path / "smearing.toml"
    path.write_text(text)
    out = subprocess.run([sys.executable, "-m", "nusim", "run", str(path), "--out",
                          str(tmp_path / "o")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    for name in ("smearing.csv", "smearing_criterion.png", "smearing_scans.png",
                 "results.json"):
        assert (tmp_path / "o" / name).stat().st_size > 0, name
    assert "Which factor dominates where" in out.stdout
    doc = json.loads((tmp_path / "o" / "results.json").read_text())
    res = doc["results"]
    want = load_study(STUDY)["smearing"]["scans"]
    assert [s["name"] for s in res["scans"]] == [s["name"] for s in want]
    for s, w in zip(res["scans"], want, strict=True):
        assert [r["value"] for r in s["points"]] == w["values"]
        for r in s["points"]:
            f = r["fraction"]
            # each point: value ± error, a bound, an exact zero, or marked not resolved
            assert (f["not_resolved"] or f["exact_zero"] is not None
                    or f["upper_bound"] is not None or f["error"] is not None)
            if s["regime"] == "bodies":
                assert r["samples"] > 0
                assert r["replicas"] == 4
                assert r["seed"] is not None
    assert "body size" in res["overall"]
    assert "edges" in res["overall"]
